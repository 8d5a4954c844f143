"""A load's counts: per file and table read, created, updated, unchanged, rejected, plus the
nodes rows only referred to, warnings and skipped records (``LoadSummary``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphkit.ingest.statements import COUNTED, MAIN_LABEL

COUNTS = ("read", "created", "updated", "unchanged", "rejected")
REFERRED = {"Account": "accounts", "Channel": "channels", "Group": "groups"}


@dataclass
class TableCounts:
    file: str
    table: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class LoadSummary:
    counts: list[TableCounts] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    rejects_path: Path | None = None
    rejects_paths: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, reason) -> records
    # (file, label) -> nodes that rows only referred to (a mentioned account ...) and the load created
    referenced: dict[tuple[str, str], int] = field(default_factory=dict)
    dry_run: bool = False

    def totals(self) -> dict[str, int]:
        """Sums over the tables; ``created`` includes the nodes rows only referred to."""
        sums = {k: sum(getattr(c, k) for c in self.counts) for k in COUNTS}
        sums["created"] += sum(self.referenced.values())
        return sums

    def as_rows(self, total: bool = True) -> list[dict]:
        """One dict per file and table (and a ``TOTAL`` row): file, table, read, created, ...;
        then per file and kind the nodes created because rows referred to them (``accounts
        (referred to)``: only ``created`` is given), so the created column adds up to what the
        graph gained."""
        rows = [{"file": c.file, "table": c.table, **{k: getattr(c, k) for k in COUNTS}} for c in self.counts]
        rows += [{"file": file, "table": f"{REFERRED[label]} (referred to)",
                  **{k: n if k == "created" else None for k in COUNTS}}
                 for (file, label), n in self.referenced.items() if n]
        if total:
            rows.append({"file": "TOTAL", "table": "", **self.totals()})
        if self.dry_run:
            for row in rows:
                row["created"] = row["updated"] = row["unchanged"] = None
                row["valid"] = row["read"] - row["rejected"]
        return rows

    def _get(self, file: str, table: str) -> TableCounts:
        for counts in self.counts:
            if counts.file == file and counts.table == table:
                return counts
        counts = TableCounts(file, table)
        self.counts.append(counts)
        return counts


def changed(summary: LoadSummary) -> int:
    totals = summary.totals()
    return totals["created"] + totals["updated"]

def count_referenced(summary: LoadSummary, table: str, file: str, result: dict) -> None:
    """The nodes a batch added beyond its rows' own created nodes (mentions, admins, groups ...)."""
    own = sum(1 for status in result["status"] if status == "created")
    for label, gained in zip(COUNTED, result["gained"]):
        extra = gained - (own if MAIN_LABEL.get(table) == label else 0)
        if extra > 0:
            summary.referenced[(file, label)] = summary.referenced.get((file, label), 0) + extra
