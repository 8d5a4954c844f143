"""How results print (issue 11): tables fit the terminal width, wrapping wide cells instead of
cutting them ("lim…"); one row too wide for the terminal prints as a vertical name/value list;
the Python API gives pandas datetimes (UTC) for date columns while CSV and JSON stay ISO text."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd

import graphkit
from graphkit import output
from graphkit.queries import library as q

from helpers import FIXTURES, run_cli
BUNDLE = FIXTURES / "bundle_small"


# ---------------------------------------------------------------- tables (no server needed)
def test_a_table_that_fits_is_unchanged():
    rows = [{"name": "a", "n": 1}, {"name": "bb", "n": 22}]
    assert output.to_table(rows, ["name", "n"], width=80) == "name  n\n----  --\na     1\nbb    22\n(2 rows)\n"


def test_a_wide_table_wraps_its_widest_column_within_the_width():
    long = "account-profile account (account, required) and a rather long text that goes on"
    rows = [{"name": "group-footprint", "parameters": long}, {"name": "x", "parameters": "limit"}]
    text = output.to_table(rows, ["name", "parameters"], width=40)
    assert text.splitlines() == [
        "name             parameters",
        "---------------  -----------------------",
        "group-footprint  account-profile account",
        "                 (account, required) and",
        "                 a rather long text that",
        "                 goes on",
        "x                limit",
        "(2 rows)",
    ]
    assert all(len(line) <= 40 for line in text.splitlines())
    assert "…" not in text  # nothing is cut off


def test_long_column_names_break_after_an_underscore_and_words_stay_whole():
    rows = [{"platform": "instagram", "median_days_to_removal": 2.5, "compliance_rate": 0.5}]
    rows.append({"platform": "x", "median_days_to_removal": None, "compliance_rate": 1.0})
    text = output.to_table(rows, ["platform", "median_days_to_removal", "compliance_rate"], width=30)
    assert text.splitlines() == [
        "platform   median_  compliance_",
        "           days_    rate",
        "           to_",
        "           removal",
        "---------  -------  -----------",
        "instagram  2.5      0.5",
        "x                   1",
        "(2 rows)",
    ]


def test_a_list_that_does_not_fit_gives_a_line_per_item():
    rows = [{"cluster": 1, "accounts": ["telegram:ttp_news_channel_example_10", "x:short_example"]},
            {"cluster": 2, "accounts": ["x:a", "x:b"]}]
    assert output.to_table(rows, ["cluster", "accounts"], width=40).splitlines() == [
        "cluster  accounts",
        "-------  -------------------------------",
        "1        telegram:ttp_news_channel_",  # a long name breaks after _ or :, and goes on indented
        "           example_10",
        "         x:short_example",
        "2        x:a; x:b",  # a list that fits stays on one line
        "(2 rows)",
    ]


def test_one_wide_row_prints_as_a_vertical_list():
    row = {"account": "x:Example_Handle", "identifiers": ["phone:+923000000101", "email:a@example.org"],
           "bio": "word " * 12, "channels": [], "followers": 5400}
    text = output.to_table([row], list(row), width=40)
    assert text.splitlines() == [
        "account      x:Example_Handle",
        "identifiers  phone:+923000000101",
        "             email:a@example.org",
        "bio          word word word word word",
        "             word word word word word",
        "             word word",
        "channels",
        "followers    5400",
        "(1 row)",
    ]
    # the same row fits a wide terminal: an ordinary table
    assert output.to_table([row], list(row), width=200).splitlines()[0].split() == list(row)


def test_the_width_comes_from_columns(monkeypatch):
    rows = [{"a": "word " * 30, "b": "x"}, {"a": "y", "b": "z"}]
    monkeypatch.setenv("COLUMNS", "50")
    assert output.terminal_width() == 50
    assert max(len(line) for line in output.render(rows, "table", ["a", "b"]).splitlines()) <= 50
    monkeypatch.setenv("COLUMNS", "120")
    assert max(len(line) for line in output.render(rows, "table", ["a", "b"]).splitlines()) > 50


# ---------------------------------------------------------------- the command line
def test_cli_queries_listing_is_not_cut(g):
    result = run_cli("queries", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert all(len(line) <= 100 for line in result.stdout.splitlines())
    # every query's parameters are there in full: the column's wrapped lines joined again
    lines = result.stdout.splitlines()
    start = lines[1].rindex(" ") + 1  # the last column (parameters) starts after the last gap
    listed: dict[str, str] = {}
    for line in lines[2:-1]:
        name = line[:lines[1].index(" ")].strip()
        if name:
            current = name
        listed[current] = (listed.get(current, "") + " " + line[start:].strip()).strip()
    assert listed == {name: query.signature() for name, query in q.queries().items()}


def test_cli_account_profile_prints_vertically(g):
    result = run_cli("query", "account-profile", "-p", "account", "x:UmarMedia_Example3", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 31 and lines[-1] == "(1 row)"  # 28 columns, 3 identifiers: 30 lines, + (1 row)
    assert lines[0].split() == ["account", "x:UmarMedia_Example3"]
    assert lines[18:21] == ["identifiers     image_hash:aaaa1111aaaa1111",
                            "                phone:+923000000101",
                            "                url:https://short.example.net"]
    assert all(len(line) <= 80 for line in lines)


# ---------------------------------------------------------------- dates
def test_the_python_api_gives_utc_datetimes(g):
    frame = graphkit.query("active-after-report", g, as_of="2025-08-01")
    assert isinstance(frame["reported_at"].dtype, pd.DatetimeTZDtype) and str(frame["reported_at"].dt.tz) == "UTC"
    assert frame["reported_at"].tolist() == [pd.Timestamp("2025-05-15", tz="UTC"), pd.Timestamp("2025-06-01", tz="UTC"),
                                             pd.Timestamp("2025-06-20", tz="UTC")]
    profile = graphkit.query("account-profile", g, account="x:UmarMedia_Example3")
    for column in ("created_at", "first_seen", "last_seen", "first_sighting", "last_sighting"):
        assert isinstance(profile[column].dtype, pd.DatetimeTZDtype), column
    assert profile.loc[0, "first_seen"] == pd.Timestamp("2025-05-20T10:00:00Z")
    assert profile.loc[0, "followers"] == 5400 and profile.loc[0, "handle"] == "UmarMedia_Example3"
    # a date column with a missing value: NaT, not None
    news = graphkit.query("new-since", g, since="2025-07-01")
    assert isinstance(news["first_seen"].dtype, pd.DatetimeTZDtype)
    chains = graphkit.query("mirror-candidates", g)
    assert chains["detected_at"].isna().all()  # no date at all: nothing to convert, still missing


def test_cli_csv_and_json_keep_iso_text(g):
    result = run_cli("query", "active-after-report", "-p", "as_of", "2025-08-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [r["reported_at"] for r in json.loads(result.stdout)] == [
        "2025-05-15T00:00:00Z", "2025-06-01T00:00:00Z", "2025-06-20T00:00:00Z"]
    result = run_cli("query", "active-after-report", "-p", "as_of", "2025-08-01", "--format", "csv")
    assert [r["reported_at"] for r in csv.DictReader(io.StringIO(result.stdout))] == [
        "2025-05-15T00:00:00Z", "2025-06-01T00:00:00Z", "2025-06-20T00:00:00Z"]
    # q.run (rows for other library code) keeps ISO text as before
    assert q.run(g, "active-after-report", {"as_of": "2025-08-01"})[0][0]["reported_at"] == "2025-05-15T00:00:00Z"
