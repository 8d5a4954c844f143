"""What the detector knows about an account (``AccountView``), the similarity helpers, and one
pair's score with its evidence (``score_pair``).

The score is a Fellegi-Sunter posterior (``graphkit.mirrors.model``): each signal of a pair is put
at one comparison level (``graphkit.mirrors.comparisons``), each level weighs ln(m/u), and the
score is the posterior probability that the pair is a mirror given a prior from the expected
number of mirrors. See docs/mirrors.md.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rapidfuzz import fuzz

from graphkit.mirrors import lookalike, series
from graphkit.ingest import values as normalize
from graphkit.model.spec import model

DEFAULT_MIN_SCORE = 0.5
# a value (name, bio, handle stem) at most this many accounts share is specific: a chain of returns
TF_FREE = 5
# a handle stem (after folding and stripping counters/affixes) this many accounts share is still
# specific: a chain of returns across platforms; beyond it, the stem is a common word
HANDLE_FREE = 6

# identifier kinds specific enough to tie two accounts to one operator
STRONG_KINDS = ("phone", "email", "device", "wallet")
LINK_KINDS = ("url", "invite")
AVATAR_KIND = "image_hash"
IDENTIFIER_KINDS = STRONG_KINDS + LINK_KINDS + (AVATAR_KIND,)

ENDED_STATUSES = tuple(model().gone)  # graphkit/model/model.yaml
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
    # activity seen in the posts: its own (first/last post) and others' mentions of it
    first_post: datetime | None = None
    last_post: datetime | None = None
    mention_first: datetime | None = None
    mention_last: datetime | None = None
    posted: bool = False
    announced: tuple | None = None     # (time, text) of its first post announcing a return
    opening: str = ""                  # skeleton of its first posts (and return announcement)
    first_post_text: str = ""          # skeleton of its very first post (links and numbers left out)
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
    act_start: datetime | None = None  # first activity (created, first post, first mention)
    act_end: datetime | None = None    # last activity (last post, last mention, last seen)
    hseries: tuple | None = None       # (stem, counter) of the handle
    nseries: tuple | None = None       # (stem, number) of the display name

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
    firsts = [t for t in (acc.created_at, acc.first_post, acc.first_seen) if t]
    lasts = [t for t in (acc.removed_at, acc.last_post, acc.last_seen) if t]
    if not firsts and acc.mention_first:  # known only from others' mentions
        firsts, lasts = [acc.mention_first], [acc.mention_last or acc.mention_first]
    acc.act_start = min(firsts) if firsts else None
    acc.act_end = max(lasts) if lasts else None
    acc.hseries = series.handle_series(acc.handle)
    acc.nseries = series.name_series(acc.name_sk)
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
        return "; ".join(f"{s.text} [{s.weight:+.1f}]" for s in shown if abs(s.weight) >= 0.05 and s.text)


class Frequencies:
    """How many accounts share a value (identifier, name, bio, channel): the rarer, the stronger."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.fields: dict[str, int] = {}    # how many accounts have a field (name, bio, handle ...)
        self.claims: dict = {}              # (successor key, predecessor key) -> announce.Claim

    def tf_u(self, key: str, field: str, base_u: float = 0.0) -> float:
        """The chance that an UNRELATED account shares this value with the pair's predecessor:
        the accounts with the value other than the pair, out of the accounts with the field, plus
        ``base_u`` (the level's average u: a rare value is rare, not impossible). A value at most
        TF_FREE accounts share is specific (a chain of returns shares its name and stem): base_u."""
        n = max(self.fields.get(field, 0), 2)
        count = self.get(key)
        return (count - 2 if count > TF_FREE else 0) / n + base_u

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
    sa, sb = a.start or a.act_start, b.start or b.act_start
    if sa and sb:
        return (a, b) if (sa, a.key) <= (sb, b.key) else (b, a)
    return (a, b) if a.key <= b.key else (b, a)


def _days(delta) -> float:
    return delta.total_seconds() / 86400.0


def fmt_days(days: float) -> str:
    if abs(days) < 1:
        return f"{abs(days) * 24:.0f} hours"
    return f"{abs(days):.0f} day{'s' if round(abs(days)) != 1 else ''}"


def score_pair(a: AccountView, b: AccountView, freq: Frequencies, fs=None) -> PairScore:
    """Score the pair (a, b) in its natural direction (see ``orient``) with the Fellegi-Sunter
    model ``fs`` (``graphkit.mirrors.model.Model``; the documented priors when None)."""
    from graphkit.mirrors import comparisons, model
    pred, succ = orient(a, b)
    fs = fs or model.Model.default(freq)
    levels = comparisons.compare(pred, succ, freq)
    score, z, signals = fs.score(levels, fs.pair_prior(pred, succ))
    return PairScore(successor=succ, predecessor=pred, score=score, signals=signals, z=z)
