"""Meta Content Library CSV: owners by id (a renamed page is one account), group posts in their
channel, Instagram told from its like counts; loads.

facebook_posts.csv, by hand: line 2 post 1001 of the page 5001 (examplepage, Arabic + emoji);
line 3 post 1002 of the user 5002 (no username) in the group 7001, a two-line text and a Unix
time (lines 3-4); line 5 post 1003 with a time that is not a date (rejected); line 6 a ragged row
(rejected); line 7 post 1004 of 5001 renamed examplepage2 / "Example Page Renamed"; line 8 hostile
text of 5002 in the group. instagram_posts.csv: two posts of 6001 (example.insta).
"""
from __future__ import annotations

import yaml

from graphkit.ingest.engine import load
from graphkit.ingest.formats import meta_cl
from graphkit.ingest.mappings import find
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, read_rejects

from helpers import FIXTURES, ROOT
from loadutil import dump

HERE = FIXTURES / "formats" / "meta_cl"
FACEBOOK, INSTAGRAM = HERE / "facebook_posts.csv", HERE / "instagram_posts.csv"
MAPPING = yaml.safe_load((ROOT / "loaders" / "meta_cl.yaml").read_text(encoding="utf-8"))


def test_reader_rows():
    assert find(FACEBOOK).name == "meta_cl" and find(INSTAGRAM).name == "meta_cl"
    items = list(meta_cl.read(FACEBOOK, MAPPING))
    assert [(type(i).__name__, getattr(i, "table", ""), i.line) for i in items] == [
        ("Row", "accounts", 2), ("Row", "sightings", 2), ("Row", "accounts", 3), ("Row", "channels", 3),
        ("Row", "sightings", 3), ("Row", "sightings", 5), ("Reject", "sightings", 6), ("Row", "accounts", 7),
        ("Row", "sightings", 7), ("Row", "sightings", 8)]
    group_post = items[4].values
    assert (group_post["observed_at"], group_post["channel_id"], group_post["account_id"], group_post["excerpt"]) == (
        "2024-02-02T10:00:00Z", "7001", "5002", "first line\nsecond line")
    assert {i.values["platform"] for i in meta_cl.read(INSTAGRAM, MAPPING) if isinstance(i, Row)} == {"instagram"}


def test_load_counts_rename_and_reload(graph, tmp_path):
    summary = load(graph, [FACEBOOK, INSTAGRAM], rejects=tmp_path / "r.csv")
    counts = {(c.file.rsplit("/", 1)[-1], c.table): (c.read, c.created, c.updated, c.unchanged, c.rejected)
              for c in summary.counts}
    assert counts == {
        ("facebook_posts.csv", "accounts"): (3, 2, 1, 0, 0),  # the third is the renamed page
        ("facebook_posts.csv", "sightings"): (6, 4, 0, 0, 2), ("facebook_posts.csv", "channels"): (1, 1, 0, 0, 0),
        ("instagram_posts.csv", "accounts"): (1, 1, 0, 0, 0), ("instagram_posts.csv", "sightings"): (2, 2, 0, 0, 0)}
    assert [(r["line"], r["column"]) for r in read_rejects(tmp_path / "r.csv")] == [("5", "creation_time"), ("6", "")]
    page = graph.read("MATCH (a:Account {platform: 'facebook', platform_id: '5001'}) RETURN a.key AS key, "
                      "a.handle AS handle, a.display_name AS name, a.former_handles AS former, "
                      "COUNT { (a)<-[:OF]-() } AS posts")
    assert page == [{"key": "facebook:examplepage", "handle": "examplepage2", "name": "Example Page Renamed",
                     "former": ["examplepage"], "posts": 2}]
    in_group = graph.read("MATCH (s:Sighting)-[:IN]->(c:Channel {key: 'facebook:id:7001'})<-[:POSTS_IN]-(a:Account) "
                          "RETURN c.name AS c, a.key AS a, count(s) AS n")
    assert in_group == [{"c": "Example Group", "a": "facebook:id:5002", "n": 2}]
    hostile = graph.read("MATCH (s:Sighting {sid: 'facebook-1005'}) RETURN s.excerpt AS t")[0]["t"]
    assert hostile == "=HYPERLINK(\"http://example.org\") '}) DETACH DELETE n //"
    before = dump(graph)
    again = load(graph, [FACEBOOK, INSTAGRAM], rejects=tmp_path / "r2.csv")
    # the page's two profiles (before and after its rename) disagree: its rows are updated again,
    # the graph does not change
    assert all(c.created == 0 and (c.updated == 0 or c.table == "accounts") for c in again.counts)
    assert dump(graph) == before
