"""The two baselines that ``graphkit load`` is measured against, doing the SAME graph work.

Both reuse the loader's own statements (``graphkit.writer.statements()``), so the MERGE keys,
provenance links, ``reports`` lists and first/last-seen rules are identical by construction; only
the way rows reach the server differs:

* ``load_csv``: Neo4j's server-side ``LOAD CSV`` with ``CALL (...) { ... } IN TRANSACTIONS OF N
  ROWS``. LOAD CSV cannot run graphkit's Python normalisation, so ``prepare_csv`` first runs the
  loader's reader and ``graphkit.prepare`` over the bundle (NOT timed) and writes one flat CSV per
  table holding the already-normalised values (keys, handle_norm, ISO datetimes ...). The Cypher
  rebuilds the loader's row map from those columns (``row_expression``) and then runs the loader's
  statement body unchanged, except that ``SET x += row.props`` becomes a per-property
  ``coalesce(row.props.k, x.k)`` (a CSV row has every column, and ``+=`` with a null would delete a
  property, where the loader's map simply lacks the key: same result).
* ``per_row``: one auto-commit query per input row through the official driver (the common
  hand-written loop: ``session.run(query, row)`` for each row), same statement with a one-row ``$rows``.

``tests/test_bench_smoke.py`` checks that both produce exactly the graph ``graphkit load`` does.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path


from graphkit.model import schema
from graphkit.ingest.prepare import PREPARE
from graphkit.ingest.records import TABLE_ORDER, Skipped
from graphkit.ingest.rejects import Reject, RowRejected
from graphkit import audit
from graphkit.ingest.statements import HEAD, REPORT, statements, wire
from graphkit.ingest.touched import mark_touched

from graphkit.ingest.plan import plan as plan_input
from graphkit.ingest.reports import report_props

SEP = "\x1f"  # joins list items inside one CSV cell (passed to Cypher as $sep)
NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


# --------------------------------------------------------------------------- the loader's view


@dataclass
class Prepared:
    """What the loader would send for one bundle: report parameters and rows per table."""

    rid: str
    report_props: dict
    path: str
    seen: dt.datetime | None
    rows: dict[str, list[dict]] = field(default_factory=dict)  # table -> prepared rows (no _key)
    rejected: int = 0

    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def prepare_bundle(path: Path, limit_per_table: dict[str, int] | None = None) -> Prepared:
    """Read and normalise a bundle exactly as ``graphkit.load`` does (rejects are skipped)."""
    path = Path(path)
    plan = plan_input(path, None, None, [])
    props = report_props(plan)
    seen = (dt.datetime(props["date"].year, props["date"].month, props["date"].day, tzinfo=dt.timezone.utc)
            if props.get("date") else None)
    out = Prepared(plan.rid, props, str(path.resolve()), seen)
    for item in plan.mapping.read(path):
        if isinstance(item, (Skipped, Reject)):
            out.rejected += isinstance(item, Reject)
            continue
        rows = out.rows.setdefault(item.table, [])
        if limit_per_table is not None and len(rows) >= limit_per_table.get(item.table, 0):
            continue
        try:
            record = PREPARE[item.table](item)
        except RowRejected:
            out.rejected += 1
            continue
        rows.append(wire(record))  # the rows exactly as the loader sends them
    return out


def write_report(session, prep: Prepared) -> None:
    session.run(REPORT, {"rid": prep.rid, "props": prep.report_props, "path": prep.path,
                         "by": audit.analyst()}).consume()


# --------------------------------------------------------------------------- flat CSV encoding


def _kind(value) -> tuple:
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool",)
    if isinstance(value, int):
        return ("int",)
    if isinstance(value, float):
        return ("float",)
    if isinstance(value, dt.datetime):
        return ("datetime",)
    if isinstance(value, dt.date):
        return ("date",)
    if isinstance(value, str):
        return ("str", value == "")
    if isinstance(value, dict):
        return ("map",)
    if isinstance(value, (list, tuple)):
        return ("list",)
    raise TypeError(f"cannot encode a {type(value).__name__} in a CSV cell")


class Spec:
    """The type of one field across all rows (scalars, maps of fields, lists of str or of maps)."""

    def __init__(self):
        self.scalar: str | None = None
        self.nullable = False
        self.empty_str = False
        self.fields: dict[str, Spec] | None = None  # map, or the items of a list of maps
        self.is_list = False
        self.list_of: str | None = None  # "scalar" or "map"

    def add(self, value) -> None:
        kind = _kind(value)
        if kind[0] == "null":
            self.nullable = True
            return
        if kind[0] == "map":
            self._set("map")
            for key, sub in value.items():
                self.fields.setdefault(key, Spec()).add(sub)
            for key in self.fields:
                if key not in value:
                    self.fields[key].nullable = True
            return
        if kind[0] == "list":
            self._set("list")
            for item in value:
                if isinstance(item, dict):
                    self._item("map")
                    for key, sub in item.items():
                        self.fields.setdefault(key, Spec()).add(sub)
                    for key in self.fields:
                        if key not in item:
                            self.fields[key].nullable = True
                else:
                    self._item("scalar")
                    self.fields.setdefault("", Spec()).add(item)
            return
        self._set(kind[0])
        self.empty_str |= kind[0] == "str" and kind[1]

    def _set(self, scalar: str) -> None:
        if self.scalar not in (None, scalar):
            raise TypeError(f"a field holds both {self.scalar} and {scalar} values")
        self.scalar = scalar
        if scalar in ("map", "list") and self.fields is None:
            self.fields = {}
        self.is_list = scalar == "list"

    def _item(self, kind: str) -> None:
        if self.list_of not in (None, kind):
            raise TypeError("a list mixes maps and scalars")
        self.list_of = kind


def infer(rows: list[dict]) -> Spec:
    spec = Spec()
    for row in rows:
        spec.add(row)
    return spec


def _columns(spec: Spec, prefix: str) -> list[str]:
    """The CSV columns of a field (a map's own column only marks null-ness when it can be null)."""
    if spec.scalar == "map":
        own = [prefix] if (spec.nullable and prefix) else []
        return own + [c for key, sub in spec.fields.items() for c in _columns(sub, _join(prefix, key))]
    if spec.scalar == "list" and spec.list_of == "map":
        return [prefix] + [_join(prefix, key) for key in spec.fields]
    return [prefix]


def _join(prefix: str, key: str) -> str:
    if not NAME.match(key):
        raise TypeError(f"field name {key!r} cannot be a CSV column")
    return f"{prefix}__{key}" if prefix else key


def _scalar_text(value, empty_prefix: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value)
    return "s" + text if empty_prefix else text


def _cells(spec: Spec, value, prefix: str, out: dict) -> None:
    if spec.scalar == "map":
        if spec.nullable and prefix:
            out[prefix] = "" if value is None else "1"
        for key, sub in spec.fields.items():
            _cells(sub, None if value is None else value.get(key), _join(prefix, key), out)
    elif spec.scalar == "list" and spec.list_of == "map":
        out[prefix] = "" if value is None else str(len(value))
        for key, sub in spec.fields.items():
            if sub.scalar in ("map", "list"):
                raise TypeError(f"{prefix}.{key}: nested structures inside lists are not supported")
            items = ["" if item.get(key) is None else "s" + _scalar_text(item[key], False) for item in value or []]
            out[_join(prefix, key)] = _checked_join(items)
    elif spec.scalar == "list":
        if value is None:
            out[prefix] = ""
        else:
            out[prefix] = "L" + _checked_join([_scalar_text(v, False) for v in value])
    else:
        out[prefix] = _scalar_text(value, spec.empty_str)


def _checked_join(items: list[str]) -> str:
    if any(SEP in item for item in items):
        raise ValueError("a list item contains the separator character U+001F")
    return SEP.join(items)


_DECODE = {"str": "{}", "int": "toInteger({})", "float": "toFloat({})", "bool": "({} = 'true')",
           "datetime": "datetime({})", "date": "date({})", None: "null"}


def _scalar_expr(spec: Spec, ref: str) -> str:
    if spec.scalar is None:
        return "null"
    if spec.scalar == "str" and spec.empty_str:
        return f"substring({ref}, 1)"
    return _DECODE[spec.scalar].format(ref)


def row_expression(spec: Spec, var: str = "csv", prefix: str = "") -> str:
    """Cypher that rebuilds the loader's row map from the flat CSV columns of ``spec``."""
    def col(name: str) -> str:
        return f"{var}.{name}"

    if spec.scalar == "map":
        body = "{" + ", ".join(f"{key}: {row_expression(sub, var, _join(prefix, key))}"
                               for key, sub in spec.fields.items()) + "}"
        if spec.nullable and prefix:
            return f"CASE WHEN {col(prefix)} IS NULL THEN null ELSE {body} END"
        return body
    if spec.scalar == "list" and spec.list_of == "map":
        parts = []
        for key, sub in spec.fields.items():
            item = f"split({col(_join(prefix, key))}, $sep)[j]"
            parts.append(f"{key}: CASE WHEN {item} = '' THEN null ELSE "
                         f"{_DECODE[sub.scalar].format(f'substring({item}, 1)')} END")
        body = f"[j IN range(0, toInteger({col(prefix)}) - 1) | {{{', '.join(parts)}}}]"
        return f"CASE WHEN {col(prefix)} IS NULL THEN null ELSE {body} END" if spec.nullable else body
    if spec.scalar == "list":
        item = spec.fields.get("") if spec.fields else None
        decode = _DECODE[item.scalar if item else "str"].format("x")
        items = f"[x IN split(substring({col(prefix)}, 1), $sep) | {decode}]"
        return (f"CASE WHEN {col(prefix)} IS NULL THEN null WHEN {col(prefix)} = 'L' THEN [] "
                f"ELSE {items} END")
    return _scalar_expr(spec, col(prefix))


def write_csv(path: Path, spec: Spec, rows: list[dict]) -> None:
    columns = _columns(spec, "")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            cells: dict[str, str] = {}
            _cells(spec, row, "", cells)
            for value in cells.values():
                if '\\"' in value:  # LOAD CSV's legacy quote escaping would misread it
                    raise ValueError('a value contains \\" which LOAD CSV cannot read back unchanged')
            writer.writerow([cells[c] for c in columns])


PROPS_SET = re.compile(r"\b(\w+) \+= row\.props\b")


def load_csv_statement(table: str, spec: Spec, url_param: str = "url", batch_rows: int = 1000) -> str:
    """The loader's statement for ``table`` with its rows read by LOAD CSV instead of ``$rows``."""
    text = statements()[table]
    if not text.startswith(HEAD):
        raise RuntimeError(f"the loader's {table} statement no longer starts with {HEAD!r}")
    body = text[len(HEAD):]
    props = spec.fields.get("props") if spec.fields else None
    if PROPS_SET.search(body):
        if props is None or props.scalar != "map":
            raise RuntimeError(f"{table}: the statement sets row.props but the rows have no props map")

        def per_key(match):
            var = match.group(1)
            pairs = ", ".join(f"{k}: coalesce(row.props.{k}, {var}.{k})" for k in props.fields)
            return f"{var} += {{{pairs}}}"

        body = PROPS_SET.sub(per_key, body)
    row = row_expression(spec)
    # row.i: the loader's index within a batch (only used to pair statuses with rows)
    row = row[:-1] + ", i: linenumber()}" if row.endswith("}") else row
    return (f"LOAD CSV WITH HEADERS FROM ${url_param} AS csv "
            f"CALL (csv) {{ WITH {row} AS row MATCH (rep:Report {{rid: $rid}}) WITH rep, row {body} }} "
            f"IN TRANSACTIONS OF {int(batch_rows)} ROWS "
            "RETURN status, count(*) AS n")


# --------------------------------------------------------------------------- the baselines


@dataclass
class CsvPlan:
    table: str
    file: str  # name inside the server's import directory
    rows: int
    statement: str


def prepare_csv(prep: Prepared, import_dir: Path, prefix: str = "bench_", batch_rows: int = 1000) -> list[CsvPlan]:
    """Write the normalised rows as flat CSVs into the server's import directory (not timed)."""
    import_dir = Path(import_dir)
    import_dir.mkdir(parents=True, exist_ok=True)
    plans = []
    for table in TABLE_ORDER:
        rows = prep.rows.get(table)
        if not rows:
            continue
        spec = infer(rows)
        name = f"{prefix}{table}.csv"
        write_csv(import_dir / name, spec, rows)
        plans.append(CsvPlan(table, name, len(rows), load_csv_statement(table, spec, batch_rows=batch_rows)))
    return plans


def run_load_csv(graph, prep: Prepared, plans: list[CsvPlan]) -> dict:
    """Run the LOAD CSV statements (auto-commit, as CALL IN TRANSACTIONS requires); timed."""
    per_table = {}
    start = time.perf_counter()
    with graph.session(read=False) as session:
        write_report(session, prep)
        for plan in plans:
            t0 = time.perf_counter()
            result = session.run(plan.statement, {"url": f"file:///{plan.file}", "rid": prep.rid,
                                                   "seen": prep.seen, "sep": SEP})
            statuses = {r["status"]: r["n"] for r in result}
            per_table[plan.table] = {"rows": plan.rows, "seconds": round(time.perf_counter() - t0, 3),
                                     "statuses": statuses}
            if sum(statuses.values()) != plan.rows:
                raise RuntimeError(f"LOAD CSV {plan.table}: {sum(statuses.values())} statuses for {plan.rows} rows")
    mark_touched(graph, prep.rid)  # as the loader does after a report (the same graph, the same work)
    elapsed = time.perf_counter() - start
    rows = sum(p.rows for p in plans)
    return {"rows": rows, "seconds": round(elapsed, 3), "rows_per_s": round(rows / elapsed, 1) if elapsed else None,
            "per_table": per_table}


def run_per_row(graph, prep: Prepared) -> dict:
    """One auto-commit query per row (same statement, ``$rows`` of one); timed. The first row of
    each table is run but not counted: it carries the statement's query planning."""
    cypher = statements()
    per_table = {}
    elapsed, counted = 0.0, 0
    with graph.session(read=False) as session:
        write_report(session, prep)
        for table in TABLE_ORDER:
            rows = prep.rows.get(table) or []
            t0 = time.perf_counter()
            for n, row in enumerate(rows):
                if n == 1:
                    t0 = time.perf_counter()
                session.run(cypher[table], {"rows": [dict(row, i=0)], "rid": prep.rid, "seen": prep.seen}).consume()
            if len(rows) > 1:
                seconds = time.perf_counter() - t0
                elapsed += seconds
                counted += len(rows) - 1
                per_table[table] = {"rows": len(rows) - 1, "seconds": round(seconds, 3)}
    mark_touched(graph, prep.rid)  # as the loader does after a report (not timed: per row is the point)
    return {"rows": counted, "seconds": round(elapsed, 3),
            "rows_per_s": round(counted / elapsed, 1) if elapsed else None, "per_table": per_table,
            "rows_run": prep.count()}


def sample_limits(counts: dict[str, int], sample: int) -> dict[str, int]:
    """Rows per table for a per-row sample of about ``sample`` rows, proportional to table sizes
    (at least one row of every table, so every statement is represented)."""
    total = sum(counts.values()) or 1
    return {t: max(1, round(sample * n / total)) for t, n in counts.items() if n}


# --------------------------------------------------------------------------- graph helpers


wipe = schema.wipe  # empty the database (constraints and indexes stay)


def counts(graph) -> dict:
    """Nodes per label and relationships per type: a cheap fingerprint of a loaded graph."""
    nodes = graph.read("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS c ORDER BY label")
    rels = graph.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS c ORDER BY type")
    return {"nodes": {r["label"]: r["c"] for r in nodes}, "relationships": {r["type"]: r["c"] for r in rels}}
