"""Turning rows (lists of dicts) into tables, CSV and JSON for the terminal and files."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

FORMATS = ("table", "csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def safe_csv_cell(value: Any) -> str:
    """Spreadsheet-safe text: a cell starting with = + - @ (a formula) gets a leading quote."""
    text = cell_text(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text  # a negative number is a number, not a formula
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(rows: Sequence[dict], columns: Sequence[str] | None = None) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_csv_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def to_json(rows: Sequence[dict]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n"


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(rows: Sequence[dict], columns: Sequence[str] | None = None, max_width: int = 60) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    if not columns:
        return "(no rows)\n"
    cells = [[_clip(cell_text(row.get(c)), max_width) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(rows: Sequence[dict], fmt: str, columns: Sequence[str] | None = None) -> str:
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, columns)
    return to_table(rows, columns)
