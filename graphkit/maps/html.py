"""Rendering a map as one self-contained, offline, escaped HTML file.

pyvis builds the node and edge options; this module renders them with graphkit's own template
(``templates/map.html``), because pyvis 0.3.2's template escapes nothing and links scripts and
styles from CDNs. Here: Jinja autoescape on, the vis-network script that ships inside the pyvis
package inlined, the data embedded as JSON with ``<``, ``>``, ``&`` and U+2028/2029 escaped, and a
Content-Security-Policy that forbids every network load.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graphkit.errors import MapError

VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value) -> str:
    """JSON that is safe inside a ``<script>`` element: it can neither close the element nor
    open a comment, whatever the strings in it say."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return "".join(_JSON_ESCAPES.get(ch, ch) for ch in text) if any(c in text for c in _JSON_ESCAPES) else text


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network 9.1.2 as shipped inside the pyvis package (no download, no CDN)."""
    try:
        text = resources.files("pyvis").joinpath(*VIS_JS).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise MapError("vis-network is missing from the pyvis package",
                       hint="Reinstall graphkit's dependencies: pip install 'pyvis==0.3.2'.") from exc
    if "</script" in text.lower() or "<!--" in text:
        raise MapError("the vis-network script cannot be inlined safely")
    return text


@lru_cache(maxsize=1)
def _environment() -> Environment:
    folder = resources.files("graphkit.maps").joinpath("templates")
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def render(*, title: str, summary: str, notes: list[str], made_at: str, reports: list[str],
           reports_total: int, platforms: list[tuple[str, str]], nodes: list[dict],
           edges: list[dict], options: dict, version: str, kinds: set[str] = frozenset(),
           query_map: bool = False) -> str:
    data = {"nodes": nodes, "edges": edges, "options": options}
    return _environment().get_template("map.html").render(
        title=title, summary=summary, notes=notes, made_at=made_at, reports=reports,
        reports_total=reports_total, reports_more=max(reports_total - len(reports), 0),
        platforms=platforms, version=version, kinds=kinds, query_map=query_map,
        data_json=Markup(script_json(data)),
        vis_js=Markup(vis_network_js()),
    )
