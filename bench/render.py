"""The benchmark report (bench/run.py's dict) as a readable plain-text table."""
from __future__ import annotations

import json


def _num(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _target(value, target, higher_is_better=True) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value < target
    return "meets target" if ok else "MISSES target"


def render_report(r: dict) -> str:
    out = []
    m = r.get("machine") or {}
    out.append(f"graphkit benchmarks, {r.get('mode')} mode, started {r.get('started_utc')}, "
               f"{_num(r.get('total_seconds'))} s in all")
    out.append(f"machine: {m.get('cores')} cores ({m.get('cpu')}), {m.get('ram_gb')} GB RAM, "
               f"{m.get('neo4j')}, Python {m.get('python')}, driver {m.get('driver')}, "
               f"neo4j-rust-ext {'active' if m.get('neo4j_rust_ext_active') else 'NOT active'}, "
               f"load average at start {m.get('load_average_at_start')}")
    data = r.get("data") or {}
    if data:
        files = ", ".join(f"{k.removesuffix('.csv')} {_num(v)}" for k, v in (data.get("files") or {}).items())
        out.append(f"data: graphkit synth --seed {r['config'].get('seed')} --scale {r['config'].get('scale')}: "
                   f"{_num(data.get('accounts'))} accounts; rows: {files}")
    out.append("")
    out.append("Bulk load: same rows, same MERGE statements, same constraints, emptied database each time")
    out.append(f"  {'method':<58} {'rows':>9} {'seconds':>9} {'rows/s':>9}")
    load, csv_, per_row = r.get("load"), r.get("load_csv"), r.get("per_row")
    if load:
        out.append(f"  {'graphkit load (batch ' + str(load.get('batch_size')) + ', Python normalisation included)':<58} "
                   f"{_num(load['rows']):>9} {_num(load['seconds']):>9} {_num(load['rows_per_s']):>9}")
    if csv_:
        label = f"LOAD CSV, IN TRANSACTIONS OF {csv_.get('batch_rows')} ROWS (pre-normalised CSV)"
        out.append(f"  {label:<58} {_num(csv_['rows']):>9} {_num(csv_['seconds']):>9} {_num(csv_['rows_per_s']):>9}")
    if per_row:
        label = f"one auto-commit query per row (sample, extrapolated)"
        out.append(f"  {label:<58} {_num(per_row['rows']):>9} {_num(per_row['seconds']):>9} "
                   f"{_num(per_row['rows_per_s']):>9}")
    out.append(f"  ratio_vs_load_csv = {_num(r.get('ratio_vs_load_csv'), 3)} (target >= 0.8: "
               f"{_target(r.get('ratio_vs_load_csv'), 0.8)}); ratio_vs_per_row = {_num(r.get('ratio_vs_per_row'))} "
               f"(target >= 50: {_target(r.get('ratio_vs_per_row'), 50)})")
    if "same_graph_load_vs_load_csv" in r:
        out.append(f"  same node/relationship counts after graphkit load and LOAD CSV: {r['same_graph_load_vs_load_csv']}")
    if csv_ and csv_.get("per_table") and load:
        out.append("  LOAD CSV seconds per table: " + ", ".join(
            f"{t} {v['seconds']}" for t, v in csv_["per_table"].items()))
    mem = r.get("loader_memory")
    if mem:
        out.append("")
        out.append("Loader peak memory (peak RSS of a fresh process, VmHWM; 'before' = after imports and connect)")
        for point in mem:
            out.append(f"  {_num(point['rows']):>9} rows: peak {point['peak_rss_mb']} MB (before load "
                       f"{point['rss_before_load_mb']} MB; ru_maxrss {point.get('ru_maxrss_mb')} MB)")
    queries = r.get("queries")
    if queries:
        out.append("")
        out.append(f"Canned queries, warm, up to {r['config'].get('query_runs')} runs each (target p95 < 1 s)")
        out.append(f"  {'query':<24} {'p50 s':>8} {'p95 s':>8} {'rows':>7}  parameters")
        for name, q in queries.items():
            if q.get("p95_s") is None:
                out.append(f"  {name:<24} {'-':>8} {'-':>8} {'-':>7}  {q.get('reason')}")
            else:
                flag = "" if q["p95_s"] < 1.0 else "  MISSES target"
                out.append(f"  {name:<24} {q['p50_s']:>8.3f} {q['p95_s']:>8.3f} {q['rows']:>7}  "
                           f"{json.dumps(q['params'])}{flag}")
    mg = r.get("mirrors_on_graph")
    if mg:
        out.append("")
        out.append(f"Mirror detection on the loaded graph: {_num(mg['accounts'])} accounts, fetch {mg['fetch_s']} s, "
                   f"fetch + detect {mg['fetch_and_detect_s']} s, {_num(mg['pairs_scored'])} pairs scored, "
                   f"{_num(mg['candidates'])} candidates")
    mb = r.get("mirrors_bench")
    if mb:
        out.append("")
        out.append("bench/mirrors_bench.py:")
        for ev in mb.get("evaluation", []):
            d = ev.get("at_default", {})
            out.append(f"  variant {ev.get('variant')}: {ev.get('accounts')} accounts, P={d.get('precision')} "
                       f"R={d.get('recall')} F1={d.get('f1')} at {ev.get('default_threshold')}")
        for t in mb.get("timing_in_memory", []):
            out.append(f"  in memory: {_num(t.get('accounts'))} accounts, detect {t.get('detect_seconds')} s, "
                       f"{_num(t.get('comparisons'))} pairs scored")
    maps = r.get("maps_bench")
    if maps:
        out.append("")
        out.append("bench/maps_bench.py:")
        for size, row in (maps.get("sizes") or {}).items():
            out.append(f"  {size}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    problems = {**(r.get("reasons") or {})}
    if problems or r.get("errors"):
        out.append("")
        out.append("Not measured / failed:")
        for key, reason in problems.items():
            out.append(f"  {key}: {reason}")
        for key, reason in (r.get("errors") or {}).items():
            if reason not in problems.values():
                out.append(f"  {key}: {reason}")
    return "\n".join(out)
