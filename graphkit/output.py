"""Turning rows (lists of dicts) into tables, CSV and JSON for the terminal and files."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import textwrap
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


MIN_COLUMN = 6  # a column is never squeezed narrower than this, nor than its header's longest
WORD_CAP = 24  # part, nor than its longest word up to this many characters
GAP = "  "


def terminal_width() -> int:
    """The width tables are fitted to: $COLUMNS, else the terminal's, else 80."""
    return max(shutil.get_terminal_size((80, 24)).columns, 20)


def _flat(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters: at spaces; a longer word after a
    ``_ : . / -`` where it has one (``telegram:ttp_news_`` / ``channel_example_10``)."""
    if len(text) <= width:
        return [text]
    pieces = [piece for word in text.split() for piece in _split_word(word, width)]
    return textwrap.wrap(" ".join(pieces), width, break_long_words=True, break_on_hyphens=False) or [""]


def _split_word(word: str, width: int) -> list[str]:
    pieces = []
    while len(word) > width:
        cut = max(word.rfind(ch, 0, width) for ch in "_:./-") + 1
        cut = cut if cut > width // 3 else width
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces + [word]


def _header_lines(name: str, width: int) -> list[str]:
    """A column name in lines of at most ``width``, broken after an underscore where possible."""
    if len(name) <= width:
        return [name]
    lines, line = [], ""
    for part in re.findall(r"[^_]+_*|_+", name):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
    return lines + ([line] if line else [])


def _longest(words) -> int:
    return max((len(w) for w in words), default=0)


def _fit(natural: list[int], floors: list[int], available: int) -> list[int]:
    """Column widths that add up to at most ``available``, taken from the widest columns first
    and never below a column's floor (the table is then wider than ``available``)."""
    widths = list(natural)
    excess = sum(widths) - available
    while excess > 0:
        room = [w - f for w, f in zip(widths, floors)]
        widest = max(range(len(widths)), key=lambda i: (widths[i] if room[i] > 0 else -1, -i))
        if room[widest] <= 0:
            break
        widths[widest] -= 1
        excess -= 1
    return widths


def to_table(rows: Sequence[dict], columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """An aligned table that fits ``width`` (the terminal's by default): wide columns wrap inside
    themselves. One row too wide for the width prints as a vertical list (``to_record``)."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if not columns:
        return "(no rows)\n"
    width = width or terminal_width()
    cells = [[_flat(cell_text(row.get(c))) for c in columns] for row in rows]
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    available = width - len(GAP) * (len(columns) - 1)
    if len(rows) == 1 and sum(natural) > available:
        return to_record(rows[0], columns, width)
    floors = [min(natural[i], max(MIN_COLUMN, _longest(re.findall(r"[^_]+_*", c)),
                                  min(WORD_CAP, _longest(w for r in cells for w in r[i].split()))))
              for i, c in enumerate(columns)]
    widths = _fit(natural, floors, available)
    lines = _block([_header_lines(c, w) for c, w in zip(columns, widths)], widths)
    lines.append(GAP.join("-" * w for w in widths))
    for row, r in zip(rows, cells):
        lines.extend(_block([_cell_lines(row.get(c), text, w) for c, text, w in zip(columns, r, widths)], widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell_lines(value: Any, text: str, width: int) -> list[str]:
    """A cell wrapped to ``width``; a list that does not fit on one line gives a line per item."""
    if len(text) <= width or not isinstance(value, (list, tuple)):
        return _wrap(text, width)
    return [line for item in value for line in _item_lines(_flat(cell_text(item)), width)]


def _item_lines(text: str, width: int) -> list[str]:
    """One list item wrapped to ``width``, its continuation lines indented by two spaces."""
    first = _wrap(text, width)[0]
    rest = text[len(first):].strip()
    return [first] + (["  " + line for line in _wrap(rest, max(width - 2, 1))] if rest else [])


def _block(wrapped: list[list[str]], widths: list[int]) -> list[str]:
    """The lines of one table row whose cells were wrapped into several lines each."""
    height = max(len(cell) for cell in wrapped)
    return [GAP.join((cell[i] if i < len(cell) else "").ljust(w) for cell, w in zip(wrapped, widths)).rstrip()
            for i in range(height)]


def to_record(row: dict, columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """One row as a vertical list: a line per column, ``name  value``; a list value gives a line
    per item; long values wrap under themselves."""
    columns = list(columns or row.keys())
    width = width or terminal_width()
    name_width = max(len(c) for c in columns)
    value_width = max(width - name_width - len(GAP), 20)
    lines = []
    for column in columns:
        value = row.get(column)
        items = value if isinstance(value, (list, tuple)) and value else [value]
        texts = [line for item in items for line in _wrap(_flat(cell_text(item)), value_width)]
        for i, text in enumerate(texts):
            lines.append(((column if i == 0 else "").ljust(name_width) + GAP + text).rstrip())
    lines.append("(1 row)")
    return "\n".join(lines) + "\n"


def render(rows: Sequence[dict], fmt: str, columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """``rows`` as JSON, CSV or a table fitted to ``width`` (the terminal's by default)."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, columns)
    return to_table(rows, columns, width)


def write_page(path, text: str, error: type, what: str):
    """Write a generated page (a map, a letter, a briefing) to ``path``; ``error`` (a GraphkitError
    class) names ``what`` could not be written and why."""
    from pathlib import Path

    path = Path(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot write the {what} to {path}: {exc.strerror or exc}",
                    hint="Check that the folder exists and is writable.") from None
    return path
