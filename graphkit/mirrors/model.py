"""A Fellegi-Sunter linkage model for mirror pairs, written here in plain Python.

For each signal and each of its comparison levels (``graphkit.mirrors.comparisons``):

* m = P(level | the pair is a mirror): the documented prior in ``PRIORS`` (how takedown evasion
  looks: handles bumped or folded, names and bios kept, a short gap), updated by counting the
  levels of the pairs an analyst confirmed (``fit``; a Beta prior of K_M pseudo-pairs);
* u = P(level | unrelated pair): estimated from THIS graph by sampling random pairs of accounts
  that both carry the signal's value (K_U pseudo-pairs of the prior keep tiny samples sane);
  pairs an analyst rejected count as unrelated pairs too;
* term frequency: when a level is exact agreement on a value (a display name, a bio, a handle
  stem, an avatar), u is that value's frequency (``Frequencies.tf_u``): a shared "Abu Muhammad"
  counts for little, a shared rare name for much;
* weight = ln(m / u); a missing value is no evidence (the signal is left out).

The score is the posterior P(mirror | levels) = sigmoid(prior log-odds + sum of weights), the
prior being the expected number of mirror links (MIRROR_RATE per account) over the number of
pairs; a handle known only from mentions counts as a fraction of an account, estimated from the
graph by EM (``estimate_mention_weight``). Identity signals (handle, name, bio, avatar, link ...) copy one profile, so they are not
independent given "not a mirror" (a network's parallel accounts share all of them): the strongest
counts fully, the next ones by IDENTITY_DISCOUNT, its square ... (negative weights count fully).

Splink (on DuckDB) was not used: its blocking rules are SQL over one table, and our evidence
(announcement claims from posts, series steps, look-alike folding, removal-or-activity timing) is
computed in Python per pair anyway; a hundred lines here keep one code path and no database.
"""
from __future__ import annotations

import itertools
import math
import random
from collections import Counter, defaultdict

from graphkit.mirrors import comparisons
from graphkit.mirrors.signals import Frequencies, Signal, orient

# expected mirror links per account (the labelled generator: ~0.06, the real export: ~0.02)
MIRROR_RATE = 0.3
K_U = 200
K_M = 20
IDENTITY_DISCOUNT = 0.9
# a handle that only spells the display name both accounts share (comparisons._mark_echo)
ECHO_DISCOUNT = 0.6
SAMPLES = 3000
U_FLOOR = 1e-7

# signal -> level -> (m, u): documented priors
PRIORS = {
    "handle": {"series_next": (0.25, 0.0005), "same_base": (0.35, 0.002), "high": (0.2, 0.002),
               "medium": (0.1, 0.01), "low": (0.08, 0.08), "none": (0.3, 0.9)},
    "display_name": {"same": (0.6, 0.005), "series_next": (0.15, 0.0005), "high": (0.15, 0.005),
                     "medium": (0.08, 0.03), "other_number": (0.01, 0.005), "low": (0.06, 0.2),
                     "different": (0.15, 0.76)},
    "bio": {"same": (0.45, 0.003), "high": (0.25, 0.005), "medium": (0.15, 0.03), "low": (0.15, 0.3),
            "different": (0.05, 0.66)},
    "avatar": {"same": (0.7, 0.0005), "different": (0.3, 0.9995)},
    "link": {"same": (0.7, 0.001), "different": (0.3, 0.999)},
    "identifier": {"same": (0.3, 0.00001)},
    "timing": {"before": (1e-12, 0.3), "overlap_long": (1e-12, 0.4), "overlap": (1e-8, 0.05),
               "predecessor_live": (0.001, 0.3),
               "gap3": (0.45, 0.01), "gap14": (0.3, 0.02), "gap60": (0.18, 0.06), "gap365": (0.06, 0.2),
               "long": (0.01, 0.3),
               "act_overlap_long": (0.02, 0.5), "act_overlap": (0.1, 0.15), "act_gap7": (0.5, 0.08),
               "act_gap30": (0.25, 0.1), "act_gap120": (0.1, 0.12), "act_long": (0.03, 0.1)},
    # both windows from the accounts' own posts (exact): its own signal, its own u
    "activity": {"post_overlap_long": (0.0001, 0.5), "post_overlap": (0.02, 0.15),
                 "post_gap7": (0.45, 0.08), "post_gap30": (0.3, 0.1), "post_gap120": (0.2, 0.12),
                 "post_long": (0.05, 0.1)},
    "announcement": {"claim": (0.1, 0.00001), "names_predecessor": (0.15, 0.001), "returns": (0.43, 0.1),
                     "series_next": (0.02, 0.001), "none": (0.3, 0.9)},
    "first_post": {"same": (0.1, 0.002), "different": (0.9, 0.998)},
    "group": {"same": (0.9, 0.3), "different": (0.05, 0.5)},
    "channels": {"admin": (0.2, 0.001), "posts": (0.3, 0.05)},
    "platform": {"same": (0.8, 0.2), "cross": (0.2, 0.8)},
    "decoy": {"one_side": (0.01, 0.1), "none": (0.99, 0.9)},
}


# an account known only from others' @mentions (no posts, no profile) takes part in mirror links
# far less often than one that posts: most mentioned handles are outlets, targets and friends
MENTION_WEIGHT = 0.05


def is_mention_only(acc) -> bool:
    return not (acc.posted or acc.display_name or acc.bio or acc.created_at or acc.removed_at or acc.identifiers
                or acc.status or acc.groups or acc.admin_channels or acc.post_channels)


def account_weight(acc, mention_weight: float = MENTION_WEIGHT) -> float:
    """1.0 for an account with a profile or posts of its own, ``mention_weight`` for a handle known
    only from mentions (see ``prior_log_odds``)."""
    return mention_weight if is_mention_only(acc) else 1.0


def estimate_mention_weight(fs: "Model", accounts, compared, rounds: int = 5) -> None:
    """EM on the prior: how often a handle known only from mentions is one end of a mirror link,
    relative to an account with its own posts or profile, from the expected links (the sum of
    the posteriors of each successor's best pair) of this graph. Starts from MENTION_WEIGHT; kept
    between 0.01 and 1."""
    mentioned = sum(1 for a in accounts if is_mention_only(a))
    if not mentioned or mentioned == len(accounts):
        return
    scored = [(fs.score(levels, 0.0)[1], is_mention_only(p), is_mention_only(s), s.key) for p, s, levels in compared]
    for _ in range(rounds):
        best: dict = {}
        for z, pm, sm, key in scored:
            prior = prior_log_odds(fs.n_eff, weights=(fs.mention_weight if pm else 1.0, fs.mention_weight if sm else 1.0))
            post = 1 / (1 + math.exp(-max(min(z + prior, 50.0), -50.0)))
            if post > best.get(key, (0.0,))[0]:
                best[key] = (post, pm, sm)
        ends_m = sum(post * (pm + sm) for post, pm, sm in best.values())
        ends_p = sum(post * (2 - pm - sm) for post, pm, sm in best.values())
        if ends_p <= 0:
            return
        weight = (ends_m / mentioned) / (ends_p / (len(accounts) - mentioned))
        fs.mention_weight = min(max(weight, 0.01), 1.0)
        fs.n_eff = (len(accounts) - mentioned) + fs.mention_weight * mentioned


class Model:
    def __init__(self, m: dict, u: dict, log_prior: float, freq: Frequencies, learnt: int = 0,
                 sampled: int = 0, n_eff: float | None = None):
        self.m, self.u, self.log_prior, self.freq = m, u, log_prior, freq
        self.learnt, self.sampled = learnt, sampled
        self.n_eff = n_eff  # accounts weighted by account_weight (None: every account counts 1)
        self.mention_weight = MENTION_WEIGHT

    def pair_prior(self, pred, succ) -> float:
        """ln odds that this pair is a mirror before any evidence (see ``prior_log_odds``)."""
        if self.n_eff is None:
            return self.log_prior
        return prior_log_odds(self.n_eff, weights=(account_weight(pred, self.mention_weight),
                                                    account_weight(succ, self.mention_weight)))

    @classmethod
    def default(cls, freq: Frequencies, n_accounts: int | None = None) -> "Model":
        n = n_accounts if n_accounts is not None else max(freq.fields.get("account", 2), 2)
        m = {s: {lv: mu[0] for lv, mu in levels.items()} for s, levels in PRIORS.items()}
        u = {s: {lv: mu[1] for lv, mu in levels.items()} for s, levels in PRIORS.items()}
        return cls(m, u, prior_log_odds(n), freq)

    def weight(self, level: comparisons.Level) -> float:
        if level.signal == "announcement" and level.level == "returns":
            # evidence that the successor HAS a predecessor, not which one: a prior per successor
            return math.log(RETURN_RATE / MIRROR_RATE)
        m = self.m[level.signal][level.level]
        u = self.u[level.signal][level.level]
        if level.tf is not None:
            tf = self.freq.tf_u(*level.tf, base_u=u)
            # exact agreement on a value: its own frequency; a near agreement on a common stem
            # or name: at least as common as that stem
            u = tf if level.exact else max(u, tf)
        return math.log(m / max(u, U_FLOOR))

    def score(self, levels: list, prior: float | None = None) -> tuple[float, float, list[Signal]]:
        weighted = [(lv, self.weight(lv)) for lv in levels]
        identity = sorted((w for lv, w in weighted if lv.group == "identity" and w > 0), reverse=True)
        factor = {}
        for i, w in enumerate(identity):
            factor.setdefault(w, IDENTITY_DISCOUNT ** i)
        signals, total = [], 0.0
        for lv, w in weighted:
            eff = w * factor.get(w, 1.0) if lv.group == "identity" and w > 0 else w
            if lv.echo and eff > 0:
                eff *= ECHO_DISCOUNT
            total += eff
            signals.append(Signal(lv.signal, eff, lv.text, lv.value))
        z = (self.log_prior if prior is None else prior) + total
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), z, signals


def prior_log_odds(n_accounts: float, rate: float = MIRROR_RATE, weights=(1.0, 1.0)) -> float:
    """ln odds that a pair is a mirror: rate * n links among n (n - 1) / 2 pairs, n the accounts
    weighted by ``account_weight``; a pair's share grows with the product of its two weights."""
    n = max(n_accounts, 2.0)
    p = min(2 * rate * weights[0] * weights[1] / (n - 1), 0.5)
    return math.log(p / (1 - p))


def _sample_levels(accounts, signal, freq, rng, samples) -> Counter:
    present = comparisons.PRESENT[signal]
    members = [a for a in accounts if present(a)]
    counts: Counter = Counter()
    if len(members) < 2:
        return counts
    fn = comparisons.SINGLE[signal]
    if len(members) * (len(members) - 1) // 2 <= samples:  # a small graph: every pair once
        pairs = itertools.combinations(members, 2)
    else:
        pairs = (rng.sample(members, 2) for _ in range(samples))
    for a, b in pairs:
        pred, succ = orient(a, b)
        level = fn(pred, succ, freq)
        if level is not None:
            counts[level.level] += 1
    return counts


# agreement levels that blocking finds (nearly) all pairs of: their u is counted over the compared
# pairs (divided by all pairs) when random sampling sees them too rarely to tell
BLOCKED_LEVELS = {("handle", "series_next"), ("handle", "same_base"), ("handle", "high"), ("handle", "medium"),
                  ("display_name", "same"), ("display_name", "series_next"), ("display_name", "high"),
                  ("display_name", "medium"), ("display_name", "other_number"),
                  ("bio", "same"), ("bio", "high"), ("announcement", "claim")}
# an account that announces its own return has a predecessor (in the graph) this often: its
# announcement raises the prior of each of its pairs from MIRROR_RATE to this (see Model.weight)
RETURN_RATE = 0.7
RARE = 10


def fit(accounts: list, freq: Frequencies, confirmed=(), rejected=(), samples: int = SAMPLES,
        seed: int = 0, blocked: Counter | None = None) -> Model:
    """u from random pairs of ``accounts`` (plus ``rejected`` pairs; for rare agreement levels, the
    ``blocked`` counts of (signal, level) over the compared pairs), m from the priors and the
    ``confirmed`` pairs (lists of (successor, predecessor) AccountViews)."""
    blocked = blocked or Counter()
    rng = random.Random(seed)
    m_counts: dict = defaultdict(Counter)
    u_extra: dict = defaultdict(Counter)
    for pairs, into in ((confirmed, m_counts), (rejected, u_extra)):
        for succ, pred in pairs:
            for lv in comparisons.compare(pred, succ, freq):
                into[lv.signal][lv.level] += 1
    m, u = {}, {}
    for signal, levels in PRIORS.items():
        sampled = _sample_levels(accounts, signal, freq, rng, samples)
        sampled.update(u_extra[signal])
        n_u = sum(sampled.values())
        n_m = sum(m_counts[signal].values())
        u[signal] = {lv: (sampled[lv] + K_U * prior[1]) / (n_u + K_U) for lv, prior in levels.items()}
        n_field = freq.fields.get(signal, len(accounts))
        all_pairs = max(n_field * (n_field - 1) / 2, 1.0)
        for lv in levels:
            if (signal, lv) in BLOCKED_LEVELS and sampled[lv] < RARE and all_pairs > n_u:
                u[signal][lv] = max(blocked[(signal, lv)], 1) / all_pairs
        m[signal] = {lv: (m_counts[signal][lv] + K_M * prior[0]) / (n_m + K_M) for lv, prior in levels.items()}
    n_eff = sum(account_weight(a) for a in accounts)
    return Model(m, u, prior_log_odds(n_eff), freq, learnt=len(confirmed) + len(rejected),
                 sampled=samples, n_eff=n_eff)
