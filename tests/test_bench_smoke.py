"""The benchmark's baselines build exactly the graph ``graphkit load`` builds (a fair comparison).

Runs ``bench/baselines.py``'s LOAD CSV and per-row code paths on the tiny fictional bundle
``tests/fixtures/bench_tiny`` (see its README for what each row exercises) and compares every
node, relationship and property with a ``graphkit load`` of the same bundle. No timings are
asserted: speed is measured in ``bench/``, never in tests.
"""
from __future__ import annotations

import os
import sys

import pytest

from graphkit.model.schema import wipe as _wipe
from helpers import FIXTURES, ROOT
from graphkit.model import schema
from graphkit.db import server
from graphkit.ingest.engine import load
from graphkit.model.spec import model

sys.path.insert(0, str(ROOT))
from bench import baselines  # noqa: E402

TINY = FIXTURES / "bench_tiny"


def _ident(labels, props) -> str:
    """A node's identity: its label and model key (Report: rid)."""
    m = model()
    label = sorted(labels)[0]
    return f"{label}:{props[m.node(label).key]}"


def snapshot(graph) -> tuple[dict, dict]:
    """Every node (identity -> labels, properties) and relationship ((start, type, end) -> props)."""
    nodes = {}
    for row in graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
        props = dict(row["props"])
        if "Report" in row["labels"]:
            props.pop("loaded_at", None)  # datetime() of the load
            for evidence in ("files", "file_sha256", "file_bytes", "rows", "rejected"):
                props.pop(evidence, None)  # the source files' evidence, kept by the loader after the rows
        ident = _ident(row["labels"], props)
        assert ident not in nodes, f"two nodes are {ident}"
        nodes[ident] = (sorted(row["labels"]), props)
    rels = {}
    for row in graph.read("MATCH (a)-[r]->(b) RETURN labels(a) AS la, properties(a) AS pa, type(r) AS t, "
                          "properties(r) AS pr, labels(b) AS lb, properties(b) AS pb"):
        key = (_ident(row["la"], row["pa"]), row["t"], _ident(row["lb"], row["pb"]))
        props = dict(row["pr"])
        if isinstance(props.get("reports"), list):
            props["reports"] = sorted(props["reports"])
        rels.setdefault(key, []).append(props)
    return nodes, rels


def _fresh(graph) -> None:
    _wipe(graph)
    schema.init(graph)


@pytest.fixture
def reference(graph):
    summary = load(graph, [TINY], batch_size=2, rejects=None)
    assert summary.totals()["rejected"] == 0
    nodes, rels = snapshot(graph)
    # the fixture really exercises what the comparison is about
    assert nodes["Account:x:bench_alpha_example"][1]["display_name"] == "Bench Alpha (example)"
    assert nodes["Account:x:bench_alpha_example"][1]["bio"].startswith("Second row")
    assert any(k[1] == "DESIGNATED_BY" and p[0].get("program") == "" for k, p in rels.items())
    return nodes, rels


def test_prepared_rows_match_the_loaders_reading():
    prep = baselines.prepare_bundle(TINY)
    # the bundle's data rows (header lines excluded), none rejected
    expected = {"groups": 2, "designations": 3, "accounts": 5, "channels": 2, "identifiers": 4,
                "sightings": 3, "takedowns": 3, "mirrors": 1}
    assert {t: len(r) for t, r in prep.rows.items()} == expected
    assert prep.rejected == 0
    assert prep.rid == "bench-tiny"


def test_per_row_baseline_builds_the_same_graph(graph, reference):
    prep = baselines.prepare_bundle(TINY)
    _fresh(graph)
    result = baselines.run_per_row(graph, prep)
    assert result["rows_run"] == 23 and result["rows"] == 23 - 8  # first row per table not timed
    assert snapshot(graph) == reference


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="LOAD CSV needs the managed server's import directory")
def test_load_csv_baseline_builds_the_same_graph(graph, reference, tmp_path):
    prep = baselines.prepare_bundle(TINY)
    import_dir = server.server_paths().home / "import"
    plans = baselines.prepare_csv(prep, import_dir, prefix="smoke_")
    try:
        _fresh(graph)
        result = baselines.run_load_csv(graph, prep, plans)
        assert result["rows"] == 23
        assert {t: sum(v["statuses"].values()) for t, v in result["per_table"].items()} == {
            p.table: p.rows for p in plans}
        assert snapshot(graph) == reference
    finally:
        for plan in plans:
            (import_dir / plan.file).unlink(missing_ok=True)


def test_counts_fingerprint(graph, reference):
    counts = baselines.counts(graph)
    nodes, rels = reference
    assert sum(counts["nodes"].values()) == len(nodes)
    assert sum(counts["relationships"].values()) == sum(len(v) for v in rels.values())
