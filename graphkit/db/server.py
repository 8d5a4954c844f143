"""graphkit's managed local Neo4j server (no Docker).

Neo4j Community is fetched from Maven Central with Maven (``neo4j_dist/pom.xml``) into a cache
directory and run with the machine's Java. graphkit writes its own ``neo4j.conf`` (loopback only,
auth on, modest memory), sets a generated password on first start and keeps it in a file only the
user can read. Data persists between starts under ``<data home>/server``.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from graphkit import config
from graphkit.errors import ConfigError, JavaNotFound, MavenError, PortInUse, ServerError

DEFAULT_BOLT_PORT = 7687
MIN_JAVA = 17
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


# --------------------------------------------------------------------------- paths


def pom_path() -> Path:
    return Path(str(resources.files("graphkit.db") / "neo4j_dist" / "pom.xml"))


def neo4j_version() -> str:
    """The pinned Neo4j version, read from the pom (one place)."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom_path().read_text())
    if not match:  # pragma: no cover - the pom ships with the package
        raise ServerError(f"{pom_path()} does not pin <neo4j.version>")
    return match.group(1).strip()


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def conf(self) -> Path:
        return self.home / "conf"

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def run(self) -> Path:
        return self.home / "run"

    @property
    def pid_file(self) -> Path:
        return self.run / "graphkit-neo4j.pid"

    @property
    def state_file(self) -> Path:
        return self.run / "graphkit-neo4j.json"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def neo4j_log(self) -> Path:
        return self.logs / "neo4j.log"


def server_paths() -> Paths:
    return Paths(config.data_home() / "server")


def lib_dir(version: str | None = None) -> Path:
    return config.cache_home() / f"neo4j-{version or neo4j_version()}" / "lib"


# --------------------------------------------------------------------------- Java and Maven


def find_java() -> str:
    """Path of a Java >= 17 (``JAVA_HOME`` first, then ``PATH``), or a clear error."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(on_path)
    if not candidates:
        raise JavaNotFound(
            "Java was not found: the managed Neo4j server needs Java 17 or 21",
            hint="Install a JDK (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME; "
            "or point graphkit at an existing server with NEO4J_URI.",
        )
    java = candidates[0]
    version = java_version(java)
    if version < MIN_JAVA:
        raise JavaNotFound(
            f"{java} is Java {version}; Neo4j 5.26 needs Java 17 or 21",
            hint="Install Java 17 or 21 and set JAVA_HOME to it.",
        )
    return java


def java_version(java: str) -> int:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60
        ).stderr
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise JavaNotFound(f"cannot run {java}: {exc}", hint="Check JAVA_HOME.") from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise JavaNotFound(f"cannot tell the version of {java}", hint="Check JAVA_HOME.")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0" style
        major = int(match.group(2))
    return major


def ensure_distribution(progress=print) -> Path:
    """Fetch Neo4j's jars with Maven into the cache (once); return the lib directory."""
    version = neo4j_version()
    lib = lib_dir(version)
    if (lib.parent / ".complete").exists():
        return lib
    mvn = shutil.which("mvn")
    if not mvn:
        raise MavenError(
            "Maven (mvn) was not found; graphkit uses it to fetch Neo4j Community from Maven Central",
            hint="Install Maven (Debian: apt-get install maven), or set NEO4J_URI to an existing server.",
        )
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=lib.parent))
    progress(f"Fetching Neo4j Community {version} with Maven (first start only, ~120 MB) ...")
    cmd = [
        mvn, "-B", "-q", "-Dstyle.color=never", "-f", str(pom_path()),
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise MavenError(
            "Maven did not finish fetching Neo4j within 30 minutes",
            hint="Check the network route to Maven Central (or your Maven mirror in ~/.m2/settings.xml).",
        ) from exc
    if proc.returncode != 0 or not any(staging.glob("neo4j-*.jar")):
        shutil.rmtree(staging, ignore_errors=True)
        output = (proc.stdout + proc.stderr).strip().splitlines()
        boilerplate = ("Re-run Maven", "To see the full", "For more information", "[ERROR] [Help")
        errors = [line[line.index("[ERROR]"):] for line in output
                  if "[ERROR]" in line and line.strip().replace("[ERROR]", "").strip()
                  and not any(b in line for b in boilerplate)]
        tail = "\n".join((errors or output)[:6])
        unreachable = any(
            word in "\n".join(output)
            for word in ("Could not transfer", "Unknown host", "Connection refused", "timed out",
                         "Network is unreachable", "Could not resolve", "No plugin found",
                         "UnknownHostException", "ConnectException")
        )
        raise MavenError(
            ("Maven cannot reach its repository to fetch Neo4j Community" if unreachable
             else "Maven could not fetch Neo4j Community")
            + (f":\n{tail}" if tail else ""),
            hint="Check that Maven can reach Maven Central (proxy/mirror settings in ~/.m2/settings.xml), "
            "then run `graphkit server start` again; or set NEO4J_URI to an existing server.",
        )
    if lib.exists():
        shutil.rmtree(lib)
    staging.rename(lib)
    (lib.parent / ".complete").write_text(version + "\n")
    return lib


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


def _pid_alive(pid: int) -> bool:
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
        return _pid_alive(pid)
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
    if _pid_alive(pid) and _is_our_server(pid, paths):
        return pid
    return None


def status() -> Status:
    paths = server_paths()
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


def read_password(paths: Paths | None = None) -> str | None:
    paths = paths or server_paths()
    try:
        return paths.password_file.read_text().strip() or None
    except OSError:
        return None


def _port_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:port. SO_REUSEADDR as Neo4j itself binds: connections of a
    previous run left in TIME_WAIT do not make the port look taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def choose_port(requested: int | None, previous: int | None) -> int:
    """The requested port (error if taken), else the previous or default one, else a free one."""
    if requested is not None:
        if not _port_free(requested):
            raise PortInUse(
                f"port {requested} on 127.0.0.1 is already in use",
                hint="Stop what uses it, or start without --port to let graphkit pick a free one.",
            )
        return requested
    env_port = config.env_number("GRAPHKIT_BOLT_PORT", 0, int, minimum=1)
    if env_port:
        if env_port > 65535:
            raise ConfigError(f"GRAPHKIT_BOLT_PORT={env_port} is not a port number",
                              hint="Use a port between 1024 and 65535, or unset it.")
        return choose_port(env_port, None)
    for candidate in (previous, DEFAULT_BOLT_PORT):
        if candidate and _port_free(candidate):
            return candidate
    return _free_port()


def heap_size() -> str:
    return os.environ.get("GRAPHKIT_HEAP", "1g")


def pagecache_size() -> str:
    return os.environ.get("GRAPHKIT_PAGECACHE", "1g")


def write_conf(paths: Paths, port: int) -> Path:
    conf = f"""# Written by graphkit at every start; edits are overwritten.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{port}
server.bolt.advertised_address=127.0.0.1:{port}
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.memory.heap.initial_size={heap_size()}
server.memory.heap.max_size={heap_size()}
server.memory.pagecache.size={pagecache_size()}
dbms.memory.transaction.total.max=2g
server.directories.data={paths.data}
server.directories.logs={paths.logs}
server.directories.run={paths.run}
server.directories.import={paths.home / "import"}
server.directories.plugins={paths.home / "plugins"}
server.directories.transaction.logs.root={paths.data / "transactions"}
db.tx_log.rotation.retention_policy=2 days 1G
server.logs.debug.enabled=true
"""
    paths.conf.mkdir(parents=True, exist_ok=True)
    target = paths.conf / "neo4j.conf"
    target.write_text(conf)
    return target


def _check_writable(paths: Paths) -> None:
    try:
        paths.home.mkdir(parents=True, exist_ok=True)
        for sub in (paths.conf, paths.data, paths.logs, paths.run, paths.home / "import", paths.home / "plugins"):
            sub.mkdir(parents=True, exist_ok=True)
        probe = paths.data / ".graphkit-write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ServerError(
            f"the data directory {paths.home} is not writable ({exc.strerror})",
            hint="Fix its permissions, or set GRAPHKIT_HOME to a writable directory.",
        ) from exc


def _classpath(lib: Path, paths: Paths) -> str:
    return os.pathsep.join([str(paths.home / "plugins" / "*"), str(paths.conf / "*"), str(lib / "*")])


def _java_env(paths: Paths) -> dict:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(paths.home)
    env["NEO4J_CONF"] = str(paths.conf)
    return env


def _set_initial_password(java: str, lib: Path, paths: Paths) -> None:
    initialised = (paths.data / "dbms" / "auth.ini").exists() or (paths.data / "databases" / "system").exists()
    if initialised and paths.password_file.exists():
        return  # never replace the password of a server that has started with it
    password = secrets.token_urlsafe(24)
    proc = subprocess.run(
        [java, "-cp", _classpath(lib, paths), "org.neo4j.server.startup.Neo4jAdminCommand",
         "dbms", "set-initial-password", password],
        capture_output=True, text=True, env=_java_env(paths), timeout=300,
    )
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).replace(password, "********")
        raise ServerError(
            "could not set the initial Neo4j password:\n" + "\n".join(output.strip().splitlines()[-10:]),
            hint=f"Remove {paths.data / 'dbms'} if it is left over from another setup, then start again.",
        )
    fd = os.open(paths.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    os.chmod(paths.password_file, 0o600)


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
    current = status()
    if current.running:
        return current
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
    cmd = [java, "-cp", _classpath(lib, paths), f"-Xms{heap_size()}", f"-Xmx{heap_size()}", *JVM_FLAGS,
           "org.neo4j.server.CommunityEntryPoint", f"--home-dir={paths.home}", f"--config-dir={paths.conf}"]
    log_offset = _size(paths.neo4j_log)
    console_offset = _size(paths.console_log)
    console = open(paths.console_log, "ab")
    proc = subprocess.Popen(
        cmd, stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=_java_env(paths), cwd=str(paths.home), start_new_session=True,
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
                return status()
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
        if not _pid_alive(pid):
            return True
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    return False


def stop() -> Status:
    """Stop the managed server cleanly and wait for it (no-op when it is not running)."""
    paths = server_paths()
    pid = _running_pid(paths)
    if pid is not None:
        clean = _terminate(pid)
        if not clean:
            print("Neo4j did not stop within 60 s and was killed.", file=sys.stderr)
    paths.pid_file.unlink(missing_ok=True)
    return status()
