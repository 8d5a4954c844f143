"""The forward map (graphkit map --forwards) of the fictional Telegram export in real headless
Chromium, network off: it draws the 10 nodes and 12 links counted in test_synth_telegram, logs no
error, requests nothing, and its legend explains the forward arrows."""
from __future__ import annotations

import pytest

from graphkit.ingest.engine import load
from graphkit.maps import build as maps
from graphkit.synth import telegram as synth

import browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(browser.available() is not None, reason=str(browser.available())),
]


def test_forward_map_draws_offline_without_errors(graph, tmp_path):
    expected = synth.write(tmp_path / "export", seed=0)
    for item in expected["files"]:
        load(graph, [tmp_path / "export" / item["path"]], group=item["group"], rejects=tmp_path / "r.csv")
    path = maps.build_map(graph, forwards=True).write(tmp_path / "forwards.html")
    with browser.chromium() as chromium:
        chromium.get("about:blank")
        chromium.get_log("performance")
        chromium.get_log("browser")
        page = browser.open_file(chromium, path)
        page.wait_for("window.graphkitMap && window.graphkitMap.ready", timeout=120)
        # 6 channels, the forwarded user and 3 groups; 8 forward links and 4 affiliations
        counts = page.js("var m = window.graphkitMap; return [m.nodes, m.edges,"
                         " m.network.body.nodeIndices.length, m.network.body.edgeIndices.length]")
        assert counts == [10, 12, 10, 12]
        assert page.canvas_ink() > 1000
        legend = page.js("var li = document.getElementById('gk-legend-forwards'); return li && li.innerText")
        assert legend and "channel" in legend and "source" in legend
        assert page.console_errors() == []
        assert [u for u in page.requests() if not u.startswith(("file:", "data:", "about:"))] == []
