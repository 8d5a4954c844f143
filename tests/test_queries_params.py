"""Parameters checked the same way everywhere (issue 11): a parameter that names a thing in the
graph (``refers:``) must name one that exists, else a clear error with the closest names that do
(the query library, the command line and the map share ``graphkit.queries.refs.check``); parameter headers
declare min/max or choices and the library refuses values outside them, naming what is allowed."""
from __future__ import annotations

import pytest

import graphkit
from graphkit.maps import build as maps
from graphkit.queries import refs
from graphkit.queries import library as q
from graphkit.errors import MapError, NotInGraph, ParameterError

from helpers import FIXTURES, run_cli
BUNDLE = FIXTURES / "bundle_small"


# ---------------------------------------------------------------- names that refer to the graph
def test_an_unknown_group_is_an_error_in_python(g):
    with pytest.raises(NotInGraph) as info:
        graphkit.query("group-footprint", g, group="XYZ")
    assert info.value.message == "group-footprint: no group 'XYZ' in the graph"
    # nothing is close to XYZ: the hint lists the four groups the fixture holds
    assert info.value.hint.startswith(
        "No group with a similar name; the graph holds BLA (Balochistan Liberation Army), "
        "BLF (Balochistan Liberation Front), ISIS-K (Islamic State Khorasan Province), "
        "TTP (Tehreek-e-Taliban Pakistan).")
    assert isinstance(info.value, ParameterError)  # callers that catch parameter errors still do


def test_a_misspelt_group_gets_the_closest_names(g):
    with pytest.raises(NotInGraph) as info:
        q.execute(g, "group-footprint", {"group": "TPP"})
    assert info.value.hint.startswith("Did you mean TTP (Tehreek-e-Taliban Pakistan)?")
    with pytest.raises(NotInGraph) as info:
        q.execute(g, "mirror-chains", {"group": "Baloch"})  # an optional parameter is checked too
    assert info.value.message == "mirror-chains: no group 'Baloch' in the graph"
    assert info.value.hint.startswith(
        "Did you mean BLA (Balochistan Liberation Army) or BLF (Balochistan Liberation Front)?")


def test_a_group_is_found_by_a_name_the_graph_holds(g):
    # "Baloch Liberation Army" is BLA's alias in the fixture's groups.csv; any case
    assert refs.check(g, "group", "BALOCH LIBERATION ARMY", typed="baloch liberation army") == "BLA"
    assert refs.check(g, "group", "ISIS-K") == "ISIS-K"
    assert len(q.run(g, "group-footprint", {"group": "Pakistani Taliban"})[0]) == 4
    # a group that exists but has nothing affiliated is no error: an empty table
    assert q.run(g, "group-footprint", {"group": "BLF"})[0] == []


def test_an_unknown_account_is_an_error(g):
    with pytest.raises(NotInGraph) as info:
        q.execute(g, "account-profile", {"account": "x:nobody"})
    assert info.value.message == "account-profile: no account x:nobody in the graph"
    assert info.value.hint.startswith(  # five accounts on x, none like 'nobody': all five are listed
        "No account with a similar name; the graph holds x:Khorasan_Voice_Example, x:TTP_Watch_Example, "
        "x:Umar_Media_Example, x:Umar_Media_Example2, x:UmarMedia_Example3.")
    with pytest.raises(NotInGraph) as info:
        q.execute(g, "account-profile", {"account": "x:UmarMedia_Exampel3"})
    # the nearest spelling first (ratio), then names that contain much of it
    assert info.value.hint.startswith("Did you mean x:UmarMedia_Example3, ")
    with pytest.raises(NotInGraph) as info:
        q.execute(g, "account-profile", {"account": "youtube:someone"})
    assert info.value.hint.startswith("The graph holds no account on youtube yet")


def test_refs_check_kinds(g):
    assert refs.check(g, "platform", "telegram") == "telegram"
    assert refs.check(g, "operator", "OP-KV") == "OP-KV"
    assert refs.check(g, "channel", "telegram:frontier_hub_example") == "telegram:frontier_hub_example"
    with pytest.raises(NotInGraph, match="no platform 'youtube' in the graph"):
        refs.check(g, "platform", "youtube")
    with pytest.raises(NotInGraph) as info:
        refs.check(g, "operator", "OP-KW")
    assert info.value.hint == "Did you mean OP-KV?"
    with pytest.raises(MapError, match="no channel telegram:frontier_hub in the graph"):
        refs.check(g, "channel", "telegram:frontier_hub", error=MapError)


@pytest.mark.parametrize("args, message, hint", [
    (["group-footprint", "-p", "group", "XYZ"], "Error: group-footprint: no group 'XYZ' in the graph",
     "Hint: No group with a similar name; the graph holds BLA"),
    (["group-footprint", "-p", "group", "TPP"], "Error: group-footprint: no group 'TPP' in the graph",
     "Hint: Did you mean TTP (Tehreek-e-Taliban Pakistan)?"),
    (["account-profile", "-p", "account", "x:nobody"], "Error: account-profile: no account x:nobody in the graph",
     "Hint: No account with a similar name; the graph holds x:Khorasan_Voice_Example, "),
    (["account-profile", "-p", "account", "https://x.com/Umar_Media_Exampl"],
     "Error: account-profile: no account x:umar_media_exampl in the graph",
     "Hint: Did you mean x:Umar_Media_Example, x:Umar_Media_Example2 or x:UmarMedia_Example3?"),
])
def test_cli_refuses_a_name_the_graph_does_not_hold(g, args, message, hint):
    result = run_cli("query", *args)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == message and lines[1].startswith(hint), result.stderr
    assert "Traceback" not in result.stderr


def test_the_map_uses_the_same_check(g):
    with pytest.raises(MapError) as info:
        maps.build_map(g, group="TPP")
    assert (info.value.message, info.value.hint) == (
        "no group 'TPP' in the graph", "Did you mean TTP (Tehreek-e-Taliban Pakistan)?")
    with pytest.raises(MapError) as info:
        maps.build_map(g, account="x:UmarMedia_Exampel3")
    assert info.value.message == "no account or channel x:UmarMedia_Exampel3 in the graph"
    assert info.value.hint.startswith("Did you mean x:UmarMedia_Example3, ")
    with pytest.raises(NotInGraph, match="mirror-chains: no group 'TPP'"):  # a query map's parameters
        maps.build_map(g, query="mirror-chains", params={"group": "TPP"})


def test_every_parameter_that_names_a_thing_declares_it():
    for query in q.queries().values():
        for param in query.parameters:
            if param.type in ("group", "account", "platform"):
                assert param.refers, f"{query.name}: {param.name}"
    assert q.get("group-footprint").parameter("group").refers == "group"
    assert q.get("mirror-chains").parameter("group").refers == "group"
    assert q.get("account-profile").parameter("account").refers == "account"


# ---------------------------------------------------------------- ranges and choices
@pytest.mark.parametrize("name, values, message", [
    ("active-after-report", {"days": -5}, "parameter days must be at least 0, not -5"),
    ("active-after-report", {"days": "-1"}, "parameter days must be at least 0, not -1"),
    ("mirror-candidates", {"min_score": 1.5}, "parameter min_score must be from 0 to 1, not 1.5"),
    ("mirror-candidates", {"min_score": "-0.1"}, "parameter min_score must be from 0 to 1, not -0.1"),
    ("mirror-chains", {"status": "maybe"},
     "parameter status must be one of confirmed | candidate | rejected, not 'maybe'"),
    ("channel-hubs", {"min_groups": 0}, "parameter min_groups must be at least 1, not 0"),
    ("shared-operators", {"max_hub": 0}, "parameter max_hub must be at least 1, not 0"),
    ("shared-operators", {"min_evidence": -2}, "parameter min_evidence must be at least 1, not -2"),
    ("cross-group-links", {"max_hub": 0}, "parameter max_hub must be at least 1, not 0"),
    ("new-since", {"since": "2025-07-01", "limit": -1}, "parameter limit must be at least 0, not -1"),
])
def test_values_outside_the_declared_range_are_refused(name, values, message):
    with pytest.raises(ParameterError) as info:
        q.get(name).bind(values)
    assert info.value.message == f"{name}: {message}"
    for param in q.get(name).parameters:  # the hint lists what each parameter allows
        assert param.describe() in info.value.hint


def test_values_inside_the_range_pass():
    assert q.get("active-after-report").bind({"days": 0})["days"] == 0
    assert q.get("mirror-candidates").bind({"min_score": "1"})["min_score"] == 1.0
    assert q.get("mirror-chains").bind({"status": "Rejected"})["status"] == "rejected"  # any case
    assert q.get("new-since").bind({"since": "2025-07-01", "limit": 0})["limit"] == 0


def test_the_listing_shows_what_is_allowed():
    assert q.get("active-after-report").parameter("days").describe() == "days (integer, at least 0, default 30)"
    assert q.get("mirror-candidates").parameter("min_score").describe() == \
        "min_score (float, from 0 to 1, default none)"
    assert q.get("mirror-chains").parameter("status").describe() == \
        "status (string, one of confirmed | candidate | rejected, default 'confirmed')"


def test_cli_refuses_a_negative_number_of_days(g):
    result = run_cli("query", "active-after-report", "-p", "days", "-5")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: active-after-report: parameter days must be at least 0, not -5\n")
    assert "days (integer, at least 0, default 30)" in result.stderr
