"""The analyst's review loop: candidate links written to the graph, decisions recorded.

``write_candidates`` stores detector candidates as ``(successor)-[:MIRROR_OF {status:
'candidate'}]->(predecessor)`` without touching a link an analyst decided; ``decide`` records
``confirmed``/``rejected``. Decided pairs (either direction) are never proposed again, and feed
the model's next run (``graphkit.mirrors.detect``).
"""
from __future__ import annotations

import json

from graphkit import audit
from graphkit.errors import GraphkitError
from graphkit.ingest.account_ref import AccountRef, account_ref
from graphkit.model.spec import model


BATCH = 2000  # candidate links per write transaction


class MirrorError(GraphkitError):
    """Bad input to the mirror commands (unknown account, bad score ...)."""


def _labels():
    m = model()
    return m.node("Account").label, m.rel("MIRROR_OF").type


def write_candidates(graph, candidates: list, batch_size: int = BATCH, after_batch=None) -> dict:
    """MERGE candidate links; a link an analyst confirmed or rejected keeps its decision and
    its score/evidence. A stale detector candidate in the opposite direction is removed.
    ``batch_size`` links per transaction; ``after_batch(n)`` is called after each committed one
    with the number written so far (crash tests stop the writing with it)."""
    acc, rel = _labels()
    rows = [{"s": c.successor_key, "p": c.predecessor_key, "score": float(c.score), "evidence": c.evidence}
            for c in candidates]
    cypher = f"""
UNWIND $rows AS row
MATCH (s:{acc} {{key: row.s}})
MATCH (p:{acc} {{key: row.p}})
OPTIONAL MATCH (p)-[old:{rel}]->(s)
  WHERE coalesce(old.status, 'candidate') = 'candidate' AND old.method = 'detector'
DELETE old
MERGE (s)-[r:{rel}]->(p)
WITH r, row, coalesce(r.status, 'candidate') = 'candidate' AS open
FOREACH (_ IN CASE WHEN open THEN [1] ELSE [] END |
  SET r.score = row.score, r.method = 'detector', r.evidence = row.evidence,
      r.status = 'candidate', r.detected_at = datetime())
RETURN sum(CASE WHEN open THEN 1 ELSE 0 END) AS written, sum(CASE WHEN open THEN 0 ELSE 1 END) AS kept
"""
    written = kept = 0
    for start in range(0, len(rows), batch_size):
        result = graph.write(cypher, {"rows": rows[start:start + batch_size]})
        if result:
            written += result[0]["written"] or 0
            kept += result[0]["kept"] or 0
        if after_batch:
            after_batch(start // batch_size + 1)
    return {"written": written, "decisions_kept": kept}


def parse_account(text: str) -> AccountRef:
    """``PLATFORM:HANDLE`` (``PLATFORM:id:N`` or a profile URL too) -> AccountRef; MirrorError when malformed."""
    try:
        return account_ref(text)
    except ValueError as exc:
        raise MirrorError(f"{(text or '').strip()!r} is not an account in the form PLATFORM:HANDLE ({exc})",
                          hint="For example x:GunsandCoffee70 or telegram:some_channel.") from None


def resolve_account(graph, text: str) -> dict:
    """The Account node named by ``PLATFORM:HANDLE`` (key, platform, handle); MirrorError if absent."""
    ref = parse_account(text)
    acc, _ = _labels()
    rows = graph.read(
        f"MATCH (a:{acc}) WHERE a.key = $key OR (a.platform = $platform AND a.handle_norm = $handle) "
        "RETURN a.key AS key, a.platform AS platform, a.handle AS handle LIMIT 1",
        {"key": ref.key, "platform": ref.platform, "handle": ref.handle_norm},
    )
    if not rows:
        raise MirrorError(f"no account {text} in the graph",
                          hint="Check the spelling with `graphkit query account-profile`, or load it first.")
    return rows[0]


def decide(graph, successor: str, predecessor: str, status: str, note: str | None = None,
           analyst: str | None = None) -> dict:
    """Record an analyst's decision on ``successor`` MIRROR_OF ``predecessor`` (creating the link
    if the detector never proposed it), with who decided (``analyst``, kept as ``decided_by``) and
    when. A detector candidate in the opposite direction is removed."""
    if status not in ("confirmed", "rejected"):
        raise MirrorError(f"unknown decision {status!r}", hint="Use confirmed or rejected.")
    s = resolve_account(graph, successor)
    p = resolve_account(graph, predecessor)
    if s["key"] == p["key"]:
        raise MirrorError("an account cannot be a mirror of itself", hint="Give two different accounts.")
    acc, rel = _labels()
    who, at = analyst or audit.analyst(), audit.now()
    entry = json.dumps({"at": at, "status": status, "analyst": who, "note": note}, ensure_ascii=False)
    # The first SET locks the link; what it held is read after the lock, so two analysts deciding
    # the same pair at once are both kept in ``history`` (no lost update).
    rows = graph.write(f"""
MATCH (s:{acc} {{key: $s}}), (p:{acc} {{key: $p}})
OPTIONAL MATCH (p)-[old:{rel}]->(s) WHERE coalesce(old.status, 'candidate') = 'candidate'
DELETE old
MERGE (s)-[r:{rel}]->(p)
ON CREATE SET r.method = 'analyst'
SET r.decided_at = datetime($at)
SET s.mirror_dirty = coalesce(s.mirror_dirty, 1), p.mirror_dirty = coalesce(p.mirror_dirty, 1)
WITH r
WITH r, r.status AS was, r.note AS was_note, r.decided_by AS was_by
SET r.status = $status, r.note = $note, r.decided_by = $who, r.history = coalesce(r.history, []) + [$entry]
RETURN r.score AS score, r.method AS method, was, was_note, was_by
""", {"s": s["key"], "p": p["key"], "status": status, "note": note, "at": at, "who": who, "entry": entry})
    row = rows[0] if rows else {}
    done = {"successor": f"{s['platform']}:{s['handle']}", "predecessor": f"{p['platform']}:{p['handle']}",
            "status": status, "note": note, "score": row.get("score"), "method": row.get("method"),
            "analyst": who}
    audit.record(f"mirror.{'confirm' if status == 'confirmed' else 'reject'}",
                 f"{done['successor']} MIRROR_OF {done['predecessor']}", note=note,
                 before={"status": row.get("was"), "note": row.get("was_note"), "analyst": row.get("was_by")},
                 after={"status": status, "note": note}, details={"score": row.get("score")}, graph=graph, who=who, at=at)
    return done
