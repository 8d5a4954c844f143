"""Detection time against the number of accounts (issue 13: about linear), in memory: the full
generator (bench/mirror_eval.py variant a) and the sparse export-like one (bench/mirror_sparse.py
s1, accounts + posts), at the sizes given.

    python bench/mirror_timing.py 2000 10000 [100000] [full|sparse]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import mirror_eval  # noqa: E402
import mirror_report  # noqa: E402
import mirror_sparse  # noqa: E402
import mirrors_bench  # noqa: E402

from graphkit.mirrors.detect import detect_accounts  # noqa: E402


def main(sizes, sets=("full", "sparse")):
    """CPU seconds are the fairer figure on a shared machine (wall-clock shown too)."""
    print(f"{'set':8s} {'accounts':>9s} {'pairs':>9s} {'seconds':>8s} {'cpu s':>8s} {'cpu us/account':>14s}")
    for n in sizes:
        for name in sets:
            if name == "full":
                tables, _ = mirror_eval.generate(0, n, "a")
                views, found = mirrors_bench.views_from_tables(tables), None
            else:
                tables = mirror_sparse.generate(1, n, "s1")
                views, found = mirror_report.views_from_posts(tables["accounts"], tables["sightings"])
            t, c = time.time(), time.process_time()
            result = detect_accounts(views, found=found)
            took, cpu = time.time() - t, time.process_time() - c
            print(f"{name:8s} {len(views):9d} {result.stats.comparisons:9d} {took:8.1f} {cpu:8.1f} "
                  f"{1e6 * cpu / len(views):14.0f}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = tuple(a for a in args if not a.isdigit()) or ("full", "sparse")
    main([int(x) for x in args if x.isdigit()] or [2000, 10000], chosen)
