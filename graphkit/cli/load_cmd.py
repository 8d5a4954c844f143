"""``graphkit load PATH...``: bulk-load report bundles and other formats."""
from __future__ import annotations

import click

from .. import output
from ..load import load
from .common import open_graph

COLUMNS = ["file", "table", "read", "created", "updated", "unchanged", "rejected"]


def register(main: click.Group) -> None:
    @main.command("load")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
    @click.option("--format", "fmt", metavar="NAME",
                  help="The input format: a mapping name in loaders/ (bundle, un_consolidated, ofac_sdn, "
                  "tweets ...). Recognised from the file when absent. `--format json` / `--format table` "
                  "are accepted as shorthands for --output.")
    @click.option("--report-id", metavar="ID",
                  help="Report id for provenance (a bundle manifest's id takes precedence; default: "
                  "derived from the file or folder name and a checksum of its contents).")
    @click.option("--programs", metavar="LIST",
                  help="Designation lists only: the sanctions programs kept, comma-separated, or 'all'. "
                  "Default for the OFAC SDN list: FTO,SDGT (entities become groups, individuals persons); "
                  "for the UN consolidated list: Al-Qaida,Taliban (its two counter-terrorism regimes; "
                  "the DPRK, Iran, Iraq, Libya ... entries are skipped and counted).")
    @click.option("--dry-run", is_flag=True, help="Validate and write the rejects file, but change nothing in the graph.")
    @click.option("--rejects", "rejects", type=click.Path(dir_okay=False), metavar="FILE",
                  help="Write rejected rows (file, line, column, reason, raw) to FILE "
                  "(default: <input>.rejects.csv beside each input, only when there are rejects).")
    @click.option("--batch-size", type=click.IntRange(1, 100000), default=1000, show_default=True,
                  help="Rows per write transaction.")
    @click.option("--output", "out_fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                  help="Summary format: an aligned table or JSON (a list of objects, one per file and "
                  "table, plus a TOTAL row). Notes, skipped records and the rejects file go to stderr.")
    def load_cmd(paths, fmt, report_id, programs, dry_run, rejects, batch_size, out_fmt):
        """Load report bundles (a folder, a .zip of one, or an .xlsx workbook) or other formats
        into the graph, and print per file and table: rows read, created, updated, unchanged,
        rejected.

        \b
        Examples:
          graphkit load reports/2025-07/
          graphkit load un_consolidated.xml --format un_consolidated
          graphkit load bundle.xlsx --dry-run --rejects bad.csv

        Loading the same report twice changes nothing. Rows that cannot be loaded go to the
        rejects file; a missing required column stops the load before anything is written.
        """
        if fmt in ("json", "table"):
            fmt, out_fmt = None, fmt
        if dry_run:
            summary = load(None, list(paths), fmt=fmt, report_id=report_id, dry_run=True, rejects=rejects,
                           batch_size=batch_size, programs=programs)
        else:
            with open_graph() as graph:
                summary = load(graph, list(paths), fmt=fmt, report_id=report_id, rejects=rejects,
                               batch_size=batch_size, programs=programs)
        for warning in summary.warnings:
            click.echo(f"Note: {warning}", err=True)
        for (file, reason), count in summary.skipped.items():
            click.echo(f"Skipped {count} record(s) in {file}: {reason}", err=True)
        rows = summary.as_rows()
        columns = COLUMNS + (["valid"] if dry_run else [])
        if out_fmt == "json":  # like every graphkit JSON output: a list of objects, one per row
            click.echo(output.render(rows, "json", columns), nl=False)
        else:
            click.echo(output.render(rows, "table", columns), nl=False)
        totals = summary.totals()
        if dry_run:
            click.echo(f"Dry run: nothing written; {totals['read'] - totals['rejected']} of {totals['read']} rows valid.",
                       err=True)
        for path in summary.rejects_paths:
            click.echo(f"{totals['rejected']} rejected row(s) written to {path}" if len(summary.rejects_paths) == 1
                       else f"Rejected rows written to {path}", err=True)
