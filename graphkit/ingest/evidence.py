"""Source evidence: what each Report was loaded from (every file's name, SHA-256 and size), who
loaded it and how many rows it had; a changed file under an existing report id is refused (or
becomes a new version of the report with ``new_version``); ``reports`` lists them.

Report properties (model.yaml): ``files``, ``file_sha256``, ``file_bytes`` (parallel lists, one
item per source file, by name), ``loaded_by``, ``rows`` (read) and ``rejected``, ``version_of``
(the report id a ``--new-version`` load is a new version of).
"""
from __future__ import annotations

from pathlib import Path

from graphkit.errors import LoadError
from graphkit.ingest.text import file_digest
from graphkit.model.spec import model


def source_files(path: Path) -> list[Path]:
    """The files an input is read from: the file itself, or a folder's visible files (not the
    rejects files graphkit writes), by name."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    return [f for f in sorted(path.iterdir(), key=lambda f: f.name)
            if f.is_file() and not f.name.startswith(".") and not f.name.endswith(".rejects.csv")]


def file_props(path: Path) -> dict:
    """``files``, ``file_sha256`` and ``file_bytes`` of an input (parallel lists)."""
    files = source_files(path)
    return {"files": [f.name for f in files], "file_sha256": [file_digest([f]) for f in files],
            "file_bytes": [f.stat().st_size for f in files]}


def _report_label() -> str:
    return model().node("Report").label


def existing(graph, rid: str) -> dict | None:
    """The stored Report ``rid`` (checksum, files, loaded_at, loaded_by), or None."""
    rows = graph.read(f"MATCH (r:{_report_label()} {{rid: $rid}}) RETURN r.checksum AS checksum, "
                      "r.files AS files, r.file_sha256 AS file_sha256, r.loaded_at AS loaded_at, "
                      "r.loaded_by AS loaded_by", {"rid": rid})
    return rows[0] if rows else None


def check_version(graph, rid: str, checksum: str, path: Path, new_version: bool) -> tuple[str, str | None, dict | None]:
    """``(rid to load under, version_of, the stored report)``: the same id when it is new or holds
    the same files; a changed input is refused, or with ``new_version`` gets ``rid-v2``, ``-v3`` ..."""
    stored = existing(graph, rid)
    if stored is None or not stored.get("checksum") or stored["checksum"] == checksum:
        return rid, None, stored
    if not new_version:
        changed = _changed_files(stored, path)
        raise LoadError(
            f"report {rid} was already loaded from different files{changed} (checksum "
            f"{stored['checksum'][:12]}..., now {checksum[:12]}...): refusing to change it",
            hint="Load it as a new version with --new-version (kept as its own report), or give it another "
                 "--report-id (the manifest's id wins).")
    n = 2
    while existing(graph, f"{rid}-v{n}") is not None:
        found = existing(graph, f"{rid}-v{n}")
        if found.get("checksum") == checksum:
            return f"{rid}-v{n}", rid, found
        n += 1
    return f"{rid}-v{n}", rid, None


def check_plans(graph, plans, new_version: bool, warnings: list[str]) -> None:
    """Before a load writes anything: each input's report id checked against the graph (changed
    files refused, or a new version's id), and its files' names, SHA-256 and sizes."""
    for plan in plans:
        plan.rid, version_of, plan.stored = check_version(graph, plan.rid, plan.meta["checksum"], plan.path,
                                                          new_version)
        check_distinct(plans, plan)
        if version_of and plan.stored is None:
            warnings.append(f"{plan.path.name}: loaded as report {plan.rid}, a new version of {version_of}")
        plan.evidence = {**file_props(plan.path), "version_of": version_of}


def check_distinct(plans, plan) -> None:
    """Two inputs of one load under the same report id must hold the same files."""
    for other in plans:
        if other is plan:
            return
        if other.rid == plan.rid and other.meta["checksum"] != plan.meta["checksum"]:
            raise LoadError(f"{other.path.name} and {plan.path.name} are both report {plan.rid} but hold "
                            "different files", hint="Give them different report ids, or load them one at a time.")


def _changed_files(stored: dict, path: Path) -> str:
    if not stored.get("files") or not stored.get("file_sha256"):
        return ""
    before = dict(zip(stored["files"], stored["file_sha256"]))
    now = file_props(path)
    after = dict(zip(now["files"], now["file_sha256"]))
    names = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
    return f" ({', '.join(names[:5])}{' ...' if len(names) > 5 else ''} changed)" if names else ""


def finish(graph, rid: str, rows: int, rejected: int) -> None:
    """The rows a completed load read (and rejected) from the report's files."""
    graph.write(f"MATCH (r:{_report_label()} {{rid: $rid}}) SET r.rows = $rows, r.rejected = $rejected",
                {"rid": rid, "rows": rows, "rejected": rejected})


def reports(graph) -> list[dict]:
    """One row per Report: id, source, date, files with SHA-256 and size, rows, loaded when and by whom."""
    return graph.read(f"""
MATCH (r:{_report_label()})
RETURN r.rid AS rid, r.source AS source, toString(r.date) AS date, coalesce(r.files, []) AS files,
       coalesce(r.file_sha256, []) AS sha256, coalesce(r.file_bytes, []) AS bytes, r.rows AS rows,
       r.rejected AS rejected, r.loaded_at AS loaded_at, r.loaded_by AS loaded_by, r.version_of AS version_of,
       r.checksum AS checksum
ORDER BY r.loaded_at, r.rid""")
