"""A second case on its own managed server: backup and restore with neo4j-admin, and their faults
(a restore killed midway, a corrupted dump, a disk that fills up while a backup is written).

One extra server home (case ``t-cases``) is shared by the whole module and always stopped at the
end; the tests run in order and build on each other's graph.
"""
from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT
from graphkit.db import export, server
from graphkit.db.graph import Graph

CASE = "t-cases"
ENV = {"GRAPHKIT_CASE": CASE}


def _paths():
    return server.server_paths(CASE)


def _graph() -> Graph:
    st = server.status(_paths())
    assert st.running
    return Graph(st.uri, "neo4j", server.read_password(_paths()))


def _hash() -> str:
    with _graph() as graph:
        return export.content_hash(graph)


def _nodes(report_only: bool = False) -> int:
    """Nodes of the case's graph (``report_only``: without the mirror keys `graphkit load` adds)."""
    where = "WHERE NOT n:MirrorKey AND NOT n:MirrorState " if report_only else ""
    with _graph() as graph:
        return graph.read(f"MATCH (n) {where}RETURN count(n) AS c")[0]["c"]


@pytest.fixture(scope="module")
def case(neo4j_server, tmp_path_factory):
    """The case server, started with the fixture bundle loaded; its graph's content hash."""
    from helpers import run_cli

    try:
        started = run_cli("server", "start", env=ENV)
        assert started.returncode == 0, started.stderr[-3000:]
        loaded = run_cli("load", str(FIXTURES / "bundle_small"), env=ENV)
        assert loaded.returncode == 0, loaded.stderr[-3000:]
        yield {"hash": _hash(), "dir": tmp_path_factory.mktemp("dumps")}
    finally:
        server.stop(_paths())


def test_a_case_has_its_own_server_password_and_graph(case, cli, neo4j_server):
    default, own = server.status(), server.status(_paths())
    assert own.running and own.port != default.port
    assert server.read_password(_paths()) != server.read_password()
    assert _paths().home == Path(os.environ["GRAPHKIT_HOME"]) / "cases" / CASE
    assert stat.S_IMODE(_paths().home.stat().st_mode) == 0o700
    assert _nodes(report_only=True) == 60  # the fixture bundle's nodes
    listed = cli("cases", "--format", "json", env=ENV)
    assert listed.returncode == 0, listed.stderr
    import json

    rows = {row["case"]: row for row in json.loads(listed.stdout)}
    assert rows[f"{CASE} *"]["running"] == "yes" and rows[f"{CASE} *"]["uri"] == own.uri
    assert "default" in rows and rows["default"]["running"] == "yes"  # the session's server
    assert rows[f"{CASE} *"]["last_used"] != "never"


def test_a_backup_restarts_the_server_and_a_restore_refuses_a_graph_that_is_not_empty(case, cli):
    dump = case["dir"] / "t.dump"
    made = cli("server", "backup", "-o", str(dump), env=ENV)
    assert made.returncode == 0, made.stderr[-3000:]
    assert dump.is_file() and (case["dir"] / "t.dump.sha256").is_file()
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert sorted(p.name for p in case["dir"].iterdir()) == ["t.dump", "t.dump.sha256"]  # no temp left
    assert server.status(_paths()).running  # started again after the dump
    assert _hash() == case["hash"]

    refused = cli("server", "restore", str(dump), env=ENV)  # the graph is not empty
    assert refused.returncode == 1 and f"already holds a graph ({_nodes():,} nodes)" in refused.stderr
    assert "--force" in refused.stderr

    emptied = cli("reset", "--yes", env=ENV)  # the restore below (killed, then again) needs no --force
    assert emptied.returncode == 0, emptied.stderr
    assert _nodes() == 0


def test_a_corrupted_or_unchecked_dump_is_refused(case, cli):
    dump = case["dir"] / "t.dump"
    bad = case["dir"] / "bad.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    (case["dir"] / "bad.dump.sha256").write_text((case["dir"] / "t.dump.sha256").read_text())
    refused = cli("server", "restore", str(bad), "--force", env=ENV)
    assert refused.returncode == 1 and "does not match its checksum" in refused.stderr
    unchecked = case["dir"] / "unchecked.dump"
    unchecked.write_bytes(dump.read_bytes()[: len(data) // 2])
    refused = cli("server", "restore", str(unchecked), "--force", env=ENV)
    assert refused.returncode == 1 and "has no checksum beside it" in refused.stderr
    assert server.status(_paths()).running and _nodes() == 0  # never touched


def _admin_load_running() -> bool:
    home = str(_paths().home)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "Neo4jAdminCommand" in cmd and " load " in cmd and home in cmd:
            return True
    return False


def test_a_restore_killed_midway_is_finished_by_running_it_again_and_gives_back_the_graph(case, cli):
    """The round trip: the graph dumped above, emptied, restored (killed once midway) has the
    same content hash as before."""
    dump = case["dir"] / "t.dump"
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "graphkit", "server", "restore", str(dump)],
                            env=env, cwd=str(ROOT), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not _admin_load_running() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the restore ended before neo4j-admin load was seen"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # graphkit and neo4j-admin, mid-load
        proc.wait()
    assert _paths().restore_marker.exists()
    refused = cli("server", "start", env=ENV)
    assert refused.returncode == 1 and "a restore into" in refused.stderr and "interrupted" in refused.stderr
    again = cli("server", "restore", str(dump), env=ENV)  # no --force needed: the graph is known incomplete
    assert again.returncode == 0, again.stderr[-3000:]
    assert not _paths().restore_marker.exists()
    assert _hash() == case["hash"]


def test_a_disk_full_during_a_backup_leaves_no_file(case, cli):
    dump = case["dir"] / "t.dump"
    limit = dump.stat().st_size // 2
    server.stop(_paths())  # so no server is restarted under the file-size limit
    full = case["dir"] / "full"
    full.mkdir()

    def small_disk():  # a file may not grow past half the dump: writes fail as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "graphkit", "server", "backup", "-o", str(full / "b.dump")],
                          env={**os.environ, **ENV}, cwd=str(ROOT), capture_output=True, text=True,
                          preexec_fn=small_disk, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Error: neo4j-admin database dump failed" in proc.stderr
    assert "The disk is full" in proc.stderr
    assert list(full.iterdir()) == []  # no dump, no checksum, no temp folder
