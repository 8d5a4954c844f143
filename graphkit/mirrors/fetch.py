"""Reading the accounts for mirror detection: one query for every account's handle, name, bio,
groups, identifiers, channels and first/last posts (``fetch_accounts``), the posts' announcements
(``fetch_posts``), and the pairs an analyst already decided (``fetch_decisions``)."""
from __future__ import annotations

from collections import defaultdict

from graphkit.mirrors import announce, lookalike
from graphkit.mirrors.review import _labels
from graphkit.mirrors.signals import IDENTIFIER_KINDS, AccountView, parse_time, prepare
from graphkit.model.spec import model


def _fetch_query(match: str | None = None) -> str:
    """The account query; ``match`` replaces its first line (e.g. ``UNWIND $keys ...`` for some
    accounts: graphkit.mirrors.keys)."""
    m = model()
    acc, grp, chan, ident, sig = (m.node(x).label for x in ("Account", "Group", "Channel", "Identifier", "Sighting"))
    aff, uses, adm, posts = (m.rel(x).type for x in ("AFFILIATED_WITH", "USES", "ADMINISTERS", "POSTS_IN"))
    of, mentions = m.rel("OF").type, m.rel("MENTIONS").type
    return f"""
{match or f"MATCH (a:{acc})"}
CALL (a) {{ OPTIONAL MATCH (s:{sig})-[:{of}]->(a) RETURN min(s.observed_at) AS p0, max(s.observed_at) AS p1 }}
CALL (a) {{ OPTIONAL MATCH (s:{sig})-[:{mentions}]->(a) RETURN min(s.observed_at) AS m0, max(s.observed_at) AS m1 }}
RETURN a.key AS key, a.platform AS platform, a.handle AS handle, a.display_name AS display_name,
       a.bio AS bio, a.status AS status, a.created_at AS created_at, a.removed_at AS removed_at,
       a.first_seen AS first_seen, a.last_seen AS last_seen,
       COLLECT {{ MATCH (a)-[:{aff}]->(g:{grp}) RETURN g.gid }} AS groups,
       COLLECT {{ MATCH (a)-[:{uses}]->(i:{ident}) WHERE i.kind IN $kinds RETURN i.key }} AS identifiers,
       COLLECT {{ MATCH (a)-[:{adm}]->(c:{chan}) RETURN c.key }} AS admin_channels,
       COLLECT {{ MATCH (a)-[:{posts}]->(c:{chan}) RETURN c.key }} AS post_channels,
       [p0, p1] AS posted, [m0, m1] AS mentioned
ORDER BY key
"""


def _posts_query() -> str:
    m = model()
    acc, sig, of = m.node("Account").label, m.node("Sighting").label, m.rel("OF").type
    return (f"MATCH (s:{sig})-[:{of}]->(a:{acc}) WHERE s.excerpt IS NOT NULL "
            "RETURN a.key AS key, a.platform AS platform, s.observed_at AS at, s.excerpt AS text "
            "ORDER BY key, at, text")


def fetch_posts(graph) -> announce.Announcements:
    """Claims, return announcements and opening posts from every post's text (announce.scan)."""
    rows = graph.read(_posts_query())
    return announce.scan((r["key"], r["platform"], parse_time(r["at"]), r["text"]) for r in rows)


def view_from_row(row: dict) -> AccountView:
    """An AccountView from one row of the account query (or a plain dict with the same keys)."""
    identifiers: dict[str, set] = defaultdict(set)
    for key in row.get("identifiers") or ():
        kind, _, value = key.partition(":")
        identifiers[kind].add(value)
    platform = row.get("platform") or (row["key"].split(":", 1)[0])
    handle = row.get("handle") or row["key"].split(":", 1)[-1]
    posted = row.get("posted") or [None, None]
    mentioned = row.get("mentioned") or [None, None]
    return prepare(AccountView(
        first_post=parse_time(posted[0]), last_post=parse_time(posted[1]), posted=posted[0] is not None,
        mention_first=parse_time(mentioned[0]), mention_last=parse_time(mentioned[1]),
        key=row["key"], platform=platform, handle=handle,
        display_name=row.get("display_name"), bio=row.get("bio"), status=row.get("status"),
        created_at=parse_time(row.get("created_at")), removed_at=parse_time(row.get("removed_at")),
        first_seen=parse_time(row.get("first_seen")), last_seen=parse_time(row.get("last_seen")),
        groups=frozenset(row.get("groups") or ()), identifiers=dict(identifiers),
        admin_channels=frozenset(row.get("admin_channels") or ()),
        post_channels=frozenset(row.get("post_channels") or ()),
    ))


def fetch_accounts(graph) -> tuple[list[AccountView], announce.Announcements]:
    rows = graph.read(_fetch_query(), {"kinds": list(IDENTIFIER_KINDS)})
    accounts = [view_from_row(r) for r in rows if r.get("key")]
    found = fetch_posts(graph)
    attach_posts(accounts, found)
    return accounts, found


def attach_posts(accounts: list[AccountView], found: announce.Announcements) -> None:
    """Each account's return announcement and opening posts (as a name skeleton, for matching
    the predecessor's display name)."""
    for acc in accounts:
        acc.announced = found.returns.get(acc.key)
        text = found.openings.get(acc.key, "")
        if acc.announced:
            text += " " + acc.announced[1]
        acc.opening = lookalike.name_skeleton(text) if text else ""
        first = found.first_posts.get(acc.key)
        words = [w for w in lookalike.text_tokens(first) if not w.isdigit()] if first else []
        acc.first_post_text = " ".join(words) if len(words) >= 5 else ""


def fetch_decisions(graph) -> dict[tuple[str, str], str]:
    """Existing MIRROR_OF links: (successor key, predecessor key) -> status."""
    acc, rel = _labels()
    rows = graph.read(f"MATCH (s:{acc})-[r:{rel}]->(p:{acc}) RETURN s.key AS s, p.key AS p, "
                      "coalesce(r.status, 'candidate') AS status")
    return {(r["s"], r["p"]): r["status"] for r in rows}
