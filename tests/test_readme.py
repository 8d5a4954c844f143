"""Every command example in README.md (and docs/mirrors.md) runs as written on the demo's graph.

The graph is loaded the way the README's own `graphkit load reports/2025-07-25/` line does it,
from a folder of that name holding the demo's fictional report (`graphkit synth --seed 0`, the
bundle `graphkit demo` loads). Each example runs in bash, in that folder's parent, with
`graphkit` meaning this checkout's `python -m graphkit`. Synopsis lines (`graphkit load PATH...
[--format NAME]`) are not examples and are skipped; so are `graphkit demo` (tests/test_demo.py
runs it) and `server start/stop` (the tests' server is the fixtures' to start and stop).
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from helpers import ROOT
from graphkit.queries import library as queries
from graphkit.cli.common import guess_value
from graphkit.synth.write import write as write_synth

DOCS = [ROOT / "README.md", ROOT / "docs" / "mirrors.md"]
SKIPPED = ("graphkit demo", "graphkit server start", "graphkit server stop", "graphkit serve")  # serve runs until stopped
# words that mark a synopsis, not a runnable example
PLACEHOLDER = re.compile(r"\[|\||\.\.\.|\b(COMMAND|PATH|NAME|FILE|ID|N|S|TEXT|SUCCESSOR|PREDECESSOR|KEY|VALUE|"
                         r"PLATFORM|HANDLE)\b")
# canned-query examples whose answer on the fictional report is empty, and why
EMPTY_ON_DEMO = {"cross-group-links": "the fictional report ties no account to two groups"}


def fenced(text: str, language: str) -> list[str]:
    """The bodies of the fenced code blocks of ``language`` ("" = no language given)."""
    blocks, body, lang = [], None, None
    for line in text.splitlines():
        if line.startswith("```"):
            if body is None:
                body, lang = [], line[3:].strip()
            else:
                if lang == language:
                    blocks.append("\n".join(body) + "\n")
                body = None
        elif body is not None:
            body.append(line)
    return blocks


def examples() -> tuple[list[str], list[str], list[str]]:
    """(command lines from ```bash blocks, inline `graphkit ...` examples, ```python blocks)."""
    lines, inline, python = [], [], []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in fenced(text, "bash") + fenced(text, ""):
            lines += [line.strip() for line in block.splitlines() if line.strip().startswith("graphkit ")]
        snippets = [" ".join(s.split()) for s in re.findall(r"`(graphkit [^`]+)`", text)]  # may span lines
        inline += [snippet for snippet in snippets if not PLACEHOLDER.search(snippet)]
        python += fenced(text, "python") if doc.name == "README.md" else []
    return lines, inline, python


def _run(command: str, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    script = f'graphkit() {{ {shlex.quote(sys.executable)} -m graphkit "$@"; }}\n{command}\n'
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _rows(graph, command: str) -> tuple[str, list] | None:
    """(query name, rows) a `graphkit query NAME -p KEY VALUE ...` example answers (asked again in
    this process, to count them), or None for other commands."""
    words = shlex.split(command, comments=True)
    words = words[:words.index(">")] if ">" in words else words
    if words[:2] != ["graphkit", "query"]:
        return None
    params = {words[i + 1]: guess_value(words[i + 2]) for i, w in enumerate(words) if w in ("-p", "--param")}
    return words[2], queries.run(graph, words[2], params)[0]


def test_the_docs_have_examples_to_run():
    lines, inline, python = examples()
    assert "graphkit load reports/2025-07-25/     # a report bundle: folder, .zip or .xlsx; or UN XML, OFAC CSV, tweets" in lines
    assert any(line.startswith("graphkit mirrors confirm") for line in lines)
    assert sum(snippet.startswith("graphkit query ") for snippet in inline) >= 10
    assert not any(PLACEHOLDER.search(s) for s in inline)
    assert python and "load(graph" in python[0]


def test_every_example_runs_on_the_demo_graph(graph, tmp_path):
    write_synth(tmp_path / "reports" / "2025-07-25", seed=0, scale=1)
    lines, inline, python = examples()
    failures, ran = [], 0
    for command in lines + inline:
        if command.startswith(SKIPPED):
            continue
        result = _run(command, tmp_path)
        ran += 1
        if result.returncode != 0 or "Traceback" in result.stderr:
            failures.append(f"{command}\n  exit {result.returncode}: {result.stderr.strip()[-800:]}")
            continue
        answer = _rows(graph, command)
        if answer and not answer[1] and answer[0] not in EMPTY_ON_DEMO:
            failures.append(f"{command}\n  answers nothing on the demo graph")
    for block in python:
        script = tmp_path / "readme_example.py"
        script.write_text(block, encoding="utf-8")
        result = _run(f"{shlex.quote(sys.executable)} {script}", tmp_path)
        ran += 1
        if result.returncode != 0:
            failures.append(f"README python example\n  exit {result.returncode}: {result.stderr.strip()[-800:]}")
    assert not failures, "\n".join(failures)
    assert ran >= 20
    assert (tmp_path / "operators.csv").stat().st_size > 0 and (tmp_path / "ttp.html").is_file()


@pytest.mark.parametrize("snippet", ["graphkit load PATH... [--format NAME]", "graphkit COMMAND --help",
                                     "graphkit mirrors confirm|reject SUCCESSOR PREDECESSOR [--note TEXT]"])
def test_synopsis_lines_are_not_taken_for_examples(snippet):
    assert PLACEHOLDER.search(snippet)
