"""UN Security Council consolidated list XML: the reader on a fixture, then the real file loaded.

Expected rows were worked out by hand from tests/fixtures/formats/un_small.xml (see the README
beside it).
"""
from __future__ import annotations

import pytest
import yaml

from graphkit.errors import LoadError
from graphkit.formats import Skipped, un_xml
from graphkit.records import Row

from conftest import FIXTURES, ROOT

FIXTURE = FIXTURES / "formats" / "un_small.xml"
MAPPING = yaml.safe_load((ROOT / "loaders" / "un_consolidated.yaml").read_text(encoding="utf-8"))

TTP_COMMENT = ("Tehrik-e Taliban is based in the tribal areas along the Afghanistan/Pakistan border. "
               "Formed in 2007, its leader is Maulana Fazlullah (QDi.352). INTERPOL-UN Security Council "
               "Special Notice web link: https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Entities")


def _read(path=FIXTURE):
    return list(un_xml.read(path, MAPPING))


def _values(items, table):
    return [(i.line, i.values) for i in items if isinstance(i, Row) and i.table == table]


def test_individuals_are_skipped_and_counted_with_their_line():
    skipped = [i for i in _read() if isinstance(i, Skipped)]
    assert [(s.line, s.reason) for s in skipped] == [
        (3, "UN individual (a person, not a group)"), (4, "UN individual (a person, not a group)")]


def test_entities_become_groups_with_known_gids_aliases_and_original_script():
    groups = _values(_read(), "groups")
    assert [line for line, _ in groups] == [10, 11, 13, 17, 18]
    assert groups[0][1] == {
        "group_id": "TTP", "name": "TEHRIK-E TALIBAN PAKISTAN (TTP)",
        "aliases": "Tehrik-I-Taliban Pakistan; Tehrik-e-Taliban; Pakistani Taliban; Tehreek-e-Taliban; "
                   "تحریک طالبان پاکستان",
        "country": None, "description": TTP_COMMENT,
    }
    # the name broken across two lines in the real file: "(ISIL-" / "K)"
    assert groups[1][1]["group_id"] == "ISIS-K"
    assert groups[1][1]["name"] == "ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)"
    assert groups[1][1]["aliases"] == ("ISIL KHORASAN; ISLAMIC STATE’S KHORASAN PROVINCE; ISIS WILAYAT KHORASAN; "
                                       "ISIL’S SOUTH ASIA BRANCH; SOUTH ASIAN CHAPTER OF ISIL")
    assert groups[2][1] == {
        "group_id": "UN-QDe.999", "name": "EXAMPLE FICTIONAL FRONT (EFF)",
        "aliases": "Example Front, Fictional Wing; Old Example Front; مثال محاذ",
        "country": "Pakistan; Afghanistan",
        "description": "An invented entity for tests. Not a real group.",
    }
    assert groups[3][1] == {"group_id": "UN-DATAID-9000011", "name": "EXAMPLE UNREFERENCED GROUP",
                            "aliases": None, "country": None, "description": None}
    assert groups[4][1] == {"group_id": "UN-IQe.999", "name": None, "aliases": None, "country": None,
                            "description": None}


def test_every_entity_gets_one_un_designation():
    designations = _values(_read(), "designations")
    assert designations == [
        (10, {"group_id": "TTP", "authority": "UN", "program": "Al-Qaida", "reference": "QDe.132",
              "listed_on": "2011-07-29"}),
        (11, {"group_id": "ISIS-K", "authority": "UN", "program": "Al-Qaida", "reference": "QDe.161",
              "listed_on": "2019-05-14"}),
        (13, {"group_id": "UN-QDe.999", "authority": "UN", "program": "Al-Qaida", "reference": "QDe.999",
              "listed_on": "2015-04-07-04:00"}),
        (17, {"group_id": "UN-DATAID-9000011", "authority": "UN", "program": "Iraq", "reference": None,
              "listed_on": None}),
        (18, {"group_id": "UN-IQe.999", "authority": "UN", "program": "Iraq", "reference": "IQe.999",
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
    assert [(type(i).__name__, i.line) for i in got] == [
        ("Skipped", 3), ("Skipped", 4), ("Row", 10), ("Row", 10), ("Row", 11), ("Row", 11)]
