"""The part of the graph an export hands over, read once from Neo4j.

A scope is chosen like a map's (``--group``, ``--account``, ``--query`` expanded ``--depth`` hops,
through the map's seeds and expansion) or is the whole graph (``--all``). It holds:

- nodes: groups, accounts, channels, identifiers and operators, each with its graphkit key and
  properties and the reports that assert it;
- links between those nodes: affiliation, administration, posting, identifier use, operation,
  mirror links (rejected ones too: an analyst's "no" is part of the record) and the analyst's
  shared-operator decisions;
- the designations of its groups, and the sightings of its accounts and channels;
- the reports that any of these name (id, title, source, date).

Every export writer reads only a ``Scope`` (plain Python values: Neo4j times become ``datetime`` /
``date``), so all formats carry the same counts. Labels and types come from the model, values go
in as ``$parameters``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from graphkit.errors import ExportError
from graphkit.model.spec import model

#: node labels an export carries, and the kind names the exports use for them
KINDS = {"Group": "group", "Account": "account", "Channel": "channel", "Identifier": "identifier",
         "Operator": "operator"}
#: relationships between scope nodes an export carries (the link names are these, lower-cased)
LINKS = ("AFFILIATED_WITH", "ADMINISTERS", "POSTS_IN", "USES", "OPERATES", "MIRROR_OF", "SAME_OPERATOR")
DEFAULT_DEPTH = 2
DEFAULT_QUERY_DEPTH = 1  # as for maps: a query's rows are the centre; groups are not expanded
MAX_DEPTH = 6
FETCH_LIMIT = 10_000_000


@dataclass
class Node:
    kind: str          # group, account, channel, identifier, operator
    key: str           # the graphkit key: gid, account/channel key, identifier key, oid
    props: dict
    reports: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def label(self) -> str:
        """What a person calls it: a group's name, ``platform:handle``, an identifier's value."""
        p = self.props
        if self.kind == "group":
            return str(p.get("name") or self.key)
        if self.kind == "account":
            handle = p.get("handle") or p.get("platform_id")
            return f"{p.get('platform')}:{handle}" if handle else self.key
        if self.kind == "channel":
            return f"{p.get('platform')}:{p.get('name') or p.get('name_norm')}"
        if self.kind == "identifier":
            return f"{p.get('kind')}:{p.get('value')}"
        return self.key


@dataclass
class Link:
    type: str          # affiliated_with, administers, posts_in, uses, operates, mirror_of, same_operator
    source: str        # Node.id
    target: str
    props: dict

    @property
    def reports(self) -> list[str]:
        return list(self.props.get("reports") or [])


@dataclass
class Scope:
    subject: str
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    designations: list[dict] = field(default_factory=list)   # gid, authority, program, reference, listed_on
    sightings: list[dict] = field(default_factory=list)      # sid, observed_at, url, excerpt, of, in, promotes ...
    reports: dict[str, dict] = field(default_factory=dict)   # rid -> rid, title, source, date

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind]

    def counts(self) -> dict[str, int]:
        """Nodes per kind, links per type, designations and sightings: what every export carries."""
        out = {kind: len(self.of_kind(kind)) for kind in KINDS.values()}
        for link in self.links:
            out[link.type] = out.get(link.type, 0) + 1
        out["designations"] = len(self.designations)
        out["sightings"] = len(self.sightings)
        return out


#: the visitor method each node kind goes to (``visit``); a channel is an account to the exporters
VISITS = {"group": "group", "account": "account", "channel": "account", "identifier": "identifier",
          "operator": "operator"}


def visit(scope: Scope, visitor) -> None:
    """Hand the scope to an exporter: ``visitor.group/account/identifier/operator(node)`` for each
    node (by ``VISITS``), then ``visitor.link(link)`` for each link and ``visitor.sighting(s)``
    for each sighting, in the scope's order (the STIX and MISP exporters)."""
    for node in scope.nodes.values():
        getattr(visitor, VISITS[node.kind])(node)
    for link in scope.links:
        visitor.link(link)
    for s in scope.sightings:
        visitor.sighting(s)


def native(value):
    """Neo4j temporal values as Python ones (UTC datetimes), lists element-wise."""
    if isinstance(value, list):
        return [native(v) for v in value]
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        value = to_native()
        if isinstance(value, _dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
    return value


def _read(graph, cypher: str, params: dict) -> list[dict]:
    """Rows with the driver's own values (times converted by ``native``, not to text)."""
    return graph.read(cypher, params, convert=lambda value: value)


def _props(raw: dict) -> dict:
    return {k: native(v) for k, v in raw.items()}


def read_scope(graph, group: str | None = None, account: str | None = None, query: str | None = None,
               params: dict | None = None, everything: bool = False, depth: int | None = None) -> Scope:
    """The scope of one of ``group``, ``account``, ``query`` (expanded ``depth`` hops, default 2;
    1 for a query, whose groups are taken but not expanded, as on a map) or ``everything``; ExportError on a bad combination or a name the graph does not hold."""
    chosen = [n for n, v in (("group", group), ("account", account), ("query", query), ("all", everything)) if v]
    if len(chosen) != 1:
        raise ExportError("an export needs exactly one of a group, an account, a query or --all",
                          hint="Use one of --group ID, --account PLATFORM:HANDLE, --query NAME, --all.")
    if params and not query:
        raise ExportError("query parameters only go with a query", hint="Use -p KEY VALUE with --query NAME.")
    if depth is None:
        depth = DEFAULT_QUERY_DEPTH if query else DEFAULT_DEPTH
    if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= MAX_DEPTH:
        raise ExportError(f"depth must be between 0 and {MAX_DEPTH}, not {depth!r}",
                          hint="Depth 1 or 2 is usually enough; deeper scopes grow very fast.")
    if everything:
        ids, subject = None, "the whole graph"
    else:
        ids, subject = _scoped_ids(graph, group, account, query, params or {}, depth)
    scope = Scope(subject=subject)
    _read_nodes(graph, scope, ids)
    _read_links(graph, scope, ids)
    _read_designations(graph, scope)
    _read_sightings(graph, scope)
    _read_reports(graph, scope)
    return scope


def _scoped_ids(graph, group, account, query, params, depth) -> tuple[list[str], str]:
    """elementIds of the scope's nodes: the map's seeds, expanded ``depth`` hops."""
    from graphkit.maps import data as map_data
    from graphkit.errors import MapError

    try:
        if group:
            seeds, subject = map_data.group_seeds(graph, group), f"group {group}"
        elif account:
            seeds, subject = map_data.account_seeds(graph, account), f"account {account}"
        else:
            from graphkit.queries import library as queries

            rows, _ = queries.run(graph, query, params)
            found, groups = map_data.seeds_from_rows(graph, rows)
            seeds, subject = (found or groups), f"query {query}"
            if not seeds:
                raise ExportError(f"the rows of query {query} name no account, channel or group in the graph",
                                  hint="Export a query whose rows name PLATFORM:HANDLE accounts, channels or groups.")
    except MapError as exc:
        raise ExportError(exc.message, exc.hint) from None
    stop = (model().node("Group").label,) if query else ()
    sub = map_data.expand(graph, seeds, depth, limit=FETCH_LIMIT, stop=stop)
    return list(sub.nodes), f"{subject}, depth {depth}"


def _label_filter(var: str) -> str:
    return " OR ".join(f"{var}:{model().node(label).label}" for label in KINDS)


def _read_nodes(graph, scope: Scope, ids: list[str] | None) -> None:
    rel = model().rel("REPORTED_IN").type
    match = ("UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id AND (" + _label_filter("n") + ") "
             if ids is not None else "MATCH (n) WHERE " + _label_filter("n") + " ")
    rows = _read(graph, match + f"RETURN labels(n) AS labels, properties(n) AS props, "
                      f"[(n)-[:{rel}]->(r) | r.rid] AS reports", {"ids": ids})
    keys = {label: model().node(label).key for label in KINDS}
    for row in rows:
        label = next(l for l in KINDS if model().node(l).label in row["labels"])
        props = _props(row["props"])
        node = Node(KINDS[label], str(props.get(keys[label])), props, sorted(row["reports"]))
        scope.nodes[node.id] = node
    scope.nodes = dict(sorted(scope.nodes.items()))


def _read_links(graph, scope: Scope, ids: list[str] | None) -> None:
    types = "|".join(model().rel(t).type for t in LINKS)
    keys = {model().node(label).label: (kind, model().node(label).key) for label, kind in KINDS.items()}
    head = ("UNWIND $ids AS id MATCH (a) WHERE elementId(a) = id MATCH (a)-[r:" + types + "]->(b) "
            "WHERE elementId(b) IN $ids " if ids is not None else f"MATCH (a)-[r:{types}]->(b) ")
    rows = _read(graph, head + "RETURN labels(a) AS la, properties(a) AS pa, labels(b) AS lb, properties(b) AS pb, "
                      "type(r) AS type, properties(r) AS props", {"ids": ids})

    def node_id(labels, props):
        kind, key = next(keys[l] for l in labels if l in keys)
        return f"{kind}:{props.get(key)}"

    for row in rows:
        source, target = node_id(row["la"], row["pa"]), node_id(row["lb"], row["pb"])
        if source in scope.nodes and target in scope.nodes:
            scope.links.append(Link(row["type"].lower(), source, target, _props(row["props"])))
    scope.links.sort(key=lambda l: (l.type, l.source, l.target))


def _read_designations(graph, scope: Scope) -> None:
    gids = [n.key for n in scope.of_kind("group")]
    if not gids:
        return
    m = model()
    rows = _read(graph, 
        f"UNWIND $gids AS gid MATCH (g:{m.node('Group').label} {{gid: gid}})-[d:{m.rel('DESIGNATED_BY').type}]->"
        f"(a:{m.node('Authority').label}) RETURN gid, a.code AS authority, d.program AS program, "
        "d.reference AS reference, d.listed_on AS listed_on, d.reports AS reports "
        "ORDER BY gid, authority, program", {"gids": gids})
    scope.designations = [_props(dict(r)) for r in rows]


def _read_sightings(graph, scope: Scope) -> None:
    m = model()
    of, in_, promotes, rep = (m.rel(t).type for t in ("OF", "IN", "PROMOTES", "REPORTED_IN"))
    by_key = {(n.kind, n.key): n.id for n in scope.nodes.values()}
    rows = []
    for kind, label in (("account", "Account"), ("channel", "Channel")):
        keys = [n.key for n in scope.nodes.values() if n.kind == kind]
        rows += _read(graph, 
            f"UNWIND $keys AS k MATCH (t:{m.node(label).label} {{key: k}})<-[:{of}]-(s:{m.node('Sighting').label}) "
            f"RETURN $kind AS kind, t.key AS key, properties(s) AS props, "
            f"[(s)-[:{in_}]->(c) | c.key] AS channels, [(s)-[:{promotes}]->(g) | g.gid] AS groups, "
            f"[(s)-[:{rep}]->(r) | r.rid] AS reports", {"keys": keys, "kind": kind}) if keys else []
    for row in rows:
        props = _props(row["props"])
        scope.sightings.append({
            **props, "of": by_key[(row["kind"], row["key"])],
            "in": [f"channel:{c}" for c in sorted(row["channels"])],
            "promotes": [f"group:{g}" for g in sorted(row["groups"])],
            "reports": sorted(row["reports"])})
    scope.sightings.sort(key=lambda s: s["sid"])


def _read_reports(graph, scope: Scope) -> None:
    rids = set()
    for node in scope.nodes.values():
        rids.update(node.reports)
    for link in scope.links:
        rids.update(link.reports)
    for item in [*scope.sightings, *scope.designations]:
        rids.update(item.get("reports") or [])
    if not rids:
        return
    rows = _read(graph, f"UNWIND $rids AS rid MATCH (r:{model().node('Report').label} {{rid: rid}}) "
                      "RETURN r.rid AS rid, r.title AS title, r.source AS source, r.date AS date ORDER BY rid",
                      {"rids": sorted(rids)})
    scope.reports = {r["rid"]: _props(dict(r)) for r in rows}
