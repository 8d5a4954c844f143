"""A scope as two CSV tables, the shape i2 Analyst's Notebook and Maltego table imports expect.

``FILE`` (the links): one row per link, ``from_kind, from_id, from_label, link, to_kind, to_id,
to_label, first_seen, last_seen, source_report`` (plus ``status`` and ``score`` for mirror links
and decisions); ``FILE`` with ``.entities`` before its suffix: one row per node, ``kind, id, label,
platform, status, followers, group, first_seen, last_seen, source_report``. Ids are graphkit's
(``account:x:handle``), so the two tables join on them. ``source_report`` lists the reports that
assert the row, ``;``-joined. Cells are spreadsheet-safe: text starting with = + - @ gets a
leading ``'`` (docs/exports.md); everything else is written as it is (UTF-8, quoted as needed).
"""
from __future__ import annotations

import csv
import datetime as _dt
from pathlib import Path

from graphkit.exports.scope import Scope
from graphkit.output import safe_csv_cell

LINK_COLUMNS = ["from_kind", "from_id", "from_label", "link", "to_kind", "to_id", "to_label", "first_seen",
                "last_seen", "source_report", "status", "score"]
ENTITY_COLUMNS = ["kind", "id", "label", "platform", "status", "followers", "group", "first_seen", "last_seen",
                  "source_report"]


def entities_path(path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}.entities{path.suffix or '.csv'}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return safe_csv_cell(value)


def _write(path: Path, columns: list[str], rows) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
            n += 1
    return n


def link_rows(scope: Scope):
    for link in scope.links:
        a, b = scope.nodes[link.source], scope.nodes[link.target]
        p = link.props
        yield {"from_kind": a.kind, "from_id": a.id, "from_label": a.label, "link": link.type,
               "to_kind": b.kind, "to_id": b.id, "to_label": b.label,
               "first_seen": p.get("first_seen") or p.get("detected_at"),
               "last_seen": p.get("last_seen") or p.get("decided_at"),
               "source_report": link.reports, "status": p.get("status"), "score": p.get("score")}


def entity_rows(scope: Scope):
    groups: dict[str, list[str]] = {}
    for link in scope.links:
        if link.type == "affiliated_with":
            groups.setdefault(link.source, []).append(scope.nodes[link.target].key)
    for node in scope.nodes.values():
        p = node.props
        yield {"kind": node.kind, "id": node.id, "label": node.label, "platform": p.get("platform"),
               "status": p.get("status"), "followers": p.get("followers", p.get("members")),
               "group": sorted(groups.get(node.id, [])) or None, "first_seen": p.get("first_seen"),
               "last_seen": p.get("last_seen"), "source_report": node.reports}


def write(scope: Scope, path) -> dict:
    """Write the links table to ``path`` and the entities table beside it; counts of rows."""
    links = _write(Path(path), LINK_COLUMNS, link_rows(scope))
    entities = _write(entities_path(path), ENTITY_COLUMNS, entity_rows(scope))
    return {"links": links, "entities": entities}
