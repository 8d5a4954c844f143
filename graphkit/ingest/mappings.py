"""Format mappings: ``loaders/NAME.yaml`` files that name a reader and say how to recognise a file.

See ``docs/loaders.md`` for the format. ``find(path, name)`` picks the mapping for an input.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from graphkit.ingest.text import CsvTable
from graphkit.errors import LoadError
from graphkit.resources import loaders_dir

SNIFF_BYTES = 65536


@dataclass
class Mapping:
    name: str
    title: str
    description: str
    reader: str
    detect: dict = field(default_factory=dict)
    report_meta: str | None = None
    columns: str | None = None
    priority: int = 0
    data: dict = field(default_factory=dict)  # the whole YAML, passed to the reader

    def function(self, dotted: str) -> Callable:
        module_name, _, attr = dotted.rpartition(".")
        try:
            return getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError, ValueError) as exc:
            raise LoadError(f"mapping {self.name}: cannot find the function {dotted!r} ({exc})",
                            hint="Check the mapping's reader/report_meta/columns entries.") from exc

    def read(self, path: Path):
        return self.function(self.reader)(Path(path), self.data)

    def meta(self, path: Path) -> dict:
        return dict(self.function(self.report_meta)(Path(path), self.data)) if self.report_meta else {}

    def table_columns(self, path: Path):
        return self.function(self.columns)(Path(path), self.data) if self.columns else None

    def matches(self, path: Path) -> bool:
        rules = self.detect or {}
        if not rules:
            return False
        path = Path(path)
        extensions = [e.lower() for e in rules.get("extensions", [])]
        if extensions:
            if path.is_dir():
                if "/" not in extensions:
                    return False
            elif not any(path.name.lower().endswith(e) for e in extensions):
                return False
        if rules.get("function") and not self.function(rules["function"])(path):
            return False
        if path.is_dir():
            return bool(rules.get("function"))
        try:
            if rules.get("contains"):
                with open(path, "rb") as handle:
                    sample = handle.read(SNIFF_BYTES)
                for encoding in ("utf-8", "utf-16", "cp1252"):
                    try:
                        text = sample.decode(encoding, errors="ignore")
                    except LookupError:
                        continue
                    if all(s in text for s in rules["contains"]):
                        break
                else:
                    return False
            if rules.get("header_columns"):
                header = set(CsvTable(lambda: open(path, "rb")).read_header())
                if not set(rules["header_columns"]) <= header:
                    return False
            if rules.get("first_row_fields"):
                first = next(CsvTable(lambda: open(path, "rb"), header=False).records(), None)
                if first is None or first[1] is None or len(first[1]) != int(rules["first_row_fields"]):
                    return False
        except OSError:
            return False
        return True


def parse_mapping(data: dict, source: str) -> Mapping:
    if not isinstance(data, dict):
        raise LoadError(f"{source}: a mapping must be a YAML mapping")
    missing = [k for k in ("name", "title", "description", "reader") if not data.get(k)]
    if missing:
        raise LoadError(f"{source}: the mapping lacks {', '.join(missing)}", hint="See docs/loaders.md.")
    return Mapping(
        name=str(data["name"]), title=str(data["title"]), description=str(data["description"]).strip(),
        reader=str(data["reader"]), detect=dict(data.get("detect") or {}),
        report_meta=data.get("report_meta"), columns=data.get("columns"),
        priority=int(data.get("priority", 0)), data=data,
    )


def all_mappings(folder: Path | None = None) -> dict[str, Mapping]:
    """Every mapping in ``loaders/``, by name."""
    folder = folder or loaders_dir()
    found: dict[str, Mapping] = {}
    for file in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise LoadError(f"loaders/{file.name} is not valid YAML: {exc}") from exc
        mapping = parse_mapping(data, f"loaders/{file.name}")
        found[mapping.name] = mapping
    return found


def find(path: Path, name: str | None = None) -> Mapping:
    """The mapping called ``name``, or the one whose detect rules match ``path``."""
    mappings = all_mappings()
    if name:
        if name not in mappings:
            raise LoadError(f"unknown format {name!r}",
                            hint="Known formats: " + ", ".join(sorted(mappings)) + " (files in loaders/).")
        return mappings[name]
    matching = sorted((m for m in mappings.values() if m.matches(path)), key=lambda m: -m.priority)
    if not matching:
        raise LoadError(f"cannot tell the format of {path}",
                        hint="Name it with --input-format (one of: " + ", ".join(sorted(mappings)) + ").")
    return matching[0]
