"""Format mappings in loaders/: parsing, and recognising a file's format without --format."""
from __future__ import annotations

import pytest

from graphkit.errors import LoadError
from graphkit.ingest.mappings import all_mappings, find, parse_mapping

from helpers import SHARED_DATA
from loadutil import FIXTURES_LOAD, write_bundle


def test_every_mapping_parses_and_names_importable_functions():
    mappings = all_mappings()
    assert "bundle" in mappings
    for mapping in mappings.values():
        assert mapping.title and mapping.description
        mapping.function(mapping.reader)
        if mapping.report_meta:
            mapping.function(mapping.report_meta)


@pytest.mark.parametrize("relative, name", [
    ("un_consolidated_2020-11-24.xml", "un_consolidated"),
    ("ofac_sdn_2024-05-03.csv", "ofac_sdn"),
    ("isis_twitter/tweets.csv", "tweets"),
])
def test_real_files_are_recognised(relative, name):
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is not available")
    if name not in all_mappings():
        pytest.skip(f"mapping {name} not present")
    assert find(path).name == name


def test_bundle_folder_zip_xlsx_are_recognised(tmp_path):
    import zipfile

    from openpyxl import Workbook

    assert find(FIXTURES_LOAD / "basic").name == "bundle"
    single = write_bundle(tmp_path / "b", {"accounts.csv": "platform,handle\nx,a\n"})
    assert find(single / "accounts.csv").name == "bundle"
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(single / "accounts.csv", "accounts.csv")
    assert find(archive).name == "bundle"
    book = Workbook()
    book.active.title = "accounts"
    book.active.append(["platform", "handle"])
    book.active.append(["x", "a"])
    workbook = tmp_path / "bundle.xlsx"
    book.save(workbook)
    assert find(workbook).name == "bundle"


def test_unrecognised_input_and_unknown_format(tmp_path):
    other = write_bundle(tmp_path / "x", {"notes.txt": "hello"})
    with pytest.raises(LoadError) as info:
        find(other)
    assert "cannot tell the format" in info.value.message and "--input-format" in info.value.hint
    with pytest.raises(LoadError) as info:
        find(other, "nosuch")
    assert "bundle" in info.value.hint


def test_a_mapping_without_reader_is_refused():
    with pytest.raises(LoadError, match="lacks reader"):
        parse_mapping({"name": "x", "title": "X", "description": "d"}, "loaders/x.yaml")
