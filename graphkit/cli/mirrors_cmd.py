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
          graphkit mirrors confirm x:tehreek_voice_ex4mple_86 x:tehreek_voice_ex4mple_85 --note "same avatar"
          graphkit mirrors reject x:tehreek_times_example_209 x:tehreek_voice_example_172 --note "both active"
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
                click.echo(written_sentence(summary), err=True)
        click.echo(mirrors.stats_sentence(result.stats), err=True)
        if not result.candidates:
            click.echo(mirrors.nothing_found_advice(result, min_score), err=True)

    def _decide(status):
        @click.argument("successor")
        @click.argument("predecessor")
        @click.option("--note", default=None, help="Why (kept on the link).")
        def command(successor, predecessor, note):
            with open_graph() as graph:
                done = mirrors.decide(graph, successor, predecessor, status, note)
            click.echo(decided_sentence(done))
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


def written_sentence(summary: dict) -> str:
    text = (f"Stored {summary['written']:,} candidate{'' if summary['written'] == 1 else 's'} for an analyst's review "
            "(list them with `graphkit query mirror-candidates`)")
    kept = summary["decisions_kept"]
    if kept:
        text += (f"; {kept:,} pair{' an analyst had' if kept == 1 else 's an analyst had'} already decided "
                 "kept that decision")
    return text + "."


def decided_sentence(done: dict) -> str:
    if done["status"] == "confirmed":
        return (f"Recorded: {done['successor']} is a mirror of {done['predecessor']} (confirmed); the link now "
                "counts in `graphkit query mirror-chains`.")
    return (f"Recorded: {done['successor']} is not a mirror of {done['predecessor']} (rejected); the detector "
            "will not propose this pair again.")
