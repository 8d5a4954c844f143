"""bench/mirror_eval.py: the labelled mirror generator is deterministic, its labels are consistent
with the evasion it claims to model, decoys never appear as labels, and the scorer's arithmetic is
right on a hand-made example."""
from __future__ import annotations

import csv
import importlib.util
from collections import Counter

import pytest

from helpers import ROOT
spec = importlib.util.spec_from_file_location("mirror_eval", ROOT / "bench" / "mirror_eval.py")
mirror_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mirror_eval)


@pytest.fixture(scope="module", params=["a", "b"])
def data(request):
    return mirror_eval.generate(7, 1500, request.param)


def test_same_seed_same_data_other_variant_differs():
    t1, l1 = mirror_eval.generate(1, 600, "a")
    t2, l2 = mirror_eval.generate(1, 600, "a")
    t3, l3 = mirror_eval.generate(1, 600, "b")
    assert t1["accounts"] == t2["accounts"] and l1 == l2
    assert l1 != l3


def test_labels_follow_removal_and_decoys_are_never_labels(data):
    tables, labels = data
    assert len(tables["accounts"]) >= 1500 and labels
    by_key = {mirror_eval.account_key(a["platform"], mirror_eval.handle_norm(a["handle"])): a for a in tables["accounts"]}
    kinds = tables["_kinds"]
    for succ, pred in labels:
        s, p = by_key[succ], by_key[pred]
        assert p["status"] == "removed" and p["removed_at"]
        # created hours to a month after the takedown (ISO strings in UTC compare as times)
        assert p["removed_at"] < s["created_at"]
        assert kinds[succ] == kinds[pred] == "chain"
        assert s["group_id"] == p["group_id"]
    decoys = {k for k, kind in kinds.items() if kind.startswith("decoy")}
    assert decoys and not any(s in decoys or p in decoys for s, p in labels)
    assert {"decoy:monitor", "decoy:sibling", "decoy:common", "decoy:generic_bio"} <= set(kinds.values())
    # every successor has exactly one predecessor (chains, not trees merging)
    assert max(Counter(s for s, _ in labels).values()) == 1


def test_held_out_variant_has_more_cross_platform_returns():
    share = {}
    for variant in ("a", "b"):
        tables, _ = mirror_eval.generate(3, 4000, variant)
        kinds = Counter(kind for _, _, kind in tables["_labels"])
        share[variant] = kinds["cross"] / (kinds["cross"] + kinds["same"])
    assert share["a"] < 0.25 < share["b"]


def test_siblings_were_created_before_the_removal_they_resemble():
    tables, _ = mirror_eval.generate(5, 3000, "b")
    rows = {mirror_eval.account_key(a["platform"], mirror_eval.handle_norm(a["handle"])): a for a in tables["accounts"]}
    siblings = [k for k, kind in tables["_kinds"].items() if kind == "decoy:sibling"]
    assert siblings and set(siblings) == set(tables["_decoy_of"])
    for sib, target in tables["_decoy_of"].items():
        assert rows[target]["created_at"] <= rows[sib]["created_at"] < rows[target]["removed_at"]


def test_score_by_hand():
    labels = {("x:b", "x:a"), ("x:c", "x:b")}
    predicted = {("x:b", "x:a"), ("x:c", "x:a"), ("x:q", "x:p")}
    # 1 of 3 predictions right, 1 of 2 links found: P 1/3, R 1/2, F1 = 2*(1/6)/(5/6) = 0.4
    assert mirror_eval.score(predicted, labels) == pytest.approx((1 / 3, 0.5, 0.4))
    # forgiving the chain skip c->a: P 1/2, R 1/2, F1 1/2
    assert mirror_eval.score(predicted, labels, forgive_skips=True) == pytest.approx((0.5, 0.5, 0.5))
    assert mirror_eval.score(set(), labels) == (1.0, 0.0, 0.0)


def test_by_threshold_reads_platform_handle_output():
    candidates = [{"successor": "x:Foo2", "predecessor": "x:@foo", "score": 0.9},
                  {"successor": "x:bar", "predecessor": "x:baz", "score": 0.55}]
    rows = mirror_eval.by_threshold(candidates, {("x:foo2", "x:foo")}, thresholds=(0.5, 0.8))
    assert rows == [(0.5, 2, 0.5, 1.0, pytest.approx(2 / 3)), (0.8, 1, 1.0, 1.0, 1.0)]


def test_write_bundle_files(tmp_path):
    labels = mirror_eval.write_bundle(tmp_path, 2, 500, "a")
    with open(tmp_path / "labels.csv", encoding="utf-8") as fh:
        assert {(r["successor"], r["predecessor"]) for r in csv.DictReader(fh)} == labels
    with open(tmp_path / "accounts.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert {"platform", "handle", "created_at", "removed_at", "status", "display_name", "bio"} <= set(header)
    assert (tmp_path / "identifiers.csv").is_file() and (tmp_path / "report.json").is_file()


def test_stress_variant_rebrands_keep_avatar_and_link_only():
    tables, labels = mirror_eval.generate(4, 2000, "c")
    rebrands = [(s, p) for s, p, kind in tables["_labels"] if kind.startswith("rebrand")]
    assert rebrands and set(rebrands) <= labels
    ids = {}
    for row in tables["identifiers"]:
        key = mirror_eval.account_key(row["platform"], mirror_eval.handle_norm(row["account"]))
        ids.setdefault(key, set()).add((row["kind"], row["value"]))
    pred = dict(labels)
    for s, p in rebrands:
        # a new name: the avatar and channel link of the identity (its chain's first account) stay
        root = p
        while root in pred:
            root = pred[root]
        shared = {kind for kind, _ in ids[s] & ids[root]}
        assert "image_hash" in shared and "url" in shared, (s, root)
