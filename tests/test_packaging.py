"""The wheel carries everything an installed graphkit needs; the README and CI agree."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest

from helpers import ROOT
@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("graphkit-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_data_folders_and_server_pom(wheel):
    names = set(wheel.namelist())
    for required in ("graphkit/model/model.yaml", "graphkit/ingest/groups.yaml", "graphkit/db/server/neo4j_dist/pom.xml"):
        assert required in names
    for folder in ("cypher", "loaders"):
        expected = {f"graphkit/{folder}/{p.name}" for p in (ROOT / folder).iterdir() if p.is_file()}
        assert expected and expected <= names, f"{folder}/ files missing from the wheel"
    entry_points = wheel.read([n for n in names if n.endswith("entry_points.txt")][0]).decode()
    assert "graphkit = graphkit.cli:main" in entry_points


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section, re.S)
    commands = [line for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text()
    ci_commands = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci_commands == [commands[1]]


def test_every_command_is_documented_in_readme():
    from graphkit.cli import main

    readme = (ROOT / "README.md").read_text()
    for name in main.commands:
        assert f"graphkit {name}" in readme, f"`graphkit {name}` is not mentioned in README.md"
