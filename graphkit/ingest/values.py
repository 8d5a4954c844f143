"""Normalisation of the values reports carry: platforms, handles, URLs, phones, e-mails, invite
links and group names (dates: ``graphkit.ingest.dates``). Pure functions (no database); each returns ``None`` for an empty
input and raises ``ValueError`` with a short reason for a value it cannot read.

Conventions are those of ``docs/model.md`` (platform names, ``platform:handle_norm`` keys, E.164
phones, UTC date-times).
"""
from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from graphkit.model.spec import model

PLATFORMS = model().vocabulary("platform")

_PLATFORM_ALIASES = {
    "x": "x", "twitter": "x", "tw": "x", "twtr": "x", "x.com": "x", "twitter.com": "x", "x (twitter)": "x",
    "x/twitter": "x", "twitter/x": "x",
    "facebook": "facebook", "fb": "facebook", "meta": "facebook", "facebook.com": "facebook",
    "instagram": "instagram", "ig": "instagram", "insta": "instagram", "instagram.com": "instagram",
    "tiktok": "tiktok", "tt": "tiktok", "tik tok": "tiktok", "tik-tok": "tiktok", "tiktok.com": "tiktok",
    "whatsapp": "whatsapp", "wa": "whatsapp", "whats app": "whatsapp", "whatsapp.com": "whatsapp",
    "telegram": "telegram", "tg": "telegram", "t.me": "telegram", "telegram.me": "telegram",
    "youtube": "youtube", "yt": "youtube", "you tube": "youtube", "youtube.com": "youtube",
}

# host (without www./m./mobile.) -> platform
_HOSTS = {
    "x.com": "x", "twitter.com": "x", "mobile.twitter.com": "x",
    "facebook.com": "facebook", "fb.com": "facebook", "fb.me": "facebook", "web.facebook.com": "facebook",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "tiktok.com": "tiktok", "vm.tiktok.com": "tiktok",
    "whatsapp.com": "whatsapp", "chat.whatsapp.com": "whatsapp", "wa.me": "whatsapp",
    "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "youtube.com": "youtube", "youtu.be": "youtube",
}

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"
                                 "\u2066\u2067\u2068\u2069\u00ad"))


def platform(name: str | None) -> str | None:
    """Canonical platform name (``Twitter`` -> ``x``); ValueError for an unknown one."""
    if name is None:
        return None
    text = clean_text(name).strip().lower()
    if not text:
        return None
    text = re.sub(r"^(https?://)?(www\.)?", "", text).rstrip("/")
    if text in _PLATFORM_ALIASES:
        return _PLATFORM_ALIASES[text]
    raise ValueError(f"unknown platform {name!r} (known: {', '.join(PLATFORMS)})")


def clean_text(value: str) -> str:
    """Remove NUL and zero-width/bidi control characters; NFKC."""
    return unicodedata.normalize("NFKC", value.replace("\x00", "")).translate(_ZERO_WIDTH)


def handle_raw(value: str | None) -> str | None:
    """The handle as spelled (without a leading ``@``, surrounding blanks and NUL characters)."""
    if value is None:
        return None
    text = value.replace("\x00", "").strip()
    text = text.lstrip("@＠").strip()
    return text or None


def handle(value: str | None) -> str | None:
    """``handle_norm``: strip ``@``, NFKC, case-fold, zero-width characters removed."""
    raw = handle_raw(value)
    if raw is None:
        return None
    text = clean_text(raw).strip().lstrip("@").strip().casefold()
    return text or None


def account_key(platform_name: str, handle_norm: str | None = None, platform_id: str | None = None) -> str:
    """``platform:handle_norm``, or ``platform:id:platform_id`` when only the id is known."""
    if handle_norm:
        return f"{platform_name}:{handle_norm}"
    if platform_id:
        return f"{platform_name}:id:{platform_id}"
    raise ValueError("an account needs a handle, a platform id or a URL")


def _split_url(url: str):
    text = clean_text(url).strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web.", "business."):
        if host.startswith(prefix) and host[len(prefix):] in _HOSTS:
            host = host[len(prefix):]
    segments = [unquote(s) for s in parts.path.split("/") if s]
    return host, segments, parse_qs(parts.query)


def parse_url(url: str | None) -> tuple[str, str, str] | None:
    """A profile/channel/invite URL as ``(platform, value, kind)``.

    kind is ``handle`` (value is the raw handle), ``id`` (a numeric platform id), ``channel``
    (a channel's slug or id) or ``invite`` (an invite code). ValueError if it is not one.
    """
    if url is None or not url.strip():
        return None
    host, seg, query = _split_url(url)
    name = _HOSTS.get(host)
    if name is None:
        raise ValueError(f"not a URL of a known platform: {url!r}")
    first = seg[0] if seg else ""
    if name == "facebook":
        if first == "profile.php" and query.get("id"):
            return name, query["id"][0], "id"
        if first in ("groups", "pages") and len(seg) > 1:
            return name, seg[1], "channel"
        if first and first not in ("people", "share", "sharer", "watch", "story.php", "permalink.php"):
            return name, first, "handle"
    elif name == "whatsapp":
        if host == "chat.whatsapp.com" and first:
            return name, first, "invite"
        if first == "channel" and len(seg) > 1:
            return name, seg[1], "channel"
        if host == "wa.me" and first:
            return name, first, "id"
    elif name == "telegram":
        if first in ("joinchat",) and len(seg) > 1:
            return name, seg[1], "invite"
        if first.startswith("+"):
            return name, first[1:], "invite"
        if first == "s" and len(seg) > 1:
            first = seg[1]
        if first and first not in ("share", "addstickers"):
            return name, first.lstrip("@"), "channel"
    elif name == "youtube":
        if first == "channel" and len(seg) > 1:
            return name, seg[1], "channel"
        if first in ("c", "user") and len(seg) > 1:
            return name, seg[1], "channel"
        if first.startswith("@"):
            return name, first[1:], "channel"
    elif name in ("x", "instagram", "tiktok"):
        if name == "x" and first == "i" and len(seg) > 2 and seg[1] == "user":
            return name, seg[2], "id"
        if first.startswith("@"):
            first = first[1:]
        reserved = {"home", "search", "explore", "hashtag", "intent", "share", "p", "reel", "tag", "i"}
        if first and first.lower() not in reserved:
            return name, first, "handle"
    raise ValueError(f"cannot find an account or channel in URL {url!r}")


def post_url(url: str | None) -> str | None:
    """A post URL, cleaned (blanks and control characters removed); not otherwise changed."""
    if url is None:
        return None
    text = clean_text(url).strip()
    return text or None


# the region of phone numbers written without a country code (``load --region``; default PK)
_REGION: ContextVar[str | None] = ContextVar("graphkit_phone_region", default=None)


def region_code(region: str | None) -> str | None:
    """``region`` upper-cased; ValueError when phonenumbers does not know it."""
    if region is None:
        return None
    import phonenumbers

    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown region {region!r} (an ISO 3166 alpha-2 code such as PK, AF, GB)")
    return code


@contextmanager
def phone_region(region: str | None):
    """Within the block, read phone numbers without a country code as numbers of ``region``
    (an ISO 3166 alpha-2 code such as PK, AF, GB)."""
    region = region_code(region)
    token = _REGION.set(region)
    try:
        yield
    finally:
        _REGION.reset(token)



def phone(value: str | None, region: str | None = None) -> str | None:
    """E.164 (``+923000000123``) via ``phonenumbers``; ValueError when not a possible number.
    ``region``: for numbers without a country code (default: ``phone_region``'s, else PK)."""
    import phonenumbers

    region = region or _REGION.get() or "PK"
    if value is None or not str(value).strip():
        return None
    text = clean_text(str(value)).strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {value!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a possible phone number: {value!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: str | None) -> str | None:
    """Lower-case e-mail address (``mailto:`` stripped); ValueError when malformed."""
    if value is None or not value.strip():
        return None
    text = clean_text(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    if not _EMAIL_RE.match(text):
        raise ValueError(f"not an e-mail address: {value!r}")
    return text


def invite(value: str | None) -> str | None:
    """An invite link as ``platform:code`` (``t.me/+AbC`` -> ``telegram:AbC``; codes keep case)."""
    if value is None or not value.strip():
        return None
    parsed = parse_url(value)
    if parsed is None or parsed[2] != "invite":
        raise ValueError(f"not an invite link: {value!r}")
    return f"{parsed[0]}:{parsed[1]}"


def identifier(kind: str, value: str | None) -> str | None:
    """The normalised value of an identifier of ``kind`` (phone, email, url, invite, ...)."""
    kind = (kind or "").strip().lower()
    if kind == "phone":
        return phone(value)
    if kind == "email":
        return email(value)
    if kind == "invite":
        return invite(value)
    if value is None or not value.strip():
        return None
    text = clean_text(value).strip()
    if kind in ("ip", "device", "image_hash", "wallet"):
        return text.lower() if kind in ("ip", "image_hash") else text
    if kind == "url":
        return text
    raise ValueError(f"unknown identifier kind {kind!r} (known: phone, email, url, invite, ip, device, "
                     "image_hash, wallet)")


def count(value: str | None) -> int | None:
    """A count (followers, members): an integer >= 0. Accepts ``1,234``, ``1.2K``, ``3M``."""
    if value is None:
        return None
    text = clean_text(str(value)).strip().replace(",", "").replace("_", "").replace(" ", "")
    if not text:
        return None
    m = re.match(r"^(-?\d+(?:\.\d+)?)([kKmM]?)$", text)
    if not m:
        raise ValueError(f"not a count: {value!r}")
    number = float(m[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[m[2].lower()]
    if number < 0:
        raise ValueError(f"a count cannot be negative: {value!r}")
    if number != int(number):
        raise ValueError(f"a count must be a whole number: {value!r}")
    return int(number)


def split_list(value: str | None, sep: str = ";") -> list[str]:
    """A list cell (``a; b;c``) as its non-empty items."""
    if value is None:
        return []
    return [item.strip() for item in value.split(sep) if item.strip()]


# ---------------------------------------------------------------- groups
def _group_token(name: str) -> str:
    text = unicodedata.normalize("NFKD", clean_text(name)).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Lm", "Sk"))
    text = re.sub(r"\(.*?\)", " ", text) if re.search(r"\w.*\(", text) else text
    return re.sub(r"[\W_]+", "", text)


@lru_cache(maxsize=1)
def known_groups() -> dict[str, dict]:
    """``graphkit/ingest/groups.yaml``: gid -> {name, aliases, country}."""
    text = (resources.files("graphkit.ingest") / "groups.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _group_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for gid, spec in known_groups().items():
        for name in [gid, spec.get("name", ""), *spec.get("aliases", [])]:
            token = _group_token(str(name))
            if token:
                index.setdefault(token, gid)
    return index


def resolve_group(name: str | None) -> str | None:
    """The gid of a known group from any of its spellings (case, punctuation, diacritics and
    spacing ignored; a trailing ``(JuA)``-style abbreviation too), else ``None``."""
    if name is None:
        return None
    token = _group_token(str(name))
    if not token:
        return None
    return _group_index().get(token) or _group_index().get(_group_token(re.sub(r"\(.*?\)", " ", str(name))))


def group_id(value: str | None) -> str | None:
    """A bundle's group id: a known group's gid when it resolves, else the id upper-cased."""
    if value is None:
        return None
    text = clean_text(value).strip()
    if not text:
        return None
    return resolve_group(text) or text.upper()
