"""List the functions in graphkit/ longer than a limit (default 60 lines), longest first.

    python scripts/long_functions.py [LIMIT]

A function's size is its own lines, decorators included, without the functions defined inside
it (a CLI ``register`` holding its click commands is as long as its own code). A function that
stays long says why on its ``def`` line or the line above (a comment with ``long:``); those are
listed apart, so the list of unexplained ones can be kept empty.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "graphkit"


def _span(node) -> tuple[int, int]:
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return first, node.end_lineno


def _own_size(node) -> int:
    """Lines of ``node`` minus those of the functions nested directly or deeper inside it."""
    first, last = _span(node)
    inner = set()
    for child in ast.walk(node):
        if child is not node and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a, b = _span(child)
            inner.update(range(a, b + 1))
    return (last - first + 1) - len(inner)


def long_functions(limit: int = 60):
    """(lines, "path:line name", explained) for every function over ``limit`` lines."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = _span(node)[0]
                size = _own_size(node)
                if size > limit:
                    around = " ".join(lines[max(0, first - 2):node.lineno])
                    found.append((size, f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name}",
                                  "long:" in around))
    return sorted(found, reverse=True)


if __name__ == "__main__":
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    rows = long_functions(limit)
    for size, where, explained in rows:
        print(f"{size:4d}  {where}" + ("  (explained)" if explained else ""))
    print(f"{len(rows)} functions over {limit} lines, {sum(not e for *_, e in rows)} unexplained")
