"""``graphkit init``, ``graphkit stats``, ``graphkit cypher``."""
from __future__ import annotations

import click

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
    @format_option()
    def cypher_cmd(query, params, write, fmt):
        """Run an ad-hoc Cypher QUERY, read-only unless --write.

        \b
        Values go in as parameters, never pasted into the text:
          graphkit cypher 'MATCH (a:Account {platform: $p}) RETURN a.handle LIMIT 5' -p p x
        """
        values = {key: guess_value(value) for key, value in params}
        with open_graph() as graph:
            rows, keys = graph.run(query, values, read=not write)
        emit(rows, fmt, keys)
