"""Neo4j SIGKILLed while `graphkit takedowns update` writes the answers: the update fails with one
clear error, nothing of it is left half-done, and after a restart a re-run converges to the graph
(and the audit trail) of a clean run.

The answers are written in one transaction, so the kill is aimed inside it: the update's own
statement is made to count for a while after its writes (before it returns), and a watcher kills
Neo4j as soon as that statement shows in `SHOW TRANSACTIONS`. The managed test server itself is
killed (and restarted), so this needs it (not NEO4J_URI)."""
from __future__ import annotations

import os
import shutil
import sys
import threading
import time

import pytest
from neo4j import GraphDatabase

from graphkit import audit
from graphkit.db import server
from graphkit.errors import ConnectionFailed
from graphkit.model import schema
from graphkit.takedowns import answers
from test_mirrors_crash import fragile_graph, kill_server
from test_takedowns import ANSWERS, build

SLOW = "WITH * CALL { UNWIND range(1, 400000000) AS i RETURN count(i) AS graphkit_slow_tail } RETURN"
STAMPS = {"answered_at", "loaded_at"}  # times of the run itself: a clean run has its own


def snapshot(graph):
    """Every node and relationship by content, without the run's own timestamps."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = graph.read("MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS t, properties(b) AS b, "
                      "properties(r) AS p")
    def plain(props):
        return sorted((k, repr(v)) for k, v in props.items() if k not in STAMPS)
    return (sorted(repr((sorted(n["l"]), plain(n["p"]))) for n in nodes),
            sorted(repr((plain(r["a"]), r["t"], plain(r["b"]), plain(r["p"]))) for r in rels))


def _updates(report: str) -> int:
    return sum(1 for e in audit.entries() if e["action"] == "takedowns.update" and e["target"] == report)


def _kill_when_running(uri, auth, done: threading.Event, killed: list) -> None:
    """Kill Neo4j once the slowed update statement is running (its writes made, not committed)."""
    with GraphDatabase.driver(uri, auth=auth) as watcher:
        deadline = time.monotonic() + 120
        while not done.is_set() and time.monotonic() < deadline:
            rows, _, _ = watcher.execute_query("SHOW TRANSACTIONS YIELD currentQuery "
                                               "WHERE currentQuery CONTAINS 'graphkit_slow_tail' RETURN count(*) AS n")
            if rows[0]["n"]:
                kill_server()
                killed.append(True)
                return
            time.sleep(0.05)


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="kills and restarts the managed test server")
def test_sigkill_during_takedowns_update_then_rerun_converges(graph, session_graph, tmp_path, monkeypatch):
    file = shutil.copy(ANSWERS, tmp_path / "answers.csv")
    build(graph)
    before = snapshot(graph)
    done_clean = answers.update(graph, file)
    clean_summary, report = done_clean.as_row(), done_clean.report
    clean = snapshot(graph)
    assert clean != before and clean_summary["updated"] == 2

    schema.wipe(graph)
    schema.init(graph)
    build(graph)
    user, password = "neo4j", server.read_password()
    fragile = fragile_graph(session_graph)
    real = answers._update_cypher
    monkeypatch.setattr(answers, "_update_cypher", lambda: real().replace("\nRETURN", "\n" + SLOW, 1))
    done, killed = threading.Event(), []
    watcher = threading.Thread(target=_kill_when_running,
                               args=(session_graph.uri, (user, password), done, killed))
    watcher.start()
    try:
        with pytest.raises(ConnectionFailed) as info:
            answers.update(fragile, file)
        assert "does not answer" in info.value.message and info.value.hint
    finally:
        done.set()
        watcher.join()
        fragile.close()
        monkeypatch.setattr(answers, "_update_cypher", real)
        server.start(progress=lambda msg: print(msg, file=sys.stderr))
    assert killed == [True]

    # one transaction: the crash left nothing of the update (no answer, no report, no audit entry)
    assert snapshot(graph) == before
    audited = _updates(report)

    again = answers.update(graph, file).as_row()  # the re-run
    assert again["updated"] == clean_summary["updated"] and again["rejected"] == clean_summary["rejected"]
    assert snapshot(graph) == clean
    assert _updates(report) == audited + 1  # the re-run's entry, once
    assert audit.verify().entries >= audited + 1  # the chain is intact
