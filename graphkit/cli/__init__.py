"""The ``graphkit`` command. Thin: each command parses arguments, calls one library function,
and turns graphkit's error classes into one clear message, a hint, and a non-zero exit."""
from __future__ import annotations

import importlib
import sys

import click

from ..errors import GraphkitError

# Each module defines ``register(main)``; adding a command group means adding its module here.
COMMAND_MODULES = [
    "graphkit.cli.server_cmd",
    "graphkit.cli.core",
    "graphkit.cli.load_cmd",
    "graphkit.cli.synth_cmd",
    "graphkit.cli.demo_cmd",
    "graphkit.cli.mirrors_cmd",
    "graphkit.cli.map_cmd",
    "graphkit.cli.query_cmd",
    "graphkit.cli.template_cmd",
]


class GraphkitGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            click.secho(f"Error: {exc.message}", fg="red", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            sys.exit(exc.exit_code or 1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="graphkit")
def main():
    """graphkit: map how proscribed militant groups use social media, on Neo4j.

    \b
    Typical session:
      graphkit server start            # or set NEO4J_URI / NEO4J_PASSWORD
      graphkit load reports/2025-07/   # a report bundle (folder, .zip or .xlsx)
      graphkit queries                 # the canned questions
      graphkit query shared-operators --format csv > operators.csv
      graphkit map --group TTP -o ttp.html

    Connection: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (environment or .env);
    without NEO4J_URI graphkit runs its own local Neo4j (see `graphkit server --help`).
    """


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(main)
