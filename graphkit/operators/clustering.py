"""Shared-operator clusters from weighted evidence, grown so that one weak bridge never chains two
groups together.

The ``shared-operators`` canned query fetches the (tie, member) edge list (see
``graphkit.operators.evidence`` for the ties and their weights) and the analyst's decisions.
``cluster`` then works in four steps:

1. **Links.** Two members are linked when the weights of the ties they share sum to at least
   ``min_weight`` bits (and they share at least ``min_evidence`` ties), unless all their ties are
   of one weak kind (IP, URL or bio link, the same bio): weak evidence must come from two kinds.
2. **Must-links.** Pairs an analyst confirmed are put together first; pairs an analyst kept apart
   (``split``) are never put together. (A report naming an operator is evidence, 8 bits, not a
   must-link: the analyst's own review is.)
3. **Growing.** Links backed by two or more ties are taken first, then single-tie links, each
   strongest first: a pair with two different ties is rarely a coincidence, one recycled number
   often is, so the corroborated links shape the groups and a single tie between two of them is
   a bridge (below), not an attachment. A link whose one end is still alone *attaches* it
   (a single account is attached by its strongest link). A link between two groups of two or more
   members is a *bridge*: the two groups are joined only when all the ties between them add up to
   ``strong_weight`` bits and are at least two different ties, so one recycled phone, one shared
   NAT address plus a promoted link, or one article link never joins two operators. This is
   single-linkage clustering with a guard on group-to-group joins (components over the links, but
   refusing thin bridges): it keeps the property analysts rely on (everything tied to a cluster by
   strong evidence is in it) while the guard stops the chaining of plain components. Community
   detection (Louvain/Leiden) was not used: at this scale its resolution limit keeps two small
   dense groups joined by one bridge together, and it splits long but genuine chains of an
   operator's kit; the refused bridges would not be explainable either.
   Then, pass after pass until nothing joins, **group-level evidence**: a member still alone is
   weighed against each group it shares anything with, over *every* tie between it and any of the
   group's members (an IP with one member and a bio link with another are 2.5 + 3.0 bits for the
   group, where no pair reached 4), and joins its strongest group on ``min_weight`` bits unless
   all of them are of one weak kind. On that scale a weak value counts its holders as the groups
   they sit in, and a weak tie backed by a tie of another kind keeps its kind's hand weight
   (``_Weigher``). Two groups of two or more are still joined only on the ties of the *links*
   between them (``strong_weight``, two different ties): counted over all their members, unrelated
   values add up across two big groups (found on variant o4, docs/operators.md).
4. **Reporting.** Each cluster lists its members, its evidence (ties held by two or more of its
   members) with their weights, a confidence (the chance its most weakly attached member belongs:
   ``1 / (1 + 2^-(bits - 3))`` from that member's strongest link inside the cluster, or the
   group-level bits that attached it; 1.0 once an analyst confirmed the cluster) and the bridge
   ties it refused.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import chain
from typing import Iterable

import numpy as np

from graphkit.operators.evidence import (
    DEFAULT_MAX_HUB, DEFAULT_MIN_WEIGHT, DEFAULT_STRONG_WEIGHT, HOLDER_PENALTY, WEAK_KINDS, Evidence, collect, unique,
)

ATTACH_TIES = 1
ATTACH_FROM = 3
PRIOR_BITS = 3.0   # confidence 0.5 at 3 bits: a link at min_weight (4 bits) reads as 0.67


class UnionFind:
    """Disjoint sets with path halving and union by size: the room's one union-find (the
    clustering's groups below and the coordination clusters use it)."""

    def __init__(self, items: Iterable = ()):
        self.parent: dict = {item: item for item in items}
        self.size: dict = dict.fromkeys(self.parent, 1)

    def add(self, item) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.size[item] = 1

    def find(self, item):
        parent = self.parent
        if item not in parent:  # inlined add: find is the hot path
            parent[item] = item
            self.size[item] = 1
            return item
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra

    def groups(self) -> dict:
        out: dict = defaultdict(list)
        for item in self.parent:
            out[self.find(item)].append(item)
        return out


class _Groups(UnionFind):
    """The union-find over member numbers 0..n-1 that also keeps each group's members (for the
    analyst's cannot-links)."""

    def __init__(self, n: int, apart: dict[int, set[int]]):
        super().__init__(range(n))
        self.members = [[i] for i in range(n)]
        self.attached: dict[int, float] = {}  # member -> bits of the group-level evidence that attached it
        self.apart = apart

    def allowed(self, ra: int, rb: int) -> bool:
        """False when an analyst kept a member of one group apart from a member of the other."""
        if not self.apart:
            return True
        small, big = (ra, rb) if self.size[ra] <= self.size[rb] else (rb, ra)
        return not any(self.find(other) == big for m in self.members[small] for other in self.apart.get(m, ()))

    def join(self, ra: int, rb: int) -> int:
        root = self.union(ra, rb)
        other = rb if root == ra else ra
        self.members[root].extend(self.members[other])
        self.members[other] = []
        return root

    def roots(self, items: np.ndarray | None = None) -> np.ndarray:
        """The root of every member (or of ``items``), by pointer jumping in numpy: the members are
        0..n-1 and were added in that order, so ``parent.values()`` is the parent array."""
        parent = np.fromiter(self.parent.values(), dtype=np.int64, count=len(self.parent))
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                return parent if items is None else parent[items]
            parent = up


def _decisions(ev: Evidence, decisions: list) -> tuple[list[tuple[int, int]], dict[int, set[int]], dict]:
    """Confirmed pairs, kept-apart members and per-member notes from the query's decision rows
    ``[a_key, a_kind, a_name, b_key, b_kind, b_name, status, note]``."""
    confirmed, apart, notes = [], defaultdict(set), defaultdict(list)
    for a_key, a_kind, a_name, b_key, b_kind, b_name, status, note in decisions:
        a, b = ev.add_member(a_key, a_kind, a_name), ev.add_member(b_key, b_kind, b_name)
        if status == "confirmed":
            confirmed.append((a, b))
        elif status == "rejected":
            apart[a].add(b)
            apart[b].add(a)
        notes[a].append((status, note))
        notes[b].append((status, note))
    return confirmed, apart, notes


def _absorb(groups, keys, held, bits, one_weak, min_weight: float, strong_weight: float,
            min_evidence: int = 1) -> bool:
    """One pass of joins on group-level evidence (the distinct ties across two groups, weighed by
    ``_Weigher``), strongest bridge first, each group joined at most once per pass. A lone member
    joins a group on ``min_weight`` bits unless all the ties are of one weak kind; two groups of
    two or more members join on ``strong_weight`` bits from two or more different ties."""
    touched: set = set()
    joined = False
    for g in np.argsort(-bits, kind="stable").tolist():
        ra, rb = groups.find(keys[g][0]), groups.find(keys[g][1])
        if ra == rb or ra in touched or rb in touched:
            continue
        if min(groups.size[ra], groups.size[rb]) == 1:
            big = max(groups.size[ra], groups.size[rb])
            ok = bits[g] >= min_weight - 1e-6 and held[g] >= min_evidence and not one_weak[g] and (
                ATTACH_TIES <= 1 or big < ATTACH_FROM or held[g] >= ATTACH_TIES)
        else:
            ok = held[g] >= 2 and bits[g] >= strong_weight - 1e-6
        if ok and groups.allowed(ra, rb):
            touched.update((ra, rb))
            if min(groups.size[ra], groups.size[rb]) == 1:  # the lone member's evidence, for its confidence
                lone = ra if groups.size[ra] == 1 else rb
                groups.attached[groups.members[lone][0]] = float(bits[g])
            groups.join(ra, rb)
            joined = True
    return joined


def _grow(ev: Evidence, links: list, must: list, groups: _Groups, strong_weight: float,
          min_weight: float = DEFAULT_MIN_WEIGHT, min_evidence: int = 1) -> dict:
    """Steps 2 and 3 (see the module doc); returns the refused bridges ``(ra, rb) -> ties``.
    ``links`` are ``(bits, a, b, pair number)``, strongest first."""
    for a, b in must:
        ra, rb = groups.find(a), groups.find(b)
        if ra != rb and groups.allowed(ra, rb):
            groups.join(ra, rb)
    pairs, find, size, allowed = ev.pairs, groups.find, groups.size, groups.allowed
    across = []
    for _, a, b, p in links:  # strongest first: single members attach, group-to-group links wait
        ra, rb = find(a), find(b)
        if ra == rb or not allowed(ra, rb):
            continue
        if size[ra] == 1 or size[rb] == 1:
            if ATTACH_TIES <= 1 or max(size[ra], size[rb]) < ATTACH_FROM or pairs.nties[p] >= ATTACH_TIES:
                groups.join(ra, rb)
                continue
        across.append(p)
    links_across = np.array(across, dtype=np.int64)
    across = np.flatnonzero(pairs.nties > 0) if len(pairs.a) else np.empty(0, dtype=np.int64)
    root = groups.roots()
    size_of = np.bincount(root, minlength=len(groups.members))
    across = across[(size_of[root[pairs.a[across]]] == 1) | (size_of[root[pairs.b[across]]] == 1)]
    weigh = _Weigher(ev, pairs.ties)
    while True:  # groups only grow: each pass needs only the pairs still between two groups
        # a lone member against a group: every tie between them; two groups: the ties of the
        # links between them only (across two big groups, unrelated weak values add up)
        keys, ties, bridge_of, across = _bridges(groups, pairs, across)
        held, bits, _, one_weak = weigh(groups, keys, ties, bridge_of)
        lkeys, lties, lbridge_of, links_across = _bridges(groups, pairs, links_across)
        lheld, lbits, _, lone_weak = weigh(groups, lkeys, lties, lbridge_of)
        root = groups.roots()
        size_of = np.bincount(root, minlength=len(groups.members))
        lone = _lone(size_of, keys)
        pick = np.flatnonzero(lone & (bits >= min_weight - 1e-6) & (held >= min_evidence) & ~one_weak)
        llone = _lone(size_of, lkeys)  # only bridges that may pass go on to the (Python) loop
        lpick = np.flatnonzero(np.where(llone, (lbits >= min_weight - 1e-6) & ~lone_weak,
                                        (lheld >= 2) & (lbits >= strong_weight - 1e-6)))
        candidates = (keys[pick].tolist() + lkeys[lpick].tolist(),
                      np.concatenate([held[pick], lheld[lpick]]), np.concatenate([bits[pick], lbits[lpick]]),
                      np.concatenate([one_weak[pick], lone_weak[lpick]]))
        # groups only grow: a pair between two groups of two or more never has a lone end again
        across = across[(size_of[root[pairs.a[across]]] == 1) | (size_of[root[pairs.b[across]]] == 1)]
        if not _absorb(groups, *candidates, min_weight, strong_weight, min_evidence):
            lkeys = [tuple(key) for key in lkeys.tolist()]
            refused: dict[tuple[int, int], set[str]] = {key: set() for key in lkeys if allowed(*key)}
            for g, t in zip(lbridge_of.tolist(), lties.tolist()):
                if lkeys[g] in refused:
                    refused[lkeys[g]].add(pairs.ties[t])
            return refused


class _Weigher:
    """The bits of the ties across two groups (a *bridge*), weighed as group-level evidence:

    * a weak tie (IP, URL, bio) counts its holders as the groups they sit in
      (``_concentration``): an IP held by five accounts of which four are one cluster is, for the
      fifth, an IP shared by two, not by five; a carrier's NAT address spread over five operators
      stays an address shared by five. (A strong kind keeps its holder count: a recycled number
      that sits on its operator's accounts is still on a stranger.)
    * a weak tie that comes with a tie of another kind across the same bridge keeps its kind's hand
      weight: the graph's negative adjustment (``evidence.corroboration``) measures how often
      values of that kind stand alone, which this one does not.
    """

    def __init__(self, ev: Evidence, ties: list[str]):
        names, self.kind = np.unique(np.array([ev.kinds[t] for t in ties], dtype=object), return_inverse=True)
        self.kind = self.kind.astype(np.int64).ravel()
        self.nkinds = max(len(names), 1)
        weak_name = np.array([name in WEAK_KINDS for name in names], dtype=bool)
        back_name = np.array([-min(0.0, ev.learned.get(name, 0.0)) for name in names], dtype=np.float64)
        self.weight = np.fromiter((ev.weights[t] for t in ties), dtype=np.float64, count=len(ties))
        self.weak = weak_name[self.kind] if len(ties) else np.zeros(0, dtype=bool)
        self.give_back = back_name[self.kind] * self.weak if len(ties) else np.zeros(0)
        held = [ev.holders[t] for t in ties]
        self.sizes = np.fromiter(map(len, held), dtype=np.int64, count=len(held))
        self.holder = np.fromiter(chain.from_iterable(held), dtype=np.int64, count=int(self.sizes.sum()))
        self.tie_of = np.repeat(np.arange(len(ties), dtype=np.int64), self.sizes)

    def __call__(self, groups: "_Groups", keys, ties, bridge_of):
        """Per bridge: its distinct ties, bits, kinds, and whether all are of one weak kind."""
        n = len(keys)
        held = np.bincount(bridge_of, minlength=n)
        kinds = np.bincount(unique(bridge_of * self.nkinds + self.kind[ties]) // self.nkinds, minlength=n)
        weak_rows = np.bincount(bridge_of, weights=self.weak[ties], minlength=n)
        tie_bits = self.weight + self.weak * self._concentration(groups)
        bits = np.bincount(bridge_of, weights=tie_bits[ties], minlength=n)
        bits += np.bincount(bridge_of, weights=self.give_back[ties], minlength=n) * (kinds >= 2)
        return held, bits, kinds, (weak_rows == held) & (kinds == 1)

    def _concentration(self, groups: "_Groups") -> np.ndarray:
        """Per tie, ``HOLDER_PENALTY * (log2(holders - 1) - log2(groups - 1))``: the bits its
        holder penalty gives back when its holders sit in fewer groups than they are members."""
        if not len(self.holder):
            return np.zeros(len(self.sizes))
        root = groups.roots(self.holder)
        n = max(len(groups.members), 1)
        count = np.bincount(unique(self.tie_of * n + root) // n, minlength=len(self.sizes))
        return HOLDER_PENALTY * (np.log2(np.maximum(self.sizes - 1, 1)) - np.log2(np.maximum(count - 1, 1)))


def _lone(size_of: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Per bridge, whether one of its two groups is a single member."""
    return size_of[keys].min(axis=1) == 1 if len(keys) else np.zeros(0, dtype=bool)


def _bridges(groups: _Groups, pairs, across: np.ndarray):
    """The links of ``across`` still between two groups, by pair of groups: ``(keys, ties,
    bridge_of, links)``: ``keys[g]`` the pair of roots ``(low, high)`` of bridge g, in the order of
    its strongest link; ``ties``/``bridge_of`` its distinct ties (indexes into ``pairs.ties``)."""
    ra, rb = groups.roots(pairs.a[across]), groups.roots(pairs.b[across])
    apart = ra != rb
    across, ra, rb = across[apart], ra[apart], rb[apart]
    n = max(len(groups.members), 1)
    code = np.minimum(ra, rb) * n + np.maximum(ra, rb)
    codes, first = np.unique(code, return_index=True)
    order = np.argsort(first, kind="stable")              # bridges in the order of their first link
    rank = np.empty(len(codes), dtype=np.int64)
    rank[order] = np.arange(len(codes))
    keys = np.stack([codes[order] // n, codes[order] % n], axis=1)  # (low, high) roots per bridge
    link_bridge = rank[np.searchsorted(codes, code)]
    lens = pairs.nties[across]
    rows = np.repeat(pairs.start[across] - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
    held = unique(np.repeat(link_bridge, lens) * max(len(pairs.ties), 1) + pairs.row_tie[rows])
    return keys, held % max(len(pairs.ties), 1), held // max(len(pairs.ties), 1), across


def cluster(rows: Iterable[dict], min_weight: float = DEFAULT_MIN_WEIGHT,
            strong_weight: float = DEFAULT_STRONG_WEIGHT, min_evidence: int = 1,
            max_hub: int | None = DEFAULT_MAX_HUB, **_ignored) -> list[dict]:
    """Clusters from the query's packed rows or edge rows ``{tie, key, kind, member}``.

    Returns rows ``{cluster, size, accounts, channels, evidence, weights, confidence, refused,
    review}``, largest first (then by first member): ``accounts``/``channels`` are display names,
    ``evidence`` the ties held by two or more members (sorted) and ``weights`` their bits,
    ``refused`` the bridge ties not followed (``tie (bits) -> member on the other side``),
    ``review`` the analyst's decisions on its members (``confirmed``, ``split``; notes after ``:``).
    """
    min_weight = float(DEFAULT_MIN_WEIGHT if min_weight is None else min_weight)
    strong_weight = float(DEFAULT_STRONG_WEIGHT if strong_weight is None else strong_weight)
    min_evidence = max(1, int(min_evidence or 1))
    ev, decisions = collect(rows, max_hub)
    confirmed, apart, notes = _decisions(ev, decisions)
    p = ev.pairs
    chosen = np.flatnonzero((p.score >= min_weight) & (p.nties >= min_evidence) & ~p.weak_only)
    chosen = chosen[np.lexsort((p.b[chosen], p.a[chosen], -p.score[chosen], (p.nties[chosen] < 2)))]
    links = list(zip(p.score[chosen].tolist(), p.a[chosen].tolist(), p.b[chosen].tolist(), chosen.tolist()))
    if apart:
        links = [link for link in links if link[2] not in apart.get(link[1], ())]
    groups = _Groups(len(ev.members), apart)
    refused = _grow(ev, links, confirmed, groups, strong_weight, min_weight, min_evidence)
    root = groups.roots()
    best = np.zeros(len(ev.members))
    if links:
        bits, la, lb = (np.array(x) for x in (p.score[chosen], p.a[chosen], p.b[chosen]))
        inside = root[la] == root[lb]
        np.maximum.at(best, la[inside], bits[inside])
        np.maximum.at(best, lb[inside], bits[inside])
    for member, bits in groups.attached.items():
        best[member] = max(best[member], bits)
    for a, b in confirmed:
        if root[a] == root[b]:
            best[a] = best[b] = np.inf
    return _rows(ev, groups, root, refused, best.tolist(), notes)


def _confidence(bits: float) -> float:
    if bits == float("inf"):
        return 1.0
    return round(1.0 / (1.0 + 2.0 ** -(bits - PRIOR_BITS)), 3)


def _ties_inside(ev: Evidence, root: np.ndarray) -> dict[int, list[str]]:
    """root -> the ties two or more of its members hold."""
    ties = list(ev.holders)
    sizes = np.array([len(ev.holders[t]) for t in ties], dtype=np.int64)
    holder = np.fromiter((i for t in ties for i in ev.holders[t]), dtype=np.int64, count=int(sizes.sum()))
    tie = np.repeat(np.arange(len(ties), dtype=np.int64), sizes)
    codes, counts = np.unique(root[holder] * max(len(ties), 1) + tie, return_counts=True)
    kept = codes[counts >= 2]
    out: dict[int, list[str]] = defaultdict(list)
    for r, t in zip((kept // max(len(ties), 1)).tolist(), (kept % max(len(ties), 1)).tolist()):
        out[r].append(ties[t])
    return out


def _rows(ev: Evidence, groups: _Groups, root: np.ndarray, refused: dict, best: list, notes: dict) -> list[dict]:
    order = np.argsort(root, kind="stable")
    bounds = np.flatnonzero(np.diff(root[order], prepend=-1, append=-1)).tolist()
    by_root = {int(root[order[start]]): order[start:end].tolist()
               for start, end in zip(bounds[:-1], bounds[1:]) if end - start >= 2}
    ties_in = _ties_inside(ev, root)
    refused_of: dict[int, list[str]] = defaultdict(list)
    for (ra, rb), ties in refused.items():
        ra, rb = int(root[ra]), int(root[rb])
        if ra == rb:
            continue
        for tie in sorted(ties):
            held = ev.holders[tie]
            for mine, other in ((ra, rb), (rb, ra)):
                across = [ev.members[i].name for i, r in zip(held, root[held].tolist()) if r == other]
                refused_of[mine].append(f"{tie} ({ev.weights[tie]:g}) -> {min(across)}")
    clusters = []
    for root, members in by_root.items():
        if len(members) < 2:
            continue
        shown = [ev.members[i] for i in members]
        evidence = sorted(ties_in[root])
        review = sorted({f"{status}: {note}" if note else status for i in members for status, note in notes.get(i, ())})
        clusters.append({
            "size": len(members),
            "accounts": sorted(m.name for m in shown if m.kind == "account"),
            "channels": sorted(m.name for m in shown if m.kind == "channel"),
            "evidence": evidence, "weights": [ev.weights[t] for t in evidence],
            "confidence": _confidence(min(best[i] for i in members)),  # the weakest member's
            "refused": sorted(set(refused_of[root])), "review": "; ".join(review)})
    clusters.sort(key=lambda c: (-c["size"], c["accounts"][0] if c["accounts"] else c["channels"][0]))
    for number, row in enumerate(clusters, 1):
        row["cluster"] = number
    return clusters
