"""The ``graphkit`` command. Thin: each command parses arguments, calls one library function,
and turns graphkit's error classes into one clear message, a hint, and a non-zero exit."""
from __future__ import annotations

import importlib
import os
import sys

import click

from graphkit.errors import GraphkitError

# Each module defines ``register(main)``; adding a command group means adding its module here.
COMMAND_MODULES = [
    "graphkit.cli.server_cmd",
    "graphkit.cli.core",
    "graphkit.cli.load_cmd",
    "graphkit.cli.synth_cmd",
    "graphkit.cli.demo_cmd",
    "graphkit.cli.mirrors_cmd",
    "graphkit.cli.operators_cmd",
    "graphkit.cli.map_cmd",
    "graphkit.cli.query_cmd",
    "graphkit.cli.template_cmd",
    "graphkit.cli.takedowns_cmd",
    "graphkit.cli.report_cmd",
    "graphkit.cli.export_cmd",
    "graphkit.cli.cases_cmd",
    "graphkit.cli.audit_cmd",
    "graphkit.cli.serve_cmd",
]


class GraphkitGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphkitError as exc:
            _fail(exc.message, exc.hint, exc.exit_code or 1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as exc:  # a file or folder the user named: one sentence, never a traceback
            where = f" {exc.filename}" if exc.filename else ""
            _fail(f"cannot use{where}: {exc.strerror or exc}", "Check the path and its permissions.", 1)
        except Exception as exc:  # noqa: BLE001 - the last guard: a user never sees a traceback
            if os.environ.get("GRAPHKIT_DEBUG"):
                raise
            _fail(f"graphkit hit an unexpected error ({type(exc).__name__}: {exc})",
                  "Run again with GRAPHKIT_DEBUG=1 to see the traceback, and report it.", 70)


def _fail(message: str, hint: str | None, code: int) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    if hint:
        click.echo(f"Hint: {hint}", err=True)
    sys.exit(code)


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="graphkit")
@click.option("--case", "case", metavar="NAME", default=None,
              help="Work on case NAME: its own managed server (data, port, password), or the database "
              "NAME on an external server (default: GRAPHKIT_CASE, else the default case).")
def main(case):
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
    Each investigation can live apart: `graphkit --case NAME ...` (list them: `graphkit cases`).
    """
    if case is not None:
        os.environ["GRAPHKIT_CASE"] = case
    from graphkit import config

    config.case_name()  # a bad name fails here, in one sentence


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(main)
