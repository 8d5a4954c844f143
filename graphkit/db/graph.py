"""The connection to Neo4j: one ``Graph`` object wrapping the official driver.

``connect()`` uses ``NEO4J_URI`` & co. when set, otherwise graphkit's managed server (started on
demand when ``start=True``). Reads run in READ transactions; writes only through ``write``.
Driver errors become graphkit errors with a hint.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Iterable

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    CypherSyntaxError,
    DatabaseError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graphkit import config
from graphkit.db import server
from graphkit.errors import AuthFailed, ConfigError, ConnectionFailed, QueryError, ReadOnlyViolation


IMPLICIT = re.compile(r"\bIN\s+(?:\d+\s+CONCURRENT\s+)?TRANSACTIONS\b|\bLOAD\s+CSV\b|\bPERIODIC\s+COMMIT\b",
                      re.IGNORECASE)
LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


def needs_implicit_transaction(cypher: str) -> bool:
    """The statement must run in an implicit (auto-commit) transaction: ``CALL { } IN
    TRANSACTIONS`` or ``LOAD CSV`` (outside strings and comments)."""
    return bool(IMPLICIT.search(LITERALS.sub(" ", cypher)))


def _memory_error(exc: Exception) -> bool:
    text = f"{getattr(exc, 'code', '') or ''} {getattr(exc, 'message', '') or exc}"
    return any(mark in text for mark in ("OutOfMemoryError", "Java heap space", "MemoryLimitExceeded",
                                         "MemoryPoolOutOfMemoryError"))


def _translate(exc: Exception, uri: str) -> Exception:
    """A driver exception as a graphkit error."""
    if isinstance(exc, Neo4jError) and _memory_error(exc):
        return QueryError(
            "Neo4j ran out of memory for this query (its heap is too small for one transaction this big)",
            hint="Let graphkit size the heap (unset GRAPHKIT_HEAP) or raise it (e.g. GRAPHKIT_HEAP=4g), then "
            "`graphkit server stop` and `graphkit server start`; or split the work with "
            "CALL { ... } IN TRANSACTIONS (graphkit cypher --write), or `graphkit reset` to empty a graph.",
        )
    if isinstance(exc, Neo4jError) and "implicit transaction" in (exc.message or ""):
        return QueryError("this statement can only run in its own (auto-commit) transaction",
                          hint="Run it with graphkit cypher --write --auto-commit.")
    if isinstance(exc, AuthError):
        return AuthFailed(
            f"Neo4j at {uri} refused the user name or password",
            hint="Check NEO4J_USER and NEO4J_PASSWORD (or the .env file). "
            "For the managed server, unset NEO4J_URI and NEO4J_PASSWORD.",
        )
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return ConnectionFailed(
            f"Neo4j does not answer at {uri}",
            hint="Start it (`graphkit server start` for the managed one) or check NEO4J_URI.",
        )
    if isinstance(exc, ClientError):
        code = exc.code or ""
        if code.endswith("AccessMode") or "access mode" in (exc.message or "").lower():
            return ReadOnlyViolation(
                "this query writes to the graph, but it ran read-only",
                hint="Add --write (graphkit cypher) if you mean to change the graph.",
            )
        if isinstance(exc, CypherSyntaxError) or "SyntaxError" in code:
            return QueryError(f"Cypher syntax error: {exc.message}", hint="Check the query text.")
        if code.endswith("ParameterMissing"):
            return QueryError(f"missing query parameter: {exc.message}", hint="Pass it with -p NAME VALUE.")
        return QueryError(f"Neo4j refused the query: {exc.message} ({code})")
    if isinstance(exc, ConfigurationError):
        return ConfigError(f"driver configuration error: {exc}")
    if isinstance(exc, (DatabaseError, TransientError)):
        return QueryError(f"Neo4j failed the query: {getattr(exc, 'message', exc)}")
    if isinstance(exc, Neo4jError):
        return QueryError(f"Neo4j refused the request: {exc.message or exc} ({exc.code})")
    if isinstance(exc, DriverError):
        return ConnectionFailed(f"the connection to Neo4j at {uri} failed: {exc}",
                                hint="Check that the server is running and reachable, then try again.")
    return exc


class Graph:
    """A connection to one Neo4j database."""

    def __init__(self, uri: str, user: str, password: str | None, database: str | None = None):
        self.uri = uri
        self.database = database
        try:
            self.driver = GraphDatabase.driver(uri, auth=(user, password or ""), max_connection_lifetime=3600,
                notifications_min_severity="OFF",
            )
        except (ValueError, ConfigurationError) as exc:
            raise ConfigError(f"cannot use NEO4J_URI {uri!r}: {exc}") from exc

    # -- lifecycle
    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> "Graph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def verify(self) -> None:
        """Fail fast with a clear error when the server is unreachable or refuses the login."""
        try:
            self.driver.verify_connectivity()
            self.driver.verify_authentication()
        except Exception as exc:  # noqa: BLE001 - translated
            raise _translate(exc, self.uri) from exc

    @contextmanager
    def session(self, read: bool = True, **options):
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        kwargs: dict[str, Any] = {"default_access_mode": mode, **options}
        if self.database:
            kwargs["database"] = self.database
        with self.driver.session(**kwargs) as session:
            yield session

    # -- queries
    def read(self, cypher: str, params: dict | None = None, convert=None) -> list[dict]:
        """Run ``cypher`` in a READ transaction; rows as dicts. ``convert`` turns each driver value
        into a Python one (default: temporal values as ISO text, nodes as property dicts)."""
        return self._run(cypher, params or {}, read=True, convert=convert)

    def write(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Run ``cypher`` in a WRITE transaction (retried on transient errors)."""
        return self._run(cypher, params or {}, read=False)

    def run(self, cypher: str, params: dict | None = None, read: bool = True) -> tuple[list[dict], list[str]]:
        """Rows and column names; READ transaction unless ``read=False``."""
        return self._run(cypher, params or {}, read=read, with_keys=True)

    def _run(self, cypher: str, params: dict, read: bool, with_keys: bool = False, convert=None):
        convert = convert or plain

        def work(tx):
            try:
                result = tx.run(cypher, params)
                keys = list(result.keys())
                rows = [dict(zip(keys, [convert(v) for v in rec.values()])) for rec in result]
            except Neo4jError as exc:
                if _memory_error(exc):  # retrying cannot help: fail at once
                    raise _translate(exc, self.uri) from exc
                raise
            return rows, keys

        try:
            with self.session(read=read) as session:
                rows, keys = session.execute_read(work) if read else session.execute_write(work)
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - translated
            translated = _translate(exc, self.uri)
            if translated is exc:
                raise
            raise translated from exc
        return (rows, keys) if with_keys else rows

    def auto_commit(self, cypher: str, params: dict | None = None, read: bool = False):
        """Rows and column names of ``cypher`` run in an implicit (auto-commit) transaction, as
        ``CALL { } IN TRANSACTIONS`` and ``LOAD CSV`` need; not retried."""
        try:
            with self.session(read=read) as session:
                result = session.run(cypher, params or {})
                keys = list(result.keys())
                rows = [dict(zip(keys, [plain(v) for v in rec.values()])) for rec in result]
        except Exception as exc:  # noqa: BLE001 - translated
            translated = _translate(exc, self.uri)
            if translated is exc:
                raise
            raise translated from exc
        return rows, keys

    def write_batches(self, cypher: str, batches: Iterable[list[dict]], **extra) -> int:
        """Run ``cypher`` (using ``$rows``) once per batch, each in its own write transaction."""
        count = 0
        for batch in batches:
            if batch:
                self.write(cypher, {"rows": batch, **extra})
                count += len(batch)
        return count

    def run_schema(self, statements: Iterable[str]) -> None:
        """Schema statements run in auto-commit transactions (they cannot share one)."""
        try:
            with self.session(read=False) as session:
                for statement in statements:
                    session.run(statement).consume()
        except Exception as exc:  # noqa: BLE001
            translated = _translate(exc, self.uri)
            if translated is exc:
                raise
            raise translated from exc


PLAIN_TYPES = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """A driver value as plain Python: temporal values as compact ISO text (UTC as ``Z``), nodes
    and relationships as property dicts. The one conversion of results to text-ready values."""
    if type(value) in PLAIN_TYPES:  # most values: nothing to convert (checked first, it is the hot path)
        return value
    if isinstance(value, list):
        return [v if type(v) in PLAIN_TYPES else plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.time.DateTime):
        native = value.to_native()
        if native.tzinfo is not None and native.utcoffset() == timedelta(0):
            return native.replace(tzinfo=None).isoformat() + "Z"
        return native.isoformat()
    if hasattr(value, "iso_format"):  # Date, Time, Duration
        return value.iso_format()
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {k: plain(v) for k, v in dict(value).items()}
    return value


def _touch(path) -> None:
    """Record when a case was last used (``graphkit cases``); never fails a connection."""
    try:
        path.touch(mode=0o600)
        path.touch()
    except OSError:
        pass


def connect(settings: config.Settings | None = None, start: bool = True, progress=print) -> Graph:
    """A verified connection: to ``NEO4J_URI`` when set, else to the managed server."""
    settings = settings or config.load_settings()
    if settings.managed:
        current = server.status()
        if not current.running:
            if not start:
                raise ConnectionFailed(
                    "the managed Neo4j server is not running",
                    hint="Run `graphkit server start`, or set NEO4J_URI to use another server.",
                )
            current = server.start(progress=progress)
        graph = Graph(current.uri, "neo4j", server.read_password(), settings.database)
        _touch(server.server_paths().last_used_file)
    else:
        graph = Graph(settings.uri, settings.user, settings.password, settings.database)
    try:
        graph.verify()
    except Exception:
        graph.close()
        raise
    return graph
