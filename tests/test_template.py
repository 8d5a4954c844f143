"""`graphkit template` and docs/bundle.md: an empty bundle for field units, and the format's docs."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from helpers import ROOT
from graphkit.ingest import values as normalize
from graphkit.ingest import template
from graphkit.ingest.engine import load
from graphkit.ingest.records import TABLE_ORDER, TABLES

PLATFORMS = "x,facebook,instagram,tiktok,whatsapp,telegram,youtube"
ACCOUNT_STATUS = "active,reported,suspended,removed,unknown"


def _accepted(table: str) -> set[str]:
    required, optional = TABLES[table]
    return {c for alternative in required for c in alternative} | set(optional)


def test_template_has_every_column_the_loader_reads():
    for table in TABLE_ORDER:
        assert set(template.columns(table)) == _accepted(table), table
        assert set(template.HELP[table]) == _accepted(table), table
        assert set(template.EXAMPLES[table]) <= _accepted(table), table


def test_identifier_kinds_are_those_the_loader_accepts():
    samples = {"phone": "+92 300 0000000", "email": "a@example.org", "invite": "https://t.me/+AbC",
               "url": "https://example.org", "ip": "192.0.2.1", "device": "dev-1", "image_hash": "ab12",
               "wallet": "w1"}
    assert set(samples) == set(template.IDENTIFIER_KINDS)
    for kind, value in samples.items():
        assert normalize.identifier(kind, value)
    with pytest.raises(ValueError) as error:
        normalize.identifier("fax", "1")
    known = re.search(r"known: ([^)]*)", str(error.value)).group(1)
    assert {k.strip() for k in known.split(",")} == set(template.IDENTIFIER_KINDS)


def test_xlsx_template_offers_drop_down_lists(cli, tmp_path):
    path = tmp_path / "field-report.xlsx"
    result = cli("template", "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert "Wrote an empty report bundle to the workbook" in result.stdout
    book = load_workbook(path)
    assert book.sheetnames == TABLE_ORDER + ["report"]
    lists = {}
    for table in TABLE_ORDER:
        sheet = book[table]
        header = [c.value for c in sheet[1]]
        assert header == template.columns(table)
        assert [c.value or "" for c in sheet[2]] == [template.EXAMPLES[table].get(h, "") for h in header]
        assert all(c.comment and c.comment.text for c in sheet[1]), table
        for rule in sheet.data_validations.dataValidation:
            ref = str(rule.sqref)
            letter = re.match(r"([A-Z]+)2:", ref).group(1)
            assert ref == f"{letter}2:{letter}1048576"
            column = header[column_index_from_string(letter) - 1]
            lists[(table, column)] = (rule.type, rule.formula1.strip('"'), rule.errorStyle)
    assert lists[("accounts", "platform")] == ("list", PLATFORMS, "stop")
    assert lists[("mirrors", "predecessor_platform")] == ("list", PLATFORMS, "stop")
    assert lists[("accounts", "status")] == ("list", ACCOUNT_STATUS, "stop")
    assert lists[("channels", "status")] == ("list", ACCOUNT_STATUS, "stop")
    assert lists[("takedowns", "status")] == ("list", "pending,removed,rejected,no_response", "stop")
    assert lists[("mirrors", "status")] == ("list", "confirmed,rejected,candidate", "stop")
    assert lists[("identifiers", "kind")] == ("list", "phone,email,url,invite,ip,device,image_hash,wallet", "stop")
    assert lists[("designations", "authority")] == ("list", "UN,US,PK,UK,EU", "warning")
    assert lists[("sightings", "group_id")][1].startswith("TTP,ISIS-K,BLA,BLF")
    platform_columns = {(t, c) for t in TABLE_ORDER for c in template.columns(t) if c.endswith("platform")}
    assert platform_columns <= set(lists)
    report = {row[0].value: row[1].value for row in book["report"].iter_rows()}
    assert set(report) == {"id", "source", "title", "date"} and not report["id"]


def test_the_templates_load_with_no_reject(graph, cli, tmp_path):
    workbook, folder = tmp_path / "t.xlsx", tmp_path / "bundle"
    assert cli("template", "-o", str(workbook)).returncode == 0
    assert cli("template", "-o", str(folder)).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.csv" for t in TABLE_ORDER] + ["report.yaml"])

    loaded = cli("load", str(workbook))
    assert loaded.returncode == 0, loaded.stderr
    assert "ignored" not in loaded.stderr.lower() and "Traceback" not in loaded.stderr
    assert not list(tmp_path.glob("*.rejects.csv"))

    summary = load(graph, [folder])
    totals = summary.totals()
    assert totals["read"] == len(TABLE_ORDER) and totals["rejected"] == 0
    assert not summary.warnings
    account = graph.read("MATCH (a:Account {key: 'x:example_account'})-[:AFFILIATED_WITH]->(g:Group) "
                         "RETURN a.status AS status, a.followers AS followers, g.gid AS gid")
    assert account == [{"status": "active", "followers": 1200, "gid": "EXAMPLE"}]
    reports = graph.read("MATCH (r:Report) RETURN r.title AS title, r.source AS source ORDER BY title")
    assert reports == [{"title": "Example report (fictional)", "source": "Example field unit"}] * 2
    phone = graph.read("MATCH (:Account {key: 'x:example_account'})-[:USES]->(i:Identifier) RETURN i.key AS key")
    assert phone == [{"key": "phone:+923000000000"}]


def test_headers_only_and_no_overwrite(cli, tmp_path):
    folder = tmp_path / "empty"
    assert cli("template", "-o", str(folder), "--no-example").returncode == 0
    assert (folder / "accounts.csv").read_text(encoding="utf-8") == ",".join(template.columns("accounts")) + "\n"
    again = cli("template", "-o", str(folder))
    assert again.returncode != 0 and "Traceback" not in again.stderr
    assert "already holds" in again.stderr and "--force" in again.stderr
    assert cli("template", "-o", str(folder), "--force").returncode == 0
    assert "example_account" in (folder / "accounts.csv").read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^### ", text, flags=re.M)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def test_docs_bundle_describes_every_column_and_value():
    text = (ROOT / "docs" / "bundle.md").read_text(encoding="utf-8")
    sections = _sections(text)
    assert set(TABLE_ORDER) <= set(sections)
    for table in TABLE_ORDER:
        for column in _accepted(table):
            assert f"| `{column}` |" in sections[table], f"docs/bundle.md: {table}.{column} is not described"
        example = ",".join(template.columns(table))
        assert example in sections[table], f"docs/bundle.md: {table} has no example header row"
    from graphkit.ingest import prepare

    for value in (*normalize.PLATFORMS, *prepare.ACCOUNT_STATUS, *prepare.TAKEDOWN_STATUS,
                  *prepare.MIRROR_STATUS, *template.IDENTIFIER_KINDS, *template.AUTHORITIES):
        assert f"`{value}`" in text, value
    for key in ("id", "source", "title", "date"):
        assert f"| `{key}` |" in text
