"""The takedowns page: compliance per platform, draft a platform's request pack and download it
(requests.csv, requests.json and letter.html in one zip, as ``graphkit takedowns draft`` writes
them), and record the requests once sent.

    GET  /takedowns                              compliance, the draft form
    GET  /takedowns/pack.zip?platform=x&group=TTP|query=NAME[&reappeared=1][&resend_after=14]
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
from graphkit.web.pages import table
from graphkit.web.security import check_csrf


def draft_args(fields) -> dict:
    raw = str(fields.get("resend_after") or "14").strip()
    if not raw.isdigit():
        raise TakedownError(f"resend after must be a whole number of days, not {raw!r}",
                            hint="0 asks again now; the default is 14 days.")
    return {"platform": str(fields.get("platform") or "").strip(),
            "group": str(fields.get("group") or "").strip() or None,
            "query": str(fields.get("query") or "").strip() or None,
            "reappeared": str(fields.get("reappeared") or "") in ("1", "on", "true"),
            "resend_after": int(raw)}


def make_pack(graph, args: dict, requester: str) -> tuple[bytes, str]:
    pack = draft(graph, args["platform"], group=args["group"], query=args["query"], reappeared=args["reappeared"],
                 resend_after=args["resend_after"], requester=requester)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="gk-pack-") as folder:
        paths = pack.write(folder)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths.values():
                archive.write(path, Path(path).name)
    return buffer.getvalue(), f"takedowns-{pack.platform}-{pack.day.isoformat()}.zip"


def record_pack(graph, args: dict, requester: str) -> dict:
    pack = draft(graph, args["platform"], group=args["group"], query=args["query"], reappeared=args["reappeared"],
                 resend_after=args["resend_after"], requester=requester)
    return {**pack.record(graph), "summary": pack.summary()}


def compliance(graph):
    return table(library.execute(graph, "platform-compliance", {}))


async def page(request: Request):
    rows = await bench(request).call(compliance)
    recorded = request.query_params.get("recorded")
    return render(request, "takedowns.html", compliance=rows, recorded=recorded,
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
