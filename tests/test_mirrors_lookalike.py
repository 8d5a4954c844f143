"""Look-alike folding (graphkit.lookalike): every expectation below is worked out by hand from the
rules in the module docstring (case-fold, homoglyph table, leetspeak between letters, I/l merged,
doubled letters collapsed, affixes peeled off)."""
from __future__ import annotations

from graphkit.mirrors import lookalike
from graphkit.mirrors.lookalike import fold, handle_forms, name_skeleton, text_tokens


def test_fold_undoes_case_separators_and_doubled_letters():
    # W->w, yy->y, ff->f; nothing else to do
    assert fold("Wayyfffarer") == "wayfarer"
    # separators . _ - and spaces vanish
    assert fold("abu_hanzala.media-x") == "abuhanzaiamediax"  # l -> i (I/l merge)


def test_fold_maps_cyrillic_and_greek_homoglyphs_to_latin():
    cyrillic = "\u0430\u0431\u0443_\u0445\u0430\u0440\u0435\u0441"  # а б у _ х а р е с  (б has no Latin twin)
    # worked out: а->a, б stays (no Latin twin), у->y, _ dropped, х->x, а->a, р->p, е->e, с->c
    assert fold(cyrillic) == "a\u0431yxapec"


def test_fold_greek_and_cyrillic_spell_latin_handle():
    # "ttp_media" typed with Cyrillic т, е, а and Greek ι: т->t, е->e, ι->i, а->a; tt -> t
    spoofed = "\u0442tp_m\u0435d\u03b9\u0430"  # т t p _ m е d ι а
    assert fold(spoofed) == fold("ttp_media") == "tpmedia"


def test_fold_leetspeak_only_between_letters_or_opening_a_word():
    assert fold("wayf44rer") == "wayfarer"        # 4 between letters -> a
    assert fold("c0n0fj1had") == "conofjihad"     # 0 -> o, 1 -> i
    assert fold("5ab3r") == "saber"               # one digit opening a word reads as a letter too
    assert fold("55ab3r") == "55aber"             # two digits opening a word are a number
    assert fold("GunsandCoffee70") == "gunsandcofe70"  # the trailing counter stays digits
    assert fold("$QU4D") == "squad"               # $ -> s always, 4 between letters -> a


def test_fold_merges_capital_i_and_small_l():
    # kIakishini (capital i) and klakishini (small L) look identical in sans-serif fonts
    assert fold("kIakishini") == fold("klakishini") == "kiakishini"


def test_handle_forms_peels_appended_counters_and_words():
    forms = handle_forms("ttp_media2")
    # tokens ttp | media | 2 ; the 2 and then media are affixes; "ttp" alone folds to "tp" (too short)
    assert forms.full == "tpmedia2"
    assert forms.bases == ("tpmedia2", "tpmedia")
    assert set(forms.affixes) == {"2", "media"}

    forms = handle_forms("new_ttp_media")
    # front "new" and end "media" are affixes: cores newttp+media (full), newttp, ttpmedia
    assert "tpmedia" in forms.bases and forms.full == "newtpmedia"

    assert "abuayisha" in handle_forms("abuayisha108").bases
    assert "abuayisha" in handle_forms("abuayisha102").bases
    assert "tpmedia" in handle_forms("ttpmediaofficial").bases  # glued "official" stripped
    assert "baioch" in handle_forms("baloch_v2").bases           # _v2 stripped (l -> i)


def test_handle_forms_keeps_short_handles_whole():
    # stripping "official" would leave "tp" (2 characters): not kept as a base
    assert handle_forms("TTP_Official").bases == ("tpoficiai",)


def test_consonant_key_tolerates_vowel_changes():
    assert lookalike.consonant_key(fold("mustaklash")) == lookalike.consonant_key(fold("moustiklash")) == "mstksh"


def test_text_tokens_any_script_drop_links_and_emoji():
    assert text_tokens("ابن سالار 🔥 http://t.co/abc") == ["ابن", "سالار"]
    assert text_tokens("Ｆｕｌｌwidth  NEWS!!") == ["fuiwidth", "news"]  # NFKC, casefold, ll -> l -> i (I/l merge)


def test_name_skeleton_matches_homoglyph_spoof_of_a_name():
    # "Mustafa aI lraqi" (capital I for l, small L for I) reads as "Mustafa Al Iraqi"
    assert name_skeleton("Mustafa aI lraqi") == name_skeleton("Mustafa Al Iraqi") == "mustafa ai iraqi"


def test_urls_in_keeps_invite_case():
    assert lookalike.urls_in("join https://t.me/+AbCd12, or www.Example.org/x/.") == ["t.me/+AbCd12", "Example.org/x"]
