"""``graphkit operators clusters|coordination|confirm|split|merge``: who runs these accounts, and
the analyst's review of the clusters."""
from __future__ import annotations

import json

import click

from graphkit.cli.common import emit, format_option, open_graph
from graphkit.operators import coordination, review
from graphkit.operators.evidence import DEFAULT_MAX_HUB, DEFAULT_MIN_WEIGHT, DEFAULT_STRONG_WEIGHT
from graphkit.queries import library

COORDINATION_COLUMNS = ["cluster", "size", "accounts", "pairs", "co_posts", "modes", "examples"]


def _clusters(graph, min_weight, strong_weight, max_hub) -> list[dict]:
    return library.execute(graph, "shared-operators", {"min_weight": min_weight, "strong_weight": strong_weight,
                                                       "max_hub": max_hub}).rows


def _weights(f):
    f = click.option("--min-weight", type=float, default=DEFAULT_MIN_WEIGHT, show_default=True,
                     help="Bits of combined evidence two members need to be linked.")(f)
    f = click.option("--strong-weight", type=float, default=DEFAULT_STRONG_WEIGHT, show_default=True,
                     help="Bits (from two ties or more) needed to join two groups of two or more.")(f)
    return click.option("--max-hub", type=click.IntRange(min=2), default=DEFAULT_MAX_HUB, show_default=True,
                        help="An identifier used by more accounts and channels ties nothing.")(f)


def _decision_options(f):
    """MEMBER [OTHERS...] --note and the weights: the arguments of confirm and split."""
    f = _weights(f)
    f = click.option("--note", default=None, help="Why (kept on the decision).")(f)
    f = click.argument("others", nargs=-1)(f)
    return click.argument("member")(f)


def _decide(decision, member: str, others, note, min_weight, strong_weight, max_hub) -> dict:
    """Run ``review.confirm`` or ``review.split`` on MEMBER's cluster (or MEMBER and OTHERS)."""
    with open_graph() as graph:
        rows = None if others else _clusters(graph, min_weight, strong_weight, max_hub)
        return decision(graph, member, list(others), note, clusters=rows)


def register(main: click.Group) -> None:
    @main.group("operators")
    def operators_group():
        """Shared operators: clusters from weighted evidence, coordination from posts, review.

        \b
          graphkit operators clusters                      # the clusters, evidence with weights
          graphkit operators coordination --window 60      # accounts posting the same thing together
          graphkit operators confirm x:handle --note "same phone and avatar"   # its whole cluster
          graphkit operators split x:handle --note "recycled number"           # out of its cluster
          graphkit operators merge x:one x:other --note "same person, seen in chat logs"
        """

    @operators_group.command("clusters")
    @_weights
    @format_option()
    def clusters_cmd(min_weight, strong_weight, max_hub, fmt):
        """The shared-operator clusters (the shared-operators query): members, evidence with weights
        in bits, a confidence, the bridge ties refused and the analyst's decisions."""
        with open_graph() as graph:
            rows = _clusters(graph, min_weight, strong_weight, max_hub)
        emit(rows, fmt, library.get("shared-operators").columns)

    @operators_group.command("coordination")
    @click.option("--window", type=float, default=coordination.DEFAULT_WINDOW, show_default=True,
                  help="Seconds within which two posts of the same item count as posted together.")
    @click.option("--min-repeats", type=click.IntRange(min=1), default=coordination.DEFAULT_MIN_REPEATS,
                  show_default=True, help="Different items two accounts must have posted together.")
    @click.option("--modes", default=",".join(coordination.MODES), show_default=True,
                  help="Which co-posts count: link, text, retweet (comma-separated).")
    @format_option()
    def coordination_cmd(window, min_repeats, modes, fmt):
        """Accounts that repeatedly post the same link or text, or retweet the same post, within a
        short window of each other (from the sightings: observed_at, post_url, excerpt)."""
        chosen = tuple(m.strip() for m in modes.split(",") if m.strip())
        with open_graph() as graph:
            rows = coordination.coordinate(graph, window, min_repeats, chosen)
        if fmt != "json":
            rows = [{**r, "modes": ", ".join(f"{k} {v}" for k, v in r["modes"].items()),
                     "examples": json.dumps(r["examples"][:1], ensure_ascii=False)} for r in rows]
        emit(rows, fmt, COORDINATION_COLUMNS)

    @operators_group.command("confirm")
    @_decision_options
    def confirm_cmd(member, others, note, min_weight, strong_weight, max_hub):
        """Confirm MEMBER's cluster as one operator (or MEMBER with OTHERS); later runs keep them together."""
        done = _decide(review.confirm, member, others, note, min_weight, strong_weight, max_hub)
        click.echo(f"{done['member']}: confirmed with {done['confirmed']} member(s).")

    @operators_group.command("split")
    @_decision_options
    def split_cmd(member, others, note, min_weight, strong_weight, max_hub):
        """Split MEMBER off its cluster (or keep it apart from OTHERS); later runs never rejoin them."""
        done = _decide(review.split, member, others, note, min_weight, strong_weight, max_hub)
        click.echo(f"{done['member']}: kept apart from {done['kept_apart_from']} member(s).")

    @operators_group.command("merge")
    @click.argument("member")
    @click.argument("other")
    @click.option("--note", default=None, help="Why (kept on the decision).")
    def merge_cmd(member, other, note):
        """Merge the clusters of MEMBER and OTHER (one operator); later runs keep them together."""
        with open_graph() as graph:
            done = review.merge(graph, member, other, note)
        click.echo(f"{done['member']} and {done['other']}: merged.")
