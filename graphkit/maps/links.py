"""Links a map draws that are not one relationship of the graph: mentions and retweets between
accounts, and the links the rows of a query name.

Mentions and retweets. A loaded post is a Sighting ``OF`` its author that ``MENTIONS`` every
account its text names (a retweet ``RT @handle:`` included; docs/model.md). Between two accounts
on a map the sightings of either that mention the other become ONE edge: its width grows with the
number of such posts, its arrows point from author to mentioned (both ends when both mention the
other), and its tooltip gives the count each way and how many were retweets (posts starting with
``RT @handle``). Hubs are mentioned by thousands, so the links are capped: expanding from an
account follows only its ``per_node`` heaviest partners (posts either way), each node on the map
keeps its ``per_node`` heaviest links, and the map keeps at most ``overall`` of them (heaviest
first). ``sub.mentions`` says how many were left out.

Query rows. A query map's seeds are the accounts and channels its rows name; the groups,
identifiers (``phone:+92...``), operators (``operator:OID``) and co-administered channels
(``co-admins of telegram:name``) they name are drawn but not expanded from. The edges between
two nodes of the same row are the query's own links (a mirror candidate's arrow, the shared
identifier that ties a cluster): drawn on top, highlighted, with the row in their tooltip. A row
that names two accounts or channels the graph does not link gets a link of its own.
"""
from __future__ import annotations

import re

from graphkit.maps import data as map_data
from graphkit.ingest.account_ref import looks_like_account
from graphkit.maps.data import MapEdge, Subgraph
from graphkit.model.spec import model

#: the map edge kinds made here
MENTION = "MENTIONS"
QUERY_LINK = "QUERY_ROW"
#: heaviest mention/retweet partners followed and kept per node, by default
DEFAULT_PER_NODE = 10
#: longest query value shown in a link's tooltip
ROW_TEXT = 160

_CO_ADMINS = re.compile(r"^co-admins of (.+)$")
_OPERATOR = re.compile(r"^operator:(.+)$")
_KEYLIKE = re.compile(r"^[a-z_]+:\S")


def _sighting() -> str:
    return model().node("Sighting").label


def _of() -> str:
    return model().rel("OF").type


def _mentions() -> str:
    return model().rel("MENTIONS").type


# -- mentions and retweets -----------------------------------------------------------------------

def partners(graph, ids: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Per node of ``ids``: every other account it mentions or is mentioned by, with the number
    of posts either way, heaviest first (ties by elementId)."""
    if not ids:
        return {}
    rows = graph.read(
        f"UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id "
        f"CALL (n) {{ "
        f"  MATCH (n)<-[:{_of()}]-(s:{_sighting()})-[:{_mentions()}]->(m:{model().node('Account').label}) "
        f"  WHERE m <> n RETURN elementId(m) AS other, count(s) AS posts "
        f"  UNION ALL "
        f"  MATCH (n)<-[:{_mentions()}]-(s:{_sighting()})-[:{_of()}]->(m) "
        f"  WHERE m <> n RETURN elementId(m) AS other, count(s) AS posts "
        f"}} "
        f"WITH id, other, sum(posts) AS posts ORDER BY posts DESC, other "
        f"RETURN id, collect([other, posts]) AS partners",
        {"ids": list(ids)},
    )
    return {r["id"]: [(o, int(c)) for o, c in r["partners"]] for r in rows}


class Expander:
    """``extra`` for ``map_data.expand``: the ``per_node`` heaviest mention partners of a frontier,
    remembering every partner of every node expanded (to count what was left out)."""

    def __init__(self, graph, per_node: int):
        self.graph, self.per_node = graph, per_node
        self.known: set[frozenset] = set()

    def __call__(self, frontier: list[str]) -> list[str]:
        chosen: list[str] = []
        for node_id, found in partners(self.graph, frontier).items():
            self.known.update(frozenset((node_id, other)) for other, _ in found)
            chosen.extend(other for other, _ in found[:self.per_node])
        return chosen


def _pair_rows(graph, ids: list[str]) -> list[dict]:
    """Author -> mentioned account, posts and retweets, for the authors in ``ids``."""
    return graph.read(
        f"UNWIND $ids AS id MATCH (a) WHERE elementId(a) = id "
        f"MATCH (a)<-[:{_of()}]-(s:{_sighting()})-[:{_mentions()}]->(b:{model().node('Account').label}) "
        f"WHERE b <> a "
        f"WITH a, b, s, toLower(ltrim(coalesce(s.excerpt, ''))) AS text, "
        f"     'rt @' + toLower(coalesce(b.handle, '')) AS prefix "
        f"WITH a, b, s, text STARTS WITH prefix "
        f"     AND NOT substring(text, size(prefix), 1) =~ '[a-z0-9_]' AS retweet "
        f"RETURN elementId(a) AS src, elementId(b) AS dst, count(s) AS posts, "
        f"       count(CASE WHEN retweet THEN 1 END) AS retweets",
        {"ids": ids},
    )


def add_mentions(graph, sub: Subgraph, per_node: int, known: set[frozenset] = frozenset()) -> None:
    """Add the mention/retweet edges between the nodes of ``sub``: one per pair of accounts, the
    ``per_node`` heaviest of each node (an edge stays when it is among the heaviest of either
    end). ``known`` are the pairs seen while expanding, for the count of links left out."""
    pairs: dict[tuple[str, str], dict] = {}
    for row in _pair_rows(graph, list(sub.nodes)):
        if row["dst"] not in sub.nodes:
            continue
        a, b = sorted((row["src"], row["dst"]))
        edge = pairs.setdefault((a, b), {"a_to_b": 0, "a_to_b_retweets": 0,
                                          "b_to_a": 0, "b_to_a_retweets": 0})
        way = "a_to_b" if row["src"] == a else "b_to_a"
        edge[way] += int(row["posts"])
        edge[way + "_retweets"] += int(row["retweets"])
    ranked = sorted(pairs, key=lambda k: (-_weight(pairs[k]), k))
    kept_per: dict[str, int] = {}
    for a, b in ranked:  # heaviest first: an edge is kept while either end has room
        if kept_per.get(a, 0) < per_node or kept_per.get(b, 0) < per_node:
            kept_per[a] = kept_per.get(a, 0) + 1
            kept_per[b] = kept_per.get(b, 0) + 1
            sub.edges.append(MapEdge(a, b, MENTION, {**pairs[(a, b)], "posts": _weight(pairs[(a, b)])}))
    sub.mentions = {"per_node": per_node, "known": set(known) | {frozenset(k) for k in pairs},
                    "overall": None, "left_out": 0}
    map_data._count_degrees(sub)


def _weight(props: dict) -> int:
    return int(props.get("a_to_b", 0)) + int(props.get("b_to_a", 0))


def cap_mentions(sub: Subgraph, overall: int) -> None:
    """Keep at most ``overall`` mention edges (the heaviest); count every known link not drawn."""
    if not sub.mentions:
        return
    mention = [e for e in sub.edges if e.type == MENTION]
    if len(mention) > overall:
        mention.sort(key=lambda e: (-e.props["posts"], e.source, e.target))
        drop = {id(e) for e in mention[overall:]}
        sub.edges = [e for e in sub.edges if id(e) not in drop]
        sub.mentions["overall"] = overall
        map_data._count_degrees(sub)
    drawn = sum(1 for e in sub.edges if e.type == MENTION)
    sub.mentions["drawn"] = drawn
    sub.mentions["left_out"] = len(sub.mentions["known"]) - drawn


def mention_note(sub: Subgraph) -> str | None:
    """The heading's line about mention links left out (None when none were)."""
    info = sub.mentions
    if not info or not info.get("left_out"):
        return None
    left = info["left_out"]
    line = (f"Mentions and retweets: at most the {info['per_node']:,} heaviest links of each account "
            f"are drawn")
    if info.get("overall"):
        line += f", and at most {info['overall']:,} in all (--max-nodes)"
    return (line + f"; {left:,} lighter link{'s' if left != 1 else ''} of the accounts expanded left out. "
            "Raise --mentions to see more.")


# -- query rows ----------------------------------------------------------------------------------

def row_nodes(graph, rows: list[dict]) -> list[dict]:
    """Per row: ``seeds`` (accounts and channels it names) and ``anchors`` (groups, identifiers,
    operators, co-administered channels) as elementIds, in the order the row names them."""
    named: list[list[tuple[str, object]]] = []
    refs: set = set()  # AccountRef
    wanted: dict[str, set] = {"group": set(), "identifier": set(), "operator": set()}
    for row in rows:
        items: list[tuple[str, object]] = []
        for column, value in row.items():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                found = _name(str(column), item)
                if found:
                    items.append(found)
                    (refs.add if found[0] in ("account", "co-admins") else wanted[found[0]].add)(found[1])
        named.append(items)
    accounts = map_data._find_accounts(graph, sorted(refs, key=lambda r: r.typed)) if refs else {}
    groups = map_data._find_groups(graph, sorted(wanted["group"])) if wanted["group"] else {}
    others = _find_keys(graph, wanted["identifier"], wanted["operator"])
    out = []
    for items in named:
        seeds: list[str] = []
        anchors: list[str] = []
        for kind, ref in items:
            if kind == "account":
                seeds.extend(accounts.get(ref, []))
            elif kind == "co-admins":
                anchors.extend(accounts.get(ref, []))
            elif kind == "group":
                anchors.extend(groups.get(ref, []))
            else:
                anchors.extend(others.get((kind, ref), []))
        out.append({"seeds": list(dict.fromkeys(seeds)), "anchors": list(dict.fromkeys(anchors))})
    return out


def _name(column: str, item) -> tuple[str, object] | None:
    """What a row value names: ("account", AccountRef), ("group", name), ..."""
    if not isinstance(item, str) or not item.strip() or len(item) > 500:
        return None
    text = item.strip()
    if column.lower() in map_data._GROUP_COLUMNS:
        return "group", text
    co_admins = _CO_ADMINS.match(text)
    if co_admins:
        ref = looks_like_account(co_admins.group(1))
        return ("co-admins", ref) if ref else None
    ref = looks_like_account(text)
    if ref:
        return "account", ref
    operator = _OPERATOR.match(text)
    if operator:
        return "operator", operator.group(1).strip()
    if _KEYLIKE.match(text):
        return "identifier", text
    return None




def _find_keys(graph, identifiers: set, operators: set) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    if identifiers:
        for r in graph.read(f"UNWIND $keys AS k MATCH (i:{model().node('Identifier').label} {{key: k}}) "
                            "RETURN k, elementId(i) AS id", {"keys": sorted(identifiers)}):
            found.setdefault(("identifier", r["k"]), []).append(r["id"])
    if operators:
        for r in graph.read(f"UNWIND $keys AS k MATCH (o:{model().node('Operator').label} {{oid: k}}) "
                            "RETURN k, elementId(o) AS id", {"keys": sorted(operators)}):
            found.setdefault(("operator", r["k"]), []).append(r["id"])
    return found


def mark_rows(sub: Subgraph, name: str, rows: list[dict], nodes: list[dict]) -> None:
    """Mark the edges between nodes of one row as the query's links (``props['_rows']``: the rows'
    descriptions); add a link for a row naming two unlinked accounts or channels."""
    by_pair: dict[frozenset, list[MapEdge]] = {}
    for edge in sub.edges:
        by_pair.setdefault(frozenset((edge.source, edge.target)), []).append(edge)
    marked = 0
    for number, (row, named) in enumerate(zip(rows, nodes), start=1):
        on_map = [i for i in [*named["seeds"], *named["anchors"]] if i in sub.nodes]
        text = row_text(name, number, row)
        linked = False
        for i, a in enumerate(on_map):
            for b in on_map[i + 1:]:
                for edge in by_pair.get(frozenset((a, b)), []):
                    edge.props.setdefault("_rows", []).append(text)
                    linked = True
        own = [i for i in named["seeds"] if i in sub.nodes]
        if not linked and len(own) == 2 and own[0] != own[1]:
            edge = MapEdge(own[0], own[1], QUERY_LINK, {"_rows": [text]})
            sub.edges.append(edge)
            by_pair.setdefault(frozenset(own), []).append(edge)
            linked = True
        marked += linked
    sub.query = {"name": name, "rows": len(rows), "rows_linked": marked}
    map_data._count_degrees(sub)


def row_text(name: str, number: int, row: dict) -> str:
    """``mirror-candidates row 3: successor x:a, predecessor x:b, score 0.91, ...`` (cut short)."""
    parts = []
    for column, value in row.items():
        if value in (None, "", []):
            continue
        shown = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        if len(shown) > ROW_TEXT:
            shown = shown[:ROW_TEXT - 1] + "\u2026"
        parts.append(f"{column} {shown}")
    return f"{name} row {number}: " + ", ".join(parts)
