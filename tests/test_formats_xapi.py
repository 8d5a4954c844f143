"""X API v2 JSON lines: accounts with ids (a renamed handle stays one account), sightings with
retweet/quote/reply links; loads.

tests/fixtures/formats/xapi/tweets.jsonl, by hand:
line 1: a search page: tweets 101 (Example_Alpha, id 9001, Arabic + emoji, mentions
        Example_Beta by id 9002) and 102 (Example_Beta retweets 100); includes users 9001, 9002 and
        the tweet 100 of 9001.
line 2: a streamed tweet 103 of 9001, now Example_Alpha2 (renamed), quoting 101 (101 included
        again: not read twice).
line 3: blank.
line 4: a flattened tweet 104 of 9003 (its user in "author"), hostile text, replying to 103.
line 5: a tweet 106 without created_at (rejected: observed_at is empty).
line 6: a tweet cut short (the file ends inside it): rejected as not JSON.
"""
from __future__ import annotations

import json

import yaml

from graphkit.ingest.engine import load
from graphkit.ingest.formats import xapi
from graphkit.ingest.mappings import find
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, read_rejects

from helpers import FIXTURES, ROOT
from loadutil import dump

FIXTURE = FIXTURES / "formats" / "xapi" / "tweets.jsonl"
MAPPING = yaml.safe_load((ROOT / "loaders" / "xapi.yaml").read_text(encoding="utf-8"))


def test_reader_accounts_first_with_former_handles_then_sightings():
    assert find(FIXTURE).name == "xapi"
    items = list(xapi.read(FIXTURE, MAPPING))
    accounts = [(i.values["platform_id"], i.values["handle"], i.values["former_handles"], i.values["created_at"])
                for i in items if isinstance(i, Row) and i.table == "accounts"]
    assert accounts == [("9001", "Example_Alpha2", "Example_Alpha (2024-01-05..2024-01-05)", "2015-03-01T08:00:00.000Z"),
                        ("9002", "Example_Beta", None, "2015-04-02T09:30:00.000Z"),
                        ("9003", "example_gamma", None, "2024-03-01T00:00:00.000Z")]
    assert [i.table for i in items[:3]] == ["accounts"] * 3
    sightings = [(i.line, i.values["sighting_id"], i.values["kind"], i.values["refers_to"], i.values["mentions"])
                 for i in items if isinstance(i, Row) and i.table == "sightings"]
    assert sightings == [
        ("1:$.includes.tweets[0]", "x-100", "post", None, None),
        ("1:$.data[0]", "x-101", "post", None, "Example_Beta"),
        # the retweet mentions @Example_Alpha: by its id, the account's current handle
        ("1:$.data[1]", "x-102", "retweet", "retweeted:x-100", "Example_Alpha2"),
        ("2:$.data", "x-103", "quote", "quoted:x-101", None),
        ("4:$", "x-104", "reply", "replied_to:x-103", None),
        ("5:$.data[0]", "x-106", "post", None, None)]
    assert [(r.line, r.reason[:16]) for r in items if isinstance(r, Reject)] == [(6, "not a JSON objec")]


def test_load_counts_links_rename_and_reload(graph, tmp_path):
    summary = load(graph, [FIXTURE], rejects=tmp_path / "r.csv")
    counts = {c.table: (c.read, c.created, c.updated, c.unchanged, c.rejected) for c in summary.counts}
    assert counts == {"accounts": (3, 3, 0, 0, 0), "sightings": (7, 5, 0, 0, 2)}
    assert summary.referenced == {}
    assert [(r["line"], r["column"]) for r in read_rejects(tmp_path / "r.csv")] == [
        ("5:$.data[0]", "created_at"), ("6", "")]
    links = graph.read("MATCH (a:Sighting)-[r:REFERS_TO]->(b:Sighting) RETURN a.sid AS a, r.kind AS kind, b.sid AS b "
                       "ORDER BY a")
    assert [(r["a"], r["kind"], r["b"]) for r in links] == [
        ("x-102", "retweeted", "x-100"), ("x-103", "quoted", "x-101"), ("x-104", "replied_to", "x-103")]
    alpha = graph.read("MATCH (a:Account {platform_id: '9001'}) RETURN a.key AS key, a.handle AS handle, "
                       "a.former_handles AS former, toString(a.created_at) AS created, "
                       "COUNT { (a)<-[:OF]-() } AS posts, COUNT { (a)<-[:MENTIONS]-() } AS mentioned")
    assert alpha == [{"key": "x:example_alpha2", "handle": "Example_Alpha2", "created": "2015-03-01T08:00:00Z",
                      "former": ["Example_Alpha (2024-01-05..2024-01-05)"], "posts": 3, "mentioned": 1}]
    before = dump(graph)
    again = load(graph, [FIXTURE], rejects=tmp_path / "r2.csv")
    assert all(c.created == c.updated == 0 for c in again.counts)
    assert dump(graph) == before
    # a later collection: the same id with a third handle stays the same account
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"data": [{"id": "107", "author_id": "9001", "created_at": "2024-05-01T00:00:00Z",
                                           "text": "third handle"}],
                                 "includes": {"users": [{"id": "9001", "username": "Example_Alpha3"}]}}) + "\n")
    load(graph, [later], rejects=tmp_path / "r3.csv")
    after = graph.read("MATCH (a:Account {platform_id: '9001'}) RETURN a.handle AS handle, a.former_handles AS former, "
                       "COUNT { (a)<-[:OF]-() } AS posts")
    assert after == [{"handle": "Example_Alpha3", "posts": 4,
                      "former": ["Example_Alpha (2024-01-05..2024-01-05)", "Example_Alpha2"]}]
    assert graph.read("MATCH (a:Account) RETURN count(a) AS n")[0]["n"] == 3


def test_group_ties_the_authors_not_the_users_they_mention_or_quote(tmp_path):
    """--group ties the accounts whose tweets the collection holds; a user only named in
    ``includes`` (mentioned, or the author of a quoted tweet) is referred to, not tied."""
    page = {"data": [{"id": "501", "author_id": "9100", "created_at": "2024-02-01T00:00:00.000Z",
                      "text": "@example_named quoting", "entities": {"mentions": [{"username": "example_named", "id": "9200"}]},
                      "referenced_tweets": [{"type": "quoted", "id": "500"}]}],
            "includes": {"users": [{"id": "9100", "username": "example_author"}, {"id": "9200", "username": "example_named"},
                                   {"id": "9300", "username": "example_quoted"}],
                         "tweets": [{"id": "500", "author_id": "9300", "created_at": "2024-01-31T00:00:00.000Z",
                                     "text": "the quoted tweet"}]}}
    path = tmp_path / "page.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    accounts = [i for i in xapi.read(path, MAPPING) if isinstance(i, Row) and i.table == "accounts"]
    assert {a.values["handle"]: a.referred for a in accounts} == {
        "example_author": False, "example_named": True, "example_quoted": True}
