"""Telegram Desktop "Export chat history" JSON (``result.json``) -> channels, accounts, sightings.

Both shapes: one chat (``{"name", "type", "id", "messages": [...]}``) and the full-account export
(``{"chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}}``). The file is read with
``ijson`` event by event: one message object at a time is held, so a 2 GB export loads in constant
memory (only the ids of senders and forward sources already emitted are remembered).

Per chat: a ``channels`` row (title, type, platform id; key ``telegram:id:ID`` because the export
does not carry the public username and titles change). Per message: a ``sightings`` row
(``sighting_id`` ``telegram-CHAT-MESSAGE``) in the chat, of the sender (``from_id`` ``user...``:
an account by id, with an ``accounts`` row at its first message) or of the chat itself (channel
posts), with the text flattened, ``@mentions`` and ``t.me/NAME`` links as mentions, the edit time,
media placeholders (``photo (File not included ...)``), a reply as ``refers_to`` and a forward as
``forwarded_from``/``forwarded_from_id`` (the source gets its own accounts/channels row at its
first forward; ``--group`` does not tie a source to the group: forwarding is not membership). Service messages (joins, pins, title changes) are sightings of kind
``service:ACTION``. Titles set by ``create_channel``/``create_group``/``edit_group_title`` give
the chat's former names with their dates (a second channels row at the end of the chat).

Positions are JSON paths (``$.chats.list[2].messages[17]``). A file cut short (a truncated
download) loads the messages before the cut and rejects the rest with the path where it ends.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ijson

from graphkit.ingest.formats import json_head, option
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject

CHAT_PREFIXES = {"": "$", "chats.list.item": "$.chats.list", "left_chats.list.item": "$.left_chats.list"}
MEDIA_KEYS = ("photo", "file", "sticker_emoji", "poll", "location_information", "contact_information",
              "live_location_period_seconds")
RENAMING = ("create_channel", "create_group", "edit_group_title", "migrate_from_group")
# Telegram usernames: 5-32 of [A-Za-z0-9_], starting with a letter
MENTION = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{4,31})(?![\w@])")
TME = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/(?:s/)?([A-Za-z][A-Za-z0-9_]{4,31})(?![\w/])", re.I)
_SNIFF = re.compile(rb'"messages"\s*:\s*\[|"chats"\s*:\s*\{\s*"about"|"chats"\s*:\s*\{\s*"list"')


def detect(path: Path) -> bool:
    """A Telegram export: JSON whose first 64 KB open a ``messages`` list or a ``chats`` block."""
    head = json_head(path)
    return head is not None and bool(_SNIFF.search(head))


def flatten(text: Any) -> str:
    """The message text: a string, or the list of strings and entity objects joined."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict)
                       else "" for part in text)
    return str(text)


def _entities(message: dict) -> list[dict]:
    entities = message.get("text_entities")
    if isinstance(entities, list):
        return [e for e in entities if isinstance(e, dict)]
    text = message.get("text")
    return [e for e in text if isinstance(e, dict)] if isinstance(text, list) else []


def mentions(message: dict, text: str) -> str | None:
    """``;``-joined @usernames and ``t.me/NAME`` links of a message, each once, in order."""
    found: list[str] = []
    for entity in _entities(message):
        kind = entity.get("type")
        value = str(entity.get("href") or entity.get("text") or "")
        if kind == "mention":
            found += MENTION.findall(value if value.startswith("@") else "@" + value)
        elif kind in ("link", "text_link"):
            found += TME.findall(value)
    found += MENTION.findall(text) + TME.findall(text)
    seen: set[str] = set()
    out = []
    for handle in found:
        if handle.casefold() not in seen and handle.casefold() not in ("joinchat", "addstickers", "share"):
            seen.add(handle.casefold())
            out.append(handle)
    return ";".join(out) or None


def _when(message: dict, key: str) -> str | None:
    """ISO 8601 UTC from ``KEY_unixtime`` (UTC), else ``KEY`` as written (the exporter's local time)."""
    unix = message.get(f"{key}_unixtime")
    if unix not in (None, ""):
        try:
            return datetime.fromtimestamp(int(unix), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (TypeError, ValueError, OverflowError, OSError):
            pass
    value = message.get(key)
    return str(value) if value not in (None, "") else None


def media(message: dict) -> str | None:
    """What the message carried besides text: ``photo (File not included ...)``, ``video_file: ...``."""
    parts = []
    for key in MEDIA_KEYS:
        if key in message and message[key] not in (None, ""):
            value = message[key]
            label = message.get("media_type") if key == "file" and message.get("media_type") else key
            parts.append(f"{label}: {value}" if isinstance(value, (str, int, float)) else label)
    return "; ".join(p.replace(";", ",") for p in parts) or None


def _source_id(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _peer(value: Any) -> tuple[str | None, str | None]:
    """``("user" | "channel" | "chat", number)`` of ``user123`` / ``channel123``; bare digits: channel."""
    m = re.match(r"^(user|channel|chat)?(\d+)$", str(value or ""))
    if not m:
        return None, None
    return (m[1] or "channel"), m[2]


def _service_text(message: dict) -> str:
    action = str(message.get("action") or "service")
    details = [f"{k}: {flatten(message[k]) if k == 'text' else message[k]}"
               for k in ("title", "members", "message_id", "inviter", "text")
               if message.get(k) not in (None, "", [])]
    return action + (" (" + "; ".join(str(d) for d in details) + ")" if details else "")


class _Chat:
    def __init__(self, path: str, index: int | None):
        self.path = path if index is None else f"{path}[{index}]"
        self.fields: dict[str, Any] = {}
        self.count = 0
        self.emitted = False
        self.titles: list[tuple[str, str]] = []  # (title, date) from create/rename service messages

    @property
    def id(self) -> str | None:
        return None if self.fields.get("id") in (None, "") else str(self.fields["id"])

    @property
    def name(self) -> str | None:
        name = self.fields.get("name")
        return None if name in (None, "") else str(name)

    def former_names(self) -> str | None:
        """Every title but the last, with the dates it was the title (``Old (2024-01-05..2024-03-01)``)."""
        out = []
        for (title, start), nxt in zip(self.titles, self.titles[1:]):
            if title != self.name:
                out.append(f"{title.replace(';', ',')} ({start[:10]}..{nxt[1][:10]})")
        return ";".join(dict.fromkeys(out)) or None


class _Reader:
    def __init__(self, path: Path, mapping: dict[str, Any]):
        self.file = str(path)
        self.platform = option(mapping, "platform", "telegram")
        self.accounts: set[str] = set()
        self.channels: set[str] = set()

    def channel_row(self, chat: _Chat, former: str | None = None) -> Row:
        values = {"platform": self.platform, "channel": chat.name, "platform_id": chat.id,
                  "kind": chat.fields.get("type"), "former_names": former}
        self.channels.add(chat.id)
        return Row("channels", self.file, chat.path, values,
                   {"channel": "name", "platform_id": "id", "kind": "type", "former_names": "title"})

    def sender_row(self, number: str, name: Any, where: str, column: str, referred: bool = False) -> Row:
        self.accounts.add(number)
        return Row("accounts", self.file, where, {"platform": self.platform, "platform_id": number,
                                                  "display_name": None if name in (None, "") else str(name)},
                   {"platform_id": column, "display_name": column.replace("_id", "")}, referred=referred)

    def message(self, chat: _Chat, message: Any, where: str) -> Iterator[Row | Reject]:
        if not isinstance(message, dict):
            yield Reject("sightings", self.file, where, "", "a message must be a JSON object", str(message)[:200])
            return
        if chat.id and chat.id not in self.channels:
            yield self.channel_row(chat)
        service = message.get("type") == "service"
        who_id = message.get("actor_id" if service else "from_id")
        who_name = message.get("actor" if service else "from")
        kind, number = _peer(who_id)
        values: dict[str, Any] = {
            "platform": self.platform, "sighting_id": None, "observed_at": _when(message, "date"),
            "channel": chat.name, "channel_id": chat.id, "account_id": None, "excerpt": None, "mentions": None,
            "kind": None, "media": media(message), "edited_at": _when(message, "edited"),
            "forwarded_from": None, "forwarded_from_id": None, "refers_to": None}
        column_of = {"observed_at": "date_unixtime", "channel": "name", "channel_id": "id",
                     "account_id": "actor_id" if service else "from_id", "edited_at": "edited_unixtime",
                     "forwarded_from_id": "forwarded_from_id", "forwarded_from": "forwarded_from",
                     "refers_to": "reply_to_message_id", "sighting_id": "id", "excerpt": "text"}
        if message.get("id") not in (None, "") and chat.id:
            values["sighting_id"] = f"telegram-{chat.id}-{message['id']}"
        if kind == "user":
            values["account_id"] = number
            if number not in self.accounts:
                yield self.sender_row(number, who_name, where, "actor_id" if service else "from_id")
        text = flatten(message.get("text"))
        if service:
            values["kind"] = f"service:{message.get('action') or 'unknown'}"
            values["excerpt"] = _service_text(message)
            if message.get("action") in RENAMING and message.get("title"):
                chat.titles.append((str(message["title"]), values["observed_at"] or ""))
        else:
            values["excerpt"] = text or None
            values["mentions"] = mentions(message, text)
            values["kind"] = "post"
        source_name, source_id = message.get("forwarded_from"), _source_id(message.get("forwarded_from_id"))
        if source_name not in (None, "") or source_id:
            values["kind"] = "forward"
            values["forwarded_from"] = None if source_name in (None, "") else str(source_name)
            values["forwarded_from_id"] = source_id
            yield from self.source_rows(source_name, source_id, where)
        reply = message.get("reply_to_message_id")
        if reply not in (None, "") and chat.id:
            values["refers_to"] = f"replied_to:telegram-{message.get('reply_to_peer_id') or chat.id}-{reply}"
            if values["kind"] == "post":
                values["kind"] = "reply"
        yield Row("sightings", self.file, where, values, column_of)

    def source_rows(self, name: Any, source_id: str | None, where: str) -> Iterator[Row]:
        kind, number = _peer(source_id)
        if kind == "user" and number not in self.accounts:
            yield self.sender_row(number, name, where, "forwarded_from_id", referred=True)
        elif kind in ("channel", "chat") and number not in self.channels:
            self.channels.add(number)
            yield Row("channels", self.file, where, {"platform": self.platform, "platform_id": number,
                                                     "channel": None if name in (None, "") else str(name)},
                      {"platform_id": "forwarded_from_id", "channel": "forwarded_from"}, referred=True)


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Reject]:
    """Stream the export: chats, their senders and forward sources, one sighting per message."""
    path = Path(path)
    reader = _Reader(path, mapping)
    chats: dict[str, _Chat] = {}  # chat prefix -> the chat being read there
    list_index: dict[str, int] = {}
    builder, depth, where, current = None, 0, "$", None
    with open(path, "rb") as fh:
        events = ijson.parse(fh, use_float=True)
        while True:
            try:
                prefix, event, value = next(events)
            except StopIteration:
                break
            except ijson.JSONError as exc:
                yield Reject("sightings", reader.file, where, "",
                             f"the JSON ends or breaks here ({' '.join(str(exc).split())[:80]}): the file is truncated or "
                             "damaged; the messages before this point were read", "")
                break
            if builder is not None:  # inside a message: build it
                builder.event(event, value)
                depth += {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}.get(event, 0)
                if depth == 0:
                    yield from reader.message(current, builder.value, where)
                    builder = None
                continue
            if prefix == "messages.item" or prefix.endswith(".messages.item"):
                current = chats.get(prefix[: -len("messages.item")].rstrip("."))
                if current is None:
                    continue
                where = f"{current.path}.messages[{current.count}]"
                current.count += 1
                if event in ("start_map", "start_array"):
                    builder, depth = ijson.ObjectBuilder(), 1
                    builder.event(event, value)
                else:
                    yield from reader.message(current, value, where)
                continue
            if prefix in CHAT_PREFIXES and event in ("start_map", "end_map"):
                if event == "start_map":
                    index = None
                    if prefix:
                        index = list_index.get(prefix, 0)
                        list_index[prefix] = index + 1
                    chats[prefix] = _Chat(CHAT_PREFIXES[prefix], index)
                    where = chats[prefix].path
                elif prefix in chats:
                    yield from _end_chat(reader, chats.pop(prefix))
                continue
            parent, _, key = prefix.rpartition(".")
            if parent in chats and key in ("name", "type", "id") and event in ("string", "number"):
                chats[parent].fields[key] = value


def _end_chat(reader: _Reader, chat: _Chat) -> Iterator[Row]:
    """A chat without messages still gets its row; a renamed chat its former names."""
    if not chat.id:
        return
    former = chat.former_names()
    if chat.id not in reader.channels or former:
        yield reader.channel_row(chat, former)
