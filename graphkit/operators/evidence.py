"""Weighted evidence that two members (accounts, channels) share an operator.

A *tie* is something two or more members share: an identifier (``phone:+447700900001``), a link
in their bios (``url:https://...``, merged with the URL identifier of the same value), the
co-administration of a channel (``co-admins of telegram:name``; the channel is a member of its own
tie) or a report naming their operator (``operator:OP-1``). Each tie gets a weight in bits, a
Fellegi-Sunter log-likelihood ratio ``log2(m / u)``:

* ``m`` (how often one operator's accounts share a value of this kind) and the base ``u`` of the
  kind are set by hand, as the *prior weight* of a value of that kind shared by exactly two members
  (``KIND_WEIGHTS``): a phone, e-mail or wallet is rarely shared by strangers (6 bits), a device id
  a little more often (emulators, second-hand phones: 5.5), an invite link or a co-administered
  channel is handed around inside a network (5), an avatar hash is copied (4.5), a URL or a link in a
  bio is promoted by a whole group (3), an IP address is shared by everyone behind a carrier's NAT
  or a cafe's Wi-Fi (2.5); a report that names the operator is the analyst's own evidence (8).
* ``u`` grows with the number of holders: a value held by ``n`` members ties ``n - 1`` others to
  each one, so its weight falls by ``log2(n - 1)`` (a phone held by 2: 6 bits, by 5: 4 bits, by 9:
  3 bits).
* ``u`` is also read from this graph (``corroboration``): for each kind, the share of the holder
  pairs of its shared values that some tie of another kind also joins. Operators' kits come in
  several pieces, so a kind whose shared values are usually corroborated is specific; a kind whose
  values mostly stand alone is one that strangers share (a carrier's address, a promoted link).
  The weight moves by ``log2(corroboration / 0.5)``, clamped to [-1.5, +1.0], for a kind with at
  least ``MIN_VALUES_TO_LEARN`` shared values (fewer: the prior alone).

Two members' evidence is the sum of the weights of the ties they share; they are *linked* when it
reaches ``min_weight`` (4 bits by default: one IP never links, an IP and a bio link of different
kinds do, a phone held by up to 5 members does). ``max_hub`` stays a hard cap: a value held by
more members ties nothing at all.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable

KIND_WEIGHTS = {
    "phone": 6.0, "email": 6.0, "wallet": 6.0, "device": 5.5, "invite": 5.0, "co-admin": 5.0,
    "image_hash": 5.0, "url": 3.0, "ip": 2.5, "same bio": 2.5, "operator": 8.0,
}
#: kinds that never link on their own, whatever the graph learns: a pair tied only by values of
#: ONE of these kinds is not linked (two of different kinds can be)
WEAK_KINDS = frozenset({"ip", "url", "same bio"})
DEFAULT_WEIGHT = 3.0          # a kind not listed above (a new identifier kind in the model)
LEARNED_KINDS = frozenset(KIND_WEIGHTS) - {"operator"}  # an analyst's operator is not re-weighed
MIN_VALUES_TO_LEARN = 20      # shared values of a kind needed before the graph moves its weight
CORROBORATION_REFERENCE = 0.5
LEARN_RANGE = (-1.5, 1.0)

HOLDER_PENALTY = 0.5
#: bits taken off a value of a strong kind held by 3+ members none of whose pairs another tie
#: corroborates (a press desk's e-mail, a group's shared channel). Off (0): found by looking at the
#: held-out bundle's failures, so not adopted as a default (docs/operators.md, "What is not done")
UNCORROBORATED_PENALTY = 0.0
DEFAULT_MIN_WEIGHT = 4.0
DEFAULT_STRONG_WEIGHT = 6.0
DEFAULT_MAX_HUB = 10

_LINK = re.compile(r"https?://[^\s,;<>\"']+")


def tie_kind(tie: str) -> str:
    if tie.startswith("co-admins of "):
        return "co-admin"
    return tie.partition(":")[0]


def bio_links(text: str) -> list[str]:
    """The links in a bio, as URL tie keys (trailing punctuation dropped)."""
    return ["url:" + link.rstrip(".,!?)]}") for link in _LINK.findall(text or "")]


@dataclass
class Member:
    key: str
    kind: str      # 'account' or 'channel'
    name: str      # PLATFORM:HANDLE or the channel key


@dataclass
class Evidence:
    """The members, the ties each holds (hubs and single holders removed) and the tie weights."""

    members: list[Member] = field(default_factory=list)
    holders: dict[str, list[int]] = field(default_factory=dict)     # tie -> member numbers
    weights: dict[str, float] = field(default_factory=dict)         # tie -> bits
    learned: dict[str, float] = field(default_factory=dict)         # kind -> graph adjustment (bits)
    number: dict[str, int] = field(default_factory=dict)            # member key -> number

    def add_member(self, key: str, kind: str, name: str) -> int:
        i = self.number.get(key)
        if i is None:
            i = self.number[key] = len(self.members)
            self.members.append(Member(key, kind, name))
        return i


def collect(rows: Iterable[dict], max_hub: int | None = DEFAULT_MAX_HUB) -> tuple[Evidence, list]:
    """Evidence from the query's rows (packed parallel lists, see ``shared-operators``) or from edge
    rows ``{tie, key, kind, member}``; also returns the analyst's decisions found in the rows."""
    ev = Evidence()
    held: dict[str, set[int]] = defaultdict(set)
    decisions: list = []
    for row in rows:
        if "keys" in row:
            for key, kind, name, ties in zip(row["keys"], row["kinds"], row["members"], row["ties"]):
                _hold(held, ev.add_member(key, kind, name), ties)
            decisions.extend(row.get("decisions") or [])
        else:
            _hold(held, ev.add_member(row["key"], row["kind"], row["member"]), [row["tie"]])
    cap = max_hub if max_hub is not None else DEFAULT_MAX_HUB
    ev.holders = {tie: sorted(h) for tie, h in held.items() if 2 <= len(h) <= cap}
    ev.learned = corroboration(ev.holders, frozenset(i for i, m in enumerate(ev.members) if m.kind == "channel"))
    ev.weights = {tie: tie_weight(tie_kind(tie), len(h), ev.learned) for tie, h in ev.holders.items()}
    if UNCORROBORATED_PENALTY:
        _penalise_uncorroborated(ev)
    return ev, decisions


def _penalise_uncorroborated(ev: Evidence) -> None:
    ties_of_pair: dict[tuple[int, int], int] = defaultdict(int)
    for members in ev.holders.values():
        for pair in combinations(members, 2):
            ties_of_pair[pair] += 1
    for tie, members in ev.holders.items():
        if len(members) >= 3 and tie_kind(tie) not in WEAK_KINDS and \
                all(ties_of_pair[pair] == 1 for pair in combinations(members, 2)):
            ev.weights[tie] = round(ev.weights[tie] - UNCORROBORATED_PENALTY, 2)


def _hold(held, i: int, ties) -> None:
    for tie in ties:
        if tie.startswith("bio:"):
            for link in bio_links(tie[4:]):
                held[link].add(i)
        else:
            held[tie].add(i)


def tie_weight(kind: str, holders: int, learned: dict[str, float] | None = None) -> float:
    """Bits of evidence of one tie of ``kind`` held by ``holders`` members (see the module doc)."""
    base = KIND_WEIGHTS.get(kind, DEFAULT_WEIGHT) + (learned or {}).get(kind, 0.0)
    return round(base - HOLDER_PENALTY * math.log2(max(1, holders - 1)), 2)


def corroboration(holders: dict[str, list[int]], channels: frozenset[int] = frozenset()) -> dict[str, float]:
    """Per kind, the graph's adjustment in bits: log2 of the share of holder pairs of its shared
    values that a tie of another kind also joins, over 0.5 (clamped; see the module doc). Pairs
    with a channel are left out: a channel holds little besides its own co-admin tie."""
    if channels:
        holders = {t: [i for i in h if i not in channels] for t, h in holders.items()}
        holders = {t: h for t, h in holders.items() if len(h) >= 2}
    kinds_of_pair: dict[tuple[int, int], set[str]] = defaultdict(set)
    for tie, members in holders.items():
        kind = tie_kind(tie)
        for pair in combinations(members, 2):
            kinds_of_pair[pair].add(kind)
    share: dict[str, list[float]] = defaultdict(list)
    for tie, members in holders.items():
        kind = tie_kind(tie)
        if kind not in LEARNED_KINDS:
            continue
        pairs = list(combinations(members, 2))
        share[kind].append(sum(1 for p in pairs if len(kinds_of_pair[p]) > 1) / len(pairs))
    out = {}
    low, high = LEARN_RANGE
    for kind, values in share.items():
        if len(values) >= MIN_VALUES_TO_LEARN:
            rate = max(sum(values) / len(values), 1e-3)
            out[kind] = round(min(high, max(low, math.log2(rate / CORROBORATION_REFERENCE))), 2)
    return out


def pair_evidence(ev: Evidence) -> dict[tuple[int, int], list[str]]:
    """(a, b) with a < b -> the ties they share."""
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for tie, members in ev.holders.items():
        for pair in combinations(members, 2):
            shared[pair].append(tie)
    return shared


def score(ev: Evidence, ties: list[str]) -> float:
    return sum(ev.weights[t] for t in ties)


def weak_only(ties: list[str]) -> bool:
    """True when the ties are all of one weak kind (two IPs are still one kind of evidence)."""
    kinds = {tie_kind(t) for t in ties}
    return len(kinds) == 1 and next(iter(kinds)) in WEAK_KINDS
