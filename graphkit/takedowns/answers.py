"""``update``: read a platform's answers (CSV or XLSX) and record them on the requests.

Columns: ``request_id`` or ``url`` (the target's profile URL: its latest request is meant),
``status`` (removed, rejected, no_response, pending), ``resolved_at`` (needed for removed and
rejected), optional ``note``. Every row is applied or rejected with file, line, column and reason.
When a request is removed, its account (or channel) becomes ``removed`` with ``removed_at`` the
day of the answer. Loading the same answers again changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from graphkit import audit
from graphkit.errors import TakedownError
from graphkit.ingest import dates
from graphkit.ingest import values as nz
from graphkit.ingest.rejects import Reject, RejectsWriter, default_path, raw_text
from graphkit.ingest.statements import N
from graphkit.ingest.text import CsvTable, canonical_column, file_digest, undecodable

STATUSES = ("removed", "rejected", "no_response", "pending")
NEEDS_DATE = ("removed", "rejected")


@dataclass
class UpdateSummary:
    read: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    accounts_removed: int = 0
    report: str = ""
    rejects_path: Path | None = None
    rejects: list = field(default_factory=list)

    def as_row(self) -> dict:
        return {"read": self.read, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "accounts_removed": self.accounts_removed}


def _xlsx_records(path: Path):
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        raise TakedownError(f"cannot read the workbook {path}: {exc}", hint="Save it again as .xlsx or CSV.") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else (v.isoformat() if isinstance(v, datetime) else
                                           str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                     for v in values]
            if any(c.strip() for c in cells):
                yield number, cells, None
    finally:
        book.close()


def read_rows(path: Path):
    """``(header, [(line, {column: value}) | (line, problem)])`` of an answers file."""
    if not path.is_file():
        raise TakedownError(f"no answers file {path}", hint="Give the CSV or XLSX file the platform sent back.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records = _xlsx_records(path)
        first = next(records, None)
        header = [canonical_column(c) for c in first[1]] if first else []
    else:
        table = CsvTable(lambda: open(path, "rb"))
        records = table.records()
        first = next(records, None)
        header = table.header
        records = _chain(first, records)
    missing = [c for c in ("status",) if c not in header]
    if not header or missing or not ({"request_id", "url"} & set(header)):
        raise TakedownError(f"{path.name} is not an answers file: it needs a status column and a request_id "
                            "or url column", hint="Header: request_id,url,status,resolved_at,note")
    out = []
    for line, values, problem in records:
        if values is None:
            out.append((line, problem))
        else:
            out.append((line, dict(zip(header, [v.strip() for v in values]))))
    return header, out


def _chain(first, rest):
    if first is not None:
        yield first
    yield from rest


def _lookup(graph, ids: list[str], keys: list[str]) -> tuple[dict, dict]:
    by_id = {r["tid"]: r for r in graph.read(
        f"UNWIND $ids AS id MATCH (t:{N['TakedownRequest']} {{tid: id}}) "
        "RETURN t.tid AS tid, t.requested_at AS requested_at", {"ids": ids})} if ids else {}
    by_key = {r["key"]: r for r in graph.read(
        f"UNWIND $keys AS key MATCH (t:{N['TakedownRequest']})-[:{N['TARGETS']}]->(a {{key: key}}) "
        "WITH key, t ORDER BY t.requested_at DESC, t.tid DESC "
        "RETURN key, collect(t.tid)[0] AS tid, collect(t.requested_at)[0] AS requested_at",
        {"keys": keys})} if keys else {}
    return by_id, by_key


def _url_key(url: str) -> str:
    parsed = nz.parse_url(url)
    if parsed is None:
        raise ValueError("url is empty")
    platform, value, kind = parsed
    if kind == "invite":
        raise ValueError("an invite link is not an account or channel")
    if kind == "id":
        return nz.account_key(platform, None, value)
    return nz.account_key(platform, nz.handle(value))


class _Bad(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _check(values: dict) -> dict:
    """The row's own checks (no graph): status, resolved_at, note; which reference it uses."""
    status = (values.get("status") or "").lower().replace(" ", "_").replace("-", "_")
    if status not in STATUSES:
        raise _Bad("status", f"status must be one of {', '.join(STATUSES)}, not {values.get('status')!r}")
    resolved = None
    if values.get("resolved_at"):
        try:
            resolved = dates.datetime_utc(values["resolved_at"])
        except ValueError as exc:
            raise _Bad("resolved_at", str(exc)) from None
    if status in NEEDS_DATE and resolved is None:
        raise _Bad("resolved_at", f"resolved_at is needed when the status is {status}")
    if status == "pending":
        resolved = None
    tid = values.get("request_id") or None
    key = None
    if not tid:
        if not values.get("url"):
            raise _Bad("request_id", "request_id or url is needed")
        try:
            key = _url_key(values["url"])
        except ValueError as exc:
            raise _Bad("url", str(exc)) from None
    return {"tid": tid, "key": key, "status": status, "resolved_at": resolved,
            "note": values.get("note") or None}


def _resolve(rows, graph, name: str) -> tuple[list[dict], list[Reject]]:
    checked, rejects = [], []
    for line, values in rows:
        if isinstance(values, str):
            rejects.append(Reject("answers", name, line, "", values))
            continue
        bad = next(((c, r) for c, v in values.items() if (r := undecodable(v))), None)
        if bad:  # the bad-byte rule of every reader (graphkit.ingest.text): rejected, never altered
            rejects.append(Reject("answers", name, line, bad[0], bad[1], raw_text(values)))
            continue
        try:
            checked.append((line, values, _check(values)))
        except _Bad as bad:
            rejects.append(Reject("answers", name, line, bad.column, bad.reason, raw_text(values)))
    by_id, by_key = _lookup(graph, sorted({c["tid"] for _, _, c in checked if c["tid"]}),
                            sorted({c["key"] for _, _, c in checked if c["key"]}))
    good, seen = [], {}
    for line, values, c in checked:
        column = "request_id" if c["tid"] else "url"
        found = by_id.get(c["tid"]) if c["tid"] else by_key.get(c["key"])
        reason = None
        if found is None:
            reason = (f"no takedown request {c['tid']} in the graph" if c["tid"]
                      else f"no takedown request for {values.get('url')} in the graph")
        elif found["tid"] in seen:
            reason = f"request {found['tid']} is already answered on line {seen[found['tid']]}"
        elif c["resolved_at"] and found["requested_at"] and c["resolved_at"] < _when(found["requested_at"]):
            column, reason = "resolved_at", f"resolved_at is before the request was sent ({found['requested_at'][:10]})"
        if reason:
            rejects.append(Reject("answers", name, line, column, reason, raw_text(values)))
            continue
        seen[found["tid"]] = line
        good.append({"tid": found["tid"], "status": c["status"], "note": c["note"],
                     "resolved_at": c["resolved_at"].isoformat() if c["resolved_at"] else None})
    return good, sorted(rejects, key=lambda r: r.line)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _update_cypher() -> str:
    return f"""
MERGE (rep:{N['Report']} {{rid: $rid}})
  ON CREATE SET rep.loaded_at = datetime(), rep.source = 'graphkit takedowns update', rep.title = $title,
                rep.path = $path, rep.checksum = $checksum, rep.format = 'takedown-answers'
WITH rep
UNWIND $rows AS row
MATCH (t:{N['TakedownRequest']} {{tid: row.tid}})
WITH rep, row, t, properties(t) AS before
SET t.status = row.status,
    t.resolved_at = CASE WHEN row.resolved_at IS NULL THEN null ELSE datetime(row.resolved_at) END,
    t.note = coalesce(row.note, t.note)
WITH rep, row, t, before <> properties(t) AS changed, before.status AS was
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET t.answered_at = datetime())
MERGE (t)-[:{N['REPORTED_IN']}]->(rep)
WITH row, t, changed, was
OPTIONAL MATCH (t)-[:{N['TARGETS']}]->(a)
  WHERE row.status = 'removed' AND (a:{N['Account']} OR a:{N['Channel']})
    AND (coalesce(a.status, '') <> 'removed' OR a.removed_at IS NULL)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END |
  SET a.removed_at = CASE WHEN a.status = 'removed' AND a.removed_at IS NOT NULL THEN a.removed_at
                          ELSE datetime(row.resolved_at) END
  SET a.status = 'removed')
RETURN count(CASE WHEN changed THEN 1 END) AS updated, count(a) AS accounts,
       collect(CASE WHEN changed THEN [t.tid, was, row.status] END) AS changes
"""


def update(graph, path, rejects=None) -> UpdateSummary:
    """Apply the answers in ``path``; rejected rows go to ``rejects`` (default: beside the file)."""
    path = Path(path)
    _, rows = read_rows(path)
    good, bad = _resolve(rows, graph, path.name)
    checksum = file_digest([path])
    summary = UpdateSummary(read=len(rows), rejected=len(bad), rejects=bad,
                            report=f"takedown-answers-{checksum[:12]}")
    if good:
        result = graph.write(_update_cypher(), {
            "rid": summary.report, "title": f"Takedown answers from {path.name}", "path": str(path),
            "checksum": checksum, "rows": good})
        summary.updated = result[0]["updated"] if result else 0
        summary.accounts_removed = result[0]["accounts"] if result else 0
        changes = sorted(result[0]["changes"]) if result else []
        audit.record("takedowns.update", summary.report, before={tid: was for tid, was, _ in changes},
                     after={tid: now for tid, _, now in changes},
                     details={"file": path.name, "sha256": checksum, "rows": len(rows), "updated": summary.updated,
                              "accounts_removed": summary.accounts_removed}, graph=graph)
    summary.unchanged = len(good) - summary.updated
    if bad:
        writer = RejectsWriter(Path(rejects) if rejects else default_path(path), always=bool(rejects))
        for reject in bad:
            writer.write(reject)
        summary.rejects_path = writer.close()
    return summary
