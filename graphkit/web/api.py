"""The JSON API, mirroring the command line:

    GET  /api/session                    the CSRF token for scripts, read-only, the analyst
    GET  /api/queries                    = graphkit queries --format json
    GET  /api/query/NAME?KEY=VALUE...    = graphkit query NAME -p KEY VALUE ... --format json
    GET  /api/mirrors/candidates         = graphkit query mirror-candidates --format json (the stored
                                           candidates awaiting review, best first; -p min_score, limit)
    POST /api/mirrors/decision           = graphkit mirrors confirm|reject SUCCESSOR PREDECESSOR --note
                                           (JSON or form: successor, predecessor, decision, note; CSRF)

A query that cut its rows at ``limit`` says so in the header ``X-Graphkit-Note`` (the command
line says it on stderr), so the body stays exactly what the command line prints.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graphkit import output
from graphkit.mirrors import review as mirror_review
from graphkit.queries import library
from graphkit.web.app import bench
from graphkit.web.security import check_csrf

DECISIONS = {"confirm": "confirmed", "confirmed": "confirmed", "reject": "rejected", "rejected": "rejected"}


def query_values(request: Request, skip: tuple = ()) -> dict[str, str]:
    """The query string as ``-p KEY VALUE`` pairs (text, converted by the query like the CLI's)."""
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in skip or key == "token":
            continue
        if key in values:
            from graphkit.errors import ParameterError

            raise ParameterError(f"parameter {key} is given twice", hint="Give each parameter once.")
        values[key] = value
    return values


def run_query(graph, name: str, values: dict) -> library.Result:
    query = library.get(name)
    query.bind(values)  # parameter errors first, as on the command line
    return library.execute(graph, name, values)


def json_rows(result: library.Result) -> Response:
    body = output.render(result.rows, "json", result.columns)
    response = Response(body, media_type="application/json")
    if result.cut:
        response.headers["x-graphkit-note"] = (f"first {result.limit} rows only; limit=N for more, "
                                               "limit=0 for all")
    return response


async def session(request: Request):
    wb = bench(request)
    return JSONResponse({"csrf": request.app.state.lock.csrf, "read_only": wb.read_only, "analyst": wb.analyst})


async def queries(request: Request):
    rows = [{"name": q.name, "title": q.title, "category": q.category, "parameters": q.signature()}
            for q in library.queries().values()]
    return Response(output.render(rows, "json", ["name", "title", "category", "parameters"]),
                    media_type="application/json")


async def query(request: Request):
    name = request.path_params["name"]
    values = query_values(request)
    return json_rows(await bench(request).call(run_query, name, values))


async def candidates(request: Request):
    values = query_values(request)
    return json_rows(await bench(request).call(run_query, "mirror-candidates", values))


def record_decision(graph, data: dict, analyst: str) -> dict:
    decision = DECISIONS.get(str(data.get("decision", "")).strip().lower())
    if decision is None:
        raise mirror_review.MirrorError(f"unknown decision {data.get('decision')!r}",
                                        hint="Send decision=confirm or decision=reject.")
    note = str(data.get("note") or "").strip() or None
    return mirror_review.decide(graph, str(data.get("successor") or ""), str(data.get("predecessor") or ""),
                                decision, note, analyst=analyst)


async def decision(request: Request):
    data = await check_csrf(request)
    wb = bench(request)
    done = await wb.call(record_decision, data, wb.analyst)
    return JSONResponse(done)


ROUTES = [
    Route("/api/session", session),
    Route("/api/queries", queries),
    Route("/api/query/{name}", query),
    Route("/api/mirrors/candidates", candidates),
    Route("/api/mirrors/decision", decision, methods=["POST"]),
]
