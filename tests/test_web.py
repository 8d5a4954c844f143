"""The workbench's pages and JSON API through Starlette's test client, on the small bundle plus
web_fixture's candidates (tests/fixtures/bundle_small/EXPECTED.md has the accounts by number).
The writes (decisions, recorded requests) come last in this module: they change the graph."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from starlette.testclient import TestClient

from graphkit.web import create_app

import web_fixture as wf


@pytest.fixture(scope="module")
def app(g):
    wf.build(g)
    return create_app(g, wf.TOKEN, analyst="desk-7")


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, base_url=wf.BASE, headers={"Authorization": f"Bearer {wf.TOKEN}"}) as c:
        yield c


def ok(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return response.text


def test_overview_counts_reports_and_links(client):
    page = ok(client, "/")
    # 15 accounts in the bundle + the two hostile ones; 3 channels; the one report of the bundle
    assert '<span class="n">17</span><span class="k">accounts</span>' in page
    assert '<span class="n">3</span><span class="k">channels</span>' in page
    assert "bundle" in page and "2025-07-25" in page
    for name in ("group-footprint", "mirror-chains", "account-profile"):
        assert f'href="/queries/{name}"' in page
    assert 'href="/group?g=TTP"' in page


def test_query_list_names_every_canned_query(client):
    from graphkit.queries import library

    page = ok(client, "/queries")
    for name in library.queries():
        assert f'href="/queries/{name}"' in page


def test_query_form_is_built_from_the_header(client):
    page = ok(client, "/queries/mirror-chains")
    # status: choices -> a select with the default selected; limit: integer with its default
    assert '<select id="p-status" name="status">' in page
    assert '<option value="confirmed" selected>confirmed</option>' in page
    assert 'id="p-limit" name="limit" type="number" value="1000" step="1"' in page
    assert "at least 0" in page
    assert 'id="results"' not in page  # not run until asked
    required = ok(client, "/queries/group-footprint")
    assert 'id="p-group" name="group" type="text" value="" required' in required


def test_query_runs_and_shows_the_table_with_downloads_and_map_link(client):
    page = ok(client, "/queries/group-footprint?group=TTP&run=1")
    # TTP on x: #1, #2, #3 and the two hostile accounts; online #3 and hostile_example2;
    # removed #1, #2, hostile_example; followers 12000 + 3000 + 5400
    row = ('<tr><td data-sort="x">x</td><td data-sort="5" class="num">5</td><td data-sort="0" class="num">0</td>'
           '<td data-sort="2" class="num">2</td><td data-sort="3" class="num">3</td>'
           '<td data-sort="20400" class="num">20400</td></tr>')
    assert row in page
    assert 'href="/download/query/group-footprint.csv?group=TTP"' in page
    assert 'href="/download/query/group-footprint.json?group=TTP"' in page
    assert 'href="/maps?query=group-footprint&amp;p.group=TTP"' in page


def test_api_query_is_exactly_what_the_cli_prints(client, cli):
    for name, params in [("group-footprint", {"group": "Pakistani Taliban"}),
                         ("mirror-chains", {"limit": "1"}), ("mirror-candidates", {})]:
        args = [a for k, v in params.items() for a in ("-p", k, v)]
        printed = cli("query", name, *args, "--format", "json")
        assert printed.returncode == 0, printed.stderr
        response = client.get(f"/api/query/{name}", params=params)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.text == printed.stdout
    cut = client.get("/api/query/mirror-chains", params={"limit": "1"})
    assert len(cut.json()) == 1 and "first 1 rows only" in cut.headers["x-graphkit-note"]


def test_api_queries_is_the_cli_listing(client, cli):
    printed = cli("queries", "--format", "json")
    assert client.get("/api/queries").text == printed.stdout


def test_api_errors_are_one_sentence_and_a_hint(client):
    unknown = client.get("/api/query/no-such-query")
    assert unknown.status_code == 404
    assert "no canned query named 'no-such-query'" in unknown.json()["error"]
    assert "group-footprint" in unknown.json()["hint"]
    missing = client.get("/api/query/group-footprint?group=NOPE")
    assert missing.status_code == 404 and "NOPE" in missing.json()["error"]
    bad = client.get("/api/query/mirror-chains?limit=-3")
    assert bad.status_code == 400 and "limit" in bad.json()["error"]
    twice = client.get("/api/query/mirror-chains?limit=1&limit=2")
    assert twice.status_code == 400 and "twice" in twice.json()["error"]


def test_error_pages_say_what_went_wrong(client):
    response = client.get("/queries/group-footprint?group=NOPE&run=1")
    assert response.status_code == 404
    assert "NOPE" in response.text and 'class="message"' in response.text
    assert client.get("/queries/nope").status_code == 404
    assert client.get("/download/query/group-footprint.xlsx?group=TTP").status_code == 404


def test_downloads_match_the_cli(client, cli):
    printed = cli("query", "mirror-candidates", "--format", "csv")
    response = client.get("/download/query/mirror-candidates.csv")
    assert response.text == printed.stdout
    assert 'filename="mirror-candidates.csv"' in response.headers["content-disposition"]
    as_json = client.get("/download/query/group-footprint.json?group=TTP")
    assert as_json.json() == client.get("/api/query/group-footprint?group=TTP").json()


def test_candidates_api_lists_stored_candidates_best_first(client):
    rows = client.get("/api/mirrors/candidates").json()
    assert [(r["successor"], r["predecessor"], r["score"]) for r in rows] == [
        ("facebook:Khorasan.Voice.Example2", "facebook:Khorasan.Voice.Example", 0.93),
        ("x:hostile_example2", "x:hostile_example", 0.61)]
    assert client.get("/api/session").json()["analyst"] == "desk-7"


def test_account_profile_fields_chain_and_timeline(client):
    page = ok(client, "/account?a=x:UmarMedia_Example3")
    assert "Umar Media (example)" in page and "+back once more (fictional)" in page
    # sightings S-01 (2025-05-20) and S-02 (2025-06-15): one bar a month, two months
    assert page.count('<rect class="bar"') == 2
    assert "2025-05: 1 sighting<" in page and "2025-06: 1 sighting<" in page
    assert "x:Umar_Media_Example2" in page  # predecessor in the chain
    assert "TR-003" in page  # its takedown request
    assert "Fictional placeholder post 2" in page
    assert 'href="/maps?account=x%3AUmarMedia_Example3&amp;depth=1"' in page


def test_account_not_in_graph_offers_close_names(client):
    response = client.get("/account?a=x:UmarMedia_Exampl3")
    assert response.status_code == 404
    assert "UmarMedia_Example3" in response.text


def test_search_finds_and_opens_accounts(client):
    page = ok(client, "/search?q=khorasan")
    assert "x:Khorasan_Voice_Example" in page and "facebook:Khorasan.Voice.Example2" in page
    one = client.get("/search?q=x:umarmedia_example3", follow_redirects=False)
    assert one.status_code == 303 and one.headers["location"] == "/account?a=x%3AUmarMedia_Example3"


def test_group_page_designations_footprint_and_map(client):
    page = ok(client, "/group?g=Pakistani%20Taliban")  # by alias
    assert "Tehreek-e-Taliban Pakistan" in page
    assert "First Schedule" in page and "QDe.132" in page and "2011-07-29" in page
    assert 'data-src="/maps/view?group=TTP&amp;depth=1&amp;max_nodes=150"' in page and 'sandbox="allow-scripts"' in page
    assert ok(client, "/groups").count('href="/group?g=') == 4


def test_map_view_is_the_offline_map_under_its_own_sandboxing_csp(client):
    response = client.get("/maps/view?group=TTP&depth=1")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert csp.startswith("sandbox allow-scripts;") and "connect-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp and response.headers["x-frame-options"] == "SAMEORIGIN"
    assert 'id="gk-data"' in response.text
    page = ok(client, "/maps?query=mirror-candidates&p.min_score=0.9")
    assert 'src="/maps/view?query=mirror-candidates&amp;p.min_score=0.9"' in page
    assert 'id="gk-data"' in ok(client, "/maps/view?query=mirror-candidates&p.min_score=0.9")
    nothing = client.get("/maps/view?query=group-footprint&p.group=TTP")  # its rows name no account
    assert nothing.status_code == 400 and "name no account" in nothing.text
    assert nothing.headers["content-security-policy"] == csp
    assert client.get("/maps/view").status_code == 400


def test_review_queue_shows_the_best_candidate_side_by_side(client):
    page = ok(client, "/review")
    assert "2 candidates awaiting review" in page
    assert page.index("facebook:Khorasan.Voice.Example2") < page.index("x:hostile_example2")
    assert "same display name; created 3 days after the removal" in page
    assert page.count('<div class="side">') == 2
    assert "2025-05-22T00:00:00Z" in page  # the predecessor's removal, beside the successor's creation
    assert 'name="successor" value="facebook:Khorasan.Voice.Example2"' in page
    second = ok(client, "/review?at=1")
    assert 'name="successor" value="x:hostile_example2"' in second


def test_takedowns_page_and_pack_download(client):
    page = ok(client, "/takedowns")
    assert 'id="compliance"' in page and 'action="/takedowns/pack.zip"' in page
    response = client.get("/takedowns/pack.zip?platform=x&group=TTP&resend_after=14")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["letter.html", "requests.csv", "requests.json"]
    rows = json.loads(archive.read("requests.json"))
    # TTP on x, not removed: #3 (its request TR-003 is older than 14 days) and hostile_example2
    assert sorted(r["account"] for r in rows) == ["x:UmarMedia_Example3", "x:hostile_example2"]
    chains = client.get("/takedowns/pack.zip?platform=x&query=mirror-candidates")
    rows = json.loads(zipfile.ZipFile(io.BytesIO(chains.content)).read("requests.json"))
    assert [r["account"] for r in rows] == ["x:hostile_example2"]  # the candidates' x accounts still up
    both = client.get("/takedowns/pack.zip?platform=x&group=TTP&query=mirror-candidates")
    assert both.status_code == 400 and "exactly one of a group, a query" in both.text
    nothing = client.get("/takedowns/pack.zip?platform=whatsapp&group=TTP")
    assert nothing.status_code == 400 and "no account to request" in nothing.text


def test_query_results_come_a_page_at_a_time(client, monkeypatch):
    from graphkit.web import paging

    monkeypatch.setattr(paging, "ROWS", 4)
    # new-since 2025-07-01: 15 rows (EXPECTED.md); pages of 4 in the same order
    first = ok(client, "/queries/new-since?since=2025-07-01&run=1")
    assert first.count("<tr><td") == 4
    assert 'Rows <span class="gk-first">1</span>–<span class="gk-last">4</span>, more follow' in first
    assert first.index("telegram:Umar_Updates_Admin_Example") < first.index("telegram:frontier_hub_example") \
        < first.index(">S-03<") < first.index("telegram:Khorasan_Wire_Example")
    assert 'id="next-page" href="/queries/new-since?since=2025-07-01&amp;run=1&amp;page=1"' in first
    assert 'id="prev-page"' not in first
    last = ok(client, "/queries/new-since?since=2025-07-01&run=1&page=3")  # rows 13-15
    assert 'Rows <span class="gk-first">13</span>–<span class="gk-last">15</span></p>' in last
    assert last.count("<tr><td") == 3 and "tiktok:umar_media_example" in last
    assert "x:Khorasan_Voice_Example" in last and "telegram:umar_updates_example" in last
    assert 'id="next-page"' not in last
    assert 'id="prev-page" href="/queries/new-since?since=2025-07-01&amp;run=1&amp;page=2"' in last
    # the query's own limit still cuts: limit 6 is rows 1-4, then 5-6 and the note
    cut = ok(client, "/queries/new-since?since=2025-07-01&limit=6&run=1&page=1")
    assert cut.count("<tr><td") == 2 and ">S-04<" in cut and "telegram:Baloch_Courier_Example" in cut
    assert "(the first 6 only" in cut and 'id="next-page"' not in cut
    assert "No rows on this page." in ok(client, "/queries/new-since?since=2025-07-01&run=1&page=9")
    # a query without a limit (an aggregate) is cut into pages too: group-footprint has 4 rows
    footprint = ok(client, "/queries/group-footprint?group=TTP&run=1&page=0")
    assert footprint.count("<tr><td") == 4 and 'id="next-page"' not in footprint
    assert "(<span class=\"gk-count\">4</span> rows)" in footprint


def test_query_pages_are_the_rows_the_cli_prints(g, monkeypatch):
    from graphkit.queries import library
    from graphkit.web import paging

    for name, given in [("new-since", {"since": "2025-07-01"}), ("new-since", {"since": "2025-07-01", "limit": "7"}),
                        ("mirror-chains", {"status": "confirmed"}), ("channel-hubs", {})]:
        everything = library.execute(g, name, given).rows
        seen, page = [], 0
        while True:
            shown = paging.run_page(g, name, given, page, rows=3)
            seen += shown["result"].rows
            if not shown["more"]:
                break
            page += 1
        assert seen == everything, name


def test_group_map_is_drawn_on_a_click_and_small(app, client):
    page = ok(client, "/group?g=TTP")
    assert '<iframe class="map" id="group-map"' in page and "src=" not in page.split('id="group-map"')[1].split(">")[0]
    assert 'data-src="/maps/view?group=TTP&amp;depth=1&amp;max_nodes=150"' in page
    assert 'href="/maps?group=TTP&amp;depth=1&amp;max_nodes=1000"' in page
    small = client.get("/maps/view?group=TTP&depth=1&max_nodes=3")
    assert small.status_code == 200 and "Capped at 3 nodes" in small.text
    kept = app.state.workbench.maps.hits
    assert client.get("/maps/view?group=TTP&depth=1&max_nodes=3").text == small.text  # kept: the graph is the same
    assert app.state.workbench.maps.hits == kept + 1
    for bad in ("0", "abc", "99999"):
        response = client.get(f"/maps/view?group=TTP&max_nodes={bad}")
        assert response.status_code == 400 and "max nodes must be a whole number" in response.text
        assert response.headers["content-security-policy"].startswith("sandbox")
    form = ok(client, "/maps?group=TTP&max_nodes=40")
    assert 'name="max_nodes" type="number" min="1" max="5000" value="40"' in form
    assert 'src="/maps/view?group=TTP&amp;max_nodes=40"' in form


def test_takedown_draft_by_query_takes_its_parameters(client):
    page = ok(client, "/takedowns?query=mirror-chains&p.status=rejected")
    assert '<option value="mirror-chains" selected>' in page
    assert '<select id="tp-status" name="p.status">' in page
    assert '<option value="rejected" selected>rejected</option>' in page
    assert 'id="tp-limit" name="p.limit" type="number" value="1000"' in page
    # confirmed chains (the default): x accounts #1, #2 (removed) and #3 -> a request for #3;
    # the rejected link #15 -> #1: #15, still up
    for params, expected in [("", ["x:UmarMedia_Example3"]), ("&p.status=rejected", ["x:TTP_Watch_Example"])]:
        response = client.get("/takedowns/pack.zip?platform=x&query=mirror-chains" + params)
        assert response.status_code == 200, response.text[:300]
        rows = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("requests.json"))
        assert [r["account"] for r in rows] == expected
    odd = client.get("/takedowns/pack.zip?platform=x&query=mirror-chains&p.status=maybe")
    assert odd.status_code == 400 and "confirmed" in odd.text
    alone = client.get("/takedowns/pack.zip?platform=x&group=TTP&p.status=rejected")
    assert alone.status_code == 400 and "query parameters were given without a query" in alone.text
    query = ok(client, "/queries/mirror-chains?status=rejected&run=1")
    assert 'href="/takedowns?query=mirror-chains&amp;p.status=rejected" id="draft-takedowns"' in query
    assert client.get("/takedowns?query=no-such-query").status_code == 404


def test_overview_counts_are_graphkit_stats(g):
    from graphkit.model import schema
    from graphkit.web import reads

    assert reads.stats(g) == schema.stats(g)  # one round trip instead of one per kind


def test_review_queue_lists_the_candidates_around_the_current_one(client, monkeypatch):
    from graphkit.web import review

    monkeypatch.setattr(review, "QUEUE", 1)
    monkeypatch.setattr(review, "BEFORE", 0)
    page = ok(client, "/review?at=1")
    assert "2 candidates awaiting review" in page  # counted, not the length of the list
    assert '<ol start="1"><li class="here"><a href="/review?at=1">x:hostile_example2' in page
    assert "facebook:Khorasan.Voice.Example2 &rarr;" not in page
    past = ok(client, "/review?at=7")  # past the end: the last candidate
    assert 'name="successor" value="x:hostile_example2"' in past


def test_page_cache_reads_again_once_the_graph_changed(g):
    from graphkit.web.cache import PageCache, graph_version

    calls = []

    def count(graph, label):
        calls.append(label)
        return graph.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]

    cache = PageCache()
    before = graph_version(g)
    assert cache.get(g, count, "WebCacheProbe") == 0 and cache.get(g, count, "WebCacheProbe") == 0
    assert len(calls) == 1 and graph_version(g) == before  # reading changes nothing
    g.write("CREATE (:WebCacheProbe)")
    try:
        assert graph_version(g) != before
        assert cache.get(g, count, "WebCacheProbe") == 1 and len(calls) == 2
    finally:
        g.write("MATCH (n:WebCacheProbe) DELETE n")
    assert cache.get(g, count, "WebCacheProbe") == 0 and len(calls) == 3
    off = PageCache(enabled=False)
    off.get(g, count, "WebCacheProbe"), off.get(g, count, "WebCacheProbe")
    assert len(calls) == 5


# ------------------------------------------------------------------ writes (last: they change the graph)
def test_confirm_from_the_review_queue_records_the_analyst_and_feeds_mirror_chains(client, g):
    csrf = client.get("/api/session").json()["csrf"]
    response = client.post("/review/decide", data={
        "csrf": csrf, "successor": wf.CANDIDATE[0], "predecessor": wf.CANDIDATE[1],
        "decision": "confirm", "note": "same name, 3 days", "at": "0"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/review?at=0&decided=confirmed")
    link = g.read("MATCH (:Account {key: 'facebook:khorasan.voice.example2'})-[m:MIRROR_OF]->"
                  "(:Account {key: 'facebook:khorasan.voice.example'}) "
                  "RETURN m.status AS status, m.note AS note, m.decided_by AS by, m.decided_at IS NOT NULL AS at")
    assert link == [{"status": "confirmed", "note": "same name, 3 days", "by": "desk-7", "at": True}]
    after = ok(client, response.headers["location"])
    assert "1 candidate awaiting review" in after
    assert "Recorded: facebook:Khorasan.Voice.Example2 is a mirror of facebook:Khorasan.Voice.Example" in after
    assert 'name="successor" value="x:hostile_example2"' in after  # the next candidate at once
    chains = client.get("/api/query/mirror-chains").json()
    assert ["facebook:Khorasan.Voice.Example", "facebook:Khorasan.Voice.Example2"] in [c["chain"] for c in chains]
    overview = ok(client, "/")
    assert "desk-7 confirmed" in overview


def test_decision_api_rejects_with_a_note(client, g):
    csrf = client.get("/api/session").json()["csrf"]
    response = client.post("/api/mirrors/decision", headers={"X-CSRF-Token": csrf},
                           json={"successor": "x:hostile_example2", "predecessor": "x:hostile_example",
                                 "decision": "reject", "note": wf.HOSTILE_NOTE})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["analyst"] == "desk-7"
    assert client.get("/api/mirrors/candidates").json() == []
    bad = client.post("/api/mirrors/decision", headers={"X-CSRF-Token": csrf},
                      json={"successor": "x:nobody_here", "predecessor": "x:hostile_example", "decision": "confirm"})
    assert bad.status_code == 400 and "no account x:nobody_here" in bad.json()["error"]
    odd = client.post("/api/mirrors/decision", headers={"X-CSRF-Token": csrf},
                      json={"successor": "x:hostile_example2", "predecessor": "x:hostile_example", "decision": "maybe"})
    assert odd.status_code == 400 and "unknown decision" in odd.json()["error"]
    empty = ok(client, "/review")
    assert "No candidate awaits review" in empty and 'action="/review/detect"' in empty


def test_record_takedown_requests(client, g):
    csrf = client.get("/api/session").json()["csrf"]
    response = client.post("/takedowns/record", data={"csrf": csrf, "platform": "x", "group": "TTP",
                                                       "resend_after": "14"}, follow_redirects=False)
    assert response.status_code == 303
    page = ok(client, response.headers["location"])
    assert "Recorded 2 new, 0 already recorded." in page
    pending = g.read("MATCH (r:Report)<-[:REPORTED_IN]-(t:TakedownRequest {status: 'pending'})-[:TARGETS]->(a) "
                     "WHERE r.rid STARTS WITH 'takedowns-draft-x-' RETURN a.key AS key ORDER BY key")
    assert [r["key"] for r in pending] == ["x:hostile_example2", "x:umarmedia_example3"]


def test_timeline_chart_fills_empty_months_and_escapes():
    from graphkit.web.charts import sightings_timeline

    svg = str(sightings_timeline([{"month": "2024-11", "n": 2}, {"month": "2025-02", "n": 4}]))
    # 2024-11, 2024-12, 2025-01, 2025-02: four bars, the two between them empty
    assert svg.count('<rect class="bar"') == 4
    assert "2024-12: 0 sightings" in svg and "2025-01: 0 sightings" in svg and "2025-02: 4 sightings" in svg
    assert 'height="0.0"' in svg and ">4</text>" in svg
    assert "No dated sighting" in str(sightings_timeline([]))
    assert "No dated sighting" in str(sightings_timeline([{"month": "<b>", "n": 1}]))
