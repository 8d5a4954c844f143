"""Reading a canned-query file: the ``//`` header, its checks against the text and the model, and
the ``Query`` it describes (parameters bound and resolved against the graph)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graphkit.queries import refs
from graphkit.errors import ParameterError, QueryError
from graphkit.model.spec import model

from graphkit.queries.params import _ARTICLE, Parameter, _show, convert

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


def model_parameters() -> dict:
    """Parameters every canned query may use without declaring them: constants of the graph model
    (``$gone``: the statuses that mean an account or channel is no longer up)."""
    return {"gone": list(model().gone)}


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
    used = used_parameters(body) - set(model_parameters())
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


