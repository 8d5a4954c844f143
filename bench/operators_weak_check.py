"""Check that no shared-operator cluster is held together by a single weak tie (issue 18).

For every cluster and every weak tie (IP, URL or bio link, the same bio) two or more of its
members hold, the cluster must stay connected through its other ties: take that one tie away and
every member is still reachable from every other over the ties they share (hubs above max_hub and
single holders ignored, as in the clustering). Prints the clusters that fail.

    python bench/operators_weak_check.py /tmp/ops-o4 [...]      # bundles written by operators_eval.py
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from graphkit.operators.clustering import UnionFind, cluster  # noqa: E402
from graphkit.operators.evidence import WEAK_KINDS, collect  # noqa: E402


def single_weak_ties(rows: list[dict], clusters: list[dict] | None = None) -> list[tuple[int, str]]:
    """``(cluster number, tie)`` for every weak tie whose removal splits its cluster."""
    ev, _ = collect(rows)
    clusters = cluster(rows) if clusters is None else clusters
    number = {m.name: i for i, m in enumerate(ev.members)}
    out = []
    for c in clusters:
        mine = {number[name] for name in c["accounts"] + c["channels"]}
        ties = {t: [h for h in ev.holders[t] if h in mine] for t in ev.holders}
        ties = {t: h for t, h in ties.items() if len(h) >= 2}
        for weak in [t for t in ties if ev.kinds[t] in WEAK_KINDS]:
            parts = UnionFind(mine)
            for t, holders in ties.items():
                if t != weak:
                    for h in holders[1:]:
                        parts.union(holders[0], h)
            if len(parts.groups()) > 1:
                out.append((c["cluster"], weak))
    return out


def main(argv=None) -> None:
    import operators_eval as ev
    bad = 0
    for folder in argv if argv is not None else sys.argv[1:]:
        rows = ev.edge_rows(folder)
        found = single_weak_ties(rows)
        bad += len(found)
        print(f"{folder}: {len(found)} clusters held by a single weak tie", *found, sep="\n  ")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
