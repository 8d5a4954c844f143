"""OFAC SDN list (``sdn.csv``: no header, ``-0-`` for empty) -> ``groups``, US ``designations``, ``persons``.

The mapping (``loaders/ofac_sdn.yaml``) gives the column names in OFAC's order, the empty
marker, which ``type`` values are entities, how programs are separated (``FTO] [SDGT``), which
programs are loaded, and the alias prefixes of the remarks (``a.k.a. 'BLA'``).

One ``designations`` row per loaded program: TTP (``FTO] [SDGT``) gives two rows, program
``FTO`` and program ``SDGT``, both with reference = the ent_num (so ``r.program = 'SDGT'``
answers "is it an SDGT" directly). An individual with a kept program is a ``persons`` row (its
``Linked To:`` entities, found by name among the kept entities of the file, are its groups),
yielded after every group. The kept programs are the mapping's ``programs`` (``--programs``).
Group rows carry ``list_ids`` and ``match_keys`` for cross-list resolution (``formats.lists``).
Every other SDN row is yielded as :class:`Skipped` with its reason (vessel, aircraft, no kept
program); a ragged row (not 12 columns) is a
:class:`graphkit.rejects.Reject`. The trailing DOS end-of-file byte
(``\\x1a``) some copies carry is not a row.

The file is read under the one encoding rule of ``graphkit.ingest.text`` (UTF-8, else
Windows-1252, which OFAC has published too; UTF-16 by its BOM) through ``formats.text_lines``.
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
    one_line,
    csv_records,
    group_identity,
    join_list,
    lists,
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
    return aliases, one_line("; ".join(rest))


_UN_ENTITY_REF = re.compile(r"\b([A-Z]{2}e)\.\s?(\d+)\b")
_LINKED = re.compile(r"^Linked To:\s*(?P<name>.+?)\.?$")
_DOB = re.compile(r"^(?:alt\. )?DOB\s+(?P<value>.+)$")
_NATIONALITY = re.compile(r"^(?:alt\. )?(?:nationality|citizen)\s+(?P<value>.+)$")


class _Options:
    """The mapping's options, read once."""

    def __init__(self, mapping: dict[str, Any]):
        self.columns: list[str] = option(mapping, "columns", required=True)
        self.empty = set(option(mapping, "empty", ["-0-"]))
        self.entity_types = {t.casefold() for t in option(mapping, "entity_types", [""])}
        self.person_types = {t.casefold() for t in option(mapping, "person_types", []) or []}
        self.separator = option(mapping, "program_separator", "] [").strip()
        self.wanted = lists.programs(mapping)
        self.prefixes = option(mapping, "alias_prefixes", ["a.k.a.", "f.k.a.", "n.k.a."])
        self.authority = option(mapping, "authority", "US")
        self.prefix = option(mapping, "group_id_prefix", "OFAC-")
        self.un_prefix = option(mapping, "un_id_prefix", "UN-")


def _records(path: Path, o: _Options) -> Iterator[tuple[int, dict | Reject | None]]:
    """``(line, record)``: a dict of the row's cells, a Reject for a ragged row, None for a blank line."""
    reader = csv.reader(text_lines(path))
    for line, cells in csv_records(path, reader, hint="the file may be truncated or not an OFAC SDN CSV"):
        if not any(c.strip(" \t\r\n\x1a") for c in cells):
            yield line, None  # blank line or the DOS end-of-file marker
        elif len(cells) != len(o.columns):
            yield line, Reject("groups", str(path), line, "",
                               f"ragged row: {len(cells)} columns, expected {len(o.columns)}", raw_text(cells))
        else:
            record = {}
            for column, cell in zip(o.columns, cells):
                cell = cell.strip()
                record[column] = None if (cell in o.empty or not cell) else cell
            yield line, record


def _programs(record: dict, o: _Options) -> list[str]:
    listed = [p.strip("[] ") for p in (record.get("program") or "").split(o.separator)]
    return lists.kept(listed, o.wanted)


def _first_pass(path: Path, o: _Options) -> tuple[set[str], dict[str, str]]:
    """The match keys two kept entities share, and every kept entity's name/alias key -> its id
    (how a person's ``Linked To: AL QA'IDA`` finds the group)."""
    keys: list[list[str]] = []
    by_name: dict[str, str] = {}
    for _, record in _records(path, o):
        if not isinstance(record, dict) or (record.get("type") or "").casefold() not in o.entity_types:
            continue
        if not _programs(record, o) or not record.get("ent_num"):
            continue
        aliases, _ = _split_remarks(record.get("remarks"), o.prefixes)
        names = [one_line(record.get("name")), *aliases]
        keys.append(lists.match_keys(names))
        for key in keys[-1]:
            by_name.setdefault(key, f"{o.prefix}{record['ent_num']}".upper())
    shared = lists.shared_keys(keys)  # a name two entities share ties a person to neither
    return shared, {k: v for k, v in by_name.items() if k not in shared}


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Skipped]:
    path = Path(path)
    if path.stat().st_size == 0:
        raise LoadError(f"{path} is empty", hint="expected the OFAC SDN list (sdn.csv)")
    o = _Options(mapping)
    shared, by_name = _first_pass(path, o)
    name = str(path)
    persons: list[Row] = []
    for line, record in _records(path, o):
        if record is None:
            continue
        if isinstance(record, Reject):
            yield record
            continue
        kind = (record.get("type") or "").casefold()
        if kind not in o.entity_types and kind not in o.person_types:
            yield Skipped(name, line, f"SDN type {kind} (not an entity or a person)")
            continue
        kept = _programs(record, o)
        if not kept:
            what = "entity" if kind in o.entity_types else kind
            yield Skipped(name, line, f"{what} without a {_kept_text(mapping)} program (see --programs)")
            continue
        if kind in o.entity_types:
            yield from _entity(name, line, record, kept, o, shared)
        else:
            persons.append(_person(name, line, record, kept, o, by_name))
    yield from persons  # after every group, so their ties find the groups of this file


def _kept_text(mapping: dict[str, Any]) -> str:
    wanted = option(mapping, "programs", [])
    return "/".join(wanted) if isinstance(wanted, list) else str(wanted)


_COLUMN_OF = {"group_id": "ent_num", "name": "name", "aliases": "remarks", "description": "remarks",
              "program": "program", "reference": "ent_num", "list_ids": "ent_num", "match_keys": "name",
              "person_id": "ent_num", "group_ids": "remarks", "born": "remarks", "nationality": "remarks"}


def _entity(name: str, line: int, record: dict, kept: list[str], o: _Options, shared: set[str]) -> Iterator[Row]:
    aliases, description = _split_remarks(record.get("remarks"), o.prefixes)
    group_name = one_line(record.get("name"))
    reference = record.get("ent_num")
    list_id = f"{o.prefix}{reference}".upper() if reference else None
    cited = [f"{o.un_prefix}{k}.{n}".upper() for k, n in _UN_ENTITY_REF.findall(record.get("remarks") or "")]
    keys = [k for k in lists.match_keys([group_name, *aliases]) if k not in shared]
    gid, group_name, aliases = group_identity(group_name, aliases, list_id)
    yield Row("groups", name, line, {
        "group_id": gid, "name": group_name, "aliases": join_list(aliases),
        "country": None, "description": description,
        "list_ids": lists.joined(dict.fromkeys([list_id, *cited])), "match_keys": lists.joined(keys),
    }, _COLUMN_OF)
    for program in kept:
        yield Row("designations", name, line, {
            "group_id": gid, "authority": o.authority, "program": program,
            "reference": reference, "listed_on": None,
        }, _COLUMN_OF)


def _person(name: str, line: int, record: dict, kept: list[str], o: _Options, by_name: dict[str, str]) -> Row:
    """An SDN individual: a Person tied to every kept entity of its ``Linked To:`` remarks."""
    aliases, description = _split_remarks(record.get("remarks"), o.prefixes)
    groups, born, nationality = [], [], []
    for part in (record.get("remarks") or "").split(";"):
        part = one_line(part) or ""
        for pattern, into in ((_LINKED, None), (_DOB, born), (_NATIONALITY, nationality)):
            match = pattern.match(part)
            if match and into is None:
                gid = by_name.get(lists.match_key(match["name"]))
                if gid:
                    groups.append(gid)
                break
            if match:
                into.append(match["value"].rstrip("."))
                break
    reference = record.get("ent_num")
    return Row("persons", name, line, {
        "person_id": f"{o.prefix}{reference}".upper() if reference else None,
        "name": one_line(record.get("name")), "aliases": join_list(aliases),
        "nationality": join_list(nationality), "born": join_list(born), "description": description,
        "group_ids": lists.joined(dict.fromkeys(groups)),
        "authority": o.authority, "program": "; ".join(kept), "reference": reference, "listed_on": None,
    }, _COLUMN_OF)


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
