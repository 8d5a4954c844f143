"""UN Security Council consolidated list XML: the reader on a fixture, then the real file loaded.

Expected rows were worked out by hand from tests/fixtures/formats/un_small.xml (see the README
beside it).
"""
from __future__ import annotations

import re

import pytest
import yaml

from graphkit.errors import LoadError
from graphkit.ingest.formats import Skipped
from graphkit.ingest.formats import un_xml
from graphkit.ingest.engine import load
from graphkit.ingest.records import Row

from helpers import FIXTURES, ROOT, SHARED_DATA
FIXTURE = FIXTURES / "formats" / "un_small.xml"
MAPPING = yaml.safe_load((ROOT / "loaders" / "un_consolidated.yaml").read_text(encoding="utf-8"))

TTP_COMMENT = ("Tehrik-e Taliban is based in the tribal areas along the Afghanistan/Pakistan border. "
               "Formed in 2007, its leader is Maulana Fazlullah (QDi.352). INTERPOL-UN Security Council "
               "Special Notice web link: https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Entities")


ALL = {**MAPPING, "options": {**MAPPING["options"], "programs": ["all"]}}
IRAQ_SKIPPED = "UN entity of the Iraq regime (not in --programs)"


def _read(path=FIXTURE, mapping=MAPPING):
    return list(un_xml.read(path, mapping))


def _values(items, table):
    return [(i.line, i.values) for i in items if isinstance(i, Row) and i.table == table]


def test_other_regimes_are_skipped_by_default_and_counted_with_their_line():
    skipped = [i for i in _read() if isinstance(i, Skipped)]
    assert [(s.line, s.reason) for s in skipped] == [(17, IRAQ_SKIPPED), (18, IRAQ_SKIPPED)]
    assert [i for i in _read(mapping=ALL) if isinstance(i, Skipped)] == []


def test_individuals_become_persons_tied_to_the_entities_their_comments_cite():
    persons = _values(_read(), "persons")
    assert persons == [
        (3, {"person_id": "UN-QDI.990", "name": "EXAMPLE FICTIONAL PERSON ONE", "aliases": "Example Alias Two",
             "nationality": "Example", "born": "1900-01-01",
             "description": "Fictional commander of Tehrik-e Taliban Pakistan (TTP) (QDe.132) and of EXAMPLE "
                            "FICTIONAL FRONT (QDe.999); also cites an entity not loaded (IQe.999).",
             "group_ids": "UN-QDE.132; UN-QDE.999; UN-IQE.999", "authority": "UN", "program": "Al-Qaida",
             "reference": "QDi.990", "listed_on": "2015-04-07-04:00"}),
        (4, {"person_id": "UN-TAI.990", "name": "EXAMPLE FICTIONAL PERSON TWO", "aliases": None,
             "nationality": None, "born": None, "description": None, "group_ids": None, "authority": "UN",
             "program": "Taliban", "reference": "TAi.990", "listed_on": "2001-01-25"}),
    ]
    # persons come after every group of the file (their ties need the groups)
    tables = [i.table for i in _read() if isinstance(i, Row)]
    assert tables[-2:] == ["persons", "persons"] and "persons" not in tables[:-2]


def test_entities_become_groups_with_known_gids_aliases_and_original_script():
    groups = _values(_read(mapping=ALL), "groups")
    assert [line for line, _ in groups] == [10, 11, 13, 17, 18]
    # a known group keeps its name from graphkit/ingest/groups.yaml; the UN spelling is its first alias
    assert groups[0][1] == {
        "group_id": "TTP", "name": "Tehreek-e-Taliban Pakistan",
        "aliases": "TEHRIK-E TALIBAN PAKISTAN (TTP); Tehrik-I-Taliban Pakistan; Tehrik-e-Taliban; "
                   "Pakistani Taliban; Tehreek-e-Taliban; تحریک طالبان پاکستان",
        "country": None, "description": TTP_COMMENT, "list_ids": "UN-QDE.132",
        "match_keys": "tehriketalibanpakistan; ttp; tehrikitalibanpakistan; tehriketaliban; pakistanitaliban; "
                      "tehreeketaliban; تحریکطالبانپاکستان",
    }
    # the name broken across two lines in the real file: "(ISIL-" / "K)"
    assert groups[1][1]["group_id"] == "ISIS-K"
    assert groups[1][1]["name"] == "Islamic State Khorasan Province"
    assert groups[1][1]["aliases"] == (
        "ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K); ISIL KHORASAN; ISLAMIC STATE’S KHORASAN PROVINCE; "
        "ISIS WILAYAT KHORASAN; ISIL’S SOUTH ASIA BRANCH; SOUTH ASIAN CHAPTER OF ISIL")
    assert groups[2][1] == {
        "group_id": "UN-QDE.999", "name": "EXAMPLE FICTIONAL FRONT (EFF)",
        "aliases": "Example Front, Fictional Wing; Old Example Front; مثال محاذ",
        "country": "Pakistan; Afghanistan",
        "description": "An invented entity for tests. Not a real group.", "list_ids": "UN-QDE.999",
        # (EFF) is an abbreviation of the name: a key of its own
        "match_keys": "examplefictionalfront; eff; examplefrontfictionalwing; oldexamplefront; مثالمحاذ",
    }
    assert groups[3][1] == {"group_id": "UN-DATAID-9000011", "name": "EXAMPLE UNREFERENCED GROUP",
                            "aliases": None, "country": None, "description": None,
                            "list_ids": "UN-DATAID-9000011", "match_keys": "exampleunreferencedgroup"}
    assert groups[4][1] == {"group_id": "UN-IQE.999", "name": None, "aliases": None, "country": None,
                            "description": None, "list_ids": "UN-IQE.999", "match_keys": None}


def test_every_entity_gets_one_un_designation():
    designations = _values(_read(mapping=ALL), "designations")
    assert designations == [
        (10, {"group_id": "TTP", "authority": "UN", "program": "Al-Qaida", "reference": "QDe.132",
              "listed_on": "2011-07-29"}),
        (11, {"group_id": "ISIS-K", "authority": "UN", "program": "Al-Qaida", "reference": "QDe.161",
              "listed_on": "2019-05-14"}),
        (13, {"group_id": "UN-QDE.999", "authority": "UN", "program": "Al-Qaida", "reference": "QDe.999",
              "listed_on": "2015-04-07-04:00"}),
        (17, {"group_id": "UN-DATAID-9000011", "authority": "UN", "program": "Iraq", "reference": None,
              "listed_on": None}),
        (18, {"group_id": "UN-IQE.999", "authority": "UN", "program": "Iraq", "reference": "IQe.999",
              "listed_on": "2004-04-07"}),
    ]


def test_rows_point_back_at_the_xml_elements():
    row = next(i for i in _read() if isinstance(i, Row))
    assert row.file == str(FIXTURE)
    assert row.column_of["listed_on"] == "LISTED_ON"
    assert row.column_of["aliases"] == "ENTITY_ALIAS/ALIAS_NAME | NAME_ORIGINAL_SCRIPT"


def test_detect_by_root_element(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?><OTHER_LIST><ENTITY/></OTHER_LIST>', encoding="utf-8")
    assert un_xml.detect(FIXTURE) is True
    assert un_xml.detect(other) is False
    assert un_xml.detect(ROOT / "pyproject.toml") is False


@pytest.mark.parametrize("content, message", [
    ("", "is empty"),
    ("this is not xml", "not well-formed"),
    ('<?xml version="1.0"?><OTHER_LIST></OTHER_LIST>', "not <CONSOLIDATED_LIST>"),
    ('<CONSOLIDATED_LIST>\n<ENTITIES>\n<ENTITY><FIRST_NAME>EXAMPLE</FIRST_NAME>\n', "line 4"),
])
def test_bad_xml_is_a_clear_load_error(tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        _read(path)
    assert message in caught.value.message
    assert caught.value.hint


def test_a_truncated_list_yields_the_records_before_the_break(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index("<ENTITY><DATAID>9000010")], encoding="utf-8")
    got = []
    with pytest.raises(LoadError):
        for item in un_xml.read(path, MAPPING):
            got.append(item)
    # the persons (read first, written after the groups) are lost with the end of the file
    assert [(type(i).__name__, i.line) for i in got] == [("Row", 10), ("Row", 10), ("Row", 11), ("Row", 11)]


# ---------------------------------------------------------------- loaded into the graph

def _designations(graph, authority):
    return graph.read(
        "MATCH (g:Group)-[d:DESIGNATED_BY]->(:Authority {code: $code}) "
        "RETURN g.gid AS gid, d.program AS program, d.reference AS reference, d.listed_on AS listed_on "
        "ORDER BY gid, program", {"code": authority})


def test_fixture_loads_the_terrorism_regimes_by_default(graph, tmp_path):
    summary = load(graph, FIXTURE, rejects=tmp_path / "rejects.csv", progress=False)
    counts = {r["table"]: (r["read"], r["rejected"]) for r in summary.as_rows(total=False)}
    assert counts == {"groups": (3, 0), "designations": (3, 0), "persons": (2, 0)}
    assert summary.skipped == {(str(FIXTURE), IRAQ_SKIPPED): 2}
    assert [d["gid"] for d in _designations(graph, "UN")] == ["ISIS-K", "TTP", "UN-QDE.999"]
    # the person's designation, and its ties to the two loaded entities its comments cite
    assert graph.read(
        "MATCH (p:Person {pid: 'UN-QDI.990'})-[d:DESIGNATED_BY]->(a:Authority) "
        "RETURN p.name AS name, p.born AS born, a.code AS code, d.program AS program, d.reference AS reference, "
        "d.listed_on AS listed_on, COLLECT { MATCH (p)-[:ASSOCIATED_WITH]->(g:Group) RETURN g.gid ORDER BY g.gid } "
        "AS groups") == [{"name": "EXAMPLE FICTIONAL PERSON ONE", "born": "1900-01-01", "code": "UN",
                          "program": "Al-Qaida", "reference": "QDi.990", "listed_on": "2015-04-07",
                          "groups": ["TTP", "UN-QDE.999"]}]
    assert graph.read("MATCH (g:Group) WHERE g.gid STARTS WITH 'UN-I' RETURN g.gid") == []  # IQe.999: not loaded


def test_fixture_loads_groups_and_un_designations_of_all_programs(graph, tmp_path):
    summary = load(graph, FIXTURE, rejects=tmp_path / "rejects.csv", progress=False, programs="all")
    counts = {r["table"]: (r["read"], r["rejected"]) for r in summary.as_rows(total=False)}
    # 5 entities; the one without a name (line 18) is rejected as a group, its designation loads
    # and creates that group (UN-DATAID-9000011): one group referred to
    assert counts == {"groups": (5, 1), "designations": (5, 0), "persons": (2, 0),
                      "groups (referred to)": (None, None)}
    assert [r["created"] for r in summary.as_rows() if r["table"] == "groups (referred to)"] == [1]
    assert summary.skipped == {}
    assert _designations(graph, "UN") == [
        {"gid": "ISIS-K", "program": "Al-Qaida", "reference": "QDe.161", "listed_on": "2019-05-14"},
        {"gid": "TTP", "program": "Al-Qaida", "reference": "QDe.132", "listed_on": "2011-07-29"},
        {"gid": "UN-DATAID-9000011", "program": "Iraq", "reference": None, "listed_on": None},
        {"gid": "UN-IQE.999", "program": "Iraq", "reference": "IQe.999", "listed_on": "2004-04-07"},
        # "2015-04-07-04:00" in the file: the date as written
        {"gid": "UN-QDE.999", "program": "Al-Qaida", "reference": "QDe.999", "listed_on": "2015-04-07"},
    ]
    (front,) = graph.read("MATCH (g:Group {gid: 'UN-QDE.999'}) RETURN g.name AS name, g.aliases AS aliases")
    assert front == {"name": "EXAMPLE FICTIONAL FRONT (EFF)",
                     "aliases": ["Example Front, Fictional Wing", "Old Example Front", "مثال محاذ"]}
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith(f"{FIXTURE},18,FIRST_NAME,")


def test_cli_recognises_the_un_list_without_format(graph, cli, tmp_path):
    result = cli("load", str(FIXTURE), "--rejects", str(tmp_path / "r.csv"))
    # the default programs skip the Iraq regime, whose nameless entity was the fixture's one reject
    assert result.returncode == 0, result.stderr
    assert "rejected; see " not in result.stderr
    assert f"Skipped 2 record(s) in {FIXTURE}: {IRAQ_SKIPPED}" in result.stderr
    assert graph.read("MATCH (r:Report) RETURN r.format AS format") == [{"format": "un_consolidated"}]


REAL = SHARED_DATA / "un_consolidated_2020-11-24.xml"


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason=f"the real UN list is not at {REAL} (../shared/data absent)")
def test_real_un_list(graph, tmp_path):
    text = REAL.read_text(encoding="utf-8")
    entities, individuals = text.count("<ENTITY>"), text.count("<INDIVIDUAL>")
    assert (entities, individuals) == (305, 713)  # the README's figures, counted independently here

    # the two counter-terrorism regimes, counted here without graphkit: 94 entities, 397 individuals
    kept = {tag: len(re.findall(rf"<{tag}>(?:(?!</{tag}>).)*?<UN_LIST_TYPE>(?:Al-Qaida|Taliban)</UN_LIST_TYPE>",
                                text, re.S)) for tag in ("ENTITY", "INDIVIDUAL")}
    assert kept == {"ENTITY": 94, "INDIVIDUAL": 397}

    summary = load(graph, REAL, rejects=tmp_path / "rejects.csv", progress=False)
    counts = {r["table"]: (r["read"], r["rejected"]) for r in summary.as_rows(total=False)}
    assert counts == {"groups": (94, 0), "designations": (94, 0), "persons": (397, 0)}
    assert sum(summary.skipped.values()) == entities - 94 + individuals - 397
    assert graph.read("MATCH (g:Group) RETURN count(g) AS n") == [{"n": 94}]  # 305 before: every regime
    assert graph.read("MATCH (:Group)-[d:DESIGNATED_BY]->(:Authority {code: 'UN'}) RETURN count(d) AS n") == [{"n": 94}]
    assert graph.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 397}]
    # Noor Wali Mehsud, "Leader of Tehrik-e Taliban Pakistan (TTP) (QDe.132)" (line 1226 of the file)
    assert graph.read("MATCH (p:Person {pid: 'UN-QDI.427'})-[:ASSOCIATED_WITH]->(g:Group) "
                      "RETURN p.name AS name, g.gid AS gid") == [{"name": "Noor Wali Mehsud", "gid": "TTP"}]

    known = [d for d in _designations(graph, "UN") if not d["gid"].startswith("UN-")]
    assert known == [
        {"gid": "ISIS-K", "program": "Al-Qaida", "reference": "QDe.161", "listed_on": "2019-05-14"},
        {"gid": "JUA", "program": "Al-Qaida", "reference": "QDe.152", "listed_on": "2017-07-06"},
        {"gid": "TGG", "program": "Al-Qaida", "reference": "QDe.160", "listed_on": "2019-03-22"},
        {"gid": "TTP", "program": "Al-Qaida", "reference": "QDe.132", "listed_on": "2011-07-29"},
    ]
    assert graph.read("MATCH (g:Group) WHERE g.gid IN ['BLA', 'BLF'] RETURN g.gid AS gid") == []
    (ttp,) = graph.read("MATCH (g:Group {gid: 'TTP'}) RETURN g.aliases AS aliases")
    assert "تحریک طالبان پاکستان" in ttp["aliases"]
    # the one entity listed with a date like 2015-03-27-04:00
    assert graph.read("MATCH (:Group)-[d:DESIGNATED_BY]->() WHERE d.listed_on = date('2015-03-27') "
                      "RETURN count(d) AS n") == [{"n": 1}]

    again = load(graph, REAL, rejects=tmp_path / "rejects2.csv", progress=False)
    assert again.totals()["unchanged"] == again.totals()["read"] == 94 + 94 + 397


def test_report_meta_takes_the_date_the_list_was_generated():
    assert un_xml.report_meta(FIXTURE, MAPPING) == {
        "source": "UN Security Council", "title": "Consolidated United Nations Security Council sanctions list",
        "date": "2020-11-24"}
