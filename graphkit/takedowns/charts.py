"""Inline SVG for the briefing: a bar chart, a two-series timeline and a small static network map.

Every text that reaches the SVG goes through ``markupsafe.escape``; numbers are formatted here.
The output is markup for the (autoescaping) briefing template; nothing is loaded from anywhere.
"""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from graphkit.maps import data as map_data
from graphkit.maps import layout as map_layout
from graphkit.maps import style as map_style

BLUE, GREEN, GREY, RED = "#1f77b4", "#2ca02c", "#c7c7c7", "#c0392b"


def _t(value) -> str:
    return str(escape("" if value is None else str(value)))


def compliance_bars(rows: list[dict]) -> Markup:
    """One horizontal bar per platform: removed / requested, with the counts beside it."""
    if not rows:
        return Markup('<p class="empty">No takedown request recorded yet.</p>')
    width, label_w, bar_w, row_h = 620, 90, 360, 26
    height = row_h * len(rows) + 24
    parts = [f'<svg class="chart" id="gk-compliance-chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             "<title>Compliance with takedown requests per platform (removed / requested)</title>"]
    for i, row in enumerate(rows):
        y = 8 + i * row_h
        rate = float(row.get("compliance_rate") or 0.0)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_t(row["platform"])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row_h - 8}" fill="#eeeeee"/>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{bar_w * rate:.1f}" height="{row_h - 8}" '
                     f'fill="{GREEN}"><title>{_t(row["platform"])}: {rate * 100:.0f}%</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 15}">{rate * 100:.0f}% '
                     f'({int(row["removed"])} of {int(row["requested"])})</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline(points: list[dict]) -> Markup:
    """Requests sent and removals per month: two bars a month."""
    if not points:
        return Markup('<p class="empty">No takedown request recorded yet.</p>')
    width, height, left, bottom, top = 620, 220, 40, 30, 14
    plot_h = height - bottom - top
    top_value = max(max(p["requested"], p["removed"]) for p in points) or 1
    slot = (width - left - 10) / len(points)
    bar = max(min(slot / 2 - 3, 28), 2)
    parts = [f'<svg class="chart" id="gk-timeline-chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             "<title>Takedown requests sent and accounts removed per month</title>",
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 6}" y2="{top + plot_h}" stroke="#888"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{top_value}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>']
    every = max(1, math.ceil(48 / slot))  # a label every ~48 pixels
    for i, p in enumerate(points):
        x = left + i * slot + slot / 2
        for offset, key, colour in ((-bar, "requested", BLUE), (0, "removed", GREEN)):
            h = plot_h * p[key] / top_value
            parts.append(f'<rect class="{key}" x="{x + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{_t(p["month"])}: {p[key]} {key}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{_t(p["month"])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _positions(n: int, edges: list[tuple[int, int]]):
    """Spring layout (networkx, numpy only below 500 nodes) for a small map; the maps' own
    layout for anything larger."""
    if n > 300:
        return map_layout.layout(n, edges, seed=1)
    import networkx as nx
    import numpy as np

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    pos = nx.spring_layout(g, seed=1, k=2.0 / math.sqrt(max(n, 1)), iterations=100)
    return np.array([pos[i] for i in range(n)])


def small_map(sub: map_data.Subgraph, width: int = 760, height: int = 420) -> Markup:
    """A static drawing of a (small) subgraph from graphkit.maps, in its colours; seeds and groups
    are labelled, every node's name is in an SVG <title> (escaped)."""
    order = list(sub.nodes)
    labelled = set(sub.seeds)
    if not order:
        return Markup('<p class="empty">Nothing to draw.</p>')
    index = {node_id: i for i, node_id in enumerate(order)}
    pos = _positions(len(order), [(index[e.source], index[e.target]) for e in sub.edges])
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    span = [(hi[k] - lo[k]) or 1.0 for k in (0, 1)]
    xy = {node_id: (30 + (pos[i][0] - lo[0]) / span[0] * (width - 170),
                    24 + (pos[i][1] - lo[1]) / span[1] * (height - 48)) for node_id, i in index.items()}
    parts = [f'<svg class="chart" id="gk-map" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>Network around the open requests</title>']
    for e in sub.edges:
        (x1, y1), (x2, y2) = xy[e.source], xy[e.target]
        mirror = e.type == "MIRROR_OF"
        dash = ' stroke-dasharray="5 3"' if mirror and e.props.get("status") != "confirmed" else ""
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="{RED if mirror else "#aaaaaa"}" stroke-width="{2 if mirror else 1}"{dash}/>')
    for node_id in order:
        node, (x, y) = sub.nodes[node_id], xy[node_id]
        fill = map_style.GONE_FILL if map_style.is_gone(node) else map_style.colour(node)
        r = 9 if node.label == "Group" else 6
        label = map_style.node_label(node) if node_id in labelled or node.label == "Group" else ""
        label = label if len(label) <= 22 else label[:21] + "\u2026"
        parts.append(f'<g class="node"><title>{_t(map_style.node_name(node))}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="#333" stroke-width="1"/>'
                     + (f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}" class="lbl">{_t(label)}</text>' if label else "")
                     + "</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
