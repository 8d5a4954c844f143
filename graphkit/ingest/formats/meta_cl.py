"""Meta Content Library CSV (Facebook or Instagram posts of public pages, groups and accounts)
-> accounts (the post owners, by their Meta ids), channels (the groups posted in), sightings.

The mapping (``loaders/meta_cl.yaml``) names the export's columns, with the spellings seen in
exports (``post_owner.id`` or ``post_owner_id`` ...), and how the platform is told (Instagram
exports count likes, Facebook ones reactions). Code does what a mapping cannot:

- an owner's ``accounts`` row at its first post, and again when a later post shows the same id
  with another username or name (a renamed page: one account, the old handle kept);
- a post in a group (its ``surface`` is a group, not the owner) is a sighting in that channel,
  whose ``channels`` row (by its id) comes at its first post;
- ``creation_time`` in Unix seconds becomes ISO 8601; other forms are passed on as written.

Rows are read line by line (quoted cells may span lines; the line is where the record starts).
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from graphkit.errors import LoadError
from graphkit.ingest.formats import csv_records, option, text_lines
from graphkit.ingest.formats.tweets import _field_limit
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, raw_text
from graphkit.ingest.text import CsvTable


def _header(path: Path) -> list[str]:
    return [h.replace("\ufeff", "").strip().casefold() for h in CsvTable(lambda: open(path, "rb")).read_header()]


def detect(path: Path) -> bool:
    """A CSV whose header has a creation time and a post owner id."""
    try:
        header = set(_header(Path(path)))
    except (OSError, LoadError, UnicodeError, csv.Error):
        return False
    return "creation_time" in header and bool({"post_owner.id", "post_owner_id"} & header)


def _when(value: str | None) -> str | None:
    if value and value.strip().isdigit() and len(value.strip()) >= 9:
        return datetime.fromtimestamp(int(value.strip()), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _columns(mapping: dict[str, Any], header: list[str]) -> dict[str, str | None]:
    """canonical field -> the header's column (the first spelling the header has), or None."""
    found = {}
    for field, spellings in option(mapping, "columns", required=True).items():
        spellings = [spellings] if isinstance(spellings, str) else spellings
        found[field] = next((s.casefold() for s in spellings if s.casefold() in header), None)
    return found


def _platform(mapping: dict[str, Any], header: list[str]) -> str:
    for column, platform in (option(mapping, "platform_by_column", {}) or {}).items():
        if column.casefold() in header:
            return platform
    return option(mapping, "platform", "facebook")


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Reject]:
    path = Path(path)
    file = str(path)
    _field_limit()
    lines = text_lines(path)
    try:
        reader = csv.reader(lines)
        try:
            header = [h.replace("\ufeff", "").strip().casefold() for h in next(reader)]
        except StopIteration:
            raise LoadError(f"{path} is empty", hint="expected a Meta Content Library CSV with a header row") from None
        col = _columns(mapping, header)
        for needed in ("post_id", "creation_time", "owner_id"):
            if col[needed] is None:
                raise LoadError(f"{path}: no {needed} column in the header",
                                hint="a Meta Content Library export has id, creation_time and post_owner.id")
        platform = _platform(mapping, header)
        index = {h: i for i, h in enumerate(header)}
        state = {"owners": {}, "groups": set()}
        for line, cells in csv_records(path, reader, hint="check the quoting of that line", start=reader.line_num):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                yield Reject("sightings", file, line, "", f"ragged row: {len(cells)} columns, expected {len(header)}",
                             raw_text(cells))
                continue
            cell = {f: (cells[index[c]].strip() or None) if c else None for f, c in col.items()}
            yield from _post(file, line, platform, cell, col, state)
    finally:
        lines.close()


def _post(file: str, line: int, platform: str, cell: dict, col: dict, state: dict) -> Iterator[Row]:
    owner, handle, name = cell["owner_id"], cell["owner_username"], cell["owner_name"]
    if owner and state["owners"].get(owner) != (handle, name):
        state["owners"][owner] = (handle, name)
        yield Row("accounts", file, line, {"platform": platform, "platform_id": owner, "handle": handle,
                                           "display_name": name},
                  {"platform_id": col["owner_id"], "handle": col["owner_username"], "display_name": col["owner_name"]})
    group = cell["surface_id"] if cell["surface_id"] and cell["surface_id"] != owner and \
        (cell["surface_type"] or "group").lower() in ("group", "event") else None
    if group and group not in state["groups"]:
        state["groups"].add(group)
        yield Row("channels", file, line, {"platform": platform, "platform_id": group, "channel": cell["surface_name"],
                                           "kind": (cell["surface_type"] or "group").lower()},
                  {"platform_id": col["surface_id"], "channel": col["surface_name"]})
    post = cell["post_id"]
    values = {"platform": platform, "sighting_id": f"{platform}-{post}" if post else None,
              "observed_at": _when(cell["creation_time"]), "account": handle, "account_id": owner,
              "excerpt": cell["text"], "language": cell["lang"], "post_url": cell["url"],
              "channel": cell["surface_name"] if group else None, "channel_id": group, "kind": "post"}
    yield Row("sightings", file, line, values,
              {"sighting_id": col["post_id"], "observed_at": col["creation_time"], "account": col["owner_username"],
               "account_id": col["owner_id"], "excerpt": col["text"], "post_url": col["url"]})
