"""graphkit.normalize: pure functions, expected values worked out by hand."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from graphkit.ingest import dates
from graphkit.ingest import values as nz

UTC = timezone.utc


@pytest.mark.parametrize("raw, expected", [
    ("twitter", "x"), ("Twitter", "x"), ("X", "x"), ("tw", "x"), ("x.com", "x"), ("fb", "facebook"),
    ("Facebook", "facebook"), ("ig", "instagram"), ("tg", "telegram"), ("T.me", "telegram"), ("wa", "whatsapp"),
    ("WhatsApp", "whatsapp"), ("yt", "youtube"), ("TikTok", "tiktok"), (" tiktok ", "tiktok"), ("", None),
])
def test_platform_aliases(raw, expected):
    assert nz.platform(raw) == expected


def test_unknown_platform_is_an_error():
    with pytest.raises(ValueError, match="unknown platform 'myspace'"):
        nz.platform("myspace")


@pytest.mark.parametrize("url, expected", [
    ("https://x.com/Foo", ("x", "Foo", "handle")),
    ("twitter.com/foo", ("x", "foo", "handle")),
    ("https://mobile.twitter.com/Foo/status/123", ("x", "Foo", "handle")),
    ("https://x.com/i/user/12345", ("x", "12345", "id")),
    ("https://www.facebook.com/profile.php?id=123", ("facebook", "123", "id")),
    ("https://m.facebook.com/example.page/", ("facebook", "example.page", "handle")),
    ("https://www.facebook.com/groups/examplegroup", ("facebook", "examplegroup", "channel")),
    ("https://www.instagram.com/Example_Four/", ("instagram", "Example_Four", "handle")),
    ("https://www.tiktok.com/@foo", ("tiktok", "foo", "handle")),
    ("https://t.me/foo", ("telegram", "foo", "channel")),
    ("https://t.me/s/foo", ("telegram", "foo", "channel")),
    ("https://t.me/+AbCdEf", ("telegram", "AbCdEf", "invite")),
    ("https://t.me/joinchat/AbCdEf", ("telegram", "AbCdEf", "invite")),
    ("https://whatsapp.com/channel/0029VaExample", ("whatsapp", "0029VaExample", "channel")),
    ("https://chat.whatsapp.com/InviteCode1", ("whatsapp", "InviteCode1", "invite")),
    ("https://www.youtube.com/@SomeChannel", ("youtube", "SomeChannel", "channel")),
    ("https://www.youtube.com/channel/UC123", ("youtube", "UC123", "channel")),
])
def test_parse_url(url, expected):
    assert nz.parse_url(url) == expected


@pytest.mark.parametrize("url", ["https://example.org/foo", "https://x.com/", "https://x.com/search?q=a"])
def test_parse_url_rejects_non_profiles(url):
    with pytest.raises(ValueError):
        nz.parse_url(url)


def test_handles():
    assert nz.handle("@GunsandCoffee70") == "gunsandcoffee70"
    assert nz.handle_raw("@GunsandCoffee70") == "GunsandCoffee70"
    assert nz.handle("Ｅｘａｍｐｌｅ") == "example"  # full-width letters: NFKC
    assert nz.handle("exa\u200bmple\u200d") == "example"  # zero-width removed
    assert nz.handle_raw("exa\u200bmple") == "exa\u200bmple"  # raw spelling kept
    assert nz.handle("STRASSE") == nz.handle("straße") == "strasse"  # case-fold, not lower()
    assert nz.handle("  @  ") is None and nz.handle(None) is None
    assert nz.handle("@مثال_١") == "مثال_١"  # Arabic script kept as is (NFKC keeps Arabic-Indic digits)
    assert nz.handle("\ufeb3\ufee0\ufe8e\ufee1") == "سلام"  # Arabic presentation forms -> NFKC letters
    assert nz.account_key("x", "foo") == "x:foo"
    assert nz.account_key("facebook", None, "123") == "facebook:id:123"


@pytest.mark.parametrize("raw, expected", [
    ("0300 0000123", "+923000000123"), ("+92 300 0000123", "+923000000123"), ("0092-300-0000123", "+923000000123"),
    ("+1 202 555 0100", "+12025550100"), ("", None),
])
def test_phone_e164_default_region_pk(raw, expected):
    assert nz.phone(raw) == expected


@pytest.mark.parametrize("raw", ["not a phone", "12"])
def test_bad_phone(raw):
    with pytest.raises(ValueError):
        nz.phone(raw)


def test_email_and_invite_and_identifier():
    assert nz.email(" Ops@Example.ORG ") == "ops@example.org"
    assert nz.email("mailto:a@example.org") == "a@example.org"
    with pytest.raises(ValueError):
        nz.email("no-at-sign.example.org")
    assert nz.invite("https://t.me/+AbC") == "telegram:AbC"
    assert nz.invite("chat.whatsapp.com/XyZ") == "whatsapp:XyZ"
    with pytest.raises(ValueError):
        nz.invite("https://t.me/publicchannel")
    assert nz.identifier("phone", "0300 0000123") == "+923000000123"
    assert nz.identifier("IMAGE_HASH", "ABCDEF") == "abcdef"
    with pytest.raises(ValueError, match="unknown identifier kind"):
        nz.identifier("shoe", "42")


@pytest.mark.parametrize("raw, expected, had_time", [
    ("2015-04-07", datetime(2015, 4, 7, tzinfo=UTC), False),
    ("2015-04-07T10:30:00Z", datetime(2015, 4, 7, 10, 30, tzinfo=UTC), True),
    ("2015-04-07T10:30:00+05:00", datetime(2015, 4, 7, 5, 30, tzinfo=UTC), True),
    ("2015-04-07 10:30", datetime(2015, 4, 7, 10, 30, tzinfo=UTC), True),  # naive = UTC
    ("2015-04-07-04:00", datetime(2015, 4, 7, tzinfo=UTC), False),  # UN XML: the date as written
    ("1/13/2015 21:07", datetime(2015, 1, 13, 21, 7, tzinfo=UTC), True),  # M/D/Y: 13 is no month
    ("12/31/2015", datetime(2015, 12, 31, tzinfo=UTC), False),
    ("13/6/2015", datetime(2015, 6, 13, tzinfo=UTC), False),  # D/M/Y: 13 is no month
    ("6/6/2015 9:30 PM", datetime(2015, 6, 6, 21, 30, tzinfo=UTC), True),  # both readings agree
    ("2015/06/01", datetime(2015, 6, 1, tzinfo=UTC), False),  # year first: Y/M/D
    ("07 Apr 2015", datetime(2015, 4, 7, tzinfo=UTC), False),
    ("7 April 2015", datetime(2015, 4, 7, tzinfo=UTC), False),
    ("Apr 7, 2015", datetime(2015, 4, 7, tzinfo=UTC), False),
])
def test_dates(raw, expected, had_time):
    assert dates.parse_when(raw) == (expected, had_time)


@pytest.mark.parametrize("raw", ["13/45/2024", "2015-02-30", "yesterday", "2015/04/07/08", "32 Apr 2015"])
def test_bad_dates(raw):
    with pytest.raises(ValueError):
        dates.datetime_utc(raw)


@pytest.mark.parametrize("raw", ["1/6/2015 21:07", "01.06.2015", "12/11/2025"])
def test_a_date_that_reads_both_ways_is_rejected_with_a_hint(raw):
    # 1/6/2015 was silently read as 6 January; a report from Pakistan means 1 June
    with pytest.raises(ValueError, match=r"ambiguous date .*ISO 8601.*--date-order dmy\|mdy\|ymd"):
        dates.datetime_utc(raw)


@pytest.mark.parametrize("order, expected", [("dmy", datetime(2015, 6, 1, 21, 7, tzinfo=UTC)),
                                             ("mdy", datetime(2015, 1, 6, 21, 7, tzinfo=UTC))])
def test_a_declared_date_order_decides(order, expected):
    with dates.date_order(order):
        assert dates.datetime_utc("1/6/2015 21:07") == expected
        assert dates.datetime_utc("2015-01-06T21:07:00Z").month == 1  # ISO is ISO whatever the order
        with pytest.raises(ValueError):  # a date impossible in the declared order is rejected
            dates.datetime_utc("13/6/2015" if order == "mdy" else "6/13/2015")
    assert dates.datetime_utc("13/6/2015") == datetime(2015, 6, 13, tzinfo=UTC)  # the order ends with the block


def test_date_only():
    assert dates.date_only("2011-07-29") == date(2011, 7, 29)
    assert dates.date_only("2015-04-07-04:00") == date(2015, 4, 7)
    assert dates.date_only("") is None


@pytest.mark.parametrize("raw, expected", [("120", 120), ("1,234", 1234), ("1.2K", 1200), ("3M", 3000000),
                                           ("0", 0), ("", None)])
def test_counts(raw, expected):
    assert nz.count(raw) == expected


@pytest.mark.parametrize("raw", ["-3", "abc", "1.5", "12 followers"])
def test_bad_counts(raw):
    with pytest.raises(ValueError):
        nz.count(raw)


@pytest.mark.parametrize("name, gid", [
    ("TTP", "TTP"), ("ttp", "TTP"), ("Tehrik-i-Taliban Pakistan", "TTP"), ("Tehreek e Taliban Pakistan", "TTP"),
    ("TEHRIK-E-TALIBAN", "TTP"), ("Pakistani Taliban", "TTP"), ("تحریک طالبان پاکستان", "TTP"),
    ("ISKP", "ISIS-K"), ("IS-K", "ISIS-K"), ("Islamic State Khorasan Province", "ISIS-K"),
    ("Baloch Liberation Army", "BLA"), ("Balochistan Liberation Front", "BLF"),
    ("Jamaat-ul-Ahrar (JuA)", "JUA"), ("Jamāʿat-ul-Aḥrār", "JUA"),
])
def test_resolve_group(name, gid):
    assert nz.resolve_group(name) == gid


def test_unknown_group_and_group_id():
    assert nz.resolve_group("Some Invented Front") is None
    assert nz.resolve_group("") is None
    assert nz.group_id("ttp") == "TTP"
    assert nz.group_id("new-group") == "NEW-GROUP"


def test_split_list():
    assert nz.split_list(" a; b;;c ;") == ["a", "b", "c"]
    assert nz.split_list(None) == []
