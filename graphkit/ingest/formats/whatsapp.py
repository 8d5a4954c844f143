"""WhatsApp "Export chat" text (``_chat.txt``, ``WhatsApp Chat with NAME.txt``, or a .zip of one
with its media) -> the chat as a channel, its senders as accounts, one sighting per message.

Line formats of the common locales, all recognised by one pattern:
``12/01/2025, 10:15 - Name: text`` (Android), ``[12/01/25, 10:15:32] Name: text`` (iOS),
``1/12/25, 10:15 AM - Name: text`` (12-hour clock, with a plain or narrow no-break space),
``12.01.25, 10:15 - Name: text`` (dots), with or without the U+200E marks WhatsApp puts before
system text, media notes and phone numbers. A line that does not start a message continues the
one before (multi-line messages). A line without ``Name: `` (Android) or whose text starts with
U+200E (iOS, not a media note) is a system line ("... added ...", "Messages and calls are
end-to-end encrypted"): a sighting of kind ``system`` of the chat itself.

Dates: the day/month order is the declared one (``load --date-order dmy|mdy``), else inferred
from the whole file (a first pass): a first number above 12 somewhere means dmy, a second one
means mdy; a file where neither happens (every date could be read both ways) or both happen is a
clear error, never a guess row by row. Times are as written (the exporting phone's clock, no
zone) and stored as UTC.

Senders: a phone number (a contact not in the exporter's address book) is an account by its
number (platform id: the E.164 digits, as ``wa.me/DIGITS`` links name it; ``load --region`` for
numbers without a country code) with a ``phone`` identifier; a saved contact's name is an account
by that name. Media notes (``<Media omitted>``, ``image omitted``, ``<attached: ...>``) go to the
sighting's ``media``.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import LoadError
from graphkit.ingest import dates
from graphkit.ingest import values as nz
from graphkit.ingest.formats import option
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject
from graphkit.ingest.text import open_text

MARKS = "\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069\ufeff"
_SPACE = "[ \u00a0\u202f]"
START = re.compile(
    rf"^[{MARKS}]*\[?(?P<a>\d{{1,4}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep)(?P<c>\d{{2,4}}),?{_SPACE}+"
    rf"(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:[:.](?P<s>\d{{2}}))?(?:{_SPACE}*(?P<ap>[AaPp])\.?{_SPACE}?[Mm]\.?)?"
    rf"(?:\]{_SPACE}*|{_SPACE}+[-–]{_SPACE}+)(?P<rest>.*)$")
MEDIA = re.compile(r"^[" + MARKS + r"]*(?:<Media omitted>|<attached: [^>]*>|(?:image|video|audio|sticker|GIF|document"
                   r"|Contact card) omitted|.*\(file attached\))\s*$|^[" + MARKS + r"]*\S.* • \d+ pages?"
                   r"(?: [" + MARKS + r"]*document omitted)?$", re.I)
PHONE = re.compile(r"^\+?[\d \-()\u00a0]{7,}$")


def _open_text(path: Path):
    """The chat's text: the file, or the first .txt of a zip (the export with media)."""
    if path.suffix.lower() == ".zip":
        archive = zipfile.ZipFile(path)
        names = sorted((n for n in archive.namelist() if n.lower().endswith(".txt") and not n.startswith("__MACOSX")),
                       key=lambda n: (not Path(n).name.startswith(("_chat", "WhatsApp Chat")), n))
        if not names:
            archive.close()
            raise LoadError(f"{path} holds no chat text file (.txt)", hint="A WhatsApp export zip holds _chat.txt.")
        return open_text(lambda: archive.open(names[0]), newline=None)[0]
    return open_text(lambda: open(path, "rb"), newline=None)[0]  # the one encoding rule (ingest.text)


def detect(path: Path) -> bool:
    """A WhatsApp chat: one of the first five non-blank lines starts a message."""
    try:
        with _open_text(Path(path)) as fh:
            lines = [line for line in (fh.readline() for _ in range(20)) if line.strip()][:5]
    except (OSError, LoadError, zipfile.BadZipFile, UnicodeError):
        return False
    return any(START.match(line) for line in lines)


def chat_name(path: Path) -> str:
    """``WhatsApp Chat with NAME.txt`` / ``WhatsApp Chat - NAME.zip`` -> NAME; else the file's stem."""
    stem = path.stem
    m = re.match(r"^WhatsApp Chat(?: with| -)\s*(.+)$", stem, re.I)
    return (m[1] if m else stem).strip() or stem


def infer_order(path: Path) -> str:
    """dmy or mdy from the file's dates; LoadError when they allow both or neither."""
    first_big = second_big = year_first = False
    with _open_text(path) as fh:
        for line in fh:
            m = START.match(line)
            if not m:
                continue
            if len(m["a"]) >= 3:
                year_first = True
            elif int(m["a"]) > 12:
                first_big = True
            elif int(m["b"]) > 12:
                second_big = True
    if year_first and not (first_big or second_big):
        return "ymd"
    if first_big and second_big:
        raise LoadError(f"{path}: the dates are written in both day/month orders",
                        hint="Check the file (two exports pasted together?), or give --date-order dmy|mdy.")
    if first_big or second_big:
        return "dmy" if first_big else "mdy"
    raise LoadError(f"{path}: every date could be read day-first or month-first (no day above 12)",
                    hint="Give the order of the exporting phone: --date-order dmy (e.g. 25/12/2024) or mdy "
                    "(12/25/2024).")


def _iso(m: re.Match, order: str) -> str:
    """The line's time as ISO 8601 (UTC, as written), or the raw text when it is not a date."""
    a, b, c = m["a"], m["b"], m["c"]
    year, month, day = (a, b, c) if order == "ymd" else (c, b, a) if order == "dmy" else (c, a, b)
    hour = int(m["h"])
    if m["ap"]:
        hour = hour % 12 + (12 if m["ap"].lower() == "p" else 0)
    year_n = int(year) + (2000 if len(year) == 2 else 0)
    raw = f"{year_n:04d}-{month}-{day} {hour}:{m['mi']}"  # an impossible date: the engine says why
    try:
        from datetime import datetime

        moment = datetime(year_n, int(month), int(day), hour, int(m["mi"]), int(m["s"] or 0))
    except ValueError:
        return raw  # the engine rejects it with its reason
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Chat:
    def __init__(self, path: Path, mapping: dict[str, Any]):
        self.file = str(path)
        self.platform = option(mapping, "platform", "whatsapp")
        self.name = chat_name(path)
        self.senders: set[str] = set()
        self.repeats: tuple[str, dict] = ("", {})

    def sender(self, name: str, line: int) -> tuple[dict, list[Row]]:
        """The sighting's account columns, and the rows of a sender seen for the first time."""
        clean = name.strip(MARKS + " ").translate(dict.fromkeys(map(ord, MARKS)))
        number = None
        if PHONE.match(clean) and sum(ch.isdigit() for ch in clean) >= 7:
            try:
                number = nz.phone(clean)
            except ValueError:
                number = None
        if number:
            digits = number.lstrip("+")
            rows = [] if digits in self.senders else [
                Row("accounts", self.file, line, {"platform": self.platform, "platform_id": digits,
                                                  "display_name": clean}, {"platform_id": "sender"}),
                Row("identifiers", self.file, line, {"url": f"https://wa.me/{digits}", "kind": "phone",
                                                     "value": number}, {"value": "sender", "url": "sender"})]
            self.senders.add(digits)
            return {"account": None, "account_id": digits}, rows
        rows = [] if clean in self.senders else [
            Row("accounts", self.file, line, {"platform": self.platform, "handle": clean, "display_name": clean},
                {"handle": "sender"})]
        self.senders.add(clean)
        return {"account": clean, "account_id": None}, rows

    def sid(self, when: str, who: str, text: str) -> str:
        """A stable id: the chat, time, sender and text, and which repeat of them this is."""
        if self.repeats[0] != when:
            self.repeats = (when, {})
        seen = self.repeats[1]
        key = (who, text)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256("\x1f".join([self.name, when, who, text, str(seen[key])]).encode("utf-8",
                                "surrogatepass")).hexdigest()[:24]
        return f"whatsapp-{digest}"


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Reject]:
    path = Path(path)
    order = dates.current_date_order() or infer_order(path)
    chat = _Chat(path, mapping)
    yield Row("channels", chat.file, 1, {"platform": chat.platform, "channel": chat.name, "kind": "whatsapp chat"},
              {"channel": "file name"})
    pending: tuple[int, re.Match, list[str]] | None = None
    with _open_text(path) as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            m = START.match(line)
            if m:
                if pending:
                    yield from _message(chat, *pending, order)
                pending = (number, m, [m["rest"]])
            elif pending:
                pending[2].append(line)
            elif line.strip(MARKS + " \t"):
                yield Reject("sightings", chat.file, number, "", "not a WhatsApp message line (no date and time at "
                             "its start) and no message before it to continue", line[:500])
    if pending:
        yield from _message(chat, *pending, order)


def _message(chat: _Chat, line: int, m: re.Match, lines: list[str], order: str) -> Iterator[Row]:
    rest = "\n".join(lines)
    who, sep, text = rest.partition(": ")
    system = not sep or (text.startswith("\u200e") and not MEDIA.match(text.split("\n")[0]))
    if not sep:
        who, text = "", rest
    when = _iso(m, order)
    values: dict[str, Any] = {"platform": chat.platform, "observed_at": when, "channel": chat.name,
                              "account": None, "account_id": None, "kind": "system" if system else "post",
                              "media": None, "excerpt": None}
    if not system:
        refs, rows = chat.sender(who, line)
        values.update(refs)
        yield from rows
    body = text.strip(MARKS + " ") if system else text
    first = body.split("\n")[0]
    if not system and MEDIA.match(first):
        values["media"] = first.strip(MARKS + " ")
        body = "\n".join(body.split("\n")[1:])
    values["excerpt"] = body.translate(dict.fromkeys(map(ord, MARKS))) if system else (body or None)
    values["sighting_id"] = chat.sid(when, who, text)
    yield Row("sightings", chat.file, line, values,
              {"observed_at": "date", "account": "sender", "account_id": "sender", "excerpt": "text"})
