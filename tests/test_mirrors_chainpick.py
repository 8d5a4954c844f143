"""A chain whose middle account changed its profile (issue 13: real returns, the Mustafa Al Iraqi
chain mustaklash -> mustafaklash56 -> moustiklash): the last account is linked to the middle one,
not to the head it resembles more. No database: the detector runs on AccountViews."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from graphkit.mirrors import chainpick
from graphkit.mirrors.detect import detect_accounts, view_from_row
from graphkit.mirrors.lookalike import name_skeleton
from graphkit.mirrors.signals import PairScore

T0 = datetime(2016, 3, 1, tzinfo=timezone.utc)


def posting(handle, first_day, last_day, **kw):
    row = {"key": f"x:{handle.lower()}", "platform": "x", "handle": handle,
           "posted": [(T0 + timedelta(days=first_day)).isoformat(), (T0 + timedelta(days=last_day)).isoformat()]}
    row.update(kw)
    return view_from_row(row)


def test_transliteration_variants_are_one_display_name():
    # Abu/Abou, Hamza/Hamzah, Khilafa/Khilafah (and the two apostrophes) spell one name
    assert name_skeleton("Abou Hamzah") == name_skeleton("Abu Hamza") == "abu hamza"
    assert name_skeleton("PROPHET’S KHILĀFAH") == name_skeleton("PROPHET'S KHILĀFA")
    assert name_skeleton("Abou Yousuf ١٠") == "abu yusuf 10"
    # other scripts keep only their own letter-variant folding (alef forms, ta marbuta)
    assert name_skeleton("أبو حمزة") == "ابو حمزه"


def _pair(succ, pred, score):
    return PairScore(successor=succ, predecessor=pred, score=score, signals=[], z=0.0)


def test_relink_moves_a_skipped_link_to_the_middle_account():
    head = posting("ExampleHead", 0, 10)
    mid = posting("ExampleMid56", 11, 20)
    last = posting("ExampleLast", 24, 30)
    links = [_pair(mid, head, 0.9), _pair(last, head, 0.8)]
    options = {last.key: [_pair(last, head, 0.8), _pair(last, mid, 0.1)], mid.key: [links[0]]}
    out = {p.successor.key: p for p in chainpick.relink(links, options)}
    assert out[mid.key].predecessor is head and out[mid.key].score == 0.9
    moved = out[last.key]
    assert moved.predecessor is mid
    assert abs(moved.score - 0.72) < 1e-9          # both links hold: 0.8 x 0.9
    assert "x:ExampleMid56 succeeds x:ExampleHead" in moved.evidence


def test_relink_leaves_parallel_accounts_alone():
    # the "middle" account was still posting when the last one began: a sibling, not a link
    head = posting("ExampleHead", 0, 10)
    sibling = posting("ExampleMid56", 11, 28)
    last = posting("ExampleLast", 24, 30)
    links = [_pair(sibling, head, 0.9), _pair(last, head, 0.8)]
    out = {p.successor.key: p for p in chainpick.relink(links, {})}
    assert out[last.key].predecessor is head and out[last.key].score == 0.8


def test_detector_links_the_last_account_to_the_middle_one():
    # head and last share the display name and a near handle; the middle one shortened its name
    head = posting("examplaklash", 0, 10, display_name="Example Al Fictional")
    mid = posting("examplaklash56", 11, 20, display_name="Example")
    last = posting("exoumplaklash", 24, 30, display_name="Example Al Fictional")
    # unrelated accounts around them, so the prior is that of a real export (hundreds of accounts)
    others = [posting(hashlib.sha1(str(i).encode()).hexdigest()[:12], i % 30, i % 30 + 2) for i in range(300)]
    result = detect_accounts([head, mid, last] + others, min_score=0.0)
    links = {c.successor_key: c.predecessor_key for c in result.candidates}
    assert links[mid.key] == head.key
    assert links[last.key] == mid.key


def test_relink_never_makes_a_pair_an_analyst_decided():
    head = posting("ExampleHead", 0, 10)
    mid = posting("ExampleMid56", 11, 20)
    last = posting("ExampleLast", 24, 30)
    links = [_pair(mid, head, 0.9), _pair(last, head, 0.8)]
    out = {p.successor.key: p for p in chainpick.relink(links, {}, {frozenset((last.key, mid.key))})}
    assert out[last.key].predecessor is head and out[last.key].score == 0.8
