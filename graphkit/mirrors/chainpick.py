"""The direct predecessor in a chain whose middle account changed more than its ends.

In a chain A -> B -> C the successor C is compared with both A and B. When B changed its profile
(a shortened display name, a new handle) C may score far higher with A than with B, and the
one-predecessor rule then links C to A, skipping B. Yet if B succeeds A and C succeeds A, and B
was active between A and C, C's direct predecessor is B: A was gone before B began, and B before
C began. ``relink`` moves such a link from A to B. Its score is the chance that both links hold
(the product of the two scores: C and B are then one person), and its evidence says why.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from graphkit.mirrors.signals import PairScore, Signal

# a link at least this likely is a chain link another can be moved along
CHAIN_FLOOR = 0.5
# activity windows may touch by this much (posts read to the minute, retweets a little late)
SLACK = timedelta(days=1)
_FAR_PAST = datetime.min.replace(tzinfo=timezone.utc)


def _between(pred, mid, succ) -> bool:
    """``mid`` began after ``pred`` ended and ended before ``succ`` began (activity windows)."""
    if not (pred.act_end and mid.act_start and mid.act_end and succ.act_start):
        return False
    return mid.act_start >= pred.act_end - SLACK and mid.act_end <= succ.act_start + SLACK \
        and mid.act_start < succ.act_start


def relink(links: list[PairScore], options: dict[str, list[PairScore]], decided=frozenset()) -> list[PairScore]:
    """``links`` (one per successor) with each successor linked to the latest chain member
    between it and its picked predecessor (see the module's text); ``options`` are every scored
    pair of each successor (successor key -> pairs), for the evidence of the moved link; a pair in
    ``decided`` (frozensets of two keys an analyst decided) is never made."""
    best = {p.successor.key: p for p in links}
    after: dict[str, set] = defaultdict(set)  # predecessor key -> successor keys (chain links)
    for p in links:
        if p.score >= CHAIN_FLOOR:
            after[p.predecessor.key].add(p.successor.key)
    for succ_key in sorted(best, key=lambda k: (best[k].successor.act_start or _FAR_PAST, k)):
        link = best[succ_key]
        if link.score < CHAIN_FLOOR:
            continue
        pred, succ = link.predecessor, link.successor
        middles = [m for m in (best[k] for k in sorted(after[pred.key]) if k != succ_key)
                   if m.predecessor.key == pred.key and _between(pred, m.successor, succ)
                   and frozenset((succ_key, m.successor.key)) not in decided]
        if not middles:
            continue
        mid = max(middles, key=lambda m: (m.successor.act_end, m.successor.key))
        own = next((p for p in options.get(succ_key, ()) if p.predecessor.key == mid.successor.key), None)
        score = link.score * mid.score
        z = math.log(score / (1.0 - score)) if score < 1.0 else 50.0
        # the chain's weight is what it adds to the pair's own evidence (the two sum to z)
        signals = [s for s in (own.signals if own else ()) if s.weight]
        signals.append(Signal("chain", z - (own.z if own else 0.0),
                              f"{mid.successor.label} succeeds {pred.label} ({mid.score:.2f}) and was active "
                              f"between it and {succ.label}, which also succeeds {pred.label} ({link.score:.2f})",
                              pred.label))
        best[succ_key] = PairScore(successor=succ, predecessor=mid.successor, score=score, signals=signals, z=z)
        after[pred.key].discard(succ_key)
        if score >= CHAIN_FLOOR:
            after[mid.successor.key].add(succ_key)
    return [best[p.successor.key] for p in links]
