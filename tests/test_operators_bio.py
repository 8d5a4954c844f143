"""Bios in shared-operators: read from the Account.bio index (the 100k-account speed), and a bio too
long for that index rejected with file, line, column and reason instead of failing the load.
Expected clusters and byte counts are worked out in the comments."""
from __future__ import annotations

import csv
import json

import pytest

import graphkit
from graphkit.ingest import prepare
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import RowRejected
from graphkit.queries import library

WIRE = "Official wire https://t.me/example_wire"
LONG = "\u0628" * 4001   # Arabic beh: 2 bytes in UTF-8, 8,002 bytes > 8,000
FITS = "\u0628" * 4000   # 8,000 bytes: at the limit, kept


def account_row(bio: str) -> Row:
    return Row(table="accounts", file="accounts.csv", line=2,
               values={"platform": "x", "handle": "bio_example", "bio": bio})


def test_a_bio_too_long_for_the_index_is_rejected_by_bytes():
    with pytest.raises(RowRejected) as caught:
        prepare.accounts(account_row(LONG))
    assert caught.value.column == "bio"
    assert "8,002 bytes long (limit 8,000" in caught.value.reason
    assert prepare.accounts(account_row(FITS))["props"]["bio"] == FITS


def write_bundle(folder):
    folder.mkdir()
    rows = [["x", "wire_a_example", "Wire A", WIRE], ["x", "wire_b_example", "Wire B", WIRE],
            ["x", "long_bio_example", "Long", LONG], ["x", "fits_example", "Fits", FITS]]
    with open(folder / "accounts.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["platform", "handle", "display_name", "bio"])
        out.writerows(rows)
    (folder / "report.json").write_text(json.dumps({"id": "ops-bio-test", "source": "tests (fictional)",
                                                     "title": "bios", "date": "2025-03-01"}))
    return folder


def test_same_bio_with_a_link_links_and_a_long_bio_is_a_reject(graph, tmp_path):
    bundle = write_bundle(tmp_path / "bundle")
    graphkit.load(graph, [bundle], rejects=tmp_path / "rejects.csv", progress=False)
    with open(tmp_path / "rejects.csv", encoding="utf-8", newline="") as fh:
        rejects = list(csv.DictReader(fh))
    # the third data row (line 4 of accounts.csv, after the header) and nothing else
    assert [(r["line"], r["column"]) for r in rejects] == [("4", "bio")]
    assert "8,002 bytes" in rejects[0]["reason"] and rejects[0]["file"].endswith("accounts.csv")
    assert graph.read("MATCH (a:Account) RETURN count(a) AS n")[0]["n"] == 3
    # A and B: the same bio on 2 accounts (2.5 bits) + the link in both bios (3.0) = 5.5 >= 4, two
    # weak kinds: one cluster; the 8,000-byte bio is held by one account and ties nothing
    [only] = library.execute(graph, "shared-operators").rows
    assert only["accounts"] == ["x:wire_a_example", "x:wire_b_example"]
    assert only["evidence"] == [f"same bio:{WIRE}", "url:https://t.me/example_wire"]
    assert only["weights"] == [2.5, 3.0]


def test_the_query_reads_bios_from_the_index(graph):
    query = library.get("shared-operators")
    with graph.session(read=False) as session:
        plan = session.run("EXPLAIN " + query.cypher, query.bind({})).consume().plan
    found, stack = [], [plan]
    while stack:
        op = stack.pop()
        found.append(f"{op['operatorType']} {op.get('args', {}).get('Details', '')}")
        stack.extend(op.get("children", []))
    assert any("IndexScan" in op and "Account(bio)" in op for op in found), found
    assert not any("NodeByLabelScan" in op and ":Account" in op for op in found), found
