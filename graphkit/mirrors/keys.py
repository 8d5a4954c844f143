"""Blocking keys kept on the graph, so that one account's block-mates are an index lookup away.

Each account is KEYED to one ``MirrorKey`` node per blocking key of ``detect.blocking_keys``
(``hb:kashfmedia``, ``b:<bio>``, ``i:phone:+92...``) and per value whose frequency the model weighs
(``f:`` + ``detect.frequency_keys``: a handle base, a name, a bio, an identifier, a link, a
channel). A block's size is its key node's degree, and a value's frequency is its ``f:`` node's
degree, so screening and incremental detection need neither a scan nor the whole graph in
memory. ``load`` flags the accounts it touched (``graphkit.ingest.touched``); ``refresh_stale``
recomputes exactly their keys.
"""
from __future__ import annotations

from graphkit.ingest.touched import KEYED, STALE
from graphkit.mirrors import announce, detect
from graphkit.mirrors.signals import IDENTIFIER_KINDS, AccountView, Frequencies, parse_time
from graphkit.model.spec import model

FREQ = "f:"
CHUNK = 2000
KEEP = -1  # write_keys: leave mirror_dirty as it is


def _names():
    m = model()
    return (m.node("Account").label, m.node("MirrorKey").label, m.rel("KEYED").type,
            m.node("Sighting").label, m.rel("OF").type, m.rel("MENTIONS").type)


def account_keys(acc: AccountView) -> list[str]:
    """Every key ``acc`` is filed under: its blocking keys and its weighed values (``f:``)."""
    return sorted(detect.blocking_keys(acc) | {FREQ + k for k in detect.frequency_keys(acc)})


# ------------------------------------------------------------------ reading accounts by key

def fetch_views(graph, keys: list[str], posts: bool = True) -> tuple[list[AccountView], announce.Announcements]:
    """The AccountViews of the accounts with these keys (as ``detect.fetch_accounts`` reads them),
    and what their own posts announce."""
    acc = _names()[0]
    keys = sorted(set(keys))
    rows = []
    for start in range(0, len(keys), CHUNK):
        rows += graph.read(detect._fetch_query(f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}})"),
                           {"keys": keys[start:start + CHUNK], "kinds": list(IDENTIFIER_KINDS)})
    views = [detect.view_from_row(r) for r in rows if r.get("key")]
    found = scan_posts(graph, [v.key for v in views]) if posts else announce.Announcements()
    detect.attach_posts(views, found)
    return views, found


def _post_rows(graph, keys: list[str], mentioning: bool = False):
    acc, _, _, sig, of, mentions = _names()
    if mentioning:  # posts by anyone that mention these accounts (their claims only)
        cypher = (f"UNWIND $keys AS k MATCH (:{acc} {{key: k}})<-[:{mentions}]-(s:{sig})-[:{of}]->(a:{acc}) "
                  "WHERE s.excerpt IS NOT NULL RETURN DISTINCT a.key AS key, a.platform AS platform, "
                  "s.observed_at AS at, s.excerpt AS text")
    else:
        cypher = (f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}})<-[:{of}]-(s:{sig}) WHERE s.excerpt IS NOT NULL "
                  "RETURN a.key AS key, a.platform AS platform, s.observed_at AS at, s.excerpt AS text")
    for start in range(0, len(keys), CHUNK):
        for r in graph.read(cypher, {"keys": keys[start:start + CHUNK]}):
            yield r["key"], r["platform"], parse_time(r["at"]), r["text"]


def scan_posts(graph, keys: list[str]) -> announce.Announcements:
    """``announce.scan`` over the posts of these accounts."""
    return announce.scan(sorted(_post_rows(graph, keys), key=lambda p: (p[0], str(p[2]), p[3] or "")))


def claims_naming(graph, keys: list[str]) -> dict:
    """Claims (successor, predecessor) -> Claim in anyone's posts that mention these accounts."""
    return announce.scan(_post_rows(graph, keys, mentioning=True)).claims


# ------------------------------------------------------------------ writing keys

def write_keys(graph, views: list[AccountView], flag: int | None = KEYED) -> None:
    """Replace the KEYED links of these accounts with their current keys; set ``mirror_dirty``
    to ``flag`` (None: remove it)."""
    acc, mk, keyed = _names()[:3]
    cypher = f"""
UNWIND $rows AS row
MATCH (a:{acc} {{key: row.key}})
CALL (a, row) {{
  MATCH (a)-[r:{keyed}]->(m:{mk}) WHERE NOT m.key IN row.keys
  DELETE r
}}
CALL (a, row) {{
  UNWIND row.keys AS k
  MERGE (m:{mk} {{key: k}})
  MERGE (a)-[:{keyed}]->(m)
}}
SET a.mirror_dirty = CASE WHEN $flag = -1 THEN a.mirror_dirty ELSE $flag END
"""
    rows = [{"key": v.key, "keys": account_keys(v)} for v in views]
    for start in range(0, len(rows), 500):
        graph.write(cypher, {"rows": rows[start:start + 500], "flag": flag})


def flag_unkeyed(graph) -> None:
    """Flag accounts that have no keys yet (written by something other than ``load``)."""
    acc, _, keyed = _names()[:3]
    with graph.session(read=False) as session:
        session.run(f"MATCH (a:{acc}) WHERE a.mirror_dirty IS NULL AND NOT EXISTS {{ (a)-[:{keyed}]->() }} "
                    "CALL (a) { SET a.mirror_dirty = $stale } IN TRANSACTIONS OF 5000 ROWS",
                    {"stale": STALE}).consume()


def refresh_stale(graph, chunk: int = CHUNK) -> int:
    """Recompute the keys of every account a load flagged (``mirror_dirty = 2``), a chunk at a
    time; the number of accounts keyed."""
    acc = _names()[0]
    done = 0
    while True:
        rows = graph.read(f"MATCH (a:{acc}) WHERE a.mirror_dirty = $stale RETURN a.key AS key LIMIT $n",
                          {"stale": STALE, "n": chunk})
        if not rows:
            return done
        views, _ = fetch_views(graph, [r["key"] for r in rows])
        write_keys(graph, views, KEYED)
        missing = {r["key"] for r in rows} - {v.key for v in views}
        if missing:  # gone meanwhile (or no key): never loop on them
            graph.write(f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}}) SET a.mirror_dirty = $flag",
                        {"keys": sorted(missing), "flag": KEYED})
        done += len(views)


def flagged(graph, after: str = "", chunk: int = CHUNK) -> list[str]:
    """Keys of accounts flagged for detection (either flag), in key order after ``after``."""
    acc = _names()[0]
    rows = graph.read(f"MATCH (a:{acc}) WHERE a.mirror_dirty >= $keyed AND a.key > $after "
                      "RETURN a.key AS key ORDER BY key LIMIT $n", {"keyed": KEYED, "after": after, "n": chunk})
    return [r["key"] for r in rows]


def clear_flags(graph, keys: list[str]) -> None:
    acc = _names()[0]
    for start in range(0, len(keys), 5000):
        graph.write(f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}}) WHERE a.mirror_dirty = $keyed "
                    "REMOVE a.mirror_dirty", {"keys": keys[start:start + 5000], "keyed": KEYED})


# ------------------------------------------------------------------ blocks and frequencies

def blocks_of(graph, keys: list[str], max_size: int) -> dict[str, tuple[int, list[str]]]:
    """For each blocking key with at most ``max_size`` accounts: (size, member account keys)."""
    acc, mk, keyed = _names()[:3]
    keys = sorted({k for k in keys if not k.startswith(FREQ)})
    out = {}
    cypher = (f"UNWIND $keys AS k MATCH (m:{mk} {{key: k}}) WITH m, COUNT {{ (m)<-[:{keyed}]-() }} AS n "
              f"WHERE n <= $max MATCH (m)<-[:{keyed}]-(b:{acc}) RETURN m.key AS key, n, collect(b.key) AS members")
    for start in range(0, len(keys), CHUNK):
        for r in graph.read(cypher, {"keys": keys[start:start + CHUNK], "max": max_size}):
            out[r["key"]] = (r["n"], r["members"])
    return out


def stored_keys(graph, accounts: list[str]) -> dict[str, list[str]]:
    """The blocking keys the graph holds for these accounts."""
    acc, mk, keyed = _names()[:3]
    out = {}
    cypher = (f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}}) "
              f"RETURN a.key AS key, [(a)-[:{keyed}]->(m:{mk}) WHERE NOT m.key STARTS WITH $f | m.key] AS keys")
    for start in range(0, len(accounts), CHUNK):
        for r in graph.read(cypher, {"keys": accounts[start:start + CHUNK], "f": FREQ}):
            out[r["key"]] = r["keys"]
    return out


def counts(graph, keys) -> dict[str, int]:
    """How many accounts are KEYED to each key (absent keys: not listed)."""
    mk, keyed = _names()[1:3]
    keys = sorted(set(keys))
    out = {}
    cypher = f"UNWIND $keys AS k MATCH (m:{mk} {{key: k}}) RETURN m.key AS key, COUNT {{ (m)<-[:{keyed}]-() }} AS n"
    for start in range(0, len(keys), 5000):
        for r in graph.read(cypher, {"keys": keys[start:start + 5000]}):
            out[r["key"]] = r["n"]
    return out


def frequencies(graph, views: list[AccountView], fields: dict, outside=(), claims=None) -> Frequencies:
    """``Frequencies`` for comparing these accounts, from the graph's key counts (what
    ``detect.frequencies`` would count over the whole graph). ``outside``: accounts not (yet) in
    the graph, counted on top."""
    wanted = {k for v in views for k in detect.frequency_keys(v)}
    found = counts(graph, [FREQ + k for k in wanted])
    freq = Frequencies()
    freq.fields = dict(fields)
    freq.claims = dict(claims or {})
    for k in wanted:
        n = found.get(FREQ + k, 0)
        if n:
            freq.counts[k] = n
    for v in outside:
        for k in set(detect.frequency_keys(v)):
            freq.counts[k] = freq.counts.get(k, 0) + 1
    return freq
