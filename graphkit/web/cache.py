"""What a page read, kept until the graph changes.

Neo4j ends every transaction, a read too, with a bookmark naming the last transaction committed
in the database; it changes with every write (a load, a decision, a recorded request, another
program's ``graphkit`` run), and only then. A page's data is kept under the bookmark it was read
at: while the bookmark stays the same the graph is the same, so the kept data is exactly what the
reads would return again; after any write the bookmark differs and the page reads the graph anew.
Asking for the bookmark is one ``RETURN 1`` (a round trip, no data read).

Data read while a write commits is kept under the bookmark from before the read: it may already
show the write, but it is never served once that write is visible (the bookmark moved on).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

ENTRIES = 64  # pages kept (the least recently used go first)


def graph_version(graph) -> frozenset | None:
    """The bookmark of the latest committed transaction (changes with every write); None when
    the server gave none (then nothing is kept)."""
    with graph.session(read=True) as session:
        session.run("RETURN 1").consume()
        return frozenset(session.last_bookmarks().raw_values) or None


def freeze(value: Any) -> Hashable:
    """A hashable key for arguments (dicts and lists of plain values)."""
    if isinstance(value, dict):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


class PageCache:
    """``get(graph, fn, *args)`` = ``fn(graph, *args)``, read once per graph version."""

    def __init__(self, entries: int = ENTRIES, enabled: bool = True):
        self.entries, self.enabled = entries, enabled
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, graph, fn: Callable, *args):
        version = graph_version(graph) if self.enabled else None
        if version is None:
            return fn(graph, *args)
        key = (version, fn.__module__, fn.__qualname__, freeze(args))
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                self.hits += 1
                return self._kept[key]
        value = fn(graph, *args)
        with self._lock:
            self.misses += 1
            self._kept[key] = value
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)
        return value
