"""``graphkit init`` and ``graphkit stats``: constraints, indexes and counts from the model."""
from __future__ import annotations

from .db import Graph
from .model import model


def init(graph: Graph) -> list[str]:
    """Create every constraint and index of the model (idempotent). Returns the statements run."""
    statements = model().schema_statements()
    graph.run_schema(statements)
    graph.run_schema(["CALL db.awaitIndexes(300)"])
    return statements


def stats(graph: Graph) -> list[dict]:
    """Counts per kind, in the model's order: ``[{"kind": ..., "count": ...}, ...]``."""
    rows = []
    m = model()
    for kind, spec in m.stats.items():
        if "node" in spec:
            label = m.node(spec["node"]).label  # checked against the model
            query = f"MATCH (n:{label}) RETURN count(n) AS c"
        else:
            rel_type = m.rel(spec["relationship"]).type
            query = f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS c"
        rows.append({"kind": kind, "count": graph.read(query)[0]["c"]})
    return rows
