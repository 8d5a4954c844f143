"""Accounts a load touched, flagged for mirror detection (``Account.mirror_dirty``).

After a report is loaded, every account it asserted, that one of its sightings is of or mentions,
that uses one of its identifiers or administers or posts in one of its channels, gets
``mirror_dirty = 2`` ("its blocking keys are stale"). ``graphkit.mirrors.keys`` then recomputes
the keys of exactly those accounts (and sets 1: "keyed, not yet examined"), and incremental
detection re-examines the flagged accounts and clears the flag. The work follows the report's own
provenance links, so it grows with the report, not with the graph.
"""
from __future__ import annotations

from graphkit.model.spec import model

STALE = 2      # keys to recompute
KEYED = 1      # keys current, not yet examined by detection


def _statement() -> str:
    m = model()
    acc, rep, sig, ident, chan = (m.node(x).label for x in ("Account", "Report", "Sighting", "Identifier", "Channel"))
    rin, of, mentions, uses = (m.rel(x).type for x in ("REPORTED_IN", "OF", "MENTIONS", "USES"))
    adm, posts = m.rel("ADMINISTERS").type, m.rel("POSTS_IN").type
    return f"""
MATCH (r:{rep} {{rid: $rid}})
CALL (r) {{
  MATCH (r)<-[:{rin}]-(a:{acc}) RETURN a
  UNION
  MATCH (r)<-[:{rin}]-(:{sig})-[:{of}|{mentions}]->(a:{acc}) RETURN a
  UNION
  MATCH (r)<-[:{rin}]-(:{ident})<-[:{uses}]-(a:{acc}) RETURN a
  UNION
  MATCH (r)<-[:{rin}]-(:{chan})<-[:{adm}|{posts}]-(a:{acc}) RETURN a
}}
WITH DISTINCT a WHERE coalesce(a.mirror_dirty, 0) < $stale
CALL (a) {{ SET a.mirror_dirty = $stale }} IN TRANSACTIONS OF 5000 ROWS
RETURN count(a) AS marked
"""


def mark_touched(graph, rid: str) -> int:
    """Flag the accounts report ``rid`` touched (see the module docstring); the number flagged."""
    with graph.session(read=False) as session:
        record = session.run(_statement(), {"rid": rid, "stale": STALE}).single()
    return int(record["marked"]) if record else 0
