"""Exports: hand a part of the graph to the tools investigators already use (docs/exports.md).

    from graphkit.db import connect
    from graphkit.exports import export
    with connect() as graph:
        result = export(graph, to="stix", group="TTP", depth=2, tlp="amber", output="ttp.stix.json")
    result.paths, result.counts

Formats: ``stix`` (STIX 2.1 bundle), ``misp`` (MISP event JSON), ``ftm`` (FollowTheMoney JSON
lines), ``gexf`` (GEXF 1.2), ``graphml``, ``links`` (links CSV + entities CSV for i2 / Maltego).
The scope (``scope.read_scope``) is read once; each writer turns it into its format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import ExportError
from graphkit.exports.scope import DEFAULT_DEPTH, MAX_DEPTH, Scope, read_scope

FORMATS = ("stix", "misp", "ftm", "gexf", "graphml", "links")
TLP_LEVELS = ("clear", "green", "amber", "red")

__all__ = ["DEFAULT_DEPTH", "FORMATS", "MAX_DEPTH", "TLP_LEVELS", "ExportResult", "Scope", "export", "read_scope",
           "write_scope"]


@dataclass
class ExportResult:
    format: str
    paths: list[Path]
    scope: dict                                   # the scope's counts (nodes per kind, links per type)
    counts: dict = field(default_factory=dict)    # what the file holds, in the format's own terms


def write_scope(scope: Scope, to: str, output, tlp: str = "amber") -> ExportResult:
    """Write an already-read scope in format ``to`` to ``output``."""
    to = (to or "").lower()
    if to not in FORMATS:
        raise ExportError(f"unknown export format {to!r}", hint="Use one of: " + ", ".join(FORMATS) + ".")
    tlp = (tlp or "amber").lower()
    if tlp not in TLP_LEVELS:
        raise ExportError(f"unknown TLP level {tlp!r}", hint="Use one of: " + ", ".join(TLP_LEVELS) + ".")
    path = Path(output)
    if path.is_dir():
        raise ExportError(f"{path} is a folder", hint="Give a file name, e.g. -o export.json.")
    if not path.parent.exists():
        raise ExportError(f"cannot write the export to {path}: the folder {path.parent} does not exist",
                          hint="Create the folder first, or write somewhere else.")
    paths = [path]
    try:
        if to == "stix":
            from graphkit.exports import stix
            counts = stix.write(scope, path, tlp)
        elif to == "misp":
            from graphkit.exports import misp
            counts = misp.write(scope, path, tlp)
        elif to == "ftm":
            from graphkit.exports import ftm
            counts = ftm.write(scope, path)
        elif to in ("gexf", "graphml"):
            from graphkit.exports import networks
            counts = (networks.write_gexf if to == "gexf" else networks.write_graphml)(scope, path)
        else:
            from graphkit.exports import links
            counts = links.write(scope, path)
            paths.append(links.entities_path(path))
    except OSError as exc:
        raise ExportError(f"cannot write the export to {path}: {exc.strerror or exc}",
                          hint="Check that the folder exists and is writable.") from None
    return ExportResult(to, paths, scope.counts(), counts)


def export(graph, to: str, output, group: str | None = None, account: str | None = None, query: str | None = None,
           params: dict | None = None, everything: bool = False, depth: int | None = None,
           tlp: str = "amber") -> ExportResult:
    """Export the scope of one of ``group``, ``account``, ``query`` (with ``params``) expanded
    ``depth`` hops (default 2), or ``everything``, in format ``to`` (see FORMATS) to ``output``.
    ``tlp``: the TLP marking of STIX and MISP exports (clear, green, amber, red)."""
    if (to or "").lower() not in FORMATS:
        raise ExportError(f"unknown export format {to!r}", hint="Use one of: " + ", ".join(FORMATS) + ".")
    scope = read_scope(graph, group=group, account=account, query=query, params=params, everything=everything,
                       depth=depth)
    return write_scope(scope, to, output, tlp)
