"""The takedown loop on the hand-made fixture tests/fixtures/takedowns_bundle (all names invented).

What the fixture holds (report date 2025-06-30), and what a draft for x / TTP on 2025-07-01 must
therefore be, worked out by hand:

    x:Umar_Fixture_1        removed 2025-03-10 after TR-F-001 (2025-03-01)      -> left out (removed)
    x:Umar_Fixture_2        active, confirmed mirror of Umar_Fixture_1          -> target, came back
    x:Umar_Fixture_3        active, detector candidate 0.95 -> Umar_Fixture_1   -> target, came back
    x:Khyber_Voice_Fixture  active, TR-F-002 2025-06-01 no_response (30 days),
                            candidate 0.40 -> Umar_Fixture_1 (below 0.7)        -> target, not a mirror
    x:Swat_Fixture          TR-F-003 2025-06-25 pending (6 days < 14)           -> left out (recent)
    x:Suspended_Fixture     suspended                                           -> left out (suspended)
    x:Baloch_Fixture (BLA), facebook accounts                                   -> not selected
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from graphkit.errors import GraphkitError, TakedownError, UnknownQuery
from graphkit.ingest.engine import load
from graphkit.takedowns import draft, request_id
from graphkit.takedowns.answers import update
from graphkit.takedowns.status import status

from helpers import FIXTURES, run_cli

BUNDLE = FIXTURES / "takedowns_bundle"
ANSWERS = FIXTURES / "takedowns_answers.csv"
JULY_1 = datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc)
JULY_2 = datetime(2025, 7, 2, 9, 0, tzinfo=timezone.utc)
HOSTILE_NAME = "</script><script>window.pwned=1</script>"
HOSTILE_EXCERPT = '"><svg onload=window.pwned=3> {{7*7}}'
UN = {"group": "TTP", "group_name": "Tehreek-e-Taliban Pakistan", "authority": "UN",
      "program": "Al-Qaida", "reference": "QDe.132", "listed_on": "2011-07-29"}
US = {"group": "TTP", "group_name": "Tehreek-e-Taliban Pakistan", "authority": "US",
      "program": "</td><img src=x onerror=window.pwned=4>", "reference": "FTO-2010-09", "listed_on": "2010-09-01"}
GROUNDS_TEXT = ("TTP: UN Al-Qaida QDe.132 (listed 2011-07-29); "
                "TTP: US </td><img src=x onerror=window.pwned=4> FTO-2010-09 (listed 2010-09-01)")


def build(graph):
    summary = load(graph, [BUNDLE], progress=None)
    assert summary.totals()["rejected"] == 0
    graph.write("MATCH (s:Account {key: 'x:umar_fixture_3'}), (p:Account {key: 'x:umar_fixture_1'}) "
                "CREATE (s)-[:MIRROR_OF {status: 'candidate', score: 0.95, method: 'detector'}]->(p)")
    graph.write("MATCH (s:Account {key: 'x:khyber_voice_fixture'}), (p:Account {key: 'x:umar_fixture_1'}) "
                "CREATE (s)-[:MIRROR_OF {status: 'candidate', score: 0.40, method: 'detector'}]->(p)")


@pytest.fixture
def g(graph):
    build(graph)
    return graph


def count_requests(graph) -> int:
    return graph.read("MATCH (t:TakedownRequest) RETURN count(t) AS n")[0]["n"]


# ---------------------------------------------------------------- draft

def test_request_ids_are_stable_per_platform_account_and_day():
    assert request_id("x", "x:a", JULY_1.date()) == request_id("x", "x:a", JULY_1.date())
    assert request_id("x", "x:a", JULY_1.date()) != request_id("x", "x:a", JULY_2.date())
    assert request_id("x", "x:a", JULY_1.date()) != request_id("x", "x:b", JULY_1.date())
    assert re.fullmatch(r"TR-20250701-x-[0-9a-f]{8}", request_id("x", "x:a", JULY_1.date()))


def test_draft_rows_worked_out_by_hand(g):
    d = draft(g, "x", group="TTP", now=JULY_1)
    rows = d.flat_rows()
    assert [r["account"] for r in rows] == ["x:Khyber_Voice_Fixture", "x:Umar_Fixture_2", "x:Umar_Fixture_3"]
    keep = ("account", "url", "platform_id", "group", "grounds", "evidence", "first_seen", "last_seen",
            "followers", "mirror_of", "reappeared_after_removal", "chain", "previous_requests")
    assert [{k: r[k] for k in keep} for r in rows] == [
        {"account": "x:Khyber_Voice_Fixture", "url": "https://x.com/Khyber_Voice_Fixture",
         "platform_id": "9000000004", "group": "TTP", "grounds": GROUNDS_TEXT,
         # newest first; first_seen is the oldest sighting, last_seen the report date
         "evidence": "2025-06-20 https://x.com/Khyber_Voice_Fixture/status/333 "
                     "\u201cSecond placeholder post (fictional)\u201d; 2025-05-15 "
                     f"https://x.com/Khyber_Voice_Fixture/status/222 \u201c{HOSTILE_EXCERPT}\u201d",
         "first_seen": "2025-05-15", "last_seen": "2025-06-30", "followers": 300, "mirror_of": None,
         "reappeared_after_removal": False, "chain": "",
         "previous_requests": "TR-F-002 2025-06-01 no_response"},
        {"account": "x:Umar_Fixture_2", "url": "https://x.com/Umar_Fixture_2", "platform_id": "9000000002",
         "group": "TTP", "grounds": GROUNDS_TEXT,
         "evidence": "2025-06-10 https://x.com/Umar_Fixture_2/status/111 "
                     "\u201cBismillah, Umar Media is back (fictional)\u201d",
         "first_seen": "2025-06-10", "last_seen": "2025-06-30", "followers": 1200,
         "mirror_of": "x:Umar_Fixture_1 (removed 2025-03-10)", "reappeared_after_removal": True,
         "chain": "x:Umar_Fixture_1 -> x:Umar_Fixture_2", "previous_requests": ""},
        {"account": "x:Umar_Fixture_3", "url": "https://x.com/Umar_Fixture_3", "platform_id": None,
         "group": "TTP", "grounds": GROUNDS_TEXT, "evidence": "", "first_seen": "2025-06-30",
         "last_seen": "2025-06-30", "followers": 40,
         "mirror_of": "x:Umar_Fixture_1 (removed 2025-03-10)", "reappeared_after_removal": True,
         "chain": "x:Umar_Fixture_1 -> x:Umar_Fixture_3", "previous_requests": ""},
    ]
    assert [r["request_id"] for r in rows] == [request_id("x", k, JULY_1.date()) for k in
                                               ("x:khyber_voice_fixture", "x:umar_fixture_2", "x:umar_fixture_3")]
    assert d.excluded == [{"account": "x:Suspended_Fixture", "reason": "already removed or suspended"},
                          {"account": "x:Swat_Fixture", "reason": "requested less than 14 days ago"},
                          {"account": "x:Umar_Fixture_1", "reason": "already removed or suspended"}]
    assert d.excluded_counts == {"already removed or suspended": 2, "requested less than 14 days ago": 1}
    assert d.summary() == ("3 requests for x (group TTP), 2 came back after a removal; left out 3: "
                           "2 already removed or suspended, 1 requested less than 14 days ago.")


def test_draft_files_and_nothing_written_without_record(g, tmp_path):
    d = draft(g, "twitter", group="Pakistani Taliban", now=JULY_1)  # aliases of platform and group
    paths = d.write(tmp_path / "pack")
    assert count_requests(g) == 6
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [r["account"] for r in data] == ["x:Khyber_Voice_Fixture", "x:Umar_Fixture_2", "x:Umar_Fixture_3"]
    assert data[0]["grounds"] == [UN, US]
    assert data[0]["evidence"][1] == {"observed_at": "2025-05-15", "excerpt": HOSTILE_EXCERPT,
                                      "url": "https://x.com/Khyber_Voice_Fixture/status/222"}
    assert data[0]["previous_requests"] == [{"request_id": "TR-F-002", "platform": "x",
                                             "requested_at": "2025-06-01", "status": "no_response",
                                             "resolved_at": None}]
    assert data[1]["chain"] == ["x:Umar_Fixture_1", "x:Umar_Fixture_2"]
    header = paths["csv"].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("request_id,platform,account,url,platform_id,")
    letter = paths["letter"].read_text(encoding="utf-8")
    assert HOSTILE_NAME not in letter and "&lt;/script&gt;&lt;script&gt;window.pwned=1" in letter
    assert "<img" not in letter and "Content-Security-Policy" in letter


def test_record_twice_the_same_day_creates_no_duplicate(g):
    first = draft(g, "x", group="TTP", now=JULY_1)
    assert first.record(g) == {"report": "takedowns-draft-x-2025-07-01", "created": 3, "unchanged": 0}
    again = draft(g, "x", group="TTP", now=JULY_1.replace(hour=17))   # same day: same pack, same ids
    assert [r["request_id"] for r in again.rows] == [r["request_id"] for r in first.rows]
    assert again.record(g) == {"report": "takedowns-draft-x-2025-07-01", "created": 0, "unchanged": 3}
    assert count_requests(g) == 9
    rows = g.read("MATCH (t:TakedownRequest)-[:TARGETS]->(a:Account), (t)-[:SENT_TO]->(p:Platform), "
                  "(t)-[:REPORTED_IN]->(r:Report) WHERE t.tid STARTS WITH 'TR-2025' "
                  "RETURN a.key AS key, p.name AS p, t.status AS status, toString(t.requested_at) AS at, "
                  "r.rid AS rid ORDER BY key")
    assert rows == [{"key": k, "p": "x", "status": "pending", "at": "2025-07-01T09:00:00Z",
                     "rid": "takedowns-draft-x-2025-07-01"}
                    for k in ("x:khyber_voice_fixture", "x:umar_fixture_2", "x:umar_fixture_3")]


def test_next_day_recorded_targets_are_left_out_then_resent(g):
    draft(g, "x", group="TTP", now=JULY_1).record(g)
    with pytest.raises(TakedownError) as caught:
        draft(g, "x", group="TTP", now=JULY_2)
    assert caught.value.message == ("no account to request on x (group TTP): all 6 left out "
                                    "(4 requested less than 14 days ago, 2 already removed or suspended)")
    again = draft(g, "x", group="TTP", now=JULY_2, resend_after=0)
    assert [r["request_id"][:12] for r in again.rows] == ["TR-20250702-"] * 4
    swat = next(r for r in again.rows if r["account"] == "x:Swat_Fixture")
    assert [p["request_id"] for p in swat["previous_requests"]] == ["TR-F-003"]


def test_reappeared_drafts_exactly_those_that_came_back(g):
    alone = draft(g, "x", reappeared=True, now=JULY_1)
    assert [r["account"] for r in alone.rows] == ["x:Umar_Fixture_2", "x:Umar_Fixture_3"]
    assert alone.excluded == []
    with_group = draft(g, "x", group="TTP", reappeared=True, now=JULY_1)
    assert [r["account"] for r in with_group.rows] == ["x:Umar_Fixture_2", "x:Umar_Fixture_3"]
    # a confirmed decision that the 0.95 candidate is no mirror takes it out
    g.write("MATCH (:Account {key: 'x:umar_fixture_3'})-[r:MIRROR_OF]->() SET r.status = 'rejected'")
    assert [r["account"] for r in draft(g, "x", reappeared=True, now=JULY_1).rows] == ["x:Umar_Fixture_2"]


def test_a_predecessor_removed_without_a_request_is_a_mirror_but_not_came_back(g):
    g.write("MATCH (t:TakedownRequest {tid: 'TR-F-001'}) DETACH DELETE t")
    row = next(r for r in draft(g, "x", group="TTP", now=JULY_1).rows if r["account"] == "x:Umar_Fixture_2")
    assert row["mirror_of"] == "x:Umar_Fixture_1 (removed 2025-03-10)"
    assert row["reappeared_after_removal"] is False


def test_draft_from_a_query_and_from_a_file(g, tmp_path):
    with pytest.raises(TakedownError) as caught:  # its rows name platforms, not accounts
        draft(g, "x", query="group-footprint", params={"group": "TTP"}, now=JULY_1)
    assert caught.value.message == ("no account to request on x (query group-footprint (group=TTP)): "
                                    "the selection names none")
    listing = tmp_path / "accounts.txt"
    listing.write_text("# to report\nx:Umar_Fixture_2\nhttps://x.com/Swat_Fixture\nfacebook:umar.fixture\n"
                       "x:Nobody_Fixture\nnot an account\n\n", encoding="utf-8")
    d = draft(g, "x", accounts=listing, now=JULY_1)
    assert [r["account"] for r in d.rows] == ["x:Umar_Fixture_2"]
    assert sorted((e["account"], e["reason"]) for e in d.excluded) == [
        ("line 4: facebook:umar.fixture", "not on x"),
        ("line 5: x:Nobody_Fixture", "not in the graph"),
        ("line 6: not an account", "not an account (PLATFORM:HANDLE or profile URL)"),
        ("x:Swat_Fixture", "requested less than 14 days ago"),
    ]


def test_draft_from_the_active_after_report_query(g):
    d = draft(g, "x", query="active-after-report", params={"days": 20, "as_of": "2025-07-01"}, now=JULY_1)
    # requests older than 20 days on accounts still active: TR-F-002 (Khyber, 30 days) only; TR-F-006
    # is on a suspended account (not active), TR-F-003 is 6 days old
    assert [r["account"] for r in d.rows] == ["x:Khyber_Voice_Fixture"]


@pytest.mark.parametrize("kwargs, message", [
    ({"platform": "myspace", "group": "TTP"}, "unknown platform 'myspace'"),
    ({"platform": "x", "group": "NOPE"}, "no group 'NOPE' in the graph"),
    ({"platform": "x"}, "a draft needs exactly one of a group, a query or an accounts file (or --reappeared alone)"),
    ({"platform": "x", "group": "TTP", "query": "new-since"},
     "a draft needs exactly one of a group, a query or an accounts file (or --reappeared alone)"),
    ({"platform": "facebook", "group": "BLA"}, "no account to request on facebook (group BLA): the selection names none"),
    ({"platform": "x", "group": "TTP", "resend_after": -1}, "--resend-after must be 0 or more days, not -1"),
])
def test_draft_bad_input(g, kwargs, message):
    platform = kwargs.pop("platform")
    with pytest.raises(TakedownError) as caught:
        draft(g, platform, now=JULY_1, **kwargs)
    assert caught.value.message == message
    assert caught.value.hint


def test_draft_unknown_query(g):
    with pytest.raises(UnknownQuery):
        draft(g, "x", query="no-such-query", now=JULY_1)


def test_cli_draft_record_and_bad_input(g, tmp_path):
    out = tmp_path / "pack"
    result = run_cli("takedowns", "draft", "--platform", "x", "--group", "TTP", "--as-of", "2025-07-01",
                     "-o", str(out), "--record", "--from", "Example Unit (fictional)")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("3 requests for x (group TTP), 2 came back after a removal; left out 3: "
                        "2 already removed or suspended, 1 requested less than 14 days ago.")
    assert lines[1:3] == ["  left out, already removed or suspended: 2", "  left out, requested less than 14 days ago: 1"]
    assert lines[-1] == "Recorded 3 new requests (0 already recorded) in report takedowns-draft-x-2025-07-01."
    assert "Example Unit (fictional)" in (out / "letter.html").read_text(encoding="utf-8")
    again = run_cli("takedowns", "draft", "--platform", "x", "--group", "TTP", "--as-of", "2025-07-01",
                    "-o", str(out), "--record")
    assert again.stdout.splitlines()[-1] == "Recorded 0 new requests (3 already recorded) in report takedowns-draft-x-2025-07-01."
    for args, sentence in [
        (("--platform", "myspace", "--group", "TTP"), "Error: unknown platform 'myspace'"),
        (("--platform", "x", "--group", "NOPE"), "Error: no group 'NOPE' in the graph"),
        (("--platform", "x", "--query", "nope"), "Error: there is no canned query named 'nope'"),
        (("--platform", "facebook", "--group", "BLA"), "Error: no account to request on facebook"),
    ]:
        bad = run_cli("takedowns", "draft", *args, "-o", str(tmp_path / "bad"))
        assert bad.returncode == 1 and bad.stderr.startswith(sentence), bad.stderr
        assert "Traceback" not in bad.stderr and "Hint:" in bad.stderr
    assert not (tmp_path / "bad").exists()  # no empty pack for no targets
