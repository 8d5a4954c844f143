"""``graphkit export``: hand a part of the graph to STIX, MISP, FollowTheMoney, Gephi or i2/Maltego."""
from __future__ import annotations

import click

from graphkit.cli.common import guess_value, open_graph, param_option
from graphkit.exports import DEFAULT_DEPTH, FORMATS, MAX_DEPTH, TLP_LEVELS, export


def register(main: click.Group) -> None:
    @main.command("export")
    @click.option("--to", "to", required=True, type=click.Choice(FORMATS),
                  help="stix (STIX 2.1 bundle), misp (MISP event), ftm (FollowTheMoney entities, one a line), "
                  "gexf (Gephi), graphml, links (links and entities as two spreadsheets for i2 / Maltego).")
    @click.option("--group", metavar="ID", help="Export around a group (gid or alias, e.g. TTP).")
    @click.option("--account", metavar="PLATFORM:HANDLE", help="Export around an account (or a channel).")
    @click.option("--query", metavar="NAME", help="Export around what a canned query's rows name.")
    @param_option()
    @click.option("--all", "everything", is_flag=True, help="Export the whole graph.")
    @click.option("--depth", type=click.IntRange(0, MAX_DEPTH), default=None,
                  help=f"How many hops to expand from the start.  [default: {DEFAULT_DEPTH}; 1 for --query, "
                  "whose groups are taken but not expanded]")
    @click.option("--tlp", type=click.Choice(TLP_LEVELS), default="amber", show_default=True,
                  help="The TLP marking of STIX and MISP exports: clear, green, amber or red.")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write.")
    def export_cmd(to, group, account, query, params, everything, depth, tlp, output):
        """Export groups, accounts, channels, identifiers and their links to another tool.

        \b
        Examples:
          graphkit export --to stix --group TTP -o ttp.stix.json
          graphkit export --to misp --account x:example_handle --depth 1 -o event.json
          graphkit export --to ftm --all -o graph.ftm.jsonl
          graphkit export --to gexf --query shared-operators -p max_hub 20 -o operators.gexf
          graphkit export --to links --group BLA -o bla.links.csv   # + bla.links.entities.csv
        """
        if params and not query:
            raise click.UsageError("-p/--param only goes with --query.")
        values = {key: guess_value(value) for key, value in params}
        with open_graph() as graph:
            result = export(graph, to, output, group=group, account=account, query=query, params=values,
                            everything=everything, depth=depth, tlp=tlp)
        s = result.scope
        links = sum(v for k, v in s.items() if k not in ("group", "account", "channel", "identifier", "operator",
                                                           "designations", "sightings"))
        counts = ", ".join(_count(n, word) for n, word in (
            (s["group"], "group"), (s["account"], "account"), (s["channel"], "channel"),
            (s["identifier"], "identifier"), (s["operator"], "operator"), (links, "link"),
            (s["sightings"], "sighting")))
        click.echo(f"Wrote {', '.join(str(p) for p in result.paths)}: {counts}.")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
