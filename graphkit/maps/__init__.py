"""Offline network maps: the subgraph (``data``), node and edge styles (``style``), the layout
(``layout``), the self-contained HTML (``html``, ``templates/``); ``build`` puts them together."""
from graphkit.maps.build import build_map

__all__ = ["build_map"]
