"""Tweet export CSV: the reader on a fixture, then the real export loaded (twice).

Expected rows were worked out by hand from tests/fixtures/formats/tweets_small.csv (see the
README beside it).
"""
from __future__ import annotations

import pytest
import yaml

from graphkit.errors import LoadError
from graphkit.ingest.formats import tweets
from graphkit.ingest.engine import load
from graphkit.ingest.mappings import find
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject

from helpers import FIXTURES, ROOT, SHARED_DATA
FIXTURE = FIXTURES / "formats" / "tweets_small.csv"
MAPPING = yaml.safe_load((ROOT / "loaders" / "tweets.yaml").read_text(encoding="utf-8"))
BIO = "Fictional account, for tests"
BACKTICKS = "`" * 30


def _read(path=FIXTURE):
    return list(tweets.read(path, MAPPING))


def _table(items, table):
    return [(i.line, i.values) for i in items if isinstance(i, Row) and i.table == table]


def _account(handle, name, bio, location, followers, statuses):
    return {"platform": "x", "handle": handle, "display_name": name, "bio": bio, "location": location,
            "followers": followers, "statuses": statuses}


def test_one_account_row_per_account_with_the_profile_of_its_latest_tweet():
    # Example_One tweets on lines 2 (2015-01-06), 3 (2015-12-31) and 7 (a time that does not
    # parse): line 3 is its latest known tweet. Accounts come before the sightings (so the
    # account rows create their accounts and the summary counts them as created).
    items = [i for i in _read() if isinstance(i, Row)]
    assert [i.table for i in items] == ["accounts"] * 4 + ["sightings"] * 6
    assert _table(items, "accounts") == [
        (3, _account("Example_One", "Example One", BIO, "Example City", "121", "46")),
        (5, _account("Example_Three", "مثال 🌙", "تجرباتی اکاؤنٹ", None, "0", "1")),
        (6, _account(BACKTICKS, "Example Backtick", None, None, "5", "7")),
        (10, _account("Example_Five", "Example Five", None, None, "-5", "abc")),
    ]


def test_latest_profile_wins_whatever_the_line_order(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,username,description,location,followers,numberstatuses,time,tweets\n"
                    "New Name,Example_Seven,,,20,2,2/1/2016 10:00,later\n"
                    "Old Name,example_seven,,,10,1,1/1/2016 10:00,earlier\n"
                    "Same Time,EXAMPLE_SEVEN,,,30,3,2/1/2016 10:00,same minute\n", encoding="utf-8")
    assert _table(_read(path), "accounts") == [
        (4, _account("EXAMPLE_SEVEN", "Same Time", None, None, "30", "3"))]


def test_one_sighting_per_tweet_with_utc_time_and_mentions():
    got = _table(_read(), "sightings")

    def sighting(account, observed_at, excerpt, mentions):
        return {"platform": "x", "account": account, "observed_at": observed_at, "excerpt": excerpt,
                "mentions": mentions}

    assert got == [
        (2, sighting("Example_One", "2015-01-06T21:07:00Z",
                     "RT @Example_Two: first post @example_three, mail user@example.org",
                     "Example_Two;example_three")),
        (3, sighting("Example_One", "2015-12-31T09:05:00Z",
                     "line one\r\nline two @EXAMPLE_TWO .@dot_example @example_two @this_handle_is_too_long_x",
                     "EXAMPLE_TWO;dot_example")),
        (5, sighting("Example_Three", "2016-02-29T00:00:00Z", "تجرباتی ٹویٹ 🌙 @Example_One\rsecond part",
                     "Example_One")),
        (6, sighting(BACKTICKS, "2016-03-01T10:15:00Z", "hello", None)),
        (7, sighting("Example_One", "13/45/2015 25:99", "bad time", None)),
        (10, sighting("Example_Five", "2016-05-03T12:00:00Z",
                      "=cmd|' /C calc'!A0 MATCH (n) DETACH DELETE n", None)),
    ]


def test_ragged_row_is_rejected_and_blank_line_is_no_record():
    rejects = [i for i in _read() if isinstance(i, Reject)]
    assert [(r.line, r.column, r.reason, r.raw) for r in rejects] == [
        (8, "", "ragged row: 3 columns, expected 8", "Example Four,Example_Four,bio")]
    assert 9 not in {i.line for i in _read()}


@pytest.mark.parametrize("text, expected", [
    ("RT @abc_1: hi", "abc_1"),
    ("@a @b @A", "a;b"),
    ("mail x@example.org", None),
    ("＠wide_at", "wide_at"),
    ("@sixteen_chars_xx", None),
    ("no mentions", None),
    (None, None),
])
def test_mentions(text, expected):
    assert tweets.mentions(text) == expected


def test_missing_column_stops_before_any_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,username,description,location,followers,numberstatuses,tweets\n"
                    "A,b,,,1,1,hi\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        _read(path)
    assert caught.value.message == f"{path}: the column 'time' is missing from the header"


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"")
    with pytest.raises(LoadError, match="is empty"):
        _read(path)


def test_header_case_and_a_latin1_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"Name,UserName,Description,Location,Followers,NumberStatuses,Time,Tweets\n"
                     b"Caf\xe9 Example,Example_Six,,,1,2,1/2/2016 3:04,caf\xe9 @Example_One\n")
    (line, values), = _table(_read(path), "sightings")
    assert (line, values["account"], values["excerpt"], values["mentions"]) == (
        2, "Example_Six", "café @Example_One", "Example_One")


# ---------------------------------------------------------------- loaded into the graph

def _snapshot(graph):
    """Every node and relationship with its properties (Report.loaded_at included)."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(a.key, a.gid, a.sid, a.rid, a.code, a.name) AS a, coalesce(b.key, b.gid, b.sid, b.rid, b.code, b.name) AS b")
    return sorted(map(repr, nodes)), sorted(map(repr, rels))


def test_fixture_loads_accounts_sightings_and_mentions(graph, tmp_path):
    rejects = tmp_path / "rejects.csv"
    summary = load(graph, FIXTURE, rejects=rejects, progress=False)
    counts = {r["table"]: (r["read"], r["rejected"]) for r in summary.as_rows(total=False)}
    # sightings: 6 rows + the ragged line (rejected), and line 7's time is rejected;
    # accounts: 4, Example_Five's (followers -5) rejected; accounts only referred to: no rows
    assert counts == {"sightings": (7, 2), "accounts": (4, 1), "accounts (referred to)": (None, None)}
    lines = sorted(line.split(",")[1:3] for line in rejects.read_text(encoding="utf-8").splitlines()[1:])
    assert lines == [["10", "followers"], ["7", "time"], ["8", ""]]

    assert graph.read("MATCH (s:Sighting) RETURN count(s) AS n") == [{"n": 5}]
    accounts = graph.read("MATCH (a:Account) OPTIONAL MATCH (s:Sighting)-[:OF]->(a) "
                          "RETURN a.key AS key, a.followers AS followers, count(s) AS posts ORDER BY key")
    assert accounts == [
        {"key": "x:" + BACKTICKS, "followers": 5, "posts": 1},
        {"key": "x:dot_example", "followers": None, "posts": 0},
        {"key": "x:example_five", "followers": None, "posts": 1},
        {"key": "x:example_one", "followers": 121, "posts": 2},
        {"key": "x:example_three", "followers": 0, "posts": 1},
        {"key": "x:example_two", "followers": None, "posts": 0},
    ]
    mentions = graph.read("MATCH (s:Sighting)-[:OF]->(a:Account), (s)-[:MENTIONS]->(m:Account) "
                          "RETURN a.key AS author, m.key AS mentioned, s.observed_at AS at ORDER BY at, mentioned")
    assert [(m["author"], m["mentioned"]) for m in mentions] == [
        ("x:example_one", "x:example_three"), ("x:example_one", "x:example_two"),
        ("x:example_one", "x:dot_example"), ("x:example_one", "x:example_two"),
        ("x:example_three", "x:example_one"),
    ]
    assert mentions[0]["at"].startswith("2015-01-06T21:07:00")
    assert graph.read("MATCH (a:Account {key: 'x:example_three'}) RETURN a.display_name AS name, a.bio AS bio") == [
        {"name": "مثال 🌙", "bio": "تجرباتی اکاؤنٹ"}]
    assert graph.read("MATCH (s:Sighting) WHERE s.excerpt STARTS WITH '=cmd' RETURN s.excerpt AS e") == [
        {"e": "=cmd|' /C calc'!A0 MATCH (n) DETACH DELETE n"}]


def _created(summary) -> dict[str, int]:
    return {r["table"]: r["created"] for r in summary.as_rows()}


def _nodes(graph, label) -> int:
    return graph.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]


def test_the_summary_adds_up_to_what_the_graph_gained(graph, tmp_path):
    # It said "accounts: 1 created, 111 updated" for 3,266 new accounts: the tweets came first
    # (creating their authors) and accounts created by mentions were not counted. By hand, from
    # tweets_small.csv: account rows Example_One, Example_Three and the backticks create their
    # accounts (Example_Five's row is rejected); Example_Five (author of line 10), Example_Two and
    # dot_example (mentioned) are created by the tweets: 3 + 3 = 6 accounts; 5 sightings.
    summary = load(graph, FIXTURE, rejects=tmp_path / "r.csv", progress=False)
    rows = {r["table"]: (r["read"], r["created"], r["updated"], r["unchanged"], r["rejected"])
            for r in summary.as_rows()}
    assert rows == {"accounts": (4, 3, 0, 0, 1), "sightings": (7, 5, 0, 0, 2),
                    "accounts (referred to)": (None, 3, None, None, None), "": (11, 11, 0, 0, 3)}
    assert _nodes(graph, "Account") == 3 + 3 and _nodes(graph, "Sighting") == 5
    assert summary.totals()["created"] == _nodes(graph, "Account") + _nodes(graph, "Sighting")


def test_fixture_loaded_twice_changes_nothing(graph, tmp_path):
    load(graph, FIXTURE, rejects=tmp_path / "r1.csv", progress=False)
    before = _snapshot(graph)
    again = load(graph, FIXTURE, rejects=tmp_path / "r2.csv", progress=False)
    totals = again.totals()
    assert (totals["created"], totals["updated"]) == (0, 0)
    assert _snapshot(graph) == before


REAL = SHARED_DATA / "isis_twitter" / "tweets.csv"


def _independent_counts(path):
    """Posting accounts, accounts only mentioned, and mention links, parsed here without graphkit
    (a plain ``@word`` pattern: not preceded by a letter, digit, ``_`` or ``@``)."""
    import csv
    import re

    pattern = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]+)")
    posters, mentioned, links = set(), set(), 0
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            posters.add(row["username"].casefold())
            found = {m.casefold() for m in pattern.findall(row["tweets"])}
            mentioned |= found
            links += len(found)
    return posters, mentioned, links


def _latest_profile(path, username):
    import csv
    from datetime import datetime

    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["username"] == username]
    latest = max(rows, key=lambda r: datetime.strptime(r["time"], "%m/%d/%Y %H:%M"))
    return {"f": int(latest["followers"]), "s": int(latest["numberstatuses"])}


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason=f"the tweet export is not at {REAL} (../shared/data absent)")
def test_real_tweet_export_loaded_twice(graph, tmp_path):
    posters, mentioned, links = _independent_counts(REAL)
    assert len(posters) == 112

    summary = load(graph, REAL, rejects=tmp_path / "r1.csv", progress=False)
    counts = {r["table"]: (r["read"], r["created"], r["rejected"]) for r in summary.as_rows(total=False)}
    # the summary adds up to what the graph gained: 112 accounts by their rows, the mentioned ones
    # by the tweets (it said "accounts: 1 created, 111 updated" and left the mentioned ones out)
    assert counts == {"accounts": (112, 112, 0), "sightings": (17410, 17410, 0),
                      "accounts (referred to)": (None, len((posters | mentioned) - posters), None)}
    assert summary.totals()["created"] == 17410 + len(posters | mentioned)
    assert graph.read("MATCH (s:Sighting) RETURN count(s) AS n") == [{"n": 17410}]
    assert graph.read("MATCH (a:Account) WHERE EXISTS { (:Sighting)-[:OF]->(a) } RETURN count(a) AS n") == [{"n": 112}]
    assert graph.read("MATCH (a:Account) RETURN count(a) AS n") == [{"n": len(posters | mentioned)}]
    assert graph.read("MATCH (:Sighting)-[m:MENTIONS]->() RETURN count(m) AS n") == [{"n": links}]
    # the username that is a run of backticks is an account like the others
    assert graph.read("MATCH (a:Account) WHERE a.handle STARTS WITH '```' "
                      "RETURN size(a.handle) AS size, a.display_name AS name") == [{"size": 304, "name": "Mustafa Al Iraqi"}]
    # the profile is the one of the account's latest tweet
    assert graph.read("MATCH (a:Account {key: 'x:gunsandcoffee70'}) RETURN a.followers AS f, a.statuses AS s") == [
        _latest_profile(REAL, "GunsandCoffee70")]
    before = _snapshot(graph)

    again = load(graph, REAL, rejects=tmp_path / "r2.csv", progress=False)
    totals = again.totals()
    assert (totals["read"], totals["created"], totals["updated"], totals["unchanged"]) == (17522, 0, 0, 17522)
    assert _snapshot(graph) == before


@pytest.mark.parametrize("name, expected", [
    ("tweets_small.csv", "tweets"), ("ofac_small.csv", "ofac_sdn"), ("un_small.xml", "un_consolidated")])
def test_each_format_is_recognised_from_the_file(name, expected):
    assert find(FIXTURES / "formats" / name).name == expected


def test_utf16_export_reads_the_same_rows_and_lines(tmp_path):
    path = tmp_path / "t16.csv"
    path.write_bytes(FIXTURE.read_bytes().decode("utf-8-sig").encode("utf-16"))

    def strip(items):
        return [(type(i).__name__, i.line, getattr(i, "values", None)) for i in items]
    assert strip(_read(path)) == strip(_read())


def test_a_10_mb_tweet_is_read_whole(tmp_path):
    # the csv module's default cell limit is 128 KB; the engine, not the reader, decides on size
    path = tmp_path / "big.csv"
    big = "x" * 10_000_000
    path.write_text("name,username,description,location,followers,numberstatuses,time,tweets\n"
                    f"Example Big,Example_Big,,,1,1,1/2/2016 3:04,\"{big} @Example_One\"\n", encoding="utf-8")
    (line, values), = _table(_read(path), "sightings")
    assert (line, len(values["excerpt"]), values["mentions"]) == (2, 10_000_000 + len(" @Example_One"), "Example_One")
