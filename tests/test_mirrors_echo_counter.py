"""Two pieces of evidence from the real export (issue 13): a handle that only spells the display
name both accounts share is one piece of evidence with the name, not two (the sparse generator's
``abd63449`` 'Abd' / ``abd29552`` 'Abd'); return posts that number themselves ("Acc number 45",
then "Acc number 58": squadsquaaaaad -> Suspend_Me_fags) form a series. No database."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from graphkit.mirrors import announce, comparisons
from graphkit.mirrors.detect import frequencies, view_from_row
from graphkit.mirrors.model import ECHO_DISCOUNT, IDENTITY_DISCOUNT, Model

T0 = datetime(2016, 4, 1, tzinfo=timezone.utc)


def acc(handle, **kw):
    row = {"key": f"x:{handle.lower()}", "platform": "x", "handle": handle}
    row.update(kw)
    return view_from_row(row)


def _levels(pred, succ):
    freq = frequencies([pred, succ])
    return {lv.signal: lv for lv in comparisons.compare(pred, succ, freq)}, freq


def test_a_handle_spelling_the_shared_name_is_an_echo():
    levels, _ = _levels(acc("abd63449", display_name="Abd"), acc("abd29552", display_name="Abd"))
    assert levels["display_name"].level == "same"
    assert levels["handle"].level == "same_base" and levels["handle"].echo


def test_a_handle_unlike_the_name_is_its_own_evidence():
    levels, _ = _levels(acc("abd63449", display_name="Zaid Example"), acc("abd29552", display_name="Zaid Example"))
    assert levels["handle"].level == "same_base" and not levels["handle"].echo
    # names that differ: nothing to echo
    levels, _ = _levels(acc("abd63449", display_name="Abd"), acc("abd29552", display_name="Zaid Example"))
    assert not levels["handle"].echo


def test_the_echo_is_discounted_in_the_score():
    pred, succ = acc("abd63449", display_name="Abd"), acc("abd29552", display_name="Abd")
    levels, freq = _levels(pred, succ)
    fs = Model.default(freq, n_accounts=1000)
    w_name, w_handle = fs.weight(levels["display_name"]), fs.weight(levels["handle"])
    assert w_name > 0 and w_handle > 0
    # the identity discount ranks the positive identity weights: the larger counts fully, the
    # other at IDENTITY_DISCOUNT; the echo then at ECHO_DISCOUNT on top
    rank = 0 if w_handle >= w_name else 1
    _, _, signals = fs.score(list(levels.values()), 0.0)
    shown = {s.name: s.weight for s in signals}
    assert shown["handle"] == pytest.approx(w_handle * IDENTITY_DISCOUNT ** rank * ECHO_DISCOUNT)
    assert shown["display_name"] == pytest.approx(w_name * IDENTITY_DISCOUNT ** (1 - rank))


@pytest.mark.parametrize("text,number", [
    ("Bismillah\nAcc number 45\nFollow+Rt jzk", 45),
    ("Third acc today. Acc number 58", 58),
    ("account no. 7, back again", 7),
    ("acct #12 spread", 12),
    ("الحساب ال٥١ بعد الحذف", 51),          # "account 51 after the deletion", Arabic-Indic digits
    ("حساب رقم ٣", 3),                      # "account number 3"
    ("my account is 2 years old", None),
    ("Bismillah. Mustafa Al Iraqi", None),
])
def test_counter_reads_the_number_a_return_post_gives_itself(text, number):
    assert announce.counter(text) == number


def _returning(handle, text, day):
    a = acc(handle, posted=[T0.replace(day=day).isoformat(), T0.replace(day=day).isoformat()])
    a.announced = (T0.replace(day=day), text)
    a.opening = "bismillah"
    return a


def test_numbered_returns_form_an_announced_series():
    old = _returning("example_squad", "Bismillah\nAcc number 45\nFollow+Rt jzk", 1)
    new = _returning("example_new", "Bismillah\nAcc number 58\nFollow+Rt jzk", 22)
    freq = frequencies([old, new])
    level = comparisons.compare_announce(old, new, freq)
    assert (level.level, level.value) == ("series_next", 58)
    assert "number 45" in level.text and "number 58" in level.text
    # a lower number, or a jump beyond series.MAX_STEP (20), is no series: the return wording only
    assert comparisons.compare_announce(new, old, freq).level == "returns"
    far = _returning("example_far", "Acc number 66", 25)
    assert comparisons.compare_announce(old, far, freq).level == "returns"
