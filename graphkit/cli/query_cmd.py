"""``graphkit queries`` and ``graphkit query NAME [-p KEY VALUE]... [--format ...]``."""
from __future__ import annotations

import click

from graphkit.queries import library
from graphkit.cli.common import emit, format_option, open_graph


def register(main: click.Group) -> None:
    @main.command("queries")
    @format_option()
    def queries_cmd(fmt):
        """List the canned queries: name, title, category and parameters.

        \b
        Run one with:  graphkit query NAME -p KEY VALUE ...
        Details:       graphkit query NAME --help-query
        """
        rows = [{"name": q.name, "title": q.title, "category": q.category, "parameters": q.signature()}
                for q in library.queries().values()]
        emit(rows, fmt, ["name", "title", "category", "parameters"])

    @main.command("query")
    @click.argument("name")
    @click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="KEY VALUE",
                  help="A parameter of the query (repeatable); the value is converted to the declared "
                  "type (see `graphkit queries`).")
    @format_option()
    @click.option("--help-query", is_flag=True,
                  help="Describe the query (description, parameters, columns) instead of running it.")
    def query_cmd(name, params, fmt, help_query):
        """Run the canned query NAME read-only and print its rows.

        \b
        Examples:
          graphkit query group-footprint -p group TTP
          graphkit query shared-operators -p max_hub 20 --format csv > operators.csv
          graphkit query active-after-report -p days 60 --format json

        Queries that can return a large table take -p limit N (most relevant rows
        first, 1000 by default, 0 for all); a note on stderr says when rows were
        left out.
        """
        query = library.get(name)
        if help_query:
            click.echo(describe(query))
            return
        values: dict[str, str] = {}
        for key, value in params:
            if key in values:
                raise query.parameter_error(f"parameter {key} is given twice (give each -p KEY VALUE once)")
            values[key] = value
        query.bind(values)  # parameter errors before connecting
        with open_graph() as graph:
            result = library.execute(graph, name, values)
        emit(result.rows, fmt, result.columns)
        if result.cut:  # stderr: CSV and JSON on stdout stay clean
            click.echo(f"note: first {result.limit} rows only; -p limit N for more, -p limit 0 for all",
                       err=True)


def describe(query) -> str:
    lines = [f"{query.name}: {query.title}", "", query.description, "", "Parameters:"]
    if not query.parameters:
        lines.append("  (none)")
    for param in query.parameters:
        lines.append(f"  {param.describe()}: {param.description}")
    lines += ["", "Columns: " + ", ".join(query.columns)]
    return "\n".join(lines)
