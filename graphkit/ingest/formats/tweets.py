"""Tweet export CSV -> one ``sightings`` row per tweet, one ``accounts`` row per account.

The mapping (``loaders/tweets.yaml``) gives the platform, the required header columns, which
export column fills which canonical column, and the time format of the export
(``1/6/2015 21:07``, month first, UTC). Code does what a mapping cannot:

- ``observed_at`` is rewritten to ISO 8601 UTC with the mapping's time format (month/day order is
  a property of the export, not something to guess); a time that does not parse is passed on as
  written, so the load engine rejects it with its reason;
- ``accounts``: an export repeats the author's profile on every tweet, with the counts of that
  moment. One accounts row per account (by normalised handle, in the order of first appearance) is
  yielded before the tweets (a first pass over the file),
  carrying the profile of its latest tweet (latest parseable time; the later line on a tie), with
  that tweet's line. One row per tweet would make a re-load rewrite older profile values on the
  way (not idempotent) and cost one write per tweet for a hundred accounts;
- ``mentions``: the ``@handles`` in the text (retweets ``RT @handle:`` included), in order,
  ``;``-joined, each once (case-insensitive); an e-mail address is not a mention;

No ``sighting_id`` is made up here: the load engine derives it from platform, account, time and
text exactly as for a bundle's sightings, so the same tweet loaded twice, from two copies of the
export, or from a bundle, is one sighting.

The username is passed on as written: the one in the real export that is a run of 304 backticks
is kept (the export says that account posted the tweet; dropping it would lose the tweet), and
it is for the engine's handle normalisation to accept or reject it.
"""
from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from graphkit.errors import LoadError
from graphkit.ingest.values import handle as handle_norm
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, raw_text
from graphkit.ingest.formats import csv_records, option, text_lines

# X/Twitter handles are 1-15 of [A-Za-z0-9_]; a mention is not preceded by a word character
# or @ (so user@example.org is not one) and not followed by another handle character.
MENTION = re.compile(r"(?<![A-Za-z0-9_@＠])[@＠]([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])")


def _field_limit() -> None:
    # a tweet export's cell can be large (a 10 MB cell must read, not crash the csv module)
    limit = 1 << 27
    if csv.field_size_limit() < limit:
        csv.field_size_limit(min(limit, sys.maxsize))


def mentions(text: str | None) -> str | None:
    """``;``-joined distinct @handles of a post's text, first spelling kept, in order."""
    if not text:
        return None
    seen: set[str] = set()
    out: list[str] = []
    for handle in MENTION.findall(text):
        if handle.casefold() not in seen:
            seen.add(handle.casefold())
            out.append(handle)
    return ";".join(out) or None


def _iso_time(value: str | None, formats: list[str]) -> str | None:
    """``value`` in ISO 8601 UTC when one of ``formats`` reads it, else None."""
    if value is None:
        return None
    text = value.strip()
    for fmt in formats:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _records(path: Path, columns: list[str]) -> Iterator[tuple[int, list[str] | None, dict[str, int], int]]:
    """``(line, cells, column index, header width)`` of every non-blank record; checks the header."""
    lines = text_lines(path)
    try:
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            raise LoadError(f"{path} is empty", hint="expected a tweet export CSV with a header row") from None
        header = [h.replace("\ufeff", "").strip().casefold() for h in header]
        for column in dict.fromkeys(columns):
            if column not in header:
                raise LoadError(f"{path}: the column {column!r} is missing from the header",
                                hint=f"a tweet export needs the columns {', '.join(dict.fromkeys(columns))}")
        index = {h: i for i, h in enumerate(header)}
        for line, cells in csv_records(path, reader, hint="check the quoting of that line", start=reader.line_num):
            if any(c.strip() for c in cells):
                yield line, cells, index, len(header)
    finally:
        lines.close()


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Reject]:
    """Two passes over the file: the accounts (each with its latest profile) first, so the summary
    counts them as created by their own rows, then one sighting per tweet."""
    path = Path(path)
    name = str(path)
    platform = option(mapping, "platform", required=True)
    account_cols = {k: v.casefold() for k, v in option(mapping, "accounts", required=True).items()}
    sighting_cols = {k: v.casefold() for k, v in option(mapping, "sightings", required=True).items()}
    text_col = option(mapping, "text_column", "tweets").casefold()
    formats = option(mapping, "time_formats", ["%m/%d/%Y %H:%M"])
    _field_limit()
    needed = [c for c in [*account_cols.values(), *sighting_cols.values(), text_col] if c]
    sig_of = {**sighting_cols, "mentions": text_col}

    def cell(cells, index, column: str) -> str | None:
        value = cells[index[column]]
        return value if value.strip() else None

    profiles: dict[str, tuple[tuple[str, int], Row]] = {}
    for line, cells, index, width in _records(path, needed):
        if len(cells) != width:
            continue  # rejected as a sighting in the second pass
        observed = _iso_time(cell(cells, index, sighting_cols["observed_at"]), formats)
        account = {"platform": platform, **{k: cell(cells, index, v) for k, v in account_cols.items()}}
        key = handle_norm(account.get("handle")) or (account.get("handle") or "")
        rank = (observed or "", line)
        if key not in profiles or rank >= profiles[key][0]:
            profiles[key] = (rank, Row("accounts", name, line, account, dict(account_cols)))
    for _, row in profiles.values():
        yield row

    for line, cells, index, width in _records(path, needed):
        if len(cells) != width:
            yield Reject("sightings", name, line, "", f"ragged row: {len(cells)} columns, expected {width}",
                         raw_text(cells))
            continue
        sighting = {"platform": platform, **{k: cell(cells, index, v) for k, v in sighting_cols.items()}}
        observed = _iso_time(sighting.get("observed_at"), formats)
        if observed:
            sighting["observed_at"] = observed
        sighting["mentions"] = mentions(cell(cells, index, text_col))
        yield Row("sightings", name, line, sighting, sig_of)
