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
                        + f" Answers read: {loop['update']}. Briefing: {loop['files']['briefing']} "
                        f"({loop['briefing']})")
    result.files.update({f"takedowns-{k}": v for k, v in loop["files"].items()})
    result.notes.append(f"Query results as CSV in {out}/. Server: {graph.uri}.")
    return result



def run_takedown_loop(graph, out: Path, progress=print, platform: str = "x") -> dict:
    """The takedown loop once on the demo graph (graphkit.takedowns.loop.run_once): draft for
    ``platform``, record, fictional answers, status and the weekly briefing."""
    from graphkit.takedowns.loop import run_once

    return run_once(graph, out, progress=progress, platform=platform)
