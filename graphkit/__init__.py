"""graphkit: map how proscribed militant groups use social media, on Neo4j.

Python API (everything the CLI does)::

    import graphkit
    graph = graphkit.connect()          # NEO4J_URI & co., or the managed server
    graphkit.init(graph)
    graphkit.stats(graph)
    graphkit.load(graph, ["reports/2025-07/"])   # report bundles and other formats
    graphkit.query("shared-operators", graph, max_hub=20)   # a canned query -> DataFrame
    from graphkit.operators import coordination, review      # co-posting clusters, the review (docs/operators.md)
    graphkit.queries()                  # the canned queries by name
"""
from __future__ import annotations

import importlib

from graphkit.config import Settings, load_settings
from graphkit.db.graph import Graph, connect
from graphkit.errors import (
    AuthFailed,
    ConfigError,
    ConnectionFailed,
    GraphkitError,
    LoadError,
    ModelError,
    ParameterError,
    QueryError,
    ReadOnlyViolation,
    ServerError,
)
from graphkit.ingest.engine import load
from graphkit.queries import library as _library
from graphkit.queries.library import query
from graphkit.model.schema import init, stats

__version__ = "0.1.0"


class _Queries:
    """``graphkit.queries()``: the canned queries by name; ``graphkit.queries.execute`` & co. are
    the query library's functions (graphkit.queries.library)."""

    def __call__(self, folder=None):
        return _library.queries(folder)

    def __getattr__(self, name):
        if hasattr(_library, name):
            return getattr(_library, name)
        return importlib.import_module(f"graphkit.queries.{name}")  # the package's other modules

    def __dir__(self):
        return dir(_library)


queries = _Queries()

__all__ = [
    "AuthFailed",
    "ConfigError",
    "ConnectionFailed",
    "Graph",
    "GraphkitError",
    "LoadError",
    "ModelError",
    "ParameterError",
    "QueryError",
    "ReadOnlyViolation",
    "ServerError",
    "Settings",
    "connect",
    "init",
    "load",
    "load_settings",
    "queries",
    "query",
    "stats",
    "__version__",
]
