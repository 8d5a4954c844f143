"""Mirror detection: precision / recall / F1 by threshold on the labelled generator
(bench/mirror_eval.py, written by someone else so the detector is not tuned to its own rules),
variant "a" (the one weights were checked on) and held-out variant "b"; run time at 10k and 100k
accounts.

    python bench/mirrors_bench.py            # full: eval at 10k accounts, timing at 10k and 100k
    python bench/mirrors_bench.py --quick    # eval at 2k, timing at 10k only
    python bench/mirrors_bench.py --db       # also time the graph path (load 10k, fetch + detect)

Two paths are measured:
* in memory: the generator's tables -> AccountView (normalised as the loader would) ->
  ``detect_accounts`` (blocking + scoring); this is where the detector's own time goes;
* through Neo4j (``--db``): ``graphkit.load`` of the generator's bundle, then ``mirrors.detect``
  (the account query + the same detection), on the server under ``GRAPHKIT_HOME``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import mirror_eval  # noqa: E402  (bench/mirror_eval.py, the labelled generator)

from graphkit.mirrors import detect as mirrors
from graphkit.ingest import dates  # noqa: E402
from graphkit.ingest import values as normalize  # noqa: E402
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE  # noqa: E402
from graphkit.mirrors.detect import detect_accounts, view_from_row  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def _handle_norm(handle):
    return normalize.handle(handle)


def views_from_tables(tables: dict) -> list:
    """The generator's canonical tables as the detector would read them from the graph."""
    ids = defaultdict(list)
    for row in tables.get("identifiers", []):
        try:
            platform = normalize.platform(row["platform"])
            value = normalize.identifier(row["kind"], row["value"])
        except ValueError:
            continue
        if value:
            ids[f"{platform}:{_handle_norm(row['account'])}"].append(f"{row['kind']}:{value}")
    admins = defaultdict(list)
    for row in tables.get("channels", []):
        platform = normalize.platform(row["platform"])
        ckey = f"{platform}:{_handle_norm(row['channel'])}"
        for handle in normalize.split_list(row.get("admins")):
            admins[f"{platform}:{_handle_norm(handle)}"].append(ckey)
    views = []
    for row in tables["accounts"]:
        platform = normalize.platform(row["platform"])
        key = f"{platform}:{_handle_norm(row['handle'])}"
        created = dates.datetime_utc(row.get("created_at") or None)
        removed = dates.datetime_utc(row.get("removed_at") or None)
        views.append(view_from_row({
            "key": key, "platform": platform, "handle": normalize.handle_raw(row["handle"]),
            "display_name": row.get("display_name") or None, "bio": row.get("bio") or None,
            "status": row.get("status") or None, "created_at": created, "removed_at": removed,
            "groups": [row["group_id"]] if row.get("group_id") else [],
            "identifiers": ids.get(key, []), "admin_channels": admins.get(key, []),
        }))
    return views


def _labels(labels) -> set[tuple[str, str]]:
    return {(s, p) for s, p, *_ in labels}


def evaluate(variant: str, n: int, seed: int = 0) -> dict:
    tables, labels = mirror_eval.generate(seed, n, variant)
    truth = _labels(labels)
    views = views_from_tables(tables)
    t0 = time.perf_counter()
    result = detect_accounts(views, min_score=0.0)
    seconds = time.perf_counter() - t0
    by_threshold = []
    for t in THRESHOLDS:
        predicted = {(p.successor.key, p.predecessor.key) for p in result.links if p.score >= t}
        prec, rec, f1 = mirror_eval.score(predicted, truth)
        _, _, f1f = mirror_eval.score(predicted, truth, forgive_skips=True)
        by_threshold.append({"threshold": t, "predicted": len(predicted), "precision": round(prec, 3),
                             "recall": round(rec, 3), "f1": round(f1, 3), "f1_forgiving_skips": round(f1f, 3)})
    at_default = {(p.successor.key, p.predecessor.key) for p in result.links if p.score >= DEFAULT_MIN_SCORE}
    prec, rec, f1 = mirror_eval.score(at_default, truth)
    return {"variant": variant, "seed": seed, "accounts": len(views), "true_links": len(truth),
            "comparisons": result.stats.comparisons, "detect_seconds": round(seconds, 2),
            "default_threshold": DEFAULT_MIN_SCORE,
            "at_default": {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                           "predicted": len(at_default)},
            "by_threshold": by_threshold,
            "errors": _errors(result, truth, at_default)}


def _errors(result, truth, predicted, limit=8) -> dict:
    """A few false alarms and misses with their evidence, for error analysis."""
    by_pair = {(p.successor.key, p.predecessor.key): p for p in result.links}
    false = [f"{p.score:.2f} {k[0]} <- {k[1]}: {p.evidence}" for k in sorted(predicted - truth)
             for p in [by_pair[k]]][:limit]
    missed = []
    for s, p in sorted(truth - predicted)[:limit]:
        got = by_pair.get((s, p))
        alt = [x for x in result.links if x.successor.key == s]
        missed.append(f"{s} <- {p}: " + (f"{got.score:.2f} {got.evidence}" if got else
                                          f"not scored" + (f" (best pred {alt[0].predecessor.key} {alt[0].score:.2f})" if alt else "")))
    return {"false_alarms": false, "missed": missed}


def calibrate(n: int = 10000, seed: int = 0) -> dict:
    """A diagnostic since issue 13: fit score = sigmoid(scale * z + shift) to the labels of the pairs
    the detector keeps on variant "a" (z = the model's posterior log-odds). Scale 1 and shift 0
    would mean the Fellegi-Sunter posteriors need no correction there; nothing is frozen from it."""
    import numpy as np

    tables, labels = mirror_eval.generate(seed, n, "a")
    truth = _labels(labels)
    result = detect_accounts(views_from_tables(tables), min_score=0.0)
    z = np.array([p.z for p in result.links])
    y = np.array([1.0 if (p.successor.key, p.predecessor.key) in truth else 0.0 for p in result.links])
    a, b = 1.0, 0.0
    for _ in range(100):  # Newton steps on the logistic log-likelihood, lightly regularised
        p = 1 / (1 + np.exp(-(a * z + b)))
        w = p * (1 - p) + 1e-9
        g = np.array([np.sum((p - y) * z) + 1e-3 * a, np.sum(p - y)])
        h = np.array([[np.sum(w * z * z) + 1e-3, np.sum(w * z)], [np.sum(w * z), np.sum(w)]])
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return {"scale": round(float(a), 3), "shift": round(float(b), 3), "pairs": len(y), "positives": int(y.sum())}


def time_in_memory(n: int, seed: int = 1) -> dict:
    """Wall-clock and CPU seconds (CPU time is the fairer figure on a shared, busy machine)."""
    t0 = time.perf_counter()
    tables, _ = mirror_eval.generate(seed, n, "a")
    t1, c1 = time.perf_counter(), time.process_time()
    views = views_from_tables(tables)
    t2, c2 = time.perf_counter(), time.process_time()
    result = detect_accounts(views)
    t3, c3 = time.perf_counter(), time.process_time()
    return {"accounts": len(views), "generate_seconds": round(t1 - t0, 1), "prepare_seconds": round(t2 - t1, 1),
            "detect_seconds": round(t3 - t2, 1), "prepare_cpu_seconds": round(c2 - c1, 1),
            "detect_cpu_seconds": round(c3 - c2, 1), "comparisons": result.stats.comparisons,
            "comparisons_per_account": round(result.stats.comparisons / max(1, len(views)), 1),
            "hub_blocks_skipped": result.stats.hub_blocks, "candidates": len(result.candidates)}


def time_through_graph(n: int, seed: int = 2) -> dict:
    import importlib

    from graphkit.db import graph as db
    from graphkit.model import schema

    load = importlib.import_module("graphkit.ingest.engine")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "eval"
        mirror_eval.write_bundle(folder, seed, n, "a")
        with db.connect() as graph:
            schema.wipe(graph)
            schema.init(graph)
            t0 = time.perf_counter()
            load.load(graph, [folder])
            t1 = time.perf_counter()
            accounts = mirrors.fetch_accounts(graph)
            t2 = time.perf_counter()
            result = mirrors.detect(graph)
            t3 = time.perf_counter()
    return {"accounts": len(accounts), "load_seconds": round(t1 - t0, 1), "fetch_seconds": round(t2 - t1, 1),
            "fetch_and_detect_seconds": round(t3 - t2, 1), "candidates": len(result.candidates)}


def run(quick: bool = False, db: bool = False) -> dict:
    n_eval = 2000 if quick else 10000
    out = {"evaluation": [evaluate("a", n_eval), evaluate("b", n_eval)]}
    out["timing_in_memory"] = [time_in_memory(10_000)] + ([] if quick else [time_in_memory(100_000)])
    if db:
        out["timing_through_graph"] = [time_through_graph(10_000)]
    return out


def _print(report: dict) -> None:
    for ev in report["evaluation"]:
        d = ev["at_default"]
        print(f"variant {ev['variant']}: {ev['accounts']} accounts, {ev['true_links']} true links, "
              f"{ev['comparisons']} pairs compared; at default {ev['default_threshold']}: "
              f"P={d['precision']} R={d['recall']} F1={d['f1']} ({d['predicted']} predicted)")
        print("  threshold  predicted  precision  recall  f1     f1(forgive skips)")
        for r in ev["by_threshold"]:
            print(f"  {r['threshold']:<9}  {r['predicted']:<9}  {r['precision']:<9}  {r['recall']:<6}  "
                  f"{r['f1']:<5}  {r['f1_forgiving_skips']}")
    for t in report["timing_in_memory"]:
        print(f"in memory: {t['accounts']} accounts: prepare {t['prepare_seconds']} s "
              f"({t['prepare_cpu_seconds']} s CPU), detect {t['detect_seconds']} s ({t['detect_cpu_seconds']} s CPU), "
              f"{t['comparisons']} comparisons ({t['comparisons_per_account']}/account)")
    for t in report.get("timing_through_graph", []):
        print(f"through Neo4j: {t['accounts']} accounts: load {t['load_seconds']} s, fetch {t['fetch_seconds']} s, "
              f"fetch+detect {t['fetch_and_detect_seconds']} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--db", action="store_true", help="also time load + detect through Neo4j")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    parser.add_argument("--errors", action="store_true", help="print false alarms and misses")
    parser.add_argument("--calibrate", action="store_true",
                        help="only fit the Platt calibration on variant a and print it")
    args = parser.parse_args()
    if args.calibrate:
        print(json.dumps(calibrate()))
        sys.exit(0)
    report = run(quick=args.quick, db=args.db)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(report)
        if args.errors:
            for ev in report["evaluation"]:
                print(f"--- variant {ev['variant']} false alarms");  print("\n".join(ev["errors"]["false_alarms"]))
                print(f"--- variant {ev['variant']} missed");  print("\n".join(ev["errors"]["missed"]))
