"""Cases: each investigation lives apart.

Neo4j Community holds one user database per server, so a case on the managed server is a server
home of its own (data, port, password) under ``<data home>/cases/NAME``; the default case keeps
``<data home>/server``. ``graphkit --case NAME`` or ``GRAPHKIT_CASE`` selects one. Against an
external server (``NEO4J_URI``) a case is a database name there. ``config.case_home()`` is the
current case's folder.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from graphkit import config
from graphkit.db import server


@dataclass
class Case:
    name: str
    home: str
    size: int           # bytes under the home (store, logs, dumps kept there)
    last_used: str | None   # ISO time of the last connection or start, None if never
    running: bool
    uri: str | None
    current: bool

    def row(self) -> dict:
        return {"case": self.name + (" *" if self.current else ""), "size": human_size(self.size),
                "last_used": self.last_used or "never", "running": "yes" if self.running else "no",
                "uri": self.uri or "", "home": self.home}


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


def folder_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _last_used(paths: server.Paths) -> str | None:
    times = []
    for marker in (paths.last_used_file, paths.state_file):
        try:
            times.append(marker.stat().st_mtime)
        except OSError:
            pass
    if not times:
        return None
    return dt.datetime.fromtimestamp(max(times), dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def names() -> list[str]:
    """The managed cases that exist on this machine: the default one (if it was ever started)
    and every folder under ``<data home>/cases``."""
    found = []
    if config.managed_home(config.DEFAULT_CASE).exists():
        found.append(config.DEFAULT_CASE)
    cases_dir = config.data_home() / "cases"
    if cases_dir.is_dir():
        found += sorted(p.name for p in cases_dir.iterdir() if p.is_dir() and config.CASE_NAME.fullmatch(p.name))
    return found


def describe(name: str) -> Case:
    paths = server.server_paths(name)
    st = server.status(paths)
    return Case(name=name, home=str(paths.home), size=folder_size(paths.home), last_used=_last_used(paths),
                running=st.running, uri=st.uri if st.running else None, current=name == config.case_name())


def list_cases() -> list[Case]:
    """Every managed case, the current one included even before its first start."""
    listed = names()
    current = config.case_name()
    if current not in listed:
        listed.append(current)
    return [describe(name) for name in listed]
