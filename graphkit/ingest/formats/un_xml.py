"""UN Security Council consolidated sanctions list (XML) -> ``groups``, ``designations``, ``persons``.

Streaming: expat is fed the file in chunks (twice: a first pass collects the entities' match
keys), so memory holds only the person rows until the end of the file, and expat knows each
element's line (``Row.line`` is the line of the record's opening tag).

The mapping (``loaders/un_consolidated.yaml``) names the root element, the record element
loaded as a group (``ENTITY``), the one loaded as a person (``INDIVIDUAL``), the programs kept
(``UN_LIST_TYPE`` values; records of other regimes are skipped with the reason), and which child
element paths fill which canonical column. A path is ``TAG`` or ``PARENT/TAG`` relative to the
record; a column given a list of paths collects all of their values (aliases: every
``ENTITY_ALIAS/ALIAS_NAME`` plus ``NAME_ORIGINAL_SCRIPT``; a person's name: its name parts joined).

Code does what a mapping cannot: whitespace and broken lines in names, the gid (a known group
from any of the entity's names, with its canonical name and the UN spelling as an alias; else
``UN-<REFERENCE>`` upper-cased like every gid, e.g. ``UN-QDE.999``), one group row + one designation row
per entity with the ``list_ids`` and ``match_keys`` of cross-list resolution (``formats.lists``; a
first pass finds the keys two entities share), and one person row per individual, tied to the
entity references of its comments (``QDe.132``) and yielded after every group. Dates are passed
through as written (``2015-04-07-04:00`` included): the load engine's date normalisation reads them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from graphkit.errors import LoadError
from graphkit.ingest.records import Row
from graphkit.ingest.formats import Skipped, one_line, group_identity, join_list, lists, option
from graphkit.ingest.formats import report_meta as formats_report_meta

CHUNK = 1 << 16


class _Record:
    """One record element being collected: leaf texts by path relative to the record."""

    def __init__(self, tag: str, line: int):
        self.tag = tag
        self.line = line
        self.fields: dict[str, list[str]] = {}

    def values(self, paths: str | list[str]) -> list[str]:
        out: list[str] = []
        for path in [paths] if isinstance(paths, str) else paths:
            out.extend(self.fields.get(path, []))
        return out

    def first(self, paths: str | list[str]) -> str | None:
        for value in self.values(paths):
            value = one_line(value)
            if value:
                return value
        return None


def _records(path: Path, root_tag: str, record_tags: set[str]) -> Iterator[_Record]:
    """Stream the record elements (direct or nested children of the root) of an XML file."""
    done: list[_Record] = []
    stack: list[str] = []
    texts: list[list[str]] = []
    current: list[_Record | None] = [None]
    depth_of_record = [0]

    parser = expat.ParserCreate()
    parser.buffer_text = True

    def start(tag: str, attrs: dict) -> None:
        if not stack and tag != root_tag:
            raise LoadError(
                f"{path}: the XML root element is <{tag}>, not <{root_tag}>",
                hint="this is not a UN consolidated list; pick another --format",
            )
        stack.append(tag)
        texts.append([])
        if current[0] is None and tag in record_tags:
            current[0] = _Record(tag, parser.CurrentLineNumber)
            depth_of_record[0] = len(stack)

    def end(tag: str) -> None:
        text = "".join(texts.pop())
        record = current[0]
        if record is not None:
            depth = depth_of_record[0]
            if len(stack) == depth:
                done.append(record)
                current[0] = None
            elif len(stack) > depth:
                rel = "/".join(stack[depth:])
                if text.strip():
                    record.fields.setdefault(rel, []).append(text)
        stack.pop()

    def chars(data: str) -> None:
        if texts and current[0] is not None:  # text outside a record is never used
            texts[-1].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars

    try:
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(CHUNK)
                parser.Parse(chunk, not chunk)
                yield from done
                done.clear()
                if not chunk:
                    break
    except expat.ExpatError as exc:
        raise LoadError(
            f"{path}, line {exc.lineno}: the XML is not well-formed ({expat.errors.messages[exc.code]})",
            hint="the file may be truncated or not XML; records before this line were read",
        ) from None


def _column_of(fields: dict[str, Any]) -> dict[str, str]:
    out = {}
    for column, paths in fields.items():
        out[column] = paths if isinstance(paths, str) else " | ".join(paths)
    return out


_ENTITY_REF = re.compile(r"\b([A-Z]{2}e)\.\s?(\d+)\b")


def _names(record: _Record, fields: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The record's name (the name parts of a person joined) and its aliases."""
    parts = [record.first(p) for p in ([fields["name"]] if isinstance(fields["name"], str) else fields["name"])]
    name = one_line(" ".join(p for p in parts if p))
    return name, record.values(fields.get("aliases", []))


def _local_id(record: _Record, fields: dict[str, Any], prefix: str) -> tuple[str | None, str | None]:
    """(reference, the list id: ``UN-QDE.132``, else ``UN-DATAID-...``)."""
    reference = record.first(fields.get("reference", []))
    dataid = record.first(fields["dataid"]) if "dataid" in fields else None
    local = reference or (f"DATAID-{dataid}" if dataid else None)
    return reference, (f"{prefix}{local}".upper() if local else None)


def _group_keys(path: Path, root_tag: str, record_tag: str, fields: dict, wanted) -> set[str]:
    """First pass: the match keys that two kept entities share (they identify neither). A file
    cut short is read up to the break here; the second pass raises the error."""
    keys: list[list[str]] = []
    try:
        for record in _records(path, root_tag, {record_tag}):
            if lists.keeps(record.first(fields.get("program", [])), wanted):
                name, aliases = _names(record, fields)
                keys.append(lists.match_keys([name, *aliases]))
    except LoadError:
        pass
    return lists.shared_keys(keys)


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Skipped]:
    path = Path(path)
    if path.stat().st_size == 0:
        raise LoadError(f"{path} is empty", hint="expected a UN consolidated list XML file")
    root_tag = option(mapping, "root", "CONSOLIDATED_LIST")
    record_tag = option(mapping, "record", "ENTITY")
    person_tag = option(mapping, "person_record", None)
    skip: dict[str, str] = option(mapping, "skip_records", {}) or {}
    fields: dict[str, Any] = option(mapping, "fields", required=True)
    person_fields: dict[str, Any] = option(mapping, "person_fields", {}) or {}
    if not isinstance(fields, dict) or "name" not in fields:
        raise LoadError(f"loader mapping {mapping.get('name', '?')!r}: 'fields' must map 'name' to an element",
                        hint="e.g. fields: {name: FIRST_NAME, ...} in the mapping YAML")
    wanted = lists.programs(mapping)
    prefix = option(mapping, "group_id_prefix", "UN-")
    shared = _group_keys(path, root_tag, record_tag, fields, wanted)
    persons: list[Row] = []
    tags = {record_tag, *skip, *([person_tag] if person_tag else [])}
    for record in _records(path, root_tag, tags):
        if record.tag not in (record_tag, person_tag):
            yield Skipped(str(path), record.line, skip[record.tag])
            continue
        program = record.first(fields.get("program", []))
        if not lists.keeps(program, wanted):
            what = "entity" if record.tag == record_tag else "individual"
            yield Skipped(str(path), record.line,
                          f"UN {what} of the {program or 'unnamed'} regime (not in --programs)")
        elif record.tag == record_tag:
            yield from _entity(path, record, fields, mapping, prefix, shared)
        else:
            persons.append(_person(path, record, person_fields, mapping, prefix))
    yield from persons  # after every group, so their ties find the groups of this file


def _entity(path: Path, record: _Record, fields: dict, mapping: dict, prefix: str, shared: set[str]):
    name = str(path)
    column_of = _column_of(fields)
    group_name, aliases = _names(record, fields)
    reference, list_id = _local_id(record, fields, prefix)
    keys = [k for k in lists.match_keys([group_name, *aliases]) if k not in shared]
    gid, group_name, aliases = group_identity(group_name, aliases, list_id)
    yield Row("groups", name, record.line, {
        "group_id": gid,
        "name": group_name,
        "aliases": join_list(aliases),
        "country": join_list(record.values(fields.get("country", []))),
        "description": record.first(fields.get("description", [])),
        "list_ids": list_id,
        "match_keys": lists.joined(keys),
    }, column_of)
    yield Row("designations", name, record.line, {
        "group_id": gid,
        "authority": option(mapping, "authority", "UN"),
        "program": record.first(fields.get("program", [])),
        "reference": reference,
        "listed_on": record.first(fields.get("listed_on", [])),
    }, column_of)


def _person(path: Path, record: _Record, fields: dict, mapping: dict, prefix: str) -> Row:
    """A designated individual: a Person tied to the entities its comments cite (``QDe.132``)."""
    person_name, aliases = _names(record, fields)
    reference, list_id = _local_id(record, fields, prefix)
    comments = record.first(fields.get("description", []))
    groups = [f"{prefix}{kind}.{number}".upper() for kind, number in _ENTITY_REF.findall(comments or "")]
    return Row("persons", str(path), record.line, {
        "person_id": list_id,
        "name": person_name,
        "aliases": join_list(aliases),
        "nationality": join_list(record.values(fields.get("nationality", []))),
        "born": join_list(record.values(fields.get("born", []))),
        "description": comments,
        "group_ids": lists.joined(dict.fromkeys(groups)),
        "authority": option(mapping, "authority", "UN"),
        "program": record.first(fields.get("program", [])),
        "reference": reference,
        "listed_on": record.first(fields.get("listed_on", [])),
    }, _column_of(fields))


def _root(path: Path) -> tuple[str, dict[str, str]] | None:
    """The root element's tag and attributes, or None when the file is not XML."""
    found: list[tuple[str, dict[str, str]]] = []

    class _Found(Exception):
        pass

    def start(tag: str, attrs: dict) -> None:
        found.append((tag, attrs))
        raise _Found

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(4096)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except _Found:
        pass
    except (expat.ExpatError, OSError):
        return None
    return found[0] if found else None


def detect(path: Path) -> bool:
    """True when the file's XML root element is ``CONSOLIDATED_LIST``."""
    root = _root(Path(path))
    return bool(root) and root[0] == "CONSOLIDATED_LIST"


def report_meta(path: Path, mapping: dict[str, Any]) -> dict[str, str]:
    """Source and title from the mapping; the date from the root's ``dateGenerated`` attribute
    (``2020-11-24T20:23:07.617-05:00`` -> ``2020-11-24``, the date as the UN wrote it)."""
    meta = formats_report_meta(path, mapping)
    root = _root(Path(path))
    generated = (root[1] if root else {}).get(option(mapping, "date_attribute", "dateGenerated"), "")
    if len(generated) >= 10 and generated[4] == "-" and generated[7] == "-":
        meta["date"] = generated[:10]
    return meta
