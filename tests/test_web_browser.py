"""The workbench in real headless Chromium: open it with the token, run a query from its form and
read the table, open a profile, confirm a candidate in the review queue with the keyboard and see
it in mirror-chains. Chromium is fenced off the network (every host but 127.0.0.1 goes to a dead
proxy) and every request it makes is checked to stay on 127.0.0.1; no console error; the hostile
account's markup runs nothing. One uvicorn server thread for the module."""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from graphkit.web import create_app

import browser
import web_fixture as wf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(browser.available() is not None, reason=str(browser.available())),
]

# every request to a host other than 127.0.0.1 goes to a proxy that is not there
FENCE = ("--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(g):
    import uvicorn

    wf.build(g)
    port = _free_port()
    app = create_app(g, wf.TOKEN, port=port, analyst="desk-7")
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the workbench did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium(offline=False, flags=FENCE) as driver:
        yield driver


def _go(driver, url: str) -> browser.Page:
    driver.get(url)
    page = browser.Page(driver)
    page.wait_for("document.readyState === 'complete'")
    return page


def _shoot(driver, name: str) -> None:
    folder = os.environ.get("GRAPHKIT_WEB_SCREENSHOTS")
    if folder:
        browser.screenshot(driver, Path(folder) / f"workbench-{name}.png")


def test_workbench_end_to_end_in_chromium(server, chromium):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    chromium.get("about:blank")
    chromium.get_log("performance")  # drop the browser's own start-up requests
    chromium.get_log("browser")
    page = _go(chromium, f"{server}/?token={wf.TOKEN}")
    assert chromium.current_url == f"{server}/"  # the token was traded for the cookie
    assert page.js("return document.querySelector('h1').textContent") == "Overview"
    assert page.js("return document.cookie") == ""  # HttpOnly: no script can read it

    # a canned query from its form; the table; sorting in the browser
    page = _go(chromium, f"{server}/queries/group-footprint")
    field = chromium.find_element(By.ID, "p-group")
    field.send_keys("TTP")
    chromium.find_element(By.ID, "run").click()
    page.wait_for("document.querySelector('#results tbody tr')")
    rows = page.js("return Array.from(document.querySelectorAll('#results tbody tr'))"
                   ".map(function (r) { return Array.from(r.cells).map(function (c) { return c.textContent; }); })")
    assert rows[0] == ["x", "5", "0", "2", "3", "20400"]  # as worked out in test_web
    assert {r[0] for r in rows} == {"x", "facebook", "tiktok", "telegram"}
    chromium.find_element(By.CSS_SELECTOR, "#results th[data-col='1'] button").click()
    ascending = page.js("return Array.from(document.querySelectorAll('#results tbody tr'))"
                        ".map(function (r) { return Number(r.cells[1].textContent); })")
    assert ascending == sorted(ascending) and ascending[-1] == 5
    _shoot(chromium, "query")

    # a profile, found from the search box
    box = chromium.find_element(By.CSS_SELECTOR, "header .find input")
    box.send_keys("x:UmarMedia_Example3", Keys.ENTER)
    page.wait_for("location.pathname === '/account'")
    page.wait_for("document.readyState === 'complete'")
    assert "Umar Media (example)" in page.js("return document.querySelector('h1').textContent")
    assert page.js("return document.querySelectorAll('svg.timeline rect.bar').length") == 2
    _shoot(chromium, "profile")

    # the hostile account's page: shown as text, nothing runs
    page = _go(chromium, f"{server}/account?a=x:hostile_example2")
    assert wf.HOSTILE_NAME in page.js("return document.querySelector('h1').textContent")
    assert page.js("return window.pwned") is None

    # the review queue: a note, then the keyboard's c confirms; the next candidate is there at once
    page = _go(chromium, f"{server}/review")
    assert page.js("return document.querySelector('input[name=successor]').value") == wf.CANDIDATE[0]
    _shoot(chromium, "review")
    chromium.find_element(By.TAG_NAME, "body").send_keys("n")
    chromium.switch_to.active_element.send_keys("same name, 3 days", Keys.ESCAPE)
    chromium.find_element(By.TAG_NAME, "body").send_keys("c")
    page.wait_for("document.getElementById('flash')")
    assert "confirmed" in page.js("return document.getElementById('flash').textContent")
    assert page.js("return document.querySelector('input[name=successor]').value") == "x:hostile_example2"
    assert page.js("return window.pwned") is None

    # ... and the chain counts in mirror-chains
    page = _go(chromium, f"{server}/queries/mirror-chains?run=1")
    chains = page.js("return Array.from(document.querySelectorAll('#results tbody tr'))"
                     ".map(function (r) { return r.cells[0].innerText; })")
    assert "facebook:Khorasan.Voice.Example\nfacebook:Khorasan.Voice.Example2" in chains

    # the group page draws its map, sandboxed, when asked (not while the page loads)
    page = _go(chromium, f"{server}/group?g=TTP")
    assert page.js("return document.getElementById('group-map').hidden") is True
    before_map = page.requests()  # (reading the log empties it: kept for the check at the end)
    assert not any("/maps/view" in u for u in before_map)
    chromium.find_element(By.ID, "draw-map").click()
    chromium.switch_to.frame(chromium.find_element(By.CSS_SELECTOR, "iframe.map"))
    page.wait_for("window.graphkitMap && window.graphkitMap.ready", timeout=120)
    assert page.js("return window.graphkitMap.nodes") > 5
    assert page.js("return window.pwned") is None
    chromium.switch_to.default_content()
    assert page.js("return window.pwned") is None

    assert page.console_errors() == []  # every page since the start (the logs were not read before)
    urls = before_map + page.requests()
    assert f"{server}/maps/view?group=TTP&depth=1&max_nodes=150" in urls and f"{server}/static/workbench.js" in urls
    elsewhere = [u for u in urls if not u.startswith((server + "/", "data:", "about:"))]
    assert elsewhere == []
