"""Shared test helpers (imported by test modules; fixtures stay in conftest.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_cli(*args: str, env: dict | None = None, input: str | None = None, cwd: Path | None = None):
    """Run the installed ``graphkit`` command in a subprocess, as a user would."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "graphkit", *args], capture_output=True, text=True,
        env=full_env, input=input, cwd=str(cwd or ROOT), timeout=600,
    )
