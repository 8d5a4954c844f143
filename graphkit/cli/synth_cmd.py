"""``graphkit synth``: write a synthetic, fictional report bundle."""
from __future__ import annotations

from pathlib import Path

import click


def register(main: click.Group) -> None:
    @main.command("synth")
    @click.option("--seed", type=int, default=0, show_default=True,
                  help="Random seed: the same seed and scale give byte-identical files.")
    @click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True,
                  help="Multiply every size: 1 = the July 2025 headline figures (874 accounts, "
                  "2,500 sightings); 200 = about 175k accounts and 500k sightings.")
    @click.option("--sightings", type=click.IntRange(min=0), default=None,
                  help="Number of sightings to write instead of 2,500 x scale (the other files "
                  "stay the same), e.g. --scale 115 --sightings 500000 for 100k accounts and "
                  "500k sightings.")
    @click.option("--telegram", is_flag=True,
                  help="Write a fictional Telegram Desktop export instead (five channels that forward "
                  "each other's posts, one ChatExport_NAME/result.json each).")
    @click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
                  help="Folder to write the bundle into (created if missing; files are overwritten).")
    def synth_cmd(seed, scale, sightings, telegram, out):
        """Write a deterministic synthetic report bundle calibrated to the July 2025 figures.

        \b
        Everything is fictional: invented handles (..._example_N), phones +92-300-0000xxx,
        e-mails at example.org. The folder gets the canonical bundle CSVs, report.json, and
        expected.json / README.md with the calibrated totals. Load it with `graphkit load DIR`.
        """
        if telegram:
            return _telegram(out, seed)
        from graphkit.synth.write import write

        expected = write(out, seed=seed, scale=scale, sightings=sightings)
        for name, count in expected["files"].items():
            click.echo(f"{out / name}: {count} rows")
        click.echo(f"{out / 'report.json'}, {out / 'expected.json'}, {out / 'README.md'}")
        pp = ", ".join(f"{p} {v['compliance']:.0%}" for p, v in expected["per_platform"].items())
        click.echo(f"{expected['accounts']} accounts ({expected['flagged_accounts']} linked to groups), "
                   f"{expected['takedown_requests']} takedown requests, {expected['removed']} removed; "
                   f"compliance: {pp}; followers of reported accounts: "
                   f"{expected['followers']['reported_accounts']:,}")


def _telegram(out: Path, seed: int) -> None:
    from graphkit.synth import telegram

    expected = telegram.write(out, seed=seed)
    for item in expected["files"]:
        tie = f" --group {item['group']}" if item["group"] else ""
        click.echo(f"{out / item['path']}: {item['messages']} messages (load with `graphkit load ...{tie}`)")
    click.echo(f"{len(expected['forwards'])} forward links; draw them with `graphkit map --forwards -o FILE.html`.")
