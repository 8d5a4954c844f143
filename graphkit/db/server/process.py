"""The managed server's process: start (launch, wait until Bolt answers), status and stop."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from graphkit import config
from graphkit.db.server.distribution import ensure_distribution, find_java, neo4j_version
from graphkit.db.server.settings import (
    Paths,
    _check_writable,
    _classpath,
    _free_port,
    _java_env,
    _set_initial_password,
    choose_port,
    heap_size,
    read_password,
    server_paths,
    write_conf,
)
from graphkit.errors import PortInUse, ServerError

START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0

JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]



# --------------------------------------------------------------------------- state


@dataclass
class Status:
    running: bool
    pid: int | None
    uri: str | None
    port: int | None
    version: str
    home: str
    log: str

    def as_dict(self) -> dict:
        return asdict(self)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child counts as dead
    try:
        with open(f"/proc/{pid}/stat") as fh:
            if fh.read().split(") ", 1)[1].startswith("Z"):
                return False
    except (OSError, IndexError):
        pass
    return True


def _is_our_server(pid: int, paths: Paths) -> bool:
    """The pid runs Neo4j with our home (guards against a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return pid_alive(pid)
    return "CommunityEntryPoint" in cmdline and str(paths.home) in cmdline


def _read_state(paths: Paths) -> dict:
    try:
        return json.loads(paths.state_file.read_text())
    except (OSError, ValueError):
        return {}


def _running_pid(paths: Paths) -> int | None:
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if pid_alive(pid) and _is_our_server(pid, paths):
        return pid
    return None


def status(paths: Paths | None = None) -> Status:
    """The managed server of the current case (or of ``paths``): running or not, pid, URI."""
    paths = paths or server_paths()
    state = _read_state(paths)
    pid = _running_pid(paths)
    port = state.get("port")
    return Status(
        running=pid is not None,
        pid=pid,
        uri=f"bolt://127.0.0.1:{port}" if port else None,
        port=port,
        version=state.get("version") or neo4j_version(),
        home=str(paths.home),
        log=str(paths.neo4j_log),
    )


def _log_tail(paths: Paths, lines: int = 25) -> str:
    chunks = []
    for log in (paths.neo4j_log, paths.console_log):
        try:
            text = log.read_text(errors="replace").strip().splitlines()
        except OSError:
            continue
        if text:
            chunks.append(f"--- {log} (last {min(lines, len(text))} lines) ---\n" + "\n".join(text[-lines:]))
    return "\n".join(chunks) or "(no log output)"


def _bolt_probe(uri: str, password: str) -> str:
    """``up`` (our password works), ``auth`` (something answers but refuses it) or ``down``."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    try:
        with GraphDatabase.driver(uri, auth=("neo4j", password), connection_timeout=5) as driver:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query("RETURN 1 AS ok")
            return "up" if records else "down"
    except AuthError:
        return "auth"
    except Neo4jError as exc:
        return "auth" if "Security" in (exc.code or "") else "down"
    except (ServiceUnavailable, OSError):
        return "down"


def _log_since(path: Path, offset: int) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


BIND_FAILED = ("Address already in use", "BindException")
MAX_PORT_RETRIES = 3


def start(port: int | None = None, timeout: float | None = None, progress=print) -> Status:
    """Start the managed server (idempotent) and wait until Bolt answers.

    Bolt is only probed once this start's own log says the server started, so graphkit never
    knocks on another server that holds the port (which could trip Neo4j's login rate limit).
    When another program takes the port between the check and Neo4j's bind, a free port is
    chosen and the start retried (unless ``port`` was asked for explicitly).
    """
    limit = timeout or config.env_number("GRAPHKIT_START_TIMEOUT", START_TIMEOUT, minimum=1)
    config.env_number("GRAPHKIT_BOLT_PORT", 0, int, minimum=1)  # a bad value fails before anything starts
    paths = server_paths()
    current = status(paths)
    if current.running:
        return current
    if paths.restore_marker.exists():
        raise ServerError(
            f"a restore into {paths.home} was interrupted, so its graph is incomplete",
            hint="Run `graphkit server restore FILE` again with the same dump (it finishes the job).",
        )
    if paths.pid_file.exists():  # stale: the process is gone
        paths.pid_file.unlink(missing_ok=True)
    java = find_java()
    _check_writable(paths)
    lib = ensure_distribution(progress=progress)
    previous = _read_state(paths).get("port")
    bolt_port = choose_port(port, previous)
    _set_initial_password(java, lib, paths)
    deadline = time.monotonic() + limit
    for attempt in range(MAX_PORT_RETRIES + 1):
        outcome = _launch_and_wait(java, lib, paths, bolt_port, deadline, progress)
        if outcome is not None:
            return outcome
        if port is not None:
            raise PortInUse(
                f"port {port} on 127.0.0.1 was taken by another program while Neo4j started",
                hint="Start without --port to let graphkit pick a free one.",
            )
        bolt_port = _free_port()
        progress(f"Port taken by another program; retrying on {bolt_port} ...")
    raise ServerError("Neo4j could not bind a Bolt port after several tries", hint=_start_hint(paths))


def _launch_and_wait(java: str, lib: Path, paths: Paths, bolt_port: int, deadline: float, progress):
    """Run Neo4j on ``bolt_port``; its Status once Bolt answers, None when the port was taken."""
    write_conf(paths, bolt_port)
    version = neo4j_version()
    heap = heap_size(paths)
    cmd = [java, "-cp", _classpath(lib, paths), f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS,
           "org.neo4j.server.CommunityEntryPoint", f"--home-dir={paths.home}", f"--config-dir={paths.conf}"]
    log_offset = _size(paths.neo4j_log)
    console_offset = _size(paths.console_log)
    console = os.fdopen(os.open(paths.console_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")
    proc = subprocess.Popen(
        cmd, stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=_java_env(paths), cwd=str(paths.home), start_new_session=True, umask=0o077,
    )
    console.close()
    paths.pid_file.write_text(f"{proc.pid}\n")
    paths.state_file.write_text(json.dumps({"pid": proc.pid, "port": bolt_port, "version": version}))
    uri = f"bolt://127.0.0.1:{bolt_port}"
    password = read_password(paths) or ""
    progress(f"Starting Neo4j {version} on {uri} ...")

    def own_log() -> str:
        return _log_since(paths.neo4j_log, log_offset) + _log_since(paths.console_log, console_offset)

    while time.monotonic() < deadline:
        log = own_log()
        if any(marker in log for marker in BIND_FAILED):
            _terminate(proc.pid)
            paths.pid_file.unlink(missing_ok=True)
            return None
        if proc.poll() is not None:
            paths.pid_file.unlink(missing_ok=True)
            raise ServerError(
                f"Neo4j exited during start-up (exit code {proc.returncode})\n{_log_tail(paths)}",
                hint=_start_hint(paths),
            )
        if "Started." in log:
            state = _bolt_probe(uri, password)
            if state == "up":
                return status(paths)
            if state == "auth":
                _terminate(proc.pid)
                paths.pid_file.unlink(missing_ok=True)
                raise ServerError(
                    f"Neo4j on {uri} refused the password graphkit keeps in {paths.password_file}",
                    hint="The data under GRAPHKIT_HOME was made with another password: restore that "
                    "password file, or set GRAPHKIT_HOME to a fresh folder.",
                )
        time.sleep(0.5)
    _terminate(proc.pid)
    paths.pid_file.unlink(missing_ok=True)
    raise ServerError(
        f"Neo4j did not answer on {uri} in time\n{_log_tail(paths)}",
        hint="Raise GRAPHKIT_START_TIMEOUT (seconds) on a slow machine, or read the log above.",
    )


def _start_hint(paths: Paths) -> str:
    tail = _log_tail(paths, 60)
    if "Address already in use" in tail or "BindException" in tail:
        return "Another program took the port; run `graphkit server start` again to pick a free one."
    if "UnsupportedClassVersionError" in tail:
        return "Use Java 17 or 21 (set JAVA_HOME)."
    return f"See {paths.neo4j_log} for details."


def _terminate(pid: int, timeout: float = STOP_TIMEOUT) -> bool:
    """SIGTERM, wait, then SIGKILL. True if it stopped cleanly."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        if not pid_alive(pid):
            return True
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    return False


def stop(paths: Paths | None = None) -> Status:
    """Stop the managed server cleanly and wait for it (no-op when it is not running)."""
    paths = paths or server_paths()
    pid = _running_pid(paths)
    if pid is not None:
        clean = _terminate(pid)
        if not clean:
            print("Neo4j did not stop within 60 s and was killed.", file=sys.stderr)
    paths.pid_file.unlink(missing_ok=True)
    return status(paths)
