"""Mirror-account detection: candidates with evidence, chains, and the analyst's review loop.

``detect(graph)`` reads the accounts once, groups them into small blocks that share a key (folded
handle, its consonants, display name, bio, avatar hash, a link or other specific identifier, an
administered channel), scores only pairs inside a block (mirror_signals), and returns candidate
links ``successor -> predecessor``. Blocks larger than ``max_block`` are hubs (a common name, a
group logo used by hundreds) and are skipped, so the work grows about linearly with the accounts.

``write_candidates`` stores them as ``(successor)-[:MIRROR_OF {status: 'candidate'}]->(predecessor)``
without touching a link an analyst decided; ``decide`` records ``confirmed``/``rejected``. Decided
pairs (either direction) are never proposed again.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from networkx.utils import UnionFind

from graphkit.mirrors import announce, chainpick, comparisons
from graphkit.mirrors import model as fs_model
from graphkit.mirrors.words import nothing_found_advice, stats_sentence  # noqa: F401  (re-exported)
from graphkit.mirrors.review import (  # noqa: F401  (the review loop, re-exported)
    MirrorError,
    _labels,
    decide,
    parse_account,
    resolve_account,
    write_candidates,
)
from graphkit.mirrors.signals import (
    DEFAULT_MIN_SCORE,
    ENDED_STATUSES,
    AccountView,
    Frequencies,
    PairScore,
    orient,
)
# moved out whole (fetch: reading the graph, blocking: keys and blocks); kept importable from here
# for mirrors' keys, incremental and screen, the tests and the benches
from graphkit.mirrors.blocking import (  # noqa: F401
    MAX_BLOCK, BlockingStats, blocking_keys, candidate_pairs, frequencies, frequency_keys)
from graphkit.mirrors.fetch import (  # noqa: F401
    _fetch_query, attach_posts, fetch_accounts, fetch_decisions, fetch_posts, view_from_row)

STATUSES = ("candidate", "confirmed", "rejected")


# ------------------------------------------------------------------ detection

@dataclass
class Candidate:
    successor: str       # PLATFORM:HANDLE
    predecessor: str
    successor_key: str
    predecessor_key: str
    score: float
    evidence: str
    signals: list = field(default_factory=list)
    chain_head: str = ""

    def row(self, structured: bool = False) -> dict:
        row = {"successor": self.successor, "predecessor": self.predecessor, "score": round(self.score, 3),
               "evidence": self.evidence, "chain_head": self.chain_head}
        if structured:
            row["signals"] = self.signals
        return row


@dataclass
class Detection:
    candidates: list[Candidate]
    stats: BlockingStats
    links: list[PairScore]  # every scored pair kept after the one-predecessor rule, before min_score
    model: object = None    # the fitted Fellegi-Sunter model (graphkit.mirrors.model.Model)


def _check_score(min_score: float) -> float:
    try:
        value = float(min_score)
    except (TypeError, ValueError):
        value = -1
    if not 0.0 <= value <= 1.0:
        raise MirrorError(f"--min-score must be a number between 0 and 1, not {min_score!r}",
                          hint=f"The default {DEFAULT_MIN_SCORE} keeps candidates expected to be right "
                          "at least 9 times in 10.")
    return value


def detect_accounts(accounts: list[AccountView], min_score: float = DEFAULT_MIN_SCORE,
                    decisions: dict[tuple[str, str], str] | None = None,
                    max_block: int = MAX_BLOCK, found: announce.Announcements | None = None,
                    samples: int = fs_model.SAMPLES, progress: bool | None = False) -> Detection:
    """Candidates among ``accounts`` (no database needed: the benchmark calls this directly).

    The model is fitted on these accounts first (u by sampling random pairs, m from the priors
    and the analyst's confirmed links; rejected links count as unrelated pairs and make the values
    they agree on commoner). Each successor keeps one predecessor (``pick_predecessor``), so a
    chain A -> B -> C yields the links B->A and C->B, not also C->A. Pairs with a decided link in
    either direction are left out.
    """
    min_score = _check_score(min_score)
    decisions = decisions or {}
    decided = {frozenset(pair) for pair, status in decisions.items() if status in ("confirmed", "rejected")}
    claims = found.claims if found else {}
    stats = BlockingStats()
    pairs = candidate_pairs(accounts, max_block=max_block, stats=stats, claims=claims)
    freq = frequencies(accounts, claims)
    by_key = {a.key: a for a in accounts}
    confirmed = [(by_key[s], by_key[p]) for (s, p), st in decisions.items()
                 if st == "confirmed" and s in by_key and p in by_key]
    rejected = [(by_key[s], by_key[p]) for (s, p), st in decisions.items()
                if st == "rejected" and s in by_key and p in by_key]
    _learn_frequencies(freq, rejected)
    compared = []
    blocked = Counter()
    for i, j in _with_bar(pairs, progress):
        a, b = accounts[i], accounts[j]
        if a.key == b.key or frozenset((a.key, b.key)) in decided:
            continue
        pred, succ = orient(a, b)
        levels = comparisons.compare(pred, succ, freq)
        blocked.update((lv.signal, lv.level) for lv in levels)
        compared.append((pred, succ, levels))
    fs = fs_model.fit(accounts, freq, confirmed=confirmed, rejected=rejected, samples=samples, blocked=blocked)
    stats.learnt = fs.learnt
    fs_model.estimate_mention_weight(fs, accounts, compared)
    options: dict[str, list[PairScore]] = defaultdict(list)
    for pred, succ, levels in compared:
        score, z, signals = fs.score(levels, fs.pair_prior(pred, succ))
        options[succ.key].append(PairScore(successor=succ, predecessor=pred, score=score, signals=signals, z=z))
    links = sorted(chainpick.relink([pick_predecessor(found_) for found_ in options.values()], options,
                                    decided),
                   key=lambda p: (-p.score, p.successor.key))
    kept = [p for p in links if p.score >= min_score]
    heads = chain_heads([(p.successor, p.predecessor) for p in kept]
                        + _confirmed_edges(accounts, decisions))
    candidates = [
        Candidate(successor=p.successor.label, predecessor=p.predecessor.label,
                  successor_key=p.successor.key, predecessor_key=p.predecessor.key, score=p.score,
                  evidence=p.evidence, signals=[s.as_dict() for s in p.signals if s.weight != 0],
                  chain_head=heads.get(p.successor.key, p.successor.label))
        for p in kept
    ]
    return Detection(candidates=candidates, stats=stats, links=links, model=fs)


REJECTED_WEIGHT = 5  # a value a rejected pair agreed on counts as shared by this many more accounts


def _learn_frequencies(freq: Frequencies, rejected) -> None:
    """A rejected pair's shared name, bio, handle stem or avatar was not enough to make a mirror:
    count it as a commoner value from now on."""
    for succ, pred in rejected:
        for level in comparisons.compare(pred, succ, freq):
            if level.tf is not None:
                freq.counts[level.tf[0]] = freq.get(level.tf[0]) + REJECTED_WEIGHT


def _with_bar(pairs, progress: bool | None):
    """``pairs``, counted on a tqdm bar on stderr when ``progress`` (None: stderr is a terminal)."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        yield from pairs
        return
    from tqdm import tqdm

    with tqdm(pairs, total=len(pairs), desc="comparing accounts", unit=" pairs", file=sys.stderr,
              leave=False) as bar:
        yield from bar


CHAIN_FLOOR = 0.5
CHAIN_MARGIN = 0.2  # a chain member scoring within this of the best pair is a contender


def pick_predecessor(found: list[PairScore]) -> PairScore:
    """The direct predecessor of one successor among its scored pairs.

    In a chain A -> B -> C every member copies the same identity, so C scores about as high with
    A as with B. The direct predecessor is the most recent one: among the pairs scoring at least
    CHAIN_FLOOR and within CHAIN_MARGIN of the best, a removed predecessor before a live one, and
    the one removed (else appeared) last;
    otherwise simply the best pair.
    """
    best = max(found, key=lambda p: p.score)
    plausible = [p for p in found if p.score >= max(CHAIN_FLOOR, best.score - CHAIN_MARGIN)]
    if not plausible:
        return best
    far_past = datetime.min.replace(tzinfo=timezone.utc)
    # a removed predecessor before a live one (a mirror replaces a removed account; two live
    # look-alikes are siblings), then the most recent
    return max(plausible, key=lambda p: (p.predecessor.end is not None,
                                         p.predecessor.end or p.predecessor.act_end or p.predecessor.start
                                         or far_past, p.score))


def _confirmed_edges(accounts, decisions):
    by_key = {a.key: a for a in accounts}
    edges = []
    for (s, p), status in decisions.items():
        if status == "confirmed" and s in by_key and p in by_key:
            edges.append((by_key[s], by_key[p]))
    return edges


def chain_heads(edges: list[tuple[AccountView, AccountView]]) -> dict[str, str]:
    """For every account in a chain (successor, predecessor edges): the chain's head, i.e. its
    newest live account (not removed/suspended; latest start), as PLATFORM:HANDLE."""
    links = UnionFind()
    nodes: dict[str, AccountView] = {}
    for s, p in edges:
        nodes[s.key], nodes[p.key] = s, p
        links.union(s.key, p.key)
    members = [[nodes[key] for key in sorted(group)] for group in links.to_sets()]
    far_past = datetime.min.replace(tzinfo=timezone.utc)
    heads = {}
    for group in members:
        def rank(a: AccountView):
            live = a.end is None and (a.status or "active") not in ENDED_STATUSES
            return (live, a.start or far_past, a.key)
        head = max(group, key=rank)
        for acc in group:
            heads[acc.key] = head.label
    return heads


def chains(edges: list[tuple[AccountView, AccountView]]) -> list[list[AccountView]]:
    """Chains as lists ordered predecessor -> successor (one list per connected set of links,
    ordered by appearance)."""
    heads = chain_heads(edges)
    nodes = {}
    for s, p in edges:
        nodes[s.key], nodes[p.key] = s, p
    grouped = defaultdict(list)
    for key, acc in nodes.items():
        grouped[heads[key]].append(acc)
    far_past = datetime.min.replace(tzinfo=timezone.utc)
    return [sorted(g, key=lambda a: (a.start or far_past, a.key)) for g in grouped.values()]


def detect(graph, min_score: float = DEFAULT_MIN_SCORE, limit: int | None = None,
           max_block: int = MAX_BLOCK, progress: bool | None = None) -> Detection:
    """Read the graph and return mirror candidates (best first); ``progress`` as in
    ``detect_accounts`` (default: a bar only when stderr is a terminal)."""
    min_score = _check_score(min_score)
    if limit is not None and limit < 0:
        raise MirrorError("--limit must be 0 or more", hint="Leave it out to list every candidate.")
    accounts, found = fetch_accounts(graph)
    result = detect_accounts(accounts, min_score=min_score, decisions=fetch_decisions(graph),
                             max_block=max_block, found=found, progress=progress)
    if limit:
        result.candidates = result.candidates[:limit]
    return result
