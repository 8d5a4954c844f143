"""graphkit.operators: weighted evidence and clustering that does not chain (issue 18). No database.

Every weight below is worked out by hand from evidence.KIND_WEIGHTS and the holder penalty
(weight = kind weight - 0.5 * log2(holders - 1)); with fewer than 20 shared values of a kind the
graph does not move a kind's weight, so the hand values hold exactly."""
from __future__ import annotations

import pytest

from graphkit.operators.clustering import cluster
from graphkit.operators.evidence import bio_links, corroboration, tie_weight


def edge(tie, member, kind="account"):
    return {"tie": tie, "key": member.lower(), "kind": kind, "member": member}


def members(rows):
    return [r["accounts"] + r["channels"] for r in rows]


def test_tie_weights_by_kind_and_holders():
    assert tie_weight("phone", 2) == 6.0          # strong kind shared by two
    assert tie_weight("phone", 5) == 5.0          # 6 - 0.5 * log2(4)
    assert tie_weight("ip", 2) == 2.5             # weak kind
    assert tie_weight("url", 3) == 2.5            # 3 - 0.5 * log2(2)
    assert tie_weight("ip", 2, {"ip": -1.0}) == 1.5  # the graph's adjustment moves the kind


def test_a_weak_ip_alone_does_not_link():
    # ip shared by two: 2.5 bits < min_weight 4
    assert cluster([edge("ip:198.51.100.7", "x:A"), edge("ip:198.51.100.7", "x:B")]) == []


def test_weak_ties_of_one_kind_never_link_however_many():
    # two links both bios carry: 3.0 + 3.0 = 6 bits, but one weak kind (a group's promoted links)
    rows = [edge(f"url:https://t.me/example_{n}", m) for n in (1, 2) for m in ("x:A", "x:B")]
    assert cluster(rows) == []
    # the same 6 bits from two kinds (ip 2.5 + url 3.0 + ...) do link: see the next test
    assert cluster(rows + [edge("ip:198.51.100.7", "x:A"), edge("ip:198.51.100.7", "x:B")])[0]["size"] == 2


def test_an_ip_and_a_bio_link_of_different_kinds_link():
    # ip 2.5 + link in both bios 3.0 = 5.5 bits >= 4: one cluster, the evidence with its weights
    rows = [edge("ip:198.51.100.7", "x:A"), edge("ip:198.51.100.7", "x:B"),
            edge("bio:Join us https://t.me/example_cell.", "x:A"), edge("bio:Official https://t.me/example_cell", "x:B")]
    [only] = cluster(rows)
    assert only["accounts"] == ["x:A", "x:B"] and only["size"] == 2
    assert only["evidence"] == ["ip:198.51.100.7", "url:https://t.me/example_cell"]
    assert only["weights"] == [2.5, 3.0]
    assert only["refused"] == [] and only["review"] == ""
    # confidence of the weakest member: 1 / (1 + 2^-(5.5 - 3)) = 0.85
    assert only["confidence"] == pytest.approx(0.85, abs=0.001)
    # one of the two alone links nothing; a link in one bio only ties nothing either
    assert cluster(rows[2:]) == [] and cluster(rows[:3]) == []


def _dense(prefix, n=3):
    # n accounts sharing a phone and an e-mail (n = 3: 5.5 + 5.5 = 11 bits per pair)
    return [edge(f"{kind}:{prefix}", f"x:{prefix}{i}") for i in range(1, n + 1) for kind in ("phone", "email")]


def test_a_weak_bridge_between_two_dense_groups_is_refused():
    # A3 and B1 share an ip and a link: 2.5 + 3.0 = 5.5 bits, a link, but it would join two groups
    # of three with under strong_weight (6) bits: refused, and reported on both sides
    rows = _dense("A") + _dense("B") + [edge("ip:203.0.113.9", "x:A3"), edge("ip:203.0.113.9", "x:B1"),
                                          edge("url:https://example.org/p", "x:A3"), edge("url:https://example.org/p", "x:B1")]
    result = cluster(rows)
    assert members(result) == [["x:A1", "x:A2", "x:A3"], ["x:B1", "x:B2", "x:B3"]]
    assert result[0]["refused"] == ["ip:203.0.113.9 (2.5) -> x:B1", "url:https://example.org/p (3) -> x:B1"]
    assert result[1]["refused"] == ["ip:203.0.113.9 (2.5) -> x:A3", "url:https://example.org/p (3) -> x:A3"]
    assert "ip:203.0.113.9" not in result[0]["evidence"]
    # plain components would have chained them: a lower strong_weight lets the two ties join them
    assert members(cluster(rows, strong_weight=5.0)) == [["x:A1", "x:A2", "x:A3", "x:B1", "x:B2", "x:B3"]]


def test_a_recycled_phone_does_not_merge_two_operators():
    # operator A: A1-A3 share phone P (4 holders with B1: 6 - 0.5*log2(3) = 5.21) and device D
    # (3 holders: 5.0); operator B: B1-B2 share an e-mail (6.0) and an avatar (5.0). The number was
    # recycled to B1: B1-Ai has 5.21 bits, a link, but one tie cannot join two groups
    rows = [edge("phone:+447700900001", f"x:A{i}") for i in (1, 2, 3)] + [edge("phone:+447700900001", "x:B1")]
    rows += [edge("device:DEV-A", f"x:A{i}") for i in (1, 2, 3)]
    rows += [edge(t, f"x:B{i}") for i in (1, 2) for t in ("email:b@example.org", "image_hash:bbbb")]
    result = cluster(rows)
    assert members(result) == [["x:A1", "x:A2", "x:A3"], ["x:B1", "x:B2"]]
    assert result[0]["refused"] == ["phone:+447700900001 (5.21) -> x:B1"]
    assert result[0]["weights"] == [5.0, 5.21]  # device:DEV-A, phone:+447700900001


def test_a_single_account_attaches_by_one_strong_link():
    # A1-A3 as above; C shares only an avatar with A1 (5.0 >= 4): attached, and the confidence
    # falls to that of its link: 1 / (1 + 2^-(5.0 - 3)) = 0.8
    rows = _dense("A") + [edge("image_hash:cccc", "x:A1"), edge("image_hash:cccc", "x:C")]
    [only] = cluster(rows)
    assert only["accounts"] == ["x:A1", "x:A2", "x:A3", "x:C"]
    assert only["confidence"] == pytest.approx(0.8, abs=0.001)


def test_analyst_decisions_are_respected():
    packed = {"keys": ["x:a", "x:b", "x:c"], "kinds": ["account"] * 3, "members": ["x:A", "x:B", "x:C"],
              "ties": [["phone:1", "email:1"], ["phone:1", "email:1"], []], "decisions": []}
    assert members(cluster([packed])) == [["x:A", "x:B"]]
    # A and B kept apart despite 12 bits; C confirmed with A though they share nothing
    packed["decisions"] = [["x:a", "account", "x:A", "x:b", "account", "x:B", "rejected", "recycled"],
                           ["x:a", "account", "x:A", "x:c", "account", "x:C", "confirmed", "chat logs"]]
    [only] = cluster([packed])
    assert only["accounts"] == ["x:A", "x:C"] and only["confidence"] == 1.0
    assert only["review"] == "confirmed: chat logs; rejected: recycled"


def test_bio_links_and_corroboration():
    assert bio_links("see https://t.me/example_x. and http://example.org/a),") == [
        "url:https://t.me/example_x", "url:http://example.org/a"]
    # 20 ip values each on a pair that nothing else ties: corroboration 0 -> clamped to -1.5;
    # 20 phone values on pairs that an e-mail also ties: 1.0 -> log2(1/0.5) = +1.0
    holders = {f"ip:{i}": [2 * i, 2 * i + 1] for i in range(20)}
    holders.update({f"phone:{i}": [100 + 2 * i, 101 + 2 * i] for i in range(20)})
    holders.update({f"email:{i}": [100 + 2 * i, 101 + 2 * i] for i in range(5)})
    learned = corroboration(holders)
    assert learned["ip"] == -1.5 and learned["phone"] == -1.0  # 5 of 20 phone pairs: log2(0.25/0.5)
    assert "email" not in learned  # 5 values: too few to learn from
    holders.update({f"email:{i}": [100 + 2 * i, 101 + 2 * i] for i in range(20)})
    assert corroboration(holders)["phone"] == 1.0


def test_a_strong_value_on_three_accounts_that_nothing_else_ties_loses_two_bits():
    # a press desk's e-mail on A, B, C (3 holders: 6 - 0.5 * log2(2) = 5.5 bits), no pair of them
    # tied by anything else: 5.5 - 2 = 3.5 < 4 bits, no link, no cluster
    press = [edge("email:press@example.org", m) for m in ("x:A", "x:B", "x:C")]
    assert cluster(press) == []
    # A and B also share a device (2 holders: 5.5 bits): a pair of the e-mail's holders is
    # corroborated, the e-mail keeps 5.5 bits; A-B link (11 bits), C attaches by the e-mail
    [only] = cluster(press + [edge("device:DEV-1", "x:A"), edge("device:DEV-1", "x:B")])
    assert only["accounts"] == ["x:A", "x:B", "x:C"]
    assert only["weights"] == [5.5, 5.5]  # device:DEV-1, email:press@example.org
    # two accounts are not three: an e-mail on A and B alone keeps its 6 bits and links them
    assert cluster(press[:2])[0]["weights"] == [6.0]
    # a channel is not an account: 2 co-admins + the channel hold the tie (3 holders, 4.5 bits,
    # no penalty) and link; 3 co-admins + the channel (4 holders: 5 - 0.5 * log2(3) = 4.21) that
    # nothing else ties lose 2 bits (2.21 < 4): no cluster
    two = [edge("co-admins of telegram:c", m) for m in ("telegram:Q", "telegram:R")] + \
        [edge("co-admins of telegram:c", "telegram:c", "channel")]
    assert cluster(two)[0]["weights"] == [4.5]
    assert cluster(two + [edge("co-admins of telegram:c", "telegram:S")]) == []


def test_an_operator_named_by_a_report_is_not_penalised():
    # a report names OP-1 for A, B, C and nothing else ties them: 8 - 0.5 * log2(2) = 7.5 bits,
    # the analyst's own attribution, kept whole (not 5.5): one cluster of three
    [only] = cluster([edge("operator:OP-1", m) for m in ("x:A", "x:B", "x:C")])
    assert only["accounts"] == ["x:A", "x:B", "x:C"] and only["weights"] == [7.5]
