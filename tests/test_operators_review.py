"""The analyst's review of shared-operator clusters on a real Neo4j: split, merge and confirm are
kept as SAME_OPERATOR links, later runs (new connections, re-loads) respect them; coordination
reads the graph's sightings. The bundle is written here; every expected cluster is worked out in
the comments."""
from __future__ import annotations

import csv
import json

import pytest

import graphkit
from graphkit.errors import OperatorError
from graphkit.operators import coordination, review
from graphkit.queries import library

ACCOUNTS = ["cell_a1_example", "cell_a2_example", "cell_a3_example", "cell_b1_example", "cell_b2_example",
            "lone_example"]
# A1-A3 share a phone and an e-mail (3 holders: 5.5 + 5.5 bits a pair); B1-B2 a device and a wallet
IDENTIFIERS = [(a, "phone", "+447700900001") for a in ACCOUNTS[:3]] + \
              [(a, "email", "cell.a@example.org") for a in ACCOUNTS[:3]] + \
              [(a, "device", "DEV-B-0001") for a in ACCOUNTS[3:5]] + [(a, "wallet", "bc1qexampleb") for a in ACCOUNTS[3:5]]
T = "2025-03-01T10:{:02d}:{:02d}Z"


def write_bundle(folder):
    folder.mkdir()
    tables = {
        "groups.csv": (["group_id", "name", "country"], [["TTP", "Tehreek-e-Taliban Pakistan", "PK"]]),
        "accounts.csv": (["platform", "handle", "display_name", "bio", "group_id"],
                         [["x", a, a.replace("_", " "), "", "TTP"] for a in ACCOUNTS]),
        "identifiers.csv": (["platform", "account", "kind", "value"], [["x", a, k, v] for a, k, v in IDENTIFIERS]),
        # B1 and the lone account post the same three links 20 s apart; A1 posts them an hour later
        "sightings.csv": (["sighting_id", "observed_at", "platform", "account", "post_url", "excerpt", "language"],
                          [[f"S{n}{who}", T.format(n * 10, sec), "x", acc, f"https://posts.example.org/{n}{who}",
                            f"new statement https://news.example.org/{n}", "en"]
                           for n in range(3) for who, acc, sec in (("b", "cell_b1_example", 0),
                                                                    ("l", "lone_example", 20))]
                          + [["S9a", "2025-03-01T11:00:00Z", "x", "cell_a1_example", "https://posts.example.org/9",
                              "new statement https://news.example.org/0", "en"]]),
    }
    for name, (header, rows) in tables.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            out.writerows(rows)
    (folder / "report.json").write_text(json.dumps({"id": "ops-review-test", "source": "tests (fictional)",
                                                     "title": "review", "date": "2025-03-01"}))
    return folder


@pytest.fixture
def loaded(graph, tmp_path):
    bundle = write_bundle(tmp_path / "bundle")
    graphkit.load(graph, [bundle], rejects=tmp_path / "rejects.csv", progress=False)
    return graph, bundle


def clusters(graph):
    return library.execute(graph, "shared-operators").rows


def members(rows):
    return [r["accounts"] for r in rows]


A = ["x:cell_a1_example", "x:cell_a2_example", "x:cell_a3_example"]
B = ["x:cell_b1_example", "x:cell_b2_example"]


def test_split_merge_confirm_persist_and_are_respected(loaded, cli, tmp_path):
    graph, bundle = loaded
    assert members(clusters(graph)) == [A, B]
    # split A3 off its cluster (the CLI finds the cluster): A1-A3 and A2-A3 rejected
    done = cli("operators", "split", "x:cell_a3_example", "--note", "recycled number")
    assert done.returncode == 0, done.stderr
    assert "kept apart from 2 member(s)" in done.stdout
    rows = clusters(graph)
    assert members(rows) == [A[:2], B]  # 11 bits between A3 and each of A1, A2: not followed
    assert rows[0]["review"] == "rejected: recycled number"
    # merge the two clusters through A1-B1 (they share nothing)
    review.merge(graph, "x:cell_a1_example", "x:Cell_B1_Example", note="same person in chat logs")
    rows = clusters(graph)
    # confidence: the weakest member is A2, whose best link is 11 bits: 1 / (1 + 2^-8) = 0.996
    assert members(rows) == [A[:2] + B] and rows[0]["confidence"] == 0.996
    # confirm A3 with the lone account (nothing shared): a cluster of its own, confidence 1.0
    review.confirm(graph, "x:cell_a3_example", ["x:lone_example"], note="same avatar seen by hand")
    rows = clusters(graph)
    assert members(rows) == [A[:2] + B, ["x:cell_a3_example", "x:lone_example"]]
    assert rows[1]["confidence"] == 1.0 and rows[1]["review"] == "confirmed: same avatar seen by hand; rejected: recycled number"
    # decisions persist: a new connection, and the same report loaded again, change nothing
    graphkit.load(graph, [bundle], rejects=tmp_path / "rejects2.csv", progress=False)
    with graphkit.connect() as again:
        assert members(clusters(again)) == [A[:2] + B, ["x:cell_a3_example", "x:lone_example"]]
    stored = {(d["a"], d["b"], d["status"], d["action"]) for d in review.decisions(graph)}
    assert ("x:cell_a3_example", "x:cell_a1_example", "rejected", "split") in stored
    assert ("x:cell_a1_example", "x:cell_b1_example", "confirmed", "merge") in stored
    assert len(stored) == 4


def test_a_later_decision_replaces_an_earlier_one(loaded):
    graph, _ = loaded
    review.split(graph, "x:cell_b2_example", ["x:cell_b1_example"], note="two people")
    assert members(clusters(graph)) == [A]
    review.confirm(graph, "x:cell_b1_example", ["x:cell_b2_example"], note="one after all")  # the other direction
    assert members(clusters(graph)) == [A, B]
    assert [(d["status"], d["note"]) for d in review.decisions(graph)] == [("confirmed", "one after all")]


def test_bad_members_are_one_sentence(loaded, cli):
    graph, _ = loaded
    with pytest.raises(OperatorError, match="no account or channel x:nobody_example"):
        review.merge(graph, "x:nobody_example", "x:lone_example")
    with pytest.raises(OperatorError, match="not a member reference"):
        review.split(graph, "lone_example", ["x:cell_a1_example"])
    with pytest.raises(OperatorError, match="in no shared-operator cluster"):
        review.split(graph, "x:lone_example", clusters=clusters(graph))
    result = cli("operators", "confirm", "x:nobody_example")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "no account or channel x:nobody_example" in result.stderr


def test_coordination_reads_the_graph_sightings(loaded, cli):
    graph, _ = loaded
    # B1 and the lone account: three links 20 s apart (3 repeats; the text left without the link,
    # "new statement", is under 25 characters); A1 posted one of them an hour later: not within 60 s
    [only] = coordination.coordinate(graph)
    assert only["accounts"] == ["x:cell_b1_example", "x:lone_example"] and only["co_posts"] == 3
    post = only["examples"][0]["posts"][0]
    assert post["observed_at"].startswith("2025-03-01 10:") and post["post_url"].startswith("https://posts.example.org/")
    assert "https://news.example.org/" in post["excerpt"]
    assert coordination.coordinate(graph, min_repeats=4) == []
    result = cli("operators", "coordination", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["accounts"] == ["x:cell_b1_example", "x:lone_example"]
