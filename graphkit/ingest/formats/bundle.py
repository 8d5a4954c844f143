"""The canonical report bundle reader: a folder, a ``.zip`` of one, or an ``.xlsx`` workbook.

Tables are ``groups, designations, accounts, channels, sightings, identifiers, takedowns,
mirrors`` (``<table>.csv`` files, or sheets of those names); a ``report.json``/``report.yaml``
manifest (or a ``report`` sheet of key/value rows) may give ``id, source, title, date``.
Other files are ignored (and reported once). Named as ``reader`` in ``loaders/bundle.yaml``.
"""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import yaml

from graphkit.ingest.text import CsvTable, canonical_column, file_digest
from graphkit.errors import LoadError
from graphkit.ingest.records import TABLE_ORDER, Row
from graphkit.ingest.rejects import Reject, raw_text

MANIFESTS = ("report.json", "report.yaml", "report.yml")


@dataclass
class Source:
    table: str
    label: str  # how the file is named in messages and rejects: "bundle/accounts.csv"
    opener: Callable | None = None  # binary opener (CSV)
    sheet: str | None = None  # sheet name (xlsx)


def _kind(path: Path) -> str:
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return "zip"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".csv" and path.stem.lower() in TABLE_ORDER:
        return "csv"
    raise LoadError(f"{path} is not a report bundle (a folder, .zip or .xlsx)",
                    hint="Give the bundle's folder, or name a format with --input-format.")


def _zip_members(path: Path) -> dict[str, str]:
    """table or manifest name -> member name, for a zip of a bundle folder."""
    found: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith("/") or "__MACOSX" in member:
                continue
            base = member.rsplit("/", 1)[-1].lower()
            if base in found:
                raise LoadError(f"{path}: the zip holds {base} twice ({found[base]} and {member})",
                                hint="Zip one bundle folder per file.")
            found[base] = member
    return found


def sources(path: Path) -> tuple[list[Source], list[str]]:
    """The bundle's tables in load order, and the names of files it ignores."""
    path = Path(path)
    kind = _kind(path)
    found: dict[str, Source] = {}
    ignored: list[str] = []
    if kind == "csv":
        found[path.stem.lower()] = Source(path.stem.lower(), path.name, opener=lambda p=path: open(p, "rb"))
    elif kind == "folder":
        for child in sorted(path.iterdir()):
            name = child.name.lower()
            if child.is_file() and name.endswith(".csv") and name[:-4] in TABLE_ORDER:
                found[name[:-4]] = Source(name[:-4], f"{path.name}/{child.name}",
                                          opener=lambda p=child: open(p, "rb"))
            elif name not in MANIFESTS and not name.startswith(".") and not name.endswith(".rejects.csv"):
                ignored.append(f"{path.name}/{child.name}")
    elif kind == "zip":
        members = _zip_members(path)
        for base, member in sorted(members.items()):
            if base.endswith(".csv") and base[:-4] in TABLE_ORDER:
                def opener(m=member):
                    archive = zipfile.ZipFile(path)
                    handle = archive.open(m)
                    handle._graphkit_archive = archive  # keep the archive open with the member
                    return handle
                found[base[:-4]] = Source(base[:-4], f"{path.name}:{member}", opener=opener)
            elif base not in MANIFESTS:
                ignored.append(f"{path.name}:{member}")
    else:
        workbook = _workbook(path)
        try:
            for sheet in workbook.sheetnames:
                name = sheet.strip().lower()
                if name in TABLE_ORDER:
                    found[name] = Source(name, f"{path.name}:{sheet}", sheet=sheet)
                elif name != "report":
                    ignored.append(f"{path.name}:{sheet}")
        finally:
            workbook.close()
    return [found[t] for t in TABLE_ORDER if t in found], ignored


def _workbook(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        raise LoadError(f"cannot read the workbook {path}: {exc}", hint="Save it again as .xlsx.") from exc


def _cell(value) -> str | None:
    """An xlsx cell as text: formulas stay as written (``=SUM(A1)``), dates as ISO."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _sheet_records(path: Path, sheet: str) -> Iterator[tuple[int, list[str | None]]]:
    workbook = _workbook(path)
    try:
        for number, values in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if any(c is not None for c in cells):
                yield number, cells
    finally:
        workbook.close()


def _records(path: Path, source: Source):
    """``(header, iterator of (line, values | None, problem))`` of one table."""
    if source.sheet is None:
        table = CsvTable(source.opener)
        records = table.records()
        first = next(records, None)
        return table.header, _chain(first, records), table.raw_header
    rows = _sheet_records(path, source.sheet)
    first = next(rows, None)
    raw = [str(c or "").strip() for c in first[1]] if first else []
    header = [canonical_column(c) for c in raw]
    while header and not header[-1]:
        header.pop()
    return header, ((line, [c or "" for c in values], None) for line, values in rows), raw


def _chain(first, rest):
    if first is not None:
        yield first
    yield from rest


def columns(path: Path, mapping: dict | None = None) -> list[tuple[str, str, list[str]]]:
    """``(table, file label, canonical columns)`` of each table, read from the headers only."""
    result = []
    for source in sources(Path(path))[0]:
        header, records, _ = _records(Path(path), source)
        if hasattr(records, "close"):
            records.close()
        result.append((source.table, source.label, header))
    return result


def read(path: Path, mapping: dict | None = None) -> Iterator[Row | Reject]:
    """Every record of the bundle as a ``Row`` (or a ``Reject`` for a record that has the wrong
    number of fields or undecodable bytes), table by table in load order."""
    path = Path(path)
    for source in sources(path)[0]:
        header, records, raw_header = _records(path, source)
        width = len(header)
        original = {name: (raw_header[i] if i < len(raw_header) and raw_header[i] else name)
                    for i, name in enumerate(header)}
        for line, values, problem in records:
            if values is None:
                yield Reject(source.table, source.label, line, "", problem or "unreadable record", "")
                continue
            if len(values) > width and any(v.strip() for v in values[width:] if v):
                yield Reject(source.table, source.label, line, "",
                             f"ragged row: {len(values)} fields but the header has {width}", raw_text(values))
                continue
            if len(values) < width:
                yield Reject(source.table, source.label, line, "",
                             f"ragged row: {len(values)} fields but the header has {width}", raw_text(values))
                continue
            cells = {}
            for name, value in zip(header, values):
                if name and name not in cells:
                    cells[name] = value if value != "" else None
            yield Row(source.table, source.label, line, cells, {n: original[n] for n in cells})


def _manifest(path: Path) -> dict:
    kind = _kind(path)
    text, name = None, None
    if kind == "folder":
        for candidate in MANIFESTS:
            if (path / candidate).is_file():
                text, name = (path / candidate).read_text(encoding="utf-8-sig"), candidate
                break
    elif kind == "zip":
        members = _zip_members(path)
        for candidate in MANIFESTS:
            if candidate in members:
                with zipfile.ZipFile(path) as archive:
                    text, name = archive.read(members[candidate]).decode("utf-8-sig"), candidate
                break
    elif kind == "xlsx":
        workbook = _workbook(path)
        try:
            sheet = next((s for s in workbook.sheetnames if s.strip().lower() == "report"), None)
            if sheet:
                data = {}
                for values in workbook[sheet].iter_rows(values_only=True):
                    if values and values[0] and len(values) > 1 and values[1] is not None:
                        data[str(values[0]).strip().lower()] = _cell(values[1])
                return data
        finally:
            workbook.close()
    if text is None:
        return {}
    try:
        data = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise LoadError(f"{path.name}/{name} is not valid: {exc}", hint="Fix the manifest or remove it.") from exc
    if not isinstance(data, dict):
        raise LoadError(f"{path.name}/{name} must be a mapping of id, source, title, date")
    return {str(k).lower(): (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def checksum(path: Path) -> str:
    """SHA-256 of the bundle's contents (a folder: its table and manifest files, by name)."""
    path = Path(path)
    if path.is_dir():
        files = [c for c in sorted(path.iterdir()) if c.is_file() and
                 (c.name.lower() in MANIFESTS or (c.name.lower().endswith(".csv") and c.name.lower()[:-4] in TABLE_ORDER))]
    else:
        files = [path]
    return file_digest(files, with_names=True)


def report_meta(path: Path, mapping: dict | None = None) -> dict:
    """``id, source, title, date, checksum`` of the bundle (``id`` only when the manifest has one)."""
    path = Path(path)
    meta = {k: v for k, v in _manifest(path).items() if k in ("id", "source", "title", "date") and v not in (None, "")}
    meta["checksum"] = checksum(path)
    return meta


def detect(path: Path) -> bool:
    """True when ``path`` looks like a canonical bundle."""
    try:
        return bool(sources(Path(path))[0])
    except (LoadError, OSError, zipfile.BadZipFile):
        return False
