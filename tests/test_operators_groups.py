"""graphkit.operators.clustering: group-level evidence (issue 18, recall under noise). No database.

A lone account is weighed against a whole cluster: every tie it shares with any member counts,
weak ties count their holders as the groups they sit in, and a weak tie backed by a tie of another
kind keeps its kind's hand weight. One weak kind alone still never attaches anything. Every weight
is worked out by hand from evidence.KIND_WEIGHTS (phone, e-mail 6.0; url 3.0; ip, same bio 2.5)
and the holder penalty 0.5 * log2(holders - 1)."""
from __future__ import annotations

import pytest

from graphkit.operators.clustering import cluster


def edge(tie, member, kind="account"):
    return {"tie": tie, "key": member.lower(), "kind": kind, "member": member}


def members(rows):
    return [r["accounts"] + r["channels"] for r in rows]


def pair(prefix, names=("x:A", "x:B")):
    # a cluster: a phone and an e-mail on each (6 + 6 = 12 bits a pair for two holders)
    return [edge(f"{kind}:{prefix}", m) for m in names for kind in ("phone", "email")]


def test_a_lone_account_is_weighed_against_the_whole_cluster():
    # D shares an IP with A (2.5 bits) and a bio link with B (3.0): no pair reaches 4 bits, but
    # against the cluster {A, B} it is 5.5 bits of two kinds: D joins (before: A and B only)
    rows = pair("P1") + [edge("ip:198.51.100.7", "x:A"), edge("ip:198.51.100.7", "x:D"),
                         edge("url:https://t.me/example_cell", "x:B"), edge("url:https://t.me/example_cell", "x:D")]
    [only] = cluster(rows)
    assert only["accounts"] == ["x:A", "x:B", "x:D"]
    # confidence of the weakest member, D at 5.5 bits: 1 / (1 + 2^-2.5) = 0.85
    assert only["confidence"] == pytest.approx(0.85, abs=0.001)


def test_one_weak_kind_never_attaches_even_across_a_cluster():
    # D shares one IP with A and another with B: 2.5 + 2.5 = 5 bits, but one weak kind
    rows = pair("P1") + [edge("ip:198.51.100.7", "x:A"), edge("ip:198.51.100.7", "x:D"),
                         edge("ip:198.51.100.8", "x:B"), edge("ip:198.51.100.8", "x:D")]
    assert members(cluster(rows)) == [["x:A", "x:B"]]
    # and an IP that A, B and D all hold (counted as 2 groups: 2.5 bits) is still one weak tie
    rows = pair("P1") + [edge("ip:198.51.100.9", m) for m in ("x:A", "x:B", "x:D")]
    assert members(cluster(rows)) == [["x:A", "x:B"]]


def test_weak_values_count_the_groups_that_hold_them():
    # A, B, C are one cluster (phone and e-mail on all three: 5.5 + 5.5 bits a pair). D holds
    # their IP and their bio: held by 4, each weighs 2.5 - 0.5 * log2(3) = 1.71 (3.42 < 4 in
    # pairs), but their holders are two groups, the cluster and D: 2.5 + 2.5 = 5.0 bits: D joins
    three = ("x:A", "x:B", "x:C")
    rows = pair("P1", three) + [edge(tie, m) for m in three + ("x:D",)
                                for tie in ("ip:198.51.100.7", "same bio:Voice of the example front")]
    [only] = cluster(rows)
    assert only["accounts"] == ["x:A", "x:B", "x:C", "x:D"]
    assert only["weights"] == [5.5, 1.71, 5.5, 1.71]   # email, ip, phone, same bio (as held by 4)
    # D at 2 * (1.71 + 0.5 * log2(3)) = 5.005 bits (the stored 1.71 is rounded): 1 / (1 + 2^-2.005)
    assert only["confidence"] == pytest.approx(0.801, abs=0.001)
    # the same IP and bio spread over strangers (X, Y, Z each their own): 5 holders in 5 groups,
    # 2.5 - 0.5 * log2(4) = 1.5 each, 3.0 < 4 bits: D stays out
    spread = pair("P1", three)
    for tie, holders in (("ip:198.51.100.7", ("x:A", "x:X", "x:Y", "x:Z", "x:D")),
                         ("same bio:Voice of the example front", ("x:B", "x:X", "x:Y", "x:Z", "x:D"))):
        spread += [edge(tie, m) for m in holders]
    assert members(cluster(spread)) == [["x:A", "x:B", "x:C"]]


def test_a_weak_tie_backed_by_another_kind_keeps_its_hand_weight():
    # 20 addresses each shared by two strangers and nothing else: the graph learns that IPs stand
    # alone (corroborated share 0 -> clamped to -1.5 bits): an IP shared by two weighs 1.0
    noise = [edge(f"ip:203.0.113.{i}", f"x:S{i}{s}") for i in range(1, 21) for s in ("a", "b")]
    # D shares an IP with A (1.0 learned) and a link with B and a stranger Z (3 holders, 3
    # groups: 3.0 - 0.5 = 2.5). Backed by a tie of another kind, the IP keeps its 2.5 bits:
    # 2.5 + 2.5 = 5.0 >= 4: D joins (with the learned 1.0 it would be 3.5: alone)
    rows = noise + pair("P1") + [edge("ip:198.51.100.7", "x:A"), edge("ip:198.51.100.7", "x:D"),
                                 edge("url:https://t.me/example_cell", "x:B"), edge("url:https://t.me/example_cell", "x:D"),
                                 edge("url:https://t.me/example_cell", "x:Z")]
    [only] = cluster(rows)
    assert only["accounts"] == ["x:A", "x:B", "x:D"]
    assert only["confidence"] == pytest.approx(0.8, abs=0.001)  # D at 5.0 bits
    # without the link, the learned IP alone (1.0 bits) attaches nothing; the strangers stay apart
    assert members(cluster(rows[:-3])) == [["x:A", "x:B"]]


def test_two_groups_are_not_joined_by_weak_values_that_link_no_pair():
    # {A1, A2} and {B1, B2} (phone and e-mail each). Across them: an IP on A1 and B1 (2.5), a link
    # on A2 and B2 (3.0), a bio on A1 and B2 (2.5): 8 bits of three ties, but no pair of members
    # reaches 4 bits, so no link crosses: two groups are joined only on the ties of their links
    # (counting every tie across two big groups adds up unrelated values: variant o4's lesson)
    rows = (pair("PA", ("x:A1", "x:A2")) + pair("PB", ("x:B1", "x:B2"))
            + [edge("ip:198.51.100.7", m) for m in ("x:A1", "x:B1")]
            + [edge("url:https://t.me/example_cell", m) for m in ("x:A2", "x:B2")]
            + [edge("same bio:Voice of the example front", m) for m in ("x:A1", "x:B2")])
    assert members(cluster(rows)) == [["x:A1", "x:A2"], ["x:B1", "x:B2"]]
    # a lone account with the same three ties to one group does join it (5.5 bits of two kinds)
    lone = pair("PA", ("x:A1", "x:A2")) + [edge("ip:198.51.100.7", m) for m in ("x:A1", "x:D")] + [
        edge("url:https://t.me/example_cell", m) for m in ("x:A2", "x:D")]
    assert members(cluster(lone)) == [["x:A1", "x:A2", "x:D"]]


def test_corroborated_links_shape_the_groups_before_single_ties():
    # Y1-Y2: phone and e-mail (12 bits, two ties); X1-X2: an IP and a bio link (5.5 bits, two
    # ties); X1-Y1: one phone (6.0 bits, one tie: a recycled number). Taken by weight alone the
    # phone comes first and attaches X1 to {Y1, Y2}, then X2 follows X1: one cluster of two
    # operators. Corroborated links first: {Y1, Y2} and {X1, X2} form, the phone is a bridge of one
    # tie between two groups and is refused
    rows = (pair("PY", ("x:Y1", "x:Y2"))
            + [edge("ip:198.51.100.7", m) for m in ("x:X1", "x:X2")]
            + [edge("url:https://t.me/example_cell", m) for m in ("x:X1", "x:X2")]
            + [edge("phone:+447700900099", m) for m in ("x:X1", "x:Y1")])
    result = cluster(rows)
    assert members(result) == [["x:X1", "x:X2"], ["x:Y1", "x:Y2"]]
    assert result[0]["refused"] == ["phone:+447700900099 (6) -> x:Y1"]
    assert result[1]["refused"] == ["phone:+447700900099 (6) -> x:X1"]
