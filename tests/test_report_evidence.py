"""Source evidence: each Report keeps every source file's SHA-256 and size, who loaded it and the
rows read; a changed file under a loaded report id is refused, or kept as a new version; every
load is in the audit trail. Checksums are computed here with hashlib from the bytes written."""
from __future__ import annotations

import hashlib
import json

import pytest

from graphkit import audit
from graphkit.errors import LoadError
from graphkit.ingest import load
from loadutil import dump, write_bundle

MANIFEST = '{"id": "R-EVID-1", "source": "Field unit (fictional)", "title": "Evidence test", "date": "2025-07-20"}'
ACCOUNTS = ("platform,handle,display_name,group_id\n"
            "x,Evidence_One_Example,Evidence One (example),TTP\n"
            "x,Evidence_Two_Example,Evidence Two (example),TTP\n")
GROUPS = "group_id,name\nTTP,Tehrik-e-Taliban Pakistan\n"


@pytest.fixture(autouse=True)
def log(tmp_path, monkeypatch):
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv("GRAPHKIT_AUDIT_LOG", str(path))
    monkeypatch.setenv("GRAPHKIT_ANALYST", "gita")
    return path


def bundle(tmp_path, accounts=ACCOUNTS, name="b"):
    return write_bundle(tmp_path / name, {"report.json": MANIFEST, "accounts.csv": accounts, "groups.csv": GROUPS})


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report(graph, rid):
    (row,) = graph.read("MATCH (r:Report {rid: $rid}) RETURN properties(r) AS p", {"rid": rid})
    return row["p"]


def test_a_report_keeps_each_file_checksum_size_rows_and_who(graph, tmp_path):
    folder = bundle(tmp_path)
    (folder / "accounts.csv.rejects.csv").write_text("not a source file")  # never counted as one
    load(graph, [folder])
    r = report(graph, "R-EVID-1")
    assert r["files"] == ["accounts.csv", "groups.csv", "report.json"]
    assert r["file_sha256"] == [sha(ACCOUNTS), sha(GROUPS), sha(MANIFEST)]
    assert r["file_bytes"] == [len(ACCOUNTS), len(GROUPS), len(MANIFEST)]  # ASCII: bytes = characters
    assert (r["loaded_by"], r["rows"], r["rejected"]) == ("gita", 3, 0)  # 2 accounts + 1 group

    (entry,) = audit.entries()
    assert (entry["action"], entry["target"], entry["analyst"], entry["before"]) == ("load", "R-EVID-1", "gita", None)
    assert entry["details"]["files"][0] == {"name": "accounts.csv", "sha256": sha(ACCOUNTS), "bytes": len(ACCOUNTS)}
    assert (entry["after"]["read"], entry["after"]["created"], entry["after"]["rejected"]) == (3, 3, 0)

    # the same files again: accepted, nothing changes, still by the first loader
    before = dump(graph)
    load(graph, [folder], rejects=tmp_path / "r.csv")
    assert dump(graph) == before
    assert [e["before"]["loaded_by"] for e in audit.entries()[1:]] == ["gita"]


def test_a_changed_file_under_the_same_report_id_is_refused_or_a_new_version(graph, tmp_path, cli, log):
    load(graph, [bundle(tmp_path)])
    before = dump(graph)
    changed = ACCOUNTS.replace("Evidence Two (example)", "Evidence Two renamed (example)")
    folder = bundle(tmp_path, changed, name="b2")
    with pytest.raises(LoadError) as info:
        load(graph, [folder])
    assert info.value.message.startswith("report R-EVID-1 was already loaded from different files "
                                         "(accounts.csv changed)")
    assert "--new-version" in info.value.hint
    assert dump(graph) == before  # refused before anything was written
    twins = [write_bundle(tmp_path / f"t{n}", {"accounts.csv": text}) for n, text in enumerate([ACCOUNTS, changed])]
    with pytest.raises(LoadError, match="t0 and t1 are both report R-TWIN but hold different files"):
        load(graph, twins, report_id="R-TWIN")
    assert dump(graph) == before
    assert [e["action"] for e in audit.entries()] == ["load"]

    result = cli("load", str(folder))
    assert result.returncode == 1 and "was already loaded from different files" in result.stderr
    assert "Traceback" not in result.stderr

    ok = cli("--analyst", "hamid", "load", str(folder), "--new-version")
    assert ok.returncode == 0, ok.stderr
    assert "Note: b2: loaded as report R-EVID-1-v2, a new version of R-EVID-1" in ok.stderr
    v2 = report(graph, "R-EVID-1-v2")
    assert (v2["version_of"], v2["loaded_by"], v2["file_sha256"][0]) == ("R-EVID-1", "hamid", sha(changed))
    assert report(graph, "R-EVID-1")["file_sha256"][0] == sha(ACCOUNTS)  # the first version as it was
    entry = audit.entries()[-1]
    assert (entry["target"], entry["analyst"], entry["details"]["version_of"]) == ("R-EVID-1-v2", "hamid", "R-EVID-1")
    # the same changed files once more: they are version 2 already, nothing new
    again = cli("load", str(folder), "--new-version")
    assert again.returncode == 0, again.stderr
    assert "a new version of" not in again.stderr
    assert graph.read("MATCH (r:Report) RETURN collect(r.rid) AS rids")[0]["rids"].__len__() == 2

    listed = cli("reports", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["rid"]: r for r in json.loads(listed.stdout)}
    assert set(rows) == {"R-EVID-1", "R-EVID-1-v2"}
    first = rows["R-EVID-1"]
    assert (first["source"], first["date"], first["files"], first["rows"], first["loaded_by"]) == (
        "Field unit (fictional)", "2025-07-20", ["accounts.csv", "groups.csv", "report.json"], 3, "gita")
    assert first["sha256"] == [sha(ACCOUNTS), sha(GROUPS), sha(MANIFEST)] and first["loaded_at"]
    assert rows["R-EVID-1-v2"]["version_of"] == "R-EVID-1"
    table = cli("reports")
    assert table.returncode == 0 and "R-EVID-1-v2" in table.stdout
