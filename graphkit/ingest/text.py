"""Reading CSV files as real reports come: streaming, any common encoding, a sniffed delimiter.

- Encoding: a BOM decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is recognised by its NUL
  pattern, else UTF-8 is assumed when the first 64 KB decode as UTF-8, else cp1252 (a superset of
  Latin-1 for text). A UTF-8 file with a broken byte later on keeps loading: that record is
  rejected ("invalid UTF-8"), never silently altered.
- Delimiter: from the header line: ``,`` unless the header has none and has ``;``, tab or ``|``.
- Cells may be of any size (``csv.field_size_limit`` is raised); limits on values are the load
  engine's business. Blank lines are skipped (they are not records).

Files are read line by line through the ``csv`` module; nothing reads a whole file into memory.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import re
import io
from typing import BinaryIO, Callable, Iterator

csv.field_size_limit(2**31 - 1)

SAMPLE = 65536
Opener = Callable[[], BinaryIO]


def sniff_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = sample[:4096]
    if len(head) >= 4:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) // 2
        if odd_nuls > half * 0.6 and even_nuls < half * 0.1:
            return "utf-16-le"
        if even_nuls > half * 0.6 and odd_nuls < half * 0.1:
            return "utf-16-be"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample's end
            return "utf-8"
        return "cp1252"


def open_text(opener: Opener) -> tuple[io.TextIOBase, str]:
    """A text stream over the file and the encoding chosen."""
    with opener() as probe:
        sample = probe.read(SAMPLE)
    encoding = sniff_encoding(sample)
    errors = "surrogateescape" if encoding.startswith("utf-8") else ("replace" if encoding == "cp1252" else "strict")
    binary = opener()
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline=""), encoding


def sniff_delimiter(header_line: str) -> str:
    if "," in header_line:
        return ","
    for delimiter in ("\t", ";", "|"):
        if delimiter in header_line:
            return delimiter
    return ","


_BAD_BYTE = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape keeps them


def _has_bad_bytes(values) -> bool:
    return any(_BAD_BYTE.search(v) for v in values if v)


def canonical_column(name: str) -> str:
    """A header cell as a column name: blanks, BOM, zero-width characters and case ignored."""
    text = name.replace("\ufeff", "").replace("\u200b", "").replace("\x00", "").strip().lower()
    return "_".join(text.replace("-", " ").split())


class CsvTable:
    """One CSV file's header and records (line numbers are 1-based physical lines)."""

    def __init__(self, opener: Opener, header: bool = True, delimiter: str | None = None):
        self.opener = opener
        self.has_header = header
        self.delimiter = delimiter
        self.encoding = None
        self.header: list[str] = []
        self.raw_header: list[str] = []

    def records(self) -> Iterator[tuple[int, list[str] | None, str | None]]:
        """``(line, values, problem)``: values is None and problem says why for a broken record."""
        text, self.encoding = open_text(self.opener)
        self.header = []
        with text:
            first = text.readline()
            delimiter = self.delimiter or sniff_delimiter(first)
            self.delimiter = delimiter
            text.seek(0)
            reader = csv.reader(text, delimiter=delimiter, strict=False)
            previous_end = 0
            try:
                for values in reader:
                    line = previous_end + 1
                    previous_end = reader.line_num
                    if not values or (len(values) == 1 and not values[0].strip()):
                        continue  # a blank line is not a record
                    if self.has_header and not self.header:
                        self.header = [canonical_column(v) for v in values]
                        self.raw_header = [v.replace("\ufeff", "").strip() for v in values]
                        continue
                    if _has_bad_bytes(values):
                        yield line, None, "invalid UTF-8 bytes in the record"
                        continue
                    yield line, values, None
            except (csv.Error, UnicodeError) as exc:
                yield previous_end + 1, None, f"unreadable from here on ({self.encoding}): {exc}"

    def read_header(self) -> list[str]:
        """The (canonical) header row alone; [] for an empty file."""
        records = self.records()
        next(records, None)
        records.close()
        return self.header


def file_digest(files, with_names: bool = False) -> str:
    """SHA-256 (hex) of the files' bytes in order, read in 1 MiB blocks; ``with_names``: each
    file's name and a NUL go before its bytes (a bundle's checksum: renaming a table changes it)."""
    digest = hashlib.sha256()
    for file in files:
        if with_names:
            digest.update(file.name.encode() + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
