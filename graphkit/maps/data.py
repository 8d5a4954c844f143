"""Fetching the subgraph a network map shows: seeds, expansion to a depth, the cap on nodes.

A map shows the investigative structure around its seeds: groups, accounts, channels, shared
identifiers and operators, tied by affiliation, administration, posting, identifier use, operation
and mirror links. Platforms, reports, sightings and takedown requests are not drawn as nodes
(platform is a colour, reports are named in the heading, the rest is in the tooltips' facts).

Nodes are addressed by ``elementId`` inside graphkit (``UNWIND $ids ... WHERE elementId(n) = id``
plans a seek; ``elementId(n) IN $ids`` scans the label); every value goes in as a ``$parameter`` and
every label and relationship type in query text comes from the graph model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from graphkit.ingest import values as normalize
from graphkit.ingest.account_ref import AccountRef, account_ref, looks_like_account
from graphkit.queries import refs
from graphkit.errors import MapError
from graphkit.model.spec import model

#: labels drawn on a map, in the order used by the legend
MAP_LABELS = ("Group", "Account", "Channel", "Identifier", "Operator")
#: relationships followed when expanding and drawn as edges
MAP_RELS = ("AFFILIATED_WITH", "ADMINISTERS", "POSTS_IN", "USES", "OPERATES", "MIRROR_OF", "FORWARDED_FROM")
#: never fetch more than this many nodes, whatever --max-nodes says
FETCH_LIMIT = 50_000

_GROUP_COLUMNS = {"group", "groups", "gid", "group_id", "group_ids"}


@dataclass
class MapNode:
    id: str                      # elementId
    label: str                   # Group, Account, ...
    props: dict
    distance: int = 0            # hops from the nearest seed
    degree: int = 0              # edges inside the fetched subgraph


@dataclass
class MapEdge:
    source: str
    target: str
    type: str
    props: dict


@dataclass
class Subgraph:
    nodes: dict[str, MapNode] = field(default_factory=dict)
    edges: list[MapEdge] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)   # label -> nodes left out by the cap
    truncated: bool = False                                   # the fetch limit reached while expanding
    fetched: int = 0                                          # nodes reached by the expansion
    single_identifiers: int = 0                               # identifiers used by one node only
    reports: list[dict] = field(default_factory=list)
    mentions: dict = field(default_factory=dict)              # mention/retweet links: see map_links
    query: dict = field(default_factory=dict)                 # a query map's rows: see map_links


def _label_filter(var: str) -> str:
    return "(" + " OR ".join(f"{var}:{model().node(label).label}" for label in MAP_LABELS) + ")"


def _rel_pattern(rels: tuple[str, ...] = MAP_RELS) -> str:
    return "|".join(model().rel(rel).type for rel in rels)


# -- seeds ---------------------------------------------------------------------------------------

def parse_account(text: str) -> AccountRef:
    """``PLATFORM:HANDLE`` (or ``PLATFORM:id:N``, or a profile URL) -> AccountRef; MapError when malformed."""
    try:
        return account_ref(text)
    except ValueError as exc:
        raise MapError(f"{text!r} is not an account reference: {exc}",
                       hint="Write accounts as PLATFORM:HANDLE, e.g. x:example_handle.") from None


def _find_accounts(graph, refs: list[AccountRef]) -> dict[AccountRef, list[str]]:
    """elementIds of the accounts (or, failing that, channels) each reference names."""
    refs = list(dict.fromkeys(refs))
    rows = [{"i": i, "p": r.platform, "h": r.handle or "", "hn": r.handle_norm or "", "key": r.key}
            for i, r in enumerate(refs)]
    found = graph.read(
        f"UNWIND $rows AS row "
        f"OPTIONAL MATCH (a:{model().node('Account').label}) "
        f"  WHERE a.key = row.key OR (a.platform = row.p AND a.handle = row.h) "
        f"OPTIONAL MATCH (c:{model().node('Channel').label}) "
        f"  WHERE c.key = row.key OR c.key = row.p + ':' + row.hn OR (c.platform = row.p AND c.name = row.h) "
        f"RETURN row.i AS i, collect(DISTINCT elementId(a)) AS accounts, "
        f"       collect(DISTINCT elementId(c)) AS channels",
        {"rows": rows},
    )
    return {refs[r["i"]]: (r["accounts"] or r["channels"]) for r in found}


def _find_groups(graph, names: list[str]) -> dict[str, list[str]]:
    rows = [{"name": n, "gid": normalize.group_id(n) or ""} for n in names]
    found = graph.read(
        f"UNWIND $rows AS row "
        f"OPTIONAL MATCH (g:{model().node('Group').label}) "
        f"  WHERE g.gid = row.gid OR g.gid = toUpper(row.name) OR row.name IN coalesce(g.aliases, []) "
        f"RETURN row.name AS name, collect(DISTINCT elementId(g)) AS ids",
        {"rows": rows},
    )
    return {r["name"]: r["ids"] for r in found}


def group_seeds(graph, group: str) -> list[str]:
    ids = _find_groups(graph, [group]).get(group) or []
    if not ids:
        raise refs.not_found(graph, "group", normalize.group_id(group) or group, typed=group, error=MapError)
    return ids


def account_seeds(graph, account: str) -> list[str]:
    ref = parse_account(account)
    ids = _find_accounts(graph, [ref]).get(ref) or []
    if not ids:
        raise refs.not_found(graph, "account_or_channel", ref.key, typed=ref.typed, error=MapError)
    return ids


def seeds_from_rows(graph, rows: list[dict]) -> tuple[list[str], list[str]]:
    """elementIds of the accounts and channels, and of the groups, that query rows name.

    Any string (or list of strings) of the form ``PLATFORM:HANDLE`` with a known platform names an
    account (or a channel); values in a column called group, groups, gid or group_id name groups.
    """
    named: set[AccountRef] = set()
    groups: set[str] = set()
    for row in rows:
        for column, value in row.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                if not isinstance(item, str) or not item.strip():
                    continue
                if str(column).lower() in _GROUP_COLUMNS:
                    groups.add(item.strip())
                    continue
                ref = looks_like_account(item)
                if ref:
                    named.add(ref)
    ids: list[str] = []
    group_ids: list[str] = []
    if named:
        for found in _find_accounts(graph, sorted(named, key=lambda r: r.typed)).values():
            ids.extend(found)
    if groups:
        for found in _find_groups(graph, sorted(groups)).values():
            group_ids.extend(found)
    return list(dict.fromkeys(ids)), list(dict.fromkeys(group_ids))


# -- expansion -----------------------------------------------------------------------------------

def expand(graph, seeds: list[str], depth: int, limit: int = FETCH_LIMIT,
           anchors: list[str] = (), extra=None, stop: tuple[str, ...] = (),
           follow: tuple[str, ...] = MAP_RELS) -> Subgraph:
    """Breadth-first expansion from ``seeds`` over the map relationships, ``depth`` hops.
    ``anchors`` are drawn (as seeds) but not expanded from, nor are nodes with a label in
    ``stop``. ``extra(ids)``, when given, names more neighbours of the frontier ``ids`` (the
    mention partners of ``map_links``). ``follow``: the relationships expanded over (all map
    relationships by default); the edges drawn are all map relationships between the nodes.

    Rejected mirror links are not followed (a reviewer said they are not mirrors).
    """
    sub = Subgraph(seeds=list(dict.fromkeys([*seeds, *anchors])))
    distance = {s: 0 for s in sub.seeds}
    frontier = list(dict.fromkeys(seeds))
    rel_filter = (f"NOT (type(r) = '{model().rel('MIRROR_OF').type}' "
                  f"AND coalesce(r.status, 'candidate') = 'rejected')")
    for hop in range(1, depth + 1):
        if not frontier or len(distance) >= limit:
            break
        rows = graph.read(
            f"UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id "
            f"MATCH (n)-[r:{_rel_pattern(follow)}]-(m) WHERE {_label_filter('m')} AND {rel_filter} "
            f"RETURN DISTINCT elementId(m) AS id, labels(m) AS labels LIMIT $limit",
            {"ids": frontier, "limit": limit + len(distance)},
        )
        if extra is not None:
            rows = [*rows, *({"id": other, "labels": []} for other in extra(frontier))]
        frontier = []
        for row in rows:
            if row["id"] not in distance:
                if len(distance) >= limit:
                    sub.truncated = True
                    break
                distance[row["id"]] = hop
                if not set(row["labels"]) & set(stop):
                    frontier.append(row["id"])
    ids = list(distance)
    sub.fetched = len(ids)
    for row in graph.read(
        "UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id RETURN id, labels(n) AS labels, "
        "properties(n) AS props", {"ids": ids},
    ):
        label = next((l for l in MAP_LABELS if l in row["labels"]), None)
        if label:
            sub.nodes[row["id"]] = MapNode(row["id"], label, row["props"], distance[row["id"]])
    for row in graph.read(
        f"UNWIND $ids AS id MATCH (a) WHERE elementId(a) = id "
        f"MATCH (a)-[r:{_rel_pattern()}]->(b) WHERE elementId(b) IN $ids "
        f"AND {rel_filter} "
        "RETURN elementId(a) AS src, elementId(b) AS dst, type(r) AS type, properties(r) AS props",
        {"ids": ids},
    ):
        sub.edges.append(MapEdge(row["src"], row["dst"], row["type"], row["props"]))
    _count_degrees(sub)
    return sub


def _count_degrees(sub: Subgraph) -> None:
    for node in sub.nodes.values():
        node.degree = 0
    for edge in sub.edges:
        sub.nodes[edge.source].degree += 1
        sub.nodes[edge.target].degree += 1


def drop_single_identifiers(sub: Subgraph) -> None:
    """Identifiers tied to one node only add clutter, not links: leave them out (not seeds)."""
    seeds = set(sub.seeds)
    single = [n.id for n in sub.nodes.values()
              if n.label == "Identifier" and n.degree < 2 and n.id not in seeds]
    if single:
        _remove(sub, set(single))
        sub.single_identifiers += len(single)


def cap(sub: Subgraph, max_nodes: int) -> None:
    """Keep the ``max_nodes`` most relevant nodes: nearest the seeds first, then the best
    connected, then the most followed. Counts what was left out, per label."""
    if len(sub.nodes) <= max_nodes:
        return
    ranked = sorted(sub.nodes.values(), key=lambda n: (
        n.distance, -n.degree, -_number(n.props.get("followers") or n.props.get("members")), n.id))
    drop = {n.id for n in ranked[max_nodes:]}
    for node_id in drop:
        label = sub.nodes[node_id].label
        sub.omitted[label] = sub.omitted.get(label, 0) + 1
    _remove(sub, drop)


def _remove(sub: Subgraph, drop: set[str]) -> None:
    for node_id in drop:
        sub.nodes.pop(node_id, None)
    sub.edges = [e for e in sub.edges if e.source not in drop and e.target not in drop]
    _count_degrees(sub)


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def fetch_reports(graph, sub: Subgraph) -> None:
    """The reports that assert the nodes on the map, most nodes first."""
    if not sub.nodes:
        return
    sub.reports = graph.read(
        f"UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id "
        f"MATCH (n)-[:{model().rel('REPORTED_IN').type}]->(r:{model().node('Report').label}) "
        "RETURN r.rid AS rid, r.title AS title, r.date AS date, count(DISTINCT n) AS nodes "
        "ORDER BY nodes DESC, rid",
        {"ids": list(sub.nodes)},
    )
