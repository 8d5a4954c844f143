"""The analyst's review of shared-operator clusters: confirm a cluster, split off a member, merge
two clusters, each with a note. Decisions are ``SAME_OPERATOR`` links between two members
(``status`` 'confirmed': one operator; 'rejected': kept apart; ``action``, ``note``,
``decided_at``), so they survive re-numbering of clusters, new evidence and re-loads; the
``shared-operators`` query reads them and the clustering always respects them (confirmed pairs
are put together first, rejected pairs are never put together).

* confirm: every member of the cluster is confirmed with its first member (a star of links);
* split: the member is rejected with every other member of its current cluster;
* merge: one member of each cluster is confirmed with the other.
"""
from __future__ import annotations

import json

from graphkit import audit
from graphkit.errors import OperatorError
from graphkit.ingest import values as normalize
from graphkit.model.spec import model

_HINT = "Write members as PLATFORM:HANDLE (accounts) or PLATFORM:NAME (channels), as the clusters show them."


def _labels() -> tuple[str, str, str]:
    m = model()
    return m.node("Account").label, m.node("Channel").label, m.rel("SAME_OPERATOR").type


def resolve(graph, text: str) -> dict:
    """The account (or channel) named ``PLATFORM:HANDLE``: ``{key, name}``; OperatorError if absent."""
    platform, sep, handle = str(text or "").strip().partition(":")
    if not sep or not handle.strip():
        raise OperatorError(f"{text!r} is not a member reference", hint=_HINT)
    try:
        platform = normalize.platform(platform)
    except ValueError as exc:
        raise OperatorError(str(exc), hint=_HINT) from None
    handle_norm = normalize.handle(handle) or handle.strip().lower()
    acc, chan, _ = _labels()
    rows = graph.read(
        f"CALL () {{ MATCH (a:{acc} {{key: $key}}) RETURN a.key AS key, a.platform + ':' + a.handle AS name "
        f"UNION MATCH (c:{chan} {{key: $key}}) RETURN c.key AS key, c.key AS name }} "
        "RETURN key, name LIMIT 1", {"key": f"{platform}:{handle_norm}"})
    if not rows:
        raise OperatorError(f"no account or channel {text} in the graph",
                            hint="Check the spelling in `graphkit operators clusters`, or load it first.")
    return rows[0]


def cluster_of(clusters: list[dict], member: dict) -> dict:
    """The cluster (a ``shared-operators`` row) holding ``member`` (a ``resolve`` result)."""
    for row in clusters or ():
        if member["name"] in row["accounts"] or member["name"] in row["channels"]:
            return row
    raise OperatorError(f"{member['name']} is in no shared-operator cluster",
                        hint="See `graphkit operators clusters`; a member alone has nothing to split or confirm.")


def _write(graph, pairs: list[tuple[str, str]], status: str, action: str, note: str | None) -> int:
    """Write the decision on every pair (each link keeps its ``history``) and append one audit entry."""
    acc, chan, rel = _labels()
    who, at = audit.analyst(), audit.now()
    entry = json.dumps({"at": at, "status": status, "action": action, "analyst": who, "note": note},
                       ensure_ascii=False)
    rows = graph.write(f"""
UNWIND $pairs AS pair
CALL (pair) {{ MATCH (a:{acc} {{key: pair[0]}}) RETURN a UNION MATCH (a:{chan} {{key: pair[0]}}) RETURN a }}
CALL (pair) {{ MATCH (b:{acc} {{key: pair[1]}}) RETURN b UNION MATCH (b:{chan} {{key: pair[1]}}) RETURN b }}
OPTIONAL MATCH (b)-[old:{rel}]->(a)
WITH a, b, pair, old, old.history AS old_history, old.status AS old_status
DELETE old
MERGE (a)-[d:{rel}]->(b)
SET d.decided_at = datetime($at)
WITH a, b, pair, d, old_history, old_status
WITH pair, d, coalesce(d.status, old_status) AS was, coalesce(d.history, old_history, []) AS kept
SET d.status = $status, d.action = $action, d.note = $note, d.decided_by = $who, d.history = kept + [$entry]
RETURN pair, was""", {"pairs": [list(p) for p in pairs], "status": status, "action": action,
                       "note": note, "at": at, "who": who, "entry": entry})
    audit.record(f"operators.{action}", "; ".join(f"{a} SAME_OPERATOR {b}" for a, b in pairs), note=note,
                 before=[{"pair": r["pair"], "status": r["was"]} for r in rows],
                 after={"status": status, "pairs": len(rows)}, graph=graph, who=who, at=at)
    return len(rows)


def _keys(graph, names: list[str]) -> list[str]:
    return [resolve(graph, name)["key"] for name in names]


def confirm(graph, member: str, others: list[str] | None = None, note: str | None = None,
        clusters: list[dict] | None = None) -> dict:
    """Confirm ``member`` and ``others`` as one operator (no others: ``member``'s cluster among
    ``clusters``, the rows of ``shared-operators``)."""
    first, written = _decide(graph, member, others, clusters, "confirmed", "confirm", note)
    return {"member": first["name"], "confirmed": written, "note": note}


def split(graph, member: str, others: list[str] | None = None, note: str | None = None,
        clusters: list[dict] | None = None) -> dict:
    """Keep ``member`` apart from ``others`` (no others: the rest of its cluster among ``clusters``)."""
    first, written = _decide(graph, member, others, clusters, "rejected", "split", note)
    return {"member": first["name"], "kept_apart_from": written, "note": note}


def _decide(graph, member: str, others, clusters, status: str, action: str, note):
    """``member`` resolved, and the decision written between it and ``others`` (no others: the
    rest of its cluster among ``clusters``)."""
    first = resolve(graph, member)
    if others:
        keys = _keys(graph, others)
    else:
        row = cluster_of(clusters, first)
        keys = _keys(graph, [n for n in row["accounts"] + row["channels"] if n != first["name"]])
    return first, _write(graph, [(first["key"], k) for k in keys if k != first["key"]], status, action, note)


def merge(graph, member: str, other: str, note: str | None = None) -> dict:
    """Merge the clusters of ``member`` and ``other`` (one confirmed link between them)."""
    a, b = resolve(graph, member), resolve(graph, other)
    if a["key"] == b["key"]:
        raise OperatorError("a member cannot be merged with itself", hint="Name one member of each cluster.")
    _write(graph, [(a["key"], b["key"])], "confirmed", "merge", note)
    return {"member": a["name"], "other": b["name"], "note": note}


def decisions(graph) -> list[dict]:
    acc, chan, rel = _labels()
    return graph.read(
        f"MATCH (a)-[d:{rel}]->(b) RETURN a.key AS a, b.key AS b, d.status AS status, d.action AS action, "
        "d.note AS note ORDER BY a, b")
