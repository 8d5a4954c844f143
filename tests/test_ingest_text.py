"""One encoding and bad-byte rule for both text stacks: bundle CSVs (``text.CsvTable``) and the
line readers of tweet, OFAC and Meta exports (``formats.text_lines``). Expected values by hand:
0xFF is never valid UTF-8; 0xC9 is "É" in Windows-1252; 0x81 is one of the five bytes
Windows-1252 leaves unassigned. No server needed (dry runs)."""
from __future__ import annotations

import csv

from graphkit.ingest import text
from graphkit.ingest.engine import load
from graphkit.ingest.formats import text_lines

from loadutil import write_bundle

TWEETS_HEADER = b"name,username,description,location,followers,numberstatuses,time,tweets\n"


def _both(path):
    """The data rows of ``path`` as each stack reads them."""
    table = [values for _, values, _ in text.CsvTable(lambda: open(path, "rb")).records()]
    lines = list(csv.reader(text_lines(path)))[1:]
    return table, lines


def test_the_first_64_kb_decide_the_encoding_of_the_whole_file():
    assert text.sniff_encoding(b"plain ascii") == "utf-8"
    assert text.sniff_encoding(b"\xc9cole, na\xefve") == "cp1252"  # no valid UTF-8 in it
    # valid UTF-8 (the e-acute of Cafe) and one stray byte: UTF-8, the stray byte stays bad
    # (the old rule read this file as Windows-1252: "CafÃ©", silently)
    assert text.sniff_encoding("Café".encode() + b" \xff") == "utf-8"


def test_a_broken_byte_in_a_utf8_file_is_kept_as_the_same_bad_value_on_both_paths(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("h1,h2\nok,café\n".encode() + b"x,bad \xff here\n")
    table, lines = _both(path)
    assert table == lines == [["ok", "café"], ["x", "bad \udcff here"]]  # é decoded, 0xFF kept, not replaced
    assert text.undecodable("café") is None
    assert "0xFF" in text.undecodable(lines[1][1])
    assert text.printable(lines[1][1]) == "bad \\xFF here"


def test_a_windows_1252_file_is_decoded_and_its_unassigned_byte_kept_on_both_paths(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"h1,h2\n\xc9cole,ok\nx,odd \x81 byte\n")
    table, lines = _both(path)
    assert table == lines == [["École", "ok"], ["x", "odd \udc81 byte"]]  # was "odd \ufffd byte" (lost)
    assert "0x81" in text.undecodable(lines[1][1])


def test_both_loaders_reject_the_row_with_file_line_column_and_the_same_reason(tmp_path):
    # UTF-8 files (the é of Café), each with one broken byte in an account's name
    bad = b"Bad \xff name"
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": "platform,handle,display_name,bio,followers\n"
                                           "x,good_example,Café,,1\n".encode() + b"x,broken_example," + bad + b",,1\n"})
    tweets = tmp_path / "tweets.csv"
    tweets.write_bytes(TWEETS_HEADER + "Café,good_example,,,1,1,1/6/2015 21:07,hello\n".encode()
                       + bad + b",broken_example,,,1,1,1/7/2015 21:07,hello again\n")
    found = {}
    for name, path in (("bundle", bundle), ("tweets", tweets)):
        summary = load(None, [path], dry_run=True, rejects=tmp_path / f"{name}.rejects.csv")
        with open(tmp_path / f"{name}.rejects.csv", encoding="utf-8", newline="") as fh:
            found[name] = [(r["line"], r["column"], r["reason"], r["raw"]) for r in csv.DictReader(fh)]
        assert summary.totals()["rejected"] == 1
    [(line_b, column_b, reason_b, raw_b)] = found["bundle"]
    [(line_t, column_t, reason_t, raw_t)] = found["tweets"]
    assert (line_b, column_b) == ("3", "display_name")
    assert (line_t, column_t) == ("3", "name")  # the export's own column name
    assert reason_b == reason_t and "0xFF" in reason_b
    assert "Bad \\xFF name" in raw_b and "Bad \\xFF name" in raw_t


def test_a_whatsapp_chat_follows_the_same_rule(tmp_path):
    # was read with errors="replace": the 0xFF became U+FFFD and the message loaded altered
    chat = tmp_path / "WhatsApp Chat with Example Group.txt"
    chat.write_bytes("13/01/2025, 09:00 - Abu Example: السلام عليكم\n".encode()
                     + b"13/01/2025, 09:05 - Abu Example: bad \xff byte\n")
    summary = load(None, [chat], dry_run=True, rejects=tmp_path / "r.csv", region="GB")
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as fh:
        rejects = list(csv.DictReader(fh))
    assert summary.totals()["rejected"] == 1
    assert rejects[0]["line"] == "2" and "0xFF" in rejects[0]["reason"] and "bad \\xFF byte" in rejects[0]["raw"]
