"""Designation lists together: one organisation is one Group whichever list is loaded first,
designated individuals are Persons tied to their groups, ``--programs`` picks the programs.

Expected answers worked out by hand from tests/fixtures/formats/{un_small.xml, ofac_small.csv}
(see the README beside them) and, for the slow test, from the real files in ../shared/data
(grep them: UN ``AL-QAIDA`` QDe.004 and OFAC ``AL QA'IDA`` ent_num 6366; TTP QDe.132 / 12206).
"""
from __future__ import annotations

import pytest

from graphkit.model import schema
from graphkit.ingest.engine import load

from helpers import FIXTURES, SHARED_DATA
from loadutil import dump

UN = FIXTURES / "formats" / "un_small.xml"
OFAC = FIXTURES / "formats" / "ofac_small.csv"


def _load(graph, tmp_path, *paths, **kwargs):
    summary = None
    for path in paths:  # one load per list, as a user loads them on different days
        summary = load(graph, path, rejects=tmp_path / "rejects.csv", progress=False, **kwargs)
    return summary


def _groups(graph):
    return graph.read("MATCH (g:Group) RETURN g.gid AS gid ORDER BY gid")


def test_the_same_organisation_on_both_lists_is_one_group_whichever_comes_first(graph, tmp_path):
    _load(graph, tmp_path, UN, OFAC)
    un_first = dump(graph, sort_lists=True)
    # UN: TTP, ISIS-K, UN-QDE.999; OFAC: OFAC-4688, TTP, ISIS-K, BLA, OFAC-900003, OFAC-900005.
    # OFAC-900003 "EXAMPLE FICTIONAL FRONT" a.k.a. 'EFF' is UN QDe.999 "EXAMPLE FICTIONAL FRONT (EFF)":
    # 6 groups, not 7
    assert [g["gid"] for g in _groups(graph)] == ["BLA", "ISIS-K", "OFAC-4688", "OFAC-900005", "TTP", "UN-QDE.999"]
    (front,) = graph.read(
        "MATCH (g:Group {gid: 'UN-QDE.999'}) RETURN g.name AS name, g.ids AS ids, g.description AS description, "
        "g.aliases AS aliases, COLLECT { MATCH (g)-[d:DESIGNATED_BY]->(a) RETURN a.code + ' ' + d.program + ' ' + "
        "d.reference } AS designations")
    assert front["name"] == "EXAMPLE FICTIONAL FRONT (EFF)"  # the UN's, whichever list came last
    assert sorted(front["ids"]) == ["OFAC-900003", "UN-QDE.999"]
    assert front["description"] == "An invented entity for tests. Not a real group."
    assert "EXAMPLE FICTIONAL FRONT" in front["aliases"]  # the OFAC spelling
    assert sorted(front["designations"]) == ["UN Al-Qaida QDe.999", "US SDGT 900003"]
    # both lists' persons end on it: the UN one by reference (QDe.999), the OFAC one by "Linked To:"
    assert graph.read("MATCH (p:Person)-[:ASSOCIATED_WITH]->(g:Group) RETURN p.pid AS pid, g.gid AS gid "
                      "ORDER BY pid, gid") == [
        {"pid": "OFAC-900001", "gid": "UN-QDE.999"},
        {"pid": "UN-QDI.990", "gid": "TTP"},
        {"pid": "UN-QDI.990", "gid": "UN-QDE.999"},
    ]

    schema.wipe(graph)
    _load(graph, tmp_path, OFAC, UN)
    assert dump(graph, sort_lists=True) == un_first

    again = _load(graph, tmp_path, UN, OFAC)  # loading again changes nothing
    assert dump(graph, sort_lists=True) == un_first
    assert again.totals()["created"] == again.totals()["updated"] == 0


def test_two_entries_of_one_list_are_never_merged(graph, tmp_path):
    """Two SDN entries sharing a name are two organisations by OFAC's own word (branches)."""
    sdn = tmp_path / "sdn.csv"
    row = '{n},"EXAMPLE BRANCH FOUNDATION",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    sdn.write_text(row.format(n=900101) + row.format(n=900102), encoding="utf-8")
    _load(graph, tmp_path, sdn)
    assert [g["gid"] for g in _groups(graph)] == ["OFAC-900101", "OFAC-900102"]
    assert graph.read("MATCH (g:Group) RETURN g.match_keys AS keys") == [{"keys": []}, {"keys": []}]


def test_a_un_entry_is_one_designation_whatever_a_report_calls_its_regime(graph, tmp_path):
    # bundle_small says "ISIL (Da'esh) and Al-Qaida" for QDe.132, the UN list "Al-Qaida": one designation
    _load(graph, tmp_path, FIXTURES / "bundle_small", UN)
    assert graph.read("MATCH (g:Group)-[d:DESIGNATED_BY]->(:Authority {code: 'UN'}) WHERE d.reference = 'QDe.132' "
                      "RETURN g.gid AS gid, d.program AS program, d.listed_on AS listed_on, size(d.reports) AS reports"
                      ) == [{"gid": "TTP", "program": "Al-Qaida", "listed_on": "2011-07-29", "reports": 2}]


def test_programs_option_keeps_only_the_named_programs(graph, cli, tmp_path):
    result = cli("load", str(OFAC), "--programs", "FTO", "--rejects", str(tmp_path / "r.csv"))
    assert result.returncode in (0, 3), result.stderr  # the fixture's ragged row is a reject
    # FTO entities only: BLA and EXAMPLE FICTIONAL FRONT are SDGT only; the individual is SDGT
    assert [g["gid"] for g in _groups(graph)] == ["ISIS-K", "OFAC-4688", "OFAC-900005", "TTP"]
    assert graph.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 0}]
    assert "individual without a FTO program (see --programs)" in result.stderr

    schema.wipe(graph)
    result = cli("load", str(UN), "--programs", "all", "--rejects", str(tmp_path / "r.csv"))
    assert "UN-IQE.999" in [g["gid"] for g in _groups(graph)]  # the Iraq regime, skipped by default

    help_text = " ".join(cli("load", "--help").stdout.split())
    assert "--programs" in help_text and "FTO,SDGT" in help_text and "Al-Qaida,Taliban" in help_text


def test_programs_option_on_a_bundle_is_a_note_not_an_error(graph, tmp_path):
    summary = load(graph, FIXTURES / "bundle_small", progress=False, programs="FTO")
    assert any("--programs does not apply to the bundle format" in w for w in summary.warnings)


UN_REAL = SHARED_DATA / "un_consolidated_2020-11-24.xml"
OFAC_REAL = SHARED_DATA / "ofac_sdn_2024-05-03.csv"


@pytest.mark.slow
@pytest.mark.skipif(not (UN_REAL.exists() and OFAC_REAL.exists()), reason="the real lists are not in ../shared/data")
def test_real_lists_together(graph, tmp_path):
    _load(graph, tmp_path, UN_REAL, OFAC_REAL)
    # 94 UN groups (Al-Qaida and Taliban regimes) + 845 OFAC FTO/SDGT entities - 60 found on both
    # lists (1,146 groups before: every UN regime, no cross-list matching); persons 397 + 1,349
    assert graph.read("MATCH (g:Group) RETURN count(g) AS n") == [{"n": 879}]
    assert graph.read("MATCH (g:Group) WHERE size(g.ids) = 2 RETURN count(g) AS n") == [{"n": 60}]
    assert graph.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 1746}]
    # UN "AL-QAIDA" QDe.004 and OFAC "AL QA'IDA" 6366: one group, UN and US designations
    assert graph.read(
        "MATCH (g:Group)-[d:DESIGNATED_BY]->(a:Authority) WHERE g.name IN ['AL-QAIDA', \"AL QA'IDA\"] "
        "RETURN g.gid AS gid, g.name AS name, a.code + ' ' + d.program + ' ' + d.reference AS designation "
        "ORDER BY designation") == [
        {"gid": "UN-QDE.004", "name": "AL-QAIDA", "designation": "UN Al-Qaida QDe.004"},
        {"gid": "UN-QDE.004", "name": "AL-QAIDA", "designation": "US FTO 6366"},
        {"gid": "UN-QDE.004", "name": "AL-QAIDA", "designation": "US SDGT 6366"},
    ]
    # the 19 SDN individuals "Linked To: AL QA'IDA" are tied to that group
    assert graph.read("MATCH (p:Person)-[:ASSOCIATED_WITH]->(:Group {gid: 'UN-QDE.004'}) WHERE p.pid STARTS WITH "
                      "'OFAC-' RETURN count(p) AS n") == [{"n": 19}]
    # QDe.132 (TTP, listed 2011-07-29) appears once
    assert graph.read("MATCH (g:Group)-[d:DESIGNATED_BY]->() WHERE d.reference = 'QDe.132' "
                      "RETURN g.gid AS gid, d.listed_on AS listed_on") == [{"gid": "TTP", "listed_on": "2011-07-29"}]
    # Noor Wali Mehsud, "Leader of Tehrik-e Taliban Pakistan (TTP) (QDe.132)", with his own designation
    assert graph.read("MATCH (a:Authority)<-[d:DESIGNATED_BY]-(p:Person {pid: 'UN-QDI.427'})-[:ASSOCIATED_WITH]->"
                      "(g:Group) RETURN p.name AS name, g.gid AS gid, a.code + ' ' + d.reference AS designation") == [
        {"name": "Noor Wali Mehsud", "gid": "TTP", "designation": "UN QDi.427"}]
