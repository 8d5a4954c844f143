"""The comparison levels of a pair (predecessor, successor), one per signal.

Each ``compare_*`` function returns a ``Level`` (signal, level name, a term-frequency key when the
level is an exact agreement on a value, the sentence shown as evidence) or None when a value is
missing on either side: a missing value is no evidence (the model adds nothing for it).
``PRESENT`` says which accounts can take part in a signal, so that u (how often unrelated
accounts agree) is estimated from pairs where both have the value.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from graphkit.mirrors import announce, lookalike, series
from graphkit.mirrors.signals import (
    AVATAR_KIND,
    STRONG_KINDS,
    AccountView,
    Frequencies,
    _days,
    bio_similarity,
    fmt_days,
    name_similarity,
)

_EMPTY = frozenset()


@dataclass
class Level:
    signal: str
    level: str
    tf: tuple | None     # (frequency key, field) for exact agreement on a value
    text: object         # str or a callable building it
    value: object = None
    group: str = "other"  # "identity" signals copy one profile: see model.Model.score
    exact: bool = True    # with a tf key: exact agreement on the value (else a near one)
    echo: bool = False    # repeats another level's evidence (a handle spelling the shared name)


def _best_bases(pred: AccountView, succ: AccountView) -> tuple[float, str]:
    best, base = 0.0, pred.forms.full
    for x in pred.forms.bases:
        for y in succ.forms.bases:
            r = 1.0 if x == y else fuzz.ratio(x, y) / 100.0
            if r > best or (r == best and len(x) > len(base)):
                best, base = r, x
    return best, base


def shared_stem(pred: AccountView, succ: AccountView, freq: Frequencies) -> str:
    """The commonest handle base (3+ characters) of either account (``Abu_ZaidN`` / ``AbuZaid_45``
    -> ``abuzaid``; ``breakin_updates`` / ``breaking_updates`` -> ``breakingupdates``): how common
    the stem the two handles spell is."""
    best, count = lookalike.core_base(pred.forms), 0
    for a in (pred, succ):
        for base in a.forms.bases:
            if len(base) >= 3:
                n = freq.get("hbase:" + base)
                if n > count:
                    best, count = base, n
    return best


def _handle_spells_name(pred: AccountView, succ: AccountView) -> Level | None:
    """A new handle that spells the other account's display name (``Mosul_05`` 'Emran Getu' ->
    ``emran_getu``; '٩ Flames of Haqq' -> ``thefIamesofhaqq``) ties them like a look-alike handle."""
    for a, b in ((pred, succ), (succ, pred)):
        name = "".join(c for c in a.name_sk.replace(" ", "") if not c.isdigit())
        if len(name) < 6:
            continue
        for base in b.forms.bases:
            r = 1.0 if base == name else fuzz.ratio(base, name) / 100.0
            if r >= 0.85:
                return Level("handle", "same_base" if r >= 1.0 else "high", (a.name_key, "display_name"),
                             f"handle {b.handle} spells the display name {a.display_name!r} ({r:.2f})", r,
                             "identity", exact=False)
    return None


def compare_handle(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    if not pred.forms.full or not succ.forms.full:
        return None
    # how common the handle's stem is (without counters and affixes): agreeing on a stem many
    # accounts share ("dailynews", "abuzaid") is weak evidence however close the handles are
    stem_tf = ("hbase:" + shared_stem(pred, succ, freq), "handle")
    step = series.step(pred.hseries, succ.hseries)
    if step == "next":
        stem = pred.hseries[0]
        return Level("handle", "series_next", stem_tf,
                     f"handle {succ.handle} continues the numbered series of {pred.handle} "
                     f"({pred.hseries[1]} -> {succ.hseries[1]})", stem, "identity", exact=False)
    r, base = _best_bases(pred, succ)
    if r < 0.8:
        spelt = _handle_spells_name(pred, succ)
        if spelt is not None:
            return spelt
    if r >= 1.0:
        return Level("handle", "same_base", stem_tf,
                     lambda: f"handle {succ.handle} ~ {pred.handle} (same after folding: {base}; stem shared by "
                     f"{freq.get(stem_tf[0])})", r, "identity", exact=False)
    level = "high" if r >= 0.9 else "medium" if r >= 0.8 else "low" if r >= 0.65 else "none"
    tf = stem_tf if level in ("high", "medium") else None
    return Level("handle", level, tf, lambda: f"handle {succ.handle} ~ {pred.handle} ({r:.2f} after folding)",
                 r, "identity", exact=False)


def compare_name(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    ns = name_similarity(pred, succ)
    if ns is None:
        return None
    shown = f"{succ.display_name!r} ~ {pred.display_name!r}"
    if pred.name_sk == succ.name_sk:
        return Level("display_name", "same", (pred.name_key, "display_name"),
                     lambda: f"same display name {pred.display_name!r} (shared by {freq.get(pred.name_key)})",
                     1.0, "identity")
    step = series.step(pred.nseries, succ.nseries)
    if step == "next":
        return Level("display_name", "series_next", (pred.name_key, "display_name"),
                     f"numbered display name {shown} ({pred.nseries[1]} -> {succ.nseries[1]})", ns, "identity")
    if step == "same_stem" or (pred.name_numbers and succ.name_numbers and not pred.name_numbers & succ.name_numbers
                               and pred.name_key == succ.name_key):
        return Level("display_name", "other_number", None, f"display name {shown}, different numbers", ns, "identity")
    level = ("high" if ns >= 0.9 else "medium" if ns >= 0.75 else "low" if ns >= 0.5 else "different")
    tf = (pred.name_key, "display_name") if level in ("high", "medium") else None
    return Level("display_name", level, tf, lambda: f"display name {shown} ({ns:.2f})", ns, "identity", exact=False)


def compare_bio(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    bs = bio_similarity(pred, succ)
    if bs is None:
        return None
    if pred.bio_sk == succ.bio_sk:
        return Level("bio", "same", ("bio:" + pred.bio_sk, "bio"),
                     lambda: f"same bio (shared by {freq.get('bio:' + pred.bio_sk)})", 1.0, "identity")
    level = "high" if bs >= 0.9 else "medium" if bs >= 0.7 else "low" if bs >= 0.4 else "different"
    return Level("bio", level, None, lambda: f"bio similarity {bs:.2f}", bs, "identity")


def compare_avatar(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    a, b = pred.identifiers.get(AVATAR_KIND, _EMPTY), succ.identifiers.get(AVATAR_KIND, _EMPTY)
    if not a or not b:
        return None
    shared = a & b
    if not shared:
        return Level("avatar", "different", None, "different avatars", None, "identity")
    value = min(shared, key=lambda v: freq.get(f"{AVATAR_KIND}:{v}"))
    n = freq.get(f"{AVATAR_KIND}:{value}")
    return Level("avatar", "same", (f"{AVATAR_KIND}:{value}", "avatar"),
                 f"same avatar hash {value[:8]}" + (f" (shared by {n} accounts)" if n > 2 else ""), value, "identity")


def compare_link(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    a, b = pred.links(), succ.links()
    if not a or not b:
        return None
    shared = a & b
    if not shared:
        return Level("link", "different", None, "different links", None, "identity")
    best = min(shared, key=freq.get)
    return Level("link", "same", (best, "link"), f"same link {best.split(':', 1)[1]}", sorted(shared), "identity")


def compare_strong(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    for kind in STRONG_KINDS:
        shared = pred.identifiers.get(kind, _EMPTY) & succ.identifiers.get(kind, _EMPTY)
        if shared:
            value = min(shared, key=lambda v: freq.get(f"{kind}:{v}"))
            return Level("identifier", "same", (f"{kind}:{value}", "identifier"), f"same {kind} {value}",
                         sorted(shared), "identity")
    return None


def compare_timing(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    """Removal-based when the predecessor's end is known, else activity-based (posts, mentions)."""
    s_start, p_start, p_end = succ.start, pred.start, pred.end
    what = "created" if succ.created_at else "first seen"
    if s_start and p_start and _days(p_start - s_start) > 1:
        d = _days(p_start - s_start)
        return Level("timing", "before", None, lambda: f"{succ.label} {what} {fmt_days(d)} BEFORE {pred.label} existed",
                     "before_predecessor")
    if s_start and p_end:
        gap = _days(s_start - p_end)
        if gap >= -1:
            level = "gap3" if gap <= 3 else "gap14" if gap <= 14 else "gap60" if gap <= 60 else \
                "gap365" if gap <= 365 else "long"
            return Level("timing", level, None, lambda: f"{what} {fmt_days(gap)} after {pred.label} was removed",
                         round(gap, 1))
        level = "overlap_long" if gap < -14 else "overlap"
        return Level("timing", level, None, lambda: f"{what} {fmt_days(-gap)} before {pred.label} was removed",
                     round(gap, 1))
    if s_start and p_start and not p_end and (pred.status or "").lower() == "active" and _days(s_start - p_start) > 14:
        # the older account is known to be live: two live accounts side by side are a network's
        # parallel accounts; a mirror replaces a removed one
        return Level("timing", "predecessor_live", None, f"{pred.label} is still live", None)
    return compare_activity(pred, succ)


def compare_activity(pred: AccountView, succ: AccountView) -> Level | None:
    first, last = succ.act_start, pred.act_end
    if not first or not last:
        return None
    gap = _days(first - last)
    # windows from both accounts' own posts are exact; a window from others' mentions of a
    # handle (retweets, replies) is approximate: their levels are told apart (own u and m)
    own = pred.last_post is not None and succ.first_post is not None
    kind = "post_" if own else "act_"
    signal = "activity" if own else "timing"
    if gap >= -1:
        level = kind + ("gap7" if gap <= 7 else "gap30" if gap <= 30 else "gap120" if gap <= 120 else "long")
        return Level(signal, level, None,
                     lambda: f"first active {fmt_days(gap)} after {pred.label} was last active", round(gap, 1))
    # both posted side by side: parallel accounts of one network, not a return
    level = kind + ("overlap_long" if gap < -14 else "overlap")
    return Level(signal, level, None,
                 lambda: f"active {fmt_days(-gap)} at the same time as {pred.label}", round(gap, 1))


def compare_announce(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    claim = freq.claims.get((succ.key, pred.key))
    if claim is not None:
        snippet = claim.text if len(claim.text) <= 90 else claim.text[:87] + "..."
        return Level("announcement", "claim", None, f"a post names {succ.label} as the account after "
                     f"{pred.label}: {snippet!r}", claim.text)
    if not succ.opening:
        return None
    name = pred.name_sk
    if name and len(name) >= 8 and f" {name} " in f" {succ.opening} ":
        return Level("announcement", "names_predecessor", (pred.name_key, "display_name"),
                     f"{succ.label}'s first posts name {pred.display_name!r}", name, exact=False)
    if succ.announced and pred.announced:
        a, b = announce.counter(pred.announced[1]), announce.counter(succ.announced[1])
        if a is not None and b is not None and 0 < b - a <= series.MAX_STEP:
            return Level("announcement", "series_next", None, f"{pred.label} announced itself as account number {a}, "
                         f"{succ.label} as number {b}", b)
    if succ.announced:
        text = succ.announced[1]
        snippet = text if len(text) <= 70 else text[:67] + "..."
        return Level("announcement", "returns", None, f"{succ.label} announces a return: {snippet!r}", text)
    return Level("announcement", "none", None, "", None)


def compare_opening(pred: AccountView, succ: AccountView, freq: Frequencies) -> Level | None:
    """The successor's first post repeats the predecessor's (the same "back from suspension"
    greeting, the same "our new account" wording): a stock greeting many share counts little."""
    if not pred.first_post_text or not succ.first_post_text:
        return None
    r = fuzz.token_sort_ratio(pred.first_post_text, succ.first_post_text) / 100.0
    if r >= 0.9:
        return Level("first_post", "same", ("post:" + pred.first_post_text, "first_post"),
                     lambda: f"first posts alike ({r:.2f}; wording shared by {freq.get('post:' + pred.first_post_text)})",
                     r, exact=False)
    return Level("first_post", "different", None, "", r)


def compare_context(pred: AccountView, succ: AccountView, freq: Frequencies) -> list[Level]:
    out = []
    if pred.groups and succ.groups:
        same = pred.groups & succ.groups
        out.append(Level("group", "same", None, f"same group {', '.join(sorted(same))}", sorted(same)) if same else
                   Level("group", "different", None, f"different groups {', '.join(sorted(pred.groups))} / "
                         f"{', '.join(sorted(succ.groups))}"))
    admin = pred.admin_channels & succ.admin_channels
    posts = (pred.post_channels | pred.admin_channels) & (succ.post_channels | succ.admin_channels)
    if admin:
        best = min(admin, key=lambda c: freq.get("chan:" + c))
        out.append(Level("channels", "admin", ("chan:" + best, "channels"), f"both administer {best}", sorted(admin),
                         "identity"))
    elif posts:
        best = min(posts, key=lambda c: freq.get("chan:" + c))
        out.append(Level("channels", "posts", None, f"both post in {best}"
                         + (f" (+{len(posts) - 1} more)" if len(posts) > 1 else ""), sorted(posts)))
    if pred.platform != succ.platform:
        out.append(Level("platform", "cross", None, f"cross-platform ({pred.platform} -> {succ.platform})"))
    else:
        out.append(Level("platform", "same", None, ""))
    if bool(pred.decoy) != bool(succ.decoy):
        words = pred.decoy or succ.decoy
        who = pred if pred.decoy else succ
        out.append(Level("decoy", "one_side", None, f"{who.label} reads like a monitoring/news/parody account "
                         f"({', '.join(words[:3])})", list(words)))
    else:
        out.append(Level("decoy", "none", None, ""))
    return out


PAIRWISE = (compare_handle, compare_name, compare_bio, compare_avatar, compare_link,
            compare_strong, compare_timing, compare_announce, compare_opening)


def compare(pred: AccountView, succ: AccountView, freq: Frequencies) -> list[Level]:
    """Every signal's level for (predecessor, successor); missing values leave a signal out."""
    out = [lv for fn in PAIRWISE if (lv := fn(pred, succ, freq)) is not None]
    _mark_echo(pred, succ, out)
    out.extend(compare_context(pred, succ, freq))
    return out


# handle levels that can merely spell a display name both accounts share
_ECHO_LEVELS = {"same_base", "high", "medium", "series_next"}


def _mark_echo(pred: AccountView, succ: AccountView, levels: list[Level]) -> None:
    """Handles that are the shared display name plus a number (``abd63449`` 'Abd' / ``abd29552``
    'Abd') agree because the names agree: one piece of evidence, not two. The handle level is
    then marked ``echo`` (the model counts it at ECHO_DISCOUNT)."""
    handle = next((lv for lv in levels if lv.signal == "handle"), None)
    name = next((lv for lv in levels if lv.signal == "display_name"), None)
    if handle is None or name is None or handle.level not in _ECHO_LEVELS or name.level not in ("same", "high"):
        return
    spelt = pred.name_key[len("name:"):].replace(" ", "")
    if len(spelt) >= 2 and any(spelt == base or (len(base) >= 3 and base in spelt)
                               for base in pred.forms.bases + succ.forms.bases):
        handle.echo = True


# which accounts can take part in a signal (u is estimated from pairs of such accounts)
PRESENT = {
    "handle": lambda a: bool(a.forms.full),
    "display_name": lambda a: bool(a.name_sk),
    "bio": lambda a: len(a.bio_tokens) >= 3,
    "avatar": lambda a: bool(a.identifiers.get(AVATAR_KIND)),
    "link": lambda a: bool(a.links()),
    "identifier": lambda a: any(a.identifiers.get(k) for k in STRONG_KINDS),
    "timing": lambda a: a.act_start is not None,
    "activity": lambda a: a.first_post is not None,
    "announcement": lambda a: bool(a.opening),
    "first_post": lambda a: bool(a.first_post_text),
    "group": lambda a: bool(a.groups),
    "channels": lambda a: bool(a.admin_channels or a.post_channels),
    "platform": lambda a: True,
    "decoy": lambda a: True,
}


def _context(signal):
    def fn(pred, succ, freq):
        return next((lv for lv in compare_context(pred, succ, freq) if lv.signal == signal), None)
    return fn


# one signal's comparison alone (for sampling u)
SINGLE = {"handle": compare_handle, "display_name": compare_name,
          "bio": compare_bio, "avatar": compare_avatar, "link": compare_link, "identifier": compare_strong,
          "timing": compare_timing, "activity": compare_timing, "announcement": compare_announce, "first_post": compare_opening,
          **{s: _context(s) for s in ("group", "channels", "platform", "decoy")}}
