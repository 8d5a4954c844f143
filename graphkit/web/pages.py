"""The workbench's pages: overview, canned queries (form, table, downloads), account profile, groups,
maps. The review queue is in ``review``, the takedowns page in ``takedown_pages``."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from markupsafe import Markup, escape

from graphkit import output
from graphkit.errors import GraphkitError, MapError
from graphkit.maps import build as maps
from graphkit.queries import library, refs
from graphkit.web import charts, paging, reads
from graphkit.web.api import query_values, run_query
from graphkit.web.app import bench, render
from graphkit.web.cells import sort_key
from graphkit.web.security import MAP_CSP

MAP_PREFIX = "p."  # a map's query parameters: /maps?query=NAME&p.KEY=VALUE
# nodes on a map drawn in the workbench (max_nodes=N asks for more): a map is built and laid out
# while the browser waits, so the workbench draws small maps unless asked (graphkit map: 2,000)
MAP_NODES = 300
GROUP_MAP_NODES = 150  # the group page's map, drawn when asked (its "bigger map" link: BIG_MAP_NODES)
BIG_MAP_NODES = 1000
MAX_MAP_NODES = 5000


def overview_data(graph) -> dict:
    stats, reports, decisions, groups = reads.together(
        (reads.stats, graph), (reads.reports, graph), (reads.recent_decisions, graph), (reads.groups, graph))
    return {"stats": stats, "reports": reports, "decisions": decisions, "groups": groups[:12]}


async def overview(request: Request):
    data = await bench(request).cached(overview_data)
    return render(request, "overview.html", queries=library.queries().values(), **data)


async def query_list(request: Request):
    return render(request, "queries.html", queries=library.queries().values())


def field(param, given: dict) -> dict:
    """A form field for a query parameter: input type, current value, choices."""
    kind = {"integer": "number", "float": "number", "date": "date"}.get(param.type, "text")
    value = given.get(param.name)
    if value is None:
        value = "" if param.default is None else output.cell_text(param.default)
    choices = [output.cell_text(c) for c in param.choices]
    if param.type == "boolean":
        choices = ["true", "false"]
    return {"name": param.name, "type": param.type, "input": kind, "value": value, "choices": choices,
            "required": param.required, "description": param.description, "allowed": param.allowed(),
            "step": "any" if param.type == "float" else "1"}


def table(result: library.Result) -> dict:
    rows = [[{"value": row.get(c), "sort": sort_key(row.get(c))} for c in result.columns] for row in result.rows]
    numeric = [all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in result.rows)
               and any(r.get(c) is not None for r in result.rows) for c in result.columns]
    return {"columns": result.columns, "rows": rows, "numeric": numeric, "cut": result.cut, "limit": result.limit}


def pager_links(name: str, given: dict, page: int, more: bool) -> dict:
    """The query page's previous / next links (None where there is no such page)."""
    def link(n: int) -> str:
        return f"/queries/{name}?" + urlencode({**given, "run": 1, **({"page": n} if n else {})})
    return {"prev": link(page - 1) if page > 0 else None, "next": link(page + 1) if more else None}


async def query_page(request: Request):
    query = library.get(request.path_params["name"])
    given = {k: v for k, v in query_values(request, skip=("run", "page")).items() if v != ""}
    context = {"query": query, "fields": [field(p, given) for p in query.parameters], "result": None,
               "args": urlencode(given), "map_args": urlencode({"query": query.name, **{MAP_PREFIX + k: v
                                                                                      for k, v in given.items()}})}
    if "run" in request.query_params:
        page = paging.page_number(request.query_params.get("page"))
        shown = await bench(request).cached(paging.run_page, query.name, given, page, paging.ROWS)
        context["result"] = {**table(shown["result"]), "first": shown["first"], "more": shown["more"],
                             "cut": shown["cut"], "limit": shown["limit"], "page": page,
                             **pager_links(query.name, given, page, shown["more"])}
    return render(request, "query.html", **context)


async def download(request: Request):
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise HTTPException(404, "Downloads are .csv or .json.")
    given = {k: v for k, v in query_values(request).items() if v != ""}
    result = await bench(request).call(run_query, name, given)
    if fmt == "csv":
        body, media = output.to_csv(result.rows, result.columns), "text/csv; charset=utf-8"
    else:
        body, media = output.render(result.rows, "json", result.columns), "application/json"
    return Response(body, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'})


def profile_data(graph, account: str) -> dict:
    # the account's key is what its parameter converts to (checked against the graph by the
    # query): the profile and the sightings are read side by side
    key = library.get("account-profile").bind({"account": account})["account"]
    result, seen = reads.together((library.execute, graph, "account-profile", {"account": account}),
                                  (reads.sightings, graph, key))
    if not result.rows:  # pragma: no cover - refs.check found it, the query returns its row
        return {"profile": None}
    profile = result.rows[0]
    return {"profile": profile, "columns": result.columns, "chart": charts.sightings_timeline(seen["monthly"]),
            "sightings": seen["latest"]}


async def account(request: Request):
    text = (request.query_params.get("a") or "").strip()
    if not text:
        return RedirectResponse("/search", status_code=303)
    data = await bench(request).cached(profile_data, text)
    return render(request, "account.html", account=text, **data)


async def search(request: Request):
    text = request.query_params.get("q", "")
    found = await bench(request).call(reads.find_accounts, text) if text.strip() else []
    if len(found) == 1:
        return RedirectResponse("/account?" + urlencode({"a": found[0]["account"]}), status_code=303)
    return render(request, "search.html", q=text, found=found)


async def group_list(request: Request):
    rows = await bench(request).cached(reads.groups)
    return render(request, "groups.html", groups=rows)


def group_data(graph, text: str) -> dict:
    gid = refs.check(graph, "group", text)
    footprint, group = reads.together((library.execute, graph, "group-footprint", {"group": gid}),
                                      (reads.group, graph, gid))
    return {"group": group, "footprint": table(footprint)}


async def group(request: Request):
    text = (request.query_params.get("g") or "").strip()
    if not text:
        return RedirectResponse("/groups", status_code=303)
    data = await bench(request).cached(group_data, text)
    gid = data["group"]["gid"]
    return render(request, "group.html", map_args=urlencode({"group": gid, "depth": 1, "max_nodes": GROUP_MAP_NODES}),
                  big_args=urlencode({"group": gid, "depth": 1, "max_nodes": BIG_MAP_NODES}),
                  map_nodes=GROUP_MAP_NODES, **data)


def map_request(request: Request) -> dict:
    q = request.query_params
    args = {k: q.get(k) for k in ("group", "account", "query") if q.get(k)}
    params = {k[len(MAP_PREFIX):]: v for k, v in q.multi_items() if k.startswith(MAP_PREFIX) and v != ""}
    depth, cap = q.get("depth"), (q.get("max_nodes") or "").strip()
    if cap and not (cap.isdigit() and 0 < int(cap) <= MAX_MAP_NODES):
        raise MapError(f"max nodes must be a whole number from 1 to {MAX_MAP_NODES}, not {cap!r}",
                       hint=f"{MAP_NODES} draws a quick map; {BIG_MAP_NODES} a bigger one.")
    return {**args, "params": params, "depth": int(depth) if depth and depth.isdigit() else None,
            "max_nodes": int(cap) if cap else MAP_NODES}


async def map_page(request: Request):
    wanted = map_request(request)
    chosen = any(wanted.get(k) for k in ("group", "account", "query"))
    view = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
    return render(request, "maps.html", wanted=wanted, chosen=chosen, view=view,
                  queries=library.queries().values(), asked_nodes=request.query_params.get("max_nodes") or "",
                  map_nodes=MAP_NODES, big_nodes=BIG_MAP_NODES, most_nodes=MAX_MAP_NODES)


async def map_view(request: Request):
    """The map itself: graphkit.maps' self-contained page, sandboxed by its own CSP."""
    headers = {"content-security-policy": MAP_CSP, "x-frame-options": "SAMEORIGIN"}
    try:
        wanted = map_request(request)
        if not any(wanted.get(k) for k in ("group", "account", "query")):
            return HTMLResponse("<p>Choose a group, an account or a query.</p>", status_code=400, headers=headers)
        html = await bench(request).cached_map(map_html, wanted)
    except GraphkitError as exc:  # shown inside the map's frame
        text = escape(exc.message) + (Markup("<br>") + escape(exc.hint) if exc.hint else "")
        return HTMLResponse(Markup('<p style="font: 14px sans-serif">{}</p>').format(text), status_code=400,
                            headers=headers)
    return HTMLResponse(html, headers=headers)


MAP_FETCH_FACTOR = 10   # a workbench map reads at most this many times its max_nodes


def map_html(graph, wanted: dict) -> str:
    """The map's page. Its expansion stops at MAP_FETCH_FACTOR x max_nodes nodes (the map says so),
    so a map of a group with tens of thousands of members answers in seconds, not minutes."""
    fetch = MAP_FETCH_FACTOR * (wanted.get("max_nodes") or MAP_NODES)
    return maps.build_map(graph, **wanted, fetch_limit=fetch).html()


def _review_routes():
    from graphkit.web import review, takedown_pages

    return review.ROUTES + takedown_pages.ROUTES


ROUTES = [
    Route("/", overview),
    Route("/queries", query_list),
    Route("/queries/{name}", query_page),
    Route("/download/query/{name}.{fmt:str}", download),
    Route("/account", account),
    Route("/search", search),
    Route("/groups", group_list),
    Route("/group", group),
    Route("/maps", map_page),
    Route("/maps/view", map_view),
] + _review_routes()
