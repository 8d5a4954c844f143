"""References to accounts and channels in a row's cells: by handle or name, by platform id, by a
profile URL pasted where a handle is expected, and a forward's source (``source_ref``). Each
returns the dict the statements MERGE on (key, platform, handle/name, ...) or raises RowRejected
naming the column."""
from __future__ import annotations

import re

from graphkit.ingest import values as nz
from graphkit.ingest.rejects import RowRejected

URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|[\w-]+(?:\.[\w-]+)+/)", re.I)


def _handle_url(platform: str | None, text: str, column: str, what: str = "an account") -> tuple[str, str, str]:
    """``(platform, value, kind)`` of a URL pasted where a handle (or channel name) is expected;
    RowRejected for a URL of another platform, an invite link or a URL with no account in it."""
    try:
        plat, value, kind = nz.parse_url(text)
    except ValueError as exc:
        raise RowRejected(column, f"{column} is a URL but {exc}") from None
    if platform and plat != platform:
        raise RowRejected(column, f"{column} is a {plat} URL but platform is {platform}: {text.strip()!r}")
    if kind == "invite":
        raise RowRejected(column, f"{column} is an invite link, not {what}: {text.strip()!r}")
    return plat, value, kind


def account_ref(platform: str | None, handle_text: str, column: str) -> dict:
    """A reference to an account by handle on ``platform``: key, handle, handle_norm. A profile URL
    in place of the handle (``https://x.com/name``, ``t.me/name``) gives the handle in it; without
    ``platform``, the URL's platform."""
    if URLISH.match(handle_text.strip()):
        platform, handle_text, kind = _handle_url(platform, handle_text, column)
        if kind == "id":
            return {"key": nz.account_key(platform, None, handle_text), "platform": platform, "handle": None,
                    "handle_norm": None, "platform_id": handle_text}
    if not platform:
        raise RowRejected("platform", "platform is empty")
    norm = nz.handle(handle_text)
    if not norm:
        raise RowRejected(column, f"{column} is not a usable handle: {handle_text!r}")
    return {"key": nz.account_key(platform, norm), "platform": platform,
            "handle": nz.handle_raw(handle_text), "handle_norm": norm, "platform_id": None}


def channel_ref(platform: str | None, name: str, column: str) -> dict:
    if URLISH.match(name.strip()):
        platform, name, _ = _handle_url(platform, name, column, "a channel")
    if not platform:
        raise RowRejected("platform", "platform is empty")
    norm = nz.handle(name)
    if not norm:
        raise RowRejected(column, f"{column} is not a usable channel name: {name!r}")
    return {"key": f"{platform}:{norm}", "platform": platform, "name": nz.handle_raw(name), "name_norm": norm,
            "platform_id": None}


def checked_platform_id(value: str, column: str) -> str:
    text = nz.clean_text(value).strip()
    if not text or len(text) > 200 or any(c.isspace() for c in text):
        raise RowRejected(column, f"{column} is not a platform id: {value!r}")
    return text


def account_id_ref(platform: str | None, platform_id: str, column: str) -> dict:
    """An account known by its platform id only (a Telegram user id, a WhatsApp number)."""
    if not platform:
        raise RowRejected("platform", "platform is empty")
    pid = checked_platform_id(platform_id, column)
    return {"key": nz.account_key(platform, None, pid), "platform": platform, "handle": None,
            "handle_norm": None, "platform_id": pid}


def channel_id_ref(platform: str | None, platform_id: str, name: str | None, column: str) -> dict:
    """A channel known by its platform id (a Telegram chat id): key ``platform:id:ID``, its title
    as the name (titles change; the id does not)."""
    if not platform:
        raise RowRejected("platform", "platform is empty")
    pid = checked_platform_id(platform_id, column)
    return {"key": f"{platform}:id:{pid}", "platform": platform, "name": nz.handle_raw(name) if name else None,
            "name_norm": nz.handle(name) if name else None, "platform_id": pid}


# A source id as Telegram writes it (``channel1234``, ``user1234``, ``chat1234``) or a bare number
_SOURCE_ID = re.compile(r"^(user|channel|chat)?(-?\d+)$")


def source_ref(platform: str, name: str | None, source_id: str | None) -> tuple[str, dict]:
    """``("account" | "channel", ref)`` of a forward's source: by id (``user...`` an account,
    ``channel...``/``chat...`` or a bare number a channel), else a channel by its name."""
    if source_id:
        m = _SOURCE_ID.match(nz.clean_text(source_id).strip())
        if not m:
            raise RowRejected("forwarded_from_id", f"forwarded_from_id is not an id: {source_id!r}")
        if m[1] == "user":
            return "account", account_id_ref(platform, m[2], "forwarded_from_id")
        return "channel", channel_id_ref(platform, m[2], name, "forwarded_from_id")
    return "channel", channel_ref(platform, name, "forwarded_from")
