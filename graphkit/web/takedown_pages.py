"""The takedowns page: compliance per platform, draft a platform's request pack and download it
(requests.csv, requests.json and letter.html in one zip, as ``graphkit takedowns draft`` writes
them), and record the requests once sent.

    GET  /takedowns                              compliance, the draft form
    GET  /takedowns?query=NAME[&p.KEY=VALUE...]   the same, the form set to that query and its parameters
    GET  /takedowns/pack.zip?platform=x&group=TTP|query=NAME[&p.KEY=VALUE...][&reappeared=1][&resend_after=14]
    POST /takedowns/record                       the same fields (CSRF): pending requests in the graph
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from graphkit.errors import TakedownError
from graphkit.model.spec import model
from graphkit.queries import library
from graphkit.takedowns.draft import draft
from graphkit.web.app import bench, render
from graphkit.web.pages import field, table
from graphkit.web.security import check_csrf

PARAM_PREFIX = "p."  # the query's parameters: query=NAME&p.KEY=VALUE (as on the maps page)


def query_params(fields) -> dict[str, str]:
    """The chosen query's parameters, sent as ``p.KEY=VALUE`` (blank ones left to their defaults)."""
    items = fields.multi_items() if hasattr(fields, "multi_items") else fields.items()
    return {k[len(PARAM_PREFIX):]: str(v).strip() for k, v in items
            if k.startswith(PARAM_PREFIX) and str(v).strip() != ""}


def draft_args(fields) -> dict:
    raw = str(fields.get("resend_after") or "14").strip()
    if not raw.isdigit():
        raise TakedownError(f"resend after must be a whole number of days, not {raw!r}",
                            hint="0 asks again now; the default is 14 days.")
    query, params = str(fields.get("query") or "").strip() or None, query_params(fields)
    if params and not query:
        raise TakedownError("query parameters were given without a query",
                            hint="Choose the query they belong to, or clear them.")
    return {"platform": str(fields.get("platform") or "").strip(),
            "group": str(fields.get("group") or "").strip() or None,
            "query": query, "params": params,
            "reappeared": str(fields.get("reappeared") or "") in ("1", "on", "true"),
            "resend_after": int(raw)}


def _draft(graph, args: dict, requester: str):
    return draft(graph, args["platform"], group=args["group"], query=args["query"], params=args["params"],
                 reappeared=args["reappeared"], resend_after=args["resend_after"], requester=requester)


def make_pack(graph, args: dict, requester: str) -> tuple[bytes, str]:
    pack = _draft(graph, args, requester)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="gk-pack-") as folder:
        paths = pack.write(folder)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths.values():
                archive.write(path, Path(path).name)
    return buffer.getvalue(), f"takedowns-{pack.platform}-{pack.day.isoformat()}.zip"


def record_pack(graph, args: dict, requester: str) -> dict:
    pack = _draft(graph, args, requester)
    return {**pack.record(graph), "summary": pack.summary()}


def compliance(graph):
    return table(library.execute(graph, "platform-compliance", {}))


def chosen_query(request: Request) -> tuple[str | None, list[dict]]:
    """``/takedowns?query=NAME&p.KEY=VALUE``: the query chosen for a draft and its form fields
    (named ``p.KEY``), filled with the values given (from a query page's "draft takedowns" link)."""
    name = (request.query_params.get("query") or "").strip()
    if not name:
        return None, []
    query = library.get(name)  # an unknown name: 404 with the known ones
    given = query_params(request.query_params)
    return name, [field(p, given) for p in query.parameters]


async def page(request: Request):
    chosen, fields = chosen_query(request)
    rows = await bench(request).cached(compliance)
    recorded = request.query_params.get("recorded")
    return render(request, "takedowns.html", compliance=rows, recorded=recorded, chosen=chosen, fields=fields,
                  platforms=model().vocabularies.get("platform", ()), queries=library.queries().values())


async def pack(request: Request):
    args = draft_args(request.query_params)
    wb = bench(request)
    body, name = await wb.call(make_pack, args, wb.analyst)
    return Response(body, media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


async def record(request: Request):
    fields = await check_csrf(request)
    wb = bench(request)
    done = await wb.call(record_pack, draft_args(fields), wb.analyst)
    note = f"{done['summary']} Recorded {done['created']} new, {done['unchanged']} already recorded."
    return RedirectResponse("/takedowns?" + urlencode({"recorded": note}), status_code=303)


ROUTES = [
    Route("/takedowns", page),
    Route("/takedowns/pack.zip", pack),
    Route("/takedowns/record", record, methods=["POST"]),
]
