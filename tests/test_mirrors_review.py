"""Mirror detection against a real graph, end to end through the CLI: detect -> write ->
confirm/reject, decisions never overwritten, rejected pairs never proposed again.

The graph (invented accounts, built with parameterised writes):
  x:umar_media_example   removed 2025-03-01, name/bio/avatar A, group TTP          (predecessor)
  x:umar_med1a_example2  created 2025-03-03, same name/bio/avatar, group TTP       (its mirror)
  x:umar_media_monitor   created 2023, monitoring bio, own avatar                  (decoy)
  telegram:abu_example_relay removed 2025-02-01; telegram:abu_example_relay7 created 2025-02-04
                         with the same name and phone +923000000101               (second mirror)
By the weights in graphkit.mirror_signals, the two mirrors score above the default threshold and
the decoy far below it (see tests/test_mirrors_scoring.py for the arithmetic).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from graphkit.mirrors import detect as mirrors

BIO = "Official voice of the example movement. Join t.me/+ExAmPle01"
ACCOUNTS = [
    dict(key="x:umar_media_example", platform="x", handle="umar_media_example", display_name="Umar Media Example",
         bio=BIO, status="removed", created_at=datetime(2024, 8, 1, tzinfo=timezone.utc),
         removed_at=datetime(2025, 3, 1, tzinfo=timezone.utc), group="TTP", ids=["image_hash:3fa9c0ffee01"]),
    dict(key="x:umar_med1a_example2", platform="x", handle="umar_med1a_example2", display_name="Umar Media Example",
         bio=BIO, status="active", created_at=datetime(2025, 3, 3, tzinfo=timezone.utc), removed_at=None,
         group="TTP", ids=["image_hash:3fa9c0ffee01"]),
    dict(key="x:umar_media_monitor", platform="x", handle="umar_media_monitor", display_name="Umar Media Monitor",
         bio="Monitoring and archiving propaganda of the example movement for researchers", status="active",
         created_at=datetime(2023, 5, 1, tzinfo=timezone.utc), removed_at=None, group=None,
         ids=["image_hash:0000aaaa02"]),
    dict(key="telegram:abu_example_relay", platform="telegram", handle="abu_example_relay",
         display_name="Abu Example Relay", bio=None, status="removed",
         created_at=datetime(2024, 11, 1, tzinfo=timezone.utc), removed_at=datetime(2025, 2, 1, tzinfo=timezone.utc),
         group="TTP", ids=["phone:+923000000101"]),
    dict(key="telegram:abu_example_relay7", platform="telegram", handle="abu_example_relay7",
         display_name="Abu Example Relay", bio=None, status="active",
         created_at=datetime(2025, 2, 4, tzinfo=timezone.utc), removed_at=None, group="TTP",
         ids=["phone:+923000000101"]),
]


def build(graph):
    graph.write("MERGE (:Group {gid: 'TTP', name: 'Tehrik-e-Taliban Pakistan'})")
    graph.write("""
UNWIND $rows AS row
MERGE (a:Account {key: row.key})
SET a.platform = row.platform, a.handle = row.handle, a.handle_norm = toLower(row.handle),
    a.display_name = row.display_name, a.bio = row.bio, a.status = row.status,
    a.created_at = row.created_at, a.removed_at = row.removed_at
WITH a, row
CALL (a, row) {
  UNWIND row.ids AS id
  MERGE (i:Identifier {key: id})
  SET i.kind = split(id, ':')[0], i.value = substring(id, size(split(id, ':')[0]) + 1)
  MERGE (a)-[:USES]->(i)
}
CALL (a, row) {
  MATCH (g:Group {gid: row.group})
  MERGE (a)-[:AFFILIATED_WITH]->(g)
}
""", {"rows": ACCOUNTS})


def links(graph):
    rows = graph.read("MATCH (s:Account)-[r:MIRROR_OF]->(p:Account) RETURN s.key AS s, p.key AS p, "
                      "r.status AS status, r.method AS method, r.note AS note, r.score AS score, "
                      "r.evidence AS evidence, r.decided_at AS decided_at, r.detected_at AS detected_at")
    return {(r["s"], r["p"]): r for r in rows}


def detect_json(cli, *extra):
    result = cli("mirrors", "detect", "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_detect_lists_the_two_mirrors_with_evidence_and_not_the_decoy(graph, cli):
    build(graph)
    rows = detect_json(cli)
    pairs = [(r["successor"], r["predecessor"]) for r in rows]
    assert sorted(pairs) == [("telegram:abu_example_relay7", "telegram:abu_example_relay"),
                             ("x:umar_med1a_example2", "x:umar_media_example")]
    by_succ = {r["successor"]: r for r in rows}
    x = by_succ["x:umar_med1a_example2"]
    assert "same avatar hash 3fa9c0ff" in x["evidence"] and "created 2 days after" in x["evidence"]
    assert {s["signal"] for s in x["signals"]} >= {"handle", "display_name", "bio", "avatar", "link", "timing"}
    assert "same phone +923000000101" in by_succ["telegram:abu_example_relay7"]["evidence"]
    assert links(graph) == {}  # detect without --write changes nothing


def test_write_then_confirm_and_reject_end_to_end(graph, cli):
    build(graph)
    result = cli("mirrors", "detect", "--write")
    assert result.returncode == 0, result.stderr
    assert "Stored 2 candidates for an analyst's review" in result.stderr
    stored = links(graph)
    x_pair = ("x:umar_med1a_example2", "x:umar_media_example")
    t_pair = ("telegram:abu_example_relay7", "telegram:abu_example_relay")
    assert set(stored) == {x_pair, t_pair}
    assert all(r["status"] == "candidate" and r["method"] == "detector" and r["detected_at"] for r in stored.values())
    assert "same avatar hash" in stored[x_pair]["evidence"]

    # the analyst confirms one (handles in any case, as PLATFORM:HANDLE) and rejects the other
    ok = cli("mirrors", "confirm", "x:Umar_Med1a_Example2", "x:umar_media_example", "--note", "same avatar")
    assert ok.returncode == 0, ok.stderr
    no = cli("mirrors", "reject", "telegram:abu_example_relay7", "telegram:abu_example_relay", "--note", "two people")
    assert no.returncode == 0, no.stderr
    stored = links(graph)
    assert (stored[x_pair]["status"], stored[x_pair]["note"]) == ("confirmed", "same avatar")
    assert (stored[t_pair]["status"], stored[t_pair]["note"]) == ("rejected", "two people")
    assert stored[x_pair]["decided_at"] and stored[x_pair]["score"] is not None  # score kept

    # neither is proposed again, and a second --write leaves both decisions as they were
    assert detect_json(cli) == []
    again = cli("mirrors", "detect", "--write", "--min-score", "0")
    assert again.returncode == 0, again.stderr
    assert "The model learnt from 2 analyst decisions." in again.stderr
    after = links(graph)
    assert after[x_pair]["status"] == "confirmed" and after[t_pair]["status"] == "rejected"
    assert after[x_pair]["decided_at"] == stored[x_pair]["decided_at"]
    assert after[t_pair]["note"] == "two people"


def test_write_does_not_overwrite_a_decision_even_when_passed_the_pair(graph):
    build(graph)
    found = mirrors.detect(graph).candidates
    mirrors.decide(graph, "x:umar_med1a_example2", "x:umar_media_example", "rejected", "checked")
    summary = mirrors.write_candidates(graph, found)  # stale candidates from before the decision
    assert summary == {"written": 1, "decisions_kept": 1}
    stored = links(graph)[("x:umar_med1a_example2", "x:umar_media_example")]
    assert stored["status"] == "rejected" and stored["note"] == "checked"


def test_rejected_in_reverse_direction_is_not_proposed(graph):
    build(graph)
    mirrors.decide(graph, "x:umar_media_example", "x:umar_med1a_example2", "rejected")
    keys = {(c.successor_key, c.predecessor_key) for c in mirrors.detect(graph).candidates}
    assert keys == {("telegram:abu_example_relay7", "telegram:abu_example_relay")}


def test_confirm_creates_a_link_the_detector_never_proposed(graph, cli):
    build(graph)
    result = cli("mirrors", "confirm", "x:umar_media_monitor", "telegram:abu_example_relay")
    assert result.returncode == 0, result.stderr
    stored = links(graph)[("x:umar_media_monitor", "telegram:abu_example_relay")]
    assert stored["status"] == "confirmed" and stored["method"] == "analyst" and stored["score"] is None


def test_decision_replaces_a_candidate_in_the_opposite_direction(graph):
    build(graph)
    graph.write("MATCH (s:Account {key: 'x:umar_media_example'}), (p:Account {key: 'x:umar_med1a_example2'}) "
                "CREATE (s)-[:MIRROR_OF {status: 'candidate', method: 'detector'}]->(p)")
    mirrors.decide(graph, "x:umar_med1a_example2", "x:umar_media_example", "confirmed")
    assert set(links(graph)) == {("x:umar_med1a_example2", "x:umar_media_example")}


def test_bad_input_gives_clear_errors(graph, cli):
    build(graph)
    result = cli("mirrors", "confirm", "x:nobody_example", "x:umar_media_example")
    assert result.returncode == 1 and "Error: no account x:nobody_example" in result.stderr
    result = cli("mirrors", "reject", "umar_media_example", "x:umar_media_example")
    assert result.returncode == 1 and "PLATFORM:HANDLE" in result.stderr
    result = cli("mirrors", "confirm", "myspace:someone", "x:umar_media_example")
    assert result.returncode == 1 and "PLATFORM:HANDLE" in result.stderr
    result = cli("mirrors", "confirm", "x:umar_media_example", "x:umar_media_example")
    assert result.returncode == 1 and "itself" in result.stderr
    result = cli("mirrors", "detect", "--min-score", "1.5")
    assert result.returncode == 1 and "between 0 and 1" in result.stderr
    for r in (result,):
        assert "Traceback" not in r.stderr


def test_limit_and_csv(graph, cli):
    build(graph)
    result = cli("mirrors", "detect", "--limit", "1", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "successor,predecessor,score,evidence,chain_head" and len(lines) == 2


def test_detect_on_a_loaded_bundle(graph, cli):
    """A hand-made bundle loaded with graphkit.load (expected links in the fixture's README)."""
    from helpers import FIXTURES
    import importlib

    importlib.import_module("graphkit.ingest.engine").load(graph, [FIXTURES / "mirrors_bundle"])
    rows = detect_json(cli)
    pairs = {(r["successor"], r["predecessor"]) for r in rows}
    assert pairs == {("x:Kashf_Med1a_2", "x:Kashf_Media"), ("telegram:kashf_media", "x:Kashf_Media")}
    by_succ = {r["successor"]: r for r in rows}
    assert "same avatar hash aaaa2222" in by_succ["x:Kashf_Med1a_2"]["evidence"]
    assert "same link t.me/kashf_example_ch" in by_succ["telegram:kashf_media"]["evidence"]
    assert "cross-platform (x -> telegram)" in by_succ["telegram:kashf_media"]["evidence"]
