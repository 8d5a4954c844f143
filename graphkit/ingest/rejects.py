"""Rejected rows: what a reader or the load engine could not load, and the rejects CSV.

A reader yields a ``Reject`` (instead of a ``Row``) for a record it cannot even split into columns
(a ragged row, undecodable bytes); the engine turns a ``Row`` it cannot load into one. Every
reject is one line of the rejects file: ``file, line, column, reason, raw``.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import LoadError
from graphkit.ingest.text import printable
from graphkit.output import safe_csv_cell

COLUMNS = ["file", "line", "column", "reason", "raw"]
RAW_LIMIT = 2000  # characters of the raw record kept in the rejects file


@dataclass
class Reject:
    table: str
    file: str
    line: int
    column: str
    reason: str
    raw: str = ""


class RowRejected(Exception):
    """Raised while preparing a row: ``column`` (the input's own name) and ``reason``."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


def raw_text(values) -> str:
    """A record as one CSV line (for the ``raw`` column), clipped to RAW_LIMIT characters."""
    if isinstance(values, dict):
        values = list(values.values())
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(["" if v is None else str(v) for v in values])
    text = printable(buf.getvalue()).replace("\x00", "\\0")  # undecodable bytes as \xFF
    if len(text) > RAW_LIMIT:
        text = text[:RAW_LIMIT] + f"... [{len(text) - RAW_LIMIT} more characters]"
    return text


def default_path(input_path: Path) -> Path:
    """``<input>.rejects.csv`` beside the input (a folder's goes beside the folder)."""
    path = Path(input_path)
    return path.parent / (path.name.rstrip("/") + ".rejects.csv")


class RejectsWriter:
    """Writes rejects as they come; the file is created at the first reject (or on close when
    ``always`` is set, e.g. for an explicit ``--rejects FILE``)."""

    def __init__(self, path: Path, always: bool = False):
        self.path = Path(path)
        self.always = always
        self.count = 0
        self._handle = None
        self._writer = None
        self.note: str | None = None

    def _open(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = _open_private(self.path)
        except OSError as exc:
            if self.always:  # the user named this file: say so
                raise LoadError(f"cannot write the rejects file {self.path}: {exc.strerror}",
                                hint="Choose another --rejects FILE.") from exc
            fallback = Path.cwd() / self.path.name  # e.g. the input sits in a read-only folder
            self.note = f"cannot write {self.path} ({exc.strerror}); rejects go to {fallback}"
            self.path = fallback
            self._handle = _open_private(self.path)
        self._writer = csv.writer(self._handle)
        self._writer.writerow(COLUMNS)

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self._open()
        self.count += 1
        self._writer.writerow([safe_csv_cell(reject.file), reject.line, safe_csv_cell(reject.column),
                               safe_csv_cell(reject.reason), safe_csv_cell(reject.raw)])

    def close(self) -> Path | None:
        """The path written, or None when there was nothing to write."""
        if self._handle is None and self.always:
            self._open()
        if self._handle is None:
            return None
        self._handle.close()
        return self.path


def read_rejects(path: Path) -> list[dict]:
    """The rows of a rejects file (for tests and notebooks)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _open_private(path: Path):
    """The rejects file, readable by its owner only (it quotes the evidence verbatim)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")
