"""Helpers shared by CLI commands: connecting, output, ``-p KEY VALUE`` parameters."""
from __future__ import annotations

import json

import click

from graphkit import output
from graphkit.db.graph import connect


def progress(message: str) -> None:
    click.echo(message, err=True)


def open_graph():
    """A connection (starting the managed server when needed); messages go to stderr."""
    return connect(progress=progress)


FORMAT_HELP = {
    "table": "table (aligned, fitted to the terminal width)",
    "csv": "csv (spreadsheet-safe)",
    "json": "json (a list of objects)",
}


def format_option(default: str = "table", choices=output.FORMATS):
    """``--format``: the output format, one of ``choices``; the help names exactly those."""
    described = [FORMAT_HELP[c] for c in choices]
    listed = described[0] if len(described) == 1 else ", ".join(described[:-1]) + " or " + described[-1]
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
        help=f"Output format: {listed}.",
    )


def param_option():
    return click.option(
        "-p", "--param", "params", type=(str, str), multiple=True, metavar="KEY VALUE",
        help="A query parameter (repeatable). Numbers, true/false, null and JSON lists are typed; "
        "anything else is a string.",
    )


def guess_value(text: str):
    """A ``-p`` value: JSON scalars and lists are typed, anything else stays a string."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, (int, float, bool, list)) or value is None:
        return value
    return text


def emit(rows, fmt: str, columns=None) -> None:
    click.echo(output.render(rows, fmt, columns), nl=False)
