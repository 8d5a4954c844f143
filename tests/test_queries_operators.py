"""graphkit.operators: union-find and the clustering of tie/member edge lists (no database).

Edge lists are written by hand; each expected cluster is worked out in the comment beside it."""
from __future__ import annotations

from graphkit.operators.clustering import UnionFind, cluster


def core(rows):
    """The columns these tests were written for; the weighted clustering added weights,
    confidence, refused and review (tested in test_operators_evidence.py)."""
    return [{k: r[k] for k in ("cluster", "size", "accounts", "channels", "evidence")} for r in rows]


def edge(tie, member, kind="account"):
    return {"tie": tie, "key": member.lower(), "kind": kind, "member": member}


def test_union_find_components():
    uf = UnionFind()
    for a, b in [("a", "b"), ("c", "d"), ("b", "c"), ("e", "f")]:
        uf.union(a, b)
    uf.add("g")
    groups = sorted(sorted(m) for m in uf.groups().values())
    assert groups == [["a", "b", "c", "d"], ["e", "f"], ["g"]]
    assert uf.find("a") == uf.find("d") != uf.find("e")


def test_a_long_chain_is_one_component():
    uf = UnionFind()
    for i in range(5000):  # no recursion: path halving keeps this iterative
        uf.union(f"n{i}", f"n{i + 1}")
    assert len(uf.groups()) == 1 and uf.size[uf.find("n0")] == 5001


def test_transitive_ties_make_one_cluster_and_singletons_none():
    # A-B share a phone, B-C share an e-mail: {A, B, C}; D's own e-mail ties nothing
    rows = [edge("phone:1", "x:A"), edge("phone:1", "x:B"), edge("email:b", "x:B"), edge("email:b", "x:C"),
            edge("email:d", "x:D")]
    assert core(cluster(rows)) == [{"cluster": 1, "size": 3, "accounts": ["x:A", "x:B", "x:C"], "channels": [],
                              "evidence": ["email:b", "phone:1"]}]


def test_min_evidence_counts_ties_per_pair():
    # A-B share two ties (phone, device), B-C one (e-mail): min_evidence 2 keeps only {A, B}
    rows = [edge("phone:1", "x:A"), edge("phone:1", "x:B"), edge("device:9", "x:A"), edge("device:9", "x:B"),
            edge("email:b", "x:B"), edge("email:b", "x:C")]
    assert core(cluster(rows, min_evidence=2)) == [
        {"cluster": 1, "size": 2, "accounts": ["x:A", "x:B"], "channels": [], "evidence": ["device:9", "phone:1"]}]
    assert cluster(rows, min_evidence=3) == []
    assert cluster(rows, min_evidence=1)[0]["size"] == 3


def test_channels_are_members_and_clusters_are_ordered_by_size_then_name():
    # co-admins of a channel: {t:Q, t:R, channel}; a separate pair {x:Y, x:Z} by operator
    rows = [edge("co-admins of telegram:c", "telegram:R"), edge("co-admins of telegram:c", "telegram:Q"),
            edge("co-admins of telegram:c", "telegram:c", "channel"),
            edge("operator:OP", "x:Z"), edge("operator:OP", "x:Y"),
            edge("phone:2", "facebook:M"), edge("phone:2", "facebook:N")]
    result = cluster(rows)
    assert [(r["cluster"], r["size"], r["accounts"], r["channels"]) for r in result] == [
        (1, 3, ["telegram:Q", "telegram:R"], ["telegram:c"]),
        (2, 2, ["facebook:M", "facebook:N"], []),  # "facebook:M" sorts before "x:Y"
        (3, 2, ["x:Y", "x:Z"], []),
    ]


def test_no_edges_no_clusters():
    assert cluster([]) == []


def test_packed_rows_give_the_same_clusters_as_edge_rows():
    # the query sends one row of parallel lists: member i is keys[i] (kinds[i], members[i]) and holds ties[i]
    packed = [{"keys": ["x:a", "x:b", "x:c", "telegram:c"], "kinds": ["account", "account", "account", "channel"],
               "members": ["x:A", "x:B", "x:C", "telegram:c"],
               "ties": [["phone:1"], ["phone:1", "email:b"], ["email:b"], ["co-admins of telegram:c"]]}]
    # A-B (phone), B-C (e-mail): {A, B, C}; the channel's own co-admin tie has one member and links nothing
    assert core(cluster(packed)) == [{"cluster": 1, "size": 3, "accounts": ["x:A", "x:B", "x:C"], "channels": [],
                                "evidence": ["email:b", "phone:1"]}]
    edges = [edge("phone:1", "x:A"), edge("phone:1", "x:B"), edge("email:b", "x:B"), edge("email:b", "x:C"),
             edge("co-admins of telegram:c", "telegram:c", "channel")]
    assert cluster(packed) == cluster(edges)
    assert cluster([{"keys": [], "kinds": [], "members": [], "ties": []}]) == []  # nothing shared: one empty row


def test_a_tie_that_links_pairs_in_two_clusters_is_evidence_in_both():
    # min_evidence 2: A-B share phone:1 and device:9, C-D share phone:1 and email:c; B-C share only
    # phone:1 (one tie), so {A, B} and {C, D} stay apart and phone:1 linked both pairs
    rows = [edge("phone:1", m) for m in ("x:A", "x:B", "x:C", "x:D")]
    rows += [edge("device:9", "x:A"), edge("device:9", "x:B"), edge("email:c", "x:C"), edge("email:c", "x:D")]
    assert core(cluster(rows, min_evidence=2)) == [
        {"cluster": 1, "size": 2, "accounts": ["x:A", "x:B"], "channels": [], "evidence": ["device:9", "phone:1"]},
        {"cluster": 2, "size": 2, "accounts": ["x:C", "x:D"], "channels": [], "evidence": ["email:c", "phone:1"]}]
