"""The CLI in a real terminal: `load`, `demo` and `mirrors detect` under a pseudo-terminal.

Piped output (every other CLI test) never shows a progress bar, so a bar that crashes went
unnoticed: `load` and `demo` died with a traceback in every terminal (tqdm's bool()).
"""
from __future__ import annotations

import re

from ptyrun import BAR_PATTERN, graphkit_pty
from loadutil import write_bundle

CLEAN_BUNDLE = {
    "report.json": '{"id": "pty-report", "source": "fictional", "date": "2025-07-25"}',
    "accounts.csv": "platform,handle,display_name,status\n"
                    "x,pty_media_example,PTY Media (fictional),removed\n"
                    "x,pty_media_example2,PTY Media (fictional),active\n"
                    "x,pty_media_example_3,PTY Media (fictional),active\n",
    "sightings.csv": "observed_at,platform,account,excerpt\n"
                     "2025-07-01T10:00:00Z,x,pty_media_example,fictional post\n"
                     "2025-07-20T10:00:00Z,x,pty_media_example2,fictional post\n",
}


def _clean(result) -> None:
    assert "Traceback" not in result.output, result.output[-3000:]
    assert result.returncode == 0, result.output[-3000:]


def test_load_in_a_terminal_draws_a_bar_and_exits_0(graph, tmp_path):
    bundle = write_bundle(tmp_path / "pty", CLEAN_BUNDLE)
    result = graphkit_pty("load", str(bundle))
    _clean(result)
    assert re.search(r"pty: .*" + BAR_PATTERN, result.output), result.output  # tqdm drew on the terminal
    assert any(line.split()[:2] == ["TOTAL", "5"] for line in result.lines), result.output
    assert graph.read("MATCH (r:Report) RETURN r.rid AS rid") == [{"rid": "pty-report"}]


def test_demo_in_a_terminal_draws_a_bar_and_exits_0(graph, tmp_path):
    result = graphkit_pty("demo", "-o", str(tmp_path / "demo"))
    _clean(result)
    assert re.search(r"synthetic-report-seed0: .*" + BAR_PATTERN, result.output), result.output[-3000:]
    assert re.search(r"comparing accounts: .*" + BAR_PATTERN, result.output), result.output[-3000:]
    assert "Mirror candidates" in result.output


def test_mirrors_detect_in_a_terminal_draws_a_bar_and_exits_0(graph, tmp_path):
    bundle = write_bundle(tmp_path / "pty", CLEAN_BUNDLE)
    graphkit_pty("load", str(bundle))
    result = graphkit_pty("mirrors", "detect")
    _clean(result)
    assert re.search(r"comparing accounts: .*" + BAR_PATTERN, result.output), result.output


def test_piped_output_has_no_bar(graph, tmp_path, cli):
    bundle = write_bundle(tmp_path / "pty", CLEAN_BUNDLE)
    result = cli("load", str(bundle))
    assert result.returncode == 0, result.stderr
    assert not re.search(BAR_PATTERN, result.stderr + result.stdout)
