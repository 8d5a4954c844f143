"""``graphkit template``: an empty report bundle for field units to fill in."""
from __future__ import annotations

import click

from graphkit.ingest import template
from graphkit.ingest.records import TABLE_ORDER


def register(main: click.Group) -> None:
    @main.command("template")
    @click.option("-o", "--output", "target", required=True, metavar="FILE.xlsx|DIR",
                  help="A workbook (name ending in .xlsx) or a folder of CSV files.")
    @click.option("--no-example", is_flag=True, help="Headers only, without the fictional example row.")
    @click.option("--force", is_flag=True, help="Replace an existing workbook or the bundle files in the folder.")
    def template_cmd(target, no_example, force):
        """Write an empty report bundle: every table with its columns and one fictional example row,
        and a report manifest. In the workbook, header comments say what each column holds and
        platform, status, kind, authority and group columns offer drop-down lists. The format is
        described in docs/bundle.md; load the filled-in bundle with `graphkit load`."""
        path = template.write(target, example=not no_example, force=force)
        kind = "workbook" if path.suffix.lower() == ".xlsx" else "folder"
        rows = "" if no_example else (" and one fictional example row each (replace or delete it before "
                                      "loading a real report)")
        click.echo(f"Wrote an empty report bundle to the {kind} {path}: {len(TABLE_ORDER)} tables with their "
                   f"columns{rows}, and the report's id, source, title and date to fill in.")
