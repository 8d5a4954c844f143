"""Speed of the real-format readers (graphkit/formats) on the files in ../shared/data.

    python bench/formats_bench.py                 # readers alone: items/s, no database
    GRAPHKIT_HOME=/tmp/gk-bench python bench/formats_bench.py --load
                                                  # also load each file twice (EMPTIES the database)

Prints one line per file: items the reader yields, seconds, items/s, and with --load the seconds
of a first and a second (unchanged) load. Peak memory of the process at the end (ru_maxrss).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
FILES = [
    ("un_consolidated", "un_xml", DATA / "un_consolidated_2020-11-24.xml"),
    ("ofac_sdn", "ofac", DATA / "ofac_sdn_2024-05-03.csv"),
    ("tweets", "tweets", DATA / "isis_twitter" / "tweets.csv"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", action="store_true", help="also load each file twice (empties the database)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import importlib

    graph = None
    if args.load:
        from graphkit.db import graph as db
        from graphkit.model import schema

        graph = db.connect()
        load = importlib.import_module("graphkit.ingest.engine").load
    for mapping_name, module, path in FILES:
        if not path.exists():
            print(f"{mapping_name}: {path} absent, skipped")
            continue
        mapping = yaml.safe_load((ROOT / "loaders" / f"{mapping_name}.yaml").read_text(encoding="utf-8"))
        reader = importlib.import_module(f"graphkit.ingest.formats.{module}")
        start = time.perf_counter()
        items = sum(1 for _ in reader.read(path, mapping))
        seconds = time.perf_counter() - start
        line = f"{mapping_name}: {items} items in {seconds:.2f} s ({items / seconds:,.0f} items/s)"
        if graph is not None:
            schema.wipe(graph)
            schema.init(graph)
            times = []
            for _ in range(2):
                start = time.perf_counter()
                load(graph, path, rejects=Path("/tmp") / f"{mapping_name}.bench-rejects.csv", progress=False)
                times.append(time.perf_counter() - start)
            line += f"; load {times[0]:.1f} s, again (unchanged) {times[1]:.1f} s"
        print(line, flush=True)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
