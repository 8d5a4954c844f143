"""``graphkit demo``: the main job from a fresh machine."""
from __future__ import annotations

import click

from graphkit import demo
from graphkit.cli.common import emit, progress


def register(main: click.Group) -> None:
    @main.command("demo")
    @click.option("-o", "--output-dir", default="demo-output", show_default=True,
                  help="Where the synthetic reports, query results and map are written.")
    @click.option("--seed", default=0, show_default=True, help="Seed of the synthetic reports.")
    def demo_cmd(output_dir, seed):
        """Start (or reuse) a server, load the synthetic demo reports, run the headline queries
        and write a network map: a tour of graphkit in one command."""
        result = demo.run(output_dir=output_dir, seed=seed, progress=progress)
        for title, rows, columns in result.sections:
            click.secho(f"\n== {title}", bold=True)
            emit(rows, "table", columns)
        for line in result.notes:
            click.echo(line)
