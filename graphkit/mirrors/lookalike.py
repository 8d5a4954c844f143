"""Look-alike folding of handles, display names and bios for mirror detection.

A mirror account copies its predecessor's identity with small changes that keep it recognisable to
followers while dodging exact-match filters: homoglyphs (Cyrillic ``а`` for Latin ``a``, capital
``I`` for ``l``), leetspeak (``wayf44rer``), separators (``abu_hanzala``), doubled letters
(``wayyfarer``), and appended digits or words (``ttp_media2``, ``..._official``, ``..._backup``).

``fold`` maps text onto a *skeleton* where all those spellings coincide; ``handle_forms`` gives the
skeleton of a handle with and without its affixes; ``text_tokens`` folds free text (names, bios) in
any script. Skeletons are lossy on purpose: they are compared, never shown.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Cyrillic and Greek letters that look like Latin ones (lower case; input is case-folded first),
# plus a few Latin look-alikes from other blocks. Only letters whose glyph is near-identical.
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y", "х": "x",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ү": "y", "ь": "b", "з": "3", "ч": "4",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "ς": "s", "σ": "o", "ϲ": "c",
    "ϳ": "j", "ζ": "z",
    # other Latin look-alikes
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŀ": "l", "ß": "ss", "æ": "ae", "œ": "oe",
}

# leetspeak digits and symbols (applied inside words; see ``handle_forms`` for trailing digits)
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
        "|": "i", "!": "i", "9": "g", "6": "g", "2": "z"}

# after leet folding, letters that are the same glyph in many fonts collapse to one
# (I/l/1/| are indistinguishable in sans-serif; rn looks like m; vv like w)
GLYPH_MERGE = (("rn", "m"), ("vv", "w"), ("l", "i"))

# words that evaders add to a burned handle (and that monitoring/news accounts also use: handle
# similarity alone never decides, see mirror_signals)
AFFIXES = (
    "official", "offical", "officiel", "real", "the", "new", "neww", "backup", "bkp", "bak", "back",
    "original", "orig", "again", "returns", "returned", "is", "reborn", "alt", "acc", "account",
    "main", "tv", "media", "news", "v", "ii", "iii", "el", "al", "official1", "mirror", "2nd", "no",
)
_AFFIX_SET = frozenset(AFFIXES)
_LEET_SYMBOLS = frozenset("@$|!")

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_SEPARATORS = re.compile(r"[\s._\-·•~`'’\"*+^=]+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:t\.me|wa\.me|chat\.whatsapp\.com|bit\.ly|t\.co)/\S+", re.I)


@lru_cache(maxsize=1)
def _tr39() -> dict[str, str]:
    """Unicode TR39 confusables as a one-character map to a prototype, from the data that the
    ``confusable-homoglyphs`` package ships (Unicode's confusables.txt as JSON). Each prototype
    class is one set; its representative is an ASCII letter when the class has one. Digits are
    left out (a counter's digits are folded to ASCII by their numeric value, never to letters)."""
    try:
        import confusable_homoglyphs
    except ImportError:  # the package is a dependency; without it only the hand table applies
        return {}
    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text("utf-8"))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def usable(ch: str) -> bool:
        return len(ch) == 1 and unicodedata.decimal(ch, None) is None and not ch.isspace()

    for char, homoglyphs in data.items():
        if not usable(char):
            continue
        for h in homoglyphs:
            other = h["c"].strip("\u200e\u200f")
            if usable(other):
                parent[find(other)] = find(char)
    classes: dict[str, list[str]] = {}
    for ch in list(parent):
        classes.setdefault(find(ch), []).append(ch)
    table = {}
    for members in classes.values():
        proto = min(members, key=lambda c: (not ("a" <= c <= "z"), not c.isascii(), ord(c)))
        for ch in members:
            if ch != proto:
                table[ch] = proto
    return table


def tr39(ch: str) -> str:
    """The TR39 prototype of one character (itself when it is not confusable)."""
    return _tr39().get(ch, ch)


# Arabic-script spelling variants that are one letter to a reader (hamza seats, alef maksura,
# Persian/Urdu yeh and kaf, teh marbuta) and the tatweel, which only stretches a word
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي",
                         "ک": "ك", "ګ": "ك", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ـ": None})


def ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic ٠-٩, Extended Arabic-Indic ۰-۹, Devanagari ...) as 0-9."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdigit() and not ch.isascii()
                   and unicodedata.decimal(ch, None) is not None else ch for ch in text)


def _strip_marks(text: str) -> str:
    """Remove combining accents (Latin é -> e) but keep the base letters of every script."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def basic(text: str | None) -> str:
    """NFKC, case-folded, zero-width characters and accents removed."""
    if not text:
        return ""
    text = ascii_digits(unicodedata.normalize("NFKC", text))
    text = _ZERO_WIDTH.sub("", text).casefold().translate(_ARABIC)
    return unicodedata.normalize("NFC", _strip_marks(text))


def _collapse_runs(text: str) -> str:
    """Doubled letters (not digits: 226 is a different counter from 26) become single."""
    return re.sub(r"([^\W\d])\1+", r"\1", text)


# digits between letters (w4yfarer), or one digit opening a word (7he_fajr), read as letters
_INTERIOR_DIGITS = re.compile(r"(?<=[^\W\d_])(\d{1,3})(?=[^\W\d_])|(?<![\w])(\d)(?=[^\W\d_]{2})")


@lru_cache(maxsize=500_000)
def fold(text: str | None, leet: bool = True) -> str:
    """The look-alike skeleton of ``text``: letters and digits only, homoglyphs mapped to Latin,
    leetspeak undone (when ``leet``: symbols like @ $ | always, digits only between letters, so a
    counter such as the 70 in GunsandCoffee70 stays a number), I/l merged, doubled letters collapsed.

    >>> fold("Wayyf44rer") == fold("wayfarer") == fold("wаyfаrеr")  # the last one is Cyrillic
    True
    """
    text = "".join(CONFUSABLES.get(ch) or tr39(ch) for ch in basic(text)).casefold()
    if leet:
        text = _INTERIOR_DIGITS.sub(lambda m: "".join(LEET.get(d, d) for d in m.group(0)), text)
    out = []
    for ch in text:
        if leet and ch in _LEET_SYMBOLS:
            ch = LEET[ch]
        if ch.isalnum():
            out.append(ch)
    folded = "".join(out)
    for a, b in GLYPH_MERGE:
        folded = folded.replace(a, b)
    return _collapse_runs(folded)


_AFFIX_FOLDED = frozenset(fold(a) for a in AFFIXES if len(fold(a)) >= 3)


def handle_tokens(handle: str | None) -> list[str]:
    """Word pieces of a raw handle: split at separators, camelCase and letter/digit boundaries."""
    if not handle:
        return []
    text = unicodedata.normalize("NFKC", handle).lstrip("@")
    text = _ZERO_WIDTH.sub("", text)
    pieces = []
    for part in _SEPARATORS.split(text):
        pieces.extend(p for p in _CAMEL.split(part) if p)
    return [p.casefold() for p in pieces]


@dataclass(frozen=True)
class HandleForms:
    full: str                  # skeleton of the whole handle
    bases: tuple[str, ...]     # skeletons with appended/prepended affixes removed (full first)
    affixes: tuple[str, ...]   # affix words or counters found (raw, lower-case), e.g. ("2", "media")


def _is_affix(token: str) -> bool:
    return (token.isdigit() or token in _AFFIX_SET or fold(token) in _AFFIX_FOLDED
            or re.fullmatch(r"v\d+", token) is not None)


_MIN_BASE = 3
_GLUED_WORDS = ("official", "backup", "original", "media", "news", "real", "new", "tv")


@lru_cache(maxsize=200_000)
def handle_forms(handle: str | None) -> HandleForms:
    """Skeletons of a handle with and without its affixes.

    ``ttp_media2`` -> full ``tpmedia2``, bases ``tpmedia2``, ``tpmedia`` (the 2 stripped) ...;
    ``GunsandCoffee70`` -> bases include ``gunsandcofe``; ``kIakishini5`` and ``klakishinki``
    fold I and l together. A base shorter than 3 characters is not kept.
    """
    raw = (handle or "").strip().lstrip("@")
    full = fold(raw)
    tokens = handle_tokens(raw)
    bases: list[str] = [full] if full else []
    affixes: list[str] = []

    def add(core: str) -> None:
        skeleton = fold(core)
        if len(skeleton) >= _MIN_BASE and skeleton not in bases:
            bases.append(skeleton)

    # peel affix tokens off the end and/or the front, recording every core left over
    max_end = len(tokens)
    while max_end > 1 and _is_affix(tokens[max_end - 1]):
        max_end -= 1
    max_start = 0
    while max_start < max_end - 1 and (tokens[max_start] in _AFFIX_SET or fold(tokens[max_start]) in _AFFIX_FOLDED):
        max_start += 1
    affixes.extend(tokens[max_end:])
    affixes.extend(tokens[:max_start])
    for end in range(len(tokens), max_end - 1, -1):
        for start in range(0, max_start + 1):
            if (start, end) != (0, len(tokens)) and start < end:
                add("".join(tokens[start:end]))
    start, end = max_start, max_end
    core = "".join(tokens[start:end])
    # a digit run glued to the end (abuayisha108) is a counter
    m = re.match(r"^(.*?[^\d])(\d+)$", core)
    if m:
        affixes.append(m.group(2))
        core = m.group(1)
        add(core)
    # affix words glued on without a separator (ttpmediaofficial)
    skeleton = fold(core)
    for word in _GLUED_WORDS:
        w = fold(word)
        if skeleton.endswith(w) and len(skeleton) - len(w) >= _MIN_BASE:
            affixes.append(word)
            if skeleton[: -len(w)] not in bases:
                bases.append(skeleton[: -len(w)])
    return HandleForms(full=full, bases=tuple(bases[:6]), affixes=tuple(affixes))


def core_base(forms: HandleForms) -> str:
    """The shortest base of at least 4 characters (else the full skeleton): the main blocking key."""
    longish = [b for b in forms.bases if len(b) >= 4]
    return min(longish, key=len) if longish else forms.full


def consonant_key(skeleton: str) -> str:
    """Skeleton without vowels (mustaklash / moustiklash -> mstkiash ...): a blocking key that
    tolerates vowel swaps and insertions."""
    return _collapse_runs(re.sub(r"[aeiouy]", "", skeleton))


def strip_urls(text: str | None) -> str:
    return _URL.sub(" ", text or "")


def urls_in(text: str | None) -> list[str]:
    """Links in free text, without scheme, ``www.``, trailing slash or punctuation (case kept:
    invite codes are case-sensitive)."""
    found = []
    for match in _URL.finditer(text or ""):
        url = match.group(0).rstrip(".,;:!?)]}'\"")
        url = re.sub(r"^https?://", "", url, flags=re.I)
        url = re.sub(r"^www\.", "", url, flags=re.I).rstrip("/")
        if url:
            found.append(url)
    return found


_TOKEN = re.compile(r"\w+", re.UNICODE)


def text_tokens(text: str | None, leet: bool = False) -> list[str]:
    """Words of free text in any script: NFKC, case-folded, links, emoji and punctuation dropped,
    homoglyphs mapped to Latin inside Latin-looking words. Arabic, Urdu, Cyrillic words stay."""
    cleaned = basic(strip_urls(text))
    tokens = []
    for word in _TOKEN.findall(cleaned):
        word = word.replace("_", "")
        if not word:
            continue
        if any("a" <= c <= "z" for c in word):  # a Latin word with look-alikes mixed in
            word = fold(word, leet=leet)
        else:
            word = _collapse_runs(word) if not word.isdigit() else word
        if word:
            tokens.append(word)
    return tokens


# a digit run at the start or end of a word is a number (counter), inside a word it is leetspeak
_DIGIT_EDGE = re.compile(r"(?<![^\W_])(\d+)(?=[^\W\d_])|(?<=[^\W\d_])(\d+)(?![^\W_])")


# Latin spellings of one Arabic name (Abu/Abou, Yusuf/Yousuf, Hamza/Hamzah, Khilafa/Khilafah,
# Jamil/Jameel, Abd/Abdu): applied to whole folded words, in this order
_TRANSLIT = ((re.compile(r"ou|oo"), "u"), (re.compile(r"ee"), "i"), (re.compile(r"(?<=\w\w)[ae]h$"), "a"))


def translit(word: str) -> str:
    """One spelling for the Latin transliteration variants of a folded word (``abou`` -> ``abu``,
    ``hamzah`` -> ``hamza``, ``jamei`` -> ``jamei``); other scripts and digits are left alone."""
    if not word.isascii() or word.isdigit():
        return word
    for pattern, repl in _TRANSLIT:
        word = pattern.sub(repl, word)
    return _collapse_runs(word)


def name_skeleton(text: str | None) -> str:
    """One string for a display name: its folded words, in order, joined by spaces (a number
    glued to a word is its own word: ``١٠Flames`` -> ``10 fiames``), transliteration variants
    spelt one way (``translit``: 'Abou Hamzah' and 'Abu Hamza' are one name)."""
    if not text:
        return ""
    text = _DIGIT_EDGE.sub(lambda m: f" {m.group(0)} ", ascii_digits(unicodedata.normalize("NFKC", text)))
    return " ".join(translit(w) for w in text_tokens(text, leet=True))
