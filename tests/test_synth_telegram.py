"""The fictional Telegram export (graphkit.synth.telegram), loaded with --group per channel, and its
forward network on a map (graphkit.maps.forwards).

The network, by hand (graphkit/synth/telegram.py):
    Bulletin (TTP)  -> Relay                    Wire (TTP)  -> Bulletin, Voice
    Voice (ISIS-K)  -> Relay                    Feed (BLA)  -> Reporter (a user)
    Digest (none)   -> Bulletin, Voice, Feed
8 channel-level forward links; 6 channels (5 exported, Relay only forwarded), 1 account (the
Reporter); 4 affiliations (Bulletin, Wire: TTP; Voice: ISIS-K; Feed: BLA).
"""
from __future__ import annotations

import json
import re

from graphkit.ingest.engine import load
from graphkit.ingest.mappings import find
from graphkit.maps import build as maps
from graphkit.synth import telegram as synth

NAMES = {"TTP Example Bulletin": "Bulletin", "TTP Example Wire": "Wire", "Khorasan Example Voice": "Voice",
         "Baloch Army Example Feed": "Feed", "Frontier Example Digest": "Digest",
         "Example Archive Relay": "Relay", "Example Field Reporter": "Reporter", "5990000001": "Reporter"}
FORWARDS = sorted([("Bulletin", "Relay"), ("Wire", "Bulletin"), ("Wire", "Voice"), ("Voice", "Relay"),
                   ("Feed", "Reporter"), ("Digest", "Bulletin"), ("Digest", "Voice"), ("Digest", "Feed")])


def _load_all(graph, folder, seed=0):
    expected = synth.write(folder, seed=seed)
    for item in expected["files"]:
        load(graph, [folder / item["path"]], group=item["group"], rejects=folder / "rejects.csv")
    return expected


def _map_data(network):
    match = re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', network.html(), re.S)
    data = json.loads(match.group(1))
    # nodes are named telegram:TITLE (channels), telegram:ID (accounts), GID (groups)
    names = {n["id"]: n["name"].removeprefix("telegram:") for n in data["nodes"]}
    names = {i: NAMES.get(n, n) for i, n in names.items()}
    edges = sorted((names[e["from"]], names[e["to"]], e["kind"]) for e in data["edges"])
    return sorted(names.values()), edges


def test_export_is_deterministic_fictional_and_recognised(tmp_path):
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    expected = synth.write(first, seed=0)
    synth.write(again, seed=0)
    synth.write(other, seed=1)
    paths = [item["path"] for item in expected["files"]]
    assert len(paths) == 5 and all(p.startswith("ChatExport_") and p.endswith("/result.json") for p in paths)
    for path in paths:
        assert (first / path).read_bytes() == (again / path).read_bytes()
        assert find(first / path).name == "telegram"  # no --format needed
        text = (first / path).read_text(encoding="utf-8")
        assert "https://" not in text.replace("https://example.org/", "")
    assert any((first / p).read_bytes() != (other / p).read_bytes() for p in paths)
    assert sorted((NAMES[a], NAMES[b]) for a, b in expected["forwards"]) == FORWARDS
    chat = json.loads((first / paths[1]).read_text(encoding="utf-8"))
    actions = [m.get("action") for m in chat["messages"] if m["type"] == "service"]
    assert actions == ["create_channel", "pin_message"]


def test_forward_sources_are_not_tied_to_the_exporting_group(graph, tmp_path):
    _load_all(graph, tmp_path)
    rows = graph.read("MATCH (c:Channel {platform: 'telegram'}) OPTIONAL MATCH (c)-[:AFFILIATED_WITH]->(g:Group) "
                      "RETURN c.name AS name, collect(g.gid) AS groups")
    groups = {NAMES[r["name"]]: sorted(r["groups"]) for r in rows}
    # Voice is forwarded by the Wire (TTP) and the Relay by the Bulletin (TTP) and the Voice
    # (ISIS-K): forwarding is not membership, so neither gets the forwarding channel's group
    assert groups == {"Bulletin": ["TTP"], "Wire": ["TTP"], "Voice": ["ISIS-K"], "Feed": ["BLA"],
                      "Digest": [], "Relay": []}
    reporter = graph.read("MATCH (a:Account {platform: 'telegram', platform_id: '5990000001'}) "
                          "RETURN a.display_name AS name, COUNT { (a)-[:AFFILIATED_WITH]->() } AS groups")
    assert reporter == [{"name": "Example Field Reporter", "groups": 0}]
    links = graph.read("MATCH (c:Channel)-[:FORWARDED_FROM]->(s) "
                       "RETURN c.name AS c, coalesce(s.name, s.display_name) AS s")
    assert sorted((NAMES[r["c"]], NAMES[r["s"]]) for r in links) == FORWARDS
    renamed = graph.read("MATCH (c:Channel {platform_id: '1990000001'}) RETURN c.name AS name, c.former_names AS former")
    assert renamed[0]["name"] == "TTP Example Bulletin" and "TTP Example Desk (2025-05-01.." in str(renamed[0]["former"])


def test_forward_map_of_the_whole_network_and_of_a_group(graph, tmp_path):
    _load_all(graph, tmp_path)
    nodes, edges = _map_data(maps.build_map(graph, forwards=True))
    # 6 channels, the Reporter, and the 3 groups of the tied channels
    assert nodes == sorted(["Bulletin", "Wire", "Voice", "Feed", "Digest", "Relay", "Reporter", "TTP", "ISIS-K", "BLA"])
    assert [(a, b) for a, b, kind in edges if kind == "FORWARDED_FROM"] == FORWARDS
    assert sorted((a, b) for a, b, kind in edges if kind == "AFFILIATED_WITH") == [
        ("Bulletin", "TTP"), ("Feed", "BLA"), ("Voice", "ISIS-K"), ("Wire", "TTP")]
    assert {kind for _, _, kind in edges} == {"FORWARDED_FROM", "AFFILIATED_WITH"}
    # from ISIS-K's channel (the Voice), one hop either way: its source (Relay) and the two
    # channels that forward it (Wire, Digest); the Wire's group TTP is drawn beside it
    network = maps.build_map(graph, forwards=True, group="ISIS-K", depth=1)
    nodes, edges = _map_data(network)
    assert nodes == sorted(["Voice", "Relay", "Wire", "Digest", "ISIS-K", "TTP"])
    assert [(a, b) for a, b, kind in edges if kind == "FORWARDED_FROM"] == [
        ("Digest", "Voice"), ("Voice", "Relay"), ("Wire", "Voice")]
    assert "forward network of group ISIS-K" in network.title


def test_forward_map_errors_are_sentences(graph, cli, tmp_path):
    empty = cli("map", "--forwards", "-o", str(tmp_path / "f.html"))
    assert empty.returncode != 0 and "Traceback" not in empty.stderr
    assert "no channel in the graph forwards" in empty.stderr
    _load_all(graph, tmp_path)
    both = cli("map", "--forwards", "--group", "TTP", "--account", "telegram:id:1990000001", "-o", str(tmp_path / "f.html"))
    assert both.returncode != 0 and "not both" in both.stderr and "Traceback" not in both.stderr
    graph.write("MERGE (:Group {gid: 'BLF'})")
    blf = cli("map", "--forwards", "--group", "BLF", "-o", str(tmp_path / "f.html"))
    assert blf.returncode != 0 and "no channel of group BLF" in blf.stderr
    made = cli("map", "--forwards", "--account", "telegram:id:1990000004", "--depth", "1", "-o", str(tmp_path / "f.html"))
    assert made.returncode == 0, made.stderr
    # the Feed, its source (the Reporter), the Digest that forwards it, and BLA
    assert "Wrote" in made.stdout and "4 nodes and 3 links" in made.stdout
