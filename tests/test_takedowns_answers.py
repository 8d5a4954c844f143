"""Answers and status on the takedowns fixture (see test_takedowns.py for what it holds).

Status on 2025-07-01, before any answer, worked out by hand from takedowns.csv:
    facebook: TR-F-004 removed (2 days), TR-F-005 rejected -> 2 requested, 1 removed, 1 rejected,
              0 pending, rate 0.5, median 2.0
    x: TR-F-001 removed (9 days), TR-F-002 no_response, TR-F-003 pending (6 days old),
       TR-F-006 pending (91 days old) -> 4 requested, 1 removed, 0 rejected, 2 pending, 1 overdue
       (TR-F-006; TR-F-003 is younger than 14 days), rate 0.25, median 9.0, 1 no response
The answers file (tests/fixtures/takedowns_answers.csv) then removes TR-F-003 on 2025-07-02
(7 days: x's median becomes (9 + 7) / 2 = 8.0) and rejects TR-F-002 (found by its URL); its
other seven rows are rejected for the reasons listed in test_update_applies_and_rejects.
"""
from __future__ import annotations

import csv
import json
import shutil

import pytest

from graphkit.errors import TakedownError
from graphkit.queries import library as queries
from graphkit.takedowns.answers import update
from graphkit.takedowns.status import COLUMNS, status

from helpers import FIXTURES, run_cli
from loadutil import dump
from test_takedowns import ANSWERS, build

FB = {"platform": "facebook", "requested": 2, "removed": 1, "rejected": 1, "pending": 0, "overdue": 0,
      "compliance_rate": 0.5, "median_days_to_removal": 2.0, "no_response": 0}
X_BEFORE = {"platform": "x", "requested": 4, "removed": 1, "rejected": 0, "pending": 2, "overdue": 1,
            "compliance_rate": 0.25, "median_days_to_removal": 9.0, "no_response": 1}
X_AFTER = {"platform": "x", "requested": 4, "removed": 2, "rejected": 1, "pending": 1, "overdue": 1,
           "compliance_rate": 0.5, "median_days_to_removal": 8.0, "no_response": 0}
REJECTS = [
    ("4", "request_id", "no takedown request TR-NOPE in the graph"),
    ("5", "status", "status must be one of removed, rejected, no_response, pending, not 'deleted'"),
    ("6", "resolved_at", "not a date: 'yesterday' (use ISO 8601, e.g. 2025-07-25 or 2025-07-25T10:30:00Z)"),
    ("7", "url", "no takedown request for https://x.com/Nobody_Fixture in the graph"),
    ("8", "request_id", "request_id or url is needed"),
    ("9", "resolved_at", "resolved_at is before the request was sent (2025-03-01)"),
    ("10", "request_id", "request TR-F-003 is already answered on line 2"),
]


@pytest.fixture
def g(graph):
    build(graph)
    return graph


def _rejects(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return [(r["line"], r["column"], r["reason"]) for r in csv.DictReader(handle)]


def test_status_before_answers_by_hand(g):
    result = status(g, as_of="2025-07-01")
    assert result.rows == [FB, X_BEFORE]
    assert result.overdue == [{"request_id": "TR-F-006", "platform": "x", "account": "x:Suspended_Fixture",
                               "url": "https://x.com/Suspended_Fixture", "requested_at": "2025-04-01",
                               "days_open": 91, "group": "TTP"}]
    assert [r for r in status(g, platform="twitter", overdue_after=5, as_of="2025-07-01").rows] == [
        {**X_BEFORE, "overdue": 2}]   # TR-F-003 is 6 days old: overdue after 5 days


def test_status_agrees_with_platform_compliance(g):
    update(g, ANSWERS)
    compliance, _ = queries.run(g, "platform-compliance", {})
    mine = status(g, as_of="2025-07-05").rows
    shared = ("platform", "requested", "removed", "rejected", "pending", "median_days_to_removal", "no_response")
    assert [{k: r[k] for k in shared} for r in mine] == [{k: r[k] for k in shared} for r in compliance]
    assert [r["compliance_rate"] for r in mine] == [r["compliance_rate"] for r in compliance]


def test_update_applies_and_rejects(g, tmp_path):
    answers = shutil.copy(ANSWERS, tmp_path / "answers.csv")
    summary = update(g, answers)
    assert summary.as_row() == {"read": 9, "updated": 2, "unchanged": 0, "rejected": 7, "accounts_removed": 1}
    assert _rejects(tmp_path / "answers.csv.rejects.csv") == REJECTS
    rows = g.read("MATCH (t:TakedownRequest) WHERE t.tid IN ['TR-F-002', 'TR-F-003'] "
                  "RETURN t.tid AS tid, t.status AS status, toString(t.resolved_at) AS at, t.note AS note "
                  "ORDER BY tid")
    assert rows == [
        {"tid": "TR-F-002", "status": "rejected", "at": "2025-07-03T00:00:00Z", "note": "not a violation (fictional)"},
        {"tid": "TR-F-003", "status": "removed", "at": "2025-07-02T00:00:00Z", "note": "account removed (fictional)"}]
    accounts = g.read("MATCH (a:Account) WHERE a.key IN ['x:swat_fixture', 'x:khyber_voice_fixture'] "
                      "RETURN a.key AS key, a.status AS status, toString(a.removed_at) AS removed ORDER BY key")
    assert accounts == [{"key": "x:khyber_voice_fixture", "status": "active", "removed": None},
                        {"key": "x:swat_fixture", "status": "removed", "removed": "2025-07-02T00:00:00Z"}]
    assert status(g, as_of="2025-07-05").rows == [FB, X_AFTER]


def test_update_twice_changes_nothing(g, tmp_path):
    answers = shutil.copy(ANSWERS, tmp_path / "answers.csv")
    update(g, answers)
    before = dump(g)
    again = update(g, answers)
    assert again.as_row() == {"read": 9, "updated": 0, "unchanged": 2, "rejected": 7, "accounts_removed": 0}
    assert dump(g) == before


def test_update_from_xlsx(g, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Request ID", "URL", "Status", "Resolved at", "Note"])
    sheet.append(["TR-F-006", None, "Removed", "2025-07-04", None])
    sheet.append(["TR-F-002", None, "maybe", "2025-07-04", None])
    book.save(tmp_path / "answers.xlsx")
    summary = update(g, tmp_path / "answers.xlsx")
    assert summary.as_row() == {"read": 2, "updated": 1, "unchanged": 0, "rejected": 1, "accounts_removed": 1}
    assert _rejects(tmp_path / "answers.xlsx.rejects.csv") == [
        ("3", "status", "status must be one of removed, rejected, no_response, pending, not 'maybe'")]
    assert g.read("MATCH (a:Account {key: 'x:suspended_fixture'}) RETURN a.status AS s, "
                  "toString(a.removed_at) AS r") == [{"s": "removed", "r": "2025-07-04T00:00:00Z"}]


def test_update_bad_files(g, tmp_path):
    with pytest.raises(TakedownError, match="no answers file"):
        update(g, tmp_path / "missing.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,result\nTR-F-003,removed\n", encoding="utf-8")
    with pytest.raises(TakedownError, match="wrong.csv is not an answers file: it needs a status column"):
        update(g, wrong)


def test_cli_update_and_status(g, tmp_path):
    answers = shutil.copy(ANSWERS, tmp_path / "answers.csv")
    result = run_cli("takedowns", "update", str(answers))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("Read 9 answers: 2 updated, 0 unchanged, 7 rejected; "
                                             "1 account marked removed.")
    table = run_cli("takedowns", "status", "--as-of", "2025-07-05", "--format", "json")
    assert table.returncode == 0, table.stderr
    assert json.loads(table.stdout) == [FB, X_AFTER]
    assert list(json.loads(table.stdout)[0]) == COLUMNS
    overdue = run_cli("takedowns", "status", "--as-of", "2025-07-05", "--overdue", "--format", "csv")
    assert overdue.stdout.splitlines() == [
        "request_id,platform,account,url,requested_at,days_open,group",
        "TR-F-006,x,x:Suspended_Fixture,https://x.com/Suspended_Fixture,2025-04-01,95,TTP"]
    bad = run_cli("takedowns", "status", "--platform", "myspace")
    assert bad.returncode == 1 and bad.stderr.startswith("Error: unknown platform 'myspace'")
    missing = run_cli("takedowns", "update", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_briefing_numbers_and_frames_by_hand(g):
    from graphkit.takedowns.briefing import briefing

    b = briefing(g, since="2025-06-25", as_of="2025-07-05")
    # 9 accounts; 6 requests, one sent since 2025-06-25 (TR-F-003); removed TR-F-001 and TR-F-004;
    # pending TR-F-003 and TR-F-006, of which TR-F-006 (95 days) is overdue; of the 7 accounts
    # not sighted earlier (Khyber_Voice and Umar_Fixture_2 were), the 3 listed as removed or
    # suspended (Umar_Fixture_1, Suspended_Fixture, umar.fixture) are not seen on the report date
    # (2025-06-30), so 4 are new; no candidate carries a detection date
    assert b.headline == {"accounts": 9, "requests": 6, "sent_since": 1, "removed": 2, "pending": 2,
                          "overdue": 1, "new_items": 4, "new_mirrors": 0}
    frames = b.frames
    assert frames["compliance"].to_dict("records") == [FB, X_BEFORE]
    assert frames["timeline"].to_dict("records") == [
        {"month": "2025-03", "requested": 1, "removed": 1}, {"month": "2025-04", "requested": 1, "removed": 0},
        {"month": "2025-05", "requested": 2, "removed": 1}, {"month": "2025-06", "requested": 2, "removed": 0}]
    assert frames["accounts_by_group"].to_dict("records") == [
        {"group": "BLA", "platform": "x", "accounts": 1, "removed": 0},
        {"group": "TTP", "platform": "facebook", "accounts": 2, "removed": 1},
        {"group": "TTP", "platform": "x", "accounts": 6, "removed": 2}]
    assert list(frames["overdue"]["request_id"]) == ["TR-F-006"]
    assert sorted(frames["new_accounts"]["item"]) == [
        "facebook:khyber.fixture", "x:Baloch_Fixture", "x:Swat_Fixture", "x:Umar_Fixture_3"]
    with pytest.raises(TakedownError, match="--since must be a date"):
        briefing(g, since="last week")


def test_cli_report(g, tmp_path):
    result = run_cli("report", "--since", "2025-06-25", "--as-of", "2025-07-05", "-o", str(tmp_path / "b.html"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (f"Wrote {tmp_path / 'b.html'}: 9 accounts, 6 requests (2 removed, 2 pending, "
                                     "1 overdue), 4 new since 2025-06-25, 0 new mirror candidates.")
    bad = run_cli("report", "--as-of", "soon", "-o", str(tmp_path / "c.html"))
    assert bad.returncode == 1 and bad.stderr.startswith("Error: --as-of must be a date")
