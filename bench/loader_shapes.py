"""Where does the loader's time go? Server-side write time of the loader's statements by shape.

    GRAPHKIT_HOME=/tmp/gk-bench python bench/loader_shapes.py BUNDLE [--batch 1000 ...]

Rows are read and normalised once (not timed), then written batch by batch through the driver on
an emptied database, for each variant: ``plain`` (graphkit.writer's statements as they are:
``UNWIND $rows AS row`` + the body, so every Eager operator the planner inserts materialises the
whole batch) and ``per_row_call`` (``UNWIND $rows AS row CALL (rep, row) { body }``: the body runs
row by row, as LOAD CSV's ``CALL (csv) { }`` does). Prints seconds and rows/s per table.
The database is EMPTIED.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import baselines  # noqa: E402
from graphkit.db import graph as db
from graphkit.model import schema  # noqa: E402
from graphkit.ingest.records import TABLE_ORDER  # noqa: E402
from graphkit.ingest.statements import HEAD, statements  # noqa: E402


def variant(name: str) -> dict[str, str]:
    if name == "plain":
        return dict(statements())
    if name == "per_row_call":
        return {t: HEAD + "CALL (rep, row) { " + s[len(HEAD):] + " } RETURN i, status" for t, s in statements().items()}
    raise ValueError(name)


def run(graph, prep: baselines.Prepared, cypher: dict[str, str], batch: int) -> dict:
    baselines.wipe(graph)
    schema.init(graph)
    with graph.session(read=False) as session:
        baselines.write_report(session, prep)
    per_table = {}
    start = time.perf_counter()
    for table in TABLE_ORDER:
        rows = prep.rows.get(table) or []
        t0 = time.perf_counter()
        for lo in range(0, len(rows), batch):
            chunk = [dict(r, i=i) for i, r in enumerate(rows[lo:lo + batch])]
            graph.write(cypher[table], {"rows": chunk, "rid": prep.rid, "seen": prep.seen})
        if rows:
            per_table[table] = round(time.perf_counter() - t0, 2)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "rows_per_s": round(prep.count() / seconds, 1), "per_table": per_table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--batch", type=int, action="append", help="batch sizes (default 1000)")
    parser.add_argument("--variants", default="plain,per_row_call")
    args = parser.parse_args()
    t0 = time.perf_counter()
    prep = baselines.prepare_bundle(args.bundle)
    print(f"prepared {prep.count()} rows in {time.perf_counter() - t0:.1f} s (Python read + normalise)", flush=True)
    results = {}
    with db.connect(start=False) as graph:
        for name in args.variants.split(","):
            for batch in args.batch or [1000]:
                results[f"{name}/{batch}"] = r = run(graph, prep, variant(name), batch)
                print(f"{name:<14} batch {batch:<6} {r['seconds']:>8} s {r['rows_per_s']:>8} rows/s  {r['per_table']}",
                      flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
