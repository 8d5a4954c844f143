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
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable

import numpy as np
import pandas as pd

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
#: corroborates (a press desk's e-mail, a group's shared channel, a second-hand device). Found by
#: looking at the held-out o2 bundle's failures; adopted after the untouched third set o3 confirmed
#: it (precision 0.912 -> 0.945, detectable recall 0.838 -> 0.836; docs/operators.md)
UNCORROBORATED_PENALTY = 2.0
#: the strong kinds strangers can share (a report naming the operator is the analyst's own word)
PENALISED_KINDS = LEARNED_KINDS - WEAK_KINDS
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
    kinds: dict[str, str] = field(default_factory=dict)             # tie -> kind
    pairs: "Pairs | None" = None                                     # every pair sharing a tie

    def add_member(self, key: str, kind: str, name: str) -> int:
        i = self.number.get(key)
        if i is None:
            i = self.number[key] = len(self.members)
            self.members.append(Member(key, kind, name))
        return i


@dataclass
class Pairs:
    """Every pair of members sharing at least one tie, as numpy arrays (pair p is ``a[p] < b[p]``):
    the sum of its tie weights, its number of ties, whether they are all of one weak kind; its
    ties are ``ties[row_tie[start[p]:start[p + 1]]]``."""

    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    nties: np.ndarray
    weak_only: np.ndarray
    row_tie: np.ndarray
    start: np.ndarray
    ties: list[str]

    def ties_of(self, p: int) -> list[str]:
        return [self.ties[t] for t in self.row_tie[self.start[p]:self.start[p + 1]].tolist()]


def collect(rows: Iterable[dict], max_hub: int | None = DEFAULT_MAX_HUB) -> tuple[Evidence, list]:
    """Evidence from the query's rows (packed parallel lists, see ``shared-operators``) or from edge
    rows ``{tie, key, kind, member}``; also returns the analyst's decisions found in the rows."""
    ev = Evidence()
    owners: list[np.ndarray] = []
    ties: list[str] = []
    decisions: list = []
    for row in rows:
        if "keys" in row:
            numbers = _add_members(ev, row["keys"], row["kinds"], row["members"])
            owners.append(np.repeat(np.array(numbers, dtype=np.int64), [len(held) for held in row["ties"]]))
            ties.extend(chain.from_iterable(row["ties"]))
            decisions.extend(row.get("decisions") or [])
        else:
            owners.append(np.array([ev.add_member(row["key"], row["kind"], row["member"])], dtype=np.int64))
            ties.append(row["tie"])
    owner, ties = _bio_links(np.concatenate(owners) if owners else np.empty(0, dtype=np.int64), ties)
    ev.holders = _holders(owner, ties, len(ev.members), max_hub if max_hub is not None else DEFAULT_MAX_HUB)
    ev.kinds = {tie: tie_kind(tie) for tie in ev.holders}
    ties = list(ev.holders)
    a, b, t = _pair_rows([ev.holders[tie] for tie in ties])
    kind_names = sorted(set(ev.kinds.values()))
    kind_of = np.array([kind_names.index(ev.kinds[tie]) for tie in ties] if ties else [], dtype=np.int64)
    channel = np.array([m.kind == "channel" for m in ev.members], dtype=bool)
    pair, inv = _number_pairs(a, b, len(ev.members))
    nkinds = _distinct_per_pair(inv, kind_of[t] if len(t) else t, len(pair), len(kind_names))
    ev.learned = _learn(t, inv, nkinds > 1, ~(channel[a] | channel[b]) if len(a) else a.astype(bool),
                        kind_of, kind_names, len(ties))
    weight_of: dict[tuple[str, int], float] = {}  # a few (kind, holders), thousands of ties
    for tie, h in ev.holders.items():
        k = (ev.kinds[tie], len(h))
        if k not in weight_of:
            weight_of[k] = tie_weight(k[0], k[1], ev.learned)
        ev.weights[tie] = weight_of[k]
    if UNCORROBORATED_PENALTY:
        _penalise(ev, ties, t, inv, len(pair), ~(channel[a] | channel[b]) if len(a) else a.astype(bool), channel)
    ev.pairs = _pairs(ev, ties, pair, inv, t, kind_of, kind_names, nkinds)
    return ev, decisions


def _add_members(ev: Evidence, keys, kinds, names) -> list[int]:
    """``Evidence.add_member`` for a whole packed row (36k members at 100k accounts)."""
    number, members, out = ev.number, ev.members, []
    for key, kind, name in zip(keys, kinds, names):
        i = number.get(key)
        if i is None:
            i = number[key] = len(members)
            members.append(Member(key, kind, name))
        out.append(i)
    return out


def _penalise(ev: Evidence, ties: list[str], t, inv, npairs: int, counted, channel) -> None:
    """UNCORROBORATED_PENALTY bits off each value of a strong kind (PENALISED_KINDS: not a report's
    operator) held by 3+ accounts none of whose pairs another tie joins (a channel is a holder of
    its own co-admin tie, not an account: left out, as in ``corroboration``)."""
    nties = np.bincount(inv, minlength=npairs)
    rows = np.flatnonzero(counted)
    pairs_of = np.bincount(t[rows], minlength=len(ties))
    backed = np.bincount(t[rows], weights=nties[inv[rows]] > 1, minlength=len(ties))
    for i in np.flatnonzero((pairs_of > 0) & (backed == 0)).tolist():
        tie = ties[i]
        accounts = sum(1 for m in ev.holders[tie] if not channel[m])
        if accounts >= 3 and ev.kinds[tie] in PENALISED_KINDS:
            ev.weights[tie] = round(ev.weights[tie] - UNCORROBORATED_PENALTY, 2)


def _bio_links(owner: np.ndarray, ties: list[str]) -> tuple[np.ndarray, list[str]]:
    """The ``bio:<text>`` ties replaced by the links in the text (URL ties), in place."""
    bios = [k for k, tie in enumerate(ties) if tie.startswith("bio:")]
    if not bios:
        return owner, ties
    out_owner, out_ties, last = [], [], 0
    for k in bios:
        links = bio_links(ties[k][4:])
        out_ties.extend(ties[last:k])
        out_ties.extend(links)
        out_owner.extend([owner[last:k], np.full(len(links), owner[k], dtype=np.int64)])
        last = k + 1
    out_ties.extend(ties[last:])
    out_owner.append(owner[last:])
    return np.concatenate(out_owner), out_ties


def _holders(owner: np.ndarray, ties: list[str], members: int, cap: int) -> dict[str, list[int]]:
    """tie -> its holders (sorted member numbers), for ties held by 2..cap members, in the order
    the ties first appear."""
    if not ties:
        return {}
    codes, names = pd.factorize(np.array(ties, dtype=object))
    held = unique(codes.astype(np.int64) * max(members, 1) + owner)
    code, member = held // max(members, 1), held % max(members, 1)
    counts = np.bincount(code, minlength=len(names))
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    member_list = member.tolist()
    return {names[c]: member_list[bounds[c]:bounds[c + 1]]
            for c in np.flatnonzero((counts >= 2) & (counts <= cap)).tolist()}


def unique(x: np.ndarray, inverse: bool = False):
    """``np.unique`` by sorting (numpy 2's hash-based unique is many times slower on these codes);
    with ``inverse`` also each element's position among the unique values."""
    x = np.asarray(x, dtype=np.int64)
    order = np.argsort(x, kind="stable") if inverse else None
    s = x[order] if inverse else np.sort(x)
    first = np.ones(len(s), dtype=bool)
    first[1:] = s[1:] != s[:-1]
    if not inverse:
        return s[first]
    inv = np.empty(len(x), dtype=np.int64)
    inv[order] = np.cumsum(first) - 1
    return s[first], inv


def tie_weight(kind: str, holders: int, learned: dict[str, float] | None = None) -> float:
    """Bits of evidence of one tie of ``kind`` held by ``holders`` members (see the module doc)."""
    base = KIND_WEIGHTS.get(kind, DEFAULT_WEIGHT) + (learned or {}).get(kind, 0.0)
    return round(base - HOLDER_PENALTY * math.log2(max(1, holders - 1)), 2)


def _pair_rows(holder_lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, tie index) for every pair of holders of every tie, a < b (holder lists are sorted)."""
    sizes = np.array([len(h) for h in holder_lists], dtype=np.int64)
    parts_a, parts_b, parts_t = [], [], []
    for size in unique(sizes).tolist():
        index = np.flatnonzero(sizes == size)
        held = np.array([holder_lists[i] for i in index.tolist()], dtype=np.int64)
        first, second = np.triu_indices(size, 1)
        parts_a.append(held[:, first].ravel())
        parts_b.append(held[:, second].ravel())
        parts_t.append(np.repeat(index, len(first)))
    if not parts_a:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(parts_a), np.concatenate(parts_b), np.concatenate(parts_t)


def _number_pairs(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs (as codes a * n + b, sorted) and each row's pair number."""
    return unique(a * max(n, 1) + b, inverse=True)


def _distinct_per_pair(inv: np.ndarray, kinds: np.ndarray, npairs: int, nkinds: int) -> np.ndarray:
    if not len(inv):
        return np.zeros(npairs, dtype=np.int64)
    return np.bincount(unique(inv * max(nkinds, 1) + kinds) // max(nkinds, 1), minlength=npairs)


def _learn(t, inv, multi, counted, kind_of, kind_names, nties) -> dict[str, float]:
    """Per kind, the graph's adjustment in bits (see ``corroboration``)."""
    rows = np.flatnonzero(counted)
    pairs_of_tie = np.bincount(t[rows], minlength=nties)
    multi_of_tie = np.bincount(t[rows], weights=multi[inv[rows]], minlength=nties)
    out = {}
    low, high = LEARN_RANGE
    for k, kind in enumerate(kind_names):
        if kind not in LEARNED_KINDS:
            continue
        mine = (kind_of == k) & (pairs_of_tie > 0)
        if int(mine.sum()) >= MIN_VALUES_TO_LEARN:
            rate = max(float(np.mean(multi_of_tie[mine] / pairs_of_tie[mine])), 1e-3)
            out[kind] = round(min(high, max(low, math.log2(rate / CORROBORATION_REFERENCE))), 2)
    return out


def corroboration(holders: dict[str, list[int]], channels: frozenset[int] = frozenset()) -> dict[str, float]:
    """Per kind, the graph's adjustment in bits: log2 of the share of holder pairs of its shared
    values that a tie of another kind also joins (averaged over its values), over 0.5, clamped to
    LEARN_RANGE, for a kind with MIN_VALUES_TO_LEARN values or more. Pairs with a channel are left
    out: a channel holds little besides its own co-admin tie."""
    ties = list(holders)
    kinds = {tie: tie_kind(tie) for tie in ties}
    names = sorted(set(kinds.values()))
    kind_of = np.array([names.index(kinds[tie]) for tie in ties], dtype=np.int64)
    a, b, t = _pair_rows([sorted(holders[tie]) for tie in ties])
    n = max([max(h) for h in holders.values() if h] + [0]) + 1
    pair, inv = _number_pairs(a, b, n)
    nkinds = _distinct_per_pair(inv, kind_of[t] if len(t) else t, len(pair), len(names))
    counted = np.array([x not in channels and y not in channels for x, y in zip(a.tolist(), b.tolist())], dtype=bool)
    return _learn(t, inv, nkinds > 1, counted, kind_of, names, len(ties))


def _pairs(ev, ties, pair, inv, t, kind_of, kind_names, nkinds) -> Pairs:
    n = max(len(ev.members), 1)
    weight = np.array([ev.weights[tie] for tie in ties], dtype=np.float64)
    weak_kind = np.array([name in WEAK_KINDS for name in kind_names], dtype=bool)
    npairs = len(pair)
    score = np.bincount(inv, weights=weight[t], minlength=npairs) if npairs else np.zeros(0)
    nties = np.bincount(inv, minlength=npairs)
    weak_rows = np.bincount(inv, weights=weak_kind[kind_of[t]], minlength=npairs) if npairs else np.zeros(0)
    order = np.argsort(inv, kind="stable")
    start = np.concatenate([[0], np.cumsum(nties)]).astype(np.int64)
    return Pairs(a=pair // n, b=pair % n, score=np.round(score, 6), nties=nties,
                 weak_only=(weak_rows == nties) & (nkinds == 1), row_tie=t[order], start=start, ties=ties)


def pair_evidence(ev: Evidence) -> dict[tuple[int, int], list[str]]:
    """(a, b) with a < b -> the ties they share."""
    p = ev.pairs
    return {(int(x), int(y)): p.ties_of(i) for i, (x, y) in enumerate(zip(p.a.tolist(), p.b.tolist()))}


def score(ev: Evidence, ties: list[str]) -> float:
    return sum(ev.weights[t] for t in ties)


def weak_only(ties: list[str], kinds: dict[str, str] | None = None) -> bool:
    """True when the ties are all of one weak kind (two IPs are still one kind of evidence)."""
    first = kinds[ties[0]] if kinds is not None else tie_kind(ties[0])
    if first not in WEAK_KINDS:
        return False
    return all((kinds[t] if kinds is not None else tie_kind(t)) == first for t in ties[1:])
