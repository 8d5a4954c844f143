"""``graphkit load``: stream report files into the graph, with provenance, rejects and counts.

    from graphkit.load import load
    summary = load(graph, ["reports/2025-07/"])
    summary.as_rows()       # per file and table: read, created, updated, unchanged, rejected

Flow: pick each input's mapping (``loaders/*.yaml``), check every table's header (a missing
required column stops the load before anything is written), then stream the reader's rows
through ``graphkit.prepare`` into batches that ``graphkit.writer``'s statements write; the
``Report`` node is merged just before the first batch (a load that fails before that leaves none).
Rows that cannot be loaded go to the rejects file; read = loaded + rejected.

The pieces: ``plan`` (inputs checked before anything is written), ``pipeline`` (batches and the
writer thread), ``reports`` (the Report node and the audit entry), ``summary`` (the counts).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from graphkit import audit
from graphkit.model import schema
from graphkit.db.graph import Graph
from graphkit.errors import LoadError
from graphkit.ingest import dates
from graphkit.ingest import values as nz
from graphkit.ingest.prepare import PREPARE
from graphkit.ingest.records import Row, Skipped
from graphkit.ingest.rejects import Reject, RejectsWriter, RowRejected, default_path, raw_text
from graphkit.ingest import evidence
from graphkit.ingest.pipeline import Batches, Pipeline, progress_bar
from graphkit.ingest.plan import Input, check_row_columns, guarded, plan as plan_input
from graphkit.ingest.reports import ReportNode, record_load, remove_stale, report_props
from graphkit.ingest.summary import LoadSummary, TableCounts, changed, count_referenced
from graphkit.ingest.text import undecodable
from graphkit.ingest.touched import mark_touched
from graphkit.ingest.statements import batch_statements, wire


AfterBatch = Callable[[int], None]


def load(graph: Graph | None, paths, fmt: str | None = None, report_id: str | None = None, dry_run: bool = False,
         rejects=None, batch_size: int = 1000, progress=None, group: str | None = None,
         date_order: str | None = None, programs=None, region: str | None = None,
         new_version: bool = False, after_batch: AfterBatch | None = None) -> LoadSummary:
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
    ``after_batch``: called on the writer thread after each committed batch with the number of
    batches this input has written so far; an exception it raises fails the load as a write error
    would (crash tests use it to stop a load midway; a caller may use it for progress).
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
    plans = [plan_input(Path(p), fmt, report_id, summary.warnings, group, date_order, programs)
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
                changed_before = changed(summary)
                with dates.date_order(plan.date_order), nz.phone_region(region):
                    _load_one(graph, plan, summary, writer, dry_run, batch_size, progress, after_batch)
                ok = True
                if not dry_run and changed(summary) != changed_before:
                    mark_touched(graph, plan.rid)  # for mirror screening and incremental detection
            finally:
                if not dry_run:
                    _record(graph, plan, before, summary, ok)
                if writer is not shared:
                    _close_rejects(writer, plan, summary)
    finally:
        if shared:
            summary.rejects_paths.append(shared.close())
    summary.rejects_path = summary.rejects_paths[0] if summary.rejects_paths else None
    return summary


def _record(graph, plan: Input, before: dict, summary: LoadSummary, ok: bool) -> None:
    """The input's audit entry; when the load failed, its own error is the one to report."""
    try:
        record_load(graph, plan, before, summary.totals(), ok)
    except Exception:  # noqa: BLE001 - a failed load's own error is the one to report
        if ok:
            raise


def _close_rejects(writer: RejectsWriter, plan: Input, summary: LoadSummary) -> None:
    """Close an input's own rejects file (or remove a stale one when nothing was rejected)."""
    written = writer.close()
    if writer.note:
        summary.warnings.append(writer.note)
    if written:
        summary.rejects_paths.append(written)
    else:
        remove_stale(default_path(plan.path))


def _batch_writer(graph, plan: Input, summary: LoadSummary, report: ReportNode, seen,
                  after_batch: AfterBatch | None):
    """``write(table, batch)``: one batch as one transaction, each row's status counted."""
    cypher = batch_statements()
    written = [0]

    def write(table: str, batch: list) -> None:
        report.ensure()
        rows = [wire(record, i) for i, (record, _) in enumerate(batch)]
        result = graph.write(cypher[table], {"rows": rows, "rid": plan.rid, "seen": seen})[0]
        if len(result["i"]) != len(rows) or len(result["status"]) != len(rows):
            raise LoadError(f"internal error: {table} batch returned {len(result['i'])} statuses for {len(rows)} rows")
        for i, status in zip(result["i"], result["status"]):
            counts = batch[i][1]
            setattr(counts, status, getattr(counts, status) + 1)
        count_referenced(summary, table, batch[0][1].file, result)
        written[0] += 1
        if after_batch:
            after_batch(written[0])

    return write


def _prepared(item, plan: Input, summary: LoadSummary, rejects: RejectsWriter) -> tuple[dict, TableCounts] | None:
    """A reader's item as a normalised record and its counts, or None (skipped or rejected: counted)."""
    if isinstance(item, Skipped):
        summary.skipped[(item.file, item.reason)] = summary.skipped.get((item.file, item.reason), 0) + 1
        return None
    counts = summary._get(item.file, item.table)
    counts.read += 1
    if isinstance(item, Reject):
        counts.rejected += 1
        rejects.write(item)
        return None
    row: Row = item
    check_row_columns(plan, row, summary)
    if plan.group and row.table in ("accounts", "channels") and not row.values.get("group_id") \
            and not row.referred:
        row.values["group_id"] = plan.group
        row.column_of.setdefault("group_id", "--group")
    try:
        _check_decoded(row)
        return PREPARE[row.table](row), counts
    except RowRejected as exc:
        counts.rejected += 1
        rejects.write(Reject(row.table, row.file, row.line, row.column_of.get(exc.column, exc.column),
                             exc.reason, raw_text(row.values)))
        return None


def _check_decoded(row: Row) -> None:
    """RowRejected naming the first value that holds bytes its file's encoding could not decode
    (``graphkit.ingest.text``: such a record is rejected, never loaded altered)."""
    for column, value in row.values.items():
        reason = undecodable(value)
        if reason:
            raise RowRejected(column, reason)


def _load_one(graph, plan: Input, summary: LoadSummary, rejects: RejectsWriter, dry_run: bool,
              batch_size: int, progress, after_batch: AfterBatch | None = None) -> None:
    props = report_props(plan)
    seen = datetime(props["date"].year, props["date"].month, props["date"].day, tzinfo=timezone.utc) \
        if props.get("date") else None
    report = ReportNode(graph, {"rid": plan.rid, "props": props, "path": str(plan.path.resolve()),
                                "by": audit.analyst()})
    summary.reports.append(plan.rid)
    pipeline = None if dry_run else Pipeline(_batch_writer(graph, plan, summary, report, seen, after_batch))
    batches = Batches(pipeline.submit, batch_size) if pipeline else None
    bar = progress_bar(progress, plan.path.name)
    ok = False
    try:
        for item in guarded(plan.mapping.read(plan.path), plan.path, plan.mapping):
            if bar is not None:
                bar.update(1)
            prepared = _prepared(item, plan, summary, rejects)
            if prepared and batches:
                batches.add(item.table, *prepared)
        if batches:
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
