"""Where graphkit keeps its files and how it connects to Neo4j.

Connection settings come from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE`` (environment first, then a ``.env`` file in the working directory).
When no ``NEO4J_URI`` is set, graphkit uses its own managed server (``graphkit server``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import ConfigError

ENV_KEYS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def env_number(name: str, default: float, kind: type = float, minimum: float | None = None) -> float:
    """A number from the environment variable ``name`` (``default`` when unset), or ConfigError."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or (minimum is not None and value < minimum):
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name}={raw!r} is not {what}" + (f" of at least {minimum:g}" if minimum is not None else ""),
                          hint=f"Set {name} to {what} (e.g. {default:g}) or unset it.")
    return value


def data_home() -> Path:
    """Root of graphkit's own files (managed server, password). ``GRAPHKIT_HOME`` overrides."""
    if os.environ.get("GRAPHKIT_HOME"):
        return Path(os.environ["GRAPHKIT_HOME"]).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "graphkit"


CASE_NAME = re.compile(r"[a-z][a-z0-9-]{1,62}")
DEFAULT_CASE = "default"


def case_name() -> str:
    """The case this run works on: ``GRAPHKIT_CASE`` (set by ``graphkit --case NAME``), else
    ``default``. A name is 2-63 lower-case letters, digits and dashes, starting with a letter (it is
    also a valid Neo4j database name, which a case is on an external server)."""
    raw = os.environ.get("GRAPHKIT_CASE", "").strip()
    if not raw:
        return DEFAULT_CASE
    if not CASE_NAME.fullmatch(raw):
        raise ConfigError(f"{raw!r} is not a case name",
                          hint="Use 2-63 lower-case letters, digits and dashes, starting with a letter "
                          "(e.g. --case ttp-2025).")
    return raw


def managed_home(name: str | None = None) -> Path:
    """The managed server's home for case ``name`` (default: the current case): ``<data
    home>/server`` for the default case (where it always was), ``<data home>/cases/NAME`` else."""
    name = name or case_name()
    if name == DEFAULT_CASE:
        return data_home() / "server"
    return data_home() / "cases" / name


def case_home() -> Path:
    """The current case's own folder (its server home, its audit log ...). Against an external
    server (``NEO4J_URI``) a case is a database there, and its folder is ``<data home>/external/NAME``."""
    if load_settings().managed:
        return managed_home()
    return data_home() / "external" / case_name()


def cache_home() -> Path:
    """Where the Neo4j jars fetched with Maven are cached. ``GRAPHKIT_CACHE`` overrides."""
    if os.environ.get("GRAPHKIT_CACHE"):
        return Path(os.environ["GRAPHKIT_CACHE"]).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "graphkit"


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a small ``KEY=value`` file (comments, ``export``, quotes). Unknown keys are kept."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return values
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        if "=" not in line:
            raise ConfigError(
                f"{path}, line {lineno}: expected KEY=value",
                hint="Fix or remove that line of the .env file.",
            )
        key, value = line.split("=", 1)
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


@dataclass(frozen=True)
class Settings:
    uri: str | None
    user: str
    password: str | None
    database: str | None

    @property
    def managed(self) -> bool:
        """True when no external server is configured and graphkit's own is used."""
        return self.uri is None


def load_settings(env: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Settings from the environment, falling back to ``.env`` in the working directory."""
    env = dict(os.environ if env is None else env)
    file_values = read_dotenv(dotenv if dotenv is not None else Path.cwd() / ".env")

    def get(key: str) -> str | None:
        value = env.get(key)
        if value is None or value == "":
            value = file_values.get(key)
        return value or None

    uri = get("NEO4J_URI")
    if uri is not None:
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in SCHEMES:
            raise ConfigError(
                f"NEO4J_URI {uri!r} is not a Neo4j address",
                hint="Use bolt://HOST:7687 or neo4j://HOST:7687 (neo4j+s:// for Aura).",
            )
    database = get("NEO4J_DATABASE")
    case = (env.get("GRAPHKIT_CASE") or "").strip()
    if case and case != DEFAULT_CASE and uri is not None:
        database = case  # against an external server, a case is a database name
    return Settings(
        uri=uri,
        user=get("NEO4J_USER") or "neo4j",
        password=get("NEO4J_PASSWORD"),
        database=database,
    )
