"""Invented names and identifiers for the synthetic report bundle (``graphkit synth``).

Everything here is obviously fictional: handles carry the word ``example``, phone numbers sit in
the block +92-300-0000xxx (1,000 numbers), e-mail addresses are at ``example.org``, IP addresses
come from the documentation ranges 198.51.100.0/24 and 203.0.113.0/24, and links point at
``example.org`` / ``example.net`` or at invented Telegram slugs. No name refers to a real person.

Mirror handles are made the way ban evaders are reported to re-register: the old name with a digit
appended or bumped, a suffix word (``_official``, ``_backup``, ``_new`` ...), leetspeak, a changed
separator, a doubled letter, or a Cyrillic look-alike letter.
"""
from __future__ import annotations

import random
import unicodedata

GROUP_PREFIX = {"TTP": ["ttp", "tehreek"], "ISIS-K": ["isk", "khorasan"], "BLA": ["bla", "baloch_army"],
                "BLF": ["blf", "baloch_front"]}
TOPIC_WORDS = ["media", "news", "voice", "updates", "bulletin", "feed", "radio", "archive", "studio",
               "daily", "desk", "wire", "post", "times", "view"]
OTHER_WORDS = ["city", "talk", "views", "chat", "info", "world", "live", "corner", "hub", "zone",
               "digest", "circle", "today", "notes"]
# accounts that are NOT mirrors but look like them: monitoring, research, news and parody accounts
DECOY_PATTERNS = ["{p}_watch_example", "{p}_monitor_example", "{p}_research_example", "not_{p}_media_example",
                  "{p}_news_tracker_example", "frontier_{p}_news_example", "{p}_parody_example", "anti_{p}_voice_example"]

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
# Cyrillic letters that look like Latin ones (Latin -> Cyrillic)
HOMOGLYPH = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445",
             "y": "\u0443", "i": "\u0456"}
SUFFIX_WORDS = ["_official", "_backup", "_new", "official", "_real", "_2", "_v2", "_2025", "_back", "_main"]
EMOJI = ["\u2705", "\U0001F501", "\U0001F4E2", "\u2B50", "\U0001F195"]
PLATFORM_POST_HOST = "posts.example.org"


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def norm(handle: str) -> str:
    """The handle normalisation of docs/model.md: strip ``@``, NFKC, case-fold, no zero-width."""
    return unicodedata.normalize("NFKC", handle.lstrip("@")).casefold().translate(_ZERO_WIDTH)


def base_handle(rng: random.Random, gid: str | None, n: int) -> str:
    if gid is None:
        return f"{rng.choice(OTHER_WORDS)}_{rng.choice(OTHER_WORDS)}_example_{n}"
    return f"{rng.choice(GROUP_PREFIX[gid])}_{rng.choice(TOPIC_WORDS)}_example_{n}"


def decoy_handle(rng: random.Random, gid: str, n: int) -> str:
    return rng.choice(DECOY_PATTERNS).format(p=GROUP_PREFIX[gid][0]) + f"_{n}"


def display_name(handle: str) -> str:
    words = [w for w in handle.replace(".", "_").split("_") if w and w != "example"]
    return " ".join(w.upper() if len(w) <= 3 and w.isalpha() else w.capitalize() for w in words) + " (example)"


def bio(rng: random.Random, gid: str | None, n: int) -> str:
    if gid is None:
        return f"Placeholder profile text {n}. Synthetic account for testing; no real content."
    return rng.choice([
        f"Placeholder bio {n}: synthetic {gid} test account. Updates via the link below.",
        f"Synthetic profile {n} ({gid} sample data). Follow the channel for more placeholder posts.",
        f"Test account {n} for graphkit demos ({gid}). Placeholder text only.",
    ])


def _leet(rng: random.Random, handle: str) -> str | None:
    spots = [i for i, ch in enumerate(handle) if ch in LEET]
    if not spots:
        return None
    chars = list(handle)
    for i in rng.sample(spots, min(len(spots), rng.choice([1, 1, 2]))):
        chars[i] = LEET[chars[i]]
    return "".join(chars)


def _homoglyph(rng: random.Random, handle: str) -> str | None:
    spots = [i for i, ch in enumerate(handle) if ch in HOMOGLYPH]
    if not spots:
        return None
    i = rng.choice(spots)
    return handle[:i] + HOMOGLYPH[handle[i]] + handle[i + 1:]


def _digits(rng: random.Random, handle: str) -> str:
    head = handle.rstrip("0123456789")
    tail = handle[len(head):]
    if tail and rng.random() < 0.5:
        return head + str(int(tail) + rng.randint(1, 3))
    return handle + rng.choice(["2", "1", "_2", "01", "3", "99"])


def _separator(rng: random.Random, handle: str) -> str | None:
    if "_" not in handle:
        return handle[:len(handle) // 2] + "_" + handle[len(handle) // 2:]
    parts = handle.split("_")
    i = rng.randrange(len(parts) - 1)
    joiner = rng.choice(["", ".", "__"])
    return "_".join(parts[:i]) + ("_" if i else "") + parts[i] + joiner + parts[i + 1] + \
        ("_" if i + 2 < len(parts) else "") + "_".join(parts[i + 2:])


def _double(rng: random.Random, handle: str) -> str | None:
    spots = [i for i, ch in enumerate(handle) if ch.isalpha()]
    if not spots:
        return None
    i = rng.choice(spots)
    return handle[:i] + handle[i] + handle[i:]


MUTATIONS = [
    ("digits", lambda rng, h: _digits(rng, h)),
    ("suffix", lambda rng, h: h + rng.choice(SUFFIX_WORDS)),
    ("leet", _leet),
    ("separator", _separator),
    ("double", _double),
    ("homoglyph", _homoglyph),
]
MUTATION_WEIGHTS = [30, 25, 15, 12, 8, 10]


def mirror_handle(rng: random.Random, handle: str) -> tuple[str, str]:
    """A successor's handle made from the predecessor's, and the name of the change."""
    for _ in range(10):
        name, fn = rng.choices(MUTATIONS, MUTATION_WEIGHTS)[0]
        out = fn(rng, handle)
        if out and norm(out) != norm(handle):
            return out, name
    return handle + "_backup", "suffix"


def mirror_display_name(rng: random.Random, name: str) -> str:
    r = rng.random()
    if r < 0.5:
        return name
    if r < 0.8:
        return f"{name} {rng.choice(EMOJI)}"
    return rng.choice(["", "New: ", "Backup: "]) + name


def mirror_bio(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.45:
        return text
    if r < 0.75:
        return text + rng.choice([" (new account)", " Backup account.", " Old one removed."])
    return rng.choice(["New account. ", "Back again. ", ""]) + text.replace("Updates", "News")


def phone(slot: int, style: int) -> str:
    """Phone number ``slot`` (0..999) of the fictional block +92-300-0000xxx."""
    if not 0 <= slot <= 999:
        raise ValueError("only 1,000 fictional phone numbers exist")
    return f"+92-300-0000{slot:03d}" if style == 0 else f"+92 300 0000{slot:03d}"


def hexid(rng: random.Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


INVITE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def invite(rng: random.Random) -> str:
    return "https://t.me/+" + "".join(rng.choice(INVITE_ALPHABET) for _ in range(16))


def post_url(platform: str, sid: str) -> str:
    return f"https://{PLATFORM_POST_HOST}/{platform}/{sid}"


EXCERPTS = [
    "Placeholder post {n}: announcement text removed (synthetic data).",
    "Synthetic sample post {n}. Link to channel, no real content.",
    "Placeholder update {n} promoting the channel (test data).",
    "\u0646\u0645\u0648\u0646\u06c1 \u0645\u062a\u0646 {n} (placeholder text, synthetic)",
    "Test excerpt {n}: reposted video link (placeholder).",
]
LANGUAGES = ["ur", "ps", "en", "ur", "en", "ar"]
