"""Warm p50/p95, rows, db hits and label scans of every canned query on the graph already loaded.

    GRAPHKIT_HOME=... python bench/query_times.py [--runs 10] [--only NAME,...] [-p NAME KEY VALUE]...
                                                   [--profile] [--json FILE]

Against the server of ``GRAPHKIT_HOME`` (or ``NEO4J_URI``); it only reads. Parameters are those of
``bench/run.py`` (required ones filled in, the rest at their defaults); ``-p NAME KEY VALUE``
overrides one (``-p new-since limit 0`` for the whole table). ``--profile`` runs each query once
more under ``PROFILE`` (in a write-mode session: PROFILE needs one, the query itself is read-only)
and reports the plan's total db hits and every operator that scans a whole label or relationship
type (NodeByLabelScan, AllNodesScan, relationship type scans).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.run import query_params, time_query  # noqa: E402
from graphkit.db import graph as db
from graphkit.queries import library as q  # noqa: E402

SCANS = ("NodeByLabelScan", "AllNodesScan", "RelationshipTypeScan", "UnionNodeByLabelsScan",
         "IntersectionNodeByLabelsScan", "SubtractionNodeByLabelsScan")


def plan_summary(plan) -> tuple[int, list[str]]:
    """(total db hits, scans) of a profiled plan."""
    hits, scans = 0, []
    stack = [plan]
    while stack:
        op = stack.pop()
        hits += op.get("dbHits", 0) or 0
        name = op.get("operatorType", "").split("@")[0]
        if any(s in name for s in SCANS):
            details = op.get("args", {}).get("Details", "")
            scans.append(f"{name} {details} ({op.get('rows', '?')} rows)")
        stack.extend(op.get("children", []))
    return hits, scans


def profile(graph, cypher: str, params: dict) -> tuple[int, list[str]]:
    with graph.session(read=False) as session:
        result = session.run("PROFILE " + cypher, params)
        for _ in result:  # PROFILE needs the records pulled, not discarded
            pass
        summary = result.consume()
    return plan_summary(summary.profile)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="")
    parser.add_argument("-p", nargs=3, action="append", default=[], metavar=("NAME", "KEY", "VALUE"))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    graph = db.connect(start=False)
    library = q.queries()
    only = [n for n in args.only.split(",") if n] or sorted(library)
    counts = graph.read("CALL () { MATCH (n) RETURN count(n) AS nodes } "
                        "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } "
                        "CALL () { MATCH (a:Account) RETURN count(a) AS accounts } "
                        "CALL () { MATCH (s:Sighting) RETURN count(s) AS sightings } "
                        "RETURN nodes, rels, accounts, sightings")[0]
    print(f"graph: {counts['accounts']:,} accounts, {counts['sightings']:,} sightings, "
          f"{counts['nodes']:,} nodes, {counts['rels']:,} relationships", flush=True)
    out = {"graph": counts, "queries": {}}
    for name in only:
        query = library[name]
        params = query_params(graph, query)
        for qname, key, value in args.p:
            if qname == name:
                params[key] = value
        entry = time_query(graph, name, params, args.runs)
        if args.profile:
            bound = query.bind(params)
            entry["db_hits"], entry["scans"] = profile(graph, query.cypher, bound)
        out["queries"][name] = entry
        line = (f"{name:22} rows {entry['rows']:>7}  warm-up {entry['warm_up_s']:7.3f} s  p50 {entry['p50_s']:7.3f} s  "
                f"p95 {entry['p95_s']:7.3f} s")
        if args.profile:
            line += f"  db hits {entry['db_hits']:>11,}"
        print(line, flush=True)
        for scan in entry.get("scans", []):
            print(f"    scan: {scan}", flush=True)
    graph.close()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
