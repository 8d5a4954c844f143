"""A logical, online backup of any Neo4j server (an external one too): every node and relationship
as JSON lines, restored as the same graph; and the content hash that says two graphs are the same.

File: a header line (``{"graphkit_backup": 1, ...}``), then one line per node (``{"n": id, "labels":
[...], "props": {...}}``), then one per relationship (``{"r": type, "s": id, "e": id, "props":
{...}}``). Typed values (dates, date-times, times, durations, bytes) are tagged (``{"$date":
"2025-07-01"}``) so they come back with their type. The file is written under a temporary name and
renamed when complete, its SHA-256 checksum beside it (``FILE.sha256``).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import neo4j.time

from graphkit import audit
from graphkit.db import reset
from graphkit.db.backup import BackupError, _target_for, publish_backup, verify, work_folder

BATCH = 5000
TEMP_LABEL = "_GraphkitRestore"
TEMP_KEY = "_graphkit_restore_id"
PROVENANCE = ("reports",)  # the property every load sets on the relationships it writes, besides the model's


# --------------------------------------------------------------------------- values


def encode(value):
    """A driver value as JSON (typed values tagged)."""
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, neo4j.time.DateTime):
        return {"$datetime": value.iso_format()}
    if isinstance(value, neo4j.time.Date):
        return {"$date": value.iso_format()}
    if isinstance(value, neo4j.time.Time):
        return {"$time": value.iso_format()}
    if isinstance(value, neo4j.time.Duration):
        return {"$duration": [value.months, value.days, value.seconds, value.nanoseconds]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (dt.date, dt.time, dt.datetime)):  # pragma: no cover - the driver gives neo4j.time
        return encode(neo4j.time.DateTime.from_native(value) if isinstance(value, dt.datetime) else value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise BackupError(f"a property value of type {type(value).__name__} cannot be backed up logically",
                      hint="Use `graphkit server backup` (a full dump) for this graph.")


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$datetime":
            return neo4j.time.DateTime.from_iso_format(raw)
        if tag == "$date":
            return neo4j.time.Date.from_iso_format(raw)
        if tag == "$time":
            return neo4j.time.Time.from_iso_format(raw)
        if tag == "$duration":
            return neo4j.time.Duration(months=raw[0], days=raw[1], seconds=raw[2], nanoseconds=raw[3])
        if tag == "$bytes":
            return base64.b64decode(raw)
    return value


def _props(props: dict) -> dict:
    return {key: encode(value) for key, value in props.items()}


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- reading the graph

NODES = "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"
RELS = ("MATCH (a)-[r]->(b) RETURN elementId(a) AS s, elementId(b) AS e, type(r) AS type, "
        "properties(r) AS props")


def _stream(graph, cypher: str, **session_options):
    """Records of ``cypher`` read in one READ transaction, streamed (never all in memory)."""
    with graph.session(read=True, **session_options) as session:
        with session.begin_transaction() as tx:
            yield from tx.run(cypher)


def _as_text(value: str) -> str:
    """Cypher turning one property value into text; a zoned date-time as its local time and
    offset (``2025-07-25T00:00Z``): a logical backup keeps the offset, not the zone's name."""
    return (f"CASE WHEN valueType({value}) STARTS WITH 'ZONED DATETIME' "
            f"THEN toString(localdatetime({value})) + {value}.offset ELSE toString({value}) END")


def _typed_props(var: str) -> str:
    """Cypher for the properties of ``var`` as ``[key, type, text]`` triples, the values turned
    into text by the server (the driver is slow at building date-times, and text hashes as fast
    as any value); a list's items each as text. The type keeps ``1`` apart from ``1.0`` and
    ``'2025-07-01'`` apart from ``date('2025-07-01')``."""
    value = f"{var}[k]"
    return (f"[k IN keys({var}) | [k, valueType({value}), CASE WHEN valueType({value}) STARTS WITH 'LIST' "
            f"THEN [x IN {value} | {_as_text('x')}] ELSE {_as_text(value)} END]]")


HASH_NODES = f"MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, {_typed_props('n')} AS props"
HASH_RELS = (f"MATCH ()-[r]->() RETURN elementId(startNode(r)) AS s, elementId(endNode(r)) AS e, type(r) AS type, "
             f"{_typed_props('r')} AS props")
HASH_FETCH = 10_000   # records per round trip while hashing
MOD = 1 << 256


def _digest(tag: bytes, *parts) -> bytes:
    return hashlib.sha256(tag + _canonical(parts).encode()).digest()


def content_hash(graph) -> str:
    """SHA-256 of the graph's content: every node (labels, properties) and relationship (type,
    properties, and the content of both ends), independent of internal ids and of order.

    Each node and each relationship is hashed on its own (SHA-256 of its canonical text, the
    ends of a relationship by their nodes' hashes) and the hashes are added up modulo 2**256
    (separately for nodes and relationships), so the graph is read in one streamed pass per kind
    in whatever order the server gives, with no sorting; only each node's 32-byte hash is kept
    (for the relationships' ends). Two graphs with the same content give the same hash; any
    change of a label, type, property, value type or end gives another."""
    node_digest: dict[str, bytes] = {}
    node_sum = rel_sum = rels = 0
    for rec in _stream(graph, HASH_NODES, fetch_size=HASH_FETCH):
        digest = _digest(b"n", sorted(rec["labels"]), sorted(rec["props"]))
        node_digest[rec["id"]] = digest
        node_sum = (node_sum + int.from_bytes(digest, "big")) % MOD
    for rec in _stream(graph, HASH_RELS, fetch_size=HASH_FETCH):
        ends = node_digest[rec["s"]].hex() + node_digest[rec["e"]].hex()
        rel_sum = (rel_sum + int.from_bytes(_digest(b"r", ends, rec["type"], sorted(rec["props"])), "big")) % MOD
        rels += 1
    total = f"graphkit-content-2|{len(node_digest)}|{node_sum:064x}|{rels}|{rel_sum:064x}"
    return hashlib.sha256(total.encode()).hexdigest()


# --------------------------------------------------------------------------- export


def export_graph(graph, output: str | Path | None = None) -> dict:
    """Write every node and relationship of ``graph`` to ``output`` (JSON lines, checksum beside)."""
    from graphkit import config

    target = _target_for(output, "jsonl")
    workdir = work_folder(target)
    counts = {"nodes": 0, "relationships": 0}
    try:
        produced = workdir / "backup.jsonl"
        fd = os.open(produced, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_canonical({"graphkit_backup": 1, "case": config.case_name(),
                                 "written": dt.datetime.now(dt.timezone.utc).isoformat()}) + "\n")
            for rec in _stream(graph, NODES):
                fh.write(_canonical({"n": rec["id"], "labels": rec["labels"], "props": _props(rec["props"])}) + "\n")
                counts["nodes"] += 1
            for rec in _stream(graph, RELS):
                fh.write(_canonical({"r": rec["type"], "s": rec["s"], "e": rec["e"],
                                     "props": _props(rec["props"])}) + "\n")
                counts["relationships"] += 1
            fh.write(_canonical({"end": counts}) + "\n")
        size = produced.stat().st_size
        digest = publish_backup(produced, target, workdir)
    except OSError as exc:
        raise BackupError(f"the backup could not be written to {target}: {exc.strerror}",
                          hint="Free space on that disk or write elsewhere (-o).") from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {**counts, "file": str(target), "bytes": size, "sha256": digest}


# --------------------------------------------------------------------------- import


def _records(path: Path, numbered: bool = False):
    """The entries of a backup file (with their line numbers when ``numbered``)."""
    with open(path, encoding="utf-8") as fh:
        try:
            header = json.loads(fh.readline() or "{}")
        except json.JSONDecodeError:
            header = {}
        if not isinstance(header, dict) or header.get("graphkit_backup") != 1:
            raise BackupError(f"{path} is not a graphkit backup", hint="Give a file written by `graphkit backup`.")
        for lineno, line in enumerate(fh, 2):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                raise BackupError(f"{path}, line {lineno}: the entry is not valid JSON",
                                  hint="Restore another backup; this one cannot be trusted.") from None
            yield (lineno, rec) if numbered else rec


def _unknown(path: Path, lineno: int, what: str) -> BackupError:
    return BackupError(f"{path}, line {lineno}: {what}, so the backup was not restored (nothing was written)",
                       hint="Restore it with the graphkit version that wrote it (its model knows that name), "
                       "or restore another backup.")


def check_against_model(path: Path) -> dict:
    """Read the whole backup before anything is written: every label, relationship type and
    property key must be one the model declares (a relationship may also carry its provenance,
    ``reports``), and the file must end with its count line. Returns the counts; BackupError
    naming the file, line and name otherwise."""
    from graphkit.model.spec import model

    m = model()
    counts, end = {"nodes": 0, "relationships": 0}, None
    for lineno, rec in _records(path, numbered=True):
        if "n" in rec:
            allowed: set[str] = set()
            for label in rec.get("labels") or []:
                if label not in m.nodes:
                    raise _unknown(path, lineno, f"node {rec['n']} has the label {label!r}, which graphkit's model does not know")
                allowed.update(m.nodes[label].properties)
            extra = sorted(set(rec.get("props") or {}) - allowed)
            if extra:
                raise _unknown(path, lineno, f"node {rec['n']} ({':'.join(rec.get('labels') or [])}) has the property "
                               f"{extra[0]!r}, which graphkit's model does not declare for it")
            counts["nodes"] += 1
        elif "r" in rec:
            if rec["r"] not in m.relationships:
                raise _unknown(path, lineno, f"a relationship has the type {rec['r']!r}, which graphkit's model does not know")
            extra = sorted(set(rec.get("props") or {}) - set(m.relationships[rec["r"]].properties) - set(PROVENANCE))
            if extra:
                raise _unknown(path, lineno, f"a {rec['r']} relationship has the property {extra[0]!r}, which "
                               "graphkit's model does not declare for it")
            counts["relationships"] += 1
        elif "end" in rec:
            end = rec["end"]
    if end != counts:
        raise BackupError(f"{path} ends early: {counts} read, {end} written, so it was not restored",
                          hint="Restore another backup.")
    return counts


def _flush_nodes(graph, rows: list[dict]) -> None:
    graph.write(f"UNWIND $rows AS row CREATE (n:{TEMP_LABEL}) SET n = row.props, n.{TEMP_KEY} = row.id "
                "SET n:$(row.labels)", {"rows": rows})


def _flush_rels(graph, rows: list[dict]) -> None:
    graph.write(f"UNWIND $rows AS row MATCH (a:{TEMP_LABEL} {{{TEMP_KEY}: row.s}}) "
                f"MATCH (b:{TEMP_LABEL} {{{TEMP_KEY}: row.e}}) CREATE (a)-[r:$(row.type)]->(b) SET r = row.props",
                {"rows": rows})


def import_graph(graph, source: str | Path, force: bool = False, progress=None) -> dict:
    """Restore a logical backup into ``graph``; refuse a graph that is not empty unless ``force``
    (then it is emptied first, in batches). Re-running after an interruption converges (--force)."""
    source = Path(source).expanduser().resolve()
    verify(source)
    check_against_model(source)
    existing = reset.count(graph)
    if existing["nodes"] and not force:
        raise BackupError(f"the graph already holds {existing['nodes']:,} nodes",
                          hint="Restore into another case (--case NAME), or add --force to replace it.")
    if existing["nodes"]:
        reset.reset(graph, progress=progress)
    graph.run_schema([f"CREATE INDEX graphkit_restore_id IF NOT EXISTS FOR (n:{TEMP_LABEL}) ON (n.{TEMP_KEY})"])
    graph.auto_commit("CALL db.awaitIndexes(300)")
    counts = {"nodes": 0, "relationships": 0}
    nodes, rels, end = [], [], None
    for rec in _records(source):
        if "n" in rec:
            nodes.append({"id": rec["n"], "labels": rec["labels"], "props": {k: decode(v) for k, v in rec["props"].items()}})
            counts["nodes"] += 1
            if len(nodes) >= BATCH:
                _flush_nodes(graph, nodes)
                nodes = []
        elif "r" in rec:
            if nodes:
                _flush_nodes(graph, nodes)
                nodes = []
            rels.append({"type": rec["r"], "s": rec["s"], "e": rec["e"],
                         "props": {k: decode(v) for k, v in rec["props"].items()}})
            counts["relationships"] += 1
            if len(rels) >= BATCH:
                _flush_rels(graph, rels)
                rels = []
        elif "end" in rec:
            end = rec["end"]
    if nodes:
        _flush_nodes(graph, nodes)
    if rels:
        _flush_rels(graph, rels)
    if end != counts:
        raise BackupError(f"{source} ends early: {counts} read, {end} written", hint="Restore another backup.")
    graph.auto_commit(f"MATCH (n:{TEMP_LABEL}) CALL {{ WITH n REMOVE n:{TEMP_LABEL}, n.{TEMP_KEY} }} "
                      f"IN TRANSACTIONS OF {BATCH} ROWS")
    graph.run_schema(["DROP INDEX graphkit_restore_id IF EXISTS"])
    audit.record("restore", str(source), before=existing, after=counts,
                 details={"kind": "logical", "forced": bool(force)}, graph=graph)
    return counts
