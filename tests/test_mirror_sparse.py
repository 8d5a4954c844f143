"""bench/mirror_sparse.py: the sparse, export-like labelled mirror set has only an export's columns,
its labels are consistent with what the posts show (successor starts after predecessor stops),
decoys are never labels, the renaming rules do what the docstring says, and it is deterministic.
No Neo4j needed."""
from __future__ import annotations

import csv
import importlib.util
import sys
from collections import defaultdict

import pytest

from helpers import ROOT
sys.path.insert(0, str(ROOT / "bench"))
spec = importlib.util.spec_from_file_location("mirror_sparse", ROOT / "bench" / "mirror_sparse.py")
mirror_sparse = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mirror_sparse)
from mirror_sparse_gen import SparseGen  # noqa: E402

from graphkit.ingest.values import account_key, handle as handle_norm  # noqa: E402


def _read(folder, name):
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module", params=["s1", "s2"])
def bundle(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"sparse-{request.param}")
    mirror_sparse.write_bundle(folder, 5, 600, request.param)
    return folder


def _key(handle):
    return account_key("x", handle_norm(handle))


def test_only_an_exports_columns(bundle):
    with open(bundle / "accounts.csv", encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    assert header == ["platform", "handle", "display_name", "bio", "location", "followers"]
    for absent in ("status", "removed_at", "created_at", "avatar", "platform_id"):
        assert absent not in header
    assert not (bundle / "identifiers.csv").exists() and not (bundle / "mirrors.csv").exists()
    accounts = _read(bundle, "accounts")
    assert len(accounts) >= 600
    assert sum(1 for a in accounts if not a["bio"]) > len(accounts) // 5   # bios often empty
    assert all(mirror_sparse_handle_ok(a["handle"]) for a in accounts)


def mirror_sparse_handle_ok(h):
    return 1 <= len(h) <= 15 and all(c.isascii() and (c.isalnum() or c == "_") for c in h)


def test_labels_agree_with_the_posts_and_decoys_are_not_labels(bundle):
    accounts = {_key(a["handle"]) for a in _read(bundle, "accounts")}
    times, mentioned = defaultdict(list), set()
    for s in _read(bundle, "sightings"):
        times[_key(s["account"])].append(s["observed_at"])
        mentioned.update(_key(h) for h in s["mentions"].split(";") if h)
    assert set(times) == accounts                      # activity only through posts, every account posts
    labels = _read(bundle, "labels")
    assert labels and any(r["kind"] == "posting" for r in labels)
    for row in labels:
        succ, pred = row["successor"], row["predecessor"]
        for key in (succ, pred):
            assert key in accounts or (row["kind"] == "mention" and key in mentioned)
        if row["kind"] == "posting":
            # ISO times in UTC compare as strings: the successor's first post after the predecessor's last
            assert min(times[succ]) > max(times[pred]), row
    decoys = {d["key"] for d in _read(bundle, "decoys")}
    assert decoys and decoys <= accounts
    assert not decoys & {k for r in labels for k in (r["successor"], r["predecessor"])}
    # the scorer reads the labels the way mirror_eval's does
    assert mirror_sparse.read_labels(bundle / "labels.csv") == {(r["successor"], r["predecessor"]) for r in labels}


def test_same_seed_same_files_other_variant_differs(tmp_path):
    for name in ("a", "b"):
        mirror_sparse.write_bundle(tmp_path / name, 3, 300, "s1")
    mirror_sparse.write_bundle(tmp_path / "c", 3, 300, "s2")
    for table in ("accounts", "sightings", "labels", "decoys"):
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == (tmp_path / "b" / f"{table}.csv").read_bytes()
    assert (tmp_path / "a" / "labels.csv").read_bytes() != (tmp_path / "c" / "labels.csv").read_bytes()


def test_renaming_rules_by_hand():
    g = SparseGen(0, 10, "s1")
    for _ in range(20):   # the counter is bumped (by 1, sometimes up to 5) with its zero padding kept
        new = g.change("abutariq040", "counter")
        assert new[:9] == "abutariq0" and len(new) == 11 and 41 <= int(new[8:]) <= 45
    for _ in range(10):   # one letter look-alike: l -> I or i -> 1
        assert g.change("klakishinki", "lookalike") in ("kIakishinki", "klak1shinki", "klakish1nki", "klakishink1")
    series = {"series": "x", "style": "media", "tokens": []}
    assert g.display_return("٩ Echo of Fajr", series) in ("١٠ Echo of Fajr", "١٠Echo of Fajr")
    assert g.display_return("Echo of Fajr ۴۵", series) == "Echo of Fajr ۴۶"
    assert g.display_return("Echo of Fajr 12", series) == "Echo of Fajr 13"
    assert g.translit("Abu Hamza") in ("Abou Hamza", "Abo Hamza", "Abu Hamzah", "Abu Hamzeh")
