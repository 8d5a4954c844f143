"""Network maps: one self-contained, offline, escaped HTML file around a group, an account or the
rows of a canned query.

    from graphkit.db import connect
    from graphkit.maps import build_map
    with connect() as graph:
        m = build_map(graph, group="TTP", depth=2)
        q = build_map(graph, query="mirror-candidates")     # depth 1 around the rows' accounts
    m.write("ttp.html")      # or show ``m`` in Jupyter (an iframe)
    m.n_nodes, m.n_edges, m.omitted

Fetching: ``map_data``; mention/retweet links and a query's own links: ``map_links``; positions for large maps: ``map_layout``; the visual encoding (through
pyvis): ``map_style``; the HTML: ``map_html`` and ``templates/map.html``.
"""
from __future__ import annotations

import html as html_lib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from graphkit.maps import data as map_data
from graphkit.maps import html as map_html
from graphkit.maps import layout as map_layout
from graphkit.maps import links as map_links
from graphkit.maps import style as map_style
from graphkit import output
from graphkit.errors import MapError
from graphkit.model.spec import model

DEFAULT_DEPTH = 2
#: a query map centres on the rows' own nodes
DEFAULT_QUERY_DEPTH = 1
DEFAULT_MENTIONS = map_links.DEFAULT_PER_NODE
DEFAULT_MAX_NODES = 2000
MAX_DEPTH = 6
REPORTS_LISTED = 8


@dataclass
class NetworkMap:
    """A rendered map. ``html()`` is the whole file; ``write(path)`` saves it."""

    title: str
    n_nodes: int
    n_edges: int
    omitted: dict = field(default_factory=dict)      # label -> nodes left out by --max-nodes
    physics: bool = True                              # laid out in the browser (small maps)
    reports: list = field(default_factory=list)
    _html: str = field(default="", repr=False)

    def html(self) -> str:
        return self._html

    def write(self, path) -> Path:
        return output.write_page(path, self._html, MapError, "map")

    def _repr_html_(self) -> str:
        """Inline in Jupyter: the map in an isolated iframe (srcdoc, escaped)."""
        return (f'<iframe srcdoc="{html_lib.escape(self._html, quote=True)}" '
                'style="width: 100%; height: 640px; border: 1px solid #ddd" '
                'sandbox="allow-scripts"></iframe>')


def build_map(graph, group: str | None = None, account: str | None = None, query: str | None = None,
              params: dict | None = None, depth: int | None = None,
              max_nodes: int = DEFAULT_MAX_NODES, mentions: int = DEFAULT_MENTIONS,
              forwards: bool = False, fetch_limit: int | None = None) -> NetworkMap:
    """A map around one group (gid or alias), one account (``PLATFORM:HANDLE``) or the accounts,
    channels and groups named in the rows of canned query ``query`` (with ``params``), expanded
    ``depth`` hops (default 2; 1 for a query, whose groups are drawn but never expanded) and
    capped at ``max_nodes`` nodes (the nearest and best connected kept). Mentions and retweets
    between accounts are drawn too: the ``mentions`` heaviest links of each account (0: none).
    A query map draws the links between the nodes of each row on top. ``forwards``: the forward
    network instead (``maps.forwards``: all of it, or around ``group`` or ``account``).
    ``fetch_limit``: stop the expansion after this many nodes (default ``FETCH_LIMIT``); the
    workbench uses a few times ``max_nodes`` so that a map of a big group answers in seconds."""
    if forwards:
        return _forward_map(graph, group, account, query, depth, max_nodes)
    depth = _checked(group, account, query, depth, max_nodes, mentions)
    anchors: list[str] = []
    rows: list[dict] = []
    row_nodes: list[dict] = []
    if group:
        seeds = map_data.group_seeds(graph, group)
        subject = f"group {group}"
    elif account:
        seeds = map_data.account_seeds(graph, account)
        subject = f"account {account}"
    else:
        rows = _query_rows(graph, query, params or {})
        row_nodes = map_links.row_nodes(graph, rows)
        seeds, anchors = _query_seeds(query, row_nodes)
        shown = ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        subject = f"query {query}" + (f" ({shown})" if shown else "")

    expander = map_links.Expander(graph, mentions) if mentions else None
    sub = map_data.expand(graph, seeds, depth, limit=max(fetch_limit or map_data.FETCH_LIMIT, max_nodes),
                          anchors=anchors, extra=expander,
                          stop=(model().node("Group").label,) if query else ())
    if mentions:
        map_links.add_mentions(graph, sub, mentions, expander.known)
    map_data.drop_single_identifiers(sub)
    before_cap = len(sub.nodes)
    map_data.cap(sub, max_nodes)
    if len(sub.nodes) < before_cap:
        # identifiers whose other users were cut away no longer link anything
        extra = _drop_orphaned_identifiers(sub)
        if extra:
            sub.omitted["Identifier"] = sub.omitted.get("Identifier", 0) + extra
    map_links.cap_mentions(sub, max_nodes)
    if query:
        map_links.mark_rows(sub, query, rows, row_nodes)
    map_data.fetch_reports(graph, sub)
    return render_map(sub, subject, depth, max_nodes)


def _checked(group, account, query, depth, max_nodes, mentions) -> int:
    """The depth to use (a query's default differs); MapError on a bad combination or value."""
    chosen = [name for name, value in (("group", group), ("account", account), ("query", query)) if value]
    if len(chosen) != 1:
        raise MapError("a map needs exactly one of a group, an account or a query",
                       hint="Use one of --group ID, --account PLATFORM:HANDLE, --query NAME.")
    if depth is None:
        depth = DEFAULT_QUERY_DEPTH if query else DEFAULT_DEPTH
    if not isinstance(depth, int) or not 0 <= depth <= MAX_DEPTH:
        raise MapError(f"depth must be between 0 and {MAX_DEPTH}, not {depth!r}",
                       hint="Depth 1 or 2 is usually readable; deeper maps grow very fast.")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise MapError(f"max-nodes must be a positive number, not {max_nodes!r}")
    if not isinstance(mentions, int) or mentions < 0:
        raise MapError(f"mentions must be 0 or a positive number, not {mentions!r}",
                       hint="--mentions N draws the N heaviest mention/retweet links of each account; 0 none.")
    return depth


def _forward_map(graph, group, account, query, depth, max_nodes) -> NetworkMap:
    from graphkit.maps import forwards as map_forwards

    if query:
        raise MapError("a forward map starts from a group, an account or the whole forward network, not a query",
                       hint="Use --forwards alone, or with --group ID or --account telegram:id:N.")
    if group and account:
        raise MapError("a forward map starts from a group or an account, not both",
                       hint="Use --forwards with --group ID or with --account telegram:id:N (or alone).")
    depth = _checked(None, account or group or "all", None, depth, max_nodes, 0)
    sub, subject = map_forwards.forward_subgraph(graph, group, account, depth)
    map_data.cap(sub, max_nodes)
    map_data.fetch_reports(graph, sub)
    return render_map(sub, subject, depth, max_nodes, notes=[map_forwards.NOTE])


def _query_seeds(query: str, row_nodes: list[dict]) -> tuple[list[str], list[str]]:
    """Seeds (expanded) and anchors (drawn only) of a query map, from what its rows name."""
    seeds = list(dict.fromkeys(i for r in row_nodes for i in r["seeds"]))
    anchors = list(dict.fromkeys(i for r in row_nodes for i in r["anchors"]))
    # groups, identifiers and operators named beside accounts are context: drawn, not expanded
    # (a group would pull in all its accounts); a query that names only those maps around them
    if not seeds:
        seeds, anchors = anchors, []
    if not seeds:
        raise MapError(f"the rows of query {query} name no account, channel or group in the graph",
                       hint="A map needs a query whose rows name PLATFORM:HANDLE accounts, "
                       "channels or groups.")
    return seeds, anchors


def _drop_orphaned_identifiers(sub: map_data.Subgraph) -> int:
    before = sub.single_identifiers
    map_data.drop_single_identifiers(sub)
    extra = sub.single_identifiers - before
    sub.single_identifiers = before
    return extra


def render_map(sub: map_data.Subgraph, subject: str, depth: int, max_nodes: int,
               made_at: datetime | None = None, notes: list[str] = ()) -> NetworkMap:
    large = len(sub.nodes) > map_layout.LAYOUT_THRESHOLD
    positions = None
    if large:
        order = list(sub.nodes)
        index = {node_id: i for i, node_id in enumerate(order)}
        positions = map_layout.layout(len(order), [(index[e.source], index[e.target]) for e in sub.edges])
    net, _ = map_style.build_network(sub, positions)
    options = _options(physics=not large, n_nodes=len(sub.nodes))
    made = (made_at or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    title = f"Network map: {subject}, depth {depth}"
    counts = _kind_counts(sub)
    summary = (f"{len(sub.nodes):,} nodes ({counts}) and {len(sub.edges):,} links{_link_counts(sub)}."
               + ("" if not large else " Laid out in advance; drag nodes to rearrange."))
    notes = list(notes)
    if sub.omitted:
        left = sum(sub.omitted.values())
        parts = ", ".join(f"{n:,} {map_style.KIND_NAMES[l]}{'s' if n != 1 else ''}"
                          for l, n in sorted(sub.omitted.items(), key=lambda kv: -kv[1]))
        notes.append(f"Capped at {max_nodes:,} nodes: {left:,} more left out ({parts}), "
                     "those farthest from the start and least connected. Raise --max-nodes or "
                     "lower --depth.")
    if sub.truncated:
        notes.append(f"Expansion stopped after {sub.fetched:,} nodes; the map is incomplete.")
    if sub.single_identifiers:
        notes.append(f"{sub.single_identifiers:,} identifier{'s' if sub.single_identifiers != 1 else ''} "
                     "used by only one node on this map not drawn (they link nothing).")
    notes.extend(line for line in (map_links.mention_note(sub), _query_note(sub)) if line)
    reports = [_report_line(r) for r in sub.reports[:REPORTS_LISTED]]
    platforms = sorted({(n["platform"].lower(), map_style.PLATFORM_COLOURS.get(n["platform"].lower(),
                                                                                 map_style.OTHER_PLATFORM))
                        for n in net.nodes if n["kind"] in ("Account", "Channel")})
    html = map_html.render(
        title=title, summary=summary, notes=notes, made_at=made, reports=reports,
        reports_total=len(sub.reports), platforms=platforms or [("none on this map", "#ffffff")],
        nodes=net.nodes, edges=net.edges, options=options, version=_version(),
        kinds={e["kind"] for e in net.edges}, query_map=bool(sub.query),
    )
    return NetworkMap(title=title, n_nodes=len(net.nodes), n_edges=len(net.edges),
                      omitted=dict(sub.omitted), physics=not large, reports=list(sub.reports),
                      _html=html)


def _query_note(sub: map_data.Subgraph) -> str | None:
    """A query map's line: what is at its centre and what is highlighted."""
    if not sub.query:
        return None
    rows, linked = sub.query["rows"], sub.query["rows_linked"]
    return (f"Centred on the accounts and channels named in the {rows:,} row{'s' if rows != 1 else ''} "
            f"of query {sub.query['name']} (thick outline); groups are drawn but not expanded. "
            f"The links between the nodes of a row glow and are drawn on top "
            f"({linked:,} row{'s' if linked != 1 else ''} linked on this map); other links are faded.")


def _link_counts(sub: map_data.Subgraph) -> str:
    """`` (12 of them mentions and retweets)``: the links that are not one relationship."""
    mentions = sum(1 for e in sub.edges if e.type == map_links.MENTION)
    return f" ({mentions:,} of them mentions and retweets)" if mentions else ""


def _kind_counts(sub: map_data.Subgraph) -> str:
    counts: dict[str, int] = {}
    for node in sub.nodes.values():
        counts[node.label] = counts.get(node.label, 0) + 1
    return ", ".join(f"{counts[l]:,} {map_style.KIND_NAMES[l]}{'s' if counts[l] != 1 else ''}"
                     for l in map_data.MAP_LABELS if l in counts) or "nothing"


def _report_line(report: dict) -> str:
    line = str(report.get("rid"))
    if report.get("title"):
        line += f" \u201c{report['title']}\u201d"
    if report.get("date"):
        line += f" ({str(report['date'])[:10]})"
    return line


def _options(physics: bool, n_nodes: int) -> dict:
    """vis-network options: physics to stabilise small maps, none for laid-out large ones."""
    options = {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 1000,
                        "navigationButtons": False, "keyboard": False},
        "edges": {"smooth": False if not physics else {"enabled": True, "type": "continuous"},
                  "selectionWidth": 2},
        "nodes": {"font": {"face": "system-ui, sans-serif"}},
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
    }
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _version() -> str:
    try:
        return metadata.version("graphkit")
    except metadata.PackageNotFoundError:  # pragma: no cover - source checkout without install
        return "dev"


def _query_rows(graph, name: str, params: dict) -> list[dict]:
    """Rows of canned query ``name``, run read-only by graphkit's query library."""
    from graphkit.queries import library as queries

    rows, _columns = queries.run(graph, name, params)
    return rows
