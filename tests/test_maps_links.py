"""Maps: mention/retweet links between accounts, and query maps centred on their rows' nodes with
the rows' own links drawn on top. Expected counts are worked out by hand in map_fixture.py and in
the comments here; the real tweet export is counted with pandas, without graphkit."""
from __future__ import annotations

import json
import re

import pytest

from graphkit.maps import links as map_links
from graphkit.maps import build as maps
from graphkit.errors import MapError
from graphkit.maps.data import MapEdge, MapNode, Subgraph

import map_fixture as fx
from helpers import SHARED_DATA
def _data(html: str) -> dict:
    match = re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def _edges(m: maps.NetworkMap, kind: str | None = None) -> dict[frozenset, dict]:
    """Edges of a map by the names of their two ends (one edge per pair here)."""
    data = _data(m.html())
    names = {n["id"]: n["name"].casefold() for n in data["nodes"]}
    out = {}
    for edge in data["edges"]:
        if kind is None or edge["kind"] == kind:
            edge["ends"] = (names[edge["from"]], names[edge["to"]])
            out[frozenset(edge["ends"])] = edge
    return out


def _names(m: maps.NetworkMap) -> set[str]:
    return {n["name"].casefold() for n in _data(m.html())["nodes"]}


def _pair(*handles: str) -> frozenset:
    return frozenset(f"x:{h}" for h in handles)


@pytest.fixture
def mention_graph(graph, tmp_path):
    fx.build_mentions(graph, tmp_path)
    return graph


# -- mentions and retweets -----------------------------------------------------------------------

def test_account_map_shows_the_mention_network_by_default(mention_graph):
    # (before: 1 node, no link) hub's partners ann, ben, cat; pairs hub-ann, hub-ben, hub-cat, ann-ben
    m = maps.build_map(mention_graph, account="x:Hub_Ex", depth=1)
    assert _names(m) == {"x:hub_ex", "x:ann_ex", "x:ben_ex", "x:cat_ex"}
    assert (m.n_nodes, m.n_edges) == (4, 4)
    assert {e["kind"] for e in _data(m.html())["edges"]} == {"MENTIONS"}


def test_account_map_draws_the_heaviest_mention_partners(mention_graph):
    # Hub's partners: ann 7 posts, ben 4, cat 1; with 2 per account: hub, ann, ben and the
    # pairs among them hub-ann, hub-ben, ann-ben (each end has room); hub-cat is left out
    m = maps.build_map(mention_graph, account="x:Hub_Ex", depth=1, mentions=2)
    assert _names(m) == {"x:hub_ex", "x:ann_ex", "x:ben_ex"}
    assert (m.n_nodes, m.n_edges) == (3, 3)
    edges = _edges(m, "MENTIONS")
    assert set(edges) == {_pair("hub_ex", "ann_ex"), _pair("hub_ex", "ben_ex"), _pair("ann_ex", "ben_ex")}
    html = m.html()
    assert "3 links (3 of them mentions and retweets)" in html
    assert ("Mentions and retweets: at most the 2 heaviest links of each account are drawn; "
            "1 lighter link of the accounts expanded left out.") in html
    assert 'id="gk-legend-mentions"' in html


def test_mention_edges_width_direction_and_counts(mention_graph):
    m = maps.build_map(mention_graph, account="x:hub_ex", depth=1, mentions=2)
    edges = _edges(m, "MENTIONS")
    hub_ann, hub_ben, ann_ben = (edges[_pair("hub_ex", "ann_ex")], edges[_pair("hub_ex", "ben_ex")],
                                 edges[_pair("ann_ex", "ben_ex")])
    assert hub_ann["width"] > hub_ben["width"] > ann_ben["width"] == 1   # 7, 4 and 1 posts
    # both mention the other: arrows at both ends; only Ann mentions Ben: one arrow, to Ben
    assert hub_ann["arrows"]["to"]["enabled"] and hub_ann["arrows"]["from"]["enabled"]
    to_ben = "to" if ann_ben["ends"][1] == "x:ben_ex" else "from"
    assert ann_ben["arrows"][to_ben]["enabled"]
    assert not ann_ben["arrows"]["from" if to_ben == "to" else "to"]["enabled"]
    assert "x:Hub_Ex mentions x:Ann_Ex in 5 posts (2 retweets)" in hub_ann["title"]
    assert "x:Ann_Ex mentions x:Hub_Ex in 2 posts (1 retweet)" in hub_ann["title"]
    assert "x:Hub_Ex mentions x:Ben_Ex in 3 posts" in hub_ben["title"]
    # "RT @Hub_Ex2: hello @Hub_Ex" retweets Hub_Ex2, not Hub_Ex
    assert "x:Ben_Ex mentions x:Hub_Ex in 1 post\n" in hub_ben["title"] + "\n"


def test_depth_2_follows_each_partners_heaviest_and_drops_links_both_ends_have_no_room_for(mention_graph):
    # hop 2: ann's heaviest are hub 7, dan 2 (ben 1 is third); ben's are hub 4, hub_ex2 2 (ann 1
    # third). Nodes hub, ann, ben, dan, hub_ex2. Pairs among them, heaviest first: hub-ann,
    # hub-ben, ann-dan, ben-hub2 kept; ann-ben: ann and ben already have 2 each, so left out.
    # Left out: hub-cat and ann-ben = 2 (dan-eve: dan is not expanded at depth 2)
    m = maps.build_map(mention_graph, account="x:hub_ex", depth=2, mentions=2)
    assert _names(m) == {"x:hub_ex", "x:ann_ex", "x:ben_ex", "x:dan_ex", "x:hub_ex2"}
    assert set(_edges(m, "MENTIONS")) == {_pair("hub_ex", "ann_ex"), _pair("hub_ex", "ben_ex"),
                                          _pair("ann_ex", "dan_ex"), _pair("ben_ex", "hub_ex2")}
    assert "2 lighter links of the accounts expanded left out" in m.html()
    assert "x:Ben_Ex mentions x:Hub_Ex2 in 2 posts (2 retweets)" in _edges(m)[_pair("ben_ex", "hub_ex2")]["title"]


def test_mentions_zero_draws_none_and_a_large_cap_leaves_nothing_out(mention_graph):
    m = maps.build_map(mention_graph, account="x:hub_ex", depth=1, mentions=0)
    assert (m.n_nodes, m.n_edges) == (1, 0)
    # all of hub's partners (ann, ben, cat) and all pairs among them (hub-ann, hub-ben, hub-cat, ann-ben)
    m = maps.build_map(mention_graph, account="x:hub_ex", depth=1, mentions=50)
    assert (m.n_nodes, m.n_edges) == (4, 4)
    assert "left out" not in m.html()


def test_group_map_keeps_the_heaviest_link_of_each_member(mention_graph):
    # members hub, ann, ben, cat; one link each: hub-ann (7) kept, hub-ben (4: ben has room),
    # hub-cat (1: cat has room) kept; ann-ben (1): both ends full, left out.
    mention_graph.write("CREATE (g:Group {gid: 'EXG', name: 'Example group'}) WITH g "
                        "MATCH (a:Account) WHERE a.key IN $keys CREATE (a)-[:AFFILIATED_WITH]->(g)",
                        {"keys": ["x:hub_ex", "x:ann_ex", "x:ben_ex", "x:cat_ex"]})
    m = maps.build_map(mention_graph, group="EXG", depth=1, mentions=1)
    assert (m.n_nodes, m.n_edges) == (5, 7)   # 4 affiliations + 3 mention links
    assert set(_edges(m, "MENTIONS")) == {_pair("hub_ex", "ann_ex"), _pair("hub_ex", "ben_ex"),
                                          _pair("hub_ex", "cat_ex")}
    assert "1 lighter link of the accounts expanded left out" in m.html()


def test_overall_cap_keeps_the_heaviest_mention_links():
    sub = Subgraph(nodes={i: MapNode(i, "Account", {"platform": "x", "handle": i}) for i in "abc"})
    for a, b, posts in (("a", "b", 5), ("a", "c", 3), ("b", "c", 1)):
        sub.edges.append(MapEdge(a, b, map_links.MENTION, {"a_to_b": posts, "posts": posts}))
    sub.mentions = {"per_node": 10, "known": {frozenset(p) for p in ("ab", "ac", "bc", "cd")},
                    "overall": None, "left_out": 0}
    map_links.cap_mentions(sub, 2)
    assert [(e.source, e.target) for e in sub.edges] == [("a", "b"), ("a", "c")]
    assert sub.mentions["left_out"] == 2   # b-c cut here, c-d never drawn
    assert "and at most 2 in all (--max-nodes); 2 lighter links" in map_links.mention_note(sub)


def test_bad_mentions_value(mention_graph):
    with pytest.raises(MapError, match="mentions must be 0 or a positive number"):
        maps.build_map(mention_graph, account="x:hub_ex", mentions=-1)


REAL = SHARED_DATA / "isis_twitter" / "tweets.csv"


def _real_partners(me: str):
    """Posts either way between ``me`` and each other account, and every mentioning pair, from
    the CSV with pandas and a plain @word pattern (no graphkit code)."""
    import pandas as pd

    frame = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    pattern = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]+)")
    frame["author"] = frame["username"].str.casefold()
    frame["mentioned"] = frame["tweets"].map(lambda t: sorted({h.casefold() for h in pattern.findall(t)}))
    pairs = frame[["author", "mentioned"]].explode("mentioned").dropna()
    pairs = pairs[pairs["author"] != pairs["mentioned"]]
    out = pairs[pairs["author"] == me]["mentioned"].value_counts()
    into = pairs[pairs["mentioned"] == me]["author"].value_counts()
    return out, into, out.add(into, fill_value=0).sort_values(ascending=False), pairs


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason=f"the tweet export is not at {REAL} (../shared/data absent)")
def test_real_export_account_map_shows_the_mention_network(graph, tmp_path):
    from graphkit.ingest.engine import load

    out, into, either, pairs = _real_partners("ramiallolah")
    assert (len(out), len(into)) == (278, 50)     # (279 and 577 with its 10 self-mentions)
    load(graph, [REAL], rejects=tmp_path / "r.csv", progress=False)

    # the default: the 10 heaviest partners (the 10th has 21 posts, the 11th 18: no tie)
    m = maps.build_map(graph, account="x:RamiAlLolah", depth=1)
    assert either.iloc[9] > either.iloc[10]
    assert _names(m) == {"x:ramiallolah", *(f"x:{h}" for h in either.index[:10])}
    heaviest = _edges(m, "MENTIONS")[frozenset(("x:ramiallolah", f"x:{either.index[0]}"))]
    assert f"in {int(into.get(either.index[0], 0)):,} posts" in heaviest["title"]

    # no cap: every partner, and every mentioning pair among them
    m = maps.build_map(graph, account="x:RamiAlLolah", depth=1, mentions=1000)
    nodes = {"ramiallolah", *either.index}
    among = {frozenset(p) for p in zip(pairs["author"], pairs["mentioned"]) if set(p) <= nodes}
    assert (m.n_nodes, m.n_edges) == (1 + len(either), len(among))
    titles = [e["title"] for e in _edges(m, "MENTIONS").values()]
    said = lambda who: sum(int(n.replace(",", "")) for t in titles  # noqa: E731
                           for n in re.findall(rf"^x:{who} mentions \S+ in ([\d,]+) post", t, re.M | re.I))
    assert said("RamiAlLolah") == int(out.sum())           # 644 posts naming others
    assert sum(int(n.replace(",", "")) for t in titles
               for n in re.findall(r"mentions x:RamiAlLolah in ([\d,]+) post", t)) == int(into.sum())  # 567


# -- query maps ----------------------------------------------------------------------------------

@pytest.fixture
def candidate_graph(graph):
    """The map fixture plus one candidate mirror link: gamma (BLA) succeeds alpha2 (TTP)."""
    fx.build(graph)
    graph.write("MATCH (g:Account {key: 'facebook:gamma_ex'}), (a:Account {key: 'x:alpha_news_ex2'}) "
                "CREATE (g)-[:MIRROR_OF {status: 'candidate', score: 0.75, method: 'detector'}]->(a)")
    return graph


def test_query_map_is_centred_on_the_rows_at_depth_1(candidate_graph):
    # one row: successor facebook:gamma_ex, predecessor x:Alpha_News_Ex2. Depth 1 (the default for
    # a query): gamma's BLA and phone; alpha2's TTP and alpha (confirmed mirror); the phone is
    # also alpha's, so it ties two nodes and stays. Edges: gamma-BLA, gamma-phone, alpha-phone,
    # alpha2-TTP, alpha-TTP, alpha2->alpha, gamma->alpha2 = 7
    m = maps.build_map(candidate_graph, query="mirror-candidates")
    assert _names(m) == {"facebook:gamma_ex", "x:alpha_news_ex2", "x:alpha_news_ex", "bla", "ttp",
                         "phone:+923000000101"}
    assert (m.n_nodes, m.n_edges) == (6, 7)
    assert "Network map: query mirror-candidates, depth 1" in m.html()


def test_query_map_never_expands_through_a_group(candidate_graph):
    # depth 2 adds what alpha leads to (the channel it posts in; its e-mail ties nothing) but not
    # TTP's other accounts (beta, the hostile one): 7 nodes, 7 + posts in + channel-TTP = 9 edges
    m = maps.build_map(candidate_graph, query="mirror-candidates", depth=2)
    assert (m.n_nodes, m.n_edges) == (7, 9)
    assert "telegram:ttp_channel_ex" in _names(m) and "telegram:beta_ex" not in _names(m)


def test_query_links_are_drawn_on_top_highlighted_with_the_row(candidate_graph):
    m = maps.build_map(candidate_graph, query="mirror-candidates")
    data = _data(m.html())
    last = data["edges"][-1]
    ids = {n["id"]: n["name"] for n in data["nodes"]}
    # the candidate, drawn last: predecessor -> successor, dashed, wider, glowing, with its row
    assert last["kind"] == "MIRROR_OF" and last["query"] is True
    assert (ids[last["from"]], ids[last["to"]]) == ("x:Alpha_News_Ex2", "facebook:gamma_ex")
    assert last["dashes"] and last["width"] > 3 and last["shadow"]["enabled"]
    assert ("mirror-candidates row 1: successor facebook:gamma_ex, predecessor x:Alpha_News_Ex2, "
            "score 0.75, method detector") in last["title"]
    # the others are faded and not highlighted
    others = data["edges"][:-1]
    assert len(others) == 6 and not any(e["query"] for e in others)
    assert all(e["color"]["opacity"] < 1 for e in others)
    html = m.html()
    assert 'id="gk-legend-query"' in html and "(1 row linked on this map)" in html


def test_shared_operator_map_highlights_the_ties_of_each_cluster(graph):
    # shared-operators on the fixture: one cluster, alpha and gamma, tied by the phone they share.
    # Seeds alpha and gamma, the phone drawn as the tie. Depth 1: TTP, alpha2, the channel (alpha's
    # e-mail ties nothing), BLA: 7 nodes; edges alpha-TTP, alpha2-TTP, channel-TTP, alpha2->alpha,
    # alpha posts in channel, alpha-phone, gamma-phone, gamma-BLA = 8. The row's links: the two
    # USES of the phone.
    fx.build(graph)
    m = maps.build_map(graph, query="shared-operators")
    assert (m.n_nodes, m.n_edges) == (7, 8)
    marked = {e["ends"] for e in _edges(m).values() if e["query"]}
    assert marked == {("x:alpha_news_ex", "phone:+923000000101"), ("facebook:gamma_ex", "phone:+923000000101")}


def test_rows_name_ties_as_anchors(graph):
    fx.build(graph)
    rows = [{"accounts": ["x:alpha_news_ex"], "evidence": ["phone:+923000000101", "operator:OP-1",
                                                            "co-admins of telegram:ttp_channel_ex",
                                                            "email:nobody@example.org"]},
            {"group": "bla", "note": "not a key: x"}]
    named = map_links.row_nodes(graph, rows)

    def keys(ids):
        return [r["k"] for r in graph.read(
            "UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id RETURN coalesce(n.key, n.gid, n.oid) AS k",
            {"ids": ids})]

    assert keys(named[0]["seeds"]) == ["x:alpha_news_ex"]
    assert keys(named[0]["anchors"]) == ["phone:+923000000101", "OP-1", "telegram:ttp_channel_ex"]
    assert named[1]["seeds"] == [] and keys(named[1]["anchors"]) == ["BLA"]


def test_a_row_naming_two_unlinked_accounts_gets_a_link_of_its_own():
    sub = Subgraph(nodes={i: MapNode(i, "Account", {"platform": "x", "handle": i}) for i in ("a", "b", "c")})
    rows = [{"first": "x:a", "second": "x:b", "why": "<b>same</b> bio"}, {"first": "x:a", "second": "x:zz"}]
    map_links.mark_rows(sub, "some-query", rows, [{"seeds": ["a", "b"], "anchors": []},
                                                  {"seeds": ["a"], "anchors": []}])
    assert [(e.source, e.target, e.type) for e in sub.edges] == [("a", "b", map_links.QUERY_LINK)]
    assert sub.edges[0].props["_rows"] == ["some-query row 1: first x:a, second x:b, why <b>same</b> bio"]
    assert sub.query == {"name": "some-query", "rows": 2, "rows_linked": 1}


def test_cli_query_map_defaults_to_depth_1_and_takes_mentions(candidate_graph, cli, tmp_path):
    out = tmp_path / "candidates.html"
    result = cli("map", "--query", "mirror-candidates", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "6 nodes and 7 links" in result.stdout
    assert "depth 1" in out.read_text(encoding="utf-8")
    result = cli("map", "--account", "x:alpha_news_ex", "--mentions", "-1", "-o", str(out))
    assert result.returncode == 2 and "--mentions" in result.stderr
