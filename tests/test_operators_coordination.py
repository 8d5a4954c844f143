"""graphkit.operators.coordination on hand-made posts: the window, the minimum repeats, the three
modes (co-link, co-text, co-retweet) and the example sightings. No database."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphkit.errors import OperatorError
from graphkit.operators.coordination import clusters, coordinated_pairs, normalise_text, sweep

T = 1_700_000_000  # seconds


def posts(rows):
    return pd.DataFrame(rows, columns=["account", "time", "text"])


def link_posts():
    rows = []
    for k in range(3):  # three links, 1000 s apart
        base, link = T + 1000 * k, f"https://news.example.org/{k}"
        rows += [("x:A", base, f"read {link}"), ("x:B", base + 30, f"{link} share"),
                 ("x:C", base + 130, link)]                      # C: 130 s after A, 100 s after B
        if k < 2:
            rows.append(("x:D", base + 10, f"ok {link}"))        # D: with A (10 s) and B (20 s), twice
        rows.append(("x:A", base + 5, f"again {link}"))          # A with itself: never a pair
    return posts(rows)


def pair_set(frame, names):
    return {(names[a], names[b], r) for a, b, r in zip(frame["a"], frame["b"], frame["repeats"])}


def test_window_and_min_repeats_on_links():
    # 60 s, 3 repeats: A-B co-posted three links (30 s apart); D only two; C is 100 s+ from everyone
    pairs, co, names = coordinated_pairs(link_posts(), window=60, min_repeats=3, modes=("link",))
    assert pair_set(pairs, names) == {("x:A", "x:B", 3)}
    # 2 repeats: D joins with A (10 s) and B (20 s)
    pairs, _, names = coordinated_pairs(link_posts(), window=60, min_repeats=2, modes=("link",))
    assert pair_set(pairs, names) == {("x:A", "x:B", 3), ("x:A", "x:D", 2), ("x:B", "x:D", 2)}
    # a 120 s window takes in B-C (100 s) but not A-C (130 s, and 125 s from A's second post)
    pairs, _, names = coordinated_pairs(link_posts(), window=120, min_repeats=3, modes=("link",))
    assert pair_set(pairs, names) == {("x:A", "x:B", 3), ("x:B", "x:C", 3)}


def test_text_and_retweet_modes():
    rows = []
    for k, words in enumerate(["watch and share before it is removed", "the new statement is out now friends",
                               "our backup account is here, follow it"]):
        rows += [("x:E", T + 500 * k, f"{words.capitalize()}!! https://a.example.org/{k}"),
                 ("x:F", T + 500 * k + 5, f"@someone {words.upper()}"),
                 ("x:G", T + 500 * k + 1, f"RT @news_example: item {k} of the daily bulletin here"),
                 ("x:H", T + 500 * k + 50, f"rt @News_Example: Item {k} of the daily bulletin here")]
    frame = posts(rows)
    pairs, _, names = coordinated_pairs(frame, modes=("text",))
    # E-F: the same text once case, links, mentions and punctuation are gone; G-H too (the RT
    # prefix is removed before texts are compared)
    assert pair_set(pairs, names) == {("x:E", "x:F", 3), ("x:G", "x:H", 3)}
    pairs, _, names = coordinated_pairs(frame, modes=("retweet",))
    assert pair_set(pairs, names) == {("x:G", "x:H", 3)}
    assert normalise_text(pd.Series(["RT @a: Hello, World! https://x.example @b"])).tolist() == ["hello world"]


def test_clusters_carry_example_sightings():
    frame = link_posts().assign(post_url=lambda f: [f"https://posts.example.org/{i}" for i in range(len(f))])
    [only] = clusters(frame, window=60, min_repeats=2, modes=("link",), examples=1)
    assert only["accounts"] == ["x:A", "x:B", "x:D"] and only["pairs"] == 3 and only["co_posts"] == 7
    assert only["modes"] == {"link": 7}
    [example] = only["examples"]
    assert example["mode"] == "link" and example["item"].startswith("https://news.example.org/")
    assert {"account", "observed_at", "post_url", "excerpt"} <= set(example["posts"][0])
    assert example["posts"][0]["post_url"].startswith("https://posts.example.org/")


def test_sweep_stops_at_the_window_and_caps_neighbours():
    items = np.zeros(5, dtype=np.int64)
    times = np.array([0, 10, 20, 30, 100])
    accounts = np.array([0, 1, 2, 3, 4])
    found = sweep(items, times, accounts, window=25)
    # pairs within 25 s: (0,1) (0,2) (1,2) (1,3) (2,3); 100 is alone
    assert sorted(zip(found.a.tolist(), found.b.tolist())) == [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    capped = sweep(items, times, accounts, window=25, max_neighbours=1)
    assert sorted(zip(capped.a.tolist(), capped.b.tolist())) == [(0, 1), (1, 2), (2, 3)]


@pytest.mark.parametrize("kwargs, message", [
    ({"window": -1}, "window"), ({"min_repeats": 0}, "min_repeats"), ({"modes": ("links",)}, "mode")])
def test_bad_parameters_are_one_sentence(kwargs, message):
    with pytest.raises(OperatorError, match=message):
        coordinated_pairs(link_posts(), **kwargs)


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_datetimes_of_any_unit_are_seconds(unit):
    # the graph's times come back as datetime64[us, UTC]: two posts two hours apart are not together
    frame = link_posts()
    frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True).astype(f"datetime64[{unit}, UTC]")
    pairs, _, names = coordinated_pairs(frame, window=60, min_repeats=3, modes=("link",))
    assert pair_set(pairs, names) == {("x:A", "x:B", 3)}
    frame.loc[frame["account"] == "x:B", "time"] += pd.Timedelta(hours=2)
    assert coordinated_pairs(frame, window=60, min_repeats=3, modes=("link",))[0].empty


def test_links_cut_off_by_the_export_are_not_items():
    frame = posts([("x:A", T, "RT @a: long text https://t\u2026"), ("x:B", T + 1, "other https://t\u2026")] * 3)
    assert coordinated_pairs(frame, min_repeats=1, modes=("link",))[0].empty


def test_one_pair_of_posts_counts_once_across_modes():
    # A and B post the same text with the same link, three times: link and text co-posts, but 3
    # repeats (not 6); each mode still says how many items it shared
    rows = [(acc, T + 1000 * k + d, f"the statement number {k} is out now, read it https://s.example.org/{k}")
            for k in range(3) for acc, d in (("x:A", 0), ("x:B", 20))]
    pairs, _, names = coordinated_pairs(posts(rows), min_repeats=3)
    assert pair_set(pairs, names) == {("x:A", "x:B", 3)}
    assert pairs[["link", "text", "retweet"]].values.tolist() == [[3, 3, 0]]
