"""graphkit's error classes.

The library raises these; the CLI turns each into one clear sentence plus a hint and a
non-zero exit code. Nothing a user can cause by bad input should surface as a traceback.
"""
from __future__ import annotations


class GraphkitError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` how to fix it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ConfigError(GraphkitError):
    """Connection settings or a config file are wrong."""


class ServerError(GraphkitError):
    """The managed Neo4j server could not be set up, started or stopped."""


class JavaNotFound(ServerError):
    pass


class MavenError(ServerError):
    pass


class PortInUse(ServerError):
    pass


class ConnectionFailed(GraphkitError):
    """Neo4j did not answer at the configured address."""


class AuthFailed(GraphkitError):
    """Neo4j refused the user name or password."""


class QueryError(GraphkitError):
    """A Cypher query is invalid or failed."""


class ReadOnlyViolation(QueryError):
    """A query tried to write inside a read-only transaction."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown or of the wrong type."""


class NotInGraph(ParameterError):
    """A name given for a group, account, platform ... that the graph does not hold."""


class UnknownQuery(QueryError):
    pass


class ModelError(GraphkitError):
    """The graph model declaration is invalid, or input names a label/type it lacks."""


class LoadError(GraphkitError):
    """A load cannot proceed (missing required column, unreadable file ...)."""


class MapError(GraphkitError):
    """A map cannot be built or written."""


class MirrorError(GraphkitError):
    """Bad input to the mirror commands (unknown account, bad score ...)."""


class TakedownError(GraphkitError):
    """Bad input to the takedown loop (unknown platform or group, no targets, unreadable answers)."""


class OperatorError(GraphkitError):
    """Bad input to the shared-operator commands (unknown account, bad window, no such cluster ...)."""


class SynthError(GraphkitError):
    """A synthetic bundle cannot be written."""


class InstallationError(GraphkitError):
    """A file that ships with graphkit is missing: the installation is broken."""


class InternalError(GraphkitError):
    """An error graphkit did not foresee; the CLI shows it in one sentence (GRAPHKIT_DEBUG=1 for
    the traceback)."""


class ExportError(GraphkitError):
    """An export cannot be made or written (bad scope, unknown format, unwritable file)."""
