"""Exports: size and time of each ``graphkit export --all`` format on a synthetic graph.

    python bench/export_bench.py                 # full: ~100k accounts, 500k sightings (bench/run.py's)
    python bench/export_bench.py --quick         # ~10k accounts, 50k sightings
    python bench/export_bench.py --scale 115 --sightings 100000 --json out.json

Against the managed server under ``GRAPHKIT_HOME`` (or ``NEO4J_URI``): the database is EMPTIED
and the synthetic bundle (``graphkit synth --seed 7``, as bench/run.py writes it) is loaded, unless
``--no-load`` reuses what is there. Each format then runs in a fresh Python process: the time to
read the scope from Neo4j, the time to write the file (wall clock, and this process's CPU time:
on a shared machine the wall clock measures the neighbours too), the file's size and the
process's peak memory (VmHWM). Nothing here is asserted; tests/test_exports.py checks the contents.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

FORMATS = {"stix": "json", "misp": "json", "ftm": "jsonl", "gexf": "gexf", "graphml": "graphml", "links": "csv"}
MODES = {"full": {"scale": 115, "sightings": 500_000}, "quick": {"scale": 12, "sightings": 50_000}}

SCRIPT = r"""
import json, os, resource, sys, time
from graphkit.db import graph as db
from graphkit.exports import read_scope, write_scope

def hwm_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

fmt, path = sys.argv[1], sys.argv[2]
graph = db.connect(start=False)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

t0, c0 = time.perf_counter(), cpu()
scope = read_scope(graph, everything=True)
t1, c1 = time.perf_counter(), cpu()
result = write_scope(scope, fmt, path)
t2, c2 = time.perf_counter(), cpu()
graph.close()
print(json.dumps({"read_s": round(t1 - t0, 2), "write_s": round(t2 - t1, 2),
                  "read_cpu_s": round(c1 - c0, 2), "write_cpu_s": round(c2 - c1, 2),
                  "bytes": sum(os.path.getsize(p) for p in result.paths), "peak_rss_mb": round(hwm_kb() / 1024, 1),
                  "scope": result.scope, "counts": result.counts}))
"""


def load_graph(folder: Path, scale: int, sightings: int | None) -> dict:
    from bench.run import synth
    from graphkit.db import graph as db
    from graphkit.ingest import load
    from graphkit.model import schema

    data = synth(folder, 7, scale, sightings)
    graph = db.connect()
    try:
        schema.wipe(graph)
        schema.init(graph)
        t0 = time.perf_counter()
        summary = load(graph, [folder], progress=False)
        data["load_s"] = round(time.perf_counter() - t0, 1)
        data["load_totals"] = summary.totals()
    finally:
        graph.close()
    return data


def run_format(fmt: str, outdir: Path) -> dict:
    path = outdir / f"all.{fmt}.{FORMATS[fmt]}"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, fmt, str(path)], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=7200)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-800:]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    path.unlink(missing_ok=True)
    Path(str(path).replace(f".{FORMATS[fmt]}", f".entities.{FORMATS[fmt]}")).unlink(missing_ok=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale", type=int)
    parser.add_argument("--sightings", type=int)
    parser.add_argument("--no-load", action="store_true", help="export the graph that is there")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "graphkit-bench-data"))
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    conf = dict(MODES["quick" if args.quick else "full"])
    if args.scale:
        conf["scale"] = args.scale
    if args.sightings:
        conf["sightings"] = args.sightings
    report: dict = {"mode": "quick" if args.quick else "full", **conf}
    if not args.no_load:
        folder = Path(args.workdir) / f"synth-s7-x{conf['scale']}-v{conf['sightings']}"
        report["data"] = load_graph(folder, conf["scale"], conf["sightings"])
        print(f"loaded {report['data'].get('accounts')} accounts in {report['data']['load_s']} s", file=sys.stderr)
    report["formats"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            result = run_format(fmt, Path(tmp))
            report["formats"][fmt] = result
            if "error" in result:
                print(f"{fmt}: failed: {result['error']}", file=sys.stderr)
            else:
                print(f"{fmt:8} read {result['read_s']:7.1f} s ({result['read_cpu_s']:.1f} CPU)  "
                      f"write {result['write_s']:7.1f} s ({result['write_cpu_s']:.1f} CPU)  "
                      f"{result['bytes'] / 1e6:8.1f} MB  peak {result['peak_rss_mb']:7.0f} MB", file=sys.stderr)
    text = json.dumps(report, indent=2, default=str)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
