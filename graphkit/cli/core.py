"""``graphkit init``, ``graphkit stats``, ``graphkit cypher``."""
from __future__ import annotations

import click

from graphkit.db.graph import needs_implicit_transaction
from graphkit.model import schema
from graphkit.cli.common import emit, format_option, guess_value, open_graph, param_option


def register(main: click.Group) -> None:
    @main.command("init")
    def init_cmd():
        """Create the constraints and indexes of the graph model (idempotent; `load` runs it too)."""
        with open_graph() as graph:
            statements = schema.init(graph)
        click.echo(f"Schema ready: {len(statements)} constraints and indexes.")

    @main.command("stats")
    @format_option()
    def stats_cmd(fmt):
        """Count groups, designations, accounts, channels, sightings, identifiers, takedown
        requests, mirror links and reports in the graph."""
        with open_graph() as graph:
            emit(schema.stats(graph), fmt, ["kind", "count"])

    @main.command("cypher")
    @click.argument("query")
    @param_option()
    @click.option("--write", is_flag=True, help="Allow the query to change the graph (default: read-only).")
    @click.option("--auto-commit", is_flag=True,
                  help="Run in an implicit (auto-commit) transaction, as CALL { } IN TRANSACTIONS and "
                  "LOAD CSV need (detected in the text; this forces it).")
    @format_option()
    def cypher_cmd(query, params, write, auto_commit, fmt):
        """Run an ad-hoc Cypher QUERY, read-only unless --write.

        \b
        Values go in as parameters, never pasted into the text:
          graphkit cypher 'MATCH (a:Account {platform: $p}) RETURN a.handle LIMIT 5' -p p x
        Batched writes run in their own transactions (--write is enough, it is detected):
          graphkit cypher --write 'MATCH (s:Sighting) CALL { WITH s DELETE s } IN TRANSACTIONS'
        """
        values = {key: guess_value(value) for key, value in params}
        with open_graph() as graph:
            if auto_commit or needs_implicit_transaction(query):
                rows, keys = graph.auto_commit(query, values, read=not write)
            else:
                rows, keys = graph.run(query, values, read=not write)
        emit(rows, fmt, keys)
