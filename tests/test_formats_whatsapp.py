"""WhatsApp chat export text: line formats, date order, senders, the zip with media; loads.

Fixtures (tests/fixtures/formats/whatsapp/), counted by hand:
- "WhatsApp Chat with Example Group.txt" (Android, 24-hour, day first: 13/01 and 31/02 tell):
  12 lines, 11 messages: 3 system lines (encryption note, group created, subject changed), a
  post in Arabic with an emoji, a three-line post and a "<Media omitted>" of +44 7700 900123,
  hostile text, a deleted message, a post with an impossible date (31/02: rejected), a post of
  a number wrapped in U+202A/U+202C marks. Senders: Abu Example, +447700900123, +447700900456.
- "WhatsApp Chat - Example Relay.zip" (iOS _chat.txt with a photo, 12-hour with U+202F, month
  first: 1/13 tells, CRLF): 2 system lines (U+200E), a post with an emoji, an attached photo, a
  two-line Hebrew post of +1 (555) 010-0123.
- ambiguous.txt: a stray first line, then dates that read both ways (01/02, 01/03), and a
  sender 07700 900789 without a country code.
"""
from __future__ import annotations

import pytest
import yaml

from graphkit.errors import LoadError
from graphkit.ingest import dates
from graphkit.ingest import values as nz
from graphkit.ingest.engine import load
from graphkit.ingest.formats import whatsapp
from graphkit.ingest.mappings import find
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject, read_rejects

from helpers import FIXTURES, ROOT
from loadutil import dump

HERE = FIXTURES / "formats" / "whatsapp"
ANDROID = HERE / "WhatsApp Chat with Example Group.txt"
IOS = HERE / "WhatsApp Chat - Example Relay.zip"
AMBIGUOUS = HERE / "ambiguous.txt"
MAPPING = yaml.safe_load((ROOT / "loaders" / "whatsapp.yaml").read_text(encoding="utf-8"))


def _read(path, order=None, region=None):
    with dates.date_order(order), nz.phone_region(region):
        return list(whatsapp.read(path, MAPPING))


def _sightings(items):
    return [(i.line, i.values["observed_at"], i.values.get("account") or i.values.get("account_id"),
             i.values["kind"], i.values["media"], i.values["excerpt"])
            for i in items if isinstance(i, Row) and i.table == "sightings"]


@pytest.mark.parametrize("line, parts", [
    ("12/01/2025, 10:15 - Name: text", ("12", "01", "2025", "10", None, "Name: text")),
    ("[12/01/25, 10:15:32] Name: text", ("12", "01", "25", "10", None, "Name: text")),
    ("1/12/25, 10:15\u202fPM - Name: text", ("1", "12", "25", "10", "P", "Name: text")),
    ("12.01.25, 10:15 - Name: text", ("12", "01", "25", "10", None, "Name: text")),
    ("\u200e[1/12/25, 9:05:00 AM] Name: \u200eimage omitted", ("1", "12", "25", "9", "A", "Name: \u200eimage omitted")),
])
def test_line_formats_of_the_common_locales(line, parts):
    m = whatsapp.START.match(line)
    assert (m["a"], m["b"], m["c"], m["h"], m["ap"], m["rest"]) == parts


def test_android_export_day_first_inferred():
    items = _read(ANDROID)
    assert find(ANDROID).name == "whatsapp"
    assert _sightings(items) == [
        (1, "2025-01-12T10:15:00Z", None, "system", None, "Messages and calls are end-to-end encrypted. No one "
         "outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."),
        (2, "2025-01-12T10:15:00Z", None, "system", None, 'Abu Example created group "Example Group"'),
        (3, "2025-01-12T10:16:00Z", "Abu Example", "post", None, "السلام عليكم 🌙"),
        (4, "2025-01-13T09:00:00Z", "447700900123", "post", None,
         "first line\nsecond line of the same message\nthird line"),
        (7, "2025-01-13T09:01:00Z", "447700900123", "post", "<Media omitted>", None),
        (8, "2025-01-13T09:02:00Z", "Abu Example", "post", None, "'}) MATCH (n) DETACH DELETE n //"),
        (9, "2025-01-13T09:03:00Z", "Abu Example", "post", None, "This message was deleted"),
        (10, "2025-01-13T09:04:00Z", None, "system", None,
         'Abu Example changed the subject from "Example Group" to "Example Group 2"'),
        (11, "2025-02-31 10:00", "Abu Example", "post", None, "a broken date"),
        (12, "2025-01-14T08:00:00Z", "447700900456", "post", None, "number with bidi marks <This message was edited>"),
    ]
    phones = [i.values["value"] for i in items if isinstance(i, Row) and i.table == "identifiers"]
    assert phones == ["+447700900123", "+447700900456"]


def test_ios_zip_month_first_inferred():
    items = _read(IOS)
    assert find(IOS).name == "whatsapp"
    assert items[0].values["channel"] == "Example Relay"
    assert _sightings(items) == [
        (1, "2025-01-12T10:15:32Z", None, "system", None, "Messages and calls are end-to-end encrypted. No one "
         "outside of this chat, not even WhatsApp, can read or listen to them."),
        (2, "2025-01-12T10:15:40Z", "Abu Example", "post", None, "hello 👋"),
        (3, "2025-01-12T10:16:02Z", "Abu Example", "post", "<attached: 00000003-PHOTO-2025-01-12-10-15-32.jpg>", None),
        (4, "2025-01-13T13:05:00Z", "15550100123", "post", None, "שלום עולם\ncontinued in Hebrew: עוד שורה"),
        (6, "2025-01-13T13:06:00Z", None, "system", None, "Abu Example added +1 (555) 010-0199"),
    ]


def test_date_order_is_declared_or_unambiguous_never_guessed():
    with pytest.raises(LoadError, match="every date could be read day-first or month-first"):
        _read(AMBIGUOUS)
    items = _read(AMBIGUOUS, "dmy", "GB")
    assert [(r.line, r.reason[:26]) for r in items if isinstance(r, Reject)] == [(1, "not a WhatsApp message lin")]
    assert [s[1] for s in _sightings(items)] == ["2025-02-01T10:00:00Z", "2025-03-01T11:00:00Z", "2025-03-01T11:05:00Z"]
    assert [s[1] for s in _sightings(_read(AMBIGUOUS, "mdy", "GB"))][:2] == ["2025-01-02T10:00:00Z", "2025-01-03T11:00:00Z"]
    # 07700 900789 has no country code: --region GB makes it +44
    assert [i.values["value"] for i in items if isinstance(i, Row) and i.table == "identifiers"] == ["+447700900789"]


def _counts(summary):
    return {(c.file.rsplit("/", 1)[-1], c.table): (c.read, c.created, c.updated, c.unchanged, c.rejected)
            for c in summary.counts}


def test_load_counts_phones_and_reload(graph, tmp_path):
    rejects = tmp_path / "rejects.csv"
    summary = load(graph, [ANDROID, IOS], rejects=rejects, group="ISIS")
    a, i = ANDROID.name, IOS.name
    assert _counts(summary) == {
        (a, "channels"): (1, 1, 0, 0, 0), (a, "sightings"): (10, 9, 0, 0, 1), (a, "accounts"): (3, 3, 0, 0, 0),
        (a, "identifiers"): (2, 2, 0, 0, 0),
        (i, "channels"): (1, 1, 0, 0, 0), (i, "sightings"): (5, 5, 0, 0, 0),
        (i, "accounts"): (2, 1, 1, 0, 0),  # Abu Example is known from the first chat
        (i, "identifiers"): (1, 1, 0, 0, 0)}
    assert [(r["line"], r["column"]) for r in read_rejects(rejects)] == [("11", "date")]
    phones = graph.read("MATCH (a:Account)-[:USES]->(p:Identifier {kind: 'phone'}) "
                        "RETURN a.key AS account, p.value AS phone ORDER BY phone")
    assert [(r["account"], r["phone"]) for r in phones] == [
        ("whatsapp:id:15550100123", "+15550100123"), ("whatsapp:id:447700900123", "+447700900123"),
        ("whatsapp:id:447700900456", "+447700900456")]
    # --group ties the chats and their senders to the group
    tied = graph.read("MATCH (n)-[:AFFILIATED_WITH]->(:Group {gid: 'ISIS'}) RETURN labels(n)[0] AS l, count(*) AS n "
                      "ORDER BY l")
    assert [(r["l"], r["n"]) for r in tied] == [("Account", 4), ("Channel", 2)]
    posts = graph.read("MATCH (s:Sighting)-[:IN]->(c:Channel {key: 'whatsapp:example group'}) RETURN count(s) AS n")
    assert posts[0]["n"] == 9
    before = dump(graph)
    again = load(graph, [ANDROID, IOS], rejects=tmp_path / "again.csv", group="ISIS")
    assert all(v[1] == v[2] == 0 for v in _counts(again).values())
    assert dump(graph) == before


def test_cli_says_what_is_wrong_without_a_traceback(cli, tmp_path):
    undecided = cli("load", str(AMBIGUOUS), "--dry-run")
    assert undecided.returncode == 1 and "Traceback" not in undecided.stderr
    assert "every date could be read day-first or month-first" in undecided.stderr
    assert "--date-order dmy" in undecided.stderr
    region = cli("load", str(AMBIGUOUS), "--dry-run", "--date-order", "dmy", "--region", "ZZ")
    assert region.returncode == 1 and "unknown region 'ZZ'" in region.stderr and "Traceback" not in region.stderr
    ok = cli("load", str(AMBIGUOUS), "--dry-run", "--date-order", "dmy", "--region", "GB",
             "--rejects", str(tmp_path / "rejects.csv"))
    assert ok.returncode == 3  # the stray first line is rejected
