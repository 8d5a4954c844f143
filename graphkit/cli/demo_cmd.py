"""``graphkit demo``: the main job from a fresh machine."""
from __future__ import annotations

import os
import shutil
import sys
import textwrap

import click

from graphkit import config, demo
from graphkit.cli.common import progress

MAX_WIDTH = 100


def paragraph(text: str, width: int) -> str:
    """One sentence (or numbered item) wrapped to the terminal, never cut."""
    indent = " " * (text.index(" ") + 1) if text[:1].isdigit() and ". " in text[:5] else ""
    return textwrap.fill(text, width=width, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


def show(title: str, sentences: list[str]) -> None:
    """A section: its title, then one paragraph per sentence, wrapped in a terminal (one line per
    sentence when the output goes to a file or a pipe)."""
    terminal = sys.stdout.isatty()
    width = min(shutil.get_terminal_size((MAX_WIDTH, 24)).columns, MAX_WIDTH)
    click.secho(f"\n== {title}", bold=True)
    for sentence in sentences:
        click.echo(paragraph(sentence, width) if terminal else sentence)


def register(main: click.Group) -> None:
    @main.command("demo")
    @click.option("-o", "--output-dir", default="demo-output", show_default=True,
                  help="Where the synthetic reports, query results and map are written.")
    @click.option("--seed", default=0, show_default=True, help="Seed of the synthetic reports.")
    @click.option("--force", is_flag=True,
                  help="Load the fictional demo report even into a graph that holds other reports "
                  "(by default the demo refuses, so fictional accounts never mix with a real case).")
    @click.option("--case", "case", metavar="NAME", default=None,
                  help="Run in case NAME (its own server and graph; the same as `graphkit --case NAME demo`).")
    def demo_cmd(output_dir, seed, force, case):
        """Start (or reuse) a server, load a fictional report, ask the headline questions and
        write a network map: a tour of graphkit in one command.

        \b
        It runs in a case of its own, `demo` (its own server and graph), unless --case,
        GRAPHKIT_CASE, NEO4J_URI or GRAPHKIT_HOME say otherwise; afterwards
          graphkit --case demo query platform-compliance   # or: export GRAPHKIT_CASE=demo
        The demo only loads into an empty graph or one that holds nothing but its own fictional
        reports; use --force to load it anyway."""
        os.environ["GRAPHKIT_CASE"] = demo_case(case)
        config.case_name()  # a bad name fails before anything starts
        demo.run(output_dir=output_dir, seed=seed, progress=progress, force=force, show=show)
        if config.case_name() != config.DEFAULT_CASE and config.load_settings().managed:
            show("Working with the demo's graph", how_to_query(config.case_name()))


DEMO_CASE = "demo"


def demo_case(explicit: str | None) -> str:
    """The case the demo runs in: ``--case NAME`` (of ``demo`` or of ``graphkit``), else
    ``GRAPHKIT_CASE``; else ``demo`` (a server and graph of its own, so fictional accounts never
    mix with a real case), unless ``NEO4J_URI`` names an external server (the demo then uses its
    database as configured) or ``GRAPHKIT_HOME`` was set explicitly (a home of its own already,
    as the tests' server is)."""
    if explicit:
        return explicit
    if os.environ.get("GRAPHKIT_CASE", "").strip():
        return os.environ["GRAPHKIT_CASE"].strip()
    if os.environ.get("GRAPHKIT_HOME") or not config.load_settings().managed:
        return config.DEFAULT_CASE
    return DEMO_CASE


def how_to_query(case: str) -> list[str]:
    """What the demo says at its end: where its graph is and how to ask it questions."""
    return [f"The demo ran in a case of its own, {case} (its own server and graph), so its fictional "
            "accounts never mix with your own data.",
            f"Ask its graph questions with `graphkit --case {case} query platform-compliance`, or run "
            f"`export GRAPHKIT_CASE={case}` once: then `graphkit queries`, `graphkit query ...`, `graphkit map ...` "
            "and every other command work on it, until `unset GRAPHKIT_CASE` brings back your default case.",
            f"`graphkit cases` lists your cases; `graphkit --case {case} server stop` stops the demo's server."]
