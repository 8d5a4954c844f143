"""The audit trail: every change an analyst makes, appended to a hash-chained JSON-lines log.

One line per entry::

    {"seq": 7, "at": "2026-12-01T01:02:03.456789+00:00", "analyst": "alice", "action": "mirror.confirm",
     "target": "x:a -> x:b", "note": "same avatar", "before": {...}, "after": {...},
     "details": {...}, "prev": "<hash of entry 6>", "hash": "<SHA-256 of this entry>"}

``hash`` is the SHA-256 of the entry's canonical JSON (sorted keys, no spaces) without ``hash``;
``prev`` is the ``hash`` of the entry before (64 zeros for the first). A sidecar file
(``<log>.head``) holds the last entry's number and hash, so removing the newest entries shows too.
``verify`` names the first entry that was edited, removed or reordered.

The log lives with the graph it describes: beside the managed server's files (its home), or,
for an external server (``NEO4J_URI``), under graphkit's data home, one file per server and
database. ``GRAPHKIT_AUDIT_LOG`` names another file. Files are created 0600, folders 0700.
Appends from several threads or processes are serialised with an exclusive ``flock``.
"""
from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

from graphkit import config
from graphkit.errors import GraphkitError

GENESIS = "0" * 64
_explicit: str | None = None
_lock = threading.Lock()


class AuditError(GraphkitError):
    """The audit log cannot be written or read, or its chain is broken."""


def set_analyst(name: str | None) -> None:
    """The analyst for this process (``graphkit --analyst NAME``); None: back to the default."""
    global _explicit
    _explicit = (name or "").strip() or None


def analyst() -> str:
    """Who is making the change: ``--analyst``, else ``GRAPHKIT_ANALYST``, else the OS user."""
    if _explicit:
        return _explicit
    name = os.environ.get("GRAPHKIT_ANALYST", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name (a container without /etc/passwd entry)
        return f"uid {os.getuid()}"


def server_home() -> Path:
    """The managed server's home (the folder that holds its data, conf and password)."""
    from graphkit.db.server.settings import server_paths

    return server_paths().home


def log_path(graph=None) -> Path:
    """Where the audit log of ``graph`` (default: the configured server) is kept."""
    override = os.environ.get("GRAPHKIT_AUDIT_LOG", "").strip()
    if override:
        return Path(override).expanduser().resolve()
    settings = config.load_settings()
    if settings.managed:
        return server_home() / "audit.jsonl"
    uri = getattr(graph, "uri", None) or settings.uri or ""
    database = getattr(graph, "database", None) or settings.database or "default"
    where = re.sub(r"[^A-Za-z0-9.]+", "-", uri.split("://", 1)[-1]).strip("-") or "server"
    return config.data_home() / "audit" / f"{where}-{re.sub(r'[^A-Za-z0-9.]+', '-', database)}.jsonl"


def _head_path(path: Path) -> Path:
    return path.with_name(path.name + ".head")


def entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


@contextmanager
def _locked(path: Path):
    """The log open for appending (created 0600 in a 0700 folder), under an exclusive lock."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)  # threads may race to create it
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise AuditError(f"cannot open the audit log {path}: {exc.strerror or exc}",
                         hint="Check that folder's permissions, or set GRAPHKIT_AUDIT_LOG to a file you can write.") from None
    with _lock:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.fchmod(fd, 0o600)
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _last_entry(fd: int) -> dict | None:
    """The log's last entry (read backwards from the end), or None for an empty log."""
    size = os.lseek(fd, 0, os.SEEK_END)
    tail, pos = b"", size
    while pos > 0:
        step = min(65536, pos)
        pos -= step
        tail = os.pread(fd, step, pos) + tail
        lines = tail.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or pos == 0:
            last = lines[-1].strip()
            if not last:
                return None
            try:
                return json.loads(last)
            except ValueError:
                raise AuditError("the audit log's last line is not an entry",
                                 hint="Run `graphkit audit verify` to see where the log is damaged.") from None
    return None


def record(action: str, target: str, note: str | None = None, before=None, after=None,
           details: dict | None = None, graph=None, who: str | None = None, at: str | None = None) -> dict:
    """Append one entry (``action`` e.g. ``mirror.confirm``, ``load``, ``reset``, ``restore``) to
    the audit log of ``graph``; returns the entry. ``before``: the value the change replaced;
    ``who`` and ``at`` (ISO time): as the change recorded them in the graph (default: now, ``analyst()``)."""
    path = log_path(graph)
    with _locked(path) as fd:
        last = _last_entry(fd)
        entry = {"seq": (last["seq"] + 1) if last else 1, "at": at or now(), "analyst": who or analyst(),
                 "action": action, "target": target, "note": note, "before": before, "after": after,
                 "details": details or {}, "prev": last["hash"] if last else GENESIS}
        entry = json.loads(json.dumps(entry, default=str))  # what is stored is what is hashed
        entry["hash"] = entry_hash(entry)
        line = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
            _write_head(path, entry)
        except OSError as exc:
            raise AuditError(f"cannot append to the audit log {path}: {exc.strerror or exc}",
                             hint="Free some disk space or fix the file's permissions, then redo the change.") from None
    return entry


def _write_head(path: Path, entry: dict) -> None:
    head = _head_path(path)
    tmp = head.with_name(head.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps({"seq": entry["seq"], "hash": entry["hash"]}) + "\n")
    os.replace(tmp, head)


def _lines(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            yield from enumerate(handle, 1)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuditError(f"cannot read the audit log {path}: {exc.strerror or exc}") from None


def entries(graph=None, since=None) -> list[dict]:
    """The log's entries, oldest first; ``since``: a date or ISO time (entries at or after it)."""
    start = _since(since)
    found = []
    for lineno, line in _lines(log_path(graph)):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            raise AuditError(f"line {lineno} of the audit log is not an entry",
                             hint="Run `graphkit audit verify` to see where the log is damaged.") from None
        if start is None or _parse_at(entry.get("at")) >= start:
            found.append(entry)
    return found


def _since(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise AuditError(f"--since {value!r} is not a date",
                         hint="Use YYYY-MM-DD or an ISO time such as 2025-07-25T14:00:00Z.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _parse_at(text) -> datetime:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
