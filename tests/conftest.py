"""Test fixtures: a real Neo4j server for the whole session, an empty graph for every test.

The server is graphkit's managed one, kept under ``.test-neo4j/`` in the repository (override with
``GRAPHKIT_TEST_HOME``) so tests never touch a user's own data; it is started once per session and
stopped at the end if the session started it. When ``NEO4J_URI`` is set, tests use that server
instead, and EMPTY IT before each test: point it only at a throw-away database.
"""
from __future__ import annotations

import os
import sys

import pytest

from helpers import FIXTURES, ROOT, run_cli  # noqa: E402  (no graphkit import in helpers)

os.environ.pop("GRAPHKIT_CASE", None)  # the tests' own server is the default case of the test home
# the tests' servers are small whatever the machine (the product sizes itself from the machine's
# memory; test_cases checks that choice, and its out-of-memory test needs a heap this size)
os.environ.setdefault("GRAPHKIT_HEAP", "512m")
os.environ.setdefault("GRAPHKIT_PAGECACHE", "256m")
if not os.environ.get("NEO4J_URI"):
    os.environ["GRAPHKIT_HOME"] = os.environ.get("GRAPHKIT_TEST_HOME") or str(ROOT / ".test-neo4j")

import graphkit  # noqa: E402,F401  (imported after GRAPHKIT_HOME is set)
from graphkit import config
from graphkit.db import graph as db
from graphkit.model import schema
from graphkit.db import server  # noqa: E402


def pytest_collection_modifyitems(items):
    """Every test that needs the real server carries the ``neo4j`` marker, so the others run alone
    in seconds: ``pytest -m "not neo4j"``."""
    for item in items:
        if "neo4j_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def neo4j_server():
    """Settings of a running server: the managed one (started here) or NEO4J_URI."""
    settings = config.load_settings()
    started_here = False
    if settings.managed and not server.status().running:
        server.start(progress=lambda msg: print(msg, file=sys.stderr))
        started_here = True
    yield settings
    if started_here and not os.environ.get("GRAPHKIT_TEST_KEEP_SERVER"):
        server.stop()


@pytest.fixture(scope="session")
def session_graph(neo4j_server):
    graph = db.connect(neo4j_server, start=False)
    yield graph
    graph.close()



@pytest.fixture
def graph(session_graph):
    """A connection to an empty graph with the schema in place."""
    schema.wipe(session_graph)
    schema.init(session_graph)
    return session_graph


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="module")
def g(session_graph):
    """The small fixture bundle (tests/fixtures/bundle_small) loaded into an emptied graph, once per
    test module that asks for it."""
    from graphkit.ingest import load

    schema.wipe(session_graph)
    graphkit.init(session_graph)
    summary = load(session_graph, [FIXTURES / "bundle_small"], progress=None)
    assert summary.totals()["rejected"] == 0
    return session_graph
