"""``graphkit load PATH...``: bulk-load report bundles and other formats."""
from __future__ import annotations

import sys

import click

from graphkit import output
from graphkit.ingest.engine import load
from graphkit.ingest.mappings import all_mappings
from graphkit.ingest.dates import DATE_ORDERS
from graphkit.cli.common import open_graph

COLUMNS = ["file", "table", "read", "created", "updated", "unchanged", "rejected"]
EXIT_REJECTS = 3  # the load finished, but some rows were rejected (see the rejects file)


class _OutputFormat(click.Choice):
    """``--format`` is the output format, as in every command. A mapping name there (what
    ``load --format`` meant before ``--input-format``) still works, with a one-line note."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value not in self.choices and value in all_mappings():
            click.echo(f"Note: --format on load is now --input-format (read {value!r} as --input-format "
                       f"{value}); --format is the output format, as in every command.", err=True)
            return ("input", value)
        return super().convert(value, param, ctx)


def _rejected_sentence(count: int, paths) -> str:
    rows = "1 row was" if count == 1 else f"{count:,} rows were"
    return f"{rows} rejected; see {', '.join(str(p) for p in paths)} (file, line, column, reason)."


def _echo_screened(found, out_fmt) -> None:
    """The likely mirrors among the accounts the load created (``load --screen``)."""
    if not found:
        click.echo("Screened the accounts this load created: none is a likely mirror of a known account.", err=True)
        return
    n = len({m.account for m in found})
    click.echo(f"Likely mirrors among the accounts this load created: {n:,} (review them with "
               "`graphkit mirrors screen PLATFORM:HANDLE`):", err=True)
    click.echo(output.render([m.row() for m in found], out_fmt, ["account", "candidate", "score", "evidence"]),
               nl=False, err=True)


def register(main: click.Group) -> None:
    @main.command("load")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
    @click.option("--input-format", "fmt", metavar="NAME",
                  help="The input format: a mapping name in loaders/ (bundle, un_consolidated, ofac_sdn, "
                  "tweets ...). Recognised from the file when absent.")
    @click.option("--group", "group", metavar="ID",
                  help="Tie every account and channel of the input that has no group_id of its own to this "
                  "group (AFFILIATED_WITH), e.g. a tweet export of one group's accounts: --group ISIS.")
    @click.option("--date-order", type=click.Choice(DATE_ORDERS),
                  help="How to read numeric dates such as 1/6/2015: dmy (1 June), mdy (6 January) or ymd. "
                  "Without it (and without a date_order in the format's mapping), a date whose day and "
                  "month could be swapped is rejected.")
    @click.option("--region", metavar="CC",
                  help="The country (two letters, e.g. PK, AF, GB) of phone numbers written without a country "
                  "code, such as WhatsApp senders saved as 0300 0000123. Default: PK.")
    @click.option("--report-id", metavar="ID",
                  help="Report id for provenance (a bundle manifest's id takes precedence; default: "
                  "derived from the file or folder name and a checksum of its contents).")
    @click.option("--programs", metavar="LIST",
                  help="Designation lists only: the sanctions programs kept, comma-separated, or 'all'. "
                  "Default for the OFAC SDN list: FTO,SDGT (entities become groups, individuals persons); "
                  "for the UN consolidated list: Al-Qaida,Taliban (its two counter-terrorism regimes; "
                  "the DPRK, Iran, Iraq, Libya ... entries are skipped and counted).")
    @click.option("--new-version", is_flag=True,
                  help="When a report with the same id was loaded from different files, load these as a new "
                  "version of it (ID-v2, ID-v3 ...) instead of refusing.")
    @click.option("--dry-run", is_flag=True, help="Validate and write the rejects file, but change nothing in the graph.")
    @click.option("--rejects", "rejects", type=click.Path(dir_okay=False), metavar="FILE",
                  help="Write rejected rows (file, line, column, reason, raw) to FILE "
                  "(default: <input>.rejects.csv beside each input, only when there are rejects).")
    @click.option("--batch-size", type=click.IntRange(1, 100000), default=1000, show_default=True,
                  help="Rows per write transaction.")
    @click.option("--format", "out_fmt", type=_OutputFormat(list(output.FORMATS)), default="table",
                  show_default=True,
                  help="Summary format: an aligned table, CSV or JSON (a list of objects, one per file and "
                  "table, plus a TOTAL row). Notes, skipped records and the rejects file go to stderr.")
    @click.option("--output", "old_out", type=click.Choice(list(output.FORMATS)), hidden=True)
    @click.option("--screen", "screen_new", is_flag=True,
                  help="Screen the accounts this load creates for mirrors of known accounts (as `graphkit mirrors "
                  "screen`) and list the likely ones after the summary.")
    # long: fifteen click options and the user's help text; the code is about 35 lines
    def load_cmd(paths, fmt, group, date_order, region, report_id, programs, dry_run, rejects, batch_size, out_fmt,
                 old_out, new_version, screen_new):
        """Load report bundles (a folder, a .zip of one, or an .xlsx workbook) or other formats
        into the graph, and print per file and table: rows read, created, updated, unchanged,
        rejected.

        \b
        Examples:
          graphkit load reports/2025-07/
          graphkit load un_consolidated.xml --input-format un_consolidated
          graphkit load tweets.csv --group ISIS
          graphkit load bundle.xlsx --dry-run --rejects bad.csv

        \b
        Exit codes:
          0  every row was loaded (or, with --dry-run, is valid)
          3  the load finished, but some rows were rejected: see the rejects file
          1  nothing or not everything was loaded (a missing column, an unreadable file, no server)

        Loading the same report twice changes nothing; loading changed files under a report id
        already loaded is refused (or, with --new-version, stored as a new report). Each load is
        kept in the audit trail (`graphkit audit log`) and listed by `graphkit reports`. Rows that cannot be loaded go to the
        rejects file; a missing required column stops the load before anything is written.
        """
        if isinstance(out_fmt, tuple):  # the old `--format NAME` (input format)
            fmt, out_fmt = fmt or out_fmt[1], "table"
        out_fmt = old_out or out_fmt
        options = dict(fmt=fmt, report_id=report_id, rejects=rejects, batch_size=batch_size, group=group,
                       date_order=date_order, programs=programs, region=region)
        flagged = []
        if dry_run:
            summary = load(None, list(paths), dry_run=True, **options)
        else:
            with open_graph() as graph:
                summary = load(graph, list(paths), new_version=new_version, **options)
                from graphkit.mirrors import keys, screen
                if screen_new:
                    flagged = screen.screen_loaded(graph)
                else:
                    keys.refresh_stale(graph)  # the mirror keys of the accounts the load touched
        for warning in summary.warnings:
            click.echo(f"Note: {warning}", err=True)
        for (file, reason), count in summary.skipped.items():
            click.echo(f"Skipped {count} record(s) in {file}: {reason}", err=True)
        columns = COLUMNS + (["valid"] if dry_run else [])
        click.echo(output.render(summary.as_rows(), out_fmt, columns), nl=False)
        totals = summary.totals()
        if screen_new and not dry_run:
            _echo_screened(flagged, out_fmt)
        if dry_run:
            click.echo(f"Dry run: nothing written; {totals['read'] - totals['rejected']} of {totals['read']} rows valid.",
                       err=True)
        if totals["rejected"]:
            click.echo(_rejected_sentence(totals["rejected"], summary.rejects_paths), err=True)
            sys.exit(EXIT_REJECTS)
