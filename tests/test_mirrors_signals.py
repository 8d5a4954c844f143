"""The signals real exports carry (issue 13), one by one, no database: announcements in four
languages, numbered series in any digits, the TR39 skeleton, the activity gap, a missing value
being no evidence, and term frequencies. Weights are worked out by hand from the documented priors
in graphkit.mirrors.model (``Model.default``: m and u of each level as in PRIORS)."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from graphkit.mirrors import announce, comparisons, lookalike, series
from graphkit.mirrors.detect import frequencies, view_from_row
from graphkit.mirrors.model import PRIORS, Model

T0 = datetime(2016, 3, 1, tzinfo=timezone.utc)


def acc(handle, **kw):
    row = {"key": f"x:{handle.lower()}", "platform": "x", "handle": handle}
    row.update(kw)
    return view_from_row(row)


def posting(handle, first_day, last_day, **kw):
    return acc(handle, posted=[(T0 + timedelta(days=first_day)).isoformat(),
                               (T0 + timedelta(days=last_day)).isoformat()], **kw)


@pytest.mark.parametrize("author,text,expected", [
    # English: the old account named right after "previous account"
    ("x:abuhanzalah10", "Give a shout ya ikhwa. unable to recover previous account : @AbuHanzalah2",
     [("x:abuhanzalah10", "x:abuhanzalah2")]),
    # English: the new account named by the old one (in a retweet the quoted author speaks)
    ("x:someone_else", "RT @old_example: Follow my new account @new_example2",
     [("x:new_example2", "x:old_example")]),
    # Arabic: "our new account, please spread. The old one @x"
    ("x:arab_example2", "حسابنا الجديد، الرجاء النشر. القديم @arab_example1", [("x:arab_example2", "x:arab_example1")]),
    # Urdu: "new account, the old @x was suspended"
    ("x:urdu_example2", "نیا اکاؤنٹ، پرانا @urdu_example1 معطل ہو گیا", [("x:urdu_example2", "x:urdu_example1")]),
    # Pashto: "my new account @x"
    ("x:pashto_example1", "زما نوی حساب @pashto_example2", [("x:pashto_example2", "x:pashto_example1")]),
    # tagging friends in a back-post names no predecessor
    ("x:fidaeefulaani", "Back after suspension for 27th time. Spread to others. @mustaklash @Jazrawi_Halab "
     "@milksheikhbeiji", []),
])
def test_announcement_claims_in_four_languages(author, text, expected):
    assert announce.claims_in(author, "x", text) == expected
    assert announce.is_return(text)


def test_return_wording_without_a_target():
    assert announce.is_return("Assalam alaikum; I'm back.")
    assert announce.is_return("بسم الله السلام عليكم حسابنا الجديد 217")   # Arabic: our new account
    assert announce.is_return("ہمارا نیا اکاؤنٹ، شیئر کریں")             # Urdu: our new account, share
    assert announce.is_return("زموږ نوی حساب، خپور یې کړئ")               # Pashto: our new account
    assert not announce.is_return("The army is back in town")


def test_claim_weighs_near_proof():
    old, new = posting("old_example", 0, 10), posting("new_example2", 11, 20)
    freq = frequencies([old, new], {("x:new_example2", "x:old_example"): announce.Claim("x:new_example2",
                                                                                     "x:old_example", "t")})
    level = comparisons.compare_announce(old, new, freq)
    assert level.level == "claim"
    # m 0.1, u 1e-5: ln(0.1 / 1e-5) = ln(10,000) = 9.21
    assert Model.default(freq).weight(level) == pytest.approx(math.log(1e4))


def test_numbered_series_in_any_digits():
    # Arabic-Indic ٩ -> ١٠, the number glued to the first word
    nine, ten = lookalike.name_skeleton("٩ Flames of Haqq"), lookalike.name_skeleton("١٠Flames of Haqq")
    assert (nine, ten) == ("9 fiames of haq", "10 fiames of haq")
    assert series.step(series.name_series(nine), series.name_series(ten)) == "next"
    # Extended Arabic-Indic ۴۵ -> ۴۶
    assert series.step(series.name_series(lookalike.name_skeleton("Maysoon ۴۵")),
                       series.name_series(lookalike.name_skeleton("Maysoon ۴۶"))) == "next"
    # zero-padded handle counters; a lower number is not the next one
    assert series.handle_series("abutariq040") == ("abutariq", 40)
    assert series.step(series.handle_series("abutariq040"), series.handle_series("abutariq041")) == "next"
    assert series.step(series.handle_series("abutariq041"), series.handle_series("abutariq040")) == "same_stem"
    pred, succ = acc("abutariq040"), acc("abutariq041")
    assert comparisons.compare_handle(pred, succ, frequencies([pred, succ])).level == "series_next"


def test_tr39_skeleton_folds_confusables_the_hand_table_lacks():
    # U+A4F2 LISU LETTER I, U+13AA CHEROKEE LETTER GO and U+A731 LATIN LETTER SMALL CAPITAL S are
    # not in lookalike.CONFUSABLES; Unicode's confusables data maps them to l, A, s
    assert "ꓲ" not in lookalike.CONFUSABLES
    assert lookalike.fold("Ꭺbu_Hamꜱa_ꓲ") == lookalike.fold("abu_hamsa_l")
    # Cyrillic а, е in a handle, I for l in a display name
    assert lookalike.fold("wаyfаrеr") == lookalike.fold("wayfarer")
    assert lookalike.name_skeleton("Mustafa aI lraqi") == lookalike.name_skeleton("Mustafa Al Iraqi")
    # digits stay digits (a counter is never read as the letter it looks like)
    assert lookalike.fold("abutariq041").endswith("041")


def test_activity_gap_short_is_evidence_overlap_is_against():
    pred = posting("gap_example", 0, 10)
    soon = posting("gap_example_b", 12, 20)    # first post 2 days after the last one
    side = posting("gap_example_c", -30, 40)   # posted for 50 days while the other did
    freq = frequencies([pred, soon, side])
    fs = Model.default(freq)
    gap = comparisons.compare_timing(pred, soon, freq)
    assert (gap.signal, gap.level) == ("activity", "post_gap7")
    # m 0.45, u 0.08: ln(5.625) = 1.73
    assert fs.weight(gap) == pytest.approx(math.log(0.45 / 0.08))
    over = comparisons.compare_timing(side, pred, freq)
    assert over.level == "post_overlap_long"
    # m 0.0001, u 0.5: ln(0.0002) = -8.52
    assert fs.weight(over) == pytest.approx(math.log(0.0001 / 0.5))


def test_a_missing_value_is_no_evidence():
    bio = "Daily voice of the example valley, all posts in the channel"
    pred = posting("missing_example", 0, 10, display_name="Example Voice", bio=bio)
    succ = posting("missing_example2", 12, 20)   # no display name, no bio
    freq = frequencies([pred, succ])
    signals = {lv.signal for lv in comparisons.compare(pred, succ, freq)}
    assert "display_name" not in signals and "bio" not in signals
    # the same pair with the predecessor's bio removed scores exactly the same
    bare = posting("missing_example", 0, 10, display_name="Example Voice")
    fs = Model.default(freq)
    with_name = fs.score(comparisons.compare(pred, succ, freq))[1]
    without = fs.score(comparisons.compare(bare, succ, freq))[1]
    assert with_name == pytest.approx(without)


def test_a_common_kunya_counts_less_than_a_rare_name():
    common = [posting(f"kunya_example{i:02d}", 0, 5, display_name="Abu Muhammad") for i in range(20)]
    rare = [posting("rare_example_a", 0, 5, display_name="Abu Hanzalah Qurtubi"),
            posting("rare_example_b", 8, 12, display_name="Abu Hanzalah Qurtubi")]
    others = [posting(f"other_example{i}", 0, 5, display_name=f"Other Name {chr(97 + i)}x") for i in range(2)]
    freq = frequencies(common + rare + others)   # 24 accounts with a display name
    fs = Model.default(freq)
    kunya = comparisons.compare_name(common[0], common[1], freq)
    name = comparisons.compare_name(rare[0], rare[1], freq)
    assert kunya.level == name.level == "same"
    m, u = PRIORS["display_name"]["same"]
    # TF: u = (accounts sharing it - the pair) / accounts with a name + the level's u, when more
    # than TF_FREE = 5 accounts share it (else only the level's u)
    #   kunya: 18/24 + 0.005 = 0.755 -> ln(0.6 / 0.755) = -0.23
    #   rare:   0/24 + 0.005 = 0.005 -> ln(0.6 / 0.005) = 4.79
    assert fs.weight(kunya) == pytest.approx(math.log(m / (18 / 24 + u)))
    assert fs.weight(name) == pytest.approx(math.log(m / u))
    assert fs.weight(kunya) < 0 < fs.weight(name)


def test_confirmed_decisions_feed_m():
    # five confirmed returns under a new handle altogether: the "none" level of the handle signal
    # becomes likelier among mirrors: m = (5 + K_M * prior) / (5 + K_M) = (5 + 20 * 0.3) / 25 = 0.44
    from graphkit.mirrors.model import K_M, fit
    old = ["kestrelwing", "marlowpine", "quillstone", "brackenfold", "tindersage"]
    new = ["zubairnoor", "hafsamirza", "yusufqadir", "omerjalali", "sanaubaid"]
    pairs = [(posting(n, 12, 20), posting(o, 0, 10)) for n, o in zip(new, old)]
    accounts = [a for pair in pairs for a in pair]
    freq = frequencies(accounts)
    assert {comparisons.compare_handle(p, s, freq).level for s, p in pairs} == {"none"}
    prior = PRIORS["handle"]["none"][0]
    learnt = fit(accounts, freq, confirmed=pairs, samples=50)
    assert learnt.learnt == 5
    assert learnt.m["handle"]["none"] == pytest.approx((5 + K_M * prior) / (5 + K_M))
    assert fit(accounts, freq, samples=50).m["handle"]["none"] == pytest.approx(prior)
