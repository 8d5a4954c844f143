"""Bad and awkward inputs: each loads what can be loaded, rejects the rest with a reason, and never
crashes. Bundles are written by each test (tiny, fictional)."""
from __future__ import annotations

import pytest

from graphkit.ingest.engine import load
from graphkit.ingest.rejects import read_rejects

from loadutil import write_bundle

HEADER = "platform,handle,display_name,bio,followers\n"


def _account(graph, key):
    rows = graph.read("MATCH (a:Account {key: $k}) RETURN a", {"k": key})
    return rows[0]["a"] if rows else None


def _rejects(summary):
    return [(r["line"], r["column"], r["reason"]) for r in read_rejects(summary.rejects_path)] \
        if summary.rejects_path else []


def test_ragged_rows_are_rejected_trailing_empty_fields_accepted(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": HEADER +
                                           "x,one,One,,1\n"
                                           "x,two,Two,,2,surplus\n"
                                           "x,three,Three\n"
                                           "x,four,Four,,4,,\n"})
    summary = load(graph, [bundle])
    assert summary.totals() == {"read": 4, "created": 2, "updated": 0, "unchanged": 0, "rejected": 2}
    assert _rejects(summary) == [("3", "", "ragged row: 6 fields but the header has 5"),
                                 ("4", "", "ragged row: 3 fields but the header has 5")]
    assert _account(graph, "x:four")["followers"] == 4


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters_are_sniffed(graph, tmp_path, delimiter):
    text = f"platform{delimiter}handle{delimiter}followers\nx{delimiter}semi{delimiter}5\n"
    summary = load(graph, [write_bundle(tmp_path / "b", {"accounts.csv": text})])
    assert summary.totals()["created"] == 1 and summary.totals()["rejected"] == 0
    assert _account(graph, "x:semi")["followers"] == 5


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf16_and_bom_files(graph, tmp_path, encoding):
    text = HEADER + "x,urdu_one,عسکری ونگ,تحریک طالبان,10\n"
    summary = load(graph, [write_bundle(tmp_path / "b", {"accounts.csv": text}, encoding=encoding)])
    assert summary.totals()["created"] == 1, summary.warnings
    assert summary.warnings == []  # the BOM did not turn 'platform' into an unknown column
    account = _account(graph, "x:urdu_one")
    assert account["display_name"] == "عسکری ونگ" and account["bio"] == "تحریک طالبان"


def test_latin1_file(graph, tmp_path):
    text = HEADER + "x,cafe_one,Café Ñandú,naïve,1\n"
    summary = load(graph, [write_bundle(tmp_path / "b", {"accounts.csv": text}, encoding="latin-1")])
    assert summary.totals()["created"] == 1
    assert _account(graph, "x:cafe_one")["display_name"] == "Café Ñandú"


def test_broken_utf8_later_in_a_file_rejects_only_that_row(graph, tmp_path):
    good = (HEADER + "".join(f"x,filler{i},Name {i},,1\n" for i in range(3000))).encode()
    data = good + b"x,broken,Bad \xff byte,,1\nx,after,After,,1\n"
    summary = load(graph, [write_bundle(tmp_path / "b", {"accounts.csv": data})])
    assert summary.totals()["read"] == 3002 and summary.totals()["rejected"] == 1
    [(line, column, reason)] = _rejects(summary)  # now with the column (graphkit.ingest.text's one rule)
    assert (line, column) == ("3002", "display_name") and reason.startswith("undecodable byte(s) 0xFF")
    assert _account(graph, "x:after") is not None and _account(graph, "x:broken") is None


def test_empty_and_header_only_files(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": "", "groups.csv": "group_id,name\n",
                                           "channels.csv": "\n\n"})
    summary = load(graph, [bundle])
    assert summary.totals()["read"] == 0
    assert "b/accounts.csv is empty (no header row): nothing to load from it" in summary.warnings
    assert graph.read("MATCH (n) WHERE NOT n:Report RETURN count(n) AS c")[0]["c"] == 0


def test_bad_dates_counts_platforms(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {
        "accounts.csv": "platform,handle,followers,created_at\n"
                        "x,ok_one,5,2024-02-29\n"
                        "x,bad_date,5,2023-02-29\n"
                        "x,neg,-1,\n"
                        "x,text_count,many,\n"
                        "friendster,who,1,\n"
                        "x,fraction,2.5,\n"})
    summary = load(graph, [bundle])
    assert [(line, column) for line, column, _ in _rejects(summary)] == [
        ("3", "created_at"), ("4", "followers"), ("5", "followers"), ("6", "platform"), ("7", "followers")]
    assert summary.totals()["created"] == 1


def test_ten_megabyte_cell_is_rejected_with_its_size(graph, tmp_path):
    huge = "A" * (10 * 1024 * 1024)
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": HEADER + f"x,huge,Huge,{huge},1\nx,small,Small,,2\n"})
    summary = load(graph, [bundle])
    assert summary.totals() == {"read": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    rejects = read_rejects(summary.rejects_path)
    assert rejects[0]["column"] == "bio" and "10,485,760 characters long (limit 1,000,000)" in rejects[0]["reason"]
    assert len(rejects[0]["raw"]) < 3000  # the raw record is clipped
    assert _account(graph, "x:small") is not None


def test_nul_bytes_are_removed(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": HEADER + "x,nul\x00one,Na\x00me,b\x00io,1\n"})
    summary = load(graph, [bundle])
    assert summary.totals()["created"] == 1
    account = _account(graph, "x:nulone")
    assert account["display_name"] == "Name" and account["bio"] == "bio" and account["handle"] == "nulone"


def test_cypher_looking_text_is_stored_literally(graph, tmp_path):
    evil = "'}) MATCH (n) DETACH DELETE n //"
    bundle = write_bundle(tmp_path / "b", {
        "groups.csv": 'group_id,name\nTTP,"Tehreek-e-Taliban Pakistan"\n',
        "accounts.csv": HEADER + f'x,evil,"{evil}","$rows}} RETURN 1; CREATE (:Hack)",1\n'})
    load(graph, [bundle])
    account = _account(graph, "x:evil")
    assert account["display_name"] == evil and account["bio"] == "$rows} RETURN 1; CREATE (:Hack)"
    assert graph.read("MATCH (g:Group {gid: 'TTP'}) RETURN count(g) AS c")[0]["c"] == 1
    assert graph.read("MATCH (h:Hack) RETURN count(h) AS c")[0]["c"] == 0


def test_urdu_pashto_arabic_names_and_handles(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {
        "groups.csv": "group_id,name,aliases\nTTP,تحریک طالبان پاکستان,د پاکستان طالبان\n",
        "accounts.csv": "platform,handle,display_name,group_id\n"
                        "telegram,@خبرونه_ټول,د خبرونو چینل,تحریک طالبان پاکستان\n"
                        "x,عربي,الأخبار,\n"})
    summary = load(graph, [bundle])
    assert summary.totals()["created"] == 3 and summary.totals()["rejected"] == 0
    pashto = _account(graph, "telegram:خبرونه_ټول")
    assert pashto["handle"] == "خبرونه_ټول" and pashto["display_name"] == "د خبرونو چینل"
    assert _account(graph, "x:عربي")["display_name"] == "الأخبار"
    group = graph.read("MATCH (:Account {key: 'telegram:خبرونه_ټول'})-[:AFFILIATED_WITH]->(g) RETURN g")[0]["g"]
    assert group["gid"] == "TTP" and group["name"] == "تحریک طالبان پاکستان" and group["aliases"] == ["د پاکستان طالبان"]


def test_rtl_and_zero_width_characters(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": HEADER +
                                           "x,exa\u200bmple\u200d,\u202eevil\u202c name,bio \u200f,1\n"
                                           "x,EXAMPLE,,,2\n"})
    summary = load(graph, [bundle])
    assert (summary.totals()["created"], summary.totals()["updated"]) == (1, 1)  # one account, key x:example
    account = _account(graph, "x:example")
    assert account["handle"] == "exa\u200bmple\u200d"  # raw spelling as first loaded
    assert account["display_name"] == "\u202eevil\u202c name"  # text kept as given
    assert account["followers"] == 2


def test_spreadsheet_formulas_stored_literally_and_escaped_in_rejects(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": HEADER +
                                           'x,formula,"=HYPERLINK(""http://example.org"",""x"")",+1+1,3\n'
                                           "=1+2,h,,,1\n"})
    summary = load(graph, [bundle])
    account = _account(graph, "x:formula")
    assert account["display_name"] == '=HYPERLINK("http://example.org","x")' and account["bio"] == "+1+1"
    rejects = read_rejects(summary.rejects_path)
    assert [(r["line"], r["column"]) for r in rejects] == [("3", "platform")]
    assert rejects[0]["raw"] == "'=1+2,h,,,1"  # a spreadsheet would not run it


def test_header_names_are_matched_loosely_and_rejects_use_the_files_spelling(graph, tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": "\ufeff Platform ,HANDLE,Display Name,Followers\n"
                                                           "X,loose,Loose One,7\nX,loose_two,,seven\n"})
    summary = load(graph, [bundle])
    assert summary.warnings == []
    assert _account(graph, "x:loose")["display_name"] == "Loose One"
    assert [(line, column) for line, column, _ in _rejects(summary)] == [("3", "Followers")]


def test_corrupt_zip_and_xlsx_are_clear_errors(graph, tmp_path):
    from graphkit.errors import LoadError

    for name in ("bundle.zip", "book.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 this is not really an archive")
        with pytest.raises(LoadError) as info:
            load(graph, [path], fmt="bundle")
        assert name in info.value.message
    assert graph.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0


def test_the_longest_bio_allowed_fits_the_bio_index(graph, tmp_path):
    # Account.bio is indexed (shared-operators groups bios by it) and a range index refuses values
    # over about 8 KB: the longest bio the loader accepts (8,000 bytes) must still be written
    bio = ("long bio " * 900)[:7998] + "é"  # 8,000 bytes in UTF-8
    summary = load(graph, [write_bundle(tmp_path / "b", {"accounts.csv": HEADER + f"x,long_bio,Long,{bio},1\n"})])
    assert summary.totals()["created"] == 1, _rejects(summary)
    assert _account(graph, "x:long_bio")["bio"] == bio.strip()
