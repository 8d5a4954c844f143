"""The canned query library: ``cypher/*.cypher``, one question per file.

    import graphkit
    df = graphkit.query("shared-operators", max_hub=20)     # a pandas DataFrame
    graphkit.queries()                                      # name -> Query (title, parameters ...)

Each file opens with a header of ``//`` comment lines holding YAML, closed by a line ``// ---``::

    // name: group-footprint
    // title: Footprint of a group per platform
    // description: ...
    // category: groups
    // parameters:
    //   - {name: group, type: group, refers: group, description: gid or any alias}   # no default: required
    //   - {name: days, type: integer, default: 30, min: 0, description: ...}
    //   - {name: status, type: string, default: confirmed, choices: [confirmed, candidate], description: ...}
    // columns: [platform, accounts, ...]
    // writes: false
    // postprocess: graphkit.operators.clustering     # optional: rows -> rows, in Python
    // ---

The header is validated when the library is read (``QueryError`` naming the file): known keys,
the name equal to the file name, parameter types, ``writes: false``, no write clause in the text,
declared parameters exactly those the text uses, labels and relationship types from the model.
Values are converted to the declared types before the query runs (``ParameterError`` lists the
query's parameters), and every query runs in a READ transaction.

A parameter may declare ``min`` and ``max`` (numbers and dates) or ``choices`` (a list of allowed
values); a value outside is a ``ParameterError`` naming the range or the choices. A parameter that
names a thing in the graph declares ``refers: group|account|channel|platform|operator``: before the
query runs, the graph is asked whether that thing exists (a group also by any of its names), and a
name it does not hold is a ``NotInGraph`` error offering the closest names that do exist
(``graphkit.queries.refs.check``, which the map uses too). Parameters of type group, account and platform
must declare it.

A parameter named ``limit`` (an integer with a default, 0 = no limit) caps the rows of a query
that can return a large table; the text cuts its ordered rows with
``LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END``. ``execute`` asks the
server for one row more than the limit, so it knows whether the output was cut (``Result.cut``;
the command line then says so on stderr, a DataFrame carries it in ``frame.attrs``).
"""
from __future__ import annotations

import importlib
import sys
import types
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import neo4j
import neo4j.graph
import neo4j.time

from graphkit.db.graph import PLAIN_TYPES, plain
from graphkit.errors import QueryError, UnknownQuery
from graphkit.resources import cypher_dir

from graphkit.queries.params import Parameter, convert  # noqa: F401  (public names)
from graphkit.queries.parse import (
    HEADER_KEYS,
    LIMIT,
    MUST_REFER,
    PARAM_KEYS,
    REQUIRED_KEYS,
    TYPES,
    Query,
    labels_and_types,
    parse_query,
    split_header,
    strip_literals,
    model_parameters,
    used_parameters,
    write_clauses,
)

@lru_cache(maxsize=4)
def _library(folder: str) -> dict[str, Query]:
    found: dict[str, Query] = {}
    for path in sorted(Path(folder).glob("*.cypher")):
        query = parse_query(path.read_text(encoding="utf-8"), path)
        if query.name in found:  # pragma: no cover - file names are unique in a folder
            raise QueryError(f"two canned queries are named {query.name}")
        found[query.name] = query
    return found


def queries(folder: str | Path | None = None) -> dict[str, Query]:
    """Every canned query by name (in name order), read from ``cypher/``."""
    return dict(_library(str(folder or cypher_dir())))


def get(name: str, folder: str | Path | None = None) -> Query:
    library = queries(folder)
    if name not in library:
        raise UnknownQuery(f"there is no canned query named {name!r}",
                           hint="Known queries: " + ", ".join(library) + " (see `graphkit queries`).")
    return library[name]


def _postprocessor(dotted: str) -> Callable:
    module, _, func = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError) as exc:
        raise QueryError(f"the post-processor {dotted} cannot be loaded: {exc}") from None


_PLAIN = PLAIN_TYPES
_value = plain  # the graph's one conversion (graphkit.db.graph.plain)


def _native(value: Any) -> Any:
    """A result value as plain Python, with dates and date-times as ``datetime.date`` and
    ``datetime.datetime`` (for DataFrames) instead of text."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, (neo4j.time.DateTime, neo4j.time.Date)):
        return value.to_native()
    return _value(value)


def _read(graph, cypher: str, params: dict, native: bool = False) -> list[dict]:
    """Run ``cypher`` in a READ transaction (``Graph.read``); temporal values as ISO text, or as
    Python dates and date-times when ``native``."""
    return graph.read(cypher, params, convert=_native if native else _value)


@dataclass
class Result:
    """A canned query's output: rows (dicts keyed by the columns), the columns, the row limit that
    applied (None: no limit) and whether more rows than the limit exist (``cut``)."""

    rows: list[dict]
    columns: list[str]
    limit: int | None = None
    cut: bool = False


def execute(graph, name: str, params: dict[str, Any] | None = None, native: bool = False) -> Result:
    """Run a canned query read-only and say whether its ``limit`` cut the output. Parameters that
    name a thing in the graph (``refers``) are checked first (``NotInGraph``). Dates and
    date-times come as ISO text, or as Python values when ``native``."""
    query = get(name)
    bound = query.resolve(graph, query.bind(dict(params or {})), params)
    sent, limit = bound, None
    if query.parameter(LIMIT) is not None and bound[LIMIT] > 0:
        limit = bound[LIMIT]
        sent = {**bound, LIMIT: limit + 1}  # one row more than shown: was the output cut?
    rows = _read(graph, query.cypher, {**model_parameters(), **sent}, native=native)
    cut = limit is not None and len(rows) > limit
    if cut:
        rows = rows[:limit]
    if query.postprocess:
        rows = _postprocessor(query.postprocess)(rows, **bound)
    columns = list(query.columns)
    return Result([{c: row.get(c) for c in columns} for row in rows], columns, limit, cut)


def run(graph, name: str, params: dict[str, Any] | None = None) -> tuple[list[dict], list[str]]:
    """Run a canned query read-only: ``(rows, columns)``; rows are dicts keyed by the columns."""
    result = execute(graph, name, params)
    return result.rows, result.columns


def query(name: str, graph=None, **params):
    """Run the canned query ``name`` and return a pandas DataFrame (columns as declared).

    ``graph`` defaults to a new ``graphkit.connect()``; parameters are keyword arguments, e.g.
    ``graphkit.query("shared-operators", max_hub=20)``. A query with a ``limit`` parameter returns
    at most that many rows (``limit=0``: all); ``frame.attrs["cut"]`` is True when more exist
    (``frame.attrs["limit"]`` is the limit that applied). Columns of dates or date-times are pandas
    datetimes in UTC (``datetime64[..., UTC]``; a missing value is ``NaT``); dates inside list
    cells stay Python values."""
    import pandas as pd

    if graph is None:
        from graphkit.db.graph import connect

        with connect() as own:
            result = execute(own, name, params, native=True)
    else:
        result = execute(graph, name, params, native=True)
    frame = pd.DataFrame(result.rows, columns=result.columns)
    for column in frame.columns:
        present = [v for v in frame[column] if v is not None]
        if present and all(isinstance(v, date) for v in present):  # date, and datetime (a subclass)
            frame[column] = pd.to_datetime(frame[column], utc=True)
    frame.attrs.update(limit=result.limit, cut=result.cut)
    return frame
