"""``graphkit map``: write a network map as one offline HTML file."""
from __future__ import annotations

import click

from graphkit.maps.build import (
    DEFAULT_DEPTH,
    DEFAULT_MAX_NODES,
    DEFAULT_MENTIONS,
    DEFAULT_QUERY_DEPTH,
    MAX_DEPTH,
    build_map,
)
from graphkit.cli.common import guess_value, open_graph, param_option


def register(main: click.Group) -> None:
    @main.command("map")
    @click.option("--group", metavar="ID", help="Map around a group (gid or alias, e.g. TTP).")
    @click.option("--account", metavar="PLATFORM:HANDLE", help="Map around an account (or a channel).")
    @click.option("--query", metavar="NAME",
                  help="Map around the accounts, channels and groups named in a canned query's rows.")
    @click.option("--forwards", is_flag=True,
                  help="Draw the forward network (channels and the sources they forward, from Telegram "
                  "exports): all of it, or from --group's channels or --account's channel.")
    @param_option()
    @click.option("--depth", type=click.IntRange(0, MAX_DEPTH), default=None,
                  help=f"How many hops to expand from the start.  [default: {DEFAULT_DEPTH}; "
                  f"{DEFAULT_QUERY_DEPTH} for --query, whose groups are drawn but not expanded]")
    @click.option("--max-nodes", type=click.IntRange(1), default=DEFAULT_MAX_NODES, show_default=True,
                  help="Keep at most this many nodes (the nearest and best connected); the map says "
                  "what was left out.")
    @click.option("--mentions", type=click.IntRange(0), default=DEFAULT_MENTIONS, show_default=True,
                  help="Mention and retweet links: follow and draw the N heaviest of each account "
                  "(0: none); the map says how many were left out.")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="The HTML file to write (self-contained; opens offline).")
    def map_cmd(group, account, query, forwards, params, depth, max_nodes, mentions, output):
        """Write a network map: groups, accounts, channels, shared identifiers and operators.

        \b
        Examples:
          graphkit map --group TTP -o ttp.html
          graphkit map --account x:example_handle --depth 1 -o account.html
          graphkit map --query shared-operators -p max_hub 20 -o operators.html
          graphkit map --account x:example_handle --mentions 25 -o mentions.html
          graphkit map --forwards -o forwards.html
          graphkit map --forwards --group TTP --depth 1 -o ttp-forwards.html
        """
        if params and not query:
            raise click.UsageError("-p/--param only goes with --query.")
        values = {key: guess_value(value) for key, value in params}
        with open_graph() as graph:
            network_map = build_map(graph, group=group, account=account, query=query, params=values,
                                    depth=depth, max_nodes=max_nodes, mentions=mentions,
                                    forwards=forwards)
        path = network_map.write(output)
        left = sum(network_map.omitted.values())
        click.echo(f"Wrote {path}: {network_map.n_nodes:,} nodes and {network_map.n_edges:,} links"
                   + (f" ({left:,} nodes left out by --max-nodes)." if left else "."))
