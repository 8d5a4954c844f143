"""Cases, reset, implicit transactions, memory, logical backups: on the session's server (no extra
server is started here; tests/test_cases_server.py has the one extra case server)."""
from __future__ import annotations

import json
import os
import stat

import pytest

from helpers import FIXTURES
from graphkit import config
from graphkit.db import export, reset, server
from graphkit.db.server import memory
from graphkit.ingest import load


def _counts(graph):
    return reset.count(graph)


def _external_env(tmp_path):
    """The session's server seen as an external one (NEO4J_URI), as an analyst's own Neo4j."""
    st = server.status()
    return {"NEO4J_URI": st.uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": server.read_password(),
            "GRAPHKIT_HOME": str(tmp_path / "home")}


# --------------------------------------------------------------------------- cases, no server


def test_a_case_is_a_home_of_its_own_or_a_database_on_an_external_server(monkeypatch):
    monkeypatch.setenv("GRAPHKIT_CASE", "ttp-2025")
    home = config.data_home()
    assert config.managed_home() == home / "cases" / "ttp-2025"
    assert server.server_paths().home == home / "cases" / "ttp-2025"
    assert config.managed_home("default") == home / "server"  # where the one server always lived
    ext = config.load_settings({"NEO4J_URI": "bolt://example.org:7687", "GRAPHKIT_CASE": "ttp-2025"})
    assert ext.database == "ttp-2025"
    managed = config.load_settings({"GRAPHKIT_CASE": "ttp-2025"}, dotenv=home / "no.env")
    assert managed.database is None and managed.managed


def test_a_bad_case_name_is_one_sentence(cli):
    result = cli("--case", "../etc", "cases")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "'../etc' is not a case name" in result.stderr and "lower-case letters" in result.stderr


# --------------------------------------------------------------------------- memory


def test_memory_follows_the_machine_and_the_store():
    gib = memory.GB
    # 24 GiB machine: budget 12 GiB, heap between Neo4j's 8 GiB (3600m) and 16 GiB (5g) points:
    # 3600 + (5120 - 3600) * 4 / 8 = 4360 MiB; an empty store gets the 512 MiB minimum page cache
    heap, pagecache = memory.choose(24 * gib, 0)
    assert memory.format_size(heap) == "4360m" and memory.format_size(pagecache) == "512m"
    # a 3 GiB store: its size and 20 % = 3.6 GiB = 3686 MiB of page cache
    assert memory.format_size(memory.choose(24 * gib, 3 * gib)[1]) == "3686m"
    # a 4 GiB laptop: budget 2 GiB -> 512 MiB heap; the page cache never passes what is left
    heap, pagecache = memory.choose(4 * gib, 10 * gib)
    assert memory.format_size(heap) == "512m" and memory.format_size(pagecache) == "1536m"
    assert memory.transaction_limit("512m") == "358m"


def test_a_second_server_takes_half_of_what_the_first_leaves():
    gib, mib = memory.GB, memory.MB
    # the default case runs with 4360m + 512m; the demo's case then has (24576 - 4872) / 2 = 9852
    # MiB: heap 3600 + 1520 * (9852 - 8192) / 8192 = 3908 MiB, page cache 512 MiB
    heap, pagecache = memory.choose(24 * gib, 0, others=4872 * mib)
    assert (memory.format_size(heap), memory.format_size(pagecache)) == ("3908m", "512m")
    assert 4872 * mib + heap + pagecache < 24 * gib
    # never more than half the machine, whatever the others hold (or if they hold nothing)
    assert memory.choose(24 * gib, 100 * gib, others=0)[1] == 12 * gib - 4360 * mib
    # the others hold nearly everything: the minimum (512m heap, 256m page cache)
    heap, pagecache = memory.choose(4 * gib, 10 * gib, others=4 * gib)
    assert (memory.format_size(heap), memory.format_size(pagecache)) == ("512m", "256m")


def test_the_other_running_servers_of_this_home_are_counted(tmp_path, monkeypatch):
    import subprocess

    monkeypatch.setenv("GRAPHKIT_HOME", str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()
    conf = "server.memory.heap.max_size={}\nserver.memory.pagecache.size={}\n"
    for home, pid, heap, cache in ((tmp_path / "server", os.getpid(), "1g", "512m"),  # the default case, running
                                   (tmp_path / "cases" / "demo", None, "2g", "2g"),   # never started
                                   (tmp_path / "cases" / "old", gone.pid, "3g", "1g"),  # its process is gone
                                   (tmp_path / "cases" / "ttp-2025", os.getpid(), "700m", "300m")):
        (home / "conf").mkdir(parents=True)
        (home / "conf" / "neo4j.conf").write_text(conf.format(heap, cache))
        if pid:
            (home / "run").mkdir()
            (home / "run" / "graphkit-neo4j.pid").write_text(f"{pid}\n")
    demo = tmp_path / "cases" / "demo"
    assert memory.others_running(demo) == (1024 + 512 + 700 + 300) * memory.MB
    assert memory.others_running(tmp_path / "server") == (700 + 300) * memory.MB  # not itself


def test_heap_and_page_cache_settings_still_win(monkeypatch):
    monkeypatch.setenv("GRAPHKIT_HEAP", "777m")
    monkeypatch.setenv("GRAPHKIT_PAGECACHE", "333m")
    assert server.heap_size() == "777m" and server.pagecache_size() == "333m"
    monkeypatch.delenv("GRAPHKIT_HEAP")
    assert server.heap_size() == memory.recommend(server.server_paths()).heap


def test_a_query_too_big_for_the_heap_is_one_sentence_with_the_fix(neo4j_server, cli):
    result = cli("cypher", "UNWIND range(1, 60000000) AS x WITH collect(x) AS c RETURN size(c) AS n")
    assert result.returncode == 1, result.stdout
    assert "Error: Neo4j ran out of memory for this query" in result.stderr
    assert "GRAPHKIT_HEAP" in result.stderr and "IN TRANSACTIONS" in result.stderr
    assert "retried" not in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- reset


@pytest.fixture
def g(graph):
    """The small fixture bundle, loaded afresh for each test (these tests change the graph)."""
    assert load(graph, [FIXTURES / "bundle_small"], progress=None).totals()["rejected"] == 0
    return graph


def test_reset_empties_in_batches_keeps_the_schema_and_asks_first(g, cli, tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("GRAPHKIT_AUDIT_LOG", str(log))
    schema_before = g.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS c")[0]["c"]
    before = _counts(g)
    assert before["nodes"] == 60 and before["relationships"] == 167
    refused = cli("reset")  # not a terminal: needs --yes
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert _counts(g) == before
    done = cli("reset", "--yes", "--batch-size", "7")
    assert done.returncode == 0, done.stderr
    assert "Deleted 60 nodes and 167 relationships; the schema is kept." in done.stdout
    assert _counts(g) == {"nodes": 0, "relationships": 0}
    assert schema_before > 0 and g.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS c")[0]["c"] == schema_before
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(e["action"], e["before"], e["after"]) for e in entries] == [  # the refused reset wrote nothing
        ("reset", {"nodes": 60, "relationships": 167}, {"nodes": 0, "relationships": 0})]


# --------------------------------------------------------------------------- implicit transactions


def test_cypher_write_runs_call_in_transactions_and_load_csv(graph, cli):
    made = cli("cypher", "--write", "UNWIND range(1, 25) AS i CALL { WITH i CREATE (:Scratch {i: i}) } "
               "IN TRANSACTIONS OF 10 ROWS")
    assert made.returncode == 0, made.stderr
    assert graph.read("MATCH (s:Scratch) RETURN count(s) AS c") == [{"c": 25}]
    csv_file = server.server_paths().home / "import" / "graphkit-test-scratch.csv"
    csv_file.write_text("i\n101\n102\n", encoding="utf-8")
    try:
        loaded = cli("cypher", "--write", "LOAD CSV WITH HEADERS FROM 'file:///graphkit-test-scratch.csv' AS row "
                     "CREATE (:Scratch {i: toInteger(row.i)})")
    finally:
        csv_file.unlink()
    assert loaded.returncode == 0, loaded.stderr
    assert graph.read("MATCH (s:Scratch) RETURN count(s) AS c, max(s.i) AS top") == [{"c": 27, "top": 102}]
    # a string that only mentions the words is not a reason for an implicit transaction
    plain = cli("cypher", "--write", "CREATE (:Scratch {note: 'IN TRANSACTIONS'})")
    assert plain.returncode == 0, plain.stderr
    # forced, for a statement the detection cannot see
    forced = cli("cypher", "--auto-commit", "--format", "json", "MATCH (s:Scratch) RETURN count(s) AS c")
    assert forced.returncode == 0 and json.loads(forced.stdout) == [{"c": 28}]


# --------------------------------------------------------------------------- logical backup


def test_logical_backup_of_an_external_server_restores_the_same_graph(g, cli, tmp_path):
    before = export.content_hash(g)
    env = _external_env(tmp_path)
    target = tmp_path / "out" / "case.jsonl"
    target.parent.mkdir()
    made = cli("backup", "-o", str(target), env=env)
    assert made.returncode == 0, made.stderr
    assert "Backed up 60 nodes and 167 relationships" in made.stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["case.jsonl", "case.jsonl.sha256"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = cli("backup", "-o", str(target), env=env)
    assert again.returncode == 1 and "already exists" in again.stderr  # a backup is never overwritten

    g.write("MATCH (a:Account) WITH a LIMIT 3 DETACH DELETE a")
    g.write("CREATE (:Account {platform: 'x', handle: 'added_after_backup'})")
    assert export.content_hash(g) != before
    refused = cli("restore", str(target), env=env)
    assert refused.returncode == 1 and "--force" in refused.stderr
    restored = cli("restore", str(target), "--force", env=env)
    assert restored.returncode == 0, restored.stderr
    assert export.content_hash(g) == before
    assert g.read("MATCH (n:_GraphkitRestore) RETURN count(n) AS c") == [{"c": 0}]

    # a file cut short is refused by its checksum, and the graph is left alone
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(target.read_bytes()[:-500])
    (tmp_path / "cut.jsonl.sha256").write_text((target.parent / "case.jsonl.sha256").read_text())
    refused = cli("restore", str(cut), "--force", env=env)
    assert refused.returncode == 1 and "truncated or corrupted" in refused.stderr
    assert export.content_hash(g) == before


def test_typed_values_survive_a_logical_round_trip(graph, tmp_path):
    # labels, types and property names from the model (a restore refuses others); any value type
    graph.write("CREATE (:Account {key: 'x:typed_example', created_at: date('2025-07-01'), "
                "first_seen: datetime('2025-07-01T10:00:00+05:00'), last_seen: localdatetime('2025-07-01T10:00'), "
                "statuses: duration('P1M2DT3S'), former_handles: [1, 2], followers: 0.5, mirror_dirty: true, "
                "display_name: 'ٹی ٹی پی'})-[:MIRROR_OF {score: 2}]->(:Account:Channel {key: 'x:other_example'})")
    before = export.content_hash(graph)
    export.export_graph(graph, tmp_path / "typed.jsonl")
    export.import_graph(graph, tmp_path / "typed.jsonl", force=True)
    assert export.content_hash(graph) == before
    row = graph.read("MATCH (s:Account {key: 'x:typed_example'}) RETURN valueType(s.created_at) AS d, "
                     "valueType(s.first_seen) AS t, valueType(s.last_seen) AS l, valueType(s.statuses) AS dur")[0]
    assert row == {"d": "DATE NOT NULL", "t": "ZONED DATETIME NOT NULL", "l": "LOCAL DATETIME NOT NULL",
                   "dur": "DURATION NOT NULL"}


# --------------------------------------------------------------------------- private by default


def test_a_home_others_can_write_is_refused_with_the_fix(cli, tmp_path):
    home = tmp_path / "shared" / "server"
    home.mkdir(parents=True)
    os.chmod(home, 0o777)
    result = cli("server", "start", env={"GRAPHKIT_HOME": str(tmp_path / "shared"), "GRAPHKIT_CASE": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "can be written by other users (mode 777)" in result.stderr
    assert f"chmod 700 {home}" in result.stderr
    assert not (home / "data").exists()  # nothing was started or created in it


def test_a_new_case_home_and_a_rejects_file_are_private(tmp_path, graph):
    paths = server.Paths(tmp_path / "new" / "cases" / "x1")
    from graphkit.db.server.settings import _check_writable

    _check_writable(paths)
    for folder in (tmp_path / "new", paths.home.parent, paths.home, paths.data, paths.logs, paths.conf):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "accounts.csv").write_text("platform,handle\nnowhere,someone\n", encoding="utf-8")
    summary = load(graph, [bad], progress=None)
    assert summary.totals()["rejected"] == 1 and len(summary.rejects_paths) == 1
    assert stat.S_IMODE(os.stat(summary.rejects_paths[0]).st_mode) == 0o600


@pytest.fixture(autouse=True)
def _no_case_from_outside(monkeypatch):
    monkeypatch.delenv("GRAPHKIT_CASE", raising=False)


# --------------------------------------------------------------------------- the demo's own case


def test_the_demo_runs_in_a_case_of_its_own_unless_told_otherwise(monkeypatch, tmp_path):
    from graphkit.cli.demo_cmd import demo_case, how_to_query

    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("GRAPHKIT_HOME", "GRAPHKIT_CASE", "NEO4J_URI"):
        monkeypatch.delenv(name, raising=False)
    assert demo_case(None) == "demo"
    assert demo_case("ttp-2025") == "ttp-2025"  # demo --case, or graphkit --case
    monkeypatch.setenv("GRAPHKIT_CASE", "field-unit")
    assert demo_case(None) == "field-unit"
    monkeypatch.delenv("GRAPHKIT_CASE")
    monkeypatch.setenv("GRAPHKIT_HOME", str(tmp_path / "home"))  # a home of its own (the tests' server)
    assert demo_case(None) == "default"
    monkeypatch.delenv("GRAPHKIT_HOME")
    (tmp_path / ".env").write_text("NEO4J_URI=bolt://127.0.0.1:7687\n")  # an external server
    assert demo_case(None) == "default"
    words = " ".join(how_to_query("demo"))
    assert "`graphkit --case demo query platform-compliance`" in words and "`export GRAPHKIT_CASE=demo`" in words
