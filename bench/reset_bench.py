"""Reset and detach at the DEFAULT memory (issue 20): no GRAPHKIT_HEAP / GRAPHKIT_PAGECACHE.

    python bench/reset_bench.py                      # a node with 1,000,000 relationships
    python bench/reset_bench.py --rels 10000         # small, to try the script
    python bench/reset_bench.py --reset-existing     # time `graphkit reset --yes` on the graph there

Against graphkit's managed server under ``GRAPHKIT_HOME`` (the current case): **it WIPES that
graph**; use a throw-away home. GRAPHKIT_HEAP and GRAPHKIT_PAGECACHE are ignored: a server that
runs with other sizes than graphkit would choose now is restarted at the chosen ones (printed).

Without ``--reset-existing``: the graph is emptied (``graphkit reset``), one node is created with
``--rels`` relationships to as many leaf nodes, then (a) the node is detached through graphkit's
batched path (its relationships deleted ``IN TRANSACTIONS OF --batch ROWS``, then the node), and
(b) ``graphkit reset --yes`` (a fresh process) empties what is left (the leaves). With
``--reset-existing``: only ``graphkit reset --yes`` on the graph as it is (e.g. the 100k benchmark's).
Times are wall clock; nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

for _name in ("GRAPHKIT_HEAP", "GRAPHKIT_PAGECACHE"):  # the defaults are what is measured
    os.environ.pop(_name, None)

HUB, LEAF, REL = "_BenchHub", "_BenchLeaf", "_BENCH_REL"


def conf_memory(paths) -> dict:
    values = {}
    try:
        for line in (paths.conf / "neo4j.conf").read_text().splitlines():
            key, _, value = line.partition("=")
            if key in ("server.memory.heap.max_size", "server.memory.pagecache.size"):
                values["heap" if "heap" in key else "pagecache"] = value.strip()
    except OSError:
        pass
    return values


def server_at_defaults(progress) -> dict:
    """Start (or restart) the current case's managed server at the sizes graphkit chooses."""
    from graphkit.db import server
    from graphkit.db.server import memory

    paths = server.server_paths()
    running = server.status(paths).running
    chosen = memory.recommend(paths)  # beside the other running servers of this home
    if running and conf_memory(paths) != {"heap": chosen.heap, "pagecache": chosen.pagecache}:
        progress(f"Restarting the server at the default memory (it runs with {conf_memory(paths)}) ...")
        server.stop(paths)
        running = False
    if not running:
        server.start(progress=progress)
    used = conf_memory(paths)
    return {"heap": used.get("heap"), "pagecache": used.get("pagecache"),
            "machine_mb": chosen.machine // memory.MB, "store_mb": chosen.store // memory.MB,
            "other_servers_mb": chosen.others // memory.MB, "home": str(paths.home)}


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - t0, 2)


def cli_reset() -> dict:
    """``graphkit reset --yes`` in a fresh process: its time, exit code and last line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc, seconds = timed(lambda: subprocess.run([sys.executable, "-m", "graphkit", "reset", "--yes"],
                                                 capture_output=True, text=True, env=env))
    lines = (proc.stdout.strip() or proc.stderr.strip()).splitlines()
    return {"seconds": seconds, "exit": proc.returncode, "said": lines[-1] if lines else ""}


def build_hub(graph, rels: int, batch: int) -> float:
    graph.write(f"CREATE (:{HUB})")
    _, seconds = timed(lambda: graph.auto_commit(
        f"UNWIND range(1, $n) AS i CALL {{ WITH i MATCH (h:{HUB}) CREATE (h)-[:{REL}]->(:{LEAF} {{i: i}}) }} "
        "IN TRANSACTIONS OF $batch ROWS", {"n": rels, "batch": batch}))
    return seconds


def detach_hub(graph, batch: int) -> dict:
    """graphkit's batched path (as graphkit.db.reset): the node's relationships in transactions of
    ``batch``, then the node."""
    def run():
        graph.auto_commit(f"MATCH (:{HUB})-[r]-() CALL {{ WITH r DELETE r }} IN TRANSACTIONS OF $batch ROWS",
                          {"batch": batch})
        graph.write(f"MATCH (h:{HUB}) DELETE h")
    _, seconds = timed(run)
    left = graph.read(f"MATCH (h:{HUB}) RETURN count(h) AS n")[0]["n"]
    return {"seconds": seconds, "hub_left": left}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rels", type=int, default=1_000_000, help="relationships of the one node (default 1,000,000)")
    parser.add_argument("--batch", type=int, default=10_000, help="rows per transaction (graphkit reset's default)")
    parser.add_argument("--reset-existing", action="store_true",
                        help="only time `graphkit reset --yes` on the graph that is there")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args(argv)

    from graphkit import config
    from graphkit.db import graph as db
    from graphkit.db import reset

    if not config.load_settings().managed:
        parser.error("run it on graphkit's managed server (unset NEO4J_URI): it restarts it at the default memory")
    progress = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    result = {"case": config.case_name(), "memory": server_at_defaults(progress)}
    progress(f"Memory: heap {result['memory']['heap']}, page cache {result['memory']['pagecache']} "
             f"(machine {result['memory']['machine_mb']:,} MB) in {result['memory']['home']}")
    with db.connect(start=False) as graph:
        result["before"] = reset.count(graph)
        if not args.reset_existing:
            progress(f"Emptying the graph, then one node with {args.rels:,} relationships ...")
            reset.reset(graph, batch_size=args.batch)
            result["rels"] = args.rels
            result["build_s"] = build_hub(graph, args.rels, args.batch)
            result["hub_degree"] = graph.read(f"MATCH (h:{HUB}) RETURN COUNT {{ (h)--() }} AS d")[0]["d"]
            progress(f"Detaching the node ({result['hub_degree']:,} relationships) in batches of {args.batch:,} ...")
            result["detach"] = detach_hub(graph, args.batch)
            result["leaves"] = reset.count(graph)
    progress("graphkit reset --yes ...")
    result["reset"] = cli_reset()
    with db.connect(start=False) as graph:
        result["after"] = reset.count(graph)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["reset"]["exit"] == 0 and not result["after"]["nodes"] else 1


if __name__ == "__main__":
    sys.exit(main())
