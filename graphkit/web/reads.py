"""The few read-only questions the workbench asks that no canned query answers (the reports loaded,
recent decisions, an account's sightings by month, a group's designations, account search).
Labels and types come from the model; values are always ``$parameters``."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from graphkit.model.spec import model

# a page's independent reads go to the server side by side (the driver is thread-safe; each read
# has its own session): a page waits for its slowest read, not for their sum
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gk-web-read")


def together(*calls):
    """Run ``(fn, *args)`` calls concurrently; their results in order (the first error raised).
    The calls must not use the pool themselves (a full pool would wait on itself)."""
    futures = [_POOL.submit(fn, *args) for fn, *args in calls]
    return [f.result() for f in futures]


def _n(name: str) -> str:
    return model().node(name).label


def _r(name: str) -> str:
    return model().rel(name).type


def reports(graph, limit: int = 50) -> list[dict]:
    """The reports loaded, newest first: source, date, rows (facts reported in it), checksum."""
    return graph.read(f"""
MATCH (r:{_n('Report')})
RETURN r.rid AS report, r.title AS title, r.source AS source, toString(r.date) AS date,
       COUNT {{ (r)<-[:{_r('REPORTED_IN')}]-() }} AS rows, r.checksum AS checksum,
       toString(r.loaded_at) AS loaded_at
ORDER BY r.loaded_at DESC, r.rid LIMIT $limit""", {"limit": limit})


def stats(graph) -> list[dict]:
    """``graphkit stats`` (``schema.stats``) in one round trip: the count of each kind, in the
    model's order, each read from the server's count store (no node is visited)."""
    kinds = model().stats
    counts = [f"COUNT {{ (:{_n(spec['node'])}) }}" if "node" in spec else f"COUNT {{ ()-[:{_r(spec['relationship'])}]->() }}"
              for spec in kinds.values()]
    row = graph.read("RETURN [" + ", ".join(counts) + "] AS counts")[0]
    return [{"kind": kind, "count": n} for kind, n in zip(kinds, row["counts"])]


def recent_decisions(graph, limit: int = 10) -> list[dict]:
    """The latest mirror decisions (who, when, what): a decided link is confirmed or rejected,
    so the links come from the index on the status, not from every link."""
    return graph.read(f"""
MATCH (s)-[m:{_r('MIRROR_OF')}]->(p) WHERE m.status IN ['confirmed', 'rejected'] AND m.decided_at IS NOT NULL
RETURN coalesce(s.platform + ':' + s.handle, s.key) AS successor,
       coalesce(p.platform + ':' + p.handle, p.key) AS predecessor,
       m.status AS status, m.note AS note, m.decided_by AS analyst, toString(m.decided_at) AS decided_at
ORDER BY m.decided_at DESC LIMIT $limit""", {"limit": limit})


def sightings(graph, key: str, limit: int = 200) -> dict:
    """An account's sightings: per month (for the chart) and the latest ``limit`` of them (the
    account found by its key through the index)."""
    monthly = f"""
MATCH (a:{_n('Account')} {{key: $key}})<-[:{_r('OF')}]-(s:{_n('Sighting')}) WHERE s.observed_at IS NOT NULL
WITH substring(toString(s.observed_at), 0, 7) AS month, count(*) AS n
RETURN month, n ORDER BY month"""
    latest = f"""
MATCH (a:{_n('Account')} {{key: $key}})<-[:{_r('OF')}]-(s:{_n('Sighting')})
OPTIONAL MATCH (s)-[:{_r('IN')}]->(c)
RETURN toString(s.observed_at) AS observed_at, s.url AS url, s.excerpt AS excerpt,
       s.language AS language, coalesce(c.platform + ':' + c.name, c.key) AS channel
ORDER BY s.observed_at DESC LIMIT $limit"""
    # in turn, not together: a review page already reads its two accounts side by side in the pool
    monthly, latest = graph.read(monthly, {"key": key}), graph.read(latest, {"key": key, "limit": limit})
    return {"monthly": monthly, "latest": latest}


def group(graph, gid: str) -> dict | None:
    rows = graph.read(f"""
MATCH (g:{_n('Group')} {{gid: $gid}})
OPTIONAL MATCH (g)-[d:{_r('DESIGNATED_BY')}]->(au)
WITH g, d, au ORDER BY au.code
RETURN g.gid AS gid, g.name AS name, g.aliases AS aliases, g.country AS country,
       g.description AS description,
       [x IN collect(CASE WHEN au IS NULL THEN NULL ELSE {{authority: au.code, program: d.program,
        reference: d.reference, listed_on: toString(d.listed_on)}} END) WHERE x IS NOT NULL] AS designations
""", {"gid": gid})
    return rows[0] if rows else None


def groups(graph) -> list[dict]:
    return graph.read(f"""
MATCH (g:{_n('Group')})
RETURN g.gid AS gid, g.name AS name, COUNT {{ (g)<-[:{_r('AFFILIATED_WITH')}]-() }} AS members
ORDER BY members DESC, gid LIMIT 200""")


def find_accounts(graph, text: str, limit: int = 25) -> list[dict]:
    """Accounts whose normalised handle starts with ``text`` (an index seek), best followed first."""
    text = (text or "").strip().lstrip("@").lower()
    platform, sep, handle = text.partition(":")
    if not sep:
        platform, handle = None, text
    if not handle:
        return []
    return graph.read(f"""
MATCH (a:{_n('Account')}) WHERE a.handle_norm STARTS WITH $handle AND ($platform IS NULL OR a.platform = $platform)
RETURN a.platform + ':' + a.handle AS account, a.display_name AS display_name, a.status AS status,
       a.followers AS followers
ORDER BY a.followers DESC LIMIT $limit""", {"handle": handle, "platform": platform, "limit": limit})
