"""The letter and the briefing as self-contained, escaped, offline HTML.

The approach of the maps (``graphkit.maps.html``): Jinja with autoescape on for every value, and a
Content-Security-Policy that forbids every network load. These pages need no script at all, so
the policy allows none: even text that slipped through as markup could not run.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import metadata, resources

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graphkit.output import cell_text

CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
       "connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def environment() -> Environment:
    folder = resources.files("graphkit.takedowns").joinpath("templates")
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["csp"] = CSP
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))
    env.filters["cell"] = lambda v, limit=300: _clip(cell_text(v), limit)
    env.filters["pct"] = lambda v: "" if v is None else f"{float(v) * 100:.0f}%"
    return env


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def version() -> str:
    try:
        return metadata.version("graphkit")
    except metadata.PackageNotFoundError:  # pragma: no cover - source checkout without install
        return "dev"


def render(template: str, **values) -> str:
    return environment().get_template(template).render(version=version(), **values)
