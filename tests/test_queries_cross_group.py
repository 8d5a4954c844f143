"""cross-group-links on a hand-built graph (issue 11: one phone number tied a TTP account to a BLA
account and the query said nothing). What it promises (its header): everything tied to at least
two groups, directly or through a shared identifier or channel; identifiers used by more than
max_hub accounts and channels are hubs and tie nothing.

The graph (all fictional):

    TTP:    x:ttp_one_example, x:ttp_two_example
    BLA:    facebook:bla_one_example, channel telegram:bla_chan_example
    ISIS-K: telegram:isk_one_example
    phone:+923000000999           used by x:ttp_one_example and facebook:bla_one_example  -> TTP, BLA
    email:same.group@example.org  used by x:ttp_one_example and x:ttp_two_example        -> TTP only
    invite:telegram:SharedInvite01 used by x:ttp_two_example and the BLA channel          -> TTP, BLA
    channel telegram:mixed_example: administered by x:ttp_one_example, posted in by
                                    telegram:isk_one_example                              -> TTP, ISIS-K
    ip:203.0.113.9                used by eleven accounts, six TTP and five BLA           -> a hub at max_hub 10
"""
from __future__ import annotations

import pytest

from graphkit.queries import library as q

COLUMNS = ["kind", "name", "platform", "groups", "group_count", "via"]

BUILD = """
CREATE (ttp:Group {gid: 'TTP', name: 'Tehreek-e-Taliban Pakistan'}),
       (bla:Group {gid: 'BLA', name: 'Balochistan Liberation Army'}),
       (isk:Group {gid: 'ISIS-K', name: 'Islamic State Khorasan Province'}),
       (t1:Account {key: 'x:ttp_one_example', platform: 'x', handle: 'ttp_one_example'})-[:AFFILIATED_WITH]->(ttp),
       (t2:Account {key: 'x:ttp_two_example', platform: 'x', handle: 'ttp_two_example'})-[:AFFILIATED_WITH]->(ttp),
       (b1:Account {key: 'facebook:bla_one_example', platform: 'facebook', handle: 'bla_one_example'})
           -[:AFFILIATED_WITH]->(bla),
       (bc:Channel {key: 'telegram:bla_chan_example', platform: 'telegram', name: 'bla_chan_example'})
           -[:AFFILIATED_WITH]->(bla),
       (i1:Account {key: 'telegram:isk_one_example', platform: 'telegram', handle: 'isk_one_example'})
           -[:AFFILIATED_WITH]->(isk),
       (phone:Identifier {key: 'phone:+923000000999', kind: 'phone', value: '+923000000999'}),
       (email:Identifier {key: 'email:same.group@example.org', kind: 'email', value: 'same.group@example.org'}),
       (invite:Identifier {key: 'invite:telegram:SharedInvite01', kind: 'invite', value: 'telegram:SharedInvite01'}),
       (mixed:Channel {key: 'telegram:mixed_example', platform: 'telegram', name: 'mixed_example'}),
       (t1)-[:USES]->(phone), (b1)-[:USES]->(phone),
       (t1)-[:USES]->(email), (t2)-[:USES]->(email),
       (t2)-[:USES]->(invite), (bc)-[:USES]->(invite),
       (t1)-[:ADMINISTERS]->(mixed), (i1)-[:POSTS_IN]->(mixed)
WITH ttp, bla
CREATE (ip:Identifier {key: 'ip:203.0.113.9', kind: 'ip', value: '203.0.113.9'})
WITH ttp, bla, ip
UNWIND range(0, 10) AS i
CREATE (a:Account {key: 'x:cafe_' + i + '_example', platform: 'x', handle: 'cafe_' + i + '_example'})-[:USES]->(ip)
WITH a, i, ttp, bla
CALL (a, i, ttp, bla) {
  WITH * WHERE i % 2 = 0 CREATE (a)-[:AFFILIATED_WITH]->(ttp)
  UNION
  WITH * WHERE i % 2 = 1 CREATE (a)-[:AFFILIATED_WITH]->(bla)
}
"""

MIXED = ("channel", "telegram:mixed_example", "telegram", ["ISIS-K", "TTP"], 2,
         ["ISIS-K: posted in by telegram:isk_one_example", "TTP: administered by x:ttp_one_example"])
INVITE = ("identifier", "invite:telegram:SharedInvite01", None, ["BLA", "TTP"], 2,
          ["BLA: used by telegram:bla_chan_example", "TTP: used by x:ttp_two_example"])
PHONE = ("identifier", "phone:+923000000999", None, ["BLA", "TTP"], 2,
         ["BLA: used by facebook:bla_one_example", "TTP: used by x:ttp_one_example"])


@pytest.fixture
def built(graph):
    graph.write(BUILD)
    assert graph.read("MATCH (:Identifier {key: 'ip:203.0.113.9'})<-[:USES]-(a) RETURN count(a) AS n") == [{"n": 11}]
    return graph


def test_a_shared_phone_ties_two_groups(built):
    rows = q.run(built, "cross-group-links", {})[0]
    assert rows == [dict(zip(COLUMNS, row)) for row in (MIXED, INVITE, PHONE)]


def test_a_hub_ties_nothing_unless_max_hub_allows_it(built):
    rows = q.run(built, "cross-group-links", {"max_hub": 11})[0]
    assert [(r["kind"], r["name"]) for r in rows] == [
        ("channel", "telegram:mixed_example"), ("identifier", "invite:telegram:SharedInvite01"),
        ("identifier", "ip:203.0.113.9"), ("identifier", "phone:+923000000999")]
    cafe = rows[2]
    assert (cafe["groups"], cafe["group_count"]) == (["BLA", "TTP"], 2)
    assert cafe["via"][0] == ("BLA: used by x:cafe_1_example, used by x:cafe_3_example, used by x:cafe_5_example, "
                              "used by x:cafe_7_example, used by x:cafe_9_example")
    # max_hub 1: no identifier has a single holder that ties two groups; the channel stays
    assert [r["name"] for r in q.run(built, "cross-group-links", {"max_hub": 1})[0]] == ["telegram:mixed_example"]


def test_the_header_says_what_the_query_promises():
    query = q.get("cross-group-links")
    assert "Through a shared identifier" in query.description
    assert "one phone number on a TTP account and a BLA account" in query.description
    assert query.parameter("max_hub").default == 10
