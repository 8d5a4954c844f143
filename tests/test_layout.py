"""The package stays easy to read: no module far over 400 lines (docs/architecture.md, Sizes), and
the function-length script runs. No server needed."""
from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

LIMIT = 450  # "about 400": a module past this is split by idea (issue 12)


def test_no_module_is_far_over_400_lines():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for p in (ROOT / "graphkit").rglob("*.py")}
    assert {path: n for path, n in sizes.items() if n > LIMIT} == {}


def test_the_long_function_script_lists_what_it_finds():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "long_functions.py"), "60"],
                         capture_output=True, text=True, check=True).stdout
    # statements() is the longest (one Cypher text per table) and says why
    assert "graphkit/ingest/statements.py" in out and "statements  (explained)" in out
    assert out.strip().splitlines()[-1].endswith("unexplained")
