"""OFAC SDN list (``sdn.csv``: no header, ``-0-`` for empty) -> ``groups`` + US ``designations``.

The mapping (``loaders/ofac_sdn.yaml``) gives the column names in OFAC's order, the empty
marker, which ``type`` values are entities, how programs are separated (``FTO] [SDGT``), which
programs are loaded, and the alias prefixes of the remarks (``a.k.a. 'BLA'``).

One ``designations`` row per loaded program: TTP (``FTO] [SDGT``) gives two rows, program
``FTO`` and program ``SDGT``, both with reference = the ent_num (so ``r.program = 'SDGT'``
answers "is it an SDGT" directly). Every other SDN row is yielded as :class:`Skipped` with its
reason (individual, vessel, aircraft, no FTO/SDGT program); a ragged row (not 12 columns) is a
:class:`graphkit.rejects.Reject`. The trailing DOS end-of-file byte
(``\\x1a``) some copies carry is not a row.

Each line is decoded on its own as UTF-8, falling back to Windows-1252 (OFAC has published both);
a UTF-16 file is read too (``formats.text_lines``).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import LoadError
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, raw_text
from graphkit.ingest.formats import (
    Skipped,
    clean_text,
    csv_records,
    group_identity,
    join_list,
    option,
    text_lines,
)


def _split_remarks(remarks: str | None, prefixes: list[str]) -> tuple[list[str], str | None]:
    """``a.k.a. 'X'; Website y.`` -> (["X"], "Website y.")."""
    if not remarks:
        return [], None
    pattern = re.compile(
        r"^(?:%s)\s*['\"](?P<alias>.+)['\"]\.?$" % "|".join(re.escape(p) for p in prefixes))
    aliases: list[str] = []
    rest: list[str] = []
    for part in remarks.split(";"):
        part = part.strip()
        if not part:
            continue
        match = pattern.match(part)
        if match:
            aliases.append(match["alias"])
        else:
            rest.append(part)
    return aliases, clean_text("; ".join(rest))


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Skipped]:
    path = Path(path)
    if path.stat().st_size == 0:
        raise LoadError(f"{path} is empty", hint="expected the OFAC SDN list (sdn.csv)")
    columns: list[str] = option(mapping, "columns", required=True)
    empty = set(option(mapping, "empty", ["-0-"]))
    entity_types = {t.casefold() for t in option(mapping, "entity_types", [""])}
    separator = option(mapping, "program_separator", "] [")
    programs: list[str] = option(mapping, "programs", required=True)
    prefixes = option(mapping, "alias_prefixes", ["a.k.a.", "f.k.a.", "n.k.a."])
    authority = option(mapping, "authority", "US")
    prefix = option(mapping, "group_id_prefix", "OFAC-")
    column_of = {"group_id": "ent_num", "name": "name", "aliases": "remarks",
                 "description": "remarks", "program": "program", "reference": "ent_num"}
    name = str(path)

    reader = csv.reader(text_lines(path))
    for line, cells in csv_records(path, reader, hint="the file may be truncated or not an OFAC SDN CSV"):
        if not any(c.strip(" \t\r\n\x1a") for c in cells):
            continue  # blank line or the DOS end-of-file marker
        if len(cells) != len(columns):
            yield Reject("groups", name, line, "",
                         f"ragged row: {len(cells)} columns, expected {len(columns)}", raw_text(cells))
            continue
        record = {}
        for column, cell in zip(columns, cells):
            cell = cell.strip()
            record[column] = None if (cell in empty or not cell) else cell
        kind = (record.get("type") or "").casefold()
        if kind not in entity_types:
            yield Skipped(name, line, f"SDN type {kind} (not an entity)")
            continue
        listed = [p.strip("[] ") for p in (record.get("program") or "").split(separator.strip())]
        kept = [p for p in programs if p in listed]
        if not kept:
            yield Skipped(name, line, f"entity without a {'/'.join(programs)} program")
            continue
        aliases, description = _split_remarks(record.get("remarks"), prefixes)
        group_name = clean_text(record.get("name"))
        reference = record.get("ent_num")
        gid, group_name, aliases = group_identity(group_name, aliases,
                                                  f"{prefix}{reference}" if reference else None)
        yield Row("groups", name, line, {
            "group_id": gid, "name": group_name, "aliases": join_list(aliases),
            "country": None, "description": description,
        }, column_of)
        for program in kept:
            yield Row("designations", name, line, {
                "group_id": gid, "authority": authority, "program": program,
                "reference": reference, "listed_on": None,
            }, column_of)


def detect(path: Path) -> bool:
    """An SDN CSV: no header, the first row's ent_num a number (the mapping checks 12 fields, -0-)."""
    try:
        for text in text_lines(Path(path)):
            cells = next(csv.reader([text]), [])
            if not any(c.strip(" \t\r\n\x1a") for c in cells):
                continue
            return bool(cells) and cells[0].strip().isdigit()
    except (OSError, csv.Error):
        return False
    return False
