"""The workbench's lock: token (query -> cookie, Bearer), Host check, CSRF, --read-only, headers,
hostile text inert on every page; and `graphkit serve` itself (one line, a fresh token)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser

import httpx
import pytest
from starlette.testclient import TestClient

from graphkit.web import create_app
from graphkit.web.security import CSP

from helpers import ROOT
import web_fixture as wf

PAGES = ["/", "/queries", "/queries/account-profile?account=x:hostile_example2&run=1",
         "/queries/mirror-candidates?run=1", "/queries/group-footprint?group=TTP&run=1",
         "/account?a=x:hostile_example", "/account?a=x:hostile_example2", "/search?q=hostile",
         "/groups", "/group?g=TTP", "/maps?account=x:hostile_example2", "/review", "/review?at=1",
         "/takedowns", "/queries/new-since?since=2025-01-01&run=1&page=1", "/maps?group=TTP&max_nodes=40",
         # a query's parameter given in the address comes back in the draft form's field, escaped
         "/takedowns?query=new-since&p.since=%22%3E%3Cimg%20src%3Dx%20onerror%3D%22window.pwned%3D7%22%3E"]
# the markup the workbench's templates write (hostile text must never add a tag to these pages)
ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "header", "a", "nav", "form", "input",
                "span", "main", "h1", "h2", "section", "div", "ul", "li", "table", "thead", "tr", "th", "tbody",
                "td", "p", "code", "button", "dl", "dt", "dd", "svg", "line", "text", "rect", "label", "select",
                "option", "small", "iframe", "strong", "kbd", "aside", "ol", "br", "q"}


@pytest.fixture(scope="module")
def app(g):
    wf.build(g)
    return create_app(g, wf.TOKEN, analyst=wf.HOSTILE_NOTE)


def client_for(app, **kwargs):
    return TestClient(app, base_url=kwargs.pop("base_url", wf.BASE), **kwargs)


@pytest.fixture(scope="module")
def client(app):
    with client_for(app, headers={"Authorization": f"Bearer {wf.TOKEN}"}) as c:
        yield c


def test_no_token_is_401_everywhere(app):
    with client_for(app) as anonymous:
        for url in ["/", "/review", "/api/queries", "/api/query/mirror-chains", "/static/workbench.js",
                    "/maps/view?group=TTP", "/nothing-here"]:
            response = anonymous.get(url)
            assert response.status_code == 401, url
            assert "token" in response.text and "Hostile" not in response.text
        assert anonymous.get("/?token=wrong").status_code == 401
        assert anonymous.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert anonymous.get("/", headers={"Cookie": "graphkit-8765=wrong"}).status_code == 401


def test_token_is_traded_for_a_strict_httponly_cookie(app):
    with client_for(app) as browser:
        first = browser.get(f"/review?at=1&token={wf.TOKEN}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/review?at=1"
        cookie = first.headers["set-cookie"]
        assert cookie.startswith(f"graphkit-8765={wf.TOKEN};")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert browser.get("/review?at=1").status_code == 200  # the cookie alone opens it now


def test_a_token_from_another_run_is_refused(g, app):
    other = create_app(g, "another-run-token-" + "y" * 30)
    with client_for(other, headers={"Authorization": f"Bearer {wf.TOKEN}"}) as stale:
        assert stale.get("/").status_code == 401
    with client_for(other) as stale:
        assert stale.get("/", headers={"Cookie": f"graphkit-8765={wf.TOKEN}"}).status_code == 401
        assert stale.get(f"/?token={wf.TOKEN}", follow_redirects=False).status_code == 401


def test_wrong_host_is_refused_even_with_the_token(app):
    bearer = {"Authorization": f"Bearer {wf.TOKEN}"}
    for base in ["http://evil.example:8765", "http://127.0.0.1:9999", "http://127.0.0.2:8765"]:
        with client_for(app, base_url=base, headers=bearer) as rebound:
            response = rebound.get("/")
            assert response.status_code == 421, base
            assert "address graphkit serve printed" in response.text
    with client_for(app, base_url="http://localhost:8765", headers=bearer) as local:
        assert local.get("/").status_code == 200


def test_post_without_or_with_a_wrong_csrf_token_is_403_and_writes_nothing(client, g):
    pair = {"successor": wf.CANDIDATE[0], "predecessor": wf.CANDIDATE[1], "decision": "confirm"}
    requests_before = g.read("MATCH (t:TakedownRequest) RETURN count(t) AS n")
    assert client.post("/review/decide", data=pair).status_code == 403
    assert client.post("/review/decide", data={**pair, "csrf": "guess"}).status_code == 403
    assert client.post("/api/mirrors/decision", json=pair).status_code == 403
    assert client.post("/api/mirrors/decision", json=pair, headers={"X-CSRF-Token": wf.TOKEN}).status_code == 403
    assert client.post("/takedowns/record", data={"platform": "x", "group": "TTP"}).status_code == 403
    assert client.post("/review/detect").status_code == 403
    assert g.read("MATCH (t:TakedownRequest) RETURN count(t) AS n") == requests_before
    statuses = g.read("MATCH ()-[m:MIRROR_OF]->() WHERE m.status = 'candidate' RETURN count(m) AS n")
    assert statuses == [{"n": 2}]


def test_other_methods_and_a_get_with_the_token_cannot_write(client):
    for method in ("PUT", "DELETE", "PATCH"):
        assert client.request(method, "/api/mirrors/decision").status_code == 405
    assert client.get("/review/decide").status_code == 405  # a GET never decides


def test_read_only_hides_and_refuses_every_write(g):
    app = create_app(g, wf.TOKEN, read_only=True)
    with client_for(app, headers={"Authorization": f"Bearer {wf.TOKEN}"}) as c:
        csrf = c.get("/api/session").json()["csrf"]
        assert c.get("/api/session").json()["read_only"] is True
        pair = {"successor": wf.CANDIDATE[0], "predecessor": wf.CANDIDATE[1], "decision": "confirm", "csrf": csrf}
        assert c.post("/review/decide", data=pair).status_code == 403
        assert c.post("/api/mirrors/decision", json=pair, headers={"X-CSRF-Token": csrf}).status_code == 403
        assert c.post("/takedowns/record", data={"csrf": csrf, "platform": "x", "group": "TTP"}).status_code == 403
        review, takedowns = c.get("/review").text, c.get("/takedowns").text
        assert 'action="/review/decide"' not in review and "read-only" in review
        assert "/takedowns/record" not in takedowns
        assert c.get("/takedowns/pack.zip?platform=x&group=TTP").status_code == 200  # a download writes nothing
    assert g.read("MATCH ()-[m:MIRROR_OF]->() WHERE m.status = 'candidate' RETURN count(m) AS n") == [{"n": 2}]


def test_every_response_carries_a_strict_policy(client):
    for url in PAGES + ["/api/queries", "/static/workbench.css"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-security-policy"] == CSP, url
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert "unsafe" not in CSP and "script-src 'self'" in CSP and "default-src 'none'" in CSP


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_pages_load_nothing_from_elsewhere_and_have_no_inline_script(client):
    for url in PAGES:
        tags = Tags(client.get(url).text).tags
        assert [a.get("src") for t, a in tags if t == "script"] == ["/static/workbench.js"], url
        assert {t for t, _ in tags} <= ALLOWED_TAGS, (url, {t for t, _ in tags} - ALLOWED_TAGS)
        for tag, attrs in tags:
            assert not [n for n in attrs if n.startswith("on")], (url, tag, attrs)  # no event handler
            for name in ("src", "href", "action", "formaction"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("http:", "https:", "//", "javascript:", "data:")), (url, tag, attrs)


def test_hostile_names_bios_excerpts_and_notes_are_inert_on_every_page(client):
    seen = set()
    for url in PAGES:
        page = client.get(url).text
        for raw in wf.HOSTILES + (wf.HOSTILE_NOTE,):
            assert raw not in page, (url, raw)
        assert "Abu 49" not in page and "<svg onload" not in page and "<iframe src=\"javascript" not in page
        if "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page:
            seen.add(url)
        assert "{{7*7}}" in page or "Abu" not in page, url
    # the hostile display name is shown (escaped) on its profile, in the review queue and in search
    assert {"/account?a=x:hostile_example2", "/review?at=1", "/search?q=hostile"} <= seen
    assert "&lt;img src=x onerror=&#34;window.pwned=5&#34;&gt;" in client.get("/").text  # the analyst name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "graphkit", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))


def _stop(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()


def _get(url, **kwargs):
    for _ in range(100):  # the line is printed just before uvicorn binds the port
        try:
            return httpx.get(url, **kwargs)
        except httpx.ConnectError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answers at {url}")


def test_serve_prints_one_line_with_a_fresh_token_each_run(g):
    port = _free_port()
    tokens = []
    for _ in range(2):
        proc = _serve("--port", str(port))
        try:
            line = proc.stdout.readline().strip()
            match = re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?token=([A-Za-z0-9_-]{{40,}})", line)
            assert match, line
            tokens.append(match.group(1))
            opened = _get(line, follow_redirects=True)
            assert opened.status_code == 200 and "Overview" in opened.text
            assert _get(f"http://127.0.0.1:{port}/").status_code == 401
            if len(tokens) == 2:  # the first run's token no longer opens anything
                assert _get(f"http://127.0.0.1:{port}/?token={tokens[0]}").status_code == 401
        finally:
            _stop(proc)
        assert proc.stdout.read() == ""  # one line, nothing else
    assert tokens[0] != tokens[1]


def test_serve_on_a_non_loopback_address_warns(g):
    proc = _serve("--host", "0.0.0.0", "--port", str(_free_port()))
    try:
        line = proc.stdout.readline()
        assert line.startswith("http://0.0.0.0:")
    finally:
        _stop(proc)
    assert "Warning: listening on 0.0.0.0" in proc.stderr.read()
