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

from graphkit.model.spec import model
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
GONE_STATUSES = model().gone  # "no longer up" (graphkit/model/model.yaml)
GONE_FILL = "#e6e6e6"
EDGE_STYLES = {
    "AFFILIATED_WITH": {"color": "#b0b0b0", "width": 1},
    "ADMINISTERS": {"color": "#555555", "width": 2.5},
    "POSTS_IN": {"color": "#c8c8c8", "width": 1},
    "USES": {"color": "#9e9e9e", "width": 1, "dashes": [2, 3]},
    "OPERATES": {"color": "#8a8b00", "width": 2},
    "MIRROR_OF": {"color": "#c0392b", "width": 3},
    "MENTIONS": {"color": "#00897b", "width": 1},
    "FORWARDED_FROM": {"color": "#1565c0", "width": 2},
    "QUERY_ROW": {"color": "#6a1b9a", "width": 2, "dashes": [2, 6]},
}
EDGE_NAMES = {"AFFILIATED_WITH": "affiliated with", "ADMINISTERS": "administers",
              "POSTS_IN": "posts in", "USES": "uses", "OPERATES": "operates",
              "MIRROR_OF": "mirror: predecessor -> successor", "MENTIONS": "mentions and retweets",
              "QUERY_ROW": "named together in a row of the query",
              "FORWARDED_FROM": "forwards posts of (channel -> source)"}
#: a query's own links: drawn last (on top), wider, with a glow; other links of a query map faded
QUERY_GLOW = {"enabled": True, "color": "rgba(255, 179, 0, 0.9)", "size": 10, "x": 0, "y": 0}
FADED_OPACITY = 0.35
MENTION_MAX_WIDTH = 8
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
        # an account known only by its platform id (a Telegram user a channel forwards) by its name
        return text(p.get("handle") or p.get("display_name") or p.get("platform_id") or p.get("key"))
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


def edge_tooltip(rel_type: str, props: dict, ends: tuple[str, str] = ("?", "?")) -> str:
    """Plain text: what the link is, its facts, and the query rows that name it."""
    lines = [EDGE_NAMES.get(rel_type, rel_type.lower())]
    if rel_type == "MIRROR_OF":
        for name in ("status", "score", "method", "note"):
            if props.get(name) not in (None, ""):
                lines.append(f"{name}: {text(props[name])}")
    if rel_type == "MENTIONS":
        for way, (author, other) in (("a_to_b", ends), ("b_to_a", ends[::-1])):
            posts = int(props.get(way) or 0)
            if posts:
                retweets = int(props.get(way + "_retweets") or 0)
                lines.append(f"{author} mentions {other} in {posts:,} post{'s' if posts != 1 else ''}"
                             + (f" ({retweets:,} retweet{'s' if retweets != 1 else ''})" if retweets else ""))
    if props.get("reports"):
        lines.append(f"reports: {text(props['reports'])}")
    for row in props.get("_rows") or []:
        lines.append(text(row))
    return "\n".join(lines)


def mention_width(posts) -> float:
    """1 px for one post, growing with the log of the count: 4 posts 3.4 px, 50 posts 7.8 px."""
    return round(min(1 + 1.2 * math.log2(max(int(posts or 1), 1)), MENTION_MAX_WIDTH), 1)


def edge_options(edge, source: int, target: int, ends: tuple[str, str], query_map: bool) -> dict:
    """vis-network options of one map edge between nodes ``source`` and ``target``."""
    style = dict(EDGE_STYLES.get(edge.type, {"color": "#bbbbbb", "width": 1}))
    arrows = {"to": {"enabled": False}}
    if edge.type == "MIRROR_OF":  # stored successor -> predecessor; drawn predecessor -> successor
        source, target = target, source
        arrows = {"to": {"enabled": True, "scaleFactor": 0.8}}
        if (edge.props.get("status") or "candidate") != "confirmed":
            style["dashes"] = [8, 5]
    elif edge.type == "FORWARDED_FROM":  # channel -> the source it forwards
        arrows = {"to": {"enabled": True, "scaleFactor": 0.7}}
    elif edge.type == "MENTIONS":  # author -> mentioned, both ways when both mention the other
        style["width"] = mention_width(edge.props.get("posts"))
        arrows = {"to": {"enabled": bool(edge.props.get("a_to_b")), "scaleFactor": 0.6},
                  "from": {"enabled": bool(edge.props.get("b_to_a")), "scaleFactor": 0.6}}
    if edge.props.get("_rows"):
        style["width"] = max(style["width"], 2) + 2
        style["shadow"] = QUERY_GLOW
    elif query_map:
        style["color"] = {"color": style["color"], "opacity": FADED_OPACITY}
    # pyvis's Edge builds the options; Network.add_edge would first scan the whole node list
    # for both ends (O(nodes) per edge, seconds at 5k nodes); both ends are known to exist
    return Edge(source, target, directed=True, title=edge_tooltip(edge.type, edge.props, ends),
                arrows=arrows, kind=edge.type, query=bool(edge.props.get("_rows")), **style).options


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
    query_map = bool(sub.query)
    names = {node_id: node_name(sub.nodes[node_id]) for node_id in order} if sub.edges else {}
    # the query's own links last, so that they are drawn on top
    for edge in sorted(sub.edges, key=lambda e: bool(e.props.get("_rows"))):
        net.edges.append(edge_options(edge, index[edge.source], index[edge.target],
                                      (names[edge.source], names[edge.target]), query_map))
    return net, order
