"""Nothing a user can set or type ends in a Python traceback: each case is one sentence and a hint.

Each case below crashed with a traceback before (issue 12): a bad number in the environment was
parsed at import time (every command died), a missing data folder raised FileNotFoundError,
writing into a place that cannot be written raised OSError, and driver errors outside the
translated list escaped as they were.
"""
from __future__ import annotations

import neo4j.exceptions
import pytest

from graphkit import resources
from graphkit.db.graph import _translate
from graphkit.errors import ConfigError, ConnectionFailed, GraphkitError, InstallationError, QueryError
from helpers import run_cli


def _one_sentence(proc, *words):
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.startswith("Error: "), proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr
    return proc.stderr


@pytest.mark.parametrize("name", ["GRAPHKIT_START_TIMEOUT", "GRAPHKIT_BOLT_PORT"])
def test_a_bad_number_in_the_environment_is_one_sentence(name):
    # --help still works (nothing is parsed at import) ...
    assert run_cli("--help", env={name: "abc"}).returncode == 0
    # ... and the command that uses the value says which variable is wrong
    err = _one_sentence(run_cli("server", "start", env={name: "abc"}), name, "'abc'")
    assert "Hint:" in err


def test_a_negative_start_timeout_is_refused():
    _one_sentence(run_cli("server", "start", env={"GRAPHKIT_START_TIMEOUT": "-5"}), "GRAPHKIT_START_TIMEOUT")


def test_a_missing_data_folder_is_an_installation_error(monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "_PACKAGE", tmp_path / "graphkit")
    with pytest.raises(InstallationError, match="cypher/ folder is missing") as info:
        resources.cypher_dir()
    assert "Reinstall" in info.value.hint


def test_synth_into_a_path_below_a_file(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    _one_sentence(run_cli("synth", "-o", str(blocker / "bundle")), "cannot create")


def test_synth_into_a_folder_that_cannot_be_written():
    # /proc/1 exists and is a folder, and not even root can create files in it
    _one_sentence(run_cli("synth", "-o", "/proc/1"), "cannot write the bundle into /proc/1")


def test_driver_errors_outside_the_known_list_become_graphkit_errors():
    uri = "bolt://127.0.0.1:7687"
    driver_error = _translate(neo4j.exceptions.DriverError("socket closed"), uri)
    assert isinstance(driver_error, ConnectionFailed) and uri in driver_error.message
    server_error = _translate(neo4j.exceptions.Neo4jError(), uri)
    assert isinstance(server_error, QueryError)
    assert isinstance(_translate(ValueError("x"), uri), ValueError)  # not a driver error: untouched


def test_unforeseen_errors_are_one_sentence_unless_debugging(tmp_path):
    # a bundle path that is a FIFO-like oddity is hard to build portably; an unreadable report
    # manifest is not: the CLI's last guard turns whatever escapes into one sentence.
    proc = run_cli("cypher", "RETURN 1", env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"})
    _one_sentence(proc)


def test_config_error_class_is_a_graphkit_error():
    assert issubclass(ConfigError, GraphkitError) and issubclass(InstallationError, GraphkitError)
