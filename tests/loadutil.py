"""Helpers for the load tests: a full dump of the graph, and copying fixtures."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURES_LOAD = Path(__file__).resolve().parent / "fixtures" / "load"
VOLATILE = {"loaded_at", "path"}  # Report properties that record when/where, not what


def _key(labels, props):
    for name in ("key", "gid", "code", "name", "oid", "sid", "rid", "tid"):
        if name in props:
            return f"{labels[0]}:{props[name]}"
    return f"{labels[0]}:?"


def dump(graph, sort_lists: bool = False) -> tuple[list[str], list[str]]:
    """Every node (labels + properties) and relationship (ends + type + properties), as sorted JSON."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read("MATCH (a)-[r]->(b) RETURN labels(a) AS al, properties(a) AS ap, type(r) AS type, "
                      "properties(r) AS props, labels(b) AS bl, properties(b) AS bp")

    def clean(props):
        props = {k: v for k, v in props.items() if k not in VOLATILE}
        if sort_lists:
            props = {k: sorted(v) if isinstance(v, list) else v for k, v in props.items()}
        return props

    node_dump = sorted(json.dumps([sorted(n["labels"]), clean(n["props"])], sort_keys=True, default=str)
                       for n in nodes)
    rel_dump = sorted(json.dumps([_key(r["al"], r["ap"]), r["type"], _key(r["bl"], r["bp"]), clean(r["props"])],
                                 sort_keys=True, default=str) for r in rels)
    return node_dump, rel_dump


def counts(graph) -> dict[str, int]:
    """Nodes per label and relationships per type."""
    result = {}
    for row in graph.read("MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c"):
        result[row["l"]] = row["c"]
    for row in graph.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c"):
        result[row["t"]] = row["c"]
    return result


def copy_fixture(name: str, dest: Path) -> Path:
    target = Path(dest) / name
    shutil.copytree(FIXTURES_LOAD / name, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def write_bundle(folder: Path, files: dict[str, str | bytes], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (folder / name).write_bytes(data)
    return folder
