"""``graphkit cases``, ``graphkit reset``, ``graphkit backup`` / ``graphkit restore`` (logical, for any
server, e.g. an external one)."""
from __future__ import annotations

import sys

import click

from graphkit import config
from graphkit.cli.common import emit, format_option, open_graph, progress
from graphkit.db import cases, export, reset


def register(main: click.Group) -> None:
    @main.command("cases")
    @format_option()
    def cases_cmd(fmt):
        """List the cases on this machine: name (* the current one), size, last used, running.

        \b
        Each case is a managed server of its own (data, port, password):
          export GRAPHKIT_CASE=ttp-2025    # or: graphkit --case ttp-2025 COMMAND ...
        With NEO4J_URI set, a case is a database name on that server.
        """
        if not config.load_settings().managed:
            click.echo(f"External server: the current case is the database {config.case_name()!r} "
                       "(NEO4J_URI); cases below are this machine's managed ones.", err=True)
        emit([case.row() for case in cases.list_cases()], fmt,
             ["case", "size", "last_used", "running", "uri", "home"])

    @main.command("reset")
    @click.option("--yes", is_flag=True, help="Do not ask; needed when not on a terminal.")
    @click.option("--batch-size", default=reset.BATCH, show_default=True, type=click.IntRange(1),
                  help="Nodes or relationships deleted per transaction.")
    def reset_cmd(yes, batch_size):
        """Empty the current case's graph (every node and relationship) in batches; the schema
        (constraints, indexes) stays. Asks first on a terminal; needs --yes otherwise."""
        with open_graph() as graph:
            counts = reset.count(graph)
            if not yes:
                if not sys.stdin.isatty():
                    raise click.UsageError("reset deletes the whole graph; add --yes to confirm "
                                           "(not on a terminal, so graphkit cannot ask)")
                click.confirm(f"Delete all {counts['nodes']:,} nodes and {counts['relationships']:,} "
                              f"relationships of case {config.case_name()!r}?", abort=True)
            done = reset.reset(graph, batch_size=batch_size, progress=progress)
        click.echo(f"Deleted {done['nodes']:,} nodes and {done['relationships']:,} relationships; "
                   "the schema is kept.")

    @main.command("backup")
    @click.option("-o", "--output", "output", default=None, metavar="FILE",
                  help="The backup file (default: graphkit-CASE-DATE.jsonl in the current folder).")
    def backup_cmd(output):
        """A logical, online backup of every node and relationship (JSON lines), for any server
        (an external one too); `graphkit server backup` is faster for the managed one."""
        with open_graph() as graph:
            summary = export.export_graph(graph, output)
        click.echo(f"Backed up {summary['nodes']:,} nodes and {summary['relationships']:,} relationships "
                   f"to {summary['file']} ({summary['bytes']:,} bytes; checksum in {summary['file']}.sha256).")

    @main.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--force", is_flag=True, help="Replace a graph that is not empty.")
    def restore_cmd(file, force):
        """Restore a `graphkit backup` FILE (JSON lines) into the current case's graph."""
        with open_graph() as graph:
            summary = export.import_graph(graph, file, force=force, progress=progress)
        click.echo(f"Restored {summary['nodes']:,} nodes and {summary['relationships']:,} relationships "
                   f"from {file}.")
