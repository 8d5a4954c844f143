"""Maps in real headless Chromium, network off: they load from file://, draw, hold the expected
counts, log no errors, request nothing, and run none of the hostile text in the fixture."""
from __future__ import annotations

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
    assert "49" not in heading
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
