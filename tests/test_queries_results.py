"""Exact rows of every canned query on tests/fixtures/bundle_small, loaded with graphkit.load.

The expected rows were worked out by hand: see tests/fixtures/bundle_small/EXPECTED.md, which
explains each number. The graph is loaded once for the module; tests only read it (the one that
adds a detector candidate removes it again).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

import graphkit
from graphkit.queries import library as q
from graphkit.errors import NotInGraph

from helpers import FIXTURES, run_cli
BUNDLE = FIXTURES / "bundle_small"


def rows(graph, name, **params):
    return q.run(graph, name, params)[0]


def col(result, column):
    return [r[column] for r in result]


# ---------------------------------------------------------------- group-footprint
FOOTPRINT_COLUMNS = ["platform", "accounts", "channels", "active", "removed", "followers"]


def table(columns, *values):
    return [dict(zip(columns, v)) for v in values]


def test_group_footprint_ttp(g):
    expected = table(FOOTPRINT_COLUMNS,
                     ("x", 3, 0, 1, 2, 20400), ("facebook", 1, 0, 1, 0, 800),
                     ("telegram", 1, 1, 1, 0, 0), ("tiktok", 1, 0, 1, 0, 2500))
    assert rows(g, "group-footprint", group="TTP") == expected
    assert rows(g, "group-footprint", group="Pakistani Taliban") == expected


def test_group_footprint_other_groups(g):
    assert rows(g, "group-footprint", group="ISKP") == table(
        FOOTPRINT_COLUMNS, ("facebook", 2, 0, 1, 1, 1540), ("telegram", 2, 1, 2, 0, 0), ("x", 1, 0, 1, 0, 7000))
    assert rows(g, "group-footprint", group="BLA") == table(
        FOOTPRINT_COLUMNS, ("instagram", 1, 0, 1, 0, 1100), ("telegram", 1, 0, 1, 0, 0), ("tiktok", 1, 0, 0, 1, 9000))
    assert rows(g, "group-footprint", group="BLF") == []


# ---------------------------------------------------------------- shared-operators
# Weighted evidence (issue 18; worked out in EXPECTED.md): OP-KV's three accounts (operator 7.5
# bits a pair) and the co-admins Wire and Desk (invite 5.0 + co-admins 4.5; the channel attaches
# at 4.5) were one cluster through the device x:Khorasan_Voice and Wire share; one tie between two
# groups is now a refused bridge, so they are two clusters. Intended change.
CLUSTER_KV = {"size": 3,
              "accounts": ["facebook:Khorasan.Voice.Example", "telegram:Baloch_Courier_Example",
                           "x:Khorasan_Voice_Example"],
              "channels": [], "evidence": ["operator:OP-KV"], "weights": [7.5], "confidence": 0.958,
              "refused": ["device:DEV-KV-0001 (5.5) -> telegram:Khorasan_Wire_Example"], "review": ""}
CLUSTER_NEWS = {"size": 3, "accounts": ["telegram:Khorasan_Desk_Example", "telegram:Khorasan_Wire_Example"],
                "channels": ["telegram:khorasan_news_example"],
                "evidence": ["co-admins of telegram:khorasan_news_example", "invite:telegram:KhNewsInvite01"],
                "weights": [4.5, 5.0], "confidence": 0.739,
                "refused": ["device:DEV-KV-0001 (5.5) -> x:Khorasan_Voice_Example"], "review": ""}
CLUSTER_UMAR = {"size": 3, "accounts": ["facebook:Umar.Media.Example", "tiktok:umar_media_example",
                                        "x:UmarMedia_Example3"], "channels": [],
                "evidence": ["email:umar.media@example.org", "image_hash:aaaa1111aaaa1111", "phone:+923000000101"],
                "weights": [6.0, 5.0, 6.0], "confidence": 0.889, "refused": [], "review": ""}
CLUSTER_BALOCH = {"size": 2, "accounts": ["instagram:BalochVoice.Example", "tiktok:balochvoice_example"],
                  "channels": [], "evidence": ["image_hash:bbbb2222bbbb2222"], "weights": [5.0],
                  "confidence": 0.8, "refused": [], "review": ""}


def test_shared_operators_with_hubs_suppressed(g):
    assert rows(g, "shared-operators", max_hub=3) == [
        {"cluster": 1, **CLUSTER_KV}, {"cluster": 2, **CLUSTER_UMAR}, {"cluster": 3, **CLUSTER_NEWS},
        {"cluster": 4, **CLUSTER_BALOCH}]


@pytest.mark.parametrize("max_hub", [4, None])
def test_shared_operators_hubs_no_longer_merge_everything_when_allowed(g, max_hub):
    # Before issue 18 the shortener and the IP (4 holders each) chained all 14 into one cluster.
    # Now they weigh 3 - 0.5*log2(3) = 2.21 and 2.5 - 0.79 = 1.71 bits, weak kinds alone: they
    # link nothing; the shortener only adds to the Baloch pair, which both of them hold.
    params = {} if max_hub is None else {"max_hub": max_hub}  # None: the default, 10
    result = rows(g, "shared-operators", **params)
    assert [r["accounts"] for r in result] == [CLUSTER_KV["accounts"], CLUSTER_UMAR["accounts"],
                                               CLUSTER_NEWS["accounts"], CLUSTER_BALOCH["accounts"]]
    assert result[3]["evidence"] == ["image_hash:bbbb2222bbbb2222", "url:https://short.example.net"]
    assert result[3]["weights"] == [5.0, 2.21]


def test_shared_operators_min_evidence_two(g):
    result = rows(g, "shared-operators", max_hub=3, min_evidence=2)
    assert [(r["cluster"], r["size"], r["accounts"], r["channels"], r["evidence"]) for r in result] == [
        (1, 2, ["facebook:Umar.Media.Example", "x:UmarMedia_Example3"], [],
         ["image_hash:aaaa1111aaaa1111", "phone:+923000000101"]),
        (2, 2, ["telegram:Khorasan_Desk_Example", "telegram:Khorasan_Wire_Example"], [],
         ["co-admins of telegram:khorasan_news_example", "invite:telegram:KhNewsInvite01"]),
    ]


def test_shared_operators_as_a_dataframe(g):
    frame = graphkit.query("shared-operators", g, max_hub=3)
    assert list(frame.columns) == ["cluster", "size", "accounts", "channels", "evidence", "weights", "confidence",
                                   "refused", "review"]
    assert frame["size"].tolist() == [3, 3, 3, 2]
    assert frame.loc[1, "accounts"] == CLUSTER_UMAR["accounts"]


# ---------------------------------------------------------------- mirror-chains
CHAIN_UMAR = {"chain": ["x:Umar_Media_Example", "x:Umar_Media_Example2", "x:UmarMedia_Example3"], "length": 3,
              "head": "x:UmarMedia_Example3", "head_status": "active", "days_to_reappear": [2.5, 1.0],
              "groups": ["TTP"], "decisions": [[], []]}  # loaded links: no analyst decision yet
CHAIN_BALOCH = {"chain": ["tiktok:balochvoice_example", "instagram:BalochVoice.Example"], "length": 2,
                "head": "instagram:BalochVoice.Example", "head_status": "active", "days_to_reappear": [7.0],
                "groups": ["BLA"], "decisions": [[]]}


def test_mirror_chains_confirmed(g):
    assert rows(g, "mirror-chains") == [CHAIN_UMAR, CHAIN_BALOCH]
    assert rows(g, "mirror-chains", group="BLA") == [CHAIN_BALOCH]
    assert rows(g, "mirror-chains", group="Tehrik-i-Taliban Pakistan") == [CHAIN_UMAR]
    assert rows(g, "mirror-chains", group="BLF") == []


def test_mirror_chains_other_statuses(g):
    assert rows(g, "mirror-chains", status="rejected") == [
        {"chain": ["x:Umar_Media_Example", "x:TTP_Watch_Example"], "length": 2, "head": "x:TTP_Watch_Example",
         "head_status": "active", "days_to_reappear": [None], "groups": ["TTP"], "decisions": [[]]}]
    assert rows(g, "mirror-chains", status="candidate") == [
        {"chain": ["facebook:Khorasan.Voice.Example", "facebook:Khorasan.Voice.Example2"], "length": 2,
         "head": "facebook:Khorasan.Voice.Example2", "head_status": "active", "days_to_reappear": [3.0],
         "groups": ["ISIS-K"], "decisions": [[]]}]


# ---------------------------------------------------------------- platform-compliance
COMPLIANCE_COLUMNS = ["platform", "requested", "removed", "compliance_rate", "median_days_to_removal",
                      "pending", "rejected", "no_response"]


def test_platform_compliance_all_time(g):
    assert rows(g, "platform-compliance") == table(
        COMPLIANCE_COLUMNS,
        ("facebook", 2, 1, 0.5, 2.0, 0, 1, 0), ("instagram", 1, 0, 0.0, None, 1, 0, 0),
        ("telegram", 2, 0, 0.0, None, 1, 1, 0), ("tiktok", 2, 1, 0.5, 7.0, 1, 0, 0),
        ("x", 4, 2, 0.5, 9.5, 1, 0, 1))


def test_platform_compliance_window_is_inclusive(g):
    assert rows(g, "platform-compliance", since="2025-03-25", until=dt.date(2025, 6, 30)) == table(
        COMPLIANCE_COLUMNS,
        ("facebook", 2, 1, 0.5, 2.0, 0, 1, 0), ("tiktok", 2, 1, 0.5, 7.0, 1, 0, 0), ("x", 2, 1, 0.5, 10.0, 1, 0, 0))
    # TR-009 at exactly 2025-07-01T00:00 is the only request of that day
    assert col(rows(g, "platform-compliance", since="2025-07-01", until="2025-07-01"), "platform") == ["telegram"]


# ---------------------------------------------------------------- active-after-report
ACTIVE_COLUMNS = ["account", "platform", "group", "reported_at", "days_since_report", "followers"]


def test_active_after_report_as_of(g):
    assert rows(g, "active-after-report", as_of="2025-08-01") == table(
        ACTIVE_COLUMNS,
        ("facebook:Umar.Media.Example", "facebook", "TTP", "2025-05-15T00:00:00Z", 78, 800),
        ("x:UmarMedia_Example3", "x", "TTP", "2025-06-01T00:00:00Z", 61, 5400),
        ("tiktok:umar_media_example", "tiktok", "TTP", "2025-06-20T00:00:00Z", 42, 2500))
    result = rows(g, "active-after-report", as_of="2025-08-01", days=20)
    assert col(result, "account")[3:] == ["telegram:Khorasan_Desk_Example", "x:Khorasan_Voice_Example"]
    assert result[3:] == table(
        ACTIVE_COLUMNS,
        ("telegram:Khorasan_Desk_Example", "telegram", "ISIS-K", "2025-07-05T00:00:00Z", 27, None),
        ("x:Khorasan_Voice_Example", "x", "ISIS-K", "2025-07-10T00:00:00Z", 22, 7000))


def test_active_after_report_counts_to_today_by_default(g):
    before = dt.datetime.now(dt.timezone.utc).date()
    reported = {"facebook:Umar.Media.Example": dt.date(2025, 5, 15), "x:UmarMedia_Example3": dt.date(2025, 6, 1),
                "tiktok:umar_media_example": dt.date(2025, 6, 20), "telegram:Khorasan_Desk_Example": dt.date(2025, 7, 5),
                "x:Khorasan_Voice_Example": dt.date(2025, 7, 10), "instagram:BalochVoice.Example": dt.date(2025, 7, 20)}
    result = rows(g, "active-after-report")
    after = dt.datetime.now(dt.timezone.utc).date()  # the server's today is one of the two, even at midnight
    found = {r["account"]: r["days_since_report"] for r in result}
    assert found in [{a: (today - d).days for a, d in reported.items()} for today in (before, after)]


# ---------------------------------------------------------------- channel-hubs
HUB_COLUMNS = ["channel", "platform", "name", "kind", "status", "members", "accounts", "admins", "posters",
               "groups", "group_count"]
FRONTIER = ("telegram:frontier_hub_example", "telegram", "Frontier Hub (example)", "group", "active", 1200, 3, 0, 3,
            ["BLA", "ISIS-K", "TTP"], 3)


def test_channel_hubs(g):
    assert rows(g, "channel-hubs") == table(HUB_COLUMNS, FRONTIER)
    assert rows(g, "channel-hubs", min_groups=5, min_accounts=2) == table(
        HUB_COLUMNS, FRONTIER,
        ("telegram:khorasan_news_example", "telegram", "Khorasan News (example)", "channel", "active", 5000, 2, 2, 1,
         ["ISIS-K"], 1))


# ---------------------------------------------------------------- cross-group-links
LINK_COLUMNS = ["kind", "name", "platform", "groups", "group_count", "via"]
LINK_FRONTIER = ("channel", "telegram:frontier_hub_example", "telegram", ["BLA", "ISIS-K", "TTP"], 3,
                 ["BLA: posted in by telegram:Baloch_Courier_Example, promoted in sightings",
                  "ISIS-K: posted in by telegram:Khorasan_Wire_Example, promoted in sightings",
                  "TTP: posted in by telegram:Umar_Updates_Admin_Example, promoted in sightings"])
LINK_SHORTENER = ("identifier", "url:https://short.example.net", None, ["BLA", "ISIS-K", "TTP"], 3,
                  ["BLA: used by instagram:BalochVoice.Example, used by tiktok:balochvoice_example",
                   "ISIS-K: used by x:Khorasan_Voice_Example", "TTP: used by x:UmarMedia_Example3"])
LINK_UMAR = ("account", "x:UmarMedia_Example3", "x", ["ISIS-K", "TTP"], 2,
             ["ISIS-K: promoted in sightings", "TTP: affiliated, promoted in sightings"])
LINK_OPERATOR = ("operator", "OP-KV", None, ["BLA", "ISIS-K"], 2,
                 ["BLA: operates telegram:Baloch_Courier_Example",
                  "ISIS-K: operates facebook:Khorasan.Voice.Example, operates x:Khorasan_Voice_Example"])


def test_cross_group_links(g):
    # the URL shortener has 4 holders: within the default max_hub (10) it ties three groups
    assert rows(g, "cross-group-links") == table(LINK_COLUMNS, LINK_FRONTIER, LINK_SHORTENER, LINK_UMAR,
                                                 LINK_OPERATOR)
    # max_hub 3: a hub, as in shared-operators; no other identifier is used across groups
    assert rows(g, "cross-group-links", max_hub=3) == table(LINK_COLUMNS, LINK_FRONTIER, LINK_UMAR, LINK_OPERATOR)


# ---------------------------------------------------------------- account-profile
PROFILE = {
    "account": "x:UmarMedia_Example3", "key": "x:umarmedia_example3", "platform": "x", "handle": "UmarMedia_Example3",
    "platform_id": "1000000003", "display_name": "Umar Media (example)", "bio": "+back once more (fictional)",
    "url": None, "status": "active", "followers": 5400, "statuses": None, "location": None,
    "created_at": "2025-05-11T00:00:00Z", "removed_at": None,
    "first_seen": "2025-05-20T10:00:00Z", "last_seen": "2025-07-25T00:00:00Z",
    "groups": ["TTP"], "operators": [],
    "identifiers": ["image_hash:aaaa1111aaaa1111", "phone:+923000000101", "url:https://short.example.net"],
    "channels": [], "sightings": 2, "first_sighting": "2025-05-20T10:00:00Z", "last_sighting": "2025-06-15T08:30:00Z",
    "predecessors": ["x:Umar_Media_Example2 (confirmed)"], "successors": [], "mirror_history": [],
    "takedowns": ["TR-003: requested 2025-06-01, pending"],
    "reports": ["bundle-small: Small hand-made fixture (2025-07-25)"],
}


@pytest.mark.parametrize("spelling", ["x:UmarMedia_Example3", "twitter:@umarmedia_example3",
                                      "https://x.com/UmarMedia_Example3"])
def test_account_profile(g, spelling):
    assert rows(g, "account-profile", account=spelling) == [PROFILE]


def test_account_profile_other_accounts(g):
    (wire,) = rows(g, "account-profile", account="telegram:Khorasan_Wire_Example")
    assert (wire["groups"], wire["identifiers"], wire["channels"], wire["sightings"], wire["predecessors"],
            wire["successors"], wire["takedowns"]) == (
        ["ISIS-K"], ["device:DEV-KV-0001", "invite:telegram:KhNewsInvite01"],
        ["administers telegram:khorasan_news_example", "posts in telegram:frontier_hub_example"], 1, [], [], [])
    (first,) = rows(g, "account-profile", account="x:Umar_Media_Example")
    assert first["successors"] == ["x:TTP_Watch_Example (rejected)", "x:Umar_Media_Example2 (confirmed)"]
    assert first["takedowns"] == ["TR-001: requested 2025-02-20, removed on 2025-03-01"]
    with pytest.raises(NotInGraph, match="no account x:Nobody_Example in the graph"):
        rows(g, "account-profile", account="x:Nobody_Example")


# ---------------------------------------------------------------- new-since
# removed or suspended accounts without a sighting (#2, #8, #12) were never seen: no first_seen
NEW_SINCE_JULY = [
    ("account", "telegram:Umar_Updates_Admin_Example", "2025-07-21T09:00:00Z"),
    ("channel", "telegram:frontier_hub_example", "2025-07-21T09:00:00Z"),
    ("sighting", "S-03", "2025-07-21T09:00:00Z"),
    ("account", "telegram:Khorasan_Wire_Example", "2025-07-22T09:00:00Z"),
    ("sighting", "S-04", "2025-07-22T09:00:00Z"),
    ("account", "telegram:Baloch_Courier_Example", "2025-07-23T09:00:00Z"),
    ("sighting", "S-05", "2025-07-23T09:00:00Z"),
    ("account", "x:TTP_Watch_Example", "2025-07-24T18:00:00Z"),
    ("sighting", "S-08", "2025-07-24T18:00:00Z"),
    ("account", "facebook:Khorasan.Voice.Example2", "2025-07-25T00:00:00Z"),
    ("account", "facebook:Umar.Media.Example", "2025-07-25T00:00:00Z"),
    ("account", "instagram:BalochVoice.Example", "2025-07-25T00:00:00Z"),
    ("account", "tiktok:umar_media_example", "2025-07-25T00:00:00Z"),
    ("account", "x:Khorasan_Voice_Example", "2025-07-25T00:00:00Z"),
    ("channel", "telegram:umar_updates_example", "2025-07-25T00:00:00Z"),
]


def test_new_since(g):
    result = rows(g, "new-since", since="2025-07-01")
    assert [(r["kind"], r["item"], r["first_seen"]) for r in result] == NEW_SINCE_JULY
    s03 = result[2]
    assert (s03["platform"], s03["groups"], s03["detail"]) == (
        "telegram", ["TTP"], "of telegram:Umar_Updates_Admin_Example in telegram:frontier_hub_example")
    assert (result[8]["groups"], result[8]["detail"]) == ([], "of x:TTP_Watch_Example")
    assert [(r["kind"], r["item"], r["first_seen"]) for r in rows(g, "new-since", since="2025-07-25")] == NEW_SINCE_JULY[9:]
    assert rows(g, "new-since", since="2025-07-26") == []


# ---------------------------------------------------------------- mirror-candidates
FROM_BUNDLE = {"successor": "facebook:Khorasan.Voice.Example2", "predecessor": "facebook:Khorasan.Voice.Example",
               "score": None, "method": "report", "evidence": None, "note": "suspected; awaiting review",
               "detected_at": None, "successor_status": "active", "predecessor_status": "removed"}


def test_mirror_candidates(g):
    assert rows(g, "mirror-candidates") == [FROM_BUNDLE]
    # as `graphkit mirrors detect --write` stores one
    g.write("MATCH (s:Account {key: 'tiktok:umar_media_example'}), (p:Account {key: 'x:umar_media_example'}) "
            "CREATE (s)-[:MIRROR_OF {status: 'candidate', score: 0.82, method: 'detector', "
            "evidence: 'same avatar; handle variant', detected_at: datetime('2025-08-01T00:00:00Z')}]->(p)")
    try:
        detector = {"successor": "tiktok:umar_media_example", "predecessor": "x:Umar_Media_Example", "score": 0.82,
                    "method": "detector", "evidence": "same avatar; handle variant", "note": None,
                    "detected_at": "2025-08-01T00:00:00Z", "successor_status": "reported",
                    "predecessor_status": "removed"}
        assert rows(g, "mirror-candidates") == [detector, FROM_BUNDLE]
        assert rows(g, "mirror-candidates", min_score=0.5) == [detector]
        assert rows(g, "mirror-candidates", min_score="0.9") == []
    finally:
        g.write("MATCH ()-[m:MIRROR_OF {method: 'detector'}]->() DELETE m")


# ---------------------------------------------------------------- limit
# Queries that can return a large table take `limit` (default 1000, 0 = all): the first rows of
# the documented order. graphkit asks the server for one row more to know whether rows were left
# out (Result.cut). The fixture is small, so the default limit cuts nothing above.
LIMITED = ["active-after-report", "channel-hubs", "cross-group-links", "mirror-candidates", "mirror-chains",
           "new-since"]


def test_the_queries_with_a_limit():
    assert sorted(n for n, x in q.queries().items() if x.parameter("limit")) == LIMITED
    for name in LIMITED:
        assert q.get(name).parameter("limit").default == 1000


def test_new_since_limit_keeps_the_oldest_rows(g):
    # NEW_SINCE_JULY has 15 rows; kinds are cut per kind and then together, so the order holds
    for limit in (2, 3, 10, 14):
        result = q.execute(g, "new-since", {"since": "2025-07-01", "limit": limit})
        assert [(r["kind"], r["item"], r["first_seen"]) for r in result.rows] == NEW_SINCE_JULY[:limit]
        assert (result.limit, result.cut) == (limit, True)
    # the 10th row is the first of the five accounts seen on 2025-07-25 (by item), with its details
    tenth = q.execute(g, "new-since", {"since": "2025-07-01", "limit": 10}).rows[9]
    assert (tenth["platform"], tenth["groups"], tenth["detail"]) == ("facebook", ["ISIS-K"], "Khorasan Voice (example)")
    s03 = q.execute(g, "new-since", {"since": "2025-07-01", "limit": 3}).rows[2]
    assert (s03["platform"], s03["groups"], s03["detail"]) == (
        "telegram", ["TTP"], "of telegram:Umar_Updates_Admin_Example in telegram:frontier_hub_example")
    exact = q.execute(g, "new-since", {"since": "2025-07-01", "limit": 15})
    assert len(exact.rows) == 15 and not exact.cut  # exactly as many rows as the limit: nothing left out
    everything = q.execute(g, "new-since", {"since": "2025-07-01", "limit": 0})
    assert len(everything.rows) == 15 and (everything.limit, everything.cut) == (None, False)


def test_active_after_report_limit_keeps_the_longest_ignored(g):
    # as_of 2025-08-01, days 20: 78, 61, 42, 27, 22 days (see test_active_after_report_as_of)
    result = q.execute(g, "active-after-report", {"as_of": "2025-08-01", "days": 20, "limit": 4})
    assert col(result.rows, "account") == ["facebook:Umar.Media.Example", "x:UmarMedia_Example3",
                                           "tiktok:umar_media_example", "telegram:Khorasan_Desk_Example"]
    assert col(result.rows, "group") == ["TTP", "TTP", "TTP", "ISIS-K"] and result.cut
    assert not q.execute(g, "active-after-report", {"as_of": "2025-08-01", "days": 20, "limit": 5}).cut


def test_other_limits(g):
    hubs = q.execute(g, "channel-hubs", {"min_groups": 5, "min_accounts": 2, "limit": 1})
    assert hubs.rows == table(HUB_COLUMNS, FRONTIER) and hubs.cut  # 3 groups before 1 group
    links = q.execute(g, "cross-group-links", {"limit": 2})
    assert [(r["kind"], r["name"]) for r in links.rows] == [
        ("channel", "telegram:frontier_hub_example"), ("identifier", "url:https://short.example.net")] and links.cut
    chains = q.execute(g, "mirror-chains", {"limit": 1})
    assert chains.rows == [CHAIN_UMAR] and chains.cut  # length 3 before length 2
    candidates = q.execute(g, "mirror-candidates", {"limit": 1})
    assert candidates.rows == [FROM_BUNDLE] and not candidates.cut


def test_the_cypher_itself_returns_limit_rows(g):
    # for analysts who run the text: $limit rows, not one more (graphkit adds the extra row itself)
    query = q.get("new-since")
    raw = q._read(g, query.cypher, query.bind({"since": "2025-07-01", "limit": 4}))
    assert [(r["kind"], r["item"], r["first_seen"]) for r in raw] == NEW_SINCE_JULY[:4]


def test_a_dataframe_says_when_it_was_cut(g):
    frame = graphkit.query("mirror-chains", g, limit=1)
    assert frame["head"].tolist() == ["x:UmarMedia_Example3"]
    assert frame.attrs == {"limit": 1, "cut": True}
    assert graphkit.query("mirror-chains", g).attrs == {"limit": 1000, "cut": False}
    assert graphkit.query("group-footprint", g, group="BLA").attrs == {"limit": None, "cut": False}


def test_cli_notes_a_cut_output_on_stderr(g):
    result = run_cli("query", "new-since", "-p", "since", "2025-07-01", "-p", "limit", "2", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "kind,item,platform,first_seen,groups,detail",
        "account,telegram:Umar_Updates_Admin_Example,telegram,2025-07-21T09:00:00Z,TTP,Umar Updates admin (example)",
        "channel,telegram:frontier_hub_example,telegram,2025-07-21T09:00:00Z,,Frontier Hub (example)"]
    assert result.stderr.strip() == "note: first 2 rows only; -p limit N for more, -p limit 0 for all"
    whole = run_cli("query", "new-since", "-p", "since", "2025-07-01", "-p", "limit", "15", "--format", "json")
    assert whole.returncode == 0 and len(json.loads(whole.stdout)) == 15 and "note" not in whole.stderr
    bad = run_cli("query", "new-since", "-p", "since", "2025-07-01", "-p", "limit", "-5")
    assert bad.returncode == 1 and "parameter limit must be at least 0, not -5" in bad.stderr


# ---------------------------------------------------------------- the command line
def test_cli_lists_the_queries(g):
    result = run_cli("queries", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(listed) == set(q.queries())
    assert listed["shared-operators"]["parameters"] == ("min_weight (float, at least 0, default 4), "
                                                        "strong_weight (float, at least 0, default 6), "
                                                        "min_evidence (integer, at least 1, default 1), "
                                                        "max_hub (integer, at least 1, default 10)")
    assert listed["account-profile"]["title"] == "Everything known about one account"
    table_out = run_cli("queries")
    assert table_out.returncode == 0 and "group-footprint" in table_out.stdout and "(10 rows)" in table_out.stdout


def test_cli_query_json_and_csv(g):
    result = run_cli("query", "group-footprint", "-p", "group", "BLA", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == rows(g, "group-footprint", group="BLA")
    result = run_cli("query", "platform-compliance", "-p", "since", "2025-03-25", "-p", "until", "2025-06-30",
                     "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "platform,requested,removed,compliance_rate,median_days_to_removal,pending,rejected,no_response",
        "facebook,2,1,0.5,2.0,0,1,0", "tiktok,2,1,0.5,7.0,1,0,0", "x,2,1,0.5,10.0,1,0,0"]


def test_cli_csv_is_spreadsheet_safe(g):
    result = run_cli("query", "account-profile", "-p", "account", "x:UmarMedia_Example3", "--format", "csv")
    assert result.returncode == 0, result.stderr
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["bio"] == "'+back once more (fictional)"  # a cell starting with + is not a formula
    assert row["identifiers"] == "image_hash:aaaa1111aaaa1111; phone:+923000000101; url:https://short.example.net"
    assert row["followers"] == "5400"


def test_cli_table(g):
    result = run_cli("query", "mirror-chains", "-p", "group", "BLA", env={"COLUMNS": "200"})  # wide: one line a row
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["chain", "length", "head", "head_status", "days_to_reappear", "groups", "decisions"]
    assert "tiktok:balochvoice_example; instagram:BalochVoice.Example" in lines[2] and lines[-1] == "(1 row)"


@pytest.mark.parametrize("args, message", [
    (["query", "group-footprint"], "missing parameter group"),
    (["query", "shared-operators", "-p", "max_hub", "lots"], "max_hub must be an integer"),
    (["query", "shared-operators", "-p", "hub", "3"], "unknown parameter hub"),
    (["query", "shared-operators", "-p", "max_hub", "3", "-p", "max_hub", "4"], "given twice"),
    (["query", "new-since", "-p", "since", "last week"], "since must be a date"),
])
def test_cli_parameter_errors_list_the_parameters(g, args, message):
    result = run_cli(*args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    name = args[1]
    for param in q.get(name).parameters:
        assert param.name in result.stderr


def test_cli_unknown_query(g):
    result = run_cli("query", "who-is-who")
    assert result.returncode == 1 and "no canned query named 'who-is-who'" in result.stderr
    assert "shared-operators" in result.stderr and "Traceback" not in result.stderr


def test_cli_describes_a_query(g):
    result = run_cli("query", "active-after-report", "--help-query")
    assert result.returncode == 0
    assert "days (integer, at least 0, default 30)" in result.stdout and "Columns: account, platform, group" in result.stdout
