"""The letter and the briefing in real headless Chromium, network off: they open from file://,
show the hostile text of the fixture literally, run none of it, log no error and request nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from graphkit.takedowns import draft
from graphkit.takedowns.briefing import briefing

import browser
from test_takedowns import HOSTILE_EXCERPT, HOSTILE_NAME, build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(browser.available() is not None, reason=str(browser.available())),
]

JULY_1 = datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc)
HOSTILE_GROUP = "{{7*7}}</h1><script>window.pwned=5</script>"


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as driver:
        yield driver


def _open(chromium, path):
    chromium.get("about:blank")
    chromium.get_log("performance")
    chromium.get_log("browser")
    page = browser.open_file(chromium, path)
    page.wait_for("document.readyState === 'complete'", timeout=60)
    return page


def _assert_clean(page):
    assert page.console_errors() == []
    assert [u for u in page.requests() if not u.startswith(("file:", "data:", "about:"))] == []
    assert page.js("return window.pwned") is None
    assert page.js("return document.querySelectorAll('script, img, iframe, object, embed').length") == 0


def test_letter_offline_with_hostile_text_inert(graph, chromium, tmp_path):
    build(graph)
    paths = draft(graph, "x", group="TTP", now=JULY_1, requester="<b>Example Unit</b> (fictional)").write(tmp_path)
    page = _open(chromium, paths["letter"])
    _assert_clean(page)
    assert page.js("return document.querySelectorAll('tr.gk-target').length") == 3
    body = page.js("return document.body.innerText")
    assert HOSTILE_NAME in body and HOSTILE_EXCERPT in body
    assert "</td><img src=x onerror=window.pwned=4>" in body   # the designation programme, as text
    assert "<b>Example Unit</b> (fictional)" in body
    assert "{{7*7}}" in body and "49" not in body
    assert page.js("return document.querySelectorAll('#gk-from b, svg').length") == 0
    browser.screenshot(chromium, tmp_path / "letter.png")


def test_briefing_offline_with_charts_and_hostile_text_inert(graph, chromium, tmp_path):
    build(graph)
    graph.write("MATCH (g:Group {gid: 'BLA'}) SET g.name = $name", {"name": HOSTILE_GROUP})
    graph.write("MATCH (s:Account {key: 'x:khyber_voice_fixture'})-[r:MIRROR_OF]->() "
                "SET r.evidence = $e, r.detected_at = datetime('2025-06-28T00:00:00Z'), r.score = 0.8",
                {"e": HOSTILE_NAME})
    draft(graph, "x", group="TTP", now=JULY_1).record(graph)
    # since 2025-05-01 the hostile account (first seen 2025-05-15) is new: its display name is listed
    path = briefing(graph, since="2025-05-01", as_of="2025-07-05").write(tmp_path / "briefing.html")
    page = _open(chromium, path)
    _assert_clean(page)
    # compliance bars: facebook and x; timeline: 2025-03 .. 2025-07 (5 months, two bars each)
    assert page.js("return document.querySelectorAll('#gk-compliance-chart rect.bar').length") == 2
    assert page.js("return document.querySelectorAll('#gk-timeline-chart rect').length") == 10
    assert page.js("return document.querySelectorAll('#gk-map g.node').length") > 3
    body = page.js("return document.body.innerText")
    assert HOSTILE_NAME in page.js("return document.getElementById('gk-mirrors').innerText")  # evidence
    assert HOSTILE_NAME in page.js("return document.getElementById('gk-new').innerText")      # a name
    assert page.js("return document.querySelectorAll('section script, section img').length") == 0
    browser.screenshot(chromium, tmp_path / "briefing.png")
