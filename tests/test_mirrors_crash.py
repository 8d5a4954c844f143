"""Neo4j SIGKILLed while `mirrors detect --write` stores candidates: the write fails with one clear
error, and after a restart a re-run converges to the graph of a clean run.

The managed test server itself is killed (and restarted), so this needs it (not NEO4J_URI)."""
from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from neo4j import GraphDatabase

from graphkit.db import graph as db
from graphkit.db import server
from graphkit.errors import ConnectionFailed
from graphkit.mirrors import detect as mirrors
from graphkit.model import schema
from test_mirrors_review import build



def snapshot(graph):
    """Every node and relationship, without the detection time (a clean run has its own)."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY n.key")
    rels = graph.read("MATCH (a)-[r]->(b) RETURN a.key AS a, type(r) AS t, b.key AS b, properties(r) AS p "
                      "ORDER BY a, t, b")
    for r in rels:
        r["p"].pop("detected_at", None)
    return sorted(map(repr, nodes)), sorted(map(repr, rels))


def mirror_links(graph):
    return graph.read("MATCH (s)-[r:MIRROR_OF]->(p) RETURN s.key AS s, p.key AS p, r.status AS status ORDER BY s")


def fragile_graph(session_graph) -> db.Graph:
    """A connection to the test server that gives up quickly once the server is gone (the
    default retries for 30 s)."""
    user, password = "neo4j", server.read_password()
    fragile = db.Graph(session_graph.uri, user, password, session_graph.database)
    fragile.driver.close()
    fragile.driver = GraphDatabase.driver(session_graph.uri, auth=(user, password),
                                          max_transaction_retry_time=1.0, connection_timeout=2.0)
    return fragile


def kill_server():
    pid = server.status().pid
    os.kill(pid, signal.SIGKILL)
    for _ in range(200):
        try:
            os.waitpid(pid, os.WNOHANG)  # reap it when this process started it
        except ChildProcessError:
            pass
        if not server.status().running:
            return
        time.sleep(0.05)
    raise AssertionError("Neo4j did not die")


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="kills and restarts the managed test server")
def test_sigkill_during_detect_write_then_rerun_converges(graph, session_graph):
    build(graph)
    found = mirrors.detect(graph).candidates
    assert len(found) == 2  # the two mirrors of test_mirrors_review's graph
    mirrors.write_candidates(graph, found)
    clean = snapshot(graph)
    assert [link["status"] for link in mirror_links(graph)] == ["candidate", "candidate"]

    schema.wipe(graph)
    schema.init(graph)
    build(graph)
    fragile = fragile_graph(session_graph)
    seen = []
    try:
        with pytest.raises(ConnectionFailed) as info:  # one candidate per transaction
            mirrors.write_candidates(fragile, mirrors.detect(fragile).candidates, batch_size=1,
                                     after_batch=lambda n: (seen.append(n), n == 1 and kill_server()))
        assert "does not answer" in info.value.message and info.value.hint
    finally:
        fragile.close()
        server.start(progress=lambda msg: print(msg, file=sys.stderr))
    assert seen == [1]  # killed after the first of two transactions

    partial = mirror_links(graph)  # the first transaction was committed and survives the crash
    assert len(partial) == 1 and partial[0]["status"] == "candidate"
    assert snapshot(graph) != clean

    mirrors.write_candidates(graph, mirrors.detect(graph).candidates)  # the re-run
    assert snapshot(graph) == clean
