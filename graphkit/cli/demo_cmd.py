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

        The demo only loads into an empty graph or one that holds nothing but its own fictional
        reports; use --force to load it anyway, or keep it apart with --case demo."""
        if case is not None:
            os.environ["GRAPHKIT_CASE"] = case
            config.case_name()  # a bad name fails before anything starts
        demo.run(output_dir=output_dir, seed=seed, progress=progress, force=force, show=show)
