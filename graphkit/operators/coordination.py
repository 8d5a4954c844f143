"""Coordination from posts: accounts that repeatedly post the same link, the same text or retweet
the same post within a short window are tied (co-link, co-text, co-retweet), as in the QUT
coordination-network toolkit.

The method is a sort-and-sweep in numpy: every post becomes one row per *item* it carries (each
link in it, its normalised text, the post it retweets), items are numbered, the rows are sorted by
(item, time), and for k = 1, 2, ... each row is compared with the row k places later: same item,
within ``window`` seconds and another account make a co-post. Sorted by time within an item, the
sweep stops at the first k with no row within the window, so the work is about (posts x the
number of posts of one item inside one window); ``max_neighbours`` bounds that for an item that
thousands post in the same minute (a viral link ties nobody in particular). A pair of accounts is
*coordinated* when it co-posted at least ``min_repeats`` different items (the link and the text of
one pair of tweets count once); clusters are the
connected components of coordinated pairs, each with its pairs, counts per mode and example
sightings (observed_at, post_url, excerpt).

Texts are compared after normalisation (case, links, @mentions, a leading ``RT @x:``, punctuation
and spacing removed) and only when at least ``min_text`` characters remain, so "near-identical"
means identical up to those edits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphkit.errors import OperatorError
from graphkit.operators.clustering import UnionFind

DEFAULT_WINDOW = 60
DEFAULT_MIN_REPEATS = 3
DEFAULT_MAX_NEIGHBOURS = 50
DEFAULT_MIN_TEXT = 25
MODES = ("link", "text", "retweet")

_LINK = r"https?://[^\s,;<>\"'\u2026]+\u2026?"
_RT = re.compile(r"^\s*RT\s+@(\w+)\s*:?\s*", re.IGNORECASE)


@dataclass
class Sweep:
    """Co-posts found by ``sweep``: rows i and j (indexes into the input) with a, b accounts."""

    a: np.ndarray
    b: np.ndarray
    item: np.ndarray
    i: np.ndarray
    j: np.ndarray


def sweep(items: np.ndarray, times: np.ndarray, accounts: np.ndarray, window: float = DEFAULT_WINDOW,
          max_neighbours: int = DEFAULT_MAX_NEIGHBOURS) -> Sweep:
    """Every pair of rows with the same item, ``window`` seconds apart at most, by two accounts.

    ``items``, ``accounts``: integer codes; ``times``: seconds (any numeric type). Returns the
    pairs with ``a < b`` (account codes) and the rows (original indexes) that made them."""
    order = np.lexsort((times, items))
    it, tt, ac = items[order], np.asarray(times, dtype=np.float64)[order], accounts[order]
    parts: list[tuple] = []
    for k in range(1, max(1, int(max_neighbours)) + 1):
        if k >= len(it):
            break
        near = (it[k:] == it[:-k]) & (tt[k:] - tt[:-k] <= window)
        if not near.any():
            break
        hit = np.flatnonzero(near & (ac[k:] != ac[:-k]))
        if hit.size:
            x, y = ac[hit], ac[hit + k]
            parts.append((np.minimum(x, y), np.maximum(x, y), it[hit], order[hit], order[hit + k]))
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return Sweep(empty, empty, empty, empty, empty)
    return Sweep(*(np.concatenate([p[n] for p in parts]) for n in range(5)))


def normalise_text(texts: pd.Series) -> pd.Series:
    """Texts as compared for co-text: links, mentions, a leading RT, punctuation and case removed."""
    out = texts.fillna("").astype(str).str.replace(_RT.pattern, "", regex=True, flags=re.IGNORECASE)
    out = out.str.replace(_LINK, " ", regex=True).str.replace(r"@\w+", " ", regex=True)
    out = out.str.lower().str.replace(r"[^\w]+", " ", regex=True).str.strip()
    return out


def items_of(posts: pd.DataFrame, modes=MODES, min_text: int = DEFAULT_MIN_TEXT) -> pd.DataFrame:
    """One row per (post, item): columns ``post`` (row number), ``mode``, ``item`` (text).

    ``posts`` has ``text`` (the excerpt) and optionally ``link`` (links already extracted, one per
    row) and ``retweet_of`` columns."""
    unknown = set(modes) - set(MODES)
    if unknown:
        raise OperatorError(f"unknown coordination mode {sorted(unknown)[0]!r}",
                            hint="Use link, text or retweet (comma-separated).")
    frames = []
    text = posts["text"].fillna("").astype(str) if "text" in posts else pd.Series("", index=posts.index)
    if "link" in modes:
        if "link" in posts:
            links = posts["link"].dropna()
        else:
            links = text.str.findall(_LINK).explode().dropna()
            links = links[~links.str.contains("\u2026", regex=False)]  # cut off by the export: "https://t…"
            links = links.str.rstrip(".,!?)]}")
            links = links[links.str.len() > len("https://t.co/")]
        frames.append(pd.DataFrame({"post": links.index.to_numpy(), "mode": "link", "item": links.to_numpy()}))
    if "retweet" in modes:
        source = posts["retweet_of"].dropna() if "retweet_of" in posts else None
        if source is None:
            rt = text.str.extract(_RT.pattern + r"(.*)$", flags=re.IGNORECASE).dropna()
            source = "@" + rt[0].str.lower() + ":" + normalise_text(rt[1])
        frames.append(pd.DataFrame({"post": source.index.to_numpy(), "mode": "retweet", "item": source.to_numpy()}))
    if "text" in modes:
        norm = normalise_text(text)
        norm = norm[norm.str.len() >= min_text]
        frames.append(pd.DataFrame({"post": norm.index.to_numpy(), "mode": "text", "item": norm.to_numpy()}))
    if not frames:
        return pd.DataFrame({"post": [], "mode": [], "item": []})
    return pd.concat(frames, ignore_index=True)


def coordinated_pairs(posts: pd.DataFrame, window: float = DEFAULT_WINDOW, min_repeats: int = DEFAULT_MIN_REPEATS,
                      modes=MODES, max_neighbours: int = DEFAULT_MAX_NEIGHBOURS,
                      min_text: int = DEFAULT_MIN_TEXT) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(pairs, co-posts, account names): ``pairs`` has a, b (account codes), repeats (different
    items co-posted, a pair of posts counting once) and per mode the different items co-posted
    (``pairs.attrs["co_posts"]``: all co-posts found); ``co-posts`` one row per co-post of those
    pairs (a, b, mode, item, i, j rows of ``posts``). ``posts`` needs ``account``, ``time`` (datetime or seconds) and ``text``
    (or ``link``); rows are numbered 0..n-1."""
    _check(window, min_repeats)
    posts = posts.reset_index(drop=True)
    account_codes, names = pd.factorize(posts["account"])
    seconds = _seconds(posts["time"])
    items = items_of(posts, modes, min_text)
    item_codes = np.empty(len(items), dtype=np.int64)
    offset = 0
    for mode in items["mode"].unique():  # numbered per mode: no string concatenation of 10M items
        where = (items["mode"] == mode).to_numpy()
        codes, values = pd.factorize(items["item"][where])
        item_codes[where] = codes + offset
        offset += len(values)
    rows = items["post"].to_numpy(dtype=np.int64)
    found = sweep(item_codes, seconds[rows], account_codes[rows], window, max_neighbours)
    a, b, code = found.a, found.b, found.item
    i, j = rows[found.i], rows[found.j]
    # repeats: different items, where the items one pair of posts shares (a link and its text)
    # count once: each pair of posts stands for its first item (only posts pairs seen twice need it)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    posts_pair = pd.DataFrame({"lo": lo, "hi": hi, "code": code})
    twice = posts_pair.duplicated(["lo", "hi"], keep=False).to_numpy()
    rep = code.copy()
    if twice.any():
        rep[twice] = posts_pair[twice].groupby(["lo", "hi"])["code"].transform("min").to_numpy()
    n = max(len(names), 1)
    pair_code = a * n + b
    distinct = pd.DataFrame({"p": pair_code, "r": rep}).drop_duplicates()
    codes, repeats = np.unique(distinct["p"].to_numpy(), return_counts=True)
    kept = codes[repeats >= min_repeats]
    mine = np.isin(pair_code, kept)  # the co-posts of coordinated pairs only (few): per mode, examples
    co = pd.DataFrame({"a": a[mine], "b": b[mine], "item": code[mine], "i": i[mine], "j": j[mine]})
    first = _first_row(item_codes, offset)[co["item"].to_numpy()]
    co["mode"] = items["mode"].to_numpy()[first]
    co["item"] = items["item"].to_numpy()[first]
    counts = co.drop_duplicates(["a", "b", "mode", "item"]).groupby(["a", "b", "mode"]).size()
    counts = counts.unstack("mode", fill_value=0) if len(counts) else pd.DataFrame(index=pd.MultiIndex.from_arrays(
        [[], []], names=["a", "b"]))
    for mode in modes:
        if mode not in counts:
            counts[mode] = 0
    pairs = counts.reset_index()
    if len(pairs):
        by_code = dict(zip(codes[repeats >= min_repeats].tolist(), repeats[repeats >= min_repeats].tolist()))
        pairs["repeats"] = [by_code[x * n + y] for x, y in zip(pairs["a"].tolist(), pairs["b"].tolist())]
    else:
        pairs["repeats"] = pd.Series(dtype=np.int64)
    pairs.attrs["co_posts"] = len(code)
    return pairs, co, np.asarray(names)


def _seconds(times: pd.Series) -> np.ndarray:
    """Posting times as whole seconds: datetimes of any unit (s, ms, us, ns), naive or UTC, or numbers."""
    if pd.api.types.is_datetime64_any_dtype(times):
        epoch = pd.Timestamp(0, tz=times.dt.tz) if times.dt.tz is not None else pd.Timestamp(0)
        return ((times - epoch) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)
    return pd.to_numeric(times).to_numpy()


def _first_row(codes: np.ndarray, n: int) -> np.ndarray:
    first = np.full(n, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return first


def _check(window, min_repeats) -> None:
    if window is None or float(window) < 0:
        raise OperatorError(f"the window must be zero or more seconds, not {window!r}",
                            hint="Give --window in seconds, e.g. 60.")
    if min_repeats is None or int(min_repeats) < 1:
        raise OperatorError(f"min_repeats must be at least 1, not {min_repeats!r}",
                            hint="Give --min-repeats as a whole number, e.g. 3.")


def clusters(posts: pd.DataFrame, window: float = DEFAULT_WINDOW, min_repeats: int = DEFAULT_MIN_REPEATS,
             modes=MODES, max_neighbours: int = DEFAULT_MAX_NEIGHBOURS, min_text: int = DEFAULT_MIN_TEXT,
             examples: int = 3) -> list[dict]:
    """Coordination clusters, largest first: ``{cluster, size, accounts, pairs, co_posts, modes,
    examples}``; examples are sightings ``{account, observed_at, post_url, excerpt, mode, item}``."""
    posts = posts.reset_index(drop=True)
    pairs, co, names = coordinated_pairs(posts, window, min_repeats, modes, max_neighbours, min_text)
    if pairs.empty:
        return []
    groups = UnionFind()
    for a, b in zip(pairs["a"].tolist(), pairs["b"].tolist()):
        groups.union(a, b)
    pairs["root"] = [groups.find(a) for a in pairs["a"].tolist()]
    kept = co.merge(pairs[["a", "b", "root"]], on=["a", "b"])
    out = []
    for root, group in pairs.groupby("root"):
        members = sorted({names[x] for x in group["a"]} | {names[x] for x in group["b"]})
        mine = kept[kept["root"] == root].drop_duplicates(["a", "b", "mode", "item"])
        out.append({"size": len(members), "accounts": members, "pairs": len(group),
                    "co_posts": int(group["repeats"].sum()),
                    "modes": {m: int(group[m].sum()) for m in modes if m in group and group[m].sum()},
                    "examples": [_example(posts, names, row) for row in mine.head(examples).itertuples()]})
    out.sort(key=lambda c: (-c["size"], -c["co_posts"], c["accounts"][0]))
    for n, row in enumerate(out, 1):
        row["cluster"] = n
    return out


def _example(posts: pd.DataFrame, names, row) -> dict:
    shown = []
    for index in (row.i, row.j):
        post = posts.iloc[index]
        shown.append({"account": post["account"], "observed_at": str(post["time"]),
                      "post_url": post.get("post_url"), "excerpt": post.get("text")})
    return {"mode": row.mode, "item": row.item, "posts": shown}


def fetch_posts(graph) -> pd.DataFrame:
    """The graph's sightings as posts: ``account`` (PLATFORM:HANDLE or channel key), ``time``
    (UTC datetime), ``text`` (the excerpt) and ``post_url``; one packed row from the database."""
    from graphkit.model.spec import model  # noqa: PLC0415

    m = model()
    sighting, account, channel, of = (m.node("Sighting").label, m.node("Account").label,
                                      m.node("Channel").label, m.rel("OF").type)
    rows = graph.read(f"""
MATCH (s:{sighting})-[:{of}]->(m)
WHERE s.observed_at IS NOT NULL AND (m:{account} OR m:{channel})
WITH CASE WHEN m:{channel} THEN m.key ELSE coalesce(m.platform + ':' + m.handle, m.key) END AS name, s
RETURN collect(name) AS accounts, collect(toString(s.observed_at)) AS times, collect(coalesce(s.excerpt, "")) AS texts,
       collect(coalesce(s.url, "")) AS urls""")
    row = rows[0] if rows else {"accounts": [], "times": [], "texts": [], "urls": []}
    return pd.DataFrame({"account": row["accounts"], "time": pd.to_datetime(row["times"], utc=True, format="ISO8601"),
                         "text": row["texts"], "post_url": row["urls"]})


def coordinate(graph, window: float = DEFAULT_WINDOW, min_repeats: int = DEFAULT_MIN_REPEATS, modes=MODES,
               max_neighbours: int = DEFAULT_MAX_NEIGHBOURS, min_text: int = DEFAULT_MIN_TEXT) -> list[dict]:
    """Coordination clusters from the sightings in the graph (see ``clusters``)."""
    return clusters(fetch_posts(graph), window, min_repeats, modes, max_neighbours, min_text)
