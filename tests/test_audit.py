"""The audit trail: hash-chained entries, verify naming the broken entry, the analyst, the CLI.

Every test writes its own log (GRAPHKIT_AUDIT_LOG in tmp_path). Hashes are recomputed here by
hand from the stored text, as an outside checker would: SHA-256 of the entry's JSON with sorted
keys and no spaces, without its ``hash``; ``prev`` is the hash of the entry before (64 zeros first).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import threading

import pytest

from graphkit import audit
from graphkit.audit import trail


@pytest.fixture(autouse=True)
def log(tmp_path, monkeypatch):
    path = tmp_path / "case" / "audit.jsonl"
    monkeypatch.setenv("GRAPHKIT_AUDIT_LOG", str(path))
    monkeypatch.delenv("GRAPHKIT_ANALYST", raising=False)
    audit.set_analyst(None)
    yield path
    audit.set_analyst(None)


def by_hand(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode("utf-8")).hexdigest()


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def four(log):
    for i, note in enumerate(["first", "second", "third", "fourth"], 1):
        audit.record("mirror.confirm", f"x:a{i} MIRROR_OF x:b{i}", note=note, before={"status": None},
                     after={"status": "confirmed"}, who="alice")
    return log.read_text(encoding="utf-8").splitlines(keepends=True)


def test_two_entries_chain_by_hand_and_the_file_is_private(log):
    one = audit.record("load", "R-1", before=None, after={"read": 3}, who="alice")
    two = audit.record("mirror.reject", "x:a MIRROR_OF x:b", note="two people (بشر)", before={"status": "confirmed"},
                       after={"status": "rejected"}, who="bob")
    stored = lines(log)
    assert stored == [one, two]
    assert [e["seq"] for e in stored] == [1, 2]
    assert stored[0]["prev"] == "0" * 64
    assert stored[0]["hash"] == by_hand(stored[0])
    assert stored[1]["prev"] == stored[0]["hash"] and stored[1]["hash"] == by_hand(stored[1])
    assert (stored[1]["analyst"], stored[1]["note"], stored[1]["before"]) == ("bob", "two people (بشر)",
                                                                             {"status": "confirmed"})
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(log.parent).st_mode) == 0o700
    head = json.loads((log.parent / "audit.jsonl.head").read_text())
    assert head == {"seq": 2, "hash": stored[1]["hash"]}
    result = audit.verify()
    assert (result.entries, result.last_hash) == (2, stored[1]["hash"])


@pytest.mark.parametrize("damage, message", [
    # the note of entry 2 changed: its own hash no longer matches
    (lambda ls: [ls[0], ls[1].replace('"second"', '"2nd"'), ls[2], ls[3]],
     "entry 2 (line 2) was edited"),
    # entry 3 taken out
    (lambda ls: [ls[0], ls[1], ls[3]], "entry 4 (line 3) follows entry 2: entry 3 was removed or moved"),
    # entries 2 and 3 swapped
    (lambda ls: [ls[0], ls[2], ls[1], ls[3]], "entry 3 (line 2) follows entry 1: entry 2 was removed or moved"),
    # the newest entry taken out: only the head file shows it
    (lambda ls: ls[:3], "the log ends at entry 3 but 4 were written: entry 4 was removed"),
    # entry 1 moved after entry 2
    (lambda ls: [ls[1], ls[0], ls[2], ls[3]], "entry 2 (line 1) follows entry 0: entry 1 was removed or moved"),
])
def test_verify_names_the_entry_edited_removed_or_reordered(log, damage, message):
    original = four(log)
    assert audit.verify().entries == 4
    log.write_text("".join(damage(original)), encoding="utf-8")
    with pytest.raises(audit.AuditError) as info:
        audit.verify()
    assert message in info.value.message
    assert info.value.hint


def test_a_forged_entry_with_a_fresh_hash_breaks_the_link_to_the_next(log):
    original = four(log)
    forged = json.loads(original[1])
    forged["note"] = "nothing to see"
    forged["hash"] = by_hand(forged)  # the forger recomputes entry 2's own hash
    log.write_text(original[0] + json.dumps(forged, sort_keys=True, separators=(",", ":")) + "\n"
                   + original[2] + original[3], encoding="utf-8")
    with pytest.raises(audit.AuditError) as info:
        audit.verify()
    assert "entry 3 (line 3) does not chain to entry 2" in info.value.message


def test_the_analyst_is_the_option_else_the_variable_else_the_os_user(monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "osuser")
    assert audit.analyst() == "osuser"
    monkeypatch.setenv("GRAPHKIT_ANALYST", "from-env")
    assert audit.analyst() == "from-env"
    audit.set_analyst("from-option")
    assert audit.analyst() == "from-option"
    assert audit.record("reset", "graph").get("analyst") == "from-option"


def test_appends_from_many_threads_keep_one_unbroken_chain(log):
    def work(n):
        for i in range(5):
            audit.record("mirror.confirm", f"pair {n}", note=f"thread {n} decision {i}", who=f"t{n}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = lines(log)
    assert [e["seq"] for e in stored] == list(range(1, 61))
    assert sorted(e["note"] for e in stored) == sorted(f"thread {n} decision {i}" for n in range(12) for i in range(5))
    assert audit.verify().entries == 60


def test_since_keeps_entries_at_or_after_the_day(log):
    four(log)
    stored = log.read_text(encoding="utf-8").splitlines()
    old = [json.loads(line) for line in stored[:2]]
    for entry in old:  # the first two were written long ago (rewritten with consistent hashes)
        entry["at"] = "2025-07-01T10:00:00+00:00"
    old[0]["hash"] = by_hand(old[0])
    old[1]["prev"] = old[0]["hash"]
    old[1]["hash"] = by_hand(old[1])
    new3 = json.loads(stored[2])
    assert [e["seq"] for e in audit.entries(since="2025-07-02")] == [1, 2, 3, 4]
    log.write_text("".join(json.dumps(e) + "\n" for e in old) + stored[2] + "\n" + stored[3] + "\n")
    assert [e["seq"] for e in audit.entries(since="2025-07-02")] == [3, 4]
    assert [e["seq"] for e in audit.entries(since="2025-07-01")] == [1, 2, 3, 4]
    assert new3["seq"] == 3
    with pytest.raises(audit.AuditError) as info:
        audit.entries(since="last week")
    assert "'last week' is not a date" in info.value.message


def test_cli_log_and_verify(cli, log):
    ok = cli("--analyst", "dana", "audit", "log", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == []
    audit.record("load", "R-9", note="weekly", who="dana")
    audit.record("mirror.confirm", "x:a MIRROR_OF x:b", note="same avatar", who="erin")
    table = cli("audit", "log")
    assert table.returncode == 0, table.stderr
    assert "R-9" in table.stdout and "erin" in table.stdout and "(2 rows)" in table.stdout
    rows = json.loads(cli("audit", "log", "--format", "json").stdout)
    assert [(r["seq"], r["analyst"], r["action"], r["note"]) for r in rows] == [
        (1, "dana", "load", "weekly"), (2, "erin", "mirror.confirm", "same avatar")]
    csv = cli("audit", "log", "--format", "csv")
    assert csv.stdout.splitlines()[0] == "seq,at,analyst,action,target,note,before,after,details"
    good = cli("audit", "verify")
    assert good.returncode == 0 and "intact: 2 entries" in good.stdout
    text = log.read_text(encoding="utf-8").replace("same avatar", "different avatar")
    log.write_text(text, encoding="utf-8")
    bad = cli("audit", "verify")
    assert bad.returncode == 1
    assert "entry 2 (line 2) was edited" in bad.stderr and "Traceback" not in bad.stderr


def test_the_log_lives_with_the_managed_server_home(monkeypatch):
    monkeypatch.delenv("GRAPHKIT_AUDIT_LOG")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert trail.log_path() == trail.server_home() / "audit.jsonl"
