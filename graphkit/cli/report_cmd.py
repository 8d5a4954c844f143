"""``graphkit report``: the weekly briefing as one offline HTML page."""
from __future__ import annotations

import click

from graphkit.cli.common import open_graph


def register(main: click.Group) -> None:
    @main.command("report")
    @click.option("--since", metavar="DATE", help="What is new since this day (YYYY-MM-DD; default a week "
                  "before --as-of).")
    @click.option("--as-of", metavar="DATE", help="The day of the briefing (YYYY-MM-DD; today).")
    @click.option("--overdue-after", type=click.IntRange(min=0), default=14, show_default=True,
                  help="A pending request older than this many days is overdue.")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="The HTML file to write (self-contained; opens offline).")
    def report_cmd(since, as_of, overdue_after, output):
        """Write the weekly briefing: headline counts, compliance and request charts, new accounts,
        new mirror candidates, the largest operator clusters and a small map.

        \b
        Example:
          graphkit report --since 2025-07-01 -o briefing.html
        """
        from graphkit.takedowns.briefing import briefing

        with open_graph() as graph:
            result = briefing(graph, since=since, as_of=as_of, overdue_after=overdue_after)
        path = result.write(output)
        click.echo(f"Wrote {path}: {result.summary()}")
