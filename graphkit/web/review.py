"""The review queue: stored mirror candidates best first (``mirror-candidates``); both accounts side
by side with the evidence and their timelines; confirm or reject with a note (recorded with the
analyst's name and the time by ``graphkit.mirrors.review.decide``); the next candidate at once.

    GET  /review?at=N        the N-th candidate (0: the best)
    POST /review/decide      successor, predecessor, decision, note, at (CSRF)
    POST /review/detect      run detection and store the candidates (CSRF)
"""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from graphkit.mirrors import detect as mirrors
from graphkit.model.spec import model
from graphkit.queries import library
from graphkit.web import charts, reads
from graphkit.web.api import record_decision
from graphkit.web.app import bench, render
from graphkit.web.security import check_csrf

QUEUE = 50  # candidates listed beside the one shown ...
BEFORE = 10  # ... this many of them before it
SIDE_FIELDS = ("display_name", "bio", "status", "followers", "created_at", "removed_at", "first_seen",
               "last_seen", "groups", "identifiers", "sightings", "takedowns")


def side(graph, account: str) -> dict:
    """One account of the pair: its profile fields and its timeline."""
    rows = library.execute(graph, "account-profile", {"account": account}).rows
    if not rows:  # pragma: no cover - a candidate's accounts exist
        return {"account": account, "fields": [], "chart": ""}
    profile = rows[0]
    seen = reads.sightings(graph, profile["key"], limit=5)
    return {"account": account, "fields": [(f, profile.get(f)) for f in SIDE_FIELDS],
            "chart": charts.sightings_timeline(seen["monthly"], width=420, height=120),
            "sightings": seen["latest"]}


def waiting(graph) -> int:
    """How many candidates await review (all of them, from the index on the link status)."""
    return graph.read(f"MATCH ()-[m:{model().rel('MIRROR_OF').type}]->() WHERE m.status = 'candidate' "
                      "RETURN count(m) AS n")[0]["n"]


def queue_data(graph, at: int, shown: int = QUEUE, before: int = BEFORE) -> dict:
    """The ``at``-th best candidate, both its accounts, and the part of the queue around it
    (``before`` candidates before it, ``shown`` listed): only as many candidates are asked for as
    the list shows."""
    at = max(at, 0)
    first = max(at - before, 0)
    rows, total = reads.together((library.execute, graph, "mirror-candidates", {"limit": first + shown}),
                                 (waiting, graph))
    queue = rows.rows
    if not queue:
        return {"queue": [], "current": None, "at": 0, "first": 0, "total": total}
    if at >= len(queue):  # past the end: the last one (all of them were read)
        at = len(queue) - 1
        first = max(at - before, 0)
    current = queue[at]
    sides = reads.together((side, graph, current["successor"]), (side, graph, current["predecessor"]))
    return {"queue": queue[first:first + shown], "first": first, "at": at, "current": current, "sides": sides,
            "total": total}


async def queue_page(request: Request):
    raw = request.query_params.get("at", "0")
    at = int(raw) if raw.isdigit() else 0
    data = await bench(request).cached(queue_data, at, QUEUE, BEFORE)
    done = {k: request.query_params.get(k) for k in ("decided", "s", "p")}
    return render(request, "review.html", done=done if done["decided"] else None, **data)


async def decide(request: Request):
    data = await check_csrf(request)
    wb = bench(request)
    done = await wb.call(record_decision, data, wb.analyst)
    at = str(data.get("at") or "0")
    back = {"at": at if at.isdigit() else "0", "decided": done["status"], "s": done["successor"],
            "p": done["predecessor"]}
    return RedirectResponse("/review?" + urlencode(back), status_code=303)


def detect_and_store(graph) -> dict:
    result = mirrors.detect(graph, progress=False)
    return mirrors.write_candidates(graph, result.candidates)


async def detect(request: Request):
    await check_csrf(request)
    await bench(request).call(detect_and_store)
    return RedirectResponse("/review", status_code=303)


ROUTES = [
    Route("/review", queue_page),
    Route("/review/decide", decide, methods=["POST"]),
    Route("/review/detect", detect, methods=["POST"]),
]
