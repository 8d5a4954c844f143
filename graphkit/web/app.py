"""The workbench as a Starlette app: ``create_app(graph, token, ...)``.

The app only translates between HTTP and graphkit's Python API (queries, mirrors, maps,
takedowns), like the command line does; ``security`` locks it (token, Host, CSRF, headers).
Pages are rendered on the server by Jinja2 with autoescape; the little JavaScript and CSS they use
are served from ``static/``; nothing is fetched from anywhere else.
"""
from __future__ import annotations

import getpass
import json
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from graphkit.errors import GraphkitError, NotInGraph, UnknownQuery
from graphkit.web import security
from graphkit.web.cache import PageCache
from graphkit.web.cells import cell_html

HERE = Path(__file__).resolve().parent
MAPS_KEPT = 8  # built maps kept until the graph changes


class Workbench:
    """What every handler needs: the graph, the run's rules and the templates."""

    def __init__(self, graph, read_only: bool, analyst: str, cache: bool = True):
        self.graph = graph
        self.cache = PageCache(enabled=cache)
        self.maps = PageCache(entries=MAPS_KEPT, enabled=cache)  # maps are big (0.5-2 MB each)
        self.read_only = read_only
        self.analyst = analyst
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                                 autoescape=True)
        env.filters["cell"] = cell_html
        env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False, default=str)
        self.templates = Jinja2Templates(env=env)

    async def call(self, fn, *args, **kwargs):
        """Run ``fn(graph, ...)`` (blocking driver work) off the event loop."""
        return await run_in_threadpool(fn, self.graph, *args, **kwargs)

    async def cached(self, fn, *args):
        """``call(fn, ...)``, its result kept until the graph changes (``cache``): for the pages'
        reads, which a browser asks again and again (args must be plain values)."""
        return await run_in_threadpool(self.cache.get, self.graph, fn, *args)

    async def cached_map(self, fn, *args):
        """``cached`` for the maps, kept apart (fewer of them)."""
        return await run_in_threadpool(self.maps.get, self.graph, fn, *args)


def bench(request: Request) -> Workbench:
    return request.app.state.workbench


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    wb = bench(request)
    context.update(read_only=wb.read_only, analyst=wb.analyst, csrf=request.app.state.lock.csrf,
                   path=request.url.path)
    return wb.templates.TemplateResponse(request, template, context, status_code=status)


def default_analyst() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a container)
        return "analyst"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def graphkit_error(request: Request, exc: GraphkitError) -> Response:
    status = 404 if isinstance(exc, (UnknownQuery, NotInGraph)) else 400
    if _is_api(request):
        return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=status)
    return render(request, "error.html", status=status, message=exc.message, hint=exc.hint)


async def http_error(request: Request, exc: HTTPException) -> Response:
    if _is_api(request):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return render(request, "error.html", status=exc.status_code, message=exc.detail, hint=None)


def create_app(graph, token: str, host: str = "127.0.0.1", port: int = 8765, read_only: bool = False,
               analyst: str | None = None, cache: bool = True) -> Starlette:
    """The locked workbench for ``graph``: requests must carry ``token`` and come to ``host:port``.
    ``cache=False`` reads the graph for every page (the pages keep what they read until the graph
    changes otherwise: ``graphkit.web.cache``)."""
    from graphkit.web import api, pages

    routes = pages.ROUTES + api.ROUTES + [Mount("/static", StaticFiles(directory=str(HERE / "static")),
                                                name="static")]
    app = Starlette(routes=routes, exception_handlers={GraphkitError: graphkit_error, HTTPException: http_error})
    lock = security.Lock(token=token, hosts=security.allowed_hosts(host, port), port=port, read_only=read_only)
    app.state.lock = lock
    app.state.workbench = Workbench(graph, read_only, analyst or default_analyst(), cache=cache)
    app.add_middleware(security.LockMiddleware, lock=lock)
    return app
