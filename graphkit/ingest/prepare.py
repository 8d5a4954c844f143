"""Turning canonical ``Row`` values into the parameters of the load statements.

One function per table: validates and normalises a row (``graphkit.normalize``), or raises
``RowRejected(column, reason)``. Text is stored literally (Cypher-looking text, spreadsheet
formulas, any script); only NUL characters are removed. A value longer than ``MAX_CELL``
characters is rejected (a 10 MB "bio" is an export accident, not a bio).
"""
from __future__ import annotations

import hashlib

from graphkit.ingest import dates
from graphkit.ingest import values as nz
from graphkit.ingest.formats import lists
from graphkit.ingest.records import Row
from graphkit.ingest.row_refs import (URLISH as _URLISH, account_id_ref, account_ref, channel_id_ref, channel_ref,
                                      checked_platform_id as _platform_id, source_ref)
from graphkit.ingest.rejects import RowRejected
from graphkit.model.spec import model

MAX_CELL = 1_000_000
#: an account's bio is indexed (shared-operators groups bios from the index), and Neo4j's range
#: index holds at most 8,167 bytes; no platform allows a bio near that long (X 160 characters)
MAX_BIO_BYTES = 8_000
ACCOUNT_STATUS = model().vocabulary("account_status")
TAKEDOWN_STATUS = model().vocabulary("takedown_status")
MIRROR_STATUS = ("confirmed", "rejected", "candidate")


def _text(row: Row, column: str) -> str | None:
    value = row.values.get(column)
    if value is None:
        return None
    value = str(value)
    if len(value) > MAX_CELL:
        raise RowRejected(column, f"value is {len(value):,} characters long (limit {MAX_CELL:,})")
    value = value.replace("\x00", "").strip()
    return value or None


def _bio(row: Row) -> str | None:
    value = _text(row, "bio")
    if value is not None and len(value.encode("utf-8")) > MAX_BIO_BYTES:
        raise RowRejected("bio", f"bio is {len(value.encode('utf-8')):,} bytes long (limit {MAX_BIO_BYTES:,}: "
                                 "no platform allows a bio that long; is it the right column?)")
    return value


def _need(row: Row, column: str) -> str:
    value = _text(row, column)
    if value is None:
        raise RowRejected(column, f"{column} is empty")
    return value


def _apply(row: Row, column: str, func, *args):
    value = _text(row, column)
    if value is None:
        return None
    try:
        return func(value, *args)
    except ValueError as exc:
        raise RowRejected(column, str(exc)) from None


def _enum(row: Row, column: str, allowed) -> str | None:
    value = _text(row, column)
    if value is None:
        return None
    norm = value.lower().replace(" ", "_").replace("-", "_")
    if norm not in allowed:
        raise RowRejected(column, f"{column} must be one of {', '.join(allowed)}, not {value!r}")
    return norm


def _row_platform(row: Row, handle_col: str) -> str | None:
    """The row's platform: required unless a URL (the url column, or a URL as the handle) gives it."""
    return _platform(row, required=_text(row, "url") is None and not _URLISH.match(_text(row, handle_col) or ""))


def _platform(row: Row, column: str = "platform", required: bool = True) -> str | None:
    if required:
        _need(row, column)
    return _apply(row, column, nz.platform)


def _props(**values) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def _digest(*parts) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _refers(row: Row) -> list[dict]:
    """``refers_to``: ``kind:sid`` items (``retweeted:x-123; replied_to:x-99``)."""
    out = []
    for item in nz.split_list(_text(row, "refers_to")):
        kind, _, sid = item.partition(":")
        if not sid.strip() or not kind.strip():
            raise RowRejected("refers_to", f"refers_to items are KIND:SIGHTING_ID, not {item!r}")
        out.append({"kind": kind.strip().lower(), "sid": sid.strip()})
    return out


def _url_ref(row: Row, column: str, platform: str | None):
    """``(platform, value, kind)`` from a profile/channel URL column."""
    parsed = _apply(row, column, nz.parse_url)
    if parsed is None:
        return None
    if platform and parsed[0] != platform:
        raise RowRejected(column, f"{column} is a {parsed[0]} URL but platform is {platform}")
    return parsed


def _account_from(row: Row, platform: str | None, handle_col: str, url_col: str = "url") -> dict:
    """An account reference from ``platform`` + handle column, else from the URL column."""
    handle_text = _text(row, handle_col)
    if handle_text is not None:
        return account_ref(platform, handle_text, handle_col)
    parsed = _url_ref(row, url_col, platform)
    if parsed is None:
        raise RowRejected(handle_col, f"{handle_col} and {url_col} are both empty")
    plat, value, kind = parsed
    if kind == "invite":
        raise RowRejected(url_col, f"{url_col} is an invite link, not an account")
    if kind == "id":
        return {"key": nz.account_key(plat, None, value), "platform": plat, "handle": None,
                "handle_norm": None, "platform_id": value}
    return account_ref(plat, value, url_col)


def _group(row: Row, column: str = "group_id") -> dict | None:
    gid = _apply(row, column, nz.group_id)
    if gid is None:
        return None
    known = nz.known_groups().get(gid, {})
    return {"gid": gid, "name": known.get("name")}


def groups(row: Row) -> dict:
    gid = nz.group_id(_need(row, "group_id"))
    aliases = []
    for alias in nz.split_list(_text(row, "aliases")):
        if alias not in aliases:
            aliases.append(alias)
    country = _text(row, "country")
    ids = [i.upper() for i in dict.fromkeys(nz.split_list(_text(row, "list_ids")))]
    keys = [lists.match_key(k) for k in nz.split_list(_text(row, "match_keys"))]
    return {"_key": gid, "gid": gid, "aliases": aliases, "ids": ids, "keys": [k for k in dict.fromkeys(keys) if k],
            "list": ids[0].split("-")[0] + "-" if ids and "-" in ids[0] else "",
            "props": _props(name=_need(row, "name"), country=country.upper() if country else None,
                            description=_text(row, "description"))}


def designations(row: Row) -> dict:
    group = _group(row)
    if group is None:
        raise RowRejected("group_id", "group_id is empty")
    code = nz.clean_text(_need(row, "authority")).strip().upper()
    if not code.replace("-", "").replace("_", "").isalnum() or len(code) > 12:
        raise RowRejected("authority", f"authority must be a short code such as PK, UN, US, UK, EU, not {code!r}")
    reference = _text(row, "reference")
    program = lists.program(code, _text(row, "program"), reference)
    return {"_key": (group["gid"], code, program), "group": group, "code": code, "program": program,
            "props": _props(reference=reference, listed_on=_apply(row, "listed_on", dates.date_only))}


def persons(row: Row) -> dict:
    """A designated individual: the Person, its designations (one per program) and its groups."""
    pid = _need(row, "person_id").upper()
    aliases = list(dict.fromkeys(nz.split_list(_text(row, "aliases"))))
    code = nz.clean_text(_text(row, "authority") or "").strip().upper()
    reference = _text(row, "reference")
    listed_on = _apply(row, "listed_on", dates.date_only)
    designations = []
    if code:
        for program in nz.split_list(_text(row, "program")) or [""]:
            designations.append({"code": code, "program": lists.program(code, program, reference),
                                 "props": _props(reference=reference, listed_on=listed_on)})
    groups = [g.upper() for g in dict.fromkeys(nz.split_list(_text(row, "group_ids")))]
    return {"_key": pid, "pid": pid, "aliases": aliases, "designations": designations, "groups": groups,
            "props": _props(name=_need(row, "name"), nationality=_text(row, "nationality"), born=_text(row, "born"),
                            description=_text(row, "description"))}


def accounts(row: Row) -> dict:
    platform = _row_platform(row, "handle")
    if _text(row, "handle") is None and _text(row, "url") is None and _text(row, "platform_id") is not None:
        ref = account_id_ref(platform, _text(row, "platform_id"), "platform_id")
    else:
        ref = _account_from(row, platform, "handle")
    platform_id = _text(row, "platform_id") or ref["platform_id"]
    if platform_id and not ref["handle_norm"]:
        ref["key"] = nz.account_key(ref["platform"], None, platform_id)
    props = _props(
        platform_id=platform_id, display_name=_text(row, "display_name"), bio=_bio(row),
        url=_apply(row, "url", nz.post_url), status=_enum(row, "status", ACCOUNT_STATUS),
        followers=_apply(row, "followers", nz.count), statuses=_apply(row, "statuses", nz.count),
        created_at=_apply(row, "created_at", dates.datetime_utc), removed_at=_apply(row, "removed_at", dates.datetime_utc),
        location=_text(row, "location"),
    )
    return {"_key": ref["key"], **ref, "platform_id": platform_id, "props": props, "group": _group(row),
            "oid": _text(row, "operator_id"), "former": nz.split_list(_text(row, "former_handles"))}


def channels(row: Row) -> dict:
    platform = _row_platform(row, "channel")
    name = _text(row, "channel")
    if _text(row, "platform_id") is not None:
        ref = channel_id_ref(platform, _text(row, "platform_id"), name, "platform_id")
    elif name is not None:
        ref = channel_ref(platform, name, "channel")
    else:
        parsed = _url_ref(row, "url", platform)
        if parsed is None:
            raise RowRejected("channel", "channel and url are both empty")
        ref = channel_ref(parsed[0], parsed[1], "url")
    admins = [account_ref(ref["platform"], h, "admins") for h in nz.split_list(_text(row, "admins"))]
    props = _props(
        name=_text(row, "name") or ref["name"], kind=_text(row, "kind"), url=_apply(row, "url", nz.post_url),
        members=_apply(row, "members", nz.count), status=_enum(row, "status", ACCOUNT_STATUS),
        created_at=_apply(row, "created_at", dates.datetime_utc), removed_at=_apply(row, "removed_at", dates.datetime_utc),
    )
    if ref["platform_id"]:
        props["platform_id"] = ref["platform_id"]
    return {"_key": ref["key"], **ref, "props": props, "group": _group(row), "admins": admins,
            "former": nz.split_list(_text(row, "former_names"))}


def identifiers(row: Row) -> dict:
    platform = _row_platform(row, "account")
    owner = _account_from(row, platform, "account")
    kind = _need(row, "kind").lower()
    value = _need(row, "value")
    try:
        norm = nz.identifier(kind, value)
    except ValueError as exc:
        raise RowRejected("kind" if "kind" in str(exc) else "value", str(exc)) from None
    first = _apply(row, "first_seen", dates.datetime_utc)
    last = _apply(row, "last_seen", dates.datetime_utc)
    if first and last and last < first:
        raise RowRejected("last_seen", "last_seen is before first_seen")
    return {"_key": (owner["key"], f"{kind}:{norm}"), "owner": owner, "key": f"{kind}:{norm}", "kind": kind,
            "value": norm, "first_seen": first, "last_seen": last}


def sightings(row: Row) -> dict:
    observed = _apply(row, "observed_at", dates.datetime_utc)
    if observed is None:
        raise RowRejected("observed_at", "observed_at is empty")
    platform = _row_platform(row, "account")
    target_account, target_channel = None, None
    channel_name, channel_id = _text(row, "channel"), _text(row, "channel_id")
    if _text(row, "account") is None and _text(row, "account_id") is not None:
        target_account = account_id_ref(platform, _text(row, "account_id"), "account_id")
    elif _text(row, "account") is None and _text(row, "url") is None and (channel_name or channel_id):
        target_channel = (channel_id_ref(platform, channel_id, channel_name, "channel_id") if channel_id
                          else channel_ref(platform, channel_name, "channel"))
    elif _text(row, "account") is None and _text(row, "url") is not None:
        parsed = _url_ref(row, "url", platform)
        if parsed[2] == "channel" and parsed[0] in ("telegram", "whatsapp", "youtube"):
            target_channel = channel_ref(parsed[0], parsed[1], "url")
        else:
            target_account = _account_from(row, platform, "account")
    else:
        target_account = _account_from(row, platform, "account")
    if target_account and not target_account["platform_id"] and _text(row, "account_id"):
        target_account["platform_id"] = _platform_id(_text(row, "account_id"), "account_id")
    target = target_account or target_channel
    plat = target["platform"]
    channel = (channel_id_ref(plat, channel_id, channel_name, "channel_id") if channel_id
               else channel_ref(plat, channel_name, "channel") if channel_name else None)
    mentions = []
    for handle_text in nz.split_list(_text(row, "mentions")):
        ref = account_ref(plat, handle_text, "mentions")
        if ref["key"] not in [m["key"] for m in mentions]:
            mentions.append(ref)
    post = _apply(row, "post_url", nz.post_url)
    excerpt = _text(row, "excerpt")
    sid = _text(row, "sighting_id") or "s-" + _digest(plat, target["key"], observed.isoformat(), post, excerpt)
    props = _props(observed_at=observed, url=post, excerpt=excerpt, language=_text(row, "language"),
                   kind=_apply(row, "kind", str.lower), media=_text(row, "media"),
                   edited_at=_apply(row, "edited_at", dates.datetime_utc))
    sources = {"account": [], "channel": []}
    if _text(row, "forwarded_from") or _text(row, "forwarded_from_id"):
        kind, ref = source_ref(plat, _text(row, "forwarded_from"), _text(row, "forwarded_from_id"))
        sources[kind].append(ref)
    return {"_key": sid, "sid": sid, "props": props,
            "accounts": [target_account] if target_account else [],
            "channels": [target_channel] if target_channel else [],
            "in_channel": [channel] if channel else [], "group": _group(row), "mentions": mentions,
            "fwd_accounts": sources["account"], "fwd_channels": sources["channel"], "refers": _refers(row)}


def takedowns(row: Row) -> dict:
    platform = _platform(row)
    target = _need(row, "target")
    requested = _apply(row, "requested_at", dates.datetime_utc)
    if requested is None:
        raise RowRejected("requested_at", "requested_at is empty")
    if "/" in target or target.lower().startswith(("http", "www.")):
        plat, value, kind = _url_ref(row, "target", platform)
        if kind == "invite":
            raise RowRejected("target", "target is an invite link, not an account or channel")
        if kind == "channel":
            tkind, account, channel = "channel", None, channel_ref(plat, value, "target")
        elif kind == "id":
            tkind, channel = "account", None
            account = {"key": nz.account_key(plat, None, value), "platform": plat, "handle": None,
                       "handle_norm": None, "platform_id": value}
        else:
            tkind, account, channel = "account", account_ref(plat, value, "target"), None
    else:
        tkind = "account" if target.startswith("@") else "any"
        account = account_ref(platform, target, "target")
        channel = None if tkind == "account" else channel_ref(platform, target, "target")
    resolved = _apply(row, "resolved_at", dates.datetime_utc)
    target_key = (account or channel)["key"]
    tid = _text(row, "request_id") or "t-" + _digest(platform, target_key, requested.isoformat())
    props = _props(requested_at=requested, status=_enum(row, "status", TAKEDOWN_STATUS), resolved_at=resolved)
    return {"_key": tid, "tid": tid, "platform": platform, "props": props, "tkind": tkind,
            "account": account, "channel": channel}


def mirrors(row: Row) -> dict:
    platform = _platform(row)
    successor = account_ref(platform, _need(row, "account"), "account")
    pred_platform = _platform(row, "predecessor_platform")
    predecessor = account_ref(pred_platform, _need(row, "predecessor"), "predecessor")
    if successor["key"] == predecessor["key"]:
        raise RowRejected("predecessor", "an account cannot be a mirror of itself")
    status = _enum(row, "status", MIRROR_STATUS) or "confirmed"
    return {"_key": (successor["key"], predecessor["key"]), "successor": successor, "predecessor": predecessor,
            "props": _props(status=status, note=_text(row, "note"), method="report")}


PREPARE = {
    "groups": groups, "designations": designations, "persons": persons, "accounts": accounts, "channels": channels,
    "identifiers": identifiers, "sightings": sightings, "takedowns": takedowns, "mirrors": mirrors,
}
