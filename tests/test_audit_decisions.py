"""Decisions are changed, never silently: a mirror link keeps every decision (note, analyst, time)
and each one is in the audit trail with the value it replaced; two analysts confirming the same
pair at once are both kept; operator decisions and takedowns are audited too."""
from __future__ import annotations

import json
import threading

import pytest

from graphkit import audit
from graphkit.mirrors.review import decide
from graphkit.operators import review as operators
from graphkit.queries import library
from test_mirrors_review import build

PAIR = ("x:umar_med1a_example2", "x:umar_media_example")
TARGET = "x:umar_med1a_example2 MIRROR_OF x:umar_media_example"


@pytest.fixture(autouse=True)
def log(tmp_path, monkeypatch):
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("GRAPHKIT_AUDIT_LOG", str(path))
    yield path
    audit.set_analyst(None)


def history(graph, s=PAIR[0], p=PAIR[1]):
    rows = graph.read("MATCH (:Account {key: $s})-[r:MIRROR_OF]->(:Account {key: $p}) RETURN r.history AS h, "
                      "r.status AS status, r.note AS note, r.decided_by AS by", {"s": s, "p": p})
    (row,) = rows
    return row, [json.loads(h) for h in row["h"]]


def test_confirm_reject_confirm_keeps_every_decision(graph, log):
    build(graph)
    for who, status, note in [("alice", "confirmed", "same avatar"), ("bob", "rejected", "two people"),
                              ("carol", "confirmed", "same phone after all")]:
        audit.set_analyst(who)
        decide(graph, *PAIR, status, note)
    row, kept = history(graph)
    assert (row["status"], row["note"], row["by"]) == ("confirmed", "same phone after all", "carol")
    assert [(h["status"], h["analyst"], h["note"]) for h in kept] == [
        ("confirmed", "alice", "same avatar"), ("rejected", "bob", "two people"),
        ("confirmed", "carol", "same phone after all")]
    assert kept[0]["at"] < kept[1]["at"] < kept[2]["at"]

    entries = audit.entries()
    assert [(e["action"], e["analyst"], e["target"], e["note"]) for e in entries] == [
        ("mirror.confirm", "alice", TARGET, "same avatar"), ("mirror.reject", "bob", TARGET, "two people"),
        ("mirror.confirm", "carol", TARGET, "same phone after all")]
    # the value each decision replaced: nothing, then alice's confirmation, then bob's rejection
    assert [e["before"] for e in entries] == [
        {"status": None, "note": None, "analyst": None},
        {"status": "confirmed", "note": "same avatar", "analyst": "alice"},
        {"status": "rejected", "note": "two people", "analyst": "bob"}]
    assert [e["at"] for e in entries] == [h["at"] for h in kept]  # the same moment in graph and log
    assert audit.verify().entries == 3

    (chain,), _ = library.run(graph, "mirror-chains", {})
    assert chain["chain"] == [PAIR[1], PAIR[0]]
    assert [[json.loads(h)["analyst"] for h in link] for link in chain["decisions"]] == [["alice", "bob", "carol"]]
    (profile,), _ = library.run(graph, "account-profile", {"account": PAIR[1]})
    assert [d.split(" {")[0] for d in profile["mirror_history"]] == [f"mirrored by {PAIR[0]}"] * 3
    assert [json.loads("{" + d.split(" {", 1)[1])["note"] for d in profile["mirror_history"]] == [
        "same avatar", "two people", "same phone after all"]


def test_two_concurrent_confirms_of_one_pair_are_both_kept(graph, log):
    """Three rounds of six analysts confirming the same pair at the same moment: 18 decisions kept.
    (A read-then-write of the history without locking the link first loses some, most runs.)"""
    build(graph)
    errors, notes = [], [f"round {r} analyst {n}" for r in range(3) for n in range(6)]

    def confirm(note, start):
        try:
            start.wait()
            decide(graph, *PAIR, "confirmed", note)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for r in range(3):
        start = threading.Barrier(6)
        threads = [threading.Thread(target=confirm, args=(f"round {r} analyst {n}", start)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    row, kept = history(graph)
    assert sorted(h["note"] for h in kept) == sorted(notes)  # no lost update
    assert graph.read("MATCH ()-[r:MIRROR_OF]->() RETURN count(r) AS n")[0]["n"] == 1  # one link, not several
    assert row["note"] == kept[-1]["note"]  # the link shows the last decision written
    entries = audit.entries()
    assert sorted(e["note"] for e in entries) == sorted(notes)
    assert audit.verify().entries == 18
    # each decision saw the one before it: exactly one saw no decision, each other one a different note
    befores = [e["before"]["note"] for e in entries]
    assert befores.count(None) == 1 and len(set(befores)) == 18


def test_operator_decisions_are_audited_with_history(graph, log):
    build(graph)
    audit.set_analyst("dana")
    operators.merge(graph, "x:umar_media_example", "x:umar_med1a_example2", note="same device")
    operators.split(graph, "x:umar_media_example", ["x:umar_med1a_example2"], note="different writers")
    rows = graph.read("MATCH (a)-[d:SAME_OPERATOR]->(b) RETURN a.key AS a, b.key AS b, d.status AS status, "
                      "d.history AS history")
    assert [(r["a"], r["b"], r["status"]) for r in rows] == [("x:umar_media_example", "x:umar_med1a_example2",
                                                             "rejected")]
    assert [(json.loads(h)["action"], json.loads(h)["note"]) for h in rows[0]["history"]] == [
        ("merge", "same device"), ("split", "different writers")]
    entries = audit.entries()
    assert [(e["action"], e["analyst"], e["note"]) for e in entries] == [
        ("operators.merge", "dana", "same device"), ("operators.split", "dana", "different writers")]
    assert entries[1]["before"] == [{"pair": ["x:umar_media_example", "x:umar_med1a_example2"],
                                     "status": "confirmed"}]


def test_cli_analyst_option_names_who_decided(graph, cli, log):
    build(graph)
    done = cli("--analyst", "Erin Example", "mirrors", "confirm", *PAIR, "--note", "same avatar")
    assert done.returncode == 0, done.stderr
    (entry,) = audit.entries()
    assert (entry["analyst"], entry["action"], entry["note"]) == ("Erin Example", "mirror.confirm", "same avatar")
    again = cli("mirrors", "reject", *PAIR, env={"GRAPHKIT_ANALYST": "frank"})
    assert again.returncode == 0, again.stderr
    assert [e["analyst"] for e in audit.entries()] == ["Erin Example", "frank"]
    shown = cli("audit", "log", "--format", "json")
    assert [r["action"] for r in json.loads(shown.stdout)] == ["mirror.confirm", "mirror.reject"]


def test_takedown_answers_are_audited_with_the_status_they_replaced(graph, log, tmp_path):
    import shutil

    from graphkit.takedowns.answers import update
    from test_takedowns import ANSWERS, build as build_takedowns

    build_takedowns(graph)
    audit.set_analyst("ines")
    update(graph, shutil.copy(ANSWERS, tmp_path / "answers.csv"))
    entry = audit.entries()[-1]  # after the fixture's own load
    # tests/test_takedowns_answers.py: TR-F-002 no_response -> rejected, TR-F-003 pending -> removed
    assert (entry["action"], entry["analyst"]) == ("takedowns.update", "ines")
    assert entry["before"] == {"TR-F-002": "no_response", "TR-F-003": "pending"}
    assert entry["after"] == {"TR-F-002": "rejected", "TR-F-003": "removed"}
    assert (entry["details"]["file"], entry["details"]["rows"], entry["details"]["accounts_removed"]) == (
        "answers.csv", 9, 1)
    assert [e["action"] for e in audit.entries()] == ["load", "takedowns.update"]
