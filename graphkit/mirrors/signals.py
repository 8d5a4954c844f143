"""Scoring one pair of accounts as (successor, predecessor): signals, weights, evidence.

How the score is built (and what "calibrated" means here)
---------------------------------------------------------
Each signal adds a weight in log-odds units to a prior; the score is ``sigmoid(SCALE * z + SHIFT)``.
The weights were set by reasoning about how takedown evasion looks, before seeing any labelled data:

* identity copied to stay recognisable: a near-identical handle after look-alike folding (up to
  +3.0), the same display name (up to +2.5, halved for a common name), the same bio (up to +2.5),
  the same avatar hash (+3.0), the same link or invite (+2.5), a shared phone/e-mail/device (+4.0);
  display names present on both sides but unlike (-1.0), or carrying different numbers;
  identifiers or names many accounts share (hubs: a group logo, a generic bio) count for little;
* timing: the successor appears soon after the predecessor's removal (+2.5 within 3 days, +2.0
  within 14, +1.2 within 60, +0.4 within a year); it was created while the predecessor was live
  (-3.0 for an overlap of a day, growing to -8.0 for two weeks or more: accounts that lived side by
  side are a network's parallel accounts, not a re-appearance after a takedown); it existed before
  the predecessor did (-8.0: the later account cannot be the older one's mirror);
* context: same group (+0.7), different known groups (-2.0), shared administered channels (+1.5)
  or posting channels (+0.6), another platform (-0.7: cross-platform successors happen, less often);
* decoys: monitoring, news, research or parody wording on one side only (-3.0).

The prior (PRIOR = -6.0) means that no single strong signal is enough. SCALE and SHIFT are a
Platt calibration fitted on generator variant "a" only (``python bench/mirrors_bench.py
--calibrate``: seed 0, 10,000 accounts, the pairs the detector keeps) and then frozen, so a score
reads as "the share of such candidates that were real mirrors on variant a": 0.7 needs the weights to
sum to about 8.2 (e.g. handle + name + avatar, or handle + bio + timing + link), 0.9 about 8.9. The held-out variant "b" checks them. DEFAULT_MIN_SCORE = 0.7 gave precision 0.99 and recall
0.99 on variant "a" (the goal was precision >= 0.9 at the default); see bench/mirrors_bench.py.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rapidfuzz import fuzz

from graphkit.mirrors import lookalike
from graphkit.ingest import values as normalize

PRIOR = -6.0
SCALE = 1.985
SHIFT = -3.555
DEFAULT_MIN_SCORE = 0.7
# a handle stem (after folding and stripping counters/affixes) this many accounts share is still
# specific: a chain of returns across platforms; beyond it, the stem is a common word
HANDLE_FREE = 6

# identifier kinds specific enough to tie two accounts to one operator
STRONG_KINDS = ("phone", "email", "device", "wallet")
LINK_KINDS = ("url", "invite")
AVATAR_KIND = "image_hash"
IDENTIFIER_KINDS = STRONG_KINDS + LINK_KINDS + (AVATAR_KIND,)

ENDED_STATUSES = ("removed", "suspended")
_EMPTY = frozenset()

# wording of accounts that watch, report on or mock a group rather than speak for it
DECOY_WORDS = (
    "monitor", "monitoring", "tracker", "tracking", "watch", "watcher", "parody", "satire", "fan",
    "fanpage", "research", "researcher", "analyst", "journalist", "observer", "exposed", "exposing",
    "counter", "cve", "archive", "archiving", "osint", "unofficial", "notaffiliated",
    # Urdu / Arabic: parody, monitoring
    "پیروڈی", "رصد", "مانیٹرنگ",
)
# "news", "updates", "breaking" are left out on purpose: groups' own media outlets use them.
_DECOY_FOLDED = {lookalike.fold(w): w for w in DECOY_WORDS}
_GLUED_DECOYS = ("monitor", "watch", "parody", "tracker", "research", "analyst", "journalist",
                 "observer", "exposed", "archive", "osint", "satire")
_DECOY_PHRASES = ("not affiliated", "no affiliation", "not endorse", "do not support", "against terror",
                  "counter terror", "counter-terror", "for research", "news about", "parody account")


def parse_time(value) -> datetime | None:
    """An ISO string (as graphkit.db returns temporals) or datetime as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip().replace("Z", "+00:00")
        text = re.sub(r"(\.\d{6})\d+", r"\1", text)  # nanoseconds -> microseconds
        text = re.sub(r"\[.*\]$", "", text)  # a zone id suffix
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


@dataclass
class AccountView:
    """What the detector knows about one account (one row of the candidate query)."""

    key: str
    platform: str
    handle: str
    display_name: str | None = None
    bio: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    removed_at: datetime | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    groups: frozenset = frozenset()
    identifiers: dict = field(default_factory=dict)   # kind -> set of values
    admin_channels: frozenset = frozenset()
    post_channels: frozenset = frozenset()
    # derived (filled by ``prepare``)
    forms: lookalike.HandleForms | None = None
    name_sk: str = ""
    bio_sk: str = ""
    bio_tokens: tuple = ()
    bio_links: frozenset = frozenset()
    decoy: tuple = ()
    link_set: frozenset = frozenset()
    name_key: str = ""
    name_numbers: frozenset = frozenset()
    base_factors: tuple = ()   # per handle base: weight factor for how common it is (see detect)
    start: datetime | None = None
    end: datetime | None = None

    @property
    def label(self) -> str:
        return f"{self.platform}:{self.handle}"

    def links(self) -> frozenset:
        """Links and invites from the bio and from url/invite identifiers (computed by ``prepare``)."""
        return self.link_set


def link_key(kind: str, value: str) -> str:
    """One comparable form for a link from a bio or a url/invite identifier: invites as
    ``invite:platform:code`` (codes keep case), other links lower-case without scheme or www."""
    if kind == "invite":
        return "invite:" + value
    try:
        code = normalize.invite(value)
    except ValueError:
        code = None
    if code:
        return "invite:" + code
    found = lookalike.urls_in(value if "://" in value or value.startswith("www.") else "https://" + value)
    return "url:" + (found[0] if found else value).lower()


def prepare(acc: AccountView) -> AccountView:
    """Fill the derived fields of ``acc`` (folded forms, tokens, links, decoy wording)."""
    acc.forms = lookalike.handle_forms(acc.handle)
    acc.name_sk = lookalike.name_skeleton(acc.display_name)
    acc.name_key = "name:" + "".join(ch for ch in acc.name_sk if not ch.isdigit()).strip()
    acc.name_numbers = frozenset(re.findall(r"\d+", acc.name_sk))
    tokens = lookalike.text_tokens(acc.bio, leet=True)
    acc.bio_tokens = tuple(tokens)
    acc.bio_sk = " ".join(tokens)
    acc.bio_links = frozenset(link_key("url", u) for u in lookalike.urls_in(acc.bio))
    acc.decoy = _decoy_words(acc)
    links = set(acc.bio_links)
    for kind in LINK_KINDS:
        links |= {link_key(kind, v) for v in acc.identifiers.get(kind, ())}
    acc.link_set = frozenset(links)
    # start: creation, else first sighting; end: removal, else for a removed/suspended account
    # its last sighting
    acc.start = acc.created_at or acc.first_seen
    acc.end = acc.removed_at or (acc.last_seen if (acc.status or "").lower() in ENDED_STATUSES else None)
    return acc


def _decoy_words(acc: AccountView) -> tuple:
    words = set(lookalike.handle_tokens(acc.handle))
    words |= set(lookalike.text_tokens(acc.display_name))
    words |= set(lookalike.text_tokens(acc.bio))
    found = {_DECOY_FOLDED[f] for f in (lookalike.fold(w) for w in words) if f in _DECOY_FOLDED}
    # decoy words glued into a handle (ttpwatch, baloch_monitor), also in leetspeak
    skeleton = acc.forms.full if acc.forms else lookalike.fold(acc.handle)
    found |= {w for w in _GLUED_DECOYS if lookalike.fold(w) in skeleton}
    found = sorted(found)
    text = lookalike.basic(f"{acc.display_name or ''} {acc.bio or ''}")
    found += [p for p in _DECOY_PHRASES if p in text]
    return tuple(found)


class Signal:
    """One piece of evidence: its name, its weight (log-odds) and a readable sentence (built only
    when asked for: most scored pairs are never shown)."""

    __slots__ = ("name", "weight", "_text", "value")

    def __init__(self, name: str, weight: float, text, value: object = None):
        self.name, self.weight, self._text, self.value = name, weight, text, value

    @property
    def text(self) -> str:
        return self._text() if callable(self._text) else self._text

    def __repr__(self) -> str:
        return f"Signal({self.name!r}, {self.weight:.2f}, {self.text!r})"

    def as_dict(self) -> dict:
        value = round(self.value, 3) if isinstance(self.value, float) else self.value
        return {"signal": self.name, "weight": round(self.weight, 2), "value": value, "text": self.text}


@dataclass
class PairScore:
    successor: AccountView
    predecessor: AccountView
    score: float
    signals: list[Signal]
    z: float = 0.0  # the uncalibrated log-odds (PRIOR + weights)

    @property
    def evidence(self) -> str:
        shown = sorted(self.signals, key=lambda s: -abs(s.weight))
        return "; ".join(s.text for s in shown if s.weight != 0)


class Frequencies:
    """How many accounts share a value (identifier, name, bio, channel): the rarer, the stronger."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def add(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def get(self, key: str) -> int:
        return self.counts.get(key, 1)

    def rarity(self, key: str, free: int = 2, zero_at: int = 50) -> float:
        """1.0 for a value at most ``free`` accounts share, falling (log scale) to 0 at ``zero_at``."""
        n = self.get(key)
        return 1.0 if n <= free else max(0.0, 1.0 - math.log(n / free) / math.log(zero_at / free))


def _ramp(x: float, lo: float, hi: float) -> float:
    return 0.0 if x <= lo else 1.0 if x >= hi else (x - lo) / (hi - lo)


def handle_similarity(a: AccountView, b: AccountView, freq: "Frequencies | None" = None
                      ) -> tuple[float, float, str]:
    """How strongly the handles tie ``a`` to ``b``: (similarity, weight factor, ``a``'s base).

    Every base of ``a`` is compared with every base of ``b``; a base many accounts share (a
    common-word stem like ``topstories`` once the counter is gone) counts for less, so the pair of
    bases giving the strongest evidence wins (``safar720`` ~ ``safar7202`` beats ``safar`` ==
    ``safar``).
    """
    best = (0.0, 0.0, 1.0, a.forms.full)  # (evidence, similarity, factor, base)
    factors = a.base_factors if len(a.base_factors) == len(a.forms.bases) else None
    for i, x in enumerate(a.forms.bases):
        if factors is not None:
            factor = factors[i]
        else:
            factor = base_factor(freq, x) if freq is not None else 1.0
        for y in b.forms.bases:
            r = 1.0 if x == y else fuzz.ratio(x, y) / 100.0
            evidence = _ramp(r, 0.6, 0.95) * factor
            if evidence > best[0] or (evidence == best[0] and r > best[1]):
                best = (evidence, r, factor, x)
    return best[1], best[2], best[3]


def name_key(acc: AccountView) -> str:
    """The display name without digits: how common a name is ("Top Stories19" ~ "Top Stories")."""
    return acc.name_key


def base_factor(freq: "Frequencies", base: str) -> float:
    """1.0 for a handle base at most HANDLE_FREE accounts share, down to 0.3 for a common stem."""
    n = freq.counts.get("hbase:" + base, 1)
    if n <= HANDLE_FREE:
        return 1.0
    return max(0.3, freq.rarity("hbase:" + base, free=HANDLE_FREE, zero_at=5 * HANDLE_FREE))


def name_similarity(a: AccountView, b: AccountView) -> float | None:
    if not a.name_sk or not b.name_sk:
        return None
    return max(fuzz.ratio(a.name_sk, b.name_sk), fuzz.token_sort_ratio(a.name_sk, b.name_sk)) / 100.0


def bio_similarity(a: AccountView, b: AccountView) -> float | None:
    if len(a.bio_tokens) < 3 or len(b.bio_tokens) < 3:
        return None
    return max(fuzz.ratio(a.bio_sk, b.bio_sk), 0.9 * fuzz.token_set_ratio(a.bio_sk, b.bio_sk)) / 100.0


def orient(a: AccountView, b: AccountView) -> tuple[AccountView, AccountView]:
    """(predecessor, successor): the removed (earlier removed) account is the predecessor; when
    neither was removed, the one that appeared first."""
    ea, eb = a.end, b.end
    if ea and eb:
        return (a, b) if (ea, a.key) <= (eb, b.key) else (b, a)
    if ea and not eb:
        return a, b
    if eb and not ea:
        return b, a
    sa, sb = a.start, b.start
    if sa and sb:
        return (a, b) if (sa, a.key) <= (sb, b.key) else (b, a)
    return (a, b) if a.key <= b.key else (b, a)


def _days(delta) -> float:
    return delta.total_seconds() / 86400.0


def _fmt_days(days: float) -> str:
    if abs(days) < 1:
        return f"{abs(days) * 24:.0f} hours"
    return f"{abs(days):.0f} day{'s' if round(abs(days)) != 1 else ''}"


def timing_signal(pred: AccountView, succ: AccountView) -> Signal | None:
    s_start, p_start, p_end = succ.start, pred.start, pred.end
    what = "created" if succ.created_at else "first seen"
    if s_start and p_start and _days(p_start - s_start) > 1:
        return Signal("timing", -8.0, lambda: f"{succ.label} {what} {_fmt_days(_days(p_start - s_start))} "
                      f"BEFORE {pred.label} existed", "before_predecessor")
    if s_start and p_end:
        gap = _days(s_start - p_end)
        if gap >= -1:
            for limit, weight in ((3, 2.5), (14, 2.0), (60, 1.2), (365, 0.4)):
                if gap <= limit:
                    return Signal("timing", weight, lambda: f"{what} {_fmt_days(gap)} after {pred.label} was removed",
                                  round(gap, 1))
            return Signal("timing", 0.0, f"{what} {_fmt_days(gap)} after removal (long gap)", round(gap, 1))
        overlap = -gap
        # both lived side by side: a parallel account of the same network, not a re-appearance;
        # the longer the overlap, the surer (-3.0 for a day or two, -8.0 from a month on)
        weight = -3.0 - 5.0 * min(overlap, 14.0) / 14.0
        return Signal("timing", weight, lambda: f"{what} {_fmt_days(overlap)} before {pred.label} was removed",
                      round(gap, 1))
    if s_start and p_start and pred.last_seen and not p_end:
        # neither removed: sequential activity (one goes quiet, the other starts) hints at a mirror
        gap = _days(s_start - pred.last_seen)
        if gap >= -1:
            weight = 1.0 if gap <= 30 else 0.3
            return Signal("timing", weight, lambda: f"{what} {_fmt_days(gap)} after {pred.label} was last seen",
                          round(gap, 1))
        return Signal("timing", -0.5, lambda: f"active at the same time as {pred.label}", round(gap, 1))
    return None


def score_pair(a: AccountView, b: AccountView, freq: Frequencies) -> PairScore:
    """Score the pair (a, b) in its natural direction (see ``orient``)."""
    pred, succ = orient(a, b)
    signals: list[Signal] = []

    hs, factor, base = handle_similarity(pred, succ, freq)
    w = 3.0 * _ramp(hs, 0.6, 0.95) * factor
    generic = factor < 1.0  # a handle stem many accounts share (daily_news, top_stories): weak
    signals.append(Signal("handle", w, lambda: f"handle {succ.handle} ~ {pred.handle} ({hs:.2f} after folding"
                          + (f"; stem shared by {freq.get('hbase:' + base)} accounts)" if generic else ")"),
                          hs))

    ns = name_similarity(pred, succ)
    if ns is not None:
        numbers = pred.name_numbers, succ.name_numbers
        clash = bool(numbers[0] and numbers[1] and not (numbers[0] & numbers[1]))
        if clash:  # "Awaz Live 238" vs "Awaz Live 692": two numbered brands, not one renamed
            ns = min(ns, 0.7)
        if ns < 0.5:  # mirrors usually keep their display name
            w = -1.0
        else:
            w = 2.5 * _ramp(ns, 0.6, 0.95)
        common = ns >= 0.85 and freq.get(pred.name_key) > 5
        if common:
            w *= 0.5
        signals.append(Signal("display_name", w, lambda: f"display name {'(common) ' if common else ''}"
                              f"{succ.display_name!r} ~ {pred.display_name!r} ({ns:.2f}"
                              f"{', different numbers' if clash else ''})", ns))

    bs = bio_similarity(pred, succ)
    if bs is not None:
        w = 2.5 * _ramp(bs, 0.5, 0.95) * (freq.rarity("bio:" + pred.bio_sk) if bs >= 0.95 else 1.0)
        signals.append(Signal("bio", w, lambda: f"bio similarity {bs:.2f}", bs))

    # identifiers: avatar, links and invites, phones / e-mails / devices
    avatars = pred.identifiers.get(AVATAR_KIND, _EMPTY) & succ.identifiers.get(AVATAR_KIND, _EMPTY)
    if avatars:
        value = min(avatars)
        w = 3.0 * freq.rarity(f"{AVATAR_KIND}:{value}")
        signals.append(Signal("avatar", w, f"same avatar hash {value[:8]}"
                              + (f" (shared by {freq.get(AVATAR_KIND + ':' + value)} accounts)" if w < 3 else ""),
                              value))
    links = pred.links() & succ.links()
    if links:
        best = max(links, key=freq.rarity)
        w = 2.5 * freq.rarity(best)
        signals.append(Signal("link", w, f"same link {best.split(':', 1)[1]}", sorted(links)))
    for kind in STRONG_KINDS:
        shared = pred.identifiers.get(kind, _EMPTY) & succ.identifiers.get(kind, _EMPTY)
        if shared:
            value = min(shared, key=lambda v: freq.get(f"{kind}:{v}"))
            w = 4.0 * freq.rarity(f"{kind}:{value}")
            signals.append(Signal(kind, w, f"same {kind} {value}", sorted(shared)))

    timing = timing_signal(pred, succ)
    if timing:
        signals.append(timing)

    if pred.groups and succ.groups:
        same = pred.groups & succ.groups
        if same:
            signals.append(Signal("group", 0.7, f"same group {', '.join(sorted(same))}", sorted(same)))
        else:
            signals.append(Signal("group", -2.0, f"different groups {', '.join(sorted(pred.groups))} / "
                                  f"{', '.join(sorted(succ.groups))}", None))

    admin = pred.admin_channels & succ.admin_channels
    posts = (pred.post_channels | pred.admin_channels) & (succ.post_channels | succ.admin_channels)
    if admin:
        best = max(admin, key=lambda c: freq.rarity("chan:" + c))
        signals.append(Signal("channels", 1.5 * freq.rarity("chan:" + best), f"both administer {best}",
                              sorted(admin)))
    elif posts:
        best = max(posts, key=lambda c: freq.rarity("chan:" + c))
        w = 0.6 * freq.rarity("chan:" + best) * (1.5 if len(posts) >= 2 else 1.0)
        signals.append(Signal("channels", w, f"both post in {best}"
                              + (f" (+{len(posts) - 1} more)" if len(posts) > 1 else ""), sorted(posts)))

    if pred.platform != succ.platform:
        signals.append(Signal("platform", -0.7, f"cross-platform ({pred.platform} -> {succ.platform})", None))

    if bool(pred.decoy) != bool(succ.decoy):
        words = pred.decoy or succ.decoy
        who = pred if pred.decoy else succ
        signals.append(Signal("decoy", -3.0, f"{who.label} reads like a monitoring/news/parody account "
                              f"({', '.join(words[:3])})", list(words)))

    z = PRIOR + sum(s.weight for s in signals)
    score = 1.0 / (1.0 + math.exp(-(SCALE * z + SHIFT)))
    return PairScore(successor=succ, predecessor=pred, score=score, signals=signals, z=z)
