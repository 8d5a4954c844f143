"""Shared operators on the labelled generator (issue 18): load each bundle into a freshly wiped
graph, run ``shared-operators`` at its default parameters, score it, print the tables.

    GRAPHKIT_HOME=... python bench/operators_report.py [SPEC ...] [--out /tmp/ops] [--json FILE]

A SPEC is ``oN-noisy`` or ``oN-clean`` for a variant N of 1-5 (seed N; o1 the tuning set, o2-o5
each held out in turn, see docs/operators.md; default: all ten), or a folder written by
``bench/operators_eval.py write`` (with its labels.csv). THE GRAPH IS WIPED before each bundle: point it at a throw-away server. For each
bundle it prints pairwise precision, recall (of all same-operator pairs and of the pairs
detectable through specific identifiers), F1 and the largest cluster, for the weighted clustering
and for plain connected components over the same ties (the method before issue 18), then the
largest clusters with their evidence and weights and the bridges they refused.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import operators_eval as ev  # noqa: E402
from graphkit.db.graph import connect  # noqa: E402
from graphkit.ingest.engine import load  # noqa: E402
from graphkit.model import schema  # noqa: E402
from graphkit.operators.evidence import collect  # noqa: E402
from graphkit.queries import library  # noqa: E402

SEEDS = {"o1": 1, "o2": 2, "o3": 3, "o4": 4, "o5": 5, "o6": 6}


def components(rows) -> list[list[str]]:
    """Plain connected components over every tie (the clustering before issue 18)."""
    found, _ = collect(rows)
    parent = list(range(len(found.members)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for tie, holders in found.holders.items():
        if tie.startswith("same bio:"):  # not a tie before issue 18
            continue
        for other in holders[1:]:
            parent[find(other)] = find(holders[0])
    groups: dict[int, list[str]] = {}
    for i, m in enumerate(found.members):
        if m.kind == "account":
            groups.setdefault(find(i), []).append(m.name)
    return [g for g in groups.values() if len(g) >= 2]


def folder_for(spec: str, out: Path) -> Path:
    if Path(spec).is_dir():
        return Path(spec)
    variant, _, noise = spec.partition("-")
    if variant not in SEEDS or noise not in ("noisy", "clean"):
        raise SystemExit(f"unknown bundle {spec!r}: use o1-noisy ... o4-noisy, o1-clean ... o4-clean or a folder")
    folder = out / spec
    if not (folder / "labels.csv").exists():
        ev.write_bundle(folder, seed=SEEDS[variant], noise=noise, variant=variant)
    return folder


def run(graph, folder: Path) -> dict:
    schema.wipe(graph)
    schema.init(graph)
    t = time.perf_counter()
    load(graph, [folder], rejects=folder / "rejects.csv", progress=False)
    loaded = time.perf_counter() - t
    query = library.get("shared-operators")
    t = time.perf_counter()
    raw = library._read(graph, query.cypher, query.bind({}))  # the edge list, for the baseline
    clusters = library.execute(graph, "shared-operators").rows
    seconds = time.perf_counter() - t
    labels = ev.read_labels(folder / "labels.csv")
    detectable = ev.detectable_pairs(folder, labels)
    return {"bundle": folder.name, "load_s": round(loaded, 1), "query_s": round(seconds, 2),
            "weighted": ev.score([{"members": c["accounts"]} for c in clusters], labels, detectable),
            "components": ev.score(components(raw), labels, detectable), "clusters": clusters}


def table(results: list[dict]) -> str:
    lines = ["| bundle | method | precision | recall (all) | recall (detectable) | F1 (detectable) | largest | clusters |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        for method in ("weighted", "components"):
            s = r[method]
            lines.append(f"| {r['bundle']} | {method} | {s['precision']:.3f} | {s['recall']:.3f} | "
                         f"{s['recall_detectable']:.3f} | {s['f1_detectable']:.3f} | {s['largest_cluster']} | "
                         f"{s['clusters']} |")
    return "\n".join(lines)


def largest(result: dict, n: int = 3) -> str:
    out = [f"largest clusters of {result['bundle']}:"]
    for c in result["clusters"][:n]:
        evidence = ", ".join(f"{t} ({w:g})" for t, w in zip(c["evidence"], c["weights"]))
        out.append(f"- #{c['cluster']} size {c['size']}, confidence {c['confidence']}: {', '.join(c['accounts'])}")
        out.append(f"  evidence: {evidence}")
        if c["refused"]:
            out.append(f"  refused: {'; '.join(c['refused'])}")
    return "\n".join(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("specs", nargs="*", default=[f"o{i}-{noise}" for noise in ("noisy", "clean") for i in range(1, 6)])
    ap.add_argument("--out", default="/tmp/graphkit-operators-eval", help="where generated bundles go")
    ap.add_argument("--json", help="write the scores and clusters here")
    args = ap.parse_args(argv)
    out = Path(args.out)
    results = []
    with connect() as graph:
        for spec in args.specs:
            folder = folder_for(spec, out)
            result = run(graph, folder)
            results.append(result)
            print(f"{result['bundle']}: loaded in {result['load_s']} s, shared-operators in {result['query_s']} s",
                  file=sys.stderr)
    print(table(results))
    for result in results:
        print()
        print(largest(result))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
