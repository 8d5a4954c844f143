"""Telegram Desktop JSON export: the reader on hand-made exports, then loads into Neo4j.

tests/fixtures/formats/telegram/result.json is a full-account export with two chats:
- "Example Dawn News 🌙" (public_channel 1000000001), 9 messages: created as "Example Dawn"
  (service, 2024-01-05), an Arabic post with an emoji and an @mention, a forward from the channel
  1000000002 with a photo placeholder, a title change to the current name (service, 2024-03-01),
  an edited post with a t.me text link, a forward from the user 5000000001 with a video
  placeholder, a forward from a source that hides its id, hostile text, a message without a date.
- "Example Discussion" (private_supergroup 1000000003), 4 messages: a join (service), a post with
  an @mention, a reply that forwards the first channel, a pin (service).
single_chat.json is the single-chat export of 1000000002 (2 messages); truncated.json is its
first 600 bytes (cut inside the second message).
"""
from __future__ import annotations

import json
import re

import yaml

from graphkit.ingest.engine import load
from graphkit.ingest.formats import telegram
from graphkit.ingest.mappings import find
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, read_rejects

from helpers import FIXTURES, ROOT
from loadutil import dump

HERE = FIXTURES / "formats" / "telegram"
MAPPING = yaml.safe_load((ROOT / "loaders" / "telegram.yaml").read_text(encoding="utf-8"))


def _read(name):
    return list(telegram.read(HERE / name, MAPPING))


def _rows(items, table):
    return [i for i in items if isinstance(i, Row) and i.table == table]


def test_recognised_without_input_format():
    for name in ("result.json", "single_chat.json", "truncated.json"):
        assert find(HERE / name).name == "telegram"


def test_reader_rows_of_the_full_export():
    items = _read("result.json")
    assert [i for i in items if isinstance(i, Reject)] == []
    channels = _rows(items, "channels")
    # chat A at its first message, the forward source 1000000002, chat A again with its former
    # name at its end, chat B
    assert [(c.line, c.values["platform_id"], c.values.get("former_names")) for c in channels] == [
        ("$.chats.list[0]", "1000000001", None), ("$.chats.list[0].messages[2]", "1000000002", None),
        ("$.chats.list[0]", "1000000001", "Example Dawn (2024-01-05..2024-03-01)"),
        ("$.chats.list[1]", "1000000003", None)]
    assert [(a.values["platform_id"], a.values["display_name"]) for a in _rows(items, "accounts")] == [
        ("5000000001", "Abu Example"), ("5000000002", "Example Member"), ("5000000003", "مثال عضو")]
    sightings = {s.values["sighting_id"]: s.values for s in _rows(items, "sightings")}
    assert len(sightings) == 13
    post = sightings["telegram-1000000001-2"]
    assert (post["excerpt"], post["mentions"], post["kind"], post["account_id"]) == (
        "بيان تجريبي 🌙 follow @example_source_one", "example_source_one", "post", None)
    forward = sightings["telegram-1000000001-3"]
    assert (forward["kind"], forward["forwarded_from_id"], forward["media"]) == (
        "forward", "channel1000000002",
        "photo: (File not included. Change data exporting settings to download.)")
    edited = sightings["telegram-1000000001-5"]
    assert (edited["edited_at"], edited["mentions"]) == ("2024-03-02T12:05:00Z", "example_relay_two")
    assert sightings["telegram-1000000001-4"]["kind"] == "service:edit_group_title"
    assert sightings["telegram-1000000001-9"]["observed_at"] is None
    reply = sightings["telegram-1000000003-3"]
    assert (reply["refers_to"], reply["account_id"], reply["forwarded_from_id"]) == (
        "replied_to:telegram-1000000003-2", "5000000003", "channel1000000001")
    assert sightings["telegram-1000000003-4"]["excerpt"] == "pin_message (message_id: 3)"


def test_truncated_export_keeps_what_came_before_the_cut():
    items = _read("truncated.json")
    assert [(type(i).__name__, i.line) for i in items] == [
        ("Row", "$"), ("Row", "$.messages[0]"), ("Reject", "$.messages[1]")]
    assert "truncated" in items[-1].reason


def _counts(summary):
    return {(c.file.rsplit("/", 1)[-1], c.table): (c.read, c.created, c.updated, c.unchanged, c.rejected)
            for c in summary.counts}


def test_load_counts_forward_network_and_reload(graph, tmp_path):
    rejects = tmp_path / "rejects.csv"
    summary = load(graph, [HERE / "result.json"], rejects=rejects)
    assert _counts(summary) == {
        ("result.json", "channels"): (4, 3, 1, 0, 0),  # chat A's second row adds its former name
        ("result.json", "sightings"): (13, 12, 0, 0, 1),
        ("result.json", "accounts"): (3, 3, 0, 0, 0)}
    # referred to: the three @mentioned usernames, the source known only by its title
    assert {label: n for (_, label), n in summary.referenced.items()} == {"Account": 3, "Channel": 1}
    bad = read_rejects(rejects)
    assert [(r["line"], r["column"], r["reason"]) for r in bad] == [
        ("$.chats.list[0].messages[8]", "date_unixtime", "observed_at is empty")]
    network = graph.read("MATCH (c:Channel)-[:FORWARDED_FROM]->(s) RETURN c.name AS channel, "
                         "coalesce(s.name, s.platform_id) AS source ORDER BY channel, source")
    assert [(r["channel"], r["source"]) for r in network] == [
        ("Example Dawn News 🌙", "5000000001"), ("Example Dawn News 🌙", "Example Hidden Source"),
        ("Example Dawn News 🌙", "Example Source One"), ("Example Discussion", "Example Dawn News 🌙")]
    assert graph.read("MATCH (:Sighting)-[r:FORWARDED_FROM]->() RETURN count(r) AS n")[0]["n"] == 4
    channel = graph.read("MATCH (c:Channel {key: 'telegram:id:1000000001'}) RETURN c")[0]["c"]
    assert (channel["name"], channel["kind"], channel["former_names"]) == (
        "Example Dawn News 🌙", "public_channel", ["Example Dawn (2024-01-05..2024-03-01)"])
    kinds = graph.read("MATCH (s:Sighting) RETURN s.kind AS kind, count(*) AS n ORDER BY kind")
    assert {r["kind"]: r["n"] for r in kinds} == {
        "forward": 4, "post": 4, "service:create_channel": 1, "service:edit_group_title": 1,
        "service:join_group_by_link": 1, "service:pin_message": 1}
    hostile = graph.read("MATCH (s:Sighting {sid: 'telegram-1000000001-8'}) RETURN s.excerpt AS t")[0]["t"]
    assert hostile == "'}) MATCH (n) DETACH DELETE n // =HYPERLINK(\"http://example.org\")"
    assert graph.read("MATCH (:Sighting {sid: 'telegram-1000000003-3'})-[r:REFERS_TO {kind: 'replied_to'}]->"
                      "(:Sighting {sid: 'telegram-1000000003-2'}) RETURN count(r) AS n")[0]["n"] == 1
    assert graph.read("MATCH (a:Account)-[:POSTS_IN]->(:Channel {key: 'telegram:id:1000000003'}) "
                      "RETURN count(a) AS n")[0]["n"] == 2
    before = dump(graph)
    again = load(graph, [HERE / "result.json"], rejects=tmp_path / "again.csv")
    assert {k: (v[0], v[3], v[4]) for k, v in _counts(again).items()} == {
        ("result.json", "channels"): (4, 4, 0), ("result.json", "sightings"): (13, 12, 1),
        ("result.json", "accounts"): (3, 3, 0)}
    assert dump(graph) == before


def test_renamed_channel_keeps_one_node_and_its_old_name(graph, tmp_path):
    load(graph, [HERE / "result.json"], rejects=tmp_path / "r.csv")
    later = {"name": "Example Dawn Renamed", "type": "public_channel", "id": 1000000001, "messages": [
        {"id": 20, "type": "message", "date": "2024-05-01T10:00:00", "date_unixtime": "1714557600",
         "from": "Example Dawn Renamed", "from_id": "channel1000000001", "text": "same channel, new title"}]}
    path = tmp_path / "later.json"
    path.write_text(json.dumps(later, ensure_ascii=False), encoding="utf-8")
    load(graph, [path], rejects=tmp_path / "r2.csv")
    query = ("MATCH (c:Channel {platform_id: '1000000001'}) RETURN c.name AS name, c.former_names AS former, "
             "COUNT { (c)<-[:OF]-(:Sighting) } AS posts")
    assert graph.read(query) == [{"name": "Example Dawn Renamed", "posts": 8 + 1, "former": [
        "Example Dawn (2024-01-05..2024-03-01)", "Example Dawn News 🌙"]}]
    # the older export again: its title is a former name, so the node keeps the newer one
    load(graph, [HERE / "result.json"], rejects=tmp_path / "r3.csv")
    assert graph.read(query)[0]["name"] == "Example Dawn Renamed"


def test_single_chat_and_truncated_exports_load(graph, tmp_path):
    summary = load(graph, [HERE / "single_chat.json", HERE / "truncated.json"], rejects=tmp_path / "r.csv")
    assert _counts(summary) == {
        ("single_chat.json", "channels"): (1, 1, 0, 0, 0), ("single_chat.json", "sightings"): (2, 2, 0, 0, 0),
        ("truncated.json", "channels"): (1, 0, 1, 0, 0), ("truncated.json", "sightings"): (2, 0, 1, 0, 1)}
    assert [r["line"] for r in read_rejects(tmp_path / "r.csv")] == ["$.messages[1]"]


def test_forward_network_on_a_map(graph, tmp_path):
    from graphkit import maps

    load(graph, [HERE / "result.json"], rejects=tmp_path / "r.csv")
    m = maps.build_map(graph, account="telegram:id:1000000001", depth=1, mentions=0)
    match = re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', m.html(), re.S)
    data = json.loads(match.group(1))
    names = {n["id"]: n["name"] for n in data["nodes"]}
    forwards = sorted((names[e["from"]], names[e["to"]]) for e in data["edges"] if e.get("kind") == "FORWARDED_FROM")
    # the channel's three sources, and the discussion group that forwards the channel
    assert len(forwards) == 4 and all("Example Dawn News" in a or "Example Dawn News" in b for a, b in forwards)
