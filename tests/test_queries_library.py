"""The canned query library as a whole: every file's header, parameters, read-only text, and that
every query runs on the fixture graph returning its declared columns. Parameter typing and the
validator's refusals are checked here too."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import graphkit
from graphkit.queries import library as q
from graphkit.errors import ParameterError, QueryError, ReadOnlyViolation, UnknownQuery
from graphkit.ingest.engine import load
from graphkit.model.spec import model
from graphkit.resources import cypher_dir

from graphkit.model.schema import wipe as _wipe
from helpers import FIXTURES
BUNDLE = FIXTURES / "bundle_small"
CONTRACT_NAMES = {"group-footprint", "shared-operators", "mirror-chains", "platform-compliance",
                  "active-after-report", "channel-hubs", "cross-group-links", "account-profile",
                  "new-since", "mirror-candidates"}
FILES = sorted(cypher_dir().glob("*.cypher"))

# parameters needed to run each query on the fixture (the rest take their defaults)
RUN_WITH = {"group-footprint": {"group": "TTP"}, "account-profile": {"account": "x:UmarMedia_Example3"},
            "new-since": {"since": "2025-07-01"}}


def test_the_contract_names_are_all_there_and_nothing_else():
    assert {p.stem for p in FILES} == CONTRACT_NAMES
    assert set(q.queries()) == CONTRACT_NAMES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_header_is_valid_and_matches_the_text(path: Path):
    text = path.read_text(encoding="utf-8")
    header, body = q.split_header(text, path)
    assert header["name"] == path.stem
    assert header["writes"] is False
    assert set(header) <= q.HEADER_KEYS and set(q.REQUIRED_KEYS) <= set(header)
    declared = {p["name"] for p in header["parameters"] or []}
    assert declared == q.used_parameters(body) - set(q.model_parameters())  # $gone & co. come from the model
    assert q.write_clauses(body) == []
    for param in header["parameters"] or []:
        assert param["type"] in q.TYPES and param["description"].strip()
        assert set(param) <= q.PARAM_KEYS
        if param["type"] in q.MUST_REFER:  # a name of a thing in the graph is checked against it
            assert param.get("refers") in q.MUST_REFER[param["type"]], param["name"]
        if param["type"] in ("integer", "float"):  # every number says what it allows
            assert "min" in param or "choices" in param, param["name"]
    labels, types = q.labels_and_types(body)
    assert labels <= set(model().nodes) and types <= set(model().relationships)
    assert labels or types, "every query names a label or a relationship type"
    query = q.parse_query(text, path)  # the loader's own checks agree
    assert list(query.columns) == header["columns"]


# what each parameter allows, as `graphkit queries` lists it (issue 11: -p days -5 was accepted)
ALLOWED = {
    ("active-after-report", "days"): "at least 0", ("channel-hubs", "min_groups"): "at least 1",
    ("channel-hubs", "min_accounts"): "at least 1", ("cross-group-links", "max_hub"): "at least 1",
    ("mirror-candidates", "min_score"): "from 0 to 1", ("mirror-chains", "status"): "one of confirmed | candidate | rejected",
    ("shared-operators", "min_evidence"): "at least 1", ("shared-operators", "max_hub"): "at least 1",
    ("shared-operators", "min_weight"): "at least 0", ("shared-operators", "strong_weight"): "at least 0",
    **{(name, "limit"): "at least 0" for name in ("active-after-report", "channel-hubs", "cross-group-links",
                                                  "mirror-candidates", "mirror-chains", "new-since")},
}


def test_each_parameter_allows_what_its_header_says():
    found = {(query.name, p.name): p.allowed() for query in q.queries().values() for p in query.parameters
             if p.allowed()}
    assert found == ALLOWED


def test_names_are_unique_and_titles_distinct():
    library = q.queries()
    assert len({x.title for x in library.values()}) == len(library)
    assert all(x.description and x.category for x in library.values())


@pytest.fixture(scope="module")
def fixture_graph(session_graph):
    _wipe(session_graph)
    graphkit.init(session_graph)
    summary = load(session_graph, [BUNDLE], progress=None)
    assert summary.totals()["rejected"] == 0
    return session_graph


@pytest.mark.parametrize("name", sorted(CONTRACT_NAMES))
def test_every_query_runs_on_the_fixture_and_returns_its_columns(fixture_graph, name):
    frame = graphkit.query(name, fixture_graph, **RUN_WITH.get(name, {}))
    assert list(frame.columns) == list(q.get(name).columns)
    assert len(frame) > 0, f"{name} returns nothing on the fixture"
    raw = q._read(fixture_graph, q.get(name).cypher,
                  {**q.model_parameters(), **q.get(name).bind(RUN_WITH.get(name, {}))})
    if not q.get(name).postprocess:  # the Cypher itself returns exactly the declared columns
        assert list(raw[0]) == list(q.get(name).columns)


def test_queries_run_in_a_read_transaction(fixture_graph, tmp_path):
    # a file that sneaks a write past the text check (through a string) is still refused by the server
    path = tmp_path / "sneaky.cypher"
    path.write_text("// name: sneaky\n// title: t\n// description: d\n// category: c\n// parameters: []\n"
                    "// columns: [x]\n// writes: false\n// ---\n"
                    "MATCH (g:Group) CALL db.createLabel('Oops') RETURN count(g) AS x\n")
    query = q.parse_query(path.read_text(), path)
    with pytest.raises(ReadOnlyViolation):
        q._read(fixture_graph, query.cypher, {})
    assert fixture_graph.read("CALL db.labels() YIELD label WHERE label = 'Oops' RETURN label") == []


# ---------------------------------------------------------------- parameter typing
def test_parameters_are_converted_to_their_declared_types():
    assert q.get("shared-operators").bind({"max_hub": "7"}) == {"min_weight": 4.0, "strong_weight": 6.0,
                                                                "min_evidence": 1, "max_hub": 7}
    assert q.get("platform-compliance").bind({"since": "2025-03-25"}) == {
        "since": dt.date(2025, 3, 25), "until": None}
    assert q.get("mirror-candidates").bind({"min_score": "0.5"}) == {"min_score": 0.5, "limit": 1000}
    assert q.get("mirror-candidates").bind({"min_score": 1})["min_score"] == 1.0
    assert q.get("group-footprint").bind({"group": "Pakistani Taliban"}) == {"group": "TTP"}
    assert q.get("group-footprint").bind({"group": "iskp"}) == {"group": "ISIS-K"}
    assert q.get("mirror-chains").bind({}) == {"group": None, "status": "confirmed", "limit": 1000}
    assert q.get("new-since").bind({"since": "2025-07-01", "limit": "0"})["limit"] == 0
    for spelling in ("x:UmarMedia_Example3", "twitter:@umarmedia_example3", "https://x.com/UmarMedia_Example3"):
        assert q.get("account-profile").bind({"account": spelling}) == {"account": "x:umarmedia_example3"}
    assert q.convert("datetime", "2025-07-01") == dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc)
    assert q.convert("datetime", "2025-07-01T10:00:00Z") == dt.datetime(2025, 7, 1, 10, tzinfo=dt.timezone.utc)
    assert q.convert("list", "a; b") == ["a", "b"] and q.convert("list", '["a", 2]') == ["a", 2]
    assert q.convert("boolean", "false") is False and q.convert("boolean", True) is True
    assert q.convert("date", dt.date(2025, 1, 2)) == dt.date(2025, 1, 2)


@pytest.mark.parametrize("name, values, message", [
    ("group-footprint", {}, "missing parameter group"),
    ("shared-operators", {"max_hubs": 3}, "unknown parameter max_hubs"),
    ("shared-operators", {"max_hub": "many"}, "max_hub must be an integer"),
    ("shared-operators", {"max_hub": True}, "max_hub must be an integer"),
    ("shared-operators", {"max_hub": 2.5}, "max_hub must be an integer"),
    ("platform-compliance", {"since": "25/03/2025"}, "since must be a date"),
    ("platform-compliance", {"since": dt.datetime(2025, 3, 25)}, "since must be a date"),
    ("mirror-candidates", {"min_score": "high"}, "min_score must be a number"),
    ("account-profile", {"account": "UmarMedia_Example3"}, "account must be an account"),
    ("account-profile", {"account": "myspace:someone"}, "account must be an account"),
    ("new-since", {"since": "2025-07-01", "limit": -1}, "limit must be at least 0, not -1"),
    ("active-after-report", {"days": -5}, "days must be at least 0, not -5"),
    ("mirror-candidates", {"min_score": 2}, "min_score must be from 0 to 1, not 2"),
    ("mirror-chains", {"status": "confimed"}, "status must be one of confirmed | candidate | rejected, not 'confimed'"),
    ("channel-hubs", {"limit": "ten"}, "limit must be an integer"),
])
def test_a_bad_parameter_is_a_parameter_error_listing_the_parameters(name, values, message):
    with pytest.raises(ParameterError) as info:
        q.get(name).bind(values)
    assert message in info.value.message
    for param in q.get(name).parameters:  # the hint lists every parameter with type and default
        assert param.describe() in info.value.hint


def test_an_unknown_query_names_the_known_ones():
    with pytest.raises(UnknownQuery) as info:
        q.get("shared-operator")
    assert "shared-operators" in info.value.hint


# ---------------------------------------------------------------- the validator refuses bad files
GOOD = ("// name: {name}\n// title: T\n// description: D\n// category: c\n"
        "// parameters:\n//   - {{name: n, type: integer, default: 1, description: d}}\n"
        "// columns: [x]\n// writes: false\n// ---\n")


@pytest.mark.parametrize("header, body, message", [
    (GOOD, "MATCH (a:Account) RETURN $n AS x", None),
    (GOOD, "MATCH (a:Account) RETURN 1 AS x", "declares unused n"),
    (GOOD, "MATCH (a:Account) RETURN $n + $m AS x", "uses undeclared m"),
    (GOOD, "MATCH (a:Account) SET a.x = $n RETURN 1 AS x", "writes"),
    (GOOD, "MATCH (a:Account) DETACH DELETE a RETURN $n AS x", "writes"),
    (GOOD, "LOAD CSV FROM 'file:///x' AS r RETURN $n AS x", "LOAD CSV"),
    (GOOD, "MATCH (a:Account) CALL apoc.create.node(['X'], {}) YIELD node RETURN $n AS x", "APOC"),
    (GOOD, "MATCH (a:Acount) RETURN $n AS x", "label Acount"),
    (GOOD, "MATCH (a:Account)-[:FOLLOWS]->(b) RETURN $n AS x", "type FOLLOWS"),
    (GOOD, "MATCH (a)-[r:USES]->(b) WHERE b:Idantifier RETURN $n AS x", "label Idantifier"),
    (GOOD, "// a comment that says CREATE and $m\nMATCH (a:Account {handle: 'SET $m'}) RETURN $n AS x", None),
    (GOOD.replace("writes: false", "writes: true"), "MATCH (a:Account) RETURN $n AS x", "never write"),
    (GOOD.replace("type: integer", "type: int"), "MATCH (a:Account) RETURN $n AS x", "unknown type"),
    (GOOD.replace("default: 1", "default: one"), "MATCH (a:Account) RETURN $n AS x", "default of n"),
    (GOOD.replace("// category: c\n", ""), "MATCH (a:Account) RETURN $n AS x", "lacks category"),
    (GOOD.replace("// columns: [x]\n", "// columns: [x]\n// colour: red\n"), "MATCH (a:Account) RETURN $n AS x",
     "unknown header key"),
    (GOOD.replace("// ---\n", ""), "MATCH (a:Account) RETURN $n AS x", "header"),
    (GOOD.replace("title: T", "title: [unclosed"), "MATCH (a:Account) RETURN $n AS x", "not valid YAML"),
    (GOOD.replace("name: n, type: integer, default: 1", "name: limit, type: integer"),
     "MATCH (a:Account) RETURN 1 AS x LIMIT $limit", "parameter limit must be an integer with a default"),
    (GOOD.replace("name: n, type: integer, default: 1", "name: limit, type: string, default: '5'"),
     "MATCH (a:Account) RETURN 1 AS x LIMIT toInteger($limit)", "parameter limit must be an integer"),
    (GOOD.replace("name: n, type: integer, default: 1", "name: limit, type: integer, default: 100"),
     "MATCH (a:Account) RETURN 1 AS x LIMIT $limit", None),
    (GOOD.replace("name: n, type: integer, default: 1", "name: limit, type: integer, default: 100, min: 5"),
     "MATCH (a:Account) RETURN 1 AS x LIMIT $limit", "and min 0"),
    # ranges, choices and references (issue 11)
    (GOOD.replace("default: 1", "default: 1, min: 0, max: 5"), "MATCH (a:Account) RETURN $n AS x", None),
    (GOOD.replace("default: 1", "default: 9, max: 5"), "MATCH (a:Account) RETURN $n AS x",
     "the default of n (9) is not at most 5"),
    (GOOD.replace("default: 1", "default: 1, min: 3, max: 2"), "MATCH (a:Account) RETURN $n AS x", "min above max"),
    (GOOD.replace("default: 1", "default: 1, min: low"), "MATCH (a:Account) RETURN $n AS x", "min of n is not"),
    (GOOD.replace("type: integer, default: 1", "type: string, default: a, min: b"), "MATCH (a:Account) RETURN $n AS x",
     "only integer, float, date, datetime take min"),
    (GOOD.replace("default: 1", "default: 1, choices: [1, 2, 3]"), "MATCH (a:Account) RETURN $n AS x", None),
    (GOOD.replace("default: 1", "default: 4, choices: [1, 2, 3]"), "MATCH (a:Account) RETURN $n AS x",
     "the default of n (4) is not one of 1 | 2 | 3"),
    (GOOD.replace("default: 1", "default: 1, choices: [1, two]"), "MATCH (a:Account) RETURN $n AS x",
     "a choice of n is not"),
    (GOOD.replace("default: 1", "default: 1, choices: []"), "MATCH (a:Account) RETURN $n AS x", "non-empty list"),
    (GOOD.replace("type: integer, default: 1", "type: group"), "MATCH (a:Account) RETURN $n AS x",
     "declare refers: group"),
    (GOOD.replace("type: integer, default: 1", "type: group, refers: group"), "MATCH (a:Account) RETURN $n AS x", None),
    (GOOD.replace("type: integer, default: 1", "type: account, refers: group"), "MATCH (a:Account) RETURN $n AS x",
     "declare refers: account"),
    (GOOD.replace("type: integer, default: 1", "type: string, refers: person"), "MATCH (a:Account) RETURN $n AS x",
     "refers to 'person'"),
    (GOOD.replace("type: integer, default: 1", "type: string, refers: operator"), "MATCH (a:Account) RETURN $n AS x",
     None),
])
def test_the_validator(tmp_path, header, body, message):
    path = tmp_path / "probe.cypher"
    path.write_text(header.format(name="probe") + body, encoding="utf-8")
    if message is None:
        assert q.parse_query(path.read_text(), path).name == "probe"
    else:
        with pytest.raises(QueryError) as info:
            q.parse_query(path.read_text(), path)
        assert message in info.value.message and "probe.cypher" in info.value.message


def test_the_name_must_equal_the_file_name(tmp_path):
    path = tmp_path / "other.cypher"
    path.write_text(GOOD.format(name="probe") + "MATCH (a:Account) RETURN $n AS x")
    with pytest.raises(QueryError, match="equal the file name"):
        q.parse_query(path.read_text(), path)


def test_graphkit_queries_is_the_module_and_the_listing():
    assert graphkit.queries.execute is q.execute and graphkit.queries.run is q.run
    import graphkit.queries.library as same
    import graphkit.queries.params as params

    assert same is q and graphkit.queries.params is params
    assert list(graphkit.queries()) == sorted(CONTRACT_NAMES)
    assert graphkit.queries()["shared-operators"].postprocess == "graphkit.operators.clustering.cluster"
