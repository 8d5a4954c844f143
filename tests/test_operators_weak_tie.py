"""No shared-operator cluster is held together by a single weak tie (issue 18), checked by
bench/operators_weak_check.py on hand-made clusters and on generated noisy bundles (variants o4
and o5, small); the o4/o5 generators put their noise where truth.json says. No database."""
from __future__ import annotations

import sys

import pytest

from helpers import ROOT
sys.path.insert(0, str(ROOT / "bench"))
import operators_eval as ev  # noqa: E402
from operators_weak_check import single_weak_ties  # noqa: E402

from graphkit.operators.clustering import cluster  # noqa: E402


def edge(tie, member):
    return {"tie": tie, "key": member.lower(), "kind": "account", "member": member}


def test_the_check_finds_a_cluster_held_by_one_weak_tie():
    # a cluster {A, B, C}: A-B share a phone, C hangs on B by one IP: taking the IP away splits it
    rows = [edge("phone:+447700900001", "x:A"), edge("phone:+447700900001", "x:B"),
            edge("ip:198.51.100.7", "x:B"), edge("ip:198.51.100.7", "x:C")]
    made_up = [{"cluster": 1, "accounts": ["x:A", "x:B", "x:C"], "channels": []}]
    assert single_weak_ties(rows, made_up) == [(1, "ip:198.51.100.7")]
    # with a link in both bios as well, C hangs on two ties of two kinds: nothing to report
    both = rows + [edge("url:https://t.me/example_cell", "x:B"), edge("url:https://t.me/example_cell", "x:C")]
    assert single_weak_ties(both, made_up) == []
    # and the clustering itself: the IP alone leaves C out, IP + link take it in
    assert [c["accounts"] for c in cluster(rows)] == [["x:A", "x:B"]]
    assert [c["accounts"] for c in cluster(both)] == [["x:A", "x:B", "x:C"]]


@pytest.mark.parametrize("variant,seed", [("o4", 41), ("o5", 51)])
def test_no_cluster_of_a_noisy_bundle_hangs_on_one_weak_tie(tmp_path, variant, seed):
    folder = tmp_path / variant
    ev.write_bundle(folder, seed=seed, n=40, noise="noisy", variant=variant)
    rows = ev.edge_rows(folder)
    clusters = cluster(rows)
    assert len(clusters) >= 10            # the check has something to look at
    assert single_weak_ties(rows, clusters) == []


def test_o4_and_o5_noise_as_in_truth(tmp_path):
    for variant, seed, avatars in (("o4", 4, 6), ("o5", 5, 5)):
        truth = ev.write_bundle(tmp_path / variant, seed=seed, noise="noisy", variant=variant)
        labels = ev.read_labels(tmp_path / variant / "labels.csv")
        stock = [i for i in truth["noise_detail"] if i["type"] == "stock_avatar"]
        assert len(stock) == avatars and truth["operators_multi"] == 130
        for item in stock:  # a copied picture on 2-5 accounts of as many operators
            assert item["kind"] == "image_hash" and 2 <= len(item["holders"]) <= 5
            assert len({labels[h] for h in item["holders"]}) == len(item["holders"])
    assert (tmp_path / "o4" / "labels.csv").read_bytes() != (tmp_path / "o5" / "labels.csv").read_bytes()
