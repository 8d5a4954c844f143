"""Screening new accounts (``graphkit mirrors screen``, ``graphkit load --screen``) and incremental
detection (``graphkit mirrors detect`` after a written run), on a real graph.

The known accounts are tests/fixtures/mirrors_bundle (see its README for the weights):
  x:Kashf_Media          removed 2025-05-01; name 'Kashf Media', bio with t.me/kashf_example_ch
  x:Kashf_Med1a_2        its mirror, created 2025-05-03, still active
  telegram:kashf_media   a cross-platform return, created 2025-05-10, still active
  x:Kashf_Watch          a monitoring account (2024), name 'Kashf Watch'
  x:Daily_Example_News   unrelated
Worked out by hand, a new x:Kashf_Med1a_3 first seen 2025-06-01 with the same name and bio shares
blocking keys with the first four ('hb:kashfmedia' from the folded handle, 'n:kashf media',
'nt:kashf' from the name tokens, the bio) and none with Daily_Example_News, so exactly those four
are candidates, in this order:
  x:Kashf_Media         same bio, link, name, handle after folding, 31 days after its removal: ~1.0
  x:Kashf_Med1a_2       the handle continues its numbered series (2 -> 3, +6.3) and copies it, but
                        it is live ('still live' -5.7): also above 0.9, below the removed one
  telegram:kashf_media  live (-5.7), cross-platform (-1.4), bio only similar: between 0.5 and 0.99
  x:Kashf_Watch         live, monitoring wording, another name: below 0.01
x:quiet_reader_example shares no key with anyone: no row.
"""
from __future__ import annotations

import json

from graphkit.ingest import load
from graphkit.mirrors import detect, incremental, screen
from helpers import FIXTURES

NEW = ("platform,handle,display_name,bio,first_seen\n"
       "x,Kashf_Med1a_3,Kashf Media,Voice of the example front. Updates daily on t.me/kashf_example_ch,2025-06-01\n"
       "x,quiet_reader_example,Quiet Reader,,2025-06-01\n")


def _loaded(graph):
    summary = load(graph, [FIXTURES / "mirrors_bundle"], progress=False)
    assert summary.totals()["rejected"] == 0


def test_screening_a_file_lists_the_hand_worked_candidates(graph, cli, tmp_path):
    _loaded(graph)
    path = tmp_path / "new.csv"
    path.write_text(NEW, encoding="utf-8")
    result = cli("mirrors", "screen", "--file", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert all(set(r) == {"account", "candidate", "score", "evidence"} for r in rows)
    assert {r["account"] for r in rows} == {"x:Kashf_Med1a_3"}
    assert [r["candidate"] for r in rows] == ["x:Kashf_Media", "x:Kashf_Med1a_2", "telegram:kashf_media",
                                              "x:Kashf_Watch"]
    assert rows[0]["score"] > 0.9 and "31 days after x:Kashf_Media was removed" in rows[0]["evidence"]
    assert rows[1]["score"] > 0.9 and "continues the numbered series of Kashf_Med1a_2 (2 -> 3)" in rows[1]["evidence"]
    assert 0.5 < rows[2]["score"] < 0.99 and "telegram:kashf_media is still live" in rows[2]["evidence"]
    assert rows[3]["score"] < 0.01 and "monitoring" in rows[3]["evidence"]
    top1 = cli("mirrors", "screen", "--file", str(path), "--top", "1", "--format", "csv")
    assert top1.returncode == 0, top1.stderr
    lines = top1.stdout.strip().splitlines()
    assert lines[0] == "account,candidate,score,evidence" and len(lines) == 2
    assert lines[1].startswith("x:Kashf_Med1a_3,x:Kashf_Media,")


def test_screening_a_known_handle_uses_the_keys_kept_by_load(graph, cli):
    result = cli("load", str(FIXTURES / "mirrors_bundle"))
    assert result.returncode == 0, result.stderr
    # the load keyed only the accounts it touched: the mirror's block-mates come from the index
    assert graph.read("MATCH (:Account {key: 'x:kashf_med1a_2'})-[:KEYED]->(m:MirrorKey {key: 'hb:kashfmedia'}) "
                      "RETURN count(*) AS n")[0]["n"] == 1
    rows = [m.row() for m in screen.screen(graph, screen.from_handles(graph, ["x:Kashf_Med1a_2"]), top=2)]
    assert [r["candidate"] for r in rows][0] == "x:Kashf_Media" and rows[0]["score"] > 0.9
    assert len(rows) == 2


def test_the_model_is_fitted_once_and_kept_on_the_graph(graph):
    _loaded(graph)
    assert graph.read("MATCH (s:MirrorState) RETURN count(s) AS n")[0]["n"] == 0
    screen.screen(graph, screen.from_handles(graph, ["x:Kashf_Med1a_2"]))
    first = graph.read("MATCH (s:MirrorState) RETURN s.model AS model, s.fitted_at AS at")
    screen.screen(graph, screen.from_handles(graph, ["x:Kashf_Med1a_2"]))
    assert graph.read("MATCH (s:MirrorState) RETURN s.model AS model, s.fitted_at AS at") == first


def test_load_screen_lists_likely_mirrors_among_the_new_accounts(graph, cli, tmp_path):
    first = cli("load", str(FIXTURES / "mirrors_bundle"), "--screen")
    assert first.returncode == 0, first.stderr
    bundle = tmp_path / "second"
    bundle.mkdir()
    (bundle / "accounts.csv").write_text(
        "platform,handle,display_name,bio,status,created_at\n"
        "x,Kashf_Med1a_3,Kashf Media,Voice of the example front. Updates daily on t.me/kashf_example_ch,active,"
        "2025-06-01\n"
        "x,quiet_reader_example,Quiet Reader,,active,2025-06-01\n", encoding="utf-8")
    (bundle / "report.json").write_text(json.dumps({"id": "second-batch", "source": "test", "date": "2025-07-26"}))
    result = cli("load", str(bundle), "--screen", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("file,table,read")  # the summary stays on stdout
    assert "Likely mirrors among the accounts this load created: 1" in result.stderr
    assert "x:Kashf_Med1a_3,x:Kashf_Media," in result.stderr
    assert "quiet_reader_example" not in result.stderr.split("created: 1", 1)[1]
    again = cli("load", str(FIXTURES / "mirrors_bundle"), "--screen")
    assert again.returncode == 0, again.stderr
    assert "none is a likely mirror" in again.stderr  # nothing new: nothing screened


def test_bad_input_is_one_sentence(graph, cli, tmp_path):
    _loaded(graph)
    unknown = cli("mirrors", "screen", "x:nobody_example")
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    assert "no account x:nobody_example in the graph" in unknown.stderr
    missing = cli("mirrors", "screen", "--file", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1 and "absent.csv is not a file" in missing.stderr
    no_handle = tmp_path / "no_handle.csv"
    no_handle.write_text("platform,name\nx,someone\n", encoding="utf-8")
    result = cli("mirrors", "screen", "--file", str(no_handle))
    assert result.returncode == 1 and "has no 'handle' column" in result.stderr
    bad_row = tmp_path / "bad_row.csv"
    bad_row.write_text("platform,handle\nx,fine_example\nmyspace,someone_example\n", encoding="utf-8")
    result = cli("mirrors", "screen", "--file", str(bad_row))
    assert result.returncode == 1 and "bad_row.csv, line 3, column platform" in result.stderr
    both = cli("mirrors", "screen")
    assert both.returncode == 1 and "PLATFORM:HANDLE or --file" in both.stderr
    for r in (unknown, missing, result, both):
        assert "Traceback" not in r.stderr


def _stored(graph) -> set:
    rows = graph.read("MATCH (s:Account)-[r:MIRROR_OF {status: 'candidate'}]->(p:Account) "
                      "RETURN s.key AS s, p.key AS p")
    return {(r["s"], r["p"]) for r in rows}


def test_incremental_detection_equals_full_detection_after_a_second_batch(graph, tmp_path):
    _loaded(graph)
    first = incremental.run(graph, write=True)
    assert first.mode == "full"
    assert _stored(graph) == {("x:kashf_med1a_2", "x:kashf_media"), ("telegram:kashf_media", "x:kashf_media")}
    second = tmp_path / "second"
    second.mkdir()
    # a mirror of a known account, the removal of a known one (which makes it a predecessor), an
    # unrelated account
    (second / "accounts.csv").write_text(
        "platform,handle,display_name,bio,status,created_at,removed_at\n"
        "x,Kashf_Med1a_3,Kashf Media,Voice of the example front. Updates daily on t.me/kashf_example_ch,active,"
        "2025-06-20,\n"
        "x,Kashf_Med1a_2,Kashf Media,Voice of the example front. Updates daily on t.me/kashf_example_ch,removed,"
        "2025-05-03T08:00:00Z,2025-06-18\n"
        "x,quiet_reader_example,Quiet Reader,,active,2025-06-01,\n", encoding="utf-8")
    (second / "report.json").write_text(json.dumps({"id": "second-batch", "source": "test", "date": "2025-07-26"}))
    load(graph, [second], progress=False)
    flagged = {r["key"] for r in graph.read("MATCH (a:Account) WHERE a.mirror_dirty IS NOT NULL RETURN a.key AS key")}
    assert flagged == {"x:kashf_med1a_3", "x:kashf_med1a_2", "x:quiet_reader_example"}
    run = incremental.run(graph, write=True)
    assert run.mode == "incremental" and run.flagged == 3
    full = {(c.successor_key, c.predecessor_key) for c in detect.detect(graph, progress=False).candidates}
    assert _stored(graph) == full
    assert ("x:kashf_med1a_3", "x:kashf_med1a_2") in full  # the new one follows the newly removed one
    assert graph.read("MATCH (a:Account) WHERE a.mirror_dirty IS NOT NULL RETURN count(a) AS n")[0]["n"] == 0
    # nothing changed since: the next run re-examines nothing and lists what is stored
    quiet = incremental.run(graph)
    assert quiet.flagged == 0
    assert {(c.successor_key, c.predecessor_key) for c in quiet.detection.candidates} == full
