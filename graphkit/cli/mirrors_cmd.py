"""``graphkit mirrors detect|confirm|reject``: mirror candidates and the analyst's review loop."""
from __future__ import annotations

import click

from graphkit.mirrors import detect as mirrors
from graphkit.mirrors import incremental, screen
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
          graphkit mirrors detect --full               # re-examine every account, refit the model
          graphkit mirrors screen x:new_handle_example --top 5
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
    @click.option("--full", is_flag=True,
                  help="Re-examine every account and refit the model (default: only the accounts added or "
                  "changed since the last written run, when there is one).")
    @format_option()
    def detect_cmd(min_score, write, limit, full, fmt):
        """List mirror candidates: SUCCESSOR is a mirror of PREDECESSOR, with a score and evidence.

        Pairs an analyst already confirmed or rejected are not proposed again. After a run with
        --write, the next run re-examines only the accounts loaded or changed since (--full: all).
        """
        with open_graph() as graph:
            run = incremental.run(graph, full=full, min_score=min_score, limit=limit, write=write)
            result = run.detection
            rows = [c.row(structured=fmt == "json") for c in result.candidates]
            emit(rows, fmt, COLUMNS + (["signals"] if fmt == "json" else []))
            if write:
                click.echo(written_sentence(run.written), err=True)
        if run.mode == "incremental":
            click.echo(incremental_sentence(run), err=True)
        else:
            click.echo(mirrors.stats_sentence(result.stats), err=True)
        if not result.candidates:
            click.echo(mirrors.nothing_found_advice(result, min_score), err=True)

    @mirrors_group.command("screen")
    @click.argument("accounts", nargs=-1)
    @click.option("--file", "file", type=click.Path(), default=None,
                  help="A CSV of new accounts: platform, handle (required), display_name, bio, first_seen, "
                  "created_at, status.")
    @click.option("--top", type=int, default=screen.DEFAULT_TOP, show_default=True,
                  help="Known accounts listed per screened account, best first.")
    @format_option()
    def screen_cmd(accounts, file, top, fmt):
        """Screen new accounts: the known accounts each may be a mirror of, with score and evidence.

        \b
          graphkit mirrors screen x:kashf_med1a_3
          graphkit mirrors screen --file new_accounts.csv --top 3 --format json
        """
        if bool(accounts) == bool(file):
            raise mirrors.MirrorError("give accounts as PLATFORM:HANDLE or --file FILE (one of the two)",
                                      hint="For example: graphkit mirrors screen x:some_handle_example.")
        views = screen.from_file(file) if file else None
        with open_graph() as graph:
            if views is None:
                views = screen.from_handles(graph, list(accounts))
            found = screen.screen(graph, views, top=top)
        emit([m.row() for m in found], fmt, screen.COLUMNS)
        click.echo(f"Screened {len(views):,} account{'' if len(views) == 1 else 's'}: "
                   f"{len(found):,} known account{'' if len(found) == 1 else 's'} listed "
                   "(score: the probability of a mirror, as in `graphkit mirrors detect`).", err=True)

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


def incremental_sentence(run) -> str:
    if not run.flagged:
        return ("Nothing was loaded or changed since the last written run: the stored candidates are listed "
                "(`--full` re-examines every account).")
    return (f"Re-examined {run.flagged:,} account{'' if run.flagged == 1 else 's'} loaded or changed since the last "
            f"run and {run.reexamined - run.flagged:,} block-mate{'' if run.reexamined - run.flagged == 1 else 's'} "
            f"({run.detection.stats.comparisons:,} pairs); `--full` re-examines every account.")


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
