"""The demo: start or reuse a server, load synthetic reports, run headline queries, write a map.

Everything goes through the public library functions a user's notebook would call. The graph
is not emptied: the synthetic report loads idempotently, so running the demo twice changes
nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphkit import output
from graphkit.model import schema
from graphkit.db.graph import connect

HEADLINE_QUERIES = [
    ("Platform compliance with takedown requests", "platform-compliance", {}),
    ("TTP's footprint per platform", "group-footprint", {"group": "TTP"}),
    ("Shared operators (top 5 clusters)", "shared-operators", {}),
    ("Mirror chains (confirmed)", "mirror-chains", {}),
    ("Accounts still active 30+ days after they were reported (top 10)", "active-after-report", {"days": 30}),
]


@dataclass
class DemoResult:
    sections: list = field(default_factory=list)  # (title, rows, columns)
    notes: list = field(default_factory=list)
    files: dict = field(default_factory=dict)


def _top(rows: list[dict], n: int) -> list[dict]:
    return rows[:n]


def run(output_dir: str | Path = "demo-output", seed: int = 0, progress=print) -> DemoResult:
    from graphkit.maps import build as maps
    from graphkit.mirrors import detect as mirrors
    from graphkit.queries import library as queries
    from graphkit.ingest.engine import load
    from graphkit.synth.write import write as write_synth

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = DemoResult()
    bundle = out / f"synthetic-report-seed{seed}"
    progress(f"Writing the synthetic report bundle to {bundle} ...")
    expected = write_synth(bundle, seed=seed, scale=1)
    result.files["bundle"] = str(bundle)

    with connect(progress=progress) as graph:
        schema.init(graph)
        progress(f"Loading {bundle} ...")
        summary = load(graph, [bundle], progress=None)
        totals = summary.totals()
        result.sections.append(("Load summary", summary.as_rows(), None))
        result.sections.append(("What is in the graph", schema.stats(graph), ["kind", "count"]))

        for title, name, params in HEADLINE_QUERIES:
            rows, columns = queries.run(graph, name, params)
            limit = 5 if name == "shared-operators" else 10
            result.sections.append((title, _top(rows, limit), columns))
            (out / f"{name}.csv").write_text(output.to_csv(rows, columns), encoding="utf-8")
            result.files[name] = str(out / f"{name}.csv")

        detection = mirrors.detect(graph)
        candidates = [c.row() for c in detection.candidates]
        result.sections.append((
            f"Mirror candidates found by the detector ({len(candidates)}; top 10)",
            candidates[:10], ["successor", "predecessor", "score", "evidence"],
        ))
        written = mirrors.write_candidates(graph, detection.candidates)
        result.notes.append(f"Mirror candidates stored for review: {written}. "
                            "Review them with `graphkit query mirror-candidates` and "
                            "`graphkit mirrors confirm|reject SUCCESSOR PREDECESSOR`.")

        network = maps.build_map(graph, group="TTP", depth=2)
        map_path = out / "ttp-network.html"
        network.write(map_path)
        result.files["map"] = str(map_path)
        loop = run_takedown_loop(graph, out, progress)

    result.notes.append(
        f"Loaded {totals.get('read', 0)} rows ({totals.get('rejected', 0)} rejected) from a fictional "
        f"report calibrated to July 2025: {expected['accounts']} accounts, "
        f"{expected['takedown_requests']} takedown requests, {expected['removed']} removed."
    )
    result.notes.append(f"Network map of TTP: {map_path} ({network.n_nodes} nodes, {network.n_edges} edges); "
                        "open it in any browser, no internet needed.")
    result.sections.append(("Takedown loop: status after one round of requests to X",
                            loop["status"].rows, None))
    result.notes.append("Takedown loop: " + " | ".join(f"{gid}: {text}" for gid, text, _ in loop["drafts"])
                        + f" Briefing: {loop['files']['briefing']} ({loop['briefing']})")
    result.files.update({f"takedowns-{k}": v for k, v in loop["files"].items()})
    result.notes.append(f"Query results as CSV in {out}/. Server: {graph.uri}.")
    return result


def run_takedown_loop(graph, out: Path, progress=print, platform: str = "x") -> dict:
    """The takedown loop once on the demo graph: draft for ``platform`` (every group), record,
    read fictional answers, status, and the weekly briefing. Dated the day after the latest
    request in the graph, so that running the demo again changes nothing."""
    from datetime import datetime, timedelta, timezone

    from graphkit.errors import TakedownError
    from graphkit.takedowns import synthetic
    from graphkit.takedowns.answers import update
    from graphkit.takedowns.briefing import briefing
    from graphkit.takedowns.draft import draft
    from graphkit.takedowns.status import status

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
        folder = out / f"takedowns-{platform}-{gid}"
        pack.write(folder)
        recorded = pack.record(graph)
        found["drafts"].append((gid, pack.summary(), recorded))
        answers = synthetic.write_answers(pack, folder / "answers.csv")
        found.setdefault("updates", []).append(update(graph, answers).as_row())
        found["files"][gid] = str(folder)
    found["status"] = status(graph, as_of=now + timedelta(days=21))
    report = briefing(graph, as_of=now + timedelta(days=21), since=now.date())
    found["files"]["briefing"] = str(report.write(out / "briefing.html"))
    found["briefing"] = report.summary()
    return found
