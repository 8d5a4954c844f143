"""Empty a graph safely: relationships, then nodes, in batches of their own transactions
(``CALL { } IN TRANSACTIONS``), so no single transaction holds the whole graph and the heap is
never exhausted, whatever the size or a node's degree. Constraints and indexes stay."""
from __future__ import annotations

from graphkit import audit

BATCH = 10_000

COUNT = "CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS rels } " \
        "RETURN nodes, rels"
DELETE_RELATIONSHIPS = "MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF $batch ROWS"
DELETE_NODES = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS"


def count(graph) -> dict:
    row = graph.read(COUNT)[0]
    return {"nodes": row["nodes"], "relationships": row["rels"]}


def reset(graph, batch_size: int = BATCH, progress=None) -> dict:
    """Delete every relationship, then every node; return how many there were."""
    before = count(graph)
    if progress and (before["nodes"] or before["relationships"]):
        progress(f"Deleting {before['relationships']:,} relationships and {before['nodes']:,} nodes "
                 f"in batches of {batch_size:,} ...")
    graph.auto_commit(DELETE_RELATIONSHIPS, {"batch": batch_size})
    graph.auto_commit(DELETE_NODES, {"batch": batch_size})
    if before["nodes"] or before["relationships"]:
        audit.record("reset", getattr(graph, "uri", "") or "graph", before=before,
                     after={"nodes": 0, "relationships": 0}, graph=graph)
    return before
