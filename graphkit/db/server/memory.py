"""How much memory the managed server takes: heap and page cache from the machine's memory and the
store size, unless ``GRAPHKIT_HEAP`` / ``GRAPHKIT_PAGECACHE`` say otherwise.

Neo4j's own ``neo4j-admin server memory-recommendation`` sizes a server that has the machine to
itself. graphkit runs on an analyst's workstation, beside a browser and maybe a second case, so it
follows Neo4j's table for *half* the machine's memory (the budget), and gives the page cache what
the store needs (its size and 20 % to grow, at least 512 MB), never more than the budget leaves.

Two cases can run at once (``graphkit demo`` runs in a case of its own beside the default one):
a server that starts while other managed servers of this data home run takes half of what they
leave (their heap and page cache, read from their neo4j.conf), never more than half the machine;
so any number of them together stay under the machine's memory (a half, then a quarter ...).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
GB = 1024 * MB

# Neo4j 5.26's memory-recommendation (heap for a given memory), measured with --memory=2g..24g
# and extended as its documentation describes (heap at most 31 GB).
HEAP_TABLE = [(1 * GB, 512 * MB), (2 * GB, 512 * MB), (4 * GB, 2 * GB), (8 * GB, 3600 * MB),
              (16 * GB, 5 * GB), (24 * GB, 8 * GB), (64 * GB, 24 * GB), (128 * GB, 31 * GB)]
MIN_PAGECACHE = 512 * MB
SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Memory:
    heap: str
    pagecache: str
    machine: int      # bytes of memory the machine (or its cgroup) has
    store: int        # bytes of store files
    others: int = 0   # bytes of heap and page cache of the other managed servers running


def parse_size(text: str) -> int:
    """``512m``, ``1g``, ``1.5G``, ``2048k`` or plain bytes, as bytes (ValueError if not a size)."""
    match = SIZE.fullmatch(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a size")
    factor = {"": 1, "k": 1024, "m": MB, "g": GB, "t": 1024 * GB}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def format_size(size: int) -> str:
    """Bytes as Neo4j/Java take them: whole megabytes (``4352m``)."""
    return f"{max(1, size // MB)}m"


def machine_memory() -> int:
    """Bytes of memory: the machine's, or its cgroup's limit when that is lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            raw = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if raw.isdigit() and 0 < int(raw) < total:
            total = int(raw)
    return total


def store_size(data_dir: Path) -> int:
    """Bytes of the user database's store files (what the page cache holds)."""
    total = 0
    for root, _, files in os.walk(data_dir / "databases" / "neo4j"):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def _heap_for(budget: int) -> int:
    if budget <= HEAP_TABLE[0][0]:
        return HEAP_TABLE[0][1]
    for (lo_mem, lo_heap), (hi_mem, hi_heap) in zip(HEAP_TABLE, HEAP_TABLE[1:]):
        if budget <= hi_mem:
            return lo_heap + (hi_heap - lo_heap) * (budget - lo_mem) // (hi_mem - lo_mem)
    return HEAP_TABLE[-1][1]


def choose(machine: int, store: int, others: int = 0) -> tuple[int, int]:
    """(heap, page cache) in bytes for a machine with ``machine`` bytes and a ``store``-byte store,
    when other running servers already hold ``others`` bytes (heap and page cache)."""
    budget = min(machine, max(machine - others, 0)) // 2
    heap = _heap_for(budget)
    room = max(budget - heap, 256 * MB)
    pagecache = min(room, max(MIN_PAGECACHE, store + store // 5))
    return heap, pagecache


def _conf_memory(conf: Path) -> int:
    """Heap and page cache (bytes) that a server's neo4j.conf gives it."""
    total = 0
    try:
        lines = conf.read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        key, _, value = line.partition("=")
        if key.strip() in ("server.memory.heap.max_size", "server.memory.pagecache.size"):
            try:
                total += parse_size(value)
            except ValueError:
                pass
    return total


def others_running(home: Path) -> int:
    """Bytes of heap and page cache held by the other managed servers of this data home that run
    now (the default case and every case under ``cases/``)."""
    from graphkit import config
    from graphkit.db.server.settings import Paths

    homes = [config.managed_home(config.DEFAULT_CASE)]
    cases_dir = config.data_home() / "cases"
    if cases_dir.is_dir():
        homes += sorted(p for p in cases_dir.iterdir() if p.is_dir())
    total = 0
    for other in homes:
        if other.resolve() == Path(home).resolve():
            continue
        paths = Paths(other)
        try:
            pid = int(paths.pid_file.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            continue
        total += _conf_memory(paths.conf / "neo4j.conf")
    return total


def recommend(paths) -> Memory:
    """The sizes for the server at ``paths`` (a settings.Paths) on this machine, beside the other
    managed servers running now."""
    machine = machine_memory()
    store = store_size(paths.data)
    others = others_running(paths.home)
    heap, pagecache = choose(machine, store, others)
    return Memory(format_size(heap), format_size(pagecache), machine, store, others)


def transaction_limit(heap: str) -> str:
    """All transactions together may use 70 % of the heap (Neo4j's own default): a query too big
    for the heap fails with a clear memory error instead of exhausting the heap."""
    try:
        return format_size(parse_size(heap) * 7 // 10)
    except ValueError:
        return "2g"
