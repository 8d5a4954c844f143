"""The scale benchmark (issue 17): ``python bench/run.py --scale 1m`` (or 100k, 10k ...).

On an emptied database (it is WIPED: use a throw-away server), for a synthetic bundle of N accounts
and 5 N sightings (``graphkit synth``):

1. LOAD CSV over the same normalised rows (bench/baselines.py, as run.py does), then
   ``graphkit load`` in a fresh process (rows/s, peak memory; the ratio to LOAD CSV) and the mirror
   keys of the accounts it touched (``keys.refresh_stale``: part of ``graphkit load``);
2. every canned query, p50/p95 (run.py's ``queries_step``);
3. full mirror detection (``mirrors detect --full --write``) in a fresh process: time, peak memory;
4. screening of 1,000 new accounts one at a time (``mirrors screen``): half planted mirrors of
   removed accounts (handle bumped by a counter or a look-alike letter, the same display name and
   bio, first seen days after the removal), half unrelated; latency p50/p95, top-1 and top-5
   recall of the planted ones;
5. the 1,000 loaded as a new report (1% of 100k), then incremental detection in a fresh process:
   time, peak memory.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

ACCOUNTS_PER_SCALE = 874
NEW_ACCOUNTS = 1000

DETECT_SCRIPT = r"""
import json, sys, time
from graphkit.db import graph as db
from graphkit.mirrors import incremental

def hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)

graph = db.connect(start=False)
t0 = time.perf_counter()
run = incremental.run(graph, full=sys.argv[1] == "full", write=True, progress=False)
print(json.dumps({"mode": run.mode, "seconds": round(time.perf_counter() - t0, 1), "peak_rss_mb": hwm_mb(),
                  "flagged": run.flagged, "reexamined": run.reexamined,
                  "pairs": run.detection.stats.comparisons, "candidates": len(run.detection.candidates)}))
"""


def parse_scale(text: str) -> int | None:
    """'1m' -> 1,000,000 accounts, '100k' -> 100,000; a plain number is not a scale (None)."""
    text = str(text).strip().lower()
    for suffix, factor in (("m", 1_000_000), ("k", 1_000)):
        if text.endswith(suffix) and text[:-1].replace(".", "", 1).isdigit():
            return int(float(text[:-1]) * factor)
    return None


def _subprocess(script: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=6 * 3600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-800:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def refresh_keys(graph) -> dict:
    from graphkit.mirrors import keys

    t0 = time.perf_counter()
    n = keys.refresh_stale(graph)
    return {"accounts": n, "seconds": round(time.perf_counter() - t0, 1)}


def new_accounts(graph, folder: Path, n: int = NEW_ACCOUNTS) -> list[dict]:
    """``n`` new accounts: half planted mirrors of removed accounts, half unrelated; written as a
    bundle (accounts.csv, report.json) into ``folder``."""
    rows = graph.read("MATCH (a:Account) WHERE a.status IN ['removed', 'suspended'] AND a.display_name IS NOT NULL "
                      "AND a.handle IS NOT NULL RETURN a.key AS key, a.platform AS platform, a.handle AS handle, "
                      "a.display_name AS name, a.bio AS bio, toString(coalesce(a.removed_at, a.last_seen)) AS gone "
                      "ORDER BY key")
    step = max(1, len(rows) // (n // 2))
    planted = rows[::step][: n // 2]
    out = []
    for i, r in enumerate(planted):
        handle = r["handle"]
        handle = f"{handle}{i % 7 + 2}" if i % 2 == 0 else handle.replace("a", "4", 1).replace("o", "0", 1) + "_"
        gone = (r["gone"] or "2025-07-01")[:10]
        out.append({"platform": r["platform"], "handle": handle, "display_name": r["name"], "bio": r["bio"] or "",
                    "first_seen": gone, "status": "active", "of": r["key"]})
    for i in range(n - len(out)):
        out.append({"platform": "x", "handle": f"fresh_reader_{i}_example", "display_name": f"Fresh Reader {i}",
                    "bio": "", "first_seen": "2025-07-20", "status": "active", "of": None})
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "accounts.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["platform", "handle", "display_name", "bio", "first_seen", "status"])
        for a in out:
            w.writerow([a["platform"], a["handle"], a["display_name"], a["bio"], a["first_seen"], a["status"]])
    (folder / "report.json").write_text(json.dumps({"id": "bench-new-accounts", "source": "bench (fictional)",
                                                    "date": "2025-07-26"}))
    return out


def screening(graph, accounts: list[dict], folder: Path) -> dict:
    """Each account screened alone (as a platform would at sign-up), from its row."""
    from graphkit.mirrors import screen

    views = screen.from_file(folder / "accounts.csv")
    screen.screen(graph, views[:1])  # the model is loaded (and fitted, if never) before timing
    times, top1, top5, planted = [], 0, 0, 0
    for view, row in zip(views, accounts):
        t0 = time.perf_counter()
        found = screen.screen(graph, [view], top=5)
        times.append(time.perf_counter() - t0)
        if row["of"]:
            planted += 1
            ranked = [m.candidate_key for m in found]
            top1 += bool(ranked[:1] == [row["of"]])
            top5 += row["of"] in ranked[:5]
    from run import percentile

    return {"accounts": len(times), "planted": planted, "p50_ms": round(percentile(times, 50) * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1), "max_ms": round(max(times) * 1000, 1),
            "top1_recall": round(top1 / max(planted, 1), 3), "top5_recall": round(top5 / max(planted, 1), 3)}


def load_new(graph, folder: Path) -> dict:
    from graphkit.ingest import load
    from graphkit.mirrors import keys

    t0 = time.perf_counter()
    summary = load(graph, [folder], progress=False)
    keyed = keys.refresh_stale(graph)
    return {"seconds": round(time.perf_counter() - t0, 1), "totals": summary.totals(), "keyed": keyed}


def main(accounts: int, args, sec, graph, report: dict) -> None:
    """Called by run.py for ``--scale 1m`` & co."""
    import run
    from bench import baselines

    scale = max(1, round(accounts / ACCOUNTS_PER_SCALE))
    sightings = 5 * accounts
    workdir = args.workdir or Path("/tmp/graphkit-bench-data")
    bundle = workdir / f"synth-s{args.seed}-x{scale}-sig{sightings}"
    report["config"] = {"accounts_asked": accounts, "synth_scale": scale, "sightings": sightings, "seed": args.seed,
                        "batch_size": args.batch_size, "csv_batch": args.csv_batch}
    report["machine"] = sec.run("machine", run.machine, graph)
    report["data"] = sec.run("synth", run.synth, bundle, args.seed, scale, sightings)
    if "load_csv" not in args.skip:
        report["load_csv"] = sec.run("LOAD CSV baseline", run.load_csv_step, graph, bundle, args.csv_batch)
    report["load"] = sec.run("graphkit load (timed)", run.loader_subprocess, graph, bundle, args.batch_size)
    report["load_keys"] = sec.run("mirror keys of the loaded accounts", refresh_keys, graph)
    report["graph"] = sec.run("graph counts", baselines.counts, graph)
    lr, cr = (report.get("load") or {}).get("rows_per_s"), (report.get("load_csv") or {}).get("rows_per_s")
    report["ratio_vs_load_csv"] = run.ratio(lr, cr)
    if "queries" not in args.skip:
        report["queries"] = sec.run("canned queries", run.queries_step, graph, 10, 30)
    if "mirrors" in args.skip:
        return
    report["detect_full"] = sec.run("full detection", _subprocess, DETECT_SCRIPT, "full")
    folder = workdir / f"new-accounts-{accounts}"
    planted = sec.run("new accounts", new_accounts, graph, folder)
    if planted:
        report["screening"] = sec.run("screening 1,000 new accounts", screening, graph, planted, folder)
        report["load_new"] = sec.run("load the 1,000 new accounts", load_new, graph, folder)
        report["detect_incremental"] = sec.run("incremental detection", _subprocess, DETECT_SCRIPT, "incremental")
