"""Scoring hand-made pairs and blocking (graphkit.mirror_signals, graphkit.mirrors), no database.

The accounts are invented. The expected outcomes follow from the weights in the mirror_signals
docstring (log-odds, prior -6.0), worked out per case in the comments.
"""
from __future__ import annotations

import math
import random

import pytest
from datetime import datetime, timedelta, timezone

from graphkit.mirrors import detect as mirrors
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE, score_pair
from graphkit.mirrors.detect import candidate_pairs, detect_accounts, frequencies, view_from_row

T0 = datetime(2025, 3, 1, tzinfo=timezone.utc)


def acc(handle, platform="x", **kw):
    row = {"key": f"{platform}:{handle.lower()}", "platform": platform, "handle": handle}
    row.update(kw)
    return view_from_row(row)


PRED = dict(display_name="Umar Media Example", bio="Official voice of the example movement. Join t.me/+ExAmPle01",
            created_at=(T0 - timedelta(days=200)).isoformat(), removed_at=T0.isoformat(), status="removed",
            groups=["TTP"], identifiers=["image_hash:3fa9c0ffee0000000000000000000001"])


def test_true_mirror_scores_high_with_checkable_evidence():
    pred = acc("umar_media_example", **PRED)
    # same name, same bio, same avatar, the invite link, created 2 days after the removal, same group;
    # handle: "umar_med1a_example2" -> base "umarmediaexample" == predecessor's (leet 1->i, 2 stripped)
    # z = -6 + 3.0 handle + 2.5 name + 2.5 bio + 3.0 avatar + 2.5 link + 2.5 timing + 0.7 group >> 0
    succ = acc("umar_med1a_example2", display_name="Umar Media Example", bio=PRED["bio"],
               created_at=(T0 + timedelta(days=2)).isoformat(), status="active", groups=["TTP"],
               identifiers=["image_hash:3fa9c0ffee0000000000000000000001"])
    result = score_pair(pred, succ, frequencies([pred, succ]))
    assert result.successor.key == "x:umar_med1a_example2"  # direction: the later one succeeds
    assert result.score > 0.99
    assert "same avatar hash 3fa9c0ff" in result.evidence
    assert "created 2 days after x:umar_media_example was removed" in result.evidence
    assert "same link" in result.evidence and "same group TTP" in result.evidence
    # the same pair given the other way round gives the same direction and score
    again = score_pair(succ, pred, frequencies([pred, succ]))
    assert again.successor.key == result.successor.key and abs(again.score - result.score) < 1e-9


def test_news_decoy_with_similar_handle_scores_low():
    pred = acc("umar_media_example", **PRED)
    # a monitoring account: similar handle, own name/bio/avatar, created a year BEFORE the
    # predecessor existed (-8.0), monitoring wording on one side only (-3.0).
    # z <= -6 + 3.0 (handle, at most) + 2.5 (name, at most) - 8.0 - 3.0 = -11.5 -> score < 1e-10
    decoy = acc("umar_media_monitor", display_name="Umar Media Monitor",
                bio="Monitoring and archiving propaganda of the example movement for researchers",
                created_at=(T0 - timedelta(days=600)).isoformat(), status="active",
                identifiers=["image_hash:0000aaaa000000000000000000000002"])
    result = score_pair(pred, decoy, frequencies([pred, decoy]))
    assert result.score < 1e-10
    assert "BEFORE x:umar_media_example existed" in result.evidence
    assert "monitoring/news/parody" in result.evidence


def test_account_created_before_removal_scores_below_the_same_account_created_after():
    # Fellegi-Sunter with the documented priors (model.PRIORS; changed in issue 13 from the old
    # fixed weights, on purpose). Two accounts: prior p = 2 * 0.3 / (2 - 1) capped at 0.5 -> z0 = 0.
    pred = acc("abu_example_k", display_name="Abu Example", created_at=(T0 - timedelta(days=400)).isoformat(),
               removed_at=T0.isoformat(), status="removed", identifiers=["image_hash:5e5e5e"])
    # identity (strongest first, then x0.9, x0.81): avatar ln(0.7/0.0005) = 7.24, handle same base
    # ln(0.35/0.002) = 5.16 * 0.9, name ln(0.6/0.005) = 4.79 * 0.81; platform same ln(0.8/0.2) = 1.39;
    # no decoy ln(0.99/0.9) = 0.10: 7.24 + 4.65 + 3.88 + 1.39 + 0.10 = 17.25
    # created 200 days before the removal: overlap_long ln(1e-12/0.4) = -26.7 -> z = -9.4, score 8e-5
    before = acc("abu_example_k7", display_name="Abu Example", created_at=(T0 - timedelta(days=200)).isoformat(),
                 identifiers=["image_hash:5e5e5e"])
    # created 1 day after the removal: gap3 ln(0.45/0.01) = 3.81 -> z = 21.1, score 1 - 7e-10
    after = acc("abu_example_k7", display_name="Abu Example", created_at=(T0 + timedelta(days=1)).isoformat(),
                identifiers=["image_hash:5e5e5e"])
    s_before = score_pair(pred, before, frequencies([pred, before])).score
    s_after = score_pair(pred, after, frequencies([pred, after])).score
    assert 5e-5 < s_before < 1e-4
    assert s_after > 0.999999
    assert s_before < DEFAULT_MIN_SCORE <= s_after


def test_different_groups_and_hub_avatar_weaken_a_pair():
    pred = acc("example_relay", display_name="Example Relay", removed_at=T0.isoformat(), status="removed",
               groups=["BLA"], identifiers=["image_hash:1111"])
    succ = acc("example_relay2", display_name="Example Relay", created_at=(T0 + timedelta(days=3)).isoformat(),
               groups=["TTP"], identifiers=["image_hash:1111"])
    # 40 other accounts use the same avatar (a group logo): its weight falls from 3.0 to about 0.3
    others = [acc(f"logo_user_{i:02d}", identifiers=["image_hash:1111"]) for i in range(40)]
    freq = frequencies([pred, succ] + others)
    result = score_pair(pred, succ, freq)
    avatar = [s for s in result.signals if s.name == "avatar"][0]
    assert avatar.weight < 0.6 and "shared by 42 accounts" in avatar.text
    # different groups: ln(m / u) = ln(0.05 / 0.5) (model.PRIORS; was a fixed -2.0 before issue 13)
    assert [s.weight for s in result.signals if s.name == "group"] == [pytest.approx(math.log(0.1))]


def test_chain_keeps_only_consecutive_links_and_head_is_the_live_account():
    # A removed day 0, B created day 2 removed day 30, C created day 31 and live: all copy the name
    common = dict(display_name="Example Chain Voice", bio="The example chain voice speaks here daily",
                  identifiers=["image_hash:abcabc"])
    a = acc("chain_voice", created_at=(T0 - timedelta(days=90)).isoformat(), removed_at=T0.isoformat(),
            status="removed", **common)
    b = acc("chain_voice1", created_at=(T0 + timedelta(days=2)).isoformat(),
            removed_at=(T0 + timedelta(days=30)).isoformat(), status="removed", **common)
    c = acc("chain_voice2", created_at=(T0 + timedelta(days=31)).isoformat(), status="active", **common)
    result = detect_accounts([a, b, c])
    pairs = {(x.successor, x.predecessor) for x in result.candidates}
    assert pairs == {("x:chain_voice1", "x:chain_voice"), ("x:chain_voice2", "x:chain_voice1")}
    assert {x.chain_head for x in result.candidates} == {"x:chain_voice2"}


def test_decided_pairs_are_not_proposed():
    # handle +3.0, name +2.5, avatar +3.0, timing +2.5: z = 5.0, score ~ 0.998
    a = acc("chain_voice", display_name="Example Chain Voice", removed_at=T0.isoformat(), status="removed",
            identifiers=["image_hash:c4c4"])
    b = acc("chain_voice1", display_name="Example Chain Voice", created_at=(T0 + timedelta(days=1)).isoformat(),
            identifiers=["image_hash:c4c4"])
    assert len(detect_accounts([a, b]).candidates) == 1
    # a rejection stored in the other direction still removes the pair
    assert detect_accounts([a, b], decisions={(a.key, b.key): "rejected"}).candidates == []
    assert detect_accounts([a, b], decisions={(b.key, a.key): "confirmed"}).candidates == []
    assert len(detect_accounts([a, b], decisions={(b.key, a.key): "candidate"}).candidates) == 1


def _synthetic(n: int, seed: int = 7):
    """n invented accounts from random syllables, with n/20 planted mirror pairs."""
    rnd = random.Random(seed)
    syl = ["ka", "ro", "mi", "tu", "ze", "la", "qo", "vi", "ne", "sha", "dar", "bel", "mon", "pir", "zul"]
    out, planted = [], []
    for i in range(n):
        handle = "".join(rnd.choice(syl) for _ in range(3)) + f"_{i}"
        name = " ".join(rnd.choice(syl).title() + rnd.choice(syl) for _ in range(2))
        out.append(acc(handle, display_name=name, created_at=(T0 - timedelta(days=rnd.randint(30, 900))).isoformat()))
    for i in range(0, n, 20):
        src = out[i]
        mirror = acc(src.handle + "_new", display_name=src.display_name,
                     created_at=(T0 + timedelta(days=1)).isoformat())
        planted.append((src.key, mirror.key))
        out.append(mirror)
    return out, planted


def test_blocking_compares_far_fewer_than_all_pairs_and_keeps_planted_pairs():
    accounts, planted = _synthetic(3000)
    n = len(accounts)
    stats = mirrors.BlockingStats()
    pairs = candidate_pairs(accounts, stats=stats)
    assert stats.comparisons == len(pairs)
    # 15 syllables make this set dense in look-alikes; still about 2% of all pairs at most, and a
    # bounded number per account (blocks are capped at MAX_BLOCK), which is what keeps it linear
    assert len(pairs) < (n * n / 2) / 50, (len(pairs), n)
    assert len(pairs) < 40 * n
    index = {a.key: i for i, a in enumerate(accounts)}
    found = {tuple(sorted((index[p], index[s]))) for p, s in planted} & pairs
    assert len(found) == len(planted)  # every planted mirror lands in a shared block
