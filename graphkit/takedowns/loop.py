"""The loop once, as the demo runs it: for each group with accounts on the platform, draft and
record requests dated the day after the latest loaded request; answer them with fictional answers
(``synthetic``); read the answers; the status three weeks later; the weekly briefing.

Everything is dated from the graph, not the clock, so running it again adds nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from graphkit.errors import TakedownError
from graphkit.takedowns import synthetic
from graphkit.takedowns.answers import update
from graphkit.takedowns.briefing import briefing
from graphkit.takedowns.draft import draft
from graphkit.takedowns.status import status


def run_once(graph, out: Path, progress=print, platform: str = "x") -> dict:
    """The takedown loop once on the demo graph: draft for ``platform`` (every group), record,
    read fictional answers, status, and the weekly briefing. Dated the day after the latest
    request in the graph, so that running the demo again changes nothing."""
    latest = graph.read("MATCH (t:TakedownRequest) WHERE NOT EXISTS { (t)-[:REPORTED_IN]->(r:Report) "
                        "WHERE r.rid STARTS WITH 'takedowns-draft-' } RETURN max(t.requested_at) AS at")[0]["at"]
    day = (datetime.fromisoformat(latest[:10]) if latest else datetime(2025, 7, 25)).replace(tzinfo=timezone.utc)
    now = day + timedelta(days=1, hours=9)
    groups = [r["gid"] for r in graph.read("MATCH (g:Group)<-[:AFFILIATED_WITH]-(a:Account {platform: $p}) "
                                           "RETURN DISTINCT g.gid AS gid ORDER BY gid", {"p": platform})]
    found = {"drafts": [], "files": {}}
    for gid in groups:
        try:
            pack = draft(graph, platform, group=gid, now=now, requester="Demo unit (fictional)")
        except TakedownError as exc:
            progress(f"  {gid}: {exc.message}")
            continue
        pack.write(out / f"takedowns-{platform}-{gid}")
        found["drafts"].append((gid, pack.summary(), pack.record(graph)))
        found["files"][gid] = str(out / f"takedowns-{platform}-{gid}")
    sent = graph.read("MATCH (t:TakedownRequest)-[:REPORTED_IN]->(:Report {rid: $rid}) "
                      "RETURN t.tid AS tid, t.requested_at AS at",
                      {"rid": f"takedowns-draft-{platform}-{now.date().isoformat()}"})
    answers = synthetic.write_answers(platform, [(r["tid"], datetime.fromisoformat(r["at"])) for r in sent],
                                      out / f"takedowns-{platform}-answers.csv")
    found["update"] = update(graph, answers).as_row()
    found["files"]["answers"] = str(answers)
    found["status"] = status(graph, as_of=now + timedelta(days=21))
    report = briefing(graph, as_of=now + timedelta(days=21), since=now.date())
    found["files"]["briefing"] = str(report.write(out / "briefing.html"))
    found["briefing"] = report.summary()
    return found
