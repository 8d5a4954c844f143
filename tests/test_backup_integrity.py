"""The content hash (same graph -> same hash, any single change -> another), a logical restore that
checks the backup against the model before writing anything, and the hidden ``.partial`` folders
of interrupted backups (removed on failure and, when a killed run left one, at the next run)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest

from graphkit.db import export
from graphkit.db.backup import BackupError, remove_stale_partials

NODES_A = ("CREATE (:Account {key: 'x:alpha_example', platform: 'x', handle: 'alpha_example', followers: 10, "
           "created_at: date('2025-07-01'), former_handles: ['alpha_old']})")
NODES_B = ("CREATE (:Account {key: 'x:beta_example', platform: 'x', handle: 'beta_example', followers: 20, "
           "first_seen: datetime('2025-07-01T10:00:00+05:00')})")
NODES_G = "CREATE (:Group {gid: 'TTP', name: 'Example group'})"
REL_AFF = ("MATCH (a:Account {key: 'x:alpha_example'}), (g:Group {gid: 'TTP'}) "
           "CREATE (a)-[:AFFILIATED_WITH]->(g)")
REL_MIRROR = ("MATCH (a:Account {key: 'x:alpha_example'}), (b:Account {key: 'x:beta_example'}) "
              "CREATE (a)-[:MIRROR_OF {score: 0.9, status: 'candidate'}]->(b)")
NODES_S = "CREATE (:Sighting {excerpt: 'the same words'})"  # no key: an identical copy can be added
BUILD = [NODES_A, NODES_B, NODES_G, NODES_S, REL_AFF, REL_MIRROR]
# the same content written in another order (other internal ids), with throw-away nodes created
# and deleted first so that no id lines up with the first build's
BUILD_AGAIN = ["UNWIND range(1, 7) AS i CREATE (:Account {key: 'x:gap_' + i})",
               "MATCH (a:Account) WHERE a.key STARTS WITH 'x:gap_' DELETE a",
               NODES_S, NODES_G, NODES_B, NODES_A, REL_MIRROR, REL_AFF]

CHANGES = {
    "an integer value": "MATCH (a:Account {key: 'x:alpha_example'}) SET a.followers = 11",
    "an integer become a float": "MATCH (a:Account {key: 'x:alpha_example'}) SET a.followers = 10.0",
    "a date become text": "MATCH (a:Account {key: 'x:alpha_example'}) SET a.created_at = '2025-07-01'",
    "a date-time's offset": "MATCH (b:Account {key: 'x:beta_example'}) SET b.first_seen = "
                            "datetime('2025-07-01T10:00:00+04:00')",
    "a list item": "MATCH (a:Account {key: 'x:alpha_example'}) SET a.former_handles = ['alpha_old2']",
    "a list become a string": "MATCH (a:Account {key: 'x:alpha_example'}) SET a.former_handles = 'alpha_old'",
    "a property removed": "MATCH (a:Account {key: 'x:beta_example'}) REMOVE a.followers",
    "a property added": "MATCH (g:Group) SET g.country = 'PK'",
    "a label added": "MATCH (g:Group) SET g:Person",
    "a relationship property": "MATCH ()-[r:MIRROR_OF]->() SET r.score = 0.91",
    "a relationship property added": "MATCH ()-[r:AFFILIATED_WITH]->() SET r.reports = ['r1']",
    "a relationship turned round": "MATCH (a)-[r:MIRROR_OF]->(b) CREATE (b)-[:MIRROR_OF {score: 0.9, "
                                   "status: 'candidate'}]->(a) DELETE r",
    "a relationship's end": "MATCH (a)-[r:AFFILIATED_WITH]->(g) MATCH (b:Account {key: 'x:beta_example'}) "
                            "CREATE (b)-[:AFFILIATED_WITH]->(g) DELETE r",
    "a relationship's type": "MATCH (a)-[r:AFFILIATED_WITH]->(g) CREATE (a)-[:POSTS_IN]->(g) DELETE r",
    "a second, identical relationship": REL_AFF,
    "a second, identical node": NODES_S,
}


def _build(graph, statements):
    for statement in statements:
        graph.write(statement)


def test_the_same_graph_built_again_in_another_order_has_the_same_hash(graph):
    _build(graph, BUILD)
    first = export.content_hash(graph)
    ids = {r["k"]: r["id"] for r in graph.read("MATCH (a:Account) RETURN a.key AS k, elementId(a) AS id")}
    graph.write("MATCH (n) DETACH DELETE n")
    assert export.content_hash(graph) != first
    _build(graph, BUILD_AGAIN)
    again = {r["k"]: r["id"] for r in graph.read("MATCH (a:Account) RETURN a.key AS k, elementId(a) AS id")}
    assert again != ids  # other internal ids, same content
    assert export.content_hash(graph) == first == export.content_hash(graph)


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_any_single_change_gives_another_hash(graph, what):
    _build(graph, BUILD)
    before = export.content_hash(graph)
    graph.write(CHANGES[what])
    assert export.content_hash(graph) != before


def test_changes_to_different_nodes_are_not_confused(graph):
    """Swapping a value between two nodes is a change (each node's hash holds its own values)."""
    _build(graph, BUILD)
    before = export.content_hash(graph)
    graph.write("MATCH (a:Account {key: 'x:alpha_example'}), (b:Account {key: 'x:beta_example'}) "
                "SET a.followers = 20, b.followers = 10")
    assert export.content_hash(graph) != before


# --------------------------------------------------------------------------- restore checks the model


def _rewrite(path, edit):
    """Edit the backup's lines with ``edit(lines)`` and write a matching checksum beside it (a
    backup that passes its checksum but holds names the model does not know)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(edit(lines)), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n")


def _entry_line(lines, predicate) -> int:
    return next(i for i, line in enumerate(lines) if i and predicate(json.loads(line)))


def _set_label(lines):
    i = _entry_line(lines, lambda r: "Group" in r.get("labels", []))
    rec = json.loads(lines[i])
    rec["labels"] = ["Ghost"]
    lines[i] = json.dumps(rec) + "\n"
    return lines


def _set_type(lines):
    i = _entry_line(lines, lambda r: r.get("r") == "MIRROR_OF")
    rec = json.loads(lines[i])
    rec["r"] = "FOLLOWS"
    lines[i] = json.dumps(rec) + "\n"
    return lines


def _set_property(lines):
    i = _entry_line(lines, lambda r: r.get("props", {}).get("key") == "x:beta_example")
    rec = json.loads(lines[i])
    rec["props"]["shoe_size"] = 44
    lines[i] = json.dumps(rec) + "\n"
    return lines


def _set_rel_property(lines):
    i = _entry_line(lines, lambda r: r.get("r") == "AFFILIATED_WITH")
    rec = json.loads(lines[i])
    rec["props"]["weight"] = 2
    lines[i] = json.dumps(rec) + "\n"
    return lines


@pytest.mark.parametrize("edit, words", [
    (_set_label, "has the label 'Ghost', which graphkit's model does not know"),
    (_set_type, "has the type 'FOLLOWS', which graphkit's model does not know"),
    (_set_property, "has the property 'shoe_size', which graphkit's model does not declare for it"),
    (_set_rel_property, "has the property 'weight', which graphkit's model does not declare for it"),
])
def test_a_restore_refuses_names_the_model_does_not_know_and_writes_nothing(graph, cli, tmp_path, edit, words):
    _build(graph, BUILD)
    backup = tmp_path / "case.jsonl"
    export.export_graph(graph, backup)
    _rewrite(backup, edit)
    lines = backup.read_text(encoding="utf-8").splitlines()
    changed = next(n for n, line in enumerate(lines, 1) if "Ghost" in line or "FOLLOWS" in line
                   or "shoe_size" in line or "weight" in line)
    graph.write("MATCH (g:Group) SET g.name = 'the graph before the restore'")
    before = export.content_hash(graph)

    refused = cli("restore", str(backup), "--force")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    message = refused.stderr.splitlines()[0]
    assert message.startswith(f"Error: {backup}, line {changed}: ") and words in message, message
    assert "nothing was written" in message
    assert export.content_hash(graph) == before  # not emptied, nothing added
    assert graph.read("MATCH (n:_GraphkitRestore) RETURN count(n) AS c") == [{"c": 0}]


def test_a_backup_of_the_model_restores(graph, tmp_path):
    _build(graph, BUILD + ["MATCH ()-[r:AFFILIATED_WITH]->() SET r.reports = ['r1']"])
    before = export.content_hash(graph)
    backup = tmp_path / "ok.jsonl"
    export.export_graph(graph, backup)
    assert export.check_against_model(backup) == {"nodes": 4, "relationships": 2}
    assert export.import_graph(graph, backup, force=True) == {"nodes": 4, "relationships": 2}
    assert export.content_hash(graph) == before


def test_a_backup_without_its_end_line_is_refused_before_writing(graph, tmp_path):
    _build(graph, BUILD)
    backup = tmp_path / "cut.jsonl"
    export.export_graph(graph, backup)
    _rewrite(backup, lambda lines: lines[:-2])  # the last relationship and the count line gone
    before = export.content_hash(graph)
    with pytest.raises(BackupError, match="ends early"):
        export.import_graph(graph, backup, force=True)
    assert export.content_hash(graph) == before


# --------------------------------------------------------------------------- .partial folders


def _hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_backup_that_fails_midway_leaves_no_partial_folder(graph, tmp_path, monkeypatch):
    _build(graph, BUILD)
    real = export._stream

    def failing(graph_, cypher, **options):
        yield from real(graph_, cypher, **options)
        if cypher == export.RELS:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_stream", failing)
    with pytest.raises(BackupError, match="No space left"):
        export.export_graph(graph, tmp_path / "b.jsonl")
    assert list(tmp_path.iterdir()) == []


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_partial_folder_left_by_a_killed_backup_is_removed_at_the_next_run(graph, tmp_path):
    _build(graph, BUILD)
    dead = tmp_path / f".monday.jsonl.partial-{_dead_pid()}-k2j3"
    legacy = tmp_path / ".older.dump.partial-x81q"  # named before the pid was in the name
    live = tmp_path / f".other.jsonl.partial-{os.getpid()}-a1b2"  # a backup still being written
    for folder in (dead, legacy, live):
        folder.mkdir()
        (folder / "backup.jsonl").write_text("{}\n")
    keep = tmp_path / ".notes"
    keep.mkdir()

    summary = export.export_graph(graph, tmp_path / "tuesday.jsonl")
    assert summary["nodes"] == 4
    assert _hidden(tmp_path) == [".notes", live.name]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "tuesday.jsonl", "tuesday.jsonl.sha256"]
    assert remove_stale_partials(tmp_path) == []  # the live one stays
