"""Maps in real headless Chromium, network off: they load from file://, draw, hold the expected
counts, log no errors, request nothing, and run none of the hostile text in the fixture."""
from __future__ import annotations

import re

import pytest

from graphkit.maps import build as maps

import browser
import map_fixture as fx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(browser.available() is not None, reason=str(browser.available())),
]

READY = "window.graphkitMap && window.graphkitMap.ready"


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as driver:
        yield driver


def _open(chromium, path):
    chromium.get("about:blank")
    chromium.get_log("performance")  # drop what came before this page
    chromium.get_log("browser")
    page = browser.open_file(chromium, path)
    page.wait_for(READY, timeout=120)
    return page


def _assert_clean(page):
    assert page.console_errors() == []
    non_local = [u for u in page.requests() if not u.startswith(("file:", "data:", "about:"))]
    assert non_local == []
    assert page.js("return window.pwned") is None


def test_group_map_loads_offline_draws_and_counts(graph, chromium, tmp_path):
    fx.build(graph)
    path = maps.build_map(graph, group="TTP", depth=3).write(tmp_path / "ttp.html")
    page = _open(chromium, path)
    # 9 nodes and 11 links, worked out in test_maps.test_group_depth_3_...
    counts = page.js("var m = window.graphkitMap; return [m.nodes, m.edges, m.dataNodes, m.dataEdges,"
                     " m.network.body.nodeIndices.length, m.network.body.edgeIndices.length]")
    assert counts == [9, 11, 9, 11, 9, 11]
    assert page.canvas_ink() > 1000
    assert page.js("return navigator.onLine") is False
    _assert_clean(page)


def test_hostile_text_runs_nothing_and_shows_literally(graph, chromium, tmp_path):
    fx.build(graph)
    path = maps.build_map(graph, group="TTP", depth=1).write(tmp_path / "hostile.html")
    page = _open(chromium, path)
    _assert_clean(page)
    options = page.js("return Array.from(document.querySelectorAll('#gk-names option'))"
                      ".map(function (o) { return [o.value, o.textContent]; })")
    assert ["x:" + fx.HOSTILE_HANDLE] * 2 in options
    heading = page.js("return document.querySelector('header').innerText")
    assert fx.HOSTILE_REPORT in heading
    # {{7*7}} not evaluated (the heading's clock, e.g. 05:49 UTC, may hold a 49 of its own)
    assert "49" not in re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", heading)
    assert page.js("return document.querySelectorAll('header img, header svg, header script').length") == 0
    # hover the hostile account: the tooltip shows the bio as text, no element is created
    node_id = page.js("var name = arguments[0], ds = window.graphkitMap.network.body.data.nodes;"
                      "return ds.get({filter: function (n) { return n.name === name; }})[0].id;",
                      "x:" + fx.HOSTILE_HANDLE)
    page.js("""var net = window.graphkitMap.network, id = arguments[0];
        var p = net.canvasToDOM(net.getPosition(id)), c = document.querySelector('#gk-network canvas');
        var r = c.getBoundingClientRect();
        var ev = new MouseEvent('mousemove', {clientX: r.left + p.x, clientY: r.top + p.y, bubbles: true});
        c.dispatchEvent(ev);""", node_id)
    tip = page.wait_for("(function () { var t = document.querySelector('div.vis-tooltip');"
                        " return t && t.style.visibility !== 'hidden' && t.innerText; })()", timeout=10)
    assert fx.HOSTILE_NAME in tip and "{{7*7}}" in tip and fx.HOSTILE_URL in tip
    assert page.js("return document.querySelectorAll('div.vis-tooltip img, div.vis-tooltip script,"
                   " div.vis-tooltip svg').length") == 0
    # the search box finds the hostile handle and selects its node
    page.js("var i = document.getElementById('gk-search'); i.value = arguments[0];"
            "i.dispatchEvent(new Event('change'));", "x:" + fx.HOSTILE_HANDLE)
    assert page.js("return window.graphkitMap.network.getSelectedNodes()") == [node_id]
    _assert_clean(page)


def test_large_map_opens_without_physics(graph, chromium, tmp_path):
    graph.write("CREATE (g:Group {gid: 'BLA'}) WITH g UNWIND range(1, 600) AS i "
                "CREATE (a:Account {key: 'telegram:bulk_' + i, platform: 'telegram', handle: 'bulk_' + i,"
                " followers: i})-[:AFFILIATED_WITH]->(g) "
                "WITH a, i WHERE i % 3 = 0 "
                "MERGE (id:Identifier {key: 'phone:+9230000' + ((i / 3) % 30), kind: 'phone'}) "
                "CREATE (a)-[:USES]->(id)")
    # 1 group + 600 accounts + 30 phones (each used by 200/30 >= 6 accounts) = 631 nodes;
    # 600 affiliations + 200 uses = 800 links
    path = maps.build_map(graph, group="BLA", depth=2).write(tmp_path / "large.html")
    page = _open(chromium, path)
    assert page.js("var m = window.graphkitMap; return [m.nodes, m.edges, m.physics]") == [631, 800, False]
    assert page.canvas_ink() > 1000
    _assert_clean(page)


def _hover(page, canvas_point_js: str, *args):
    """Move the mouse to a point of the network (a JS expression giving {x, y} in canvas space)
    and return the tooltip's text once it shows."""
    page.js("""var net = window.graphkitMap.network, args = arguments;
        var p = net.canvasToDOM(""" + canvas_point_js + """), c = document.querySelector('#gk-network canvas');
        var r = c.getBoundingClientRect();
        c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + p.x, clientY: r.top + p.y, bubbles: true}));""",
            *args)
    return page.wait_for("(function () { var t = document.querySelector('div.vis-tooltip');"
                         " return t && t.style.visibility !== 'hidden' && t.innerText; })()", timeout=10)


def test_mention_map_draws_weighted_links_offline(graph, chromium, tmp_path):
    fx.build_mentions(graph, tmp_path)
    # hub and its partners ann, ben, cat; pairs hub-ann, hub-ben, hub-cat, ann-ben (test_maps_links)
    path = maps.build_map(graph, account="x:hub_ex", depth=1).write(tmp_path / "mentions.html")
    page = _open(chromium, path)
    assert page.js("var m = window.graphkitMap; return [m.nodes, m.edges,"
                   " m.network.body.edgeIndices.length]") == [4, 4, 4]
    assert page.canvas_ink() > 1000
    assert "mentions and retweets" in page.js("return document.getElementById('gk-legend').innerText")
    _assert_clean(page)
    # hover the middle of the hub-ann link: its tooltip gives the posts each way
    ends = page.js("var ds = window.graphkitMap.network.body.data;"
                   "var names = {}; ds.nodes.get().forEach(function (n) { names[n.id] = n.name; });"
                   "var e = ds.edges.get().filter(function (e) { var k = [names[e.from], names[e.to]].sort().join(' ');"
                   " return k === 'x:Ann_Ex x:Hub_Ex'; })[0]; return [e.from, e.to];")
    tip = _hover(page, "{x: (net.getPosition(args[0]).x + net.getPosition(args[1]).x) / 2,"
                       " y: (net.getPosition(args[0]).y + net.getPosition(args[1]).y) / 2}", *ends)
    assert "x:Hub_Ex mentions x:Ann_Ex in 5 posts (2 retweets)" in tip
    _assert_clean(page)


def test_query_map_draws_the_rows_links_on_top_and_runs_no_row_text(graph, chromium, tmp_path):
    fx.build(graph)
    # a candidate whose successor is the account with the hostile handle: the row's text (in the
    # link's tooltip) carries it
    graph.write("MATCH (h:Account {handle: $handle}), (a:Account {key: 'x:alpha_news_ex2'}) "
                "CREATE (h)-[:MIRROR_OF {status: 'candidate', score: 0.6, method: $method}]->(a)",
                {"handle": fx.HOSTILE_HANDLE, "method": fx.HOSTILE_NAME})
    # seeds: hostile, alpha2; depth 1: TTP, alpha (confirmed mirror of alpha2): 4 nodes;
    # edges hostile-TTP, alpha2-TTP, alpha-TTP, alpha2->alpha, hostile->alpha2 = 5
    path = maps.build_map(graph, query="mirror-candidates").write(tmp_path / "query.html")
    page = _open(chromium, path)
    assert page.js("var m = window.graphkitMap; return [m.nodes, m.edges]") == [4, 5]
    kinds = page.js("return window.graphkitMap.network.body.data.edges.get()"
                    ".map(function (e) { return [e.kind, e.query]; })")
    assert kinds[-1] == ["MIRROR_OF", True] and not any(q for _, q in kinds[:-1])
    assert page.js("return !!document.getElementById('gk-legend-query')") is True
    edge = page.js("var e = window.graphkitMap.network.body.data.edges.get(); e = e[e.length - 1];"
                   " return [e.from, e.to];")
    tip = _hover(page, "{x: (net.getPosition(args[0]).x + net.getPosition(args[1]).x) / 2,"
                       " y: (net.getPosition(args[0]).y + net.getPosition(args[1]).y) / 2}", *edge)
    assert "mirror-candidates row 1: successor x:" + fx.HOSTILE_HANDLE in tip
    assert fx.HOSTILE_NAME in tip
    # innerText turns the line breaks into <br>; nothing else becomes an element
    assert set(page.js("return Array.from(document.querySelectorAll('div.vis-tooltip *'))"
                       ".map(function (e) { return e.tagName; })")) == {"BR"}
    _assert_clean(page)
