"""A fictional Telegram Desktop export: five channels that forward each other's posts.

``write(folder, seed)`` writes one single-chat export per channel, as Telegram Desktop's *Export
chat history* (JSON) leaves them: ``ChatExport_<name>/result.json``. Everything is invented: the
names say "Example", links go to example.org, mentions are ``@example_...`` handles. The seed
changes the texts, times and how often a source is forwarded; the network itself is fixed, so a
test can count it by hand:

    channel (group)                      forwards posts of
    TTP Example Bulletin (TTP)           Example Archive Relay        renamed: created "TTP Example Desk"
    TTP Example Wire (TTP)               TTP Example Bulletin, Khorasan Example Voice
    Khorasan Example Voice (ISIS-K)      Example Archive Relay
    Baloch Army Example Feed (BLA)       Example Field Reporter (a user, not a channel)
    Frontier Example Digest (no group)   TTP Example Bulletin, Khorasan Example Voice, Baloch Army Example Feed

Example Archive Relay is a channel known only from the forwards (it is not exported). Every chat
opens with a ``create_channel`` service message; the Wire pins a post; the Bulletin's rename is an
``edit_group_title`` service message. ``expected`` (returned, and written as ``expected.json``)
lists the files with their group, and the forward links.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from graphkit.errors import SynthError

START = datetime(2025, 5, 1, 6, 0, tzinfo=timezone.utc)
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
RELAY = ("Example Archive Relay", 1990000099)
REPORTER = ("Example Field Reporter", 5990000001)
# name, Telegram id, group (None: not tied), former name, sources (channel names or the reporter)
CHANNELS = [
    ("TTP Example Bulletin", 1990000001, "TTP", "TTP Example Desk", [RELAY[0]]),
    ("TTP Example Wire", 1990000002, "TTP", None, ["TTP Example Bulletin", "Khorasan Example Voice"]),
    ("Khorasan Example Voice", 1990000003, "ISIS-K", None, [RELAY[0]]),
    ("Baloch Army Example Feed", 1990000004, "BLA", None, [REPORTER[0]]),
    ("Frontier Example Digest", 1990000005, None, None,
     ["TTP Example Bulletin", "Khorasan Example Voice", "Baloch Army Example Feed"]),
]
MENTIONS = {"TTP Example Bulletin": "@example_editor_desk", "Khorasan Example Voice": "t.me/example_relay_archive"}
WORDS = ["bulletin", "update", "notice", "statement", "digest", "summary", "schedule", "archive"]


def folder_name(name: str) -> str:
    return "ChatExport_" + name.replace(" ", "_")


def _ids() -> dict[str, str]:
    """``forwarded_from_id`` of every source, by name (``channel...`` or ``user...``)."""
    ids = {name: f"channel{cid}" for name, cid, *_ in CHANNELS}
    ids[RELAY[0]] = f"channel{RELAY[1]}"
    ids[REPORTER[0]] = f"user{REPORTER[1]}"
    return ids


def _stamp(when: datetime) -> dict:
    return {"date": when.strftime("%Y-%m-%dT%H:%M:%S"), "date_unixtime": str(int(when.timestamp()))}


def _service(number: int, when: datetime, chat: tuple, action: str, **extra) -> dict:
    name, cid = chat[0], chat[1]
    return {"id": number, "type": "service", **_stamp(when), "actor": name, "actor_id": f"channel{cid}",
            "action": action, **extra, "text": "", "text_entities": []}


def _post(rng: random.Random, number: int, when: datetime, chat: tuple, mention: str | None) -> dict:
    name, cid, gid = chat[0], chat[1], chat[2]
    word = rng.choice(WORDS)
    slug = (gid or "digest").lower()
    link = f"https://example.org/{slug}/{rng.randrange(16 ** 6):06x}"
    entities = [{"type": "plain", "text": f"Fictional {word} no. {number} (example). Read more: "},
                {"type": "link", "text": link}]
    if mention:
        kind = "mention" if mention.startswith("@") else "link"
        entities += [{"type": "plain", "text": " via "}, {"type": kind, "text": mention}]
    message = {"id": number, "type": "message", **_stamp(when), "from": name, "from_id": f"channel{cid}",
               "text": [e if e["type"] != "plain" else e["text"] for e in entities], "text_entities": entities}
    if rng.random() < 0.25:
        message.update(photo=NOT_INCLUDED, width=1280, height=720)
    if rng.random() < 0.2:
        edited = when + timedelta(minutes=rng.randrange(5, 90))
        message.update(edited=edited.strftime("%Y-%m-%dT%H:%M:%S"), edited_unixtime=str(int(edited.timestamp())))
    return message


def _forward(rng: random.Random, number: int, when: datetime, chat: tuple, source: str, ids: dict) -> dict:
    message = _post(rng, number, when, chat, None)
    message.update(forwarded_from=source, forwarded_from_id=ids[source])
    return message


def chat(seed: int, index: int) -> dict:
    """The export of channel ``CHANNELS[index]``."""
    rng = random.Random(f"telegram-{seed}-{index}")
    name, cid, gid, former, sources = CHANNELS[index]
    ids = _ids()
    when = START + timedelta(days=index, hours=rng.randrange(12))
    messages = [_service(1, when, CHANNELS[index], "create_channel", title=former or name)]
    # each source forwarded one to three times, between posts of the channel's own
    plan = ["post"] * rng.randrange(4, 8) + [s for s in sources for _ in range(rng.randrange(1, 4))]
    rng.shuffle(plan)
    renamed_at = len(plan) // 2 if former else None
    for i, item in enumerate(plan):
        when += timedelta(hours=rng.randrange(2, 30), minutes=rng.randrange(60))
        number = len(messages) + 1
        if i == renamed_at:
            messages.append(_service(number, when, CHANNELS[index], "edit_group_title", title=name))
            number += 1
        if item == "post":
            first = not any(m.get("type") == "message" and "forwarded_from" not in m for m in messages)
            messages.append(_post(rng, number, when, CHANNELS[index], MENTIONS.get(name) if first else None))
        else:
            messages.append(_forward(rng, number, when, CHANNELS[index], item, ids))
    if index == 1:  # the Wire pins its first own post
        pinned = next(m["id"] for m in messages if m["type"] == "message" and "forwarded_from" not in m)
        messages.append(_service(len(messages) + 1, when + timedelta(minutes=5), CHANNELS[index], "pin_message",
                                 message_id=pinned))
    return {"name": name, "type": "public_channel", "id": cid, "messages": messages}


def expected() -> dict:
    """The files, their groups and the forward links (channel -> source), by name."""
    return {
        "files": [{"path": f"{folder_name(name)}/result.json", "channel": name, "id": cid, "group": gid}
                  for name, cid, gid, _, _ in CHANNELS],
        "forwards": [[name, source] for name, _, _, _, sources in CHANNELS for source in sources],
        "renamed": {name: former for name, _, _, former, _ in CHANNELS if former},
        "not_exported": {"channels": [RELAY[0]], "accounts": [REPORTER[0]]},
        "mentions": sorted(m.split("/")[-1].lstrip("@") for m in MENTIONS.values()),
    }


def write(folder, seed: int = 0) -> dict:
    """Write the five exports under ``folder``; same seed, same bytes. Returns ``expected()``
    with the number of messages per file."""
    folder = Path(folder)
    result = expected()
    try:
        for index, item in enumerate(result["files"]):
            data = chat(seed, index)
            path = folder / item["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            item["messages"] = len(data["messages"])
        (folder / "expected.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise SynthError(f"cannot write the Telegram export into {folder}: {exc.strerror or exc}",
                         hint="Choose a writable folder with free space.") from None
    return result
