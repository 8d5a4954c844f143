"""Planning a load's inputs before anything is written: the format (mapping), the report id and
checksum, the group and date order, and every table's header checked (``plan``)."""
from __future__ import annotations

import dataclasses
import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from graphkit.errors import GraphkitError, LoadError
from graphkit.ingest.mappings import Mapping, find
from graphkit.ingest.records import TABLE_ORDER, TABLES, Row
from graphkit.ingest.summary import LoadSummary
from graphkit.ingest.text import file_digest
from graphkit.ingest.dates import DATE_ORDERS
from graphkit.ingest.values import group_id, known_groups


def _known_columns(table: str) -> set[str]:
    required, optional = TABLES[table]
    return {c for alternative in required for c in alternative} | set(optional)


def check_columns(table: str, file: str, columns: Iterable[str]) -> list[str]:
    """Raise LoadError when a required column is missing; return the unknown (ignored) columns."""
    if table not in TABLES:
        raise LoadError(f"{file}: unknown table {table!r}", hint="Tables: " + ", ".join(TABLE_ORDER))
    present = set(columns)
    required, _ = TABLES[table]
    if not any(set(alt) <= present for alt in required):
        best = min(required, key=lambda alt: len(set(alt) - present))
        missing = [c for c in best if c not in present]
        others = " or ".join("+".join(alt) for alt in required if alt is not best)
        raise LoadError(
            f"{file}: missing required column {', '.join(repr(c) for c in missing)} ({table} needs "
            + " or ".join(" + ".join(alt) for alt in required) + ")",
            hint=f"Add the column to {file}" + (f" (or give {others})" if others else "") + "; nothing was loaded.")
    return sorted(c for c in present - _known_columns(table) if c)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def _file_checksum(path: Path) -> str:
    if path.is_dir():
        return hashlib.sha256(path.name.encode()).hexdigest()
    return file_digest([path])


@dataclass
class Input:
    path: Path
    mapping: Mapping
    meta: dict
    rid: str
    checked: set = field(default_factory=set)  # (file, table) whose columns were checked
    group: str | None = None  # --group / the mapping's group: for accounts and channels without one
    date_order: str | None = None  # --date-order / the mapping's date_order
    evidence: dict = field(default_factory=dict)  # files, checksums, version_of (ingest.evidence)
    stored: dict | None = None  # the Report already in the graph under this id


def _options(mapping: Mapping, group: str | None, date_order: str | None, warnings: list[str]) -> dict:
    """The input's group and date order: the load's own, else the mapping's ``options``."""
    options = mapping.data.get("options") or {}
    order = date_order or options.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        raise LoadError(f"unknown date order {order!r} (mapping {mapping.name})", hint="Use dmy, mdy or ymd.")
    gid = group_id(str(group or options.get("group") or "")) or None
    if gid and gid not in known_groups():
        warnings.append(f"{gid} is not a group graphkit knows (graphkit/groups.yaml): rows are tied to a group "
                        f"with the id {gid}")
    return {"group": gid, "date_order": order}


def plan(path: Path, fmt: str | None, report_id: str | None, warnings: list[str], group: str | None = None,
          date_order: str | None = None, programs=None) -> Input:
    if not path.exists():
        raise LoadError(f"{path} does not exist", hint="Check the path.")
    mapping = with_programs(find(path, fmt), programs, warnings)
    with reading(path, mapping):
        meta = mapping.meta(path)
        if not meta.get("checksum"):
            meta["checksum"] = _file_checksum(path)
        table_columns = mapping.table_columns(path) or []
    rid = meta.get("id") or report_id
    if meta.get("id") and report_id and report_id != meta["id"]:
        warnings.append(f"{path.name}: the manifest's report id {meta['id']!r} is used, not --report-id {report_id!r}")
    rid = str(rid or f"{_slug(path.stem if path.is_file() else path.name)}-{meta['checksum'][:10]}")
    item = Input(path, mapping, meta, rid, **_options(mapping, group, date_order, warnings))
    for table, file, cols in table_columns:
        if not any(cols):
            warnings.append(f"{file} is empty (no header row): nothing to load from it")
            item.checked.add((file, table))
            continue
        unknown = check_columns(table, file, cols)
        item.checked.add((file, table))
        if unknown:
            warnings.append(f"{file}: ignored unknown column(s) {', '.join(unknown)}")
    return item


def with_programs(mapping: Mapping, programs, warnings: list[str]) -> Mapping:
    """The mapping with its ``programs`` option replaced (``--programs``: a list or a
    comma-separated text; ``all`` keeps every program). Only designation lists have one."""
    if programs is None:
        return mapping
    if isinstance(programs, str):
        programs = [p.strip() for p in programs.split(",") if p.strip()]
    if not programs:
        raise LoadError("--programs is empty", hint="Name programs, e.g. --programs FTO,SDGT (or all).")
    options = mapping.data.get("options") or {}
    if "programs" not in options:
        warnings.append(f"--programs does not apply to the {mapping.name} format (only to designation lists)")
        return mapping
    data = {**mapping.data, "options": {**options, "programs": list(programs)}}
    return dataclasses.replace(mapping, data=data)


@contextmanager
def reading(path: Path, mapping: Mapping):
    """A reader's own failure (corrupt zip, broken XML ...) as a LoadError naming the input."""
    try:
        yield
    except GraphkitError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear message
        raise LoadError(f"cannot read {path} as {mapping.name}: {type(exc).__name__}: {exc}",
                        hint="Check the file (or pick another --input-format). Rows before this point may "
                        "have been loaded; a re-run after fixing it is safe.") from exc


def guarded(items: Iterable, path: Path, mapping: Mapping) -> Iterator:
    iterator = iter(items)
    while True:
        with reading(path, mapping):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item



def check_row_columns(plan: Input, row: Row, summary: LoadSummary) -> None:
    """For readers without a ``columns`` hook: check a table's columns at its first row."""
    if (row.file, row.table) in plan.checked:
        return
    plan.checked.add((row.file, row.table))
    unknown = check_columns(row.table, row.file, row.values.keys())
    if unknown:
        summary.warnings.append(f"{row.file}: ignored unknown column(s) {', '.join(unknown)}")
