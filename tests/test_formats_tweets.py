"""Tweet export CSV: the reader on a fixture, then the real export loaded (twice).

Expected rows were worked out by hand from tests/fixtures/formats/tweets_small.csv (see the
README beside it).
"""
from __future__ import annotations

import pytest
import yaml

from graphkit.errors import LoadError
from graphkit.formats import tweets
from graphkit.records import Row
from graphkit.rejects import Reject

from conftest import FIXTURES, ROOT

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
    # parse): line 3 is its latest known tweet. Accounts come after all the sightings.
    items = [i for i in _read() if isinstance(i, Row)]
    assert [i.table for i in items] == ["sightings"] * 6 + ["accounts"] * 4
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
