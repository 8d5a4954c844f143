"""Network maps: what is fetched and drawn (counts worked out by hand in map_fixture.py),
escaping of hostile text in the HTML, the CLI. Browser checks are in test_maps_browser.py."""
from __future__ import annotations

import json
import re

import pytest

from graphkit.maps import data as map_data
from graphkit.maps import html as map_html
from graphkit.maps import build as maps
from graphkit.errors import MapError

import map_fixture as fx


def _data(html: str) -> dict:
    match = re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def _names(m: maps.NetworkMap) -> set[str]:
    return {n["name"] for n in _data(m.html())["nodes"]}


@pytest.fixture
def fixture_graph(graph):
    fx.build(graph)
    return graph


def test_group_depth_1(fixture_graph):
    # TTP and its five affiliates; edges: 5 affiliations + mirror + administers + posts in = 8
    m = maps.build_map(fixture_graph, group="TTP", depth=1)
    assert _names(m) == {"TTP", "x:Alpha_News_Ex", "x:Alpha_News_Ex2", "telegram:beta_ex",
                         "x:" + fx.HOSTILE_HANDLE, "telegram:ttp_channel_ex"}
    assert (m.n_nodes, m.n_edges) == (6, 8)
    assert m.physics is True and m.omitted == {}


def test_group_depth_2_drops_identifiers_that_link_nothing(fixture_graph):
    # hop 2 adds phone, email and OP-1; the phone's other user (gamma) is 3 hops away, so both
    # identifiers tie one node only and are not drawn: 7 nodes, 8 + operates = 9 edges
    m = maps.build_map(fixture_graph, group="ttp", depth=2)
    assert (m.n_nodes, m.n_edges) == (7, 9)
    assert "OP-1" not in _names(m) and "Operator One (example)" in _names(m)
    assert "2 identifiers used by only one node on this map not drawn" in m.html()


def test_group_depth_3_shows_the_shared_phone_as_a_hub(fixture_graph):
    # hop 3 reaches gamma through the phone: 10 nodes, less the single-use e-mail = 9;
    # edges 9 + alpha uses phone + gamma uses phone = 11 (gamma-BLA: BLA is 4 hops away)
    m = maps.build_map(fixture_graph, group="TTP", depth=3)
    assert (m.n_nodes, m.n_edges) == (9, 11)
    data = _data(m.html())
    phone = next(n for n in data["nodes"] if n["name"] == "phone:+923000000101")
    assert phone["shape"] == "diamond" and phone["size"] < 10


def test_account_map_by_any_spelling_and_rejected_mirror_not_followed(fixture_graph):
    # alpha's neighbours: TTP, alpha2 (mirror), the channel, phone, email (both single-use);
    # x:rejected_ex is tied by a rejected mirror link only. Induced edges: alpha-TTP, alpha2-TTP,
    # channel-TTP, alpha2->alpha, alpha posts in channel = 5
    m = maps.build_map(fixture_graph, account="X:@alpha_news_ex", depth=1)
    assert _names(m) == {"x:Alpha_News_Ex", "TTP", "x:Alpha_News_Ex2", "telegram:ttp_channel_ex"}
    assert (m.n_nodes, m.n_edges) == (4, 5)


def test_visual_encoding(fixture_graph):
    data = _data(maps.build_map(fixture_graph, group="TTP", depth=2).html())
    nodes = {n["name"]: n for n in data["nodes"]}
    ids = {n["id"]: n["name"] for n in data["nodes"]}
    assert nodes["TTP"]["shape"] == "star"
    assert nodes["telegram:ttp_channel_ex"]["shape"] == "square"
    assert nodes["Operator One (example)"]["shape"] == "triangle"
    alpha, alpha2, beta = nodes["x:Alpha_News_Ex"], nodes["x:Alpha_News_Ex2"], nodes["telegram:beta_ex"]
    assert alpha["shape"] == "dot" and alpha["size"] > alpha2["size"]  # 1,000 vs 10 followers
    assert alpha["color"]["border"] != beta["color"]["border"]         # x vs telegram
    assert beta["gone"] and beta["shapeProperties"]["borderDashes"]    # removed: dashed, greyed
    assert beta["color"]["background"] != beta["color"]["border"]
    assert not alpha["gone"] and "shapeProperties" not in alpha
    mirror = [e for e in data["edges"] if e["kind"] == "MIRROR_OF"]
    assert len(mirror) == 1
    # stored alpha2 -> alpha (successor -> predecessor); drawn predecessor -> successor
    assert (ids[mirror[0]["from"]], ids[mirror[0]["to"]]) == ("x:Alpha_News_Ex", "x:Alpha_News_Ex2")
    assert mirror[0]["arrows"]["to"]["enabled"] is True
    assert "followers: 1,000" in alpha["title"] and "groups: TTP" in alpha["title"]
    assert "status: removed" in beta["title"]


def test_heading_names_subject_time_and_reports(fixture_graph):
    html = maps.build_map(fixture_graph, group="TTP", depth=1).html()
    assert "Network map: group TTP, depth 1" in html
    assert re.search(r"Made \d{4}-\d\d-\d\d \d\d:\d\d UTC", html)
    assert "From 1 report: R-1" in html and "(2025-07-25)" in html


def test_max_nodes_keeps_nearest_and_best_connected_and_says_what_is_left_out(fixture_graph):
    # depth 1: TTP (seed) first; then by degree: alpha 3 (TTP, mirror, posts) and channel 3
    # (TTP, beta, alpha) -- tie broken by followers/members 1,000 > 500; alpha2, beta, hostile out
    m = maps.build_map(fixture_graph, group="TTP", depth=1, max_nodes=3)
    assert _names(m) == {"TTP", "x:Alpha_News_Ex", "telegram:ttp_channel_ex"}
    assert (m.n_nodes, m.n_edges) == (3, 3)
    assert m.omitted == {"Account": 3}
    assert "Capped at 3 nodes: 3 more left out (3 accounts)" in m.html()


def test_fetch_limit_stops_the_expansion_and_the_map_says_so(fixture_graph):
    # TTP has five neighbours at depth 1; a fetch limit of 3 stops after TTP and two of them
    # (the workbench's bound on a big group's map); without it the same call is complete
    m = maps.build_map(fixture_graph, group="TTP", depth=2, max_nodes=2, fetch_limit=3)
    assert m.n_nodes == 2
    assert "Expansion stopped after 3 nodes; the map is incomplete." in m.html()
    whole = maps.build_map(fixture_graph, group="TTP", depth=2, max_nodes=2)
    assert "Expansion stopped" not in whole.html()


def test_seeds_from_query_rows(fixture_graph):
    rows = [{"cluster": 1, "accounts": ["x:ALPHA_NEWS_EX2", "tiktok:nobody_here"],
             "evidence": "phone:+923000000101"},
            {"group": "bla", "note": "x is not an account"}]
    seeds, groups = map_data.seeds_from_rows(fixture_graph, rows)

    def keys(ids):
        return [r["k"] for r in fixture_graph.read(
            "MATCH (n) WHERE elementId(n) IN $ids RETURN coalesce(n.key, n.gid) AS k ORDER BY k",
            {"ids": ids})]

    assert keys(seeds) == ["x:alpha_news_ex2"] and keys(groups) == ["BLA"]


def test_map_from_a_canned_query(fixture_graph):
    # mirror-chains names the confirmed chain [x:Alpha_News_Ex, x:Alpha_News_Ex2] and its group
    # TTP. Groups beside accounts are drawn but not expanded. Depth 0: the two accounts and TTP,
    # edges alpha-TTP, alpha2-TTP, the mirror = 3.
    m = maps.build_map(fixture_graph, query="mirror-chains", depth=0)
    assert _names(m) == {"x:Alpha_News_Ex", "x:Alpha_News_Ex2", "TTP"}
    assert (m.n_nodes, m.n_edges) == (3, 3)
    # depth 1 adds the channel alpha posts in (and alpha's phone and e-mail, which link nothing
    # here); beta, who administers the channel, is two hops away: 4 nodes, 3 + alpha posts in
    # channel + channel-TTP = 5 edges
    m = maps.build_map(fixture_graph, query="mirror-chains", depth=1)
    assert _names(m) == {"x:Alpha_News_Ex", "x:Alpha_News_Ex2", "TTP", "telegram:ttp_channel_ex"}
    assert (m.n_nodes, m.n_edges) == (4, 5)
    assert "Network map: query mirror-chains, depth 1" in m.html()


def test_map_from_a_query_that_names_nothing_mappable(fixture_graph):
    with pytest.raises(MapError, match="name no account, channel or group"):
        maps.build_map(fixture_graph, query="mirror-chains", params={"status": "candidate"})


def test_hostile_text_is_escaped_in_the_html(fixture_graph):
    html = maps.build_map(fixture_graph, group="TTP", depth=1).html()
    for raw in ("<script>window.pwned", "<img src=x", "<svg onload", "</h1><script>"):
        assert raw not in html
    assert "&lt;/p&gt;&lt;img src=x onerror=&#34;window.pwned=5&#34;&gt;" in html  # report title
    data = _data(html)   # the JSON block round-trips to the exact strings
    hostile = next(n for n in data["nodes"] if n["name"] == "x:" + fx.HOSTILE_HANDLE)
    assert fx.HOSTILE_NAME in hostile["title"] and "{{7*7}}" in hostile["title"]
    assert "\u2028" in hostile["title"] and "\u2028" not in html
    assert "window.pwned" in html  # present, but only inside escaped data


def test_script_json_cannot_close_its_script_element():
    text = map_html.script_json({"a": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & >"}


def test_offline_html_has_no_external_reference(fixture_graph):
    html = maps.build_map(fixture_graph, group="TTP", depth=1).html()
    assert "default-src 'none'" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "cdn" not in html.lower().replace("cdn_resources", "")


def test_large_map_is_laid_out_in_python_without_physics(graph):
    # a group with 400 accounts: 401 nodes > LAYOUT_THRESHOLD, so positions come from Python
    graph.write("CREATE (g:Group {gid: 'TTP'}) WITH g UNWIND range(1, 400) AS i "
                "CREATE (:Account {key: 'x:bulk_' + i, platform: 'x', handle: 'bulk_' + i})"
                "-[:AFFILIATED_WITH]->(g)")
    m = maps.build_map(graph, group="TTP", depth=1)
    assert (m.n_nodes, m.n_edges, m.physics) == (401, 400, False)
    data = _data(m.html())
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 401


def test_bad_input_is_a_clear_error(fixture_graph):
    with pytest.raises(MapError, match="no group 'NOPE'"):
        maps.build_map(fixture_graph, group="NOPE")
    with pytest.raises(MapError, match="not an account reference"):
        maps.build_map(fixture_graph, account="no-platform-here")
    with pytest.raises(MapError, match="unknown platform"):
        maps.build_map(fixture_graph, account="myspace:someone")
    with pytest.raises(MapError, match="no account or channel x:nobody_ex"):
        maps.build_map(fixture_graph, account="x:nobody_ex")
    with pytest.raises(MapError, match="exactly one"):
        maps.build_map(fixture_graph, group="TTP", account="x:alpha_news_ex")
    with pytest.raises(MapError, match="depth"):
        maps.build_map(fixture_graph, group="TTP", depth=9)


def test_repr_html_is_an_isolated_iframe(fixture_graph):
    m = maps.build_map(fixture_graph, group="TTP", depth=1)
    frame = m._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and "<script" not in frame
    assert 'sandbox="allow-scripts"' in frame


def test_cli_writes_the_map(fixture_graph, cli, tmp_path):
    out = tmp_path / "ttp.html"
    result = cli("map", "--group", "TTP", "--depth", "1", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "6 nodes and 8 links" in result.stdout
    assert _data(out.read_text(encoding="utf-8"))["nodes"]


def test_cli_map_from_query(fixture_graph, cli, tmp_path):
    out = tmp_path / "chains.html"
    result = cli("map", "--query", "mirror-chains", "-p", "status", "confirmed", "--depth", "0",
                 "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "3 nodes and 3 links" in result.stdout


def test_cli_errors(fixture_graph, cli, tmp_path):
    result = cli("map", "--account", "x:nobody_ex", "-o", str(tmp_path / "a.html"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no account or channel x:nobody_ex")
    assert "Traceback" not in result.stderr
    result = cli("map", "-o", str(tmp_path / "a.html"))
    assert result.returncode != 0 and "exactly one" in result.stderr
    result = cli("map", "--group", "TTP", "-o", str(tmp_path / "missing" / "a.html"))
    assert result.returncode == 1 and "cannot write the map" in result.stderr
