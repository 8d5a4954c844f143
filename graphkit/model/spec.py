"""The graph model, read from ``model.yaml``: labels, keys, properties, relationship types.

Everything that needs a label or type in query text (constraints, loaders) takes it from here, after
it has been checked against the model: labels and types are never taken from input unchecked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from graphkit.errors import ModelError

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str
    properties: tuple[str, ...]
    indexes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelType:
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Model:
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    stats: dict[str, dict] = field(default_factory=dict)
    vocabularies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    gone: tuple[str, ...] = ()

    def vocabulary(self, name: str) -> tuple[str, ...]:
        """The allowed values of ``name`` (``platform``, ``account_status`` ...)."""
        try:
            return self.vocabularies[name]
        except KeyError:
            raise ModelError(f"{name!r} is not a vocabulary of the graph model",
                             hint="Known: " + ", ".join(sorted(self.vocabularies))) from None

    def node(self, label: str) -> NodeType:
        """The node type for ``label``; raises ModelError for a label the model lacks."""
        try:
            return self.nodes[label]
        except (KeyError, TypeError):
            raise ModelError(
                f"{label!r} is not a node label of the graph model",
                hint="Known labels: " + ", ".join(sorted(self.nodes)),
            ) from None

    def rel(self, rel_type: str) -> RelType:
        try:
            return self.relationships[rel_type]
        except (KeyError, TypeError):
            raise ModelError(
                f"{rel_type!r} is not a relationship type of the graph model",
                hint="Known types: " + ", ".join(sorted(self.relationships)),
            ) from None

    def schema_statements(self) -> list[str]:
        """Idempotent DDL: one uniqueness constraint per node key, plus declared indexes."""
        statements = []
        for node in self.nodes.values():
            statements.append(
                f"CREATE CONSTRAINT {node.label.lower()}_{node.key}_unique IF NOT EXISTS "
                f"FOR (n:{node.label}) REQUIRE n.{node.key} IS UNIQUE"
            )
            for prop in node.indexes:
                statements.append(
                    f"CREATE INDEX {node.label.lower()}_{prop} IF NOT EXISTS FOR (n:{node.label}) ON (n.{prop})"
                )
        statements.append(
            "CREATE INDEX mirror_of_status IF NOT EXISTS FOR ()-[r:MIRROR_OF]-() ON (r.status)"
        )
        return statements


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ModelError(f"model.yaml: {what} {name!r} is not a valid identifier")
    return name


def parse_model(data: dict) -> Model:
    if not isinstance(data, dict) or "nodes" not in data or "relationships" not in data:
        raise ModelError("model.yaml must have 'nodes' and 'relationships'")
    nodes = {}
    for label, spec in data["nodes"].items():
        _check_name(label, "label")
        key = _check_name(spec.get("key", ""), f"key of {label}")
        props = tuple(_check_name(p, f"property of {label}") for p in spec.get("properties", []))
        if key not in props:
            raise ModelError(f"model.yaml: key {key} of {label} must be among its properties")
        indexes = tuple(_check_name(p, f"index of {label}") for p in spec.get("indexes", []))
        nodes[label] = NodeType(label, key, props, indexes)
    rels = {}
    for rel_type, spec in data["relationships"].items():
        _check_name(rel_type, "relationship type")
        sources = tuple(spec.get("from", []))
        targets = tuple(spec.get("to", []))
        for label in sources + targets:
            if label not in nodes:
                raise ModelError(f"model.yaml: {rel_type} refers to unknown label {label!r}")
        props = tuple(_check_name(p, f"property of {rel_type}") for p in spec.get("properties", []))
        rels[rel_type] = RelType(rel_type, sources, targets, props)
    stats = data.get("stats", {})
    for kind, spec in stats.items():
        if "node" in spec and spec["node"] not in nodes:
            raise ModelError(f"model.yaml: stats {kind} counts unknown label {spec['node']!r}")
        if "relationship" in spec and spec["relationship"] not in rels:
            raise ModelError(f"model.yaml: stats {kind} counts unknown type {spec['relationship']!r}")
    vocabularies = {name: tuple(str(v) for v in values) for name, values in (data.get("vocabularies") or {}).items()}
    gone = tuple(data.get("gone") or ())
    for status in gone:
        if not re.fullmatch(r"[a-z][a-z_]*", str(status)):  # written into Cypher as a literal
            raise ModelError(f"model.yaml: gone status {status!r} must be a lower-case word")
        if status not in vocabularies.get("account_status", gone):
            raise ModelError(f"model.yaml: gone status {status!r} is not an account status")
    return Model(nodes, rels, stats, vocabularies, gone)


@lru_cache(maxsize=1)
def model() -> Model:
    text = (resources.files("graphkit.model") / "model.yaml").read_text(encoding="utf-8")
    return parse_model(yaml.safe_load(text))
