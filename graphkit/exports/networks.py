"""A scope as GEXF 1.2 or GraphML through networkx, for Gephi, Cytoscape, yEd, i2 and the like.

One node per group, account, channel, identifier and operator (id ``kind:key``), one edge per link
(a multigraph: two accounts can be mirror-linked and tied by an analyst's decision). Attributes
are what Gephi colours and filters by: node ``kind``, ``platform``, ``status``, ``followers``,
``group`` (the gids an account or channel is affiliated with, ``;``-joined), ``first_seen`` /
``last_seen``; edge ``link`` (the relationship; GEXF reserves ``type`` for
(un)directed), ``status``, ``score``, ``method``. Missing values are left out (GEXF
and GraphML have no null). Text is stored as it is, except the control characters XML 1.0 cannot
hold at all (U+0000-U+001F but tab, newline and carriage return), which become U+FFFD.
"""
from __future__ import annotations

import datetime as _dt
import re

import networkx as nx

from graphkit.exports.scope import Scope

NODE_ATTRS = ("platform", "status", "followers", "members", "handle", "display_name", "name", "url", "bio",
              "country", "first_seen", "last_seen", "created_at", "removed_at")
EDGE_ATTRS = ("status", "score", "method", "note", "action", "first_seen", "last_seen", "decided_at", "detected_at")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _value(value):
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return _XML_BAD.sub("\ufffd", str(value))


def _attrs(values: dict) -> dict:
    return {k: v for k, v in ((k, _value(v)) for k, v in values.items()) if v is not None}


def to_networkx(scope: Scope) -> nx.MultiDiGraph:
    groups: dict[str, list[str]] = {}
    for link in scope.links:
        if link.type == "affiliated_with":
            groups.setdefault(link.source, []).append(scope.nodes[link.target].key)
    net = nx.MultiDiGraph(name=f"graphkit export: {scope.subject}")
    for node in scope.nodes.values():
        p = node.props
        net.add_node(node.id, **_attrs({
            "label": node.label, "kind": node.kind, "key": node.key,
            **{k: p.get(k) for k in NODE_ATTRS},
            "identifier_kind": p.get("kind") if node.kind == "identifier" else None,
            "channel_kind": p.get("kind") if node.kind == "channel" else None,
            "group": sorted(groups.get(node.id, [])) or (node.key if node.kind == "group" else None),
            "reports": node.reports}))
    for link in scope.links:
        net.add_edge(link.source, link.target, key=link.type, **_attrs({
            "link": link.type, "label": link.type.replace("_", " "),
            **{k: link.props.get(k) for k in EDGE_ATTRS}, "reports": link.reports}))
    return net


def write_gexf(scope: Scope, path) -> dict:
    net = to_networkx(scope)
    nx.write_gexf(net, path, version="1.2draft")
    return {"nodes": net.number_of_nodes(), "edges": net.number_of_edges()}


def write_graphml(scope: Scope, path) -> dict:
    net = to_networkx(scope)
    nx.write_graphml(net, path, named_key_ids=True)
    return {"nodes": net.number_of_nodes(), "edges": net.number_of_edges()}
