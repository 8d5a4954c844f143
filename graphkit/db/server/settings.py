"""Where the managed server lives and how it is configured: its folders, the Bolt port, memory,
``neo4j.conf`` and the generated password."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from graphkit import config
from graphkit.db.server import memory
from graphkit.errors import ConfigError, PortInUse, ServerError

DEFAULT_BOLT_PORT = 7687


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
    def restore_marker(self) -> Path:
        """Present while a restore replaces the store (an interrupted restore leaves it)."""
        return self.home / "restore-in-progress"

    @property
    def last_used_file(self) -> Path:
        return self.home / "last-used"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def neo4j_log(self) -> Path:
        return self.logs / "neo4j.log"


def server_paths(case: str | None = None) -> Paths:
    """The managed server's folders for ``case`` (default: the current case, ``--case`` /
    ``GRAPHKIT_CASE``); the default case keeps ``<data home>/server``."""
    return Paths(config.managed_home(case))


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


def heap_size(paths: Paths | None = None) -> str:
    """``GRAPHKIT_HEAP``, else chosen from the machine's memory and the store size (memory.py)."""
    return os.environ.get("GRAPHKIT_HEAP") or memory.recommend(paths or server_paths()).heap


def pagecache_size(paths: Paths | None = None) -> str:
    """``GRAPHKIT_PAGECACHE``, else chosen from the machine's memory and the store size."""
    return os.environ.get("GRAPHKIT_PAGECACHE") or memory.recommend(paths or server_paths()).pagecache


def write_conf(paths: Paths, port: int) -> Path:
    heap = heap_size(paths)
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
server.memory.heap.initial_size={heap}
server.memory.heap.max_size={heap}
server.memory.pagecache.size={pagecache_size(paths)}
dbms.memory.transaction.total.max={memory.transaction_limit(heap)}
server.directories.data={paths.data}
server.directories.logs={paths.logs}
server.directories.run={paths.run}
server.directories.import={paths.home / "import"}
server.directories.plugins={paths.home / "plugins"}
server.directories.transaction.logs.root={paths.data / "transactions"}
db.tx_log.rotation.retention_policy=2 days 1G
server.logs.debug.enabled=true
"""
    paths.conf.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = paths.conf / "neo4j.conf"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(conf)
    os.chmod(target, 0o600)
    return target


def check_private(home: Path) -> None:
    """Refuse a home that other users can write (they could swap its conf, plugins or store); a
    home only readable by others is made private (0700): a case's store files are evidence."""
    try:
        info = home.stat()
    except OSError:
        return
    if info.st_mode & 0o022:
        raise ServerError(
            f"the server home {home} can be written by other users (mode {info.st_mode & 0o777:o})",
            hint=f"Make it yours only: chmod 700 {home}",
        )
    if info.st_mode & 0o077 and info.st_uid == os.getuid():
        os.chmod(home, 0o700)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) readable by the owner only."""
    for parent in reversed([path, *path.parents]):
        if not parent.exists():
            parent.mkdir(mode=0o700)
            os.chmod(parent, 0o700)


def _check_writable(paths: Paths) -> None:
    try:
        make_private_dir(paths.home)
        check_private(paths.home)
        for sub in (paths.conf, paths.data, paths.logs, paths.run, paths.home / "import", paths.home / "plugins"):
            make_private_dir(sub)
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


def new_password() -> str:
    """A random password that neo4j-admin cannot read as an option (token_urlsafe may begin with '-')."""
    return "gk" + secrets.token_urlsafe(24)


def _set_initial_password(java: str, lib: Path, paths: Paths) -> None:
    initialised = (paths.data / "dbms" / "auth.ini").exists() or (paths.data / "databases" / "system").exists()
    if initialised and paths.password_file.exists():
        return  # never replace the password of a server that has started with it
    password = new_password()
    proc = subprocess.run(
        [java, "-cp", _classpath(lib, paths), "org.neo4j.server.startup.Neo4jAdminCommand",
         "dbms", "set-initial-password", password],
        capture_output=True, text=True, env=_java_env(paths), timeout=300, umask=0o077,
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


