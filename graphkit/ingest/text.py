"""Reading text files as real reports come: streaming, any common encoding, a sniffed delimiter.

One rule for every text reader (bundle CSVs through ``CsvTable``; tweet, OFAC and Meta exports
through ``text_lines``):

- Encoding, one per file: a BOM decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is recognised
  by its NUL pattern; else the first 64 KB decide: UTF-8 when they are ASCII or hold a valid
  UTF-8 character, else Windows-1252 (the declared fallback for legacy exports; a superset of
  Latin-1 for text).
- Bytes that are not valid in that encoding (a broken byte in a UTF-8 file, one of the five
  bytes Windows-1252 leaves unassigned) are never replaced or guessed: they are kept as
  surrogate escapes, and the record holding them is rejected with its file, line, column and the
  bytes (``undecodable``); the load engine checks every row of every reader this way.
- Delimiter (CSV): from the header line: ``,`` unless the header has none and has ``;``, tab or ``|``.
- Cells may be of any size (``csv.field_size_limit`` is raised); limits on values are the load
  engine's business. Blank lines are skipped (they are not records).

Files are read line by line; nothing reads a whole file into memory.
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
    """The file's encoding from its first bytes (``sample``, the first 64 KB)."""
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
    if sample.isascii():
        return "utf-8"
    text = sample.decode("utf-8", "surrogateescape")
    # UTF-8 when the non-ASCII text holds a valid multi-byte character (Windows-1252 text almost
    # never forms one: "Ã©"), so a stray bad byte in UTF-8 text stays a bad byte (rejected)
    if any(not c.isascii() and not "\udc80" <= c <= "\udcff" for c in text):
        return "utf-8"
    return "cp1252"


def open_text(opener: Opener, newline: str | None = "") -> tuple[io.TextIOBase, str]:
    """A text stream over the file and the encoding chosen (``sniff_encoding``). Undecodable
    bytes stay in the text as surrogate escapes (``undecodable`` finds them); UTF-16 is strict.
    ``newline`` as for ``open`` (default: lines end at any newline, kept as written)."""
    with opener() as probe:
        sample = probe.read(SAMPLE)
    encoding = sniff_encoding(sample)
    errors = "strict" if encoding.startswith("utf-16") else "surrogateescape"
    binary = opener()
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline=newline), encoding


def text_lines(opener: Opener) -> Iterator[str]:
    """The file's lines as text (``open_text``'s rule), split at ``\\n`` only (a lone ``\\r``
    inside a quoted cell stays in the cell and does not count as a line, so line numbers match
    ``wc -l`` and editors); a UTF-8 BOM is dropped."""
    text, _ = open_text(opener)
    with text:
        rest = ""
        for chunk in iter(lambda: text.read(1 << 16), ""):
            *lines, rest = (rest + chunk).split("\n")
            for line in lines:
                yield line + "\n"
        if rest:
            yield rest


_BAD_BYTE = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape keeps them


def undecodable(value) -> str | None:
    """Why ``value`` cannot be loaded as text (the bytes that did not decode), or None."""
    if not isinstance(value, str) or value.isascii():
        return None
    found = _BAD_BYTE.findall(value)
    if not found:
        return None
    shown = " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in dict.fromkeys(found))
    return (f"undecodable byte(s) {shown}: not valid in the file's encoding (UTF-8, or Windows-1252 for "
            "a legacy file); save the file as UTF-8")


def printable(value: str) -> str:
    """``value`` with undecodable bytes shown as ``\\xFF`` (for the rejects file and messages)."""
    return _BAD_BYTE.sub(lambda m: f"\\x{ord(m[0]) - 0xDC00:02X}", value)


def sniff_delimiter(header_line: str) -> str:
    if "," in header_line:
        return ","
    for delimiter in ("\t", ";", "|"):
        if delimiter in header_line:
            return delimiter
    return ","


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
        """``(line, values, problem)``: values is None and problem says why for a broken record.
        Values may hold undecodable bytes: the caller rejects them (``undecodable``)."""
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
                        values = [printable(v) for v in values]  # a bad byte in a name shows as \xFF
                        self.header = [canonical_column(v) for v in values]
                        self.raw_header = [v.replace("\ufeff", "").strip() for v in values]
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
