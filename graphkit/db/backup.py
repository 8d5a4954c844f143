"""Backups of the managed server: ``neo4j-admin database dump`` / ``load`` of the user database.

A dump is written under a temporary name beside its target and renamed only when complete, with
a SHA-256 checksum file (``FILE.sha256``) renamed after it: a dump without its checksum, or whose
checksum does not match, is never restored. The server is stopped for the dump or load (Neo4j
Community cannot take its database offline alone) and started again afterwards. While a load
replaces the store a marker file stays in the home: an interrupted restore is finished by running
it again, and the server refuses to start on the half-loaded store meanwhile.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from graphkit import audit, config
from graphkit.db.server import distribution, process, settings
from graphkit.errors import GraphkitError, ServerError

DATABASE = "neo4j"
ADMIN_TIMEOUT = 6 * 3600


class BackupError(GraphkitError):
    """A backup cannot be written, or a dump cannot be restored."""


def default_name(case: str, ext: str) -> Path:
    """``<case home>/backups/CASE-YYYYmmdd-HHMMSS.EXT``."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return config.case_home() / "backups" / f"{case}-{stamp}.{ext}"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def publish(produced: Path, target: Path, workdir: Path) -> str:
    """Move a complete file to ``target`` with its checksum beside it (checksum last). Returns
    the digest."""
    digest = sha256(produced)
    os.chmod(produced, 0o600)
    sum_tmp = workdir / "checksum.tmp"
    write_private(sum_tmp, f"{digest}  {target.name}\n")
    os.replace(produced, target)
    os.replace(sum_tmp, checksum_path(target))
    return digest


def publish_backup(produced: Path, target: Path, workdir: Path) -> str:
    """``publish``, with a full disk (or any write error) as a BackupError and nothing left at ``target``."""
    try:
        return publish(produced, target, workdir)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"the backup could not be written to {target}: {exc.strerror}",
                          hint="Free space on that disk or write elsewhere (-o).") from exc


def verify(path: Path) -> str:
    """The dump's digest, or BackupError when it is missing, has no checksum or does not match."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file", hint="Give the path of a backup made by graphkit.")
    sums = checksum_path(path)
    try:
        expected = sums.read_text().split()[0].lower()
    except (OSError, IndexError) as exc:
        raise BackupError(f"{path} has no checksum beside it ({sums.name}), so it may be incomplete",
                          hint="Restore a backup written completely by graphkit (the checksum is "
                          "written last).") from exc
    actual = sha256(path)
    if actual != expected:
        raise BackupError(f"{path} does not match its checksum: the file is truncated or corrupted",
                          hint="Restore another backup; this one cannot be trusted.")
    return actual


def _target_for(output: str | Path | None, ext: str) -> Path:
    target = Path(output).expanduser() if output else default_name(config.case_name(), ext)
    target = target.resolve()
    if target.exists() or checksum_path(target).exists():
        raise BackupError(f"{target} already exists", hint="Choose another file name (-o FILE); "
                          "graphkit never overwrites a backup.")
    if output is None:
        settings.make_private_dir(target.parent)
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist", hint="Create it or choose another -o.")
    return target


PARTIAL = re.compile(r"^\..+\.partial-(?:(\d+)-)?")


def remove_stale_partials(folder: Path) -> list[Path]:
    """Remove the hidden ``.NAME.partial-PID-...`` folders that a backup killed midway left in
    ``folder`` (their process is gone); a backup still being written by a live process stays."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = PARTIAL.match(entry.name)
        if match and entry.is_dir() and not entry.is_symlink() and not (match.group(1) and process.pid_alive(int(match.group(1)))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def work_folder(target: Path) -> Path:
    """A private folder beside ``target`` where its file is written before it is published
    (``.NAME.partial-PID-XXXX``, removed when the backup ends, whether it succeeded or failed);
    stale ones that earlier interrupted backups left there are removed first."""
    remove_stale_partials(target.parent)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-{os.getpid()}-", dir=target.parent))


def _admin(paths: settings.Paths, *args: str) -> None:
    """Run ``neo4j-admin`` on this home; BackupError with its last lines when it fails."""
    java = distribution.find_java()
    lib = distribution.ensure_distribution(progress=lambda m: None)
    if not (paths.conf / "neo4j.conf").exists():
        settings.write_conf(paths, settings.DEFAULT_BOLT_PORT)
    proc = subprocess.run(
        [java, "-cp", settings._classpath(lib, paths), "org.neo4j.server.startup.Neo4jAdminCommand", *args],
        capture_output=True, text=True, env=settings._java_env(paths), timeout=ADMIN_TIMEOUT, umask=0o077,
    )
    if proc.returncode != 0:
        lines = [line for line in (proc.stdout + proc.stderr).strip().splitlines() if line.strip()]
        reason = _reason(lines)
        raise BackupError(f"neo4j-admin {' '.join(args[:2])} failed: {reason}",
                          hint=_hint(reason, paths))


def _reason(lines: list[str]) -> str:
    for line in lines:
        lowered = line.lower()
        if "no space left" in lowered or "file too large" in lowered or "disk quota" in lowered:
            return line.strip()
    return lines[-1].strip() if lines else "no output"


def _hint(reason: str, paths: settings.Paths) -> str:
    lowered = reason.lower()
    if "no space" in lowered or "too large" in lowered or "quota" in lowered:
        return "The disk is full (or the file too large for it): free space or write elsewhere (-o)."
    return f"See {paths.logs} and the message above."


def _store_exists(paths: settings.Paths) -> bool:
    return (paths.data / "databases" / DATABASE).is_dir()


def dump(output: str | Path | None = None, progress=print) -> dict:
    """Dump the current case's graph to ``output`` (default: its home's backups folder)."""
    paths = settings.server_paths()
    if paths.restore_marker.exists():
        raise BackupError("the last restore of this case was interrupted, so its graph is incomplete",
                          hint="Run `graphkit server restore FILE` again before backing up.")
    if not _store_exists(paths):
        raise BackupError(f"case {config.case_name()!r} has no graph yet ({paths.home})",
                          hint="Start it and load something first: `graphkit server start`.")
    target = _target_for(output, "dump")
    was_running = process.status(paths).running
    workdir = work_folder(target)
    try:
        if was_running:
            progress("Stopping the server for the dump ...")
            process.stop(paths)
        progress(f"Dumping the graph to {target} ...")
        _admin(paths, "database", "dump", DATABASE, f"--to-path={workdir}", "--overwrite-destination=true")
        produced = workdir / f"{DATABASE}.dump"
        size = produced.stat().st_size
        digest = publish_backup(produced, target, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if was_running:
            process.start(progress=progress)
    return {"file": str(target), "bytes": size, "sha256": digest}


def _graph_counts(paths: settings.Paths, progress) -> int:
    """Nodes in the current graph (starting the server to look when a store exists)."""
    from graphkit.db.graph import connect  # graph imports server; keep this module importable alone

    if not _store_exists(paths):
        return 0
    with connect(progress=progress) as graph:
        return graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]


def load(source: str | Path, force: bool = False, progress=print) -> dict:
    """Replace the current case's graph with the dump ``source`` (checked against its checksum);
    refuse a graph that is not empty unless ``force``. The server runs afterwards."""
    source = Path(source).expanduser().resolve()
    digest = verify(source)
    paths = settings.server_paths()
    interrupted = paths.restore_marker.exists()
    if not interrupted and not force:
        nodes = _graph_counts(paths, progress)
        if nodes:
            raise BackupError(f"case {config.case_name()!r} already holds a graph ({nodes:,} nodes)",
                              hint="Restore into another case (--case NAME), or add --force to replace it "
                              "(back it up first: `graphkit server backup`).")
    if process.status(paths).running:
        progress("Stopping the server for the restore ...")
        process.stop(paths)
    settings.make_private_dir(paths.home)
    write_private(paths.restore_marker, f"{source}\n")
    workdir = Path(tempfile.mkdtemp(prefix=".graphkit-restore-", dir=paths.home))
    try:
        os.symlink(source, workdir / f"{DATABASE}.dump")
        progress(f"Loading {source} ...")
        _admin(paths, "database", "load", DATABASE, f"--from-path={workdir}", "--overwrite-destination=true")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    paths.restore_marker.unlink()
    status = process.start(progress=progress)
    if not status.running:  # pragma: no cover - start raises instead
        raise ServerError("the server did not start after the restore")
    audit.record("restore", str(source), after={"sha256": digest},
                 details={"case": config.case_name(), "kind": "dump", "forced": bool(force)})
    return {"file": str(source), "sha256": digest, "uri": status.uri}
