"""Shared-operator clusters: connected components over ties, by union-find (no graph plugin).

The ``shared-operators`` canned query fetches an edge list of (tie, member) pairs: a tie is an
identifier shared by 2..max_hub accounts/channels (``phone:+923000000101``), a channel with several
admins (``co-admins of telegram:name``; the channel is a member of its own tie) or an operator
named by a report (``operator:OP-1``). The query sends the whole list as one row of parallel lists
(``keys``, ``kinds``, ``members``, ``ties``: member i and the ties it holds), which the driver
turns into Python values far faster than one record per pair; ``cluster`` also takes one row per
pair (``tie``, ``key``, ``kind``, ``member``). It links two members when they share at least
``min_evidence`` ties and returns the connected components of two or more members.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterable, Iterator


class UnionFind:
    """Disjoint sets with path halving and union by size."""

    def __init__(self):
        self.parent: dict[str, str] = {}
        self.size: dict[str, int] = {}

    def add(self, item: str) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.size[item] = 1

    def find(self, item: str) -> str:
        parent = self.parent
        if item not in parent:  # inlined add: find is the hot path
            parent[item] = item
            self.size[item] = 1
            return item
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for item in self.parent:
            out[self.find(item)].append(item)
        return out


def edges(rows: Iterable[dict]) -> Iterator[tuple[str, str, str, str]]:
    """``(tie, key, kind, member)`` pairs from rows ``{tie, key, kind, member}`` or packed rows
    ``{keys, kinds, members, ties}`` (parallel lists: member i holds the ties ``ties[i]``)."""
    for row in rows:
        if "keys" in row:
            for key, kind, member, ties in zip(row["keys"], row["kinds"], row["members"], row["ties"]):
                for tie in ties:
                    yield tie, key, kind, member
        else:
            yield row["tie"], row["key"], row["kind"], row["member"]


def cluster(rows: Iterable[dict], min_evidence: int = 1, max_hub: int | None = None, **_ignored) -> list[dict]:
    """Clusters from edge rows ``{tie, key, kind, member}`` or packed rows (see ``edges``).

    Returns rows ``{cluster, size, accounts, channels, evidence}``, largest first (then by first
    member); ``accounts``/``channels`` are display names, ``evidence`` the ties inside the cluster
    that linked its members, all sorted. ``max_hub`` was applied by the query already.
    """
    min_evidence = max(1, int(min_evidence or 1))
    # members are numbered (union-find over a list of ints: several times faster than over strings)
    number: dict[str, int] = {}
    shown: list[tuple[str, str]] = []  # (kind, display name) of member i
    members_of: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if "keys" in row:  # packed: one loop per member, not per pair (tens of thousands of members)
            for key, kind, member, ties in zip(row["keys"], row["kinds"], row["members"], row["ties"]):
                i = number.setdefault(key, len(number))
                if i == len(shown):
                    shown.append((kind, member))
                for tie in ties:
                    members_of[tie].add(i)
        else:
            i = number.setdefault(row["key"], len(number))
            if i == len(shown):
                shown.append((row["kind"], row["member"]))
            members_of[row["tie"]].add(i)

    parent = list(range(len(shown)))
    size = [1] * len(shown)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            if size[ra] < size[rb]:
                ra, rb = rb, ra
            parent[rb] = ra
            size[ra] += size[rb]

    linking: list[tuple[str, int]] = []  # (tie, one of the members it linked)
    if min_evidence == 1:
        for tie, members in members_of.items():
            if len(members) < 2:
                continue
            linked = iter(members)  # any order: the components are the same
            first = next(linked)
            for other in linked:
                union(first, other)
            linking.append((tie, first))
    else:
        shared: dict[tuple[int, int], set[str]] = defaultdict(set)
        for tie, members in members_of.items():
            for a, b in combinations(sorted(members), 2):
                shared[(a, b)].add(tie)
        for (a, b), ties in shared.items():
            if len(ties) >= min_evidence:
                union(a, b)
                linking.extend((tie, a) for tie in ties)  # a tie can link pairs in several clusters

    evidence: dict[int, set[str]] = defaultdict(set)
    for tie, member in linking:
        evidence[find(member)].add(tie)

    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(shown)):
        components[find(i)].append(i)

    clusters = []
    for root, members in components.items():
        if len(members) < 2:
            continue
        accounts = sorted(shown[i][1] for i in members if shown[i][0] == "account")
        channels = sorted(shown[i][1] for i in members if shown[i][0] == "channel")
        clusters.append({"size": len(members), "accounts": accounts, "channels": channels,
                         "evidence": sorted(evidence[root])})
    clusters.sort(key=lambda c: (-c["size"], c["accounts"][0] if c["accounts"] else c["channels"][0]))
    for number, row in enumerate(clusters, 1):
        row["cluster"] = number
    return clusters
