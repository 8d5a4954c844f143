"""``graphkit takedowns draft|update|status``: the takedown loop."""
from __future__ import annotations

import os

import click

from graphkit.cli.common import emit, format_option, guess_value, open_graph, param_option, progress
from graphkit.takedowns import answers, status as status_mod
from graphkit.takedowns.draft import DEFAULT_RESEND_AFTER, draft
from graphkit.takedowns.status import parse_as_of


def register(main: click.Group) -> None:
    @main.group("takedowns")
    def takedowns_group():
        """The takedown loop: draft requests with evidence, record them, read the answers, chase.

        \b
          graphkit takedowns draft --platform x --group TTP -o requests/x --record
          graphkit takedowns update answers-from-x.csv
          graphkit takedowns status --overdue-after 14
          graphkit takedowns draft --platform x --reappeared -o requests/x-back --record
        """

    @takedowns_group.command("draft")
    @click.option("--platform", required=True, metavar="P", help="The platform to ask (x, facebook, tiktok ...).")
    @click.option("--group", metavar="ID", help="The group's accounts on the platform (gid or alias).")
    @click.option("--query", metavar="NAME", help="The accounts named in a canned query's rows.")
    @param_option()
    @click.option("--accounts", type=click.Path(dir_okay=False), metavar="FILE",
                  help="A file with one PLATFORM:HANDLE or profile URL a line.")
    @click.option("--reappeared", is_flag=True,
                  help="Only accounts that came back after a removal (mirrors of an account removed after "
                  "a request); alone: every such account on the platform.")
    @click.option("--resend-after", type=click.IntRange(min=0), default=DEFAULT_RESEND_AFTER, show_default=True,
                  help="Leave out accounts with a request younger than this many days.")
    @click.option("--from", "requester", default=lambda: os.environ.get("GRAPHKIT_REQUESTER", ""),
                  metavar="NAME", help="Who asks (printed in the letter; default $GRAPHKIT_REQUESTER).")
    @click.option("--as-of", metavar="DATE", help="The day the requests are sent (YYYY-MM-DD; today).")
    @click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
                  help="Folder for requests.csv, requests.json and letter.html.")
    @click.option("--record", is_flag=True,
                  help="Record a pending TakedownRequest per target in the graph (same day again: no duplicate).")
    def draft_cmd(platform, group, query, params, accounts, reappeared, resend_after, requester, as_of,
                  output, record):
        """Draft a platform's request pack: requests.csv, requests.json and a printable letter.html.

        Accounts already removed or suspended, and those with a request younger than
        --resend-after days, are left out (the summary says how many and why).
        """
        now = parse_as_of(as_of) if as_of else None
        values = {key: guess_value(value) for key, value in params}
        with open_graph() as graph:
            pack = draft(graph, platform, group=group, query=query, params=values, accounts=accounts,
                         reappeared=reappeared, resend_after=resend_after, now=now, requester=requester)
            paths = pack.write(output)
            recorded = pack.record(graph) if record else None
        click.echo(pack.summary())
        for reason, n in pack.excluded_counts.items():
            click.echo(f"  left out, {reason}: {n}")
        click.echo(f"Wrote {paths['csv']}, {paths['json']} and {paths['letter']}.")
        if recorded:
            click.echo(f"Recorded {recorded['created']} new request{'s' if recorded['created'] != 1 else ''} "
                       f"({recorded['unchanged']} already recorded) in report {recorded['report']}.")
        else:
            click.echo("Nothing recorded in the graph (add --record once the requests are sent).")

    @takedowns_group.command("update")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--rejects", type=click.Path(dir_okay=False), help="Where to write rejected rows "
                  "(default: FILE.rejects.csv beside it).")
    def update_cmd(file, rejects):
        """Record a platform's answers (CSV or XLSX: request_id or url, status, resolved_at, note).

        status is removed, rejected, no_response or pending; a removal marks the account removed.
        """
        with open_graph() as graph:
            summary = answers.update(graph, file, rejects=rejects)
        click.echo(f"Read {summary.read} answer{'s' if summary.read != 1 else ''}: {summary.updated} updated, "
                   f"{summary.unchanged} unchanged, {summary.rejected} rejected; "
                   f"{summary.accounts_removed} account{'s' if summary.accounts_removed != 1 else ''} "
                   "marked removed.")
        if summary.rejects_path:
            click.echo(f"Rejected rows (file, line, column, reason): {summary.rejects_path}")

    @takedowns_group.command("status")
    @click.option("--platform", metavar="P", help="Only this platform.")
    @click.option("--overdue-after", type=click.IntRange(min=0), default=status_mod.DEFAULT_OVERDUE_AFTER,
                  show_default=True, help="A pending request older than this many days is overdue.")
    @click.option("--as-of", metavar="DATE", help="Count ages to this day (YYYY-MM-DD; today).")
    @click.option("--overdue", "only_overdue", is_flag=True,
                  help="Print only the overdue requests (for CSV or JSON output).")
    @format_option()
    def status_cmd(platform, overdue_after, as_of, only_overdue, fmt):
        """Per platform: requested, removed, rejected, pending, overdue, compliance rate, median days
        to removal (the counts of the platform-compliance query); then the overdue requests.

        CSV and JSON carry the per-platform rows only; --overdue prints the overdue requests instead.
        """
        with open_graph() as graph:
            result = status_mod.status(graph, platform=platform, overdue_after=overdue_after, as_of=as_of)
        if only_overdue:
            emit(result.overdue, fmt, status_mod.OVERDUE_COLUMNS)
            return
        emit(result.rows, fmt, status_mod.COLUMNS)
        if fmt == "table":
            click.echo(f"\nOverdue (pending more than {overdue_after} days): {len(result.overdue)}")
            if result.overdue:
                emit(result.overdue, fmt, status_mod.OVERDUE_COLUMNS)
        elif result.overdue:
            progress(f"{len(result.overdue)} overdue request(s): add --overdue to list them.")
