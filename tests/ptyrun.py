"""Run a command under a real pseudo-terminal, as a person at a terminal would.

    from ptyrun import run_pty
    result = run_pty(["graphkit", "load", "reports/"])   # or [sys.executable, "-m", "graphkit", ...]
    result.returncode, result.output                      # stdout and stderr as the terminal got them

stdin, stdout and stderr of the child are all the pty's slave end, so ``isatty()`` is true for
each of them (colours, progress bars and terminal widths behave as for a person). The output is
the terminal's byte stream decoded as UTF-8 with ``\\r\\n`` turned into ``\\n``; carriage returns
of progress bars are kept. ``columns``/``rows`` set the terminal's size.
"""
from __future__ import annotations

import errno
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# a tqdm bar: "<desc>: 120 rows [00:01, 95.3 rows/s]" or "<desc>: 50%|###  | 5/10 [00:01<00:01, ...]"
BAR_PATTERN = r"\[\d\d:\d\d(?::\d\d)?[,<]"


@dataclass
class PtyResult:
    returncode: int
    output: str

    @property
    def lines(self) -> list[str]:
        """The output as the terminal would finally show it (a carriage return rewrites a line)."""
        return [line.rsplit("\r", 1)[-1] for line in self.output.split("\n")]


def run_pty(args: list[str], env: dict | None = None, cwd: Path | None = None, timeout: float = 600,
            columns: int = 120, rows: int = 40) -> PtyResult:
    """Run ``args`` with a pseudo-terminal as stdin, stdout and stderr; wait for it to end."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    full_env = {**os.environ, "COLUMNS": str(columns), "LINES": str(rows), "TERM": "xterm"}
    full_env.update(env or {})
    try:
        proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                                cwd=str(cwd or ROOT), close_fds=True, start_new_session=True)
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                proc.kill()
                raise TimeoutError(f"{' '.join(args)} did not end within {timeout} s")
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None and not _pending(master):
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError as exc:  # EIO: every slave end is closed (the child ended)
                if exc.errno != errno.EIO:
                    raise
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    returncode = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    text = b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")
    return PtyResult(returncode, text)


def _pending(fd: int) -> bool:
    ready, _, _ = select.select([fd], [], [], 0)
    return bool(ready)


def graphkit_pty(*args: str, **kwargs) -> PtyResult:
    """``python -m graphkit ARGS`` under a pseudo-terminal (the worktree's graphkit)."""
    return run_pty([sys.executable, "-m", "graphkit", *args], **kwargs)
