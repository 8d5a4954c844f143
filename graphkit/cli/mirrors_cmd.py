"""``graphkit mirrors detect|confirm|reject``: mirror candidates and the analyst's review loop."""
from __future__ import annotations

import click

from graphkit.mirrors import detect as mirrors
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE
from graphkit.cli.common import emit, format_option, open_graph

COLUMNS = ["successor", "predecessor", "score", "evidence", "chain_head"]


def register(main: click.Group) -> None:
    @main.group("mirrors")
    def mirrors_group():
        """Detect mirror accounts (re-appearances after a takedown) and review them.

        \b
          graphkit mirrors detect                      # candidates with evidence, best first
          graphkit mirrors detect --write              # store them for `query mirror-candidates`
          graphkit mirrors confirm x:ttp_media2 x:ttp_media --note "same avatar, announced"
          graphkit mirrors reject  x:ttp_news x:ttp_media --note "news outlet"
        """

    @mirrors_group.command("detect")
    @click.option("--min-score", type=float, default=DEFAULT_MIN_SCORE, show_default=True,
                  help="Keep candidates scoring at least this (0..1). A score is the probability that the "
                  "pair is a mirror (0.5: as likely as not); see docs/mirrors.md.")
    @click.option("--write", is_flag=True,
                  help="Store the candidates as MIRROR_OF links with status 'candidate' "
                  "(links already confirmed or rejected are left as they are).")
    @click.option("--limit", type=click.IntRange(min=0), default=None,
                  help="Show (and write) at most N candidates, best first.")
    @format_option()
    def detect_cmd(min_score, write, limit, fmt):
        """List mirror candidates: SUCCESSOR is a mirror of PREDECESSOR, with a score and evidence.

        Pairs an analyst already confirmed or rejected are not proposed again.
        """
        with open_graph() as graph:
            result = mirrors.detect(graph, min_score=min_score, limit=limit)
            rows = [c.row(structured=fmt == "json") for c in result.candidates]
            emit(rows, fmt, COLUMNS + (["signals"] if fmt == "json" else []))
            if write:
                summary = mirrors.write_candidates(graph, result.candidates)
                click.echo(f"Wrote {summary['written']} candidate link(s); "
                           f"{summary['decisions_kept']} decided link(s) left unchanged.", err=True)
        s = result.stats
        click.echo(f"{s.accounts} accounts, {s.comparisons} pairs compared "
                   f"({s.hub_blocks} oversized blocks skipped); learnt from {s.learnt} analyst "
                   f"decision(s).", err=True)

    def _decide(status):
        @click.argument("successor")
        @click.argument("predecessor")
        @click.option("--note", default=None, help="Why (kept on the link).")
        def command(successor, predecessor, note):
            with open_graph() as graph:
                done = mirrors.decide(graph, successor, predecessor, status, note)
            click.echo(f"{done['successor']} MIRROR_OF {done['predecessor']}: {status}.")
        return command

    mirrors_group.command(
        "confirm",
        help="Confirm that SUCCESSOR (PLATFORM:HANDLE) is a mirror of PREDECESSOR; the link feeds "
        "the mirror-chains query (created if the detector never proposed it).",
    )(_decide("confirmed"))
    mirrors_group.command(
        "reject",
        help="Reject SUCCESSOR (PLATFORM:HANDLE) as a mirror of PREDECESSOR; the pair is never "
        "proposed again, in either direction.",
    )(_decide("rejected"))
