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
import re
import sys
import types
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import neo4j
import neo4j.graph
import neo4j.time
import yaml

from graphkit.ingest import values as nz
from graphkit.db.graph import _translate as translate
from graphkit.queries import refs
from graphkit.errors import ParameterError, QueryError, UnknownQuery
from graphkit.model.spec import model
from graphkit.resources import cypher_dir

HEADER_KEYS = {"name", "title", "description", "category", "parameters", "columns", "writes", "postprocess"}
REQUIRED_KEYS = ("name", "title", "description", "category", "parameters", "columns", "writes")
PARAM_KEYS = {"name", "type", "default", "description", "min", "max", "choices", "refers"}
TYPES = ("string", "integer", "float", "boolean", "date", "datetime", "list", "group", "account", "platform")
RANGED = ("integer", "float", "date", "datetime")  # the types that may declare min/max
# a parameter of these types names a thing in the graph: it must declare one of these `refers`
MUST_REFER = {"group": ("group",), "account": ("account", "account_or_channel"), "platform": ("platform",)}
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
PARAM_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
LIMIT = "limit"  # the parameter that caps a query's rows (0 = all)
END_OF_HEADER = "---"

_STRING_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.S)
_COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_USED_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_WRITE_RES = [
    (re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DETACH|FOREACH|DROP)\b", re.I), "a write clause"),
    (re.compile(r"\bLOAD\s+CSV\b", re.I), "LOAD CSV"),
    (re.compile(r"\bIN\s+TRANSACTIONS\b", re.I), "CALL ... IN TRANSACTIONS"),
    (re.compile(r"\bapoc\.(create|merge|refactor|periodic|nodes\.delete|atomic|load|import|export|"
                r"cypher\.(do|run)?write|trigger)", re.I), "an APOC procedure that writes"),
]
# (var:Label), (var:A|B), [var:TYPE], [:A|B*1..3], and `n:Label` label predicates
_NODE_LABEL_RE = re.compile(r"\(\s*[A-Za-z_]\w*\s*:\s*([A-Za-z_][\w|&!]*)|\(\s*:\s*([A-Za-z_][\w|&!]*)")
_REL_TYPE_RE = re.compile(r"\[\s*[A-Za-z_]?\w*\s*:\s*([A-Za-z_][\w|]*)")
_LABEL_PREDICATE_RE = re.compile(r"(?<![\[\w$])[a-z_]\w*:([A-Z]\w*(?:\|[A-Z]\w*)*)")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    required: bool
    default: Any = None
    minimum: Any = None
    maximum: Any = None
    choices: tuple = ()
    refers: str | None = None

    def allowed(self) -> str:
        """``at least 0``, ``from 0 to 1``, ``one of confirmed | candidate | rejected`` or ''."""
        if self.choices:
            return "one of " + " | ".join(_show(c, quote=False) for c in self.choices)
        low, high = (None if x is None else _show(x) for x in (self.minimum, self.maximum))
        if low is not None and high is not None:
            return f"from {low} to {high}"
        return f"at least {low}" if low is not None else (f"at most {high}" if high is not None else "")

    def describe(self) -> str:
        default = "required" if self.required else f"default {_show(self.default)}"
        allowed = self.allowed()
        return f"{self.name} ({self.type}{', ' + allowed if allowed else ''}, {default})"

    def check(self, value: Any) -> Any:
        """``value`` (converted) within the declared range or choices; ValueError otherwise."""
        if self.choices:
            for choice in self.choices:
                if value == choice or (isinstance(value, str) and str(choice).lower() == value.strip().lower()):
                    return choice
            raise ValueError(f"not {_show(value)}")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise ValueError(f"not {_show(value)}")
        return value


@dataclass(frozen=True)
class Query:
    """One canned query: its header and its Cypher text."""

    name: str
    title: str
    description: str
    category: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    cypher: str
    path: Path
    postprocess: str | None = None

    def parameter(self, name: str) -> Parameter | None:
        for param in self.parameters:
            if param.name == name:
                return param
        return None

    def signature(self) -> str:
        """``group (group, required), status (string, default 'confirmed')`` for listings."""
        return ", ".join(p.describe() for p in self.parameters) or "(none)"

    def bind(self, values: dict[str, Any]) -> dict[str, Any]:
        """The Cypher parameters: ``values`` checked and converted, defaults filled in."""
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            raise self.parameter_error(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        bound: dict[str, Any] = {}
        for param in self.parameters:
            if param.name in values and values[param.name] is not None:
                try:
                    bound[param.name] = convert(param.type, values[param.name])
                except (TypeError, ValueError) as exc:
                    raise self.parameter_error(f"parameter {param.name} must be {_ARTICLE[param.type]}: {exc}") from None
                try:
                    bound[param.name] = param.check(bound[param.name])
                except ValueError as exc:
                    raise self.parameter_error(f"parameter {param.name} must be {param.allowed()}, {exc}") from None
            elif param.required:
                raise self.parameter_error(f"missing parameter {param.name}")
            else:
                bound[param.name] = convert(param.type, param.default) if param.default is not None else None
        return bound

    def resolve(self, graph, bound: dict[str, Any], typed: dict[str, Any] | None = None) -> dict[str, Any]:
        """``bound`` with each ``refers`` parameter checked against the graph (and a group given by
        a name or alias replaced by its gid); ``NotInGraph`` for a name the graph does not hold."""
        resolved = dict(bound)
        for param in self.parameters:
            if param.refers and resolved.get(param.name) is not None:
                text = (typed or {}).get(param.name)
                hint = f"Parameter {param.name}: {param.description}."
                resolved[param.name] = refs.check(graph, param.refers, resolved[param.name],
                                                  typed=text if isinstance(text, str) else None,
                                                  prefix=f"{self.name}: ", hint=hint)
        return resolved

    def parameter_error(self, message: str) -> ParameterError:
        lines = [f"  {p.describe()}: {p.description}" for p in self.parameters]
        if not lines:
            return ParameterError(f"{self.name}: {message}", hint=f"{self.name} takes no parameters.")
        hint = (f"{self.name} takes these parameters (-p NAME VALUE, or keyword arguments in Python):\n"
                + "\n".join(lines))
        return ParameterError(f"{self.name}: {message}", hint=hint)


_ARTICLE = {
    "string": "a string", "integer": "an integer", "float": "a number", "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)", "datetime": "a date-time (ISO 8601)", "list": "a list",
    "group": "a group id or name", "account": "an account as PLATFORM:HANDLE or a profile URL",
    "platform": "a platform name",
}


def _show(value: Any, quote: bool = True) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value) if quote else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ------------------------------------------------------------------ parameter types
def convert(kind: str, value: Any) -> Any:
    """``value`` (a Python value, or the text of a ``-p KEY VALUE``) as the declared type.
    Raises ValueError/TypeError with a short reason."""
    return _CONVERTERS[kind](value)


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"got {type(value).__name__}")


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise ValueError(f"{value!r} is not a whole number")


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("got a boolean")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not a finite number")
        return number
    raise TypeError(f"got {type(value).__name__}")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ValueError(f"{value!r} is not true or false")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        raise TypeError("got a date-time; give a date")
    if isinstance(value, date):
        return value
    if hasattr(value, "to_native") and type(value).__name__ == "Date":  # neo4j.time.Date
        return value.to_native()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    raise TypeError(f"got {type(value).__name__}")


def _datetime(value: Any) -> datetime:
    if hasattr(value, "to_native") and type(value).__name__ == "DateTime":  # neo4j.time.DateTime
        value = value.to_native()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date or date-time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    raise TypeError(f"got {type(value).__name__}")


def _list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            try:
                parsed = json.loads(text)
            except ValueError:
                raise ValueError(f"{value!r} is not a JSON list") from None
            if isinstance(parsed, list):
                return parsed
        return nz.split_list(text)
    raise TypeError(f"got {type(value).__name__}")


def _group(value: Any) -> str:
    gid = nz.group_id(_string(value))
    if not gid:
        raise ValueError("it is empty")
    return gid


def _account(value: Any) -> str:
    """``PLATFORM:HANDLE`` (``twitter:@Foo`` too), ``platform:id:123`` or a profile URL -> Account.key."""
    text = nz.clean_text(_string(value)).strip()
    if "/" in text or text.lower().startswith(("http", "www.")):
        parsed = nz.parse_url(text)
        if parsed is None or parsed[2] == "invite":
            raise ValueError(f"{value!r} is not an account URL")
        plat, ident, kind = parsed
        return nz.account_key(plat, None, ident) if kind == "id" else nz.account_key(plat, nz.handle(ident))
    platform_text, sep, handle_text = text.partition(":")
    if not sep or not handle_text.strip():
        raise ValueError(f"{value!r} is not PLATFORM:HANDLE (e.g. x:Example_Handle)")
    plat = nz.platform(platform_text)
    if handle_text.startswith("id:") and handle_text[3:].strip():
        return nz.account_key(plat, None, handle_text[3:].strip())
    norm = nz.handle(handle_text)
    if not norm:
        raise ValueError(f"{value!r} has no usable handle")
    return nz.account_key(plat, norm)


def _platform(value: Any) -> str:
    name = nz.platform(_string(value))  # ValueError naming the known platforms
    if not name:
        raise ValueError("it is empty")
    return name


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _string, "integer": _integer, "float": _float, "boolean": _boolean, "date": _date,
    "datetime": _datetime, "list": _list, "group": _group, "account": _account, "platform": _platform,
}


# ------------------------------------------------------------------ reading and checking files
def strip_literals(cypher: str) -> str:
    """The Cypher text without comments and string literals (for scans of clauses and ``$names``)."""
    out, pos = [], 0
    pattern = re.compile(_STRING_RE.pattern + "|" + _COMMENT_RE.pattern, re.S)
    for match in pattern.finditer(cypher):
        out.append(cypher[pos:match.start()])
        out.append(" ")
        pos = match.end()
    out.append(cypher[pos:])
    return "".join(out)


def used_parameters(cypher: str) -> set[str]:
    return set(_USED_PARAM_RE.findall(strip_literals(cypher)))


def write_clauses(cypher: str) -> list[str]:
    """What in ``cypher`` would write (empty for a read-only query)."""
    text = strip_literals(cypher)
    found = []
    for regex, what in _WRITE_RES:
        for match in regex.finditer(text):
            found.append(f"{what} ({match.group(0).strip()})")
    return found


def labels_and_types(cypher: str) -> tuple[set[str], set[str]]:
    text = strip_literals(cypher)
    labels, types = set(), set()
    for match in _NODE_LABEL_RE.finditer(text):
        labels.update(x for x in re.split(r"[|&!]", match.group(1) or match.group(2)) if x)
    for match in _LABEL_PREDICATE_RE.finditer(text):
        labels.update(match.group(1).split("|"))
    for match in _REL_TYPE_RE.finditer(text):
        types.update(x for x in match.group(1).split("|") if x)
    return labels, types


def split_header(text: str, path: Path) -> tuple[dict, str]:
    lines = text.splitlines()
    header: list[str] = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("//"):
            raise QueryError(f"{path.name}: line {number + 1} ends the header without a '// ---' line",
                             hint="Open the file with '//' YAML header lines and close the header with '// ---'.")
        content = stripped[2:]
        if content.strip() == END_OF_HEADER:
            body = "\n".join(lines[number + 1:]).strip()
            try:
                data = yaml.safe_load("\n".join(header))
            except yaml.YAMLError as exc:
                raise QueryError(f"{path.name}: the header is not valid YAML: {exc}") from None
            if not isinstance(data, dict):
                raise QueryError(f"{path.name}: the header must be a YAML mapping")
            return data, body
        header.append(content[1:] if content.startswith(" ") else content)
    raise QueryError(f"{path.name}: no '// ---' line closes the header")


def _parameter(raw: Any, path: Path) -> Parameter:
    if not isinstance(raw, dict) or set(raw) - PARAM_KEYS or not {"name", "type", "description"} <= set(raw):
        raise QueryError(f"{path.name}: a parameter must have name, type, description (and optionally "
                         f"default), not {raw!r}")
    name, kind = raw["name"], raw["type"]
    if not isinstance(name, str) or not PARAM_RE.match(name):
        raise QueryError(f"{path.name}: parameter name {name!r} must be lower_case")
    if kind not in TYPES:
        raise QueryError(f"{path.name}: parameter {name} has unknown type {kind!r} (known: {', '.join(TYPES)})")
    required = "default" not in raw
    default = raw.get("default")
    if default is not None:
        try:
            convert(kind, default)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"{path.name}: the default of {name} is not a {kind}: {exc}") from None
    param = Parameter(name, kind, str(raw["description"]).strip(), required, default,
                      *_constraints(raw, name, kind, path))
    if default is not None:
        try:
            param.check(convert(kind, default))
        except ValueError:
            raise QueryError(f"{path.name}: the default of {name} ({_show(default)}) is not "
                             f"{param.allowed()}") from None
    return param


def _constraints(raw: dict, name: str, kind: str, path: Path) -> tuple:
    """(minimum, maximum, choices, refers) of a parameter's header, checked and converted."""
    bounds = []
    for key in ("min", "max"):
        if raw.get(key) is None:
            bounds.append(0 if key == "min" and name == LIMIT and kind == "integer" else None)
            continue
        if kind not in RANGED:
            raise QueryError(f"{path.name}: parameter {name} is a {kind}: only {', '.join(RANGED)} take {key}")
        try:
            bounds.append(convert(kind, raw[key]))
        except (TypeError, ValueError) as exc:
            raise QueryError(f"{path.name}: {key} of {name} is not a {kind}: {exc}") from None
    if None not in bounds and bounds[0] > bounds[1]:
        raise QueryError(f"{path.name}: parameter {name} has min above max")
    choices = raw.get("choices")
    if choices is not None:
        if not isinstance(choices, list) or not choices or bounds != [None, None]:
            raise QueryError(f"{path.name}: choices of {name} must be a non-empty list (and no min/max)")
        try:
            choices = [convert(kind, c) for c in choices]
        except (TypeError, ValueError) as exc:
            raise QueryError(f"{path.name}: a choice of {name} is not a {kind}: {exc}") from None
    refers = raw.get("refers")
    if refers is not None and refers not in refs.REFERS:
        raise QueryError(f"{path.name}: parameter {name} refers to {refers!r}; known: {', '.join(refs.REFERS)}")
    if kind in MUST_REFER and refers not in MUST_REFER[kind]:
        raise QueryError(f"{path.name}: parameter {name} names a {kind}: declare refers: {MUST_REFER[kind][0]} "
                         "so that a name the graph does not hold is an error")
    return bounds[0], bounds[1], tuple(choices or ()), refers


def parse_query(text: str, path: Path) -> Query:
    """A query file's header and text, checked (``QueryError`` naming the file when invalid)."""
    header, body = split_header(text, path)
    unknown = set(header) - HEADER_KEYS
    if unknown:
        raise QueryError(f"{path.name}: unknown header key(s) {', '.join(sorted(unknown))}")
    missing = [k for k in REQUIRED_KEYS if k not in header]
    if missing:
        raise QueryError(f"{path.name}: the header lacks {', '.join(missing)}")
    name = header["name"]
    if not isinstance(name, str) or not NAME_RE.match(name) or name != path.stem:
        raise QueryError(f"{path.name}: name {name!r} must be lower-case-with-dashes and equal the file name")
    for key in ("title", "description", "category"):
        if not isinstance(header[key], str) or not header[key].strip():
            raise QueryError(f"{path.name}: {key} must be non-empty text")
    if header["writes"] is not False:
        raise QueryError(f"{path.name}: canned queries never write (writes: false)")
    raw_params = header["parameters"] or []
    if not isinstance(raw_params, list):
        raise QueryError(f"{path.name}: parameters must be a list")
    params = tuple(_parameter(p, path) for p in raw_params)
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryError(f"{path.name}: a parameter is declared twice")
    for param in params:
        if param.name == LIMIT and (param.type != "integer" or param.default is None or param.default < 0
                                    or param.minimum != 0):
            raise QueryError(f"{path.name}: parameter {LIMIT} must be an integer with a default of 0 "
                             "(all rows) or more, and min 0")
    columns = header["columns"]
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) and c for c in columns):
        raise QueryError(f"{path.name}: columns must be a non-empty list of names")
    if not body:
        raise QueryError(f"{path.name}: there is no Cypher after the header")
    writes = write_clauses(body)
    if writes:
        raise QueryError(f"{path.name}: the query writes: {', '.join(writes)}")
    used = used_parameters(body)
    if used != set(names):
        problems = []
        if used - set(names):
            problems.append("uses undeclared " + ", ".join(sorted(used - set(names))))
        if set(names) - used:
            problems.append("declares unused " + ", ".join(sorted(set(names) - used)))
        raise QueryError(f"{path.name}: parameters do not match the text: {'; '.join(problems)}")
    labels, types = labels_and_types(body)
    m = model()
    for label in sorted(labels):
        if label not in m.nodes:
            raise QueryError(f"{path.name}: label {label} is not in the graph model")
    for rel_type in sorted(types):
        if rel_type not in m.relationships:
            raise QueryError(f"{path.name}: relationship type {rel_type} is not in the graph model")
    post = header.get("postprocess")
    if post is not None and (not isinstance(post, str) or not re.fullmatch(r"graphkit(\.\w+)+", post)):
        raise QueryError(f"{path.name}: postprocess must name a function graphkit.module.function")
    return Query(name, header["title"].strip(), " ".join(header["description"].split()), header["category"].strip(),
                 params, tuple(columns), body, path, post)


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


_PLAIN = (str, int, float, bool, type(None))


def _value(value: Any) -> Any:
    """A result value as plain Python; temporal values as compact ISO text (UTC as ``Z``)."""
    if type(value) in _PLAIN:  # most values: nothing to convert (checked first, it is the hot path)
        return value
    if isinstance(value, list):
        return [v if type(v) in _PLAIN else _value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, neo4j.time.DateTime):
        native = value.to_native()
        if native.tzinfo is not None and native.utcoffset() == timedelta(0):
            return native.replace(tzinfo=None).isoformat() + "Z"
        return native.isoformat()
    if hasattr(value, "iso_format"):  # Date, Time, Duration
        return value.iso_format()
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {k: _value(v) for k, v in dict(value).items()}
    return value


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
    """Run ``cypher`` in a READ transaction (errors translated like ``Graph.read``); temporal
    values as ISO text, or as Python dates and date-times when ``native``."""
    convert_value = _native if native else _value

    def work(tx):
        result = tx.run(cypher, params)
        keys = list(result.keys())
        return [dict(zip(keys, (convert_value(v) for v in record.values()))) for record in result]

    try:
        with graph.session(read=True) as session:
            return session.execute_read(work)
    except Exception as exc:  # noqa: BLE001 - translated
        translated = translate(exc, graph.uri)
        if translated is exc:
            raise
        raise translated from exc


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
    rows = _read(graph, query.cypher, sent, native=native)
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


class _CallableModule(types.ModuleType):
    """``graphkit.queries`` is this module and, called, the listing: ``graphkit.queries()``."""

    def __call__(self, folder: str | Path | None = None) -> dict[str, Query]:
        return queries(folder)


sys.modules[__name__].__class__ = _CallableModule
