"""Crash safety, a server that dies mid-load, and concurrent loads of overlapping data."""
from __future__ import annotations

import importlib
import socket
import threading

import pytest
from neo4j import GraphDatabase

from graphkit.db import graph as db
from graphkit.db import server
from graphkit.errors import ConnectionFailed
from graphkit.ingest.engine import load

from graphkit.model.schema import wipe as _wipe
from loadutil import copy_fixture, counts, dump, write_bundle

load_module = importlib.import_module("graphkit.ingest.engine")  # graphkit.load the attribute is the function


class Crash(Exception):
    pass


def _stop_after(n, action=None):
    """An ``after_batch`` hook that stops the load after its n-th committed batch."""
    def hook(done):
        if done >= n:
            if action:
                action()
            raise Crash(f"stopped after batch {done}")
    return hook


@pytest.fixture
def basic(tmp_path):
    return copy_fixture("basic", tmp_path)


def test_rerun_after_stopping_midway_gives_the_clean_graph(graph, basic):
    load(graph, [basic], batch_size=2)
    clean = dump(graph)
    for stop in (1, 4, 9):
        _wipe(graph)
        with pytest.raises(Crash):
            load(graph, [basic], batch_size=2, after_batch=_stop_after(stop))
        partial = dump(graph)
        assert partial != clean
        load(graph, [basic], batch_size=2)
        assert dump(graph) == clean, f"stopped after {stop} batches"


class Proxy:
    """A TCP forwarder to Neo4j that can be cut off, as if the server died."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.dead = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.dead:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def kill(self):
        self.dead = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread (Linux)
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def _credentials(settings, session_graph):
    if settings.managed:
        return "neo4j", server.read_password()
    return settings.user, settings.password


def test_server_dying_mid_load_is_a_clear_error_and_a_rerun_converges(graph, neo4j_server, session_graph,
                                                                      basic, monkeypatch):
    load(graph, [basic], batch_size=2)
    clean = dump(graph)
    _wipe(graph)
    host, port = session_graph.uri.split("://")[1].rsplit(":", 1)
    proxy = Proxy(host, int(port))
    user, password = _credentials(neo4j_server, session_graph)
    via_proxy = db.Graph(f"bolt://127.0.0.1:{proxy.port}", user, password, session_graph.database)
    via_proxy.driver.close()
    via_proxy.driver = GraphDatabase.driver(f"bolt://127.0.0.1:{proxy.port}", auth=(user, password),
                                            max_transaction_retry_time=1.0, connection_timeout=2.0)
    seen = []
    try:
        with pytest.raises(ConnectionFailed) as info:
            load(via_proxy, [basic], batch_size=2, after_batch=lambda n: (seen.append(n), n == 5 and proxy.kill()))
        assert "does not answer" in info.value.message and info.value.hint
    finally:
        via_proxy.close()
    assert seen[-1] == 5  # it stopped right after the fifth batch
    load(graph, [basic], batch_size=2)
    assert dump(graph) == clean


def _overlapping_bundles(tmp_path):
    """Two reports sharing 20 of their 30 accounts, a channel and groups; sightings mention shared accounts."""
    def bundle(name, numbers):
        accounts = "platform,handle,followers,group_id,operator_id\n" + "".join(
            f"x,shared_{i:02d},{i},TTP,op-{i % 3}\n" for i in numbers)
        channels = "platform,channel,admins\ntelegram,common_example," + ";".join(f"shared_{i:02d}" for i in numbers[:5]) + "\n"
        sightings = "observed_at,platform,account,mentions,group_id\n" + "".join(
            f"2025-07-{1 + i % 28:02d},x,shared_{i:02d},shared_{(i + 1) % 40:02d};shared_{(i + 2) % 40:02d},TTP\n"
            for i in numbers)
        return write_bundle(tmp_path / name, {
            "groups.csv": "group_id,name\nTTP,Tehreek-e-Taliban Pakistan\nBLA,Balochistan Liberation Army\n",
            "accounts.csv": accounts, "channels.csv": channels, "sightings.csv": sightings,
            "report.json": f'{{"id": "{name}", "date": "2025-07-{20 if name == "a" else 21}"}}'})
    return bundle("a", list(range(0, 30))), bundle("b", list(range(10, 40)))


def test_concurrent_overlapping_loads_create_no_duplicates(graph, neo4j_server, session_graph, tmp_path):
    first, second = _overlapping_bundles(tmp_path)
    load(graph, [first], batch_size=3)
    load(graph, [second], batch_size=3)
    sequential = dump(graph, sort_lists=True)
    _wipe(graph)
    errors = []

    def run(path):
        try:
            with db.connect(neo4j_server, start=False) as own:
                load(own, [path], batch_size=3)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors
    duplicates = graph.read("MATCH (a:Account) WITH a.key AS k, count(*) AS c WHERE c > 1 RETURN count(k) AS d")
    assert duplicates[0]["d"] == 0
    # x:shared_00..39, plus the channel admins telegram:shared_00..04 (a) and _10..14 (b)
    assert counts(graph)["Account"] == 50 and counts(graph)["Operator"] == 3 and counts(graph)["Channel"] == 1
    assert dump(graph, sort_lists=True) == sequential


def test_cli_dead_server_exits_1_and_dry_run_needs_no_server(basic, cli):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "not-used"}
    result = cli("load", str(basic), env=env)
    assert result.returncode == 1
    assert "does not answer" in result.stderr and "Traceback" not in result.stderr
    dry = cli("load", str(basic), "--dry-run", env=env)
    assert dry.returncode == 3, dry.stderr  # ran without a server; 3: the bundle has rows to reject


def _reports(graph):
    return graph.read("MATCH (r:Report) RETURN r.rid AS rid ORDER BY rid")


def test_a_load_that_fails_before_any_row_is_written_leaves_no_report(graph, basic, monkeypatch):
    # like the progress-bar crash: the load dies at its first row; nothing refers to the report
    from graphkit.ingest.prepare import PREPARE

    def boom(row):
        raise RuntimeError("fails at the first row")
    monkeypatch.setitem(PREPARE, "groups", boom)
    with pytest.raises(RuntimeError):
        load(graph, [basic])
    assert _reports(graph) == []
    assert graph.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_a_load_whose_first_batch_fails_leaves_no_report(graph, basic, monkeypatch):
    # the Report is written just before the first batch; that batch fails, the Report goes again
    def broken(record, i=None):
        raise RuntimeError("the first batch cannot be sent")
    monkeypatch.setattr(load_module, "wire", broken)
    with pytest.raises(RuntimeError):
        load(graph, [basic])
    assert _reports(graph) == []


def test_a_failed_reload_keeps_the_report_of_the_earlier_load(graph, basic, monkeypatch):
    load(graph, [basic])
    clean = dump(graph)
    monkeypatch.setattr(load_module, "wire", lambda record, i=None: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        load(graph, [basic])
    assert dump(graph) == clean


def test_a_load_stopped_after_some_batches_keeps_its_report_for_the_rows_written(graph, basic):
    # the rows already written refer to the Report (provenance); a re-run completes the load
    with pytest.raises(Crash):
        load(graph, [basic], batch_size=2, after_batch=_stop_after(2))
    assert _reports(graph) == [{"rid": "basic-2025-07"}]
