"""Readers for real-world report formats (the adapters behind ``loaders/*.yaml``).

Each module here has ``read(path, mapping) -> Iterator[Row | Skipped]``: it turns one input
format into canonical :class:`graphkit.records.Row` objects (table and column names of
``graphkit.records.TABLES``) and never touches the database. The declarative part of a format
(column names, empty markers, which programs count, the authority ...) lives in the mapping YAML
and reaches the reader as the ``mapping`` dict; the code here only does what a mapping cannot say.

- ``un_xml``: UN Security Council consolidated list XML -> groups + UN designations
- ``ofac``:   OFAC SDN CSV -> groups + US designations (FTO / SDGT entities)
- ``tweets``: tweet export CSV -> accounts + sightings (with mentions)
- ``telegram``: Telegram Desktop JSON export -> channels, accounts, sightings (forwards, service messages)
- ``whatsapp``: WhatsApp chat export text (or its zip) -> a channel, accounts, phone identifiers, sightings
- ``xapi``:     X API v2 JSON lines -> accounts (by id) + sightings (retweet/quote/reply links)
- ``meta_cl``:  Meta Content Library CSV -> accounts, group channels, sightings

A record a reader deliberately does not load (a UN individual, an OFAC vessel) is yielded as a
:class:`graphkit.records.Skipped` so the load summary can count it: nothing is dropped silently.
A record that cannot even be split into columns (a ragged row) is a
:class:`graphkit.rejects.Reject`.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphkit.errors import LoadError
from graphkit.ingest import text
from graphkit.ingest.records import Skipped

__all__ = ["Skipped", "one_line", "csv_records", "json_head", "group_identity", "join_list", "name_variants", "option", "report_meta",
           "resolve_group", "text_lines"]

_BROKEN_WORD = re.compile(r"(?<=\S-)[ \t]*\r?\n\s*")
_SPACE = re.compile(r"\s+")


def one_line(value: str | None) -> str | None:
    """Collapse whitespace (a name broken across lines becomes one line); ``None`` when empty.

    A line break right after a hyphen inside a word (``ISIL-\\nK``) joins without a space.
    """
    if value is None:
        return None
    value = _BROKEN_WORD.sub("", value)
    value = _SPACE.sub(" ", value).strip()
    return value or None


def join_list(values: list[str]) -> str | None:
    """``;``-join distinct non-empty values (case-insensitive), first spelling kept, in order.

    A ``;`` inside one value would split it on loading, so it becomes ``,``.
    """
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = one_line(value)
        if not value:
            continue
        value = value.replace(";", ",")
        folded = value.casefold()
        if folded not in seen:
            seen.add(folded)
            out.append(value)
    return "; ".join(out) or None


def json_head(path: Path, size: int = 65536) -> bytes | None:
    """The first ``size`` bytes of a file that opens a JSON object (after a BOM and blanks), for a
    reader's ``detect`` rule; None when it does not or cannot be read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(size)
    except OSError:
        return None
    return head if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else None


def option(mapping: dict[str, Any], key: str, default: Any = None, *, required: bool = False) -> Any:
    """A reader option from the mapping (top level or under ``options:``)."""
    for where in (mapping.get("options") or {}, mapping):
        if key in where:
            return where[key]
    if required:
        name = mapping.get("name", "?")
        raise LoadError(f"loader mapping {name!r} lacks the option {key!r}",
                        hint=f"add '{key}:' to loaders/{name}.yaml")
    return default


def resolve_group(names: list[str]) -> str | None:
    """The known group id (graphkit/ingest/groups.yaml) of the first of ``names`` that resolves."""
    from graphkit.ingest.values import resolve_group as _resolve

    for name in names:
        name = one_line(name)
        if name:
            gid = _resolve(name)
            if gid:
                return gid
    return None


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    from graphkit.ingest.values import known_groups

    return {gid: str(entry.get("name") or gid) for gid, entry in known_groups().items()}


def group_identity(name: str | None, aliases: list[str],
                   local_id: str | None) -> tuple[str | None, str | None, list[str]]:
    """``(gid, name, aliases)`` of a listed group.

    A known group (any of its names resolves through graphkit/ingest/groups.yaml) keeps its canonical
    name, and the list's own spelling becomes its first alias, so the group's name does not
    depend on which list was loaded last. Any other group gets ``local_id`` upper-cased (gids are
    upper-case, docs/model.md) and the list's name.
    """
    gid = resolve_group([*name_variants(name), *aliases])
    if gid:
        return gid, _known_names().get(gid, name), [n for n in [name, *aliases] if n]
    return (local_id.upper() if local_id else None), name, aliases


_PAREN = re.compile(r"^(?P<base>.*?)\s*\((?P<short>[^()]+)\)\s*$")


def name_variants(name: str | None) -> list[str]:
    """``NAME (SHORT)`` -> [``NAME (SHORT)``, ``NAME``, ``SHORT``]; other names -> [name]."""
    name = one_line(name)
    if not name:
        return []
    match = _PAREN.match(name)
    if not match:
        return [name]
    return [name, match["base"], match["short"]]


def text_lines(path: Path) -> Iterator[str]:
    """The file's lines as text, split at ``\\n`` only; the encoding and bad-byte rule of every
    text reader (``graphkit.ingest.text``: one encoding per file, Windows-1252 the fallback,
    undecodable bytes kept for the engine to reject the record)."""
    return text.text_lines(lambda: open(path, "rb"))


def report_meta(path: Path, mapping: dict[str, Any]) -> dict[str, str]:
    """The Report's ``source`` and ``title`` from the mapping's ``report:`` block (a mapping's
    ``report_meta`` hook; the engine adds the id and checksum)."""
    report = option(mapping, "report", {}) or {}
    return {k: str(report[k]) for k in ("source", "title") if report.get(k)}


def csv_records(path: Path, reader, hint: str, start: int = 0) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each record of a ``csv.reader``: ``line`` is the physical line the
    record starts on (quoted cells may span lines); an unreadable record stops the load with a
    LoadError naming the line. ``start`` is the reader's line count before the first record."""
    previous_end = start
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise LoadError(f"{path}, line {reader.line_num}: not readable as CSV ({exc})", hint=hint) from None
        yield previous_end + 1, cells
        previous_end = reader.line_num
