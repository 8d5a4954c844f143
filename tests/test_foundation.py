"""Foundation: managed server, connection settings, init, stats, read-only cypher."""
from __future__ import annotations

import json
import os
import stat

import pytest

from graphkit import config
from graphkit.db import graph as db
from graphkit.model import schema
from graphkit.db import server
from graphkit.db.server import settings
from graphkit.errors import (
    AuthFailed,
    ConfigError,
    JavaNotFound,
    MavenError,
    PortInUse,
    ReadOnlyViolation,
    ServerError,
)
from graphkit.model.spec import model


managed_only = pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="managed server only")

KINDS = ["groups", "designations", "persons", "accounts", "channels", "sightings", "identifiers",
         "takedown_requests", "mirror_links", "reports"]


def test_stats_on_empty_graph_lists_every_kind_with_zero(graph):
    assert schema.stats(graph) == [{"kind": k, "count": 0} for k in KINDS]


def test_stats_counts_nodes_and_relationships(graph, cli):
    graph.write(
        "CREATE (g:Group {gid: 'TTP'})-[:DESIGNATED_BY]->(:Authority {code: 'UN'}), "
        "(g)-[:DESIGNATED_BY]->(:Authority {code: 'US'}), "
        "(a:Account {key: 'x:a'})-[:MIRROR_OF {status: 'candidate'}]->(:Account {key: 'x:b'}), "
        "(:Report {rid: 'r1'})"
    )
    result = cli("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    counts = {row["kind"]: row["count"] for row in json.loads(result.stdout)}
    assert counts == {**{k: 0 for k in KINDS}, "groups": 1, "designations": 2, "accounts": 2,
                      "mirror_links": 1, "reports": 1}


def test_init_twice_is_idempotent_and_creates_one_constraint_per_label(graph):
    schema.init(graph)
    schema.init(graph)
    rows = graph.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN *")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in rows if r["type"] == "UNIQUENESS"}
    assert unique == {(n.label, n.key) for n in model().nodes.values()}
    assert len(rows) == len(model().nodes)


def test_wipe_empties_the_graph_in_batches_and_keeps_the_schema(graph):
    """A node with more relationships than one batch (the big-Report case) goes too."""
    schema.init(graph)
    before = len(graph.read("SHOW CONSTRAINTS"))
    graph.write("CREATE (r:Report {rid: 'w'}) WITH r UNWIND range(1, 250) AS i "
                "CREATE (:Sighting {sid: toString(i)})-[:REPORTED_IN]->(r)")
    assert graph.read("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"] == 250
    schema.wipe(graph, batch=40)
    assert graph.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0
    assert graph.read("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"] == 0
    assert len(graph.read("SHOW CONSTRAINTS")) == before > 0


def test_init_command(graph, cli):
    result = cli("init")
    assert result.returncode == 0, result.stderr
    assert "Schema ready" in result.stdout


def test_cypher_is_read_only_without_write(graph, cli):
    result = cli("cypher", "CREATE (:Group {gid: 'X'})")
    assert result.returncode == 1
    assert "ran read-only" in result.stderr and "--write" in result.stderr
    assert "Traceback" not in result.stderr
    assert graph.read("MATCH (g:Group) RETURN count(g) AS c")[0]["c"] == 0


def test_cypher_write_flag_and_parameters(graph, cli):
    result = cli("cypher", "CREATE (g:Group {gid: $gid, n: $n}) RETURN g.gid AS gid, g.n AS n",
                 "-p", "gid", "'; MATCH (n) DETACH DELETE n //", "-p", "n", "3", "--write", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"gid": "'; MATCH (n) DETACH DELETE n //", "n": 3}]
    assert graph.read("MATCH (g:Group) RETURN g.gid AS gid")[0]["gid"].startswith("';")


def test_read_only_violation_from_python(graph):
    with pytest.raises(ReadOnlyViolation):
        graph.read("CREATE (:Group {gid: 'Y'})")


def test_cypher_syntax_error_is_clear(graph, cli):
    result = cli("cypher", "MATCH (n RETURN n")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: Cypher syntax error")


def test_wrong_password_gives_clear_error(neo4j_server, cli):
    uri = neo4j_server.uri or server.status().uri
    result = cli("stats", env={"NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "not-the-password"})
    assert result.returncode == 1
    assert "refused the user name or password" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(AuthFailed):
        db.connect(config.Settings(uri, "neo4j", "not-the-password", None))


def test_routing_uri_works(neo4j_server, session_graph):
    if neo4j_server.managed:
        uri, password = server.status().uri.replace("bolt://", "neo4j://"), server.read_password()
        settings = config.Settings(uri, "neo4j", password, None)
    else:
        settings = neo4j_server
    with db.connect(settings) as graph:
        assert graph.read("RETURN 41 + 1 AS x") == [{"x": 42}]


def test_settings_from_dotenv(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nexport NEO4J_URI=neo4j://db.example.org:7687\nNEO4J_PASSWORD='s3cret'\n")
    settings = config.load_settings(env={}, dotenv=env_file)
    assert settings == config.Settings("neo4j://db.example.org:7687", "neo4j", "s3cret", None)
    # the environment wins over the file
    settings = config.load_settings(env={"NEO4J_PASSWORD": "fromenv"}, dotenv=env_file)
    assert settings.password == "fromenv"
    assert config.load_settings(env={}, dotenv=tmp_path / "missing").managed


def test_bad_uri_is_rejected(tmp_path):
    with pytest.raises(ConfigError, match="not a Neo4j address"):
        config.load_settings(env={"NEO4J_URI": "http://localhost:7474"}, dotenv=tmp_path / "none")


@managed_only
def test_server_start_twice_status_and_password_file(neo4j_server, cli):
    first = server.status()
    assert first.running
    again = server.start()
    assert again.pid == first.pid  # idempotent: the same process
    result = cli("server", "status", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["running"] is True and data["pid"] == first.pid
    assert data["uri"] == first.uri and data["uri"].startswith("bolt://127.0.0.1:")
    assert data["version"].startswith("5.26.")
    paths = server.server_paths()
    assert stat.S_IMODE(os.stat(paths.password_file).st_mode) == 0o600
    password = server.read_password()
    conf = (paths.conf / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.security.auth_enabled=true" in conf
    for log in paths.logs.glob("*.log"):
        assert password not in log.read_text(errors="replace")


@managed_only
def test_requested_port_in_use_is_a_clear_error(neo4j_server):
    taken = server.status().port
    with pytest.raises(PortInUse, match=f"port {taken}"):
        server.choose_port(taken, None)
    # without a request, a taken default is skipped for a free port
    assert server.choose_port(None, taken) != taken


@managed_only
def test_stop_restart_keeps_data_and_handles_stale_pid(neo4j_server, session_graph, cli):
    session_graph.write("MERGE (:Group {gid: 'PERSIST-TEST'})")
    before = server.status()
    result = cli("server", "stop")
    assert result.returncode == 0 and "Stopped." in result.stdout
    assert server.status().running is False
    assert cli("server", "stop").stdout.strip() == "Not running."
    # a stale pid file (process gone) is handled on start
    server.server_paths().pid_file.write_text("999999\n")
    assert server.status().running is False
    result = cli("server", "start")
    assert result.returncode == 0, result.stderr
    after = server.status()
    assert after.running and after.pid != before.pid
    assert after.uri == before.uri  # the same address again: open connections recover
    with db.connect(start=False) as graph:
        assert graph.read("MATCH (g:Group {gid: 'PERSIST-TEST'}) RETURN count(g) AS c")[0]["c"] == 1
        graph.write("MATCH (g:Group {gid: 'PERSIST-TEST'}) DELETE g")


@managed_only
def test_not_writable_data_dir_is_a_clear_error(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        blocker = tmp_path / "file"
        blocker.write_text("not a directory")
        monkeypatch.setenv("GRAPHKIT_HOME", str(blocker / "sub"))
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        monkeypatch.setenv("GRAPHKIT_HOME", str(ro))
    with pytest.raises(ServerError, match="not writable"):
        settings._check_writable(server.server_paths())


def test_missing_java_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(JavaNotFound, match="Java was not found"):
        server.find_java()


def test_old_java_is_refused(monkeypatch, tmp_path):
    fake_home = tmp_path / "jdk"
    (fake_home / "bin").mkdir(parents=True)
    java = fake_home / "bin" / "java"
    java.write_text('#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n')
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(fake_home))
    with pytest.raises(JavaNotFound, match="Java 11"):
        server.find_java()


def test_missing_maven_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MavenError, match="Maven"):
        server.ensure_distribution(progress=lambda m: None)


def test_every_command_has_help(cli):
    from graphkit.cli import main

    def walk(group, prefix):
        for name, command in group.commands.items():
            yield prefix + [name], command
            if hasattr(command, "commands"):
                yield from walk(command, prefix + [name])

    for path, command in walk(main, []):
        assert command.help, f"graphkit {' '.join(path)} has no help text"
    result = cli("--help")
    assert result.returncode == 0 and "Typical session" in result.stdout


def test_maven_that_cannot_reach_its_repository_is_a_clear_error(monkeypatch, tmp_path):
    # a real Maven whose only repository (a mirror of everything) is a closed local port
    m2 = tmp_path / "home" / ".m2"
    m2.mkdir(parents=True)
    (m2 / "settings.xml").write_text(
        "<settings><mirrors><mirror><id>nowhere</id><mirrorOf>*</mirrorOf>"
        "<url>http://127.0.0.1:9/maven2</url></mirror></mirrors></settings>"
    )
    monkeypatch.setenv("MAVEN_OPTS", f"-Duser.home={tmp_path / 'home'}")
    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path / "cache"))
    with pytest.raises(MavenError, match="cannot reach its repository") as info:
        server.ensure_distribution(progress=lambda m: None)
    assert "Maven Central" in info.value.hint
    assert not (tmp_path / "cache" / f"neo4j-{server.neo4j_version()}" / "lib").exists()


@managed_only
def test_port_taken_between_check_and_bind_moves_to_a_free_port(tmp_path, monkeypatch, neo4j_server):
    """Another program takes the chosen port before Neo4j binds it (here: the test server's port
    handed out by a choose_port that lost the race). The start must not knock on that other
    server with its own password (that trips Neo4j's login rate limit for everyone) but retry on
    a free port."""
    other = server.status()
    other_password = server.read_password()
    monkeypatch.setenv("GRAPHKIT_HOME", str(tmp_path / "second"))
    from graphkit.db.server import process

    # the start calls process.choose_port (imported from settings): patch the name it calls, or the
    # race is never staged
    monkeypatch.setattr(process, "choose_port", lambda requested, previous: other.port)
    try:
        st = server.start(progress=lambda m: None)
        assert st.running and st.port != other.port
    finally:
        server.stop()
    assert server.status().running is False
    # the test server still accepts its own password: no failed logins piled up against it
    with db.connect(config.Settings(other.uri, "neo4j", other_password, None), start=False) as graph:
        assert graph.read("RETURN 1 AS one") == [{"one": 1}]


def test_generated_passwords_never_look_like_an_option():
    # neo4j-admin dbms set-initial-password PASSWORD read a password beginning with '-' as an option
    # (token_urlsafe's alphabet has '-': one start in 64)
    from graphkit.db.server.settings import new_password

    drawn = [new_password() for _ in range(2000)]
    assert not any(p.startswith("-") for p in drawn) and len(set(drawn)) == 2000
