"""``graphkit load``: stream report files into the graph, with provenance, rejects and counts.

    from graphkit.load import load
    summary = load(graph, ["reports/2025-07/"])
    summary.as_rows()       # per file and table: read, created, updated, unchanged, rejected

Flow: pick each input's mapping (``loaders/*.yaml``), check every table's header (a missing
required column stops the load before anything is written), then stream the reader's rows
through ``graphkit.prepare`` into batches that ``graphkit.writer``'s statements write; the
``Report`` node is merged just before the first batch (a load that fails before that leaves none).
Rows that cannot be loaded go to the rejects file; read = loaded + rejected.
"""
from __future__ import annotations

import dataclasses
import hashlib
import queue
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from graphkit import audit
from graphkit.model import schema
from graphkit.db.graph import Graph
from graphkit.errors import GraphkitError, LoadError
from graphkit.ingest.mappings import Mapping, find
from graphkit.ingest import values as nz
from graphkit.ingest.values import DATE_ORDERS, date_only, group_id, known_groups
from graphkit.ingest.prepare import PREPARE
from graphkit.ingest.records import TABLE_ORDER, TABLES, Row, Skipped
from graphkit.ingest.rejects import Reject, RejectsWriter, RowRejected, default_path, raw_text
from graphkit.ingest import evidence
from graphkit.ingest.text import file_digest
from graphkit.ingest.touched import mark_touched
from graphkit.ingest.statements import COUNTED, DROP_EMPTY_REPORT, MAIN_LABEL, REPORT, batch_statements, wire

COUNTS = ("read", "created", "updated", "unchanged", "rejected")
REFERRED = {"Account": "accounts", "Channel": "channels", "Group": "groups"}

# Test hook: called after every written batch with the number of batches so far (crash tests).
_after_batch: Callable[[int], None] | None = None


@dataclass
class TableCounts:
    file: str
    table: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class LoadSummary:
    counts: list[TableCounts] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    rejects_path: Path | None = None
    rejects_paths: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, reason) -> records
    # (file, label) -> nodes that rows only referred to (a mentioned account ...) and the load created
    referenced: dict[tuple[str, str], int] = field(default_factory=dict)
    dry_run: bool = False

    def totals(self) -> dict[str, int]:
        """Sums over the tables; ``created`` includes the nodes rows only referred to."""
        sums = {k: sum(getattr(c, k) for c in self.counts) for k in COUNTS}
        sums["created"] += sum(self.referenced.values())
        return sums

    def as_rows(self, total: bool = True) -> list[dict]:
        """One dict per file and table (and a ``TOTAL`` row): file, table, read, created, ...;
        then per file and kind the nodes created because rows referred to them (``accounts
        (referred to)``: only ``created`` is given), so the created column adds up to what the
        graph gained."""
        rows = [{"file": c.file, "table": c.table, **{k: getattr(c, k) for k in COUNTS}} for c in self.counts]
        rows += [{"file": file, "table": f"{REFERRED[label]} (referred to)",
                  **{k: n if k == "created" else None for k in COUNTS}}
                 for (file, label), n in self.referenced.items() if n]
        if total:
            rows.append({"file": "TOTAL", "table": "", **self.totals()})
        if self.dry_run:
            for row in rows:
                row["created"] = row["updated"] = row["unchanged"] = None
                row["valid"] = row["read"] - row["rejected"]
        return rows

    def _get(self, file: str, table: str) -> TableCounts:
        for counts in self.counts:
            if counts.file == file and counts.table == table:
                return counts
        counts = TableCounts(file, table)
        self.counts.append(counts)
        return counts


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
class _Input:
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


def _plan(path: Path, fmt: str | None, report_id: str | None, warnings: list[str], group: str | None = None,
          date_order: str | None = None, programs=None) -> _Input:
    if not path.exists():
        raise LoadError(f"{path} does not exist", hint="Check the path.")
    mapping = with_programs(find(path, fmt), programs, warnings)
    with _reading(path, mapping):
        meta = mapping.meta(path)
        if not meta.get("checksum"):
            meta["checksum"] = _file_checksum(path)
        table_columns = mapping.table_columns(path) or []
    rid = meta.get("id") or report_id
    if meta.get("id") and report_id and report_id != meta["id"]:
        warnings.append(f"{path.name}: the manifest's report id {meta['id']!r} is used, not --report-id {report_id!r}")
    rid = str(rid or f"{_slug(path.stem if path.is_file() else path.name)}-{meta['checksum'][:10]}")
    item = _Input(path, mapping, meta, rid, **_options(mapping, group, date_order, warnings))
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
def _reading(path: Path, mapping: Mapping):
    """A reader's own failure (corrupt zip, broken XML ...) as a LoadError naming the input."""
    try:
        yield
    except GraphkitError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear message
        raise LoadError(f"cannot read {path} as {mapping.name}: {type(exc).__name__}: {exc}",
                        hint="Check the file (or pick another --input-format). Rows before this point may "
                        "have been loaded; a re-run after fixing it is safe.") from exc


def _guarded(items: Iterable, path: Path, mapping: Mapping) -> Iterator:
    iterator = iter(items)
    while True:
        with _reading(path, mapping):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


class _Batches:
    """Per-table buffers; flushing a table first flushes the tables before it in TABLE_ORDER, so
    rows are written in the order they were read, table order respected. A batch never holds two
    rows with the same key: a repeated key flushes the batch first, so every row is judged
    (created/updated/unchanged) against the graph as the rows before it left it."""

    def __init__(self, write, batch_size: int):
        self.write = write
        self.size = max(1, int(batch_size))
        self.buffers: dict[str, list] = {t: [] for t in TABLE_ORDER}
        self.keys: dict[str, set] = {t: set() for t in TABLE_ORDER}

    def add(self, table: str, record: dict, counts: TableCounts) -> None:
        key = record.get("_key")
        if key is not None:
            if key in self.keys[table]:
                self.flush(table)
            self.keys[table].add(key)
        self.buffers[table].append((record, counts))
        if len(self.buffers[table]) >= self.size:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        upto = TABLE_ORDER if table is None else TABLE_ORDER[: TABLE_ORDER.index(table) + 1]
        for name in upto:
            if self.buffers[name]:
                batch, self.buffers[name] = self.buffers[name], []
                self.keys[name] = set()
                self.write(name, batch)


class _Pipeline:
    """Runs ``write(table, batch)`` on one background thread, strictly in submission order, so
    the server writes batch k while this thread reads and normalises batch k+1. At most ``depth``
    batches wait (memory stays flat). The first error stops the writing (batches queued after it
    are dropped) and is raised in the caller at its next ``submit`` or at ``close``."""

    def __init__(self, write, depth: int = 2):
        self.write = write
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="graphkit-load-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self.write(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self.error = exc

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, _Stopped()
            raise error

    def submit(self, table: str, batch: list) -> None:
        self._raise()
        self.queue.put((table, batch))

    def close(self, ok: bool = True) -> None:
        """Wait for the queued batches (``ok``) or drop them (after an error in the caller)."""
        if not ok and self.error is None:
            self.error = _Stopped()
        self.queue.put(None)
        self.thread.join()
        if ok:
            self._raise()


class _Stopped(Exception):
    """Marks a pipeline whose error was already raised (or whose caller failed)."""


def _progress_bar(enabled, desc: str):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" rows", file=sys.stderr, leave=False)


def load(graph: Graph | None, paths, fmt: str | None = None, report_id: str | None = None, dry_run: bool = False,
         rejects=None, batch_size: int = 1000, progress=None, group: str | None = None,
         date_order: str | None = None, programs=None, region: str | None = None,
         new_version: bool = False) -> LoadSummary:
    """Load report files (bundles or any format in ``loaders/``); see the module docstring.

    ``rejects``: one rejects CSV for all inputs (default: ``<input>.rejects.csv`` beside each).
    ``progress``: True/False for a progress bar; None shows one only when stderr is a terminal.
    ``group``: a group id or name for every account and channel row without a ``group_id``.
    ``date_order``: dmy, mdy or ymd for numeric dates (default: the mapping's; else a date that
    reads both ways is rejected).
    ``region``: the country (ISO 3166 alpha-2) of phone numbers written without a country code
    (default PK).
    ``programs``: the sanctions programs a designation list keeps (default: the mapping's own
    ``programs``, FTO/SDGT for OFAC, Al-Qaida/Taliban for the UN list; ``["all"]`` keeps all).
    ``new_version``: a changed input under an existing report id is loaded as ``ID-v2`` (else refused).
    Each completed (or failed) load is appended to the audit trail (``graphkit.audit``).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise LoadError("nothing to load", hint="Give one or more report folders or files.")
    summary = LoadSummary(dry_run=dry_run)
    try:
        region = nz.region_code(region)  # checked before anything is read
    except ValueError as exc:
        raise LoadError(str(exc), hint="Give --region as a two-letter country code, e.g. --region PK.") from None
    plans = [_plan(Path(p), fmt, report_id, summary.warnings, group, date_order, programs)
             for p in paths]  # all checks first
    if not dry_run:
        if graph is None:
            raise LoadError("a load needs a graph connection (or dry_run=True)")
        schema.init(graph)
        evidence.check_plans(graph, plans, new_version, summary.warnings)
    shared = RejectsWriter(Path(rejects), always=True) if rejects else None
    try:
        for plan in plans:
            writer = shared or RejectsWriter(default_path(plan.path))
            try:
                before, ok = summary.totals(), False
                changed_before = _changed(summary)
                with nz.date_order(plan.date_order), nz.phone_region(region):
                    _load_one(graph, plan, summary, writer, dry_run, batch_size, progress)
                ok = True
                if not dry_run and _changed(summary) != changed_before:
                    mark_touched(graph, plan.rid)  # for mirror screening and incremental detection
            finally:
                try:
                    if not dry_run:
                        _audit(graph, plan, before, summary.totals(), ok)
                except Exception:  # noqa: BLE001 - a failed load's own error is the one to report
                    if ok:
                        raise
                if writer is not shared:
                    written = writer.close()
                    if writer.note:
                        summary.warnings.append(writer.note)
                    if written:
                        summary.rejects_paths.append(written)
                    else:
                        _remove_stale(default_path(plan.path))
    finally:
        if shared:
            summary.rejects_paths.append(shared.close())
    summary.rejects_path = summary.rejects_paths[0] if summary.rejects_paths else None
    return summary


def _audit(graph, plan: _Input, before: dict, after: dict, ok: bool) -> None:
    """The load's audit entry (and, when it completed, the rows on its Report)."""
    counts = {k: after[k] - before[k] for k in COUNTS}
    if ok:
        evidence.finish(graph, plan.rid, counts["read"], counts["rejected"])
    elif not counts["created"] + counts["updated"]:
        return  # failed before writing anything: no change to record
    files = [{"name": n, "sha256": h, "bytes": b} for n, h, b in
             zip(plan.evidence["files"], plan.evidence["file_sha256"], plan.evidence["file_bytes"])]
    stored = plan.stored or {}
    audit.record("load" if ok else "load.failed", plan.rid,
                 before={"checksum": stored.get("checksum"), "loaded_at": stored.get("loaded_at"),
                         "loaded_by": stored.get("loaded_by")} if stored else None,
                 after={"checksum": plan.meta.get("checksum"), **counts},
                 details={"path": str(plan.path.resolve()), "format": plan.mapping.name, "files": files,
                          "version_of": plan.evidence.get("version_of")}, graph=graph)
def _changed(summary: LoadSummary) -> int:
    totals = summary.totals()
    return totals["created"] + totals["updated"]


def _remove_stale(path: Path) -> None:
    """A rejects file left by an earlier load of the same input would now be misleading."""
    try:
        if path.is_file():
            path.unlink()
    except OSError:
        pass


def _report_props(plan: _Input) -> dict:
    meta = plan.meta
    props = {"source": meta.get("source"), "title": meta.get("title"), "checksum": meta.get("checksum"),
             "format": plan.mapping.name}
    if meta.get("date"):
        try:
            props["date"] = date_only(str(meta["date"]))
        except ValueError as exc:
            raise LoadError(f"{plan.path.name}: the report date {meta['date']!r} is not a date",
                            hint="Use ISO 8601, e.g. 2025-07-25.") from exc
    props.update({k: v for k, v in plan.evidence.items() if k != "version_of" or v})
    return {k: v for k, v in props.items() if v is not None}


def _load_one(graph, plan: _Input, summary: LoadSummary, rejects: RejectsWriter, dry_run: bool,
              batch_size: int, progress) -> None:
    from datetime import datetime, timezone

    props = _report_props(plan)
    seen = datetime(props["date"].year, props["date"].month, props["date"].day, tzinfo=timezone.utc) \
        if props.get("date") else None
    report = _ReportNode(graph, {"rid": plan.rid, "props": props, "path": str(plan.path.resolve()),
                                 "by": audit.analyst()})
    summary.reports.append(plan.rid)
    cypher = batch_statements()
    batches_written = [0]

    def write(table: str, batch: list) -> None:
        if dry_run:
            return
        report.ensure()
        rows = [wire(record, i) for i, (record, _) in enumerate(batch)]
        result = graph.write(cypher[table], {"rows": rows, "rid": plan.rid, "seen": seen})[0]
        if len(result["i"]) != len(rows) or len(result["status"]) != len(rows):
            raise LoadError(f"internal error: {table} batch returned {len(result['i'])} statuses for {len(rows)} rows")
        for i, status in zip(result["i"], result["status"]):
            counts = batch[i][1]
            setattr(counts, status, getattr(counts, status) + 1)
        _count_referenced(summary, table, batch[0][1].file, result)
        batches_written[0] += 1
        if _after_batch:
            _after_batch(batches_written[0])

    pipeline = None if dry_run else _Pipeline(write)
    batches = _Batches(pipeline.submit if pipeline else write, batch_size)
    bar = _progress_bar(progress, plan.path.name)
    ok = False
    try:
        for item in _guarded(plan.mapping.read(plan.path), plan.path, plan.mapping):
            if bar is not None:
                bar.update(1)
            if isinstance(item, Skipped):
                summary.skipped[(item.file, item.reason)] = summary.skipped.get((item.file, item.reason), 0) + 1
                continue
            counts = summary._get(item.file, item.table)
            counts.read += 1
            if isinstance(item, Reject):
                counts.rejected += 1
                rejects.write(item)
                continue
            _check_row_columns(plan, item, summary)
            if plan.group and item.table in ("accounts", "channels") and not item.values.get("group_id") \
                    and not item.referred:
                item.values["group_id"] = plan.group
                item.column_of.setdefault("group_id", "--group")
            try:
                record = PREPARE[item.table](item)
            except RowRejected as exc:
                counts.rejected += 1
                rejects.write(Reject(item.table, item.file, item.line, item.column_of.get(exc.column, exc.column),
                                     exc.reason, raw_text(item.values)))
                continue
            if dry_run:
                continue
            batches.add(item.table, record, counts)
        batches.flush()
        ok = True
    finally:
        try:
            if pipeline:
                pipeline.close(ok)
        except BaseException:
            ok = False
            raise
        finally:
            if bar is not None:
                bar.close()
            if not dry_run and ok:
                report.ensure()
            elif not dry_run:
                report.drop_if_empty()


def _count_referenced(summary: LoadSummary, table: str, file: str, result: dict) -> None:
    """The nodes a batch added beyond its rows' own created nodes (mentions, admins, groups ...)."""
    own = sum(1 for status in result["status"] if status == "created")
    for label, gained in zip(COUNTED, result["gained"]):
        extra = gained - (own if MAIN_LABEL.get(table) == label else 0)
        if extra > 0:
            summary.referenced[(file, label)] = summary.referenced.get((file, label), 0) + extra


class _ReportNode:
    """The load's ``Report`` node, written just before the first batch (a load that fails before
    writing a row leaves no report behind) or at the end of a load without rows. When the load
    fails, a Report this load created and that nothing refers to is deleted again."""

    def __init__(self, graph, params: dict):
        self.graph, self.params, self.written, self.created = graph, params, False, False

    def ensure(self) -> None:
        if not self.written:
            self.created = bool(self.graph.write(REPORT, self.params)[0]["created"])
            self.written = True

    def drop_if_empty(self) -> None:
        if self.created:
            try:
                self.graph.write(DROP_EMPTY_REPORT, {"rid": self.params["rid"]})
            except Exception:  # noqa: BLE001 - the load's own error is the one to report
                pass


def _check_row_columns(plan: _Input, row: Row, summary: LoadSummary) -> None:
    """For readers without a ``columns`` hook: check a table's columns at its first row."""
    if (row.file, row.table) in plan.checked:
        return
    plan.checked.add((row.file, row.table))
    unknown = check_columns(row.table, row.file, row.values.keys())
    if unknown:
        summary.warnings.append(f"{row.file}: ignored unknown column(s) {', '.join(unknown)}")
