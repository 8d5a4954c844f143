"""The demo: start or reuse a server, load synthetic reports, run headline queries, write a map.

Each step uses only public library functions; steps whose feature is not installed are skipped
with a note, so the demo grows with graphkit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .db import connect


@dataclass
class DemoResult:
    sections: list = field(default_factory=list)  # (title, rows, columns)
    notes: list = field(default_factory=list)


def run(output_dir: str | Path = "demo-output", seed: int = 0, progress=print) -> DemoResult:
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = DemoResult()
    with connect(progress=progress) as graph:
        schema.init(graph)
        result.sections.append(("What is in the graph", schema.stats(graph), ["kind", "count"]))
    result.notes.append(f"Connected to {graph.uri}.")
    return result
