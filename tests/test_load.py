"""The load engine on the hand-made bundle tests/fixtures/load/basic (expected counts: EXPECTED.md)."""
from __future__ import annotations

import json
import zipfile

import pytest

from graphkit.errors import LoadError
from graphkit.ingest.engine import load
from graphkit.ingest.rejects import read_rejects

from loadutil import copy_fixture, counts, dump, write_bundle

BASIC_COUNTS = {
    # file: (read, created, updated, unchanged, rejected), worked out by hand in EXPECTED.md
    "groups": (3, 3, 0, 0, 0),
    "designations": (3, 3, 0, 0, 0),
    "accounts": (8, 3, 0, 1, 4),
    "channels": (2, 1, 0, 0, 1),
    "identifiers": (4, 3, 0, 0, 1),
    "sightings": (5, 3, 0, 1, 1),
    "takedowns": (4, 3, 0, 0, 1),
    "mirrors": (2, 1, 0, 0, 1),
}
BASIC_GRAPH = {
    "Group": 4, "Authority": 3, "Platform": 3, "Report": 1, "Account": 6, "Channel": 1, "Identifier": 2,
    "Operator": 1, "Sighting": 3, "TakedownRequest": 3,
    "DESIGNATED_BY": 3, "AFFILIATED_WITH": 4, "OPERATES": 2, "ADMINISTERS": 2, "USES": 3, "OF": 3, "IN": 1,
    "POSTS_IN": 1, "PROMOTES": 2, "MENTIONS": 2, "TARGETS": 3, "SENT_TO": 3, "MIRROR_OF": 1, "ON": 7,
    "REPORTED_IN": 20,
}


def _by_table(summary):
    return {c.table: (c.read, c.created, c.updated, c.unchanged, c.rejected) for c in summary.counts}


@pytest.fixture
def basic(tmp_path):
    return copy_fixture("basic", tmp_path)


def test_basic_bundle_counts_per_file(graph, basic):
    summary = load(graph, [basic])
    assert _by_table(summary) == BASIC_COUNTS
    # created: 20 by the rows themselves + 4 nodes rows only referred to (EXPECTED.md)
    assert summary.totals() == {"read": 31, "created": 24, "updated": 0, "unchanged": 2, "rejected": 9}
    assert summary.referenced == {("basic/designations.csv", "Group"): 1, ("basic/channels.csv", "Account"): 2,
                                  ("basic/sightings.csv", "Account"): 1}
    referred = [(r["file"], r["table"], r["read"], r["created"]) for r in summary.as_rows() if r["read"] is None]
    assert referred == [("basic/designations.csv", "groups (referred to)", None, 1),
                        ("basic/channels.csv", "accounts (referred to)", None, 2),
                        ("basic/sightings.csv", "accounts (referred to)", None, 1)]
    assert summary.reports == ["basic-2025-07"]
    assert {c.file for c in summary.counts} == {f"basic/{t}.csv" for t in BASIC_COUNTS}


def test_basic_bundle_graph(graph, basic):
    load(graph, [basic])
    assert counts(graph) == BASIC_GRAPH
    one = graph.read("MATCH (a:Account {key: 'x:example_one'}) RETURN a")[0]["a"]
    assert one["handle"] == "Example_One" and one["handle_norm"] == "example_one"
    assert one["followers"] == 120 and one["platform"] == "x" and one["bio"] == 'bio with "quotes"'
    assert one["first_seen"].startswith("2025-07-01T10:00:00") and one["last_seen"].startswith("2025-07-13T21:07:00")
    two = graph.read("MATCH (a:Account {key: 'x:example_two'}) RETURN a")[0]["a"]
    assert two["followers"] == 1200 and two["status"] == "suspended"
    admin = graph.read("MATCH (a:Account {key: 'telegram:example_admin'}) RETURN a")[0]["a"]
    assert admin["handle"] == "Example_Admin"
    assert admin["first_seen"].startswith("2025-07-02T00:00:00") and admin["last_seen"].startswith("2025-07-10")
    des = graph.read("MATCH (:Group {gid: 'TTP'})-[d:DESIGNATED_BY]->(:Authority {code: 'UN'}) RETURN d")[0]["d"]
    assert des == {"program": "Al-Qaida", "reference": "QDe.132", "listed_on": "2011-07-29", "reports": ["basic-2025-07"]}
    assert graph.read("MATCH (g:Group {gid: 'BLF'}) RETURN g.name AS n")[0]["n"] == "Balochistan Liberation Front"
    assert graph.read("MATCH (g:Group {gid: 'TTP'}) RETURN g.aliases AS a, g.country AS c")[0] == {
        "a": ["Pakistani Taliban", "TTP"], "c": "PK"}
    # the bare takedown target is the existing channel; the others are accounts
    targets = graph.read("MATCH (t:TakedownRequest)-[:TARGETS]->(x) RETURN labels(x)[0] AS l, "
                         "coalesce(x.key, '') AS k ORDER BY k")
    assert targets == [{"l": "Channel", "k": "telegram:ttp_news_example"}, {"l": "Account", "k": "x:example_one"},
                       {"l": "Account", "k": "x:example_two"}]
    mirror = graph.read("MATCH (:Account {key: 'x:example_two'})-[m:MIRROR_OF]->(:Account {key: 'x:example_one'}) "
                        "RETURN m")[0]["m"]
    assert mirror == {"status": "confirmed", "method": "report", "note": "same avatar (fictional)",
                      "reports": ["basic-2025-07"]}
    phone = graph.read("MATCH (a:Account)-[:USES]->(i:Identifier {key: 'phone:+923000000123'}) "
                       "RETURN collect(a.key) AS who")[0]["who"]
    assert sorted(phone) == ["x:example_one", "x:example_two"]
    # provenance: every node except Authority/Platform/Report reported in the report; every rel lists it
    missing = graph.read("MATCH (n) WHERE NOT n:Authority AND NOT n:Platform AND NOT n:Report "
                         "AND NOT (n)-[:REPORTED_IN]->(:Report {rid: 'basic-2025-07'}) RETURN count(n) AS c")
    assert missing[0]["c"] == 0
    bad = graph.read("MATCH ()-[r]->() WHERE type(r) <> 'REPORTED_IN' AND NOT coalesce(r.reports, []) = "
                     "['basic-2025-07'] RETURN count(r) AS c")
    assert bad[0]["c"] == 0
    report = graph.read("MATCH (r:Report) RETURN r")[0]["r"]
    assert report["date"] == "2025-07-10" and report["source"] == "graphkit test fixture (fictional)"
    assert report["format"] == "bundle" and len(report["checksum"]) == 64


def test_times_are_stored_as_datetimes_not_strings(graph, basic):
    """Rows travel with ISO strings for datetimes (writer.wire); the graph must hold DATETIMEs."""
    load(graph, [basic])
    kinds = graph.read(
        "MATCH (n) UNWIND ['observed_at', 'created_at', 'removed_at', 'requested_at', 'resolved_at', "
        "'first_seen', 'last_seen'] AS k WITH k, n[k] AS v WHERE v IS NOT NULL "
        "RETURN k, collect(DISTINCT valueType(v)) AS types ORDER BY k")
    assert {r["k"]: r["types"] for r in kinds} == {
        k: ["ZONED DATETIME NOT NULL"] for k in
        ("created_at", "first_seen", "last_seen", "observed_at", "requested_at", "resolved_at")}
    uses = graph.read("MATCH ()-[u:USES]->() WHERE u.first_seen IS NOT NULL "
                      "RETURN collect(DISTINCT valueType(u.first_seen)) AS t")
    assert uses[0]["t"] == ["ZONED DATETIME NOT NULL"]


def test_rejects_file_names_file_line_column_reason(graph, basic):
    summary = load(graph, [basic])
    assert summary.rejects_path == basic.parent / "basic.rejects.csv"
    rows = read_rejects(summary.rejects_path)
    assert [(r["file"], r["line"], r["column"]) for r in rows] == [
        ("basic/accounts.csv", "4", "followers"), ("basic/accounts.csv", "5", "platform"),
        ("basic/accounts.csv", "8", "status"), ("basic/accounts.csv", "9", "created_at"),
        ("basic/channels.csv", "3", "members"), ("basic/identifiers.csv", "5", "value"),
        ("basic/sightings.csv", "6", "observed_at"), ("basic/takedowns.csv", "5", "status"),
        ("basic/mirrors.csv", "3", "predecessor"),
    ]
    assert "negative" in rows[0]["reason"] and "myspace" in rows[1]["reason"]
    assert rows[1]["raw"] == "myspace,someone,,,,,,,,,"


def test_load_twice_changes_nothing(graph, basic):
    load(graph, [basic])
    first = dump(graph)
    summary = load(graph, [basic])
    assert summary.totals() == {"read": 31, "created": 0, "updated": 0, "unchanged": 22, "rejected": 9}
    assert dump(graph) == first


def test_second_report_adds_provenance_and_counts_updated(graph, basic, tmp_path):
    load(graph, [basic])
    other = write_bundle(tmp_path / "later", {
        "accounts.csv": "platform,handle,followers\nx,example_one,120\nx,example_one_b,7\n",
        "report.json": json.dumps({"id": "later-1", "date": "2025-08-01"}),
    })
    summary = load(graph, [other])
    assert _by_table(summary) == {"accounts": (2, 1, 1, 0, 0)}  # same values, new REPORTED_IN + reports
    on = graph.read("MATCH (:Account {key: 'x:example_one'})-[r:ON]->() RETURN r.reports AS r")[0]["r"]
    assert on == ["basic-2025-07", "later-1"]
    one = graph.read("MATCH (a:Account {key: 'x:example_one'}) RETURN a.last_seen AS l, a.first_seen AS f")[0]
    assert one["l"].startswith("2025-08-01") and one["f"].startswith("2025-07-01T10:00")
    assert graph.read("MATCH (:Account {key: 'x:example_one'})-[:REPORTED_IN]->(r) RETURN count(r) AS c")[0]["c"] == 2


def test_dry_run_writes_nothing_but_rejects(graph, basic):
    summary = load(graph, [basic], dry_run=True)
    assert graph.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0
    assert summary.totals()["read"] == 31 and summary.totals()["rejected"] == 9
    assert len(read_rejects(summary.rejects_path)) == 9
    total = summary.as_rows()[-1]
    assert total["valid"] == 22 and total["created"] is None


def test_missing_required_column_stops_before_writing(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {
        "groups.csv": "group_id,name\nTTP,Tehreek-e-Taliban Pakistan\n",
        "accounts.csv": "platform,display_name\nx,Someone\n",
    })
    with pytest.raises(LoadError) as info:
        load(graph, [bundle])
    assert "b/accounts.csv" in info.value.message and "'handle'" in info.value.message
    assert graph.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0


def test_unknown_columns_reported_once(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": "platform,handle,shoe_size\nx,a,42\nx,b,43\n"})
    summary = load(graph, [bundle])
    assert summary.warnings == ["b/accounts.csv: ignored unknown column(s) shoe_size"]
    assert summary.totals()["created"] == 2


def test_derived_report_id_and_cli_report_id(graph, tmp_path):
    bundle = write_bundle(tmp_path / "July Report", {"accounts.csv": "platform,handle\nx,a\n"})
    summary = load(graph, [bundle])
    assert summary.reports[0].startswith("july-report-") and len(summary.reports[0]) == len("july-report-") + 10
    again = load(graph, [bundle])
    assert again.reports == summary.reports  # same contents -> same id
    named = load(graph, [bundle], report_id="R-7")
    assert named.reports == ["R-7"]
    assert named.totals()["updated"] == 1  # a new report asserted the account


def test_xlsx_bundle_with_formula_and_manifest_sheet(graph, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "groups"
    book["groups"].append(["group_id", "name"])
    book["groups"].append(["TTP", "Tehreek-e-Taliban Pakistan"])
    accounts = book.create_sheet("accounts")
    accounts.append(["platform", "handle", "followers", "bio", "created_at"])
    accounts.append(["x", "sheet_one", 42, "=HYPERLINK(\"http://example.org\")", None])
    accounts.append(["x", "sheet_two", -1, None, None])
    report = book.create_sheet("report")
    report.append(["id", "xlsx-1"])
    report.append(["title", "A workbook"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    summary = load(graph, [path])
    assert summary.reports == ["xlsx-1"]
    assert _by_table(summary) == {"groups": (1, 1, 0, 0, 0), "accounts": (2, 1, 0, 0, 1)}
    assert {c.file for c in summary.counts} == {"book.xlsx:groups", "book.xlsx:accounts"}
    row = graph.read("MATCH (a:Account {key: 'x:sheet_one'}) RETURN a.bio AS bio, a.followers AS f")[0]
    assert row == {"bio": '=HYPERLINK("http://example.org")', "f": 42}
    rejects = read_rejects(summary.rejects_path)
    assert [(r["file"], r["line"], r["column"]) for r in rejects] == [("book.xlsx:accounts", "3", "followers")]


def test_zip_bundle_loads_like_the_folder(graph, basic, tmp_path):
    archive = tmp_path / "basic.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(basic.iterdir()):
            zf.write(file, f"basic/{file.name}")
    summary = load(graph, [archive])
    assert _by_table(summary) == BASIC_COUNTS
    assert summary.reports == ["basic-2025-07"]
    assert counts(graph) == BASIC_GRAPH


def test_cli_load_summary_exit_codes_and_json(graph, basic, cli, tmp_path):
    result = cli("load", str(basic))
    assert result.returncode == 3, result.stderr  # finished, with rejects
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "table", "read", "created", "updated", "unchanged", "rejected"]
    assert lines[-2].split() == ["TOTAL", "31", "24", "0", "2", "9"]
    assert "9 rows were rejected; see " in result.stderr and "basic.rejects.csv" in result.stderr
    again = cli("load", str(basic), "--format", "json", "--rejects", str(tmp_path / "r.csv"))
    assert again.returncode == 3, again.stderr
    data = json.loads(again.stdout)
    assert len(data) == 9 and data[0]["file"] == "basic/groups.csv"
    assert data[-1] == {"file": "TOTAL", "table": "", "read": 31, "created": 0, "updated": 0,
                                 "unchanged": 22, "rejected": 9}
    assert len(read_rejects(tmp_path / "r.csv")) == 9
    bad = write_bundle(tmp_path / "bad", {"accounts.csv": "platform,bio\nx,hello\n"})
    failed = cli("load", str(bad))
    assert failed.returncode == 1
    assert "bad/accounts.csv" in failed.stderr and "'handle'" in failed.stderr and "Traceback" not in failed.stderr


def test_cli_dry_run_and_unknown_format(graph, basic, cli):
    result = cli("load", str(basic), "--dry-run")
    assert result.returncode == 3, result.stderr
    assert "Dry run: nothing written; 22 of 31 rows valid." in result.stderr
    assert graph.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0
    unknown = cli("load", str(basic), "--input-format", "nosuch")
    assert unknown.returncode == 1 and "unknown format 'nosuch'" in unknown.stderr and "bundle" in unknown.stderr
