"""The visual encoding of a network map, built as pyvis node and edge options.

Kind by shape, platform by colour, removed or suspended accounts greyed with a dashed border, size
by followers (log scale), mirror links as arrows from predecessor to successor, shared identifiers
as small hub nodes. Tooltips are plain text (vis-network 9 shows a string title with
``innerText``), so nothing in them is ever parsed as HTML.
"""
from __future__ import annotations

import math

from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from graphkit.maps.data import MapNode, Subgraph

SHAPES = {"Group": "star", "Account": "dot", "Channel": "square", "Identifier": "diamond",
          "Operator": "triangle"}
KIND_NAMES = {"Group": "group", "Account": "account", "Channel": "channel",
              "Identifier": "shared identifier", "Operator": "operator"}
PLATFORM_COLOURS = {
    "x": "#1f77b4", "facebook": "#9467bd", "instagram": "#e377c2", "tiktok": "#17becf",
    "whatsapp": "#2ca02c", "telegram": "#ff7f0e", "youtube": "#d62728",
}
OTHER_PLATFORM = "#8c564b"
KIND_COLOURS = {"Group": "#222222", "Identifier": "#9e9e9e", "Operator": "#bcbd22"}
GONE_STATUSES = ("removed", "suspended")
GONE_FILL = "#e6e6e6"
EDGE_STYLES = {
    "AFFILIATED_WITH": {"color": "#b0b0b0", "width": 1},
    "ADMINISTERS": {"color": "#555555", "width": 2.5},
    "POSTS_IN": {"color": "#c8c8c8", "width": 1},
    "USES": {"color": "#9e9e9e", "width": 1, "dashes": [2, 3]},
    "OPERATES": {"color": "#8a8b00", "width": 2},
    "MIRROR_OF": {"color": "#c0392b", "width": 3},
}
EDGE_NAMES = {"AFFILIATED_WITH": "affiliated with", "ADMINISTERS": "administers",
              "POSTS_IN": "posts in", "USES": "uses", "OPERATES": "operates",
              "MIRROR_OF": "mirror: predecessor -> successor"}
BIO_LIMIT = 280


def text(value) -> str:
    """A property value as display text (lists joined); None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value)
    return str(value)


def account_name(props: dict) -> str:
    """``PLATFORM:HANDLE`` as everywhere in graphkit's outputs."""
    handle = props.get("handle") or props.get("platform_id") or props.get("key") or "?"
    return f"{text(props.get('platform'))}:{text(handle)}"


def node_name(node: MapNode) -> str:
    """What the search box lists and the tooltip starts with."""
    p = node.props
    if node.label == "Account":
        return account_name(p)
    if node.label == "Channel":
        return f"{text(p.get('platform'))}:{text(p.get('name') or p.get('key'))}"
    if node.label == "Group":
        return text(p.get("gid"))
    if node.label == "Identifier":
        return text(p.get("key") or f"{text(p.get('kind'))}:{text(p.get('value'))}")
    return text(p.get("name") or p.get("oid"))


def node_label(node: MapNode) -> str:
    p = node.props
    if node.label == "Account":
        return text(p.get("handle") or p.get("platform_id") or p.get("key"))
    if node.label == "Channel":
        return text(p.get("name") or p.get("key"))
    if node.label == "Identifier":
        value = text(p.get("value") or p.get("key"))
        return value if len(value) <= 24 else value[:23] + "\u2026"
    return node_name(node)


def colour(node: MapNode) -> str:
    if node.label in ("Account", "Channel"):
        return PLATFORM_COLOURS.get(text(node.props.get("platform")).lower(), OTHER_PLATFORM)
    return KIND_COLOURS[node.label]


def is_gone(node: MapNode) -> bool:
    return node.label in ("Account", "Channel") and text(node.props.get("status")).lower() in GONE_STATUSES


def size(node: MapNode) -> float:
    """Accounts by followers and channels by members on a log scale; fixed sizes otherwise."""
    if node.label == "Group":
        return 30
    if node.label == "Identifier":
        return 7
    if node.label == "Operator":
        return 16
    count = node.props.get("followers") if node.label == "Account" else node.props.get("members")
    try:
        count = max(float(count or 0), 0.0)
    except (TypeError, ValueError):
        count = 0.0
    return round(8 + 4 * math.log10(1 + count), 1)  # 8 px for none, 28 px for 100k


def _number(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return text(value)


def tooltip(node: MapNode, groups: list[str]) -> str:
    """Key facts as plain text lines."""
    p = node.props
    lines = [f"{KIND_NAMES[node.label]}: {node_name(node)}"]

    def add(name, value):
        if value not in (None, "", []):
            lines.append(f"{name}: {text(value)}")

    if node.label == "Account":
        add("display name", p.get("display_name"))
        status = text(p.get("status"))
        if p.get("removed_at"):
            status += f" (removed {text(p.get('removed_at'))[:10]})"
        add("status", status)
        add("followers", _number(p["followers"]) if p.get("followers") is not None else None)
    elif node.label == "Channel":
        add("kind", p.get("kind"))
        add("status", p.get("status"))
        add("members", _number(p["members"]) if p.get("members") is not None else None)
    elif node.label == "Group":
        add("name", p.get("name"))
        add("aliases", p.get("aliases"))
    elif node.label == "Identifier":
        add("kind", p.get("kind"))
    elif node.label == "Operator":
        add("id", p.get("oid"))
    add("groups", groups)
    if p.get("first_seen") or p.get("last_seen"):
        lines.append(f"seen: {text(p.get('first_seen'))[:10]} to {text(p.get('last_seen'))[:10]}")
    add("links on this map", node.degree)
    bio = text(p.get("bio"))
    if bio:
        add("bio", bio if len(bio) <= BIO_LIMIT else bio[:BIO_LIMIT - 1] + "\u2026")
    add("url", p.get("url"))
    return "\n".join(lines)


def edge_tooltip(rel_type: str, props: dict) -> str:
    lines = [EDGE_NAMES.get(rel_type, rel_type.lower())]
    if rel_type == "MIRROR_OF":
        for name in ("status", "score", "method", "note"):
            if props.get(name) not in (None, ""):
                lines.append(f"{name}: {text(props[name])}")
    if props.get("reports"):
        lines.append(f"reports: {text(props['reports'])}")
    return "\n".join(lines)


def build_network(sub: Subgraph, positions=None) -> tuple[Network, list[str]]:
    """A pyvis Network with one node per map node (ids 0..n-1, in ``order``) and its edges."""
    net = Network(directed=True)
    order = list(sub.nodes)
    index = {node_id: i for i, node_id in enumerate(order)}
    groups_of: dict[str, list[str]] = {}
    for edge in sub.edges:
        if edge.type == "AFFILIATED_WITH" and edge.target in sub.nodes:
            groups_of.setdefault(edge.source, []).append(text(sub.nodes[edge.target].props.get("gid")))
    seeds = set(sub.seeds)
    for node_id in order:
        node = sub.nodes[node_id]
        fill = colour(node)
        gone = is_gone(node)
        options = {
            "title": tooltip(node, sorted(groups_of.get(node_id, []))),
            "size": size(node),
            "color": {"background": GONE_FILL if gone else fill, "border": fill,
                      "highlight": {"background": "#ffe08a", "border": fill}},
            "borderWidth": 3 if gone or node_id in seeds else 1.5,
            "font": {"color": "#888888" if gone else "#222222", "size": 12 if node.label != "Group" else 18},
            "kind": node.label, "name": node_name(node),
            "platform": text(node.props.get("platform")), "gone": gone,
        }
        if gone:
            options["shapeProperties"] = {"borderDashes": [4, 3]}
        if positions is not None:
            x, y = positions[index[node_id]]
            options.update(x=round(float(x), 1), y=round(float(y), 1))
        # pyvis's Node builds the options; Network.add_node would scan the id list (O(nodes))
        built = Node(index[node_id], SHAPES[node.label], label=node_label(node), **options).options
        net.nodes.append(built)
        net.node_ids.append(index[node_id])
        net.node_map[index[node_id]] = built
    for edge in sub.edges:
        style = dict(EDGE_STYLES.get(edge.type, {"color": "#bbbbbb", "width": 1}))
        source, target = index[edge.source], index[edge.target]
        if edge.type == "MIRROR_OF":  # stored successor -> predecessor; drawn predecessor -> successor
            source, target = target, source
            arrows = {"to": {"enabled": True, "scaleFactor": 0.8}}
            if (edge.props.get("status") or "candidate") != "confirmed":
                style["dashes"] = [8, 5]
        else:
            arrows = {"to": {"enabled": False}}
        # pyvis's Edge builds the options; Network.add_edge would first scan the whole node list
        # for both ends (O(nodes) per edge, seconds at 5k nodes); both ends are known to exist
        net.edges.append(Edge(source, target, directed=True, title=edge_tooltip(edge.type, edge.props),
                              arrows=arrows, kind=edge.type, **style).options)
    return net, order
