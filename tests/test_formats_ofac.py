"""OFAC SDN CSV: the reader on a fixture, then the real file loaded.

Expected rows were worked out by hand from tests/fixtures/formats/ofac_small.csv (see the README
beside it). Decisions tested here: one ``designations`` row per program (FTO and SDGT separately);
a known group keeps its canonical name (graphkit/ingest/groups.yaml), the SDN spelling becomes an alias.
"""
from __future__ import annotations

import pytest
import yaml

from graphkit.errors import LoadError
from graphkit.ingest.formats import Skipped
from graphkit.ingest.formats import ofac
from graphkit.ingest.engine import load
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject

from helpers import FIXTURES, ROOT, SHARED_DATA
FIXTURE = FIXTURES / "formats" / "ofac_small.csv"
MAPPING = yaml.safe_load((ROOT / "loaders" / "ofac_sdn.yaml").read_text(encoding="utf-8"))
ISIL_K_REMARK = ("Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by "
                 "Executive Order 13886.")


def _read(path=FIXTURE):
    return list(ofac.read(path, MAPPING))


def _group(gid, name, aliases=None, description=None, ids=None, keys=None):
    return {"group_id": gid, "name": name, "aliases": aliases, "country": None, "description": description,
            "list_ids": ids, "match_keys": keys}


def _designation(gid, program, reference):
    return {"group_id": gid, "authority": "US", "program": program, "reference": reference, "listed_on": None}


def test_fto_and_sdgt_entities_become_groups_and_one_designation_per_program():
    rows = [(i.line, i.table, i.values) for i in _read() if isinstance(i, Row)]
    assert rows == [
        (2, "groups", _group("OFAC-4688", "ABU SAYYAF GROUP", ids="OFAC-4688", keys="abusayyafgroup")),
        (2, "designations", _designation("OFAC-4688", "FTO", "4688")),
        (2, "designations", _designation("OFAC-4688", "SDGT", "4688")),
        (3, "groups", _group("TTP", "Tehreek-e-Taliban Pakistan", aliases="TEHRIK-E TALIBAN PAKISTAN (TTP)",
                             ids="OFAC-12206", keys="tehriketalibanpakistan; ttp")),
        (3, "designations", _designation("TTP", "FTO", "12206")),
        (3, "designations", _designation("TTP", "SDGT", "12206")),
        (4, "groups", _group("ISIS-K", "Islamic State Khorasan Province", aliases="ISIL KHORASAN",
                             description=ISIL_K_REMARK, ids="OFAC-18647", keys="isilkhorasan")),
        (4, "designations", _designation("ISIS-K", "FTO", "18647")),
        (4, "designations", _designation("ISIS-K", "SDGT", "18647")),
        (5, "groups", _group("BLA", "Balochistan Liberation Army", aliases="BALOCHISTAN LIBERATION ARMY; BLA",
                             ids="OFAC-26953", keys="balochistanliberationarmy; bla")),
        (5, "designations", _designation("BLA", "SDGT", "26953")),
        (8, "groups", _group("OFAC-900003", "EXAMPLE FICTIONAL FRONT", aliases="EFF; OLD EXAMPLE FRONT",
                             description="Website www.example.org", ids="OFAC-900003",
                             keys="examplefictionalfront; eff; oldexamplefront")),
        (8, "designations", _designation("OFAC-900003", "SDGT", "900003")),
        (9, "groups", _group("OFAC-900005", "EXAMPLE CAFÉ FRONT", ids="OFAC-900005", keys="examplecafefront")),
        (9, "designations", _designation("OFAC-900005", "FTO", "900005")),
        # the individual of line 6 comes last, after every group (its ties need them)
        (6, "persons", {"person_id": "OFAC-900001", "name": "EXAMPLE, Fictional Person", "aliases": "EXAMPLE ALIAS ONE",
                        "nationality": "Example", "born": "01 Jan 1900",
                        "description": "DOB 01 Jan 1900; nationality Example; an invented person for tests; "
                                       "Linked To: EXAMPLE FICTIONAL FRONT; Linked To: EXAMPLE BANK NOT LISTED.",
                        # the second Linked To names no loaded entity of the file: no tie
                        "group_ids": "OFAC-900003", "authority": "US", "program": "SDGT", "reference": "900001",
                        "listed_on": None}),
    ]


def test_other_rows_are_skipped_with_a_reason_and_ragged_rows_rejected():
    items = _read()
    assert [(s.line, s.reason) for s in items if isinstance(s, Skipped)] == [
        (1, "entity without a FTO/SDGT program (see --programs)"),
        (7, "SDN type vessel (not an entity or a person)"),
    ]
    rejects = [r for r in items if isinstance(r, Reject)]
    assert [(r.line, r.reason, r.raw) for r in rejects] == [
        (10, "ragged row: 4 columns, expected 12", "900004,EXAMPLE RAGGED ROW,-0- ,SDGT")]
    # every record of the file is accounted for once: 10 records (the trailing 0x1A is not one)
    assert len({i.line for i in items}) == 10


def test_detect_needs_a_numeric_first_field(tmp_path):
    header = tmp_path / "with_header.csv"
    header.write_text("ent_num,name,type,program,title,call_sign,vessel_type,tonnage,grt,vessel_flag,"
                      "vessel_owner,remarks\n1,X,-0-,SDGT,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n", encoding="utf-8")
    assert ofac.detect(FIXTURE) is True
    assert ofac.detect(header) is False


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"")
    with pytest.raises(LoadError, match="is empty"):
        _read(path)


def test_utf16_file_reads_the_same_rows(tmp_path):
    path = tmp_path / "sdn16.csv"
    path.write_bytes(FIXTURE.read_bytes().decode("cp1252").encode("utf-16"))
    expected = [(i.line, i.values) for i in _read() if isinstance(i, Row)]
    assert [(i.line, i.values) for i in _read(path) if isinstance(i, Row)] == expected


# ---------------------------------------------------------------- loaded into the graph

def _us_programs(graph):
    return graph.read(
        "MATCH (g:Group)-[d:DESIGNATED_BY]->(:Authority {code: 'US'}) "
        "RETURN g.gid AS gid, collect(d.program) AS programs, collect(DISTINCT d.reference) AS refs "
        "ORDER BY gid")


def test_fixture_loads_one_us_designation_per_program(graph, tmp_path):
    summary = load(graph, FIXTURE, rejects=tmp_path / "rejects.csv", progress=False)
    counts = {r["table"]: (r["read"], r["rejected"]) for r in summary.as_rows(total=False)}
    # 6 FTO/SDGT entities + the ragged row (a reject, counted under groups); 9 programs; 1 person
    assert counts == {"groups": (7, 1), "designations": (9, 0), "persons": (1, 0)}
    assert summary.skipped == {
        (str(FIXTURE), "entity without a FTO/SDGT program (see --programs)"): 1,
        (str(FIXTURE), "SDN type vessel (not an entity or a person)"): 1,
    }
    assert graph.read("MATCH (p:Person)-[:ASSOCIATED_WITH]->(g:Group) RETURN p.pid AS pid, g.gid AS gid") == [
        {"pid": "OFAC-900001", "gid": "OFAC-900003"}]
    got = [{**r, "programs": sorted(r["programs"])} for r in _us_programs(graph)]
    assert got == [
        {"gid": "BLA", "programs": ["SDGT"], "refs": ["26953"]},
        {"gid": "ISIS-K", "programs": ["FTO", "SDGT"], "refs": ["18647"]},
        {"gid": "OFAC-4688", "programs": ["FTO", "SDGT"], "refs": ["4688"]},
        {"gid": "OFAC-900003", "programs": ["SDGT"], "refs": ["900003"]},
        {"gid": "OFAC-900005", "programs": ["FTO"], "refs": ["900005"]},
        {"gid": "TTP", "programs": ["FTO", "SDGT"], "refs": ["12206"]},
    ]
    assert graph.read("MATCH (g:Group {gid: 'BLA'}) RETURN g.aliases AS aliases") == [
        {"aliases": ["BALOCHISTAN LIBERATION ARMY", "BLA"]}]


REAL = SHARED_DATA / "ofac_sdn_2024-05-03.csv"


def _independent_count(path):
    """FTO/SDGT entities and their programs, parsed here without graphkit."""
    import csv
    import re

    entities, programs = 0, {"FTO": 0, "SDGT": 0}
    rows, individuals, linked_to_al_qaida = 0, 0, 0
    with open(path, encoding="utf-8", newline="") as handle:
        for cells in csv.reader(handle):
            if len(cells) != 12:
                continue  # the trailing 0x1A line
            rows += 1
            listed = {p.strip() for p in cells[3].replace("[", "").replace("]", "|").split("|")}
            wanted = listed & {"FTO", "SDGT"}
            if cells[2].strip() == "-0-" and wanted:
                entities += 1
                for p in wanted:
                    programs[p] += 1
            if cells[2].strip() == "individual" and wanted:
                individuals += 1
                linked_to_al_qaida += bool(re.search(r"Linked To: AL QA'IDA(?:[.;]|$)", cells[11]))
    return rows, entities, programs, individuals, linked_to_al_qaida


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason=f"the real OFAC SDN list is not at {REAL} (../shared/data absent)")
def test_real_ofac_list(graph, tmp_path):
    rows, entities, programs, individuals, linked = _independent_count(REAL)
    assert (rows, entities, individuals, linked) == (14965, 845, 1349, 19)

    summary = load(graph, REAL, rejects=tmp_path / "rejects.csv", progress=False)
    counts = {r["table"]: (r["read"], r["rejected"]) for r in summary.as_rows(total=False)}
    assert counts == {"groups": (entities, 0), "designations": (programs["FTO"] + programs["SDGT"], 0),
                      "persons": (individuals, 0)}
    # every SDN row is either loaded or skipped with a reason
    assert entities + individuals + sum(summary.skipped.values()) == rows
    assert graph.read("MATCH (g:Group) RETURN count(g) AS n") == [{"n": entities}]
    assert graph.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": individuals}]
    # "Linked To: AL QA'IDA" ties each of those individuals to the group of ent_num 6366
    assert graph.read("MATCH (:Person)-[:ASSOCIATED_WITH]->(g:Group {gid: 'OFAC-6366'}) "
                      "RETURN g.name AS name, count(*) AS n") == [{"name": "AL QA'IDA", "n": linked}]
    by_program = graph.read("MATCH (:Group)-[d:DESIGNATED_BY]->(:Authority {code: 'US'}) "
                            "RETURN d.program AS program, count(*) AS n ORDER BY program")
    assert by_program == [{"program": "FTO", "n": programs["FTO"]}, {"program": "SDGT", "n": programs["SDGT"]}]

    known = [{**r, "programs": sorted(r["programs"])} for r in _us_programs(graph)
             if r["gid"] in ("TTP", "ISIS-K", "BLA", "BLF")]
    assert known == [
        {"gid": "BLA", "programs": ["SDGT"], "refs": ["26953"]},
        {"gid": "ISIS-K", "programs": ["FTO", "SDGT"], "refs": ["18647"]},
        {"gid": "TTP", "programs": ["FTO", "SDGT"], "refs": ["12206"]},
    ]
    assert graph.read("MATCH (g:Group {gid: 'BLA'}) RETURN g.name AS name, g.aliases AS aliases") == [
        {"name": "Balochistan Liberation Army", "aliases": ["BALOCHISTAN LIBERATION ARMY", "BLA"]}]


def test_un_and_ofac_designations_meet_on_one_group(graph, tmp_path):
    un_fixture = FIXTURES / "formats" / "un_small.xml"
    load(graph, [un_fixture, FIXTURE], rejects=tmp_path / "rejects.csv", progress=False)
    got = graph.read("MATCH (:Group {gid: 'TTP'})-[d:DESIGNATED_BY]->(a:Authority) "
                     "RETURN a.code AS code, d.program AS program, d.reference AS reference ORDER BY code, program")
    assert got == [{"code": "UN", "program": "Al-Qaida", "reference": "QDe.132"},
                   {"code": "US", "program": "FTO", "reference": "12206"},
                   {"code": "US", "program": "SDGT", "reference": "12206"}]
    # one group, named as in graphkit/ingest/groups.yaml whichever list came last, with both lists' spellings
    assert graph.read("MATCH (g:Group {gid: 'TTP'}) RETURN g.name AS name, g.aliases[0] AS first") == [
        {"name": "Tehreek-e-Taliban Pakistan", "first": "TEHRIK-E TALIBAN PAKISTAN (TTP)"}]
