"""``graphkit init`` and ``graphkit stats``: constraints, indexes and counts from the model."""
from __future__ import annotations

from graphkit.db.graph import Graph
from graphkit.model.spec import model


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


def wipe(graph: Graph, batch: int = 10_000) -> None:
    """Delete every node and relationship (constraints and indexes stay), in small transactions.

    Relationships go first, in batches: ``DETACH DELETE`` of a node with hundreds of thousands of
    relationships (the Report node of a big load is linked to every node it brought) would delete
    them all in one transaction, and Neo4j 5.26 sorts the locks of such a commit with an
    insertion into a sorted array, quadratic in their number: a 900k-relationship Report node did
    not commit in 15 minutes."""
    with graph.session(read=False) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $n ROWS", {"n": int(batch)}).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF $n ROWS", {"n": int(batch)}).consume()
