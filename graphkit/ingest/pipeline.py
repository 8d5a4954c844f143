"""The load's batching and its writer thread: per-table buffers (``Batches``) handed to one
background thread (``Pipeline``) that writes them in order while the next batch is read."""
from __future__ import annotations

import queue
import sys
import threading

from graphkit.ingest.records import TABLE_ORDER
from graphkit.ingest.summary import TableCounts


class Batches:
    """Per-table buffers; flushing a table first flushes the tables before it in TABLE_ORDER, so
    rows are written in the order they were read, table order respected. A batch never holds two
    rows with the same key: a repeated key flushes the batch first, so every row is judged
    (created/updated/unchanged) against the graph as the rows before it left it."""

    def __init__(self, write, batch_size: int):
        self.write = write
        self.size = max(1, int(batch_size))
        self.buffers: dict[str, list] = {t: [] for t in TABLE_ORDER}
        self.keys: dict[str, set] = {t: set() for t in TABLE_ORDER}

    def add(self, table: str, record: dict, counts: TableCounts) -> None:
        key = record.get("_key")
        if key is not None:
            if key in self.keys[table]:
                self.flush(table)
            self.keys[table].add(key)
        self.buffers[table].append((record, counts))
        if len(self.buffers[table]) >= self.size:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        upto = TABLE_ORDER if table is None else TABLE_ORDER[: TABLE_ORDER.index(table) + 1]
        for name in upto:
            if self.buffers[name]:
                batch, self.buffers[name] = self.buffers[name], []
                self.keys[name] = set()
                self.write(name, batch)


class Pipeline:
    """Runs ``write(table, batch)`` on one background thread, strictly in submission order, so
    the server writes batch k while this thread reads and normalises batch k+1. At most ``depth``
    batches wait (memory stays flat). The first error stops the writing (batches queued after it
    are dropped) and is raised in the caller at its next ``submit`` or at ``close``."""

    def __init__(self, write, depth: int = 2):
        self.write = write
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="graphkit-load-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self.write(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self.error = exc

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, Stopped()
            raise error

    def submit(self, table: str, batch: list) -> None:
        self._raise()
        self.queue.put((table, batch))

    def close(self, ok: bool = True) -> None:
        """Wait for the queued batches (``ok``) or drop them (after an error in the caller)."""
        if not ok and self.error is None:
            self.error = Stopped()
        self.queue.put(None)
        self.thread.join()
        if ok:
            self._raise()


class Stopped(Exception):
    """Marks a pipeline whose error was already raised (or whose caller failed)."""


def progress_bar(enabled, desc: str):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=desc, unit=" rows", file=sys.stderr, leave=False)
