"""The load's ``Report`` node: its properties (source, title, date, checksum, evidence), written
just before the first batch and dropped again when a failed load left it empty; the load's audit
entry."""
from __future__ import annotations

from pathlib import Path

from graphkit import audit
from graphkit.errors import LoadError
from graphkit.ingest import evidence
from graphkit.ingest.plan import Input
from graphkit.ingest.statements import DROP_EMPTY_REPORT, REPORT
from graphkit.ingest.summary import COUNTS
from graphkit.ingest.dates import date_only


def report_props(plan: Input) -> dict:
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



class ReportNode:
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


def record_load(graph, plan: Input, before: dict, after: dict, ok: bool) -> None:
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


def remove_stale(path: Path) -> None:
    """A rejects file left by an earlier load of the same input would now be misleading."""
    try:
        if path.is_file():
            path.unlink()
    except OSError:
        pass
