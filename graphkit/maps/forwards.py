"""The forward network on a map: channels and the sources whose posts they forward.

``graphkit map --forwards`` draws every channel that forwards or is forwarded (a Telegram export's
``(Channel)-[:FORWARDED_FROM]->(Channel|Account)`` links), with the groups they are affiliated
with; ``--forwards --group ID`` starts from the group's channels, ``--forwards --account
telegram:id:N`` from one channel, and follows forward links ``depth`` hops either way (a
channel's sources, and the channels that forward it). Only forward links are followed; every map
link between the nodes drawn (affiliation, administration, mirrors) is drawn too.
"""
from __future__ import annotations

from graphkit.errors import MapError
from graphkit.maps import data as map_data
from graphkit.model.spec import model

FOLLOW = ("FORWARDED_FROM",)
NOTE = ("Arrows point from a channel to the source whose posts it forwards (FORWARDED_FROM); a "
        "channel's groups are drawn beside it, and only forward links were followed.")


def forward_seeds(graph, group: str | None, account: str | None) -> tuple[list[str], str]:
    """The start of a forward map (elementIds) and its subject, in words."""
    channel, fwd = model().node("Channel").label, model().rel("FORWARDED_FROM").type
    if account:
        return map_data.account_seeds(graph, account), f"forward network of {account}"
    if group:
        groups = map_data.group_seeds(graph, group)
        rows = graph.read(
            f"UNWIND $groups AS gid MATCH (g) WHERE elementId(g) = gid "
            f"MATCH (c:{channel})-[:{model().rel('AFFILIATED_WITH').type}]->(g) "
            f"WHERE EXISTS {{ (c)-[:{fwd}]->() }} OR EXISTS {{ (:{channel})-[:{fwd}]->(c) }} "
            "RETURN DISTINCT elementId(c) AS id ORDER BY id", {"groups": groups})
        if not rows:
            raise MapError(f"no channel of group {group} forwards or is forwarded by another",
                           hint="Load a Telegram export with `graphkit load result.json --group ID`, "
                           "or map the group without --forwards.")
        return [r["id"] for r in rows], f"forward network of group {group}"
    rows = graph.read(
        f"MATCH (c:{channel})-[:{fwd}]->(s) WHERE s:{channel} OR s:{model().node('Account').label} "
        "UNWIND [elementId(c), elementId(s)] AS id RETURN DISTINCT id ORDER BY id")
    if not rows:
        raise MapError("no channel in the graph forwards another's posts",
                       hint="Load a Telegram export first: `graphkit load result.json --group ID`.")
    return [r["id"] for r in rows], "the forward network"


def groups_of(graph, ids: list[str]) -> list[str]:
    """elementIds of the groups the nodes ``ids`` are affiliated with."""
    rows = graph.read(
        f"UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id "
        f"MATCH (n)-[:{model().rel('AFFILIATED_WITH').type}]->(g:{model().node('Group').label}) "
        "RETURN DISTINCT elementId(g) AS id ORDER BY id", {"ids": ids})
    return [r["id"] for r in rows]


def forward_subgraph(graph, group: str | None, account: str | None, depth: int,
                     limit: int = map_data.FETCH_LIMIT) -> tuple[map_data.Subgraph, str]:
    """The channels and sources reached over forward links, their groups, and every map link
    between them; seeds outlined as on other maps (none for the whole network)."""
    seeds, subject = forward_seeds(graph, group, account)
    reached = map_data.expand(graph, seeds, depth, limit=limit, follow=FOLLOW)
    ids = [i for i in reached.nodes if reached.nodes[i].label != model().node("Group").label]
    sub = map_data.expand(graph, ids, 0, limit=limit, anchors=groups_of(graph, ids))
    for node_id, node in sub.nodes.items():
        if node_id in reached.nodes:
            node.distance = reached.nodes[node_id].distance
    sub.truncated = reached.truncated
    sub.seeds = seeds if (group or account) else []
    return sub, subject
