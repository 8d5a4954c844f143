"""X API v2 JSON lines -> accounts (with platform ids) and sightings (with retweet, quote and
reply links).

Each line is one API response page (``{"data": [tweet, ...], "includes": {"users": [...],
"tweets": [...]}}``, what academic collections and twarc2 write), one streamed tweet
(``{"data": tweet, "includes": ...}``) or one flattened tweet (``{"id", "text", "author_id",
"author": user}``). The file is read line by line, twice, in constant memory per tweet:

1. the accounts (all before the first sighting): per author id, the profile (username, name, description, location, created_at,
   public_metrics) that came with its latest tweet, and every username the id had with the dates
   of the tweets that carried it: a renamed account (same id, new username) is one account whose
   former handles keep their dates (``old_handle (2024-01-05..2024-03-01)``). Users that only the
   includes name (mentioned, quoted) get their profile too (``--group`` does not tie them: a
   mention is not membership). Memory grows with the number of
   distinct users, not of tweets.
2. the sightings: the referenced tweets of a page's ``includes.tweets`` first (a bounded memory
   of ids avoids repeating them), then its ``data``: ``sighting_id`` ``x-ID``, the author by
   username and id, ``created_at``, the text (``note_tweet`` for long posts), ``lang``, the
   mentioned usernames, the post URL, the kind (post, retweet, quote, reply) and ``refers_to``
   (``retweeted:x-ID``, ``quoted:x-ID``, ``replied_to:x-ID``).

Positions are ``LINE:$.data[i]`` (the line of the file and the JSON path inside it). A line that
is not JSON (a file cut short) is rejected with its line.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.ingest.formats import json_head, option
from graphkit.ingest.records import Row
from graphkit.ingest.rejects import Reject

SEEN_LIMIT = 100_000  # referenced tweets remembered (so a popular one is not re-read on every page)
REF_KINDS = {"retweeted": "retweet", "quoted": "quote", "replied_to": "reply"}


def detect(path: Path) -> bool:
    """JSON lines whose first 64 KB carry tweets (``author_id``) and no Telegram ``messages`` list."""
    head = json_head(path)
    return head is not None and b'"author_id"' in head and b'"messages"' not in head


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line, parsed JSON or the exception)`` of each non-blank line."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
            if not text:
                continue
            try:
                yield number, json.loads(text)
            except ValueError as exc:
                yield number, exc


def _page(obj: Any) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]], list[dict]]:
    """``(data tweets, included tweets, users)`` of one line, tweets with their JSON paths."""
    if not isinstance(obj, dict):
        return [], [], []
    includes = obj.get("includes") if isinstance(obj.get("includes"), dict) else {}
    users = [u for u in includes.get("users") or [] if isinstance(u, dict)]
    data = obj.get("data")
    if isinstance(data, list):
        tweets = [(f"$.data[{i}]", t) for i, t in enumerate(data)]
    elif isinstance(data, dict):
        tweets = [("$.data", data)]
    elif "author_id" in obj:  # a flattened tweet (twarc2 flatten)
        tweets = [("$", obj)]
        for key in ("author",):
            if isinstance(obj.get(key), dict):
                users.append(obj[key])
    else:
        tweets = []
    included = [(f"$.includes.tweets[{i}]", t) for i, t in enumerate(includes.get("tweets") or [])]
    return tweets, included, users


def _s(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


class _Profiles:
    """Pass 1: per user id, the latest profile and the usernames with their dates."""

    def __init__(self):
        self.profile: dict[str, tuple[str, int, dict]] = {}  # id -> (rank, line, compact profile)
        self.names: dict[str, dict[str, list[str]]] = {}  # id -> username -> [first, last]
        self.authors: set[str] = set()  # ids that wrote a tweet of the data (the others are only named)

    def add(self, user: dict, when: str | None, line: int) -> None:
        uid, username = _s(user.get("id")), _s(user.get("username"))
        if not uid:
            return
        metrics = user.get("public_metrics") if isinstance(user.get("public_metrics"), dict) else {}
        compact = {"handle": username, "display_name": _s(user.get("name")), "bio": _s(user.get("description")),
                   "location": _s(user.get("location")), "created_at": _s(user.get("created_at")),
                   "followers": _s(metrics.get("followers_count")), "statuses": _s(metrics.get("tweet_count"))}
        rank = when or ""
        if uid not in self.profile or rank >= self.profile[uid][0]:
            self.profile[uid] = (rank, line, compact)
        if username and when:
            span = self.names.setdefault(uid, {}).setdefault(username, [when, when])
            span[0], span[1] = min(span[0], when), max(span[1], when)

    def rows(self, file: str, platform: str) -> Iterator[Row]:
        for uid, (_, line, compact) in self.profile.items():
            current = compact["handle"]
            former = [f"{name} ({span[0][:10]}..{span[1][:10]})"
                      for name, span in sorted(self.names.get(uid, {}).items(), key=lambda kv: kv[1][0])
                      if name != current]
            values = {"platform": platform, "platform_id": uid, **compact, "former_handles": ";".join(former) or None}
            yield Row("accounts", file, line, values, {"handle": "username", "display_name": "name",
                                                       "bio": "description", "platform_id": "id",
                                                       "followers": "public_metrics.followers_count",
                                                       "statuses": "public_metrics.tweet_count"},
                      referred=uid not in self.authors)  # --group ties the collection's authors only


def _text(tweet: dict) -> str | None:
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and note.get("text"):
        return str(note["text"])
    return _s(tweet.get("text"))


def _sighting(tweet: dict, users: dict[str, str], platform: str) -> dict:
    author = _s(tweet.get("author_id"))
    handle = users.get(author or "")
    entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
    # a mention's id names the account whatever its username was then (a renamed account is one)
    mentions = [users.get(str(m.get("id"))) or str(m.get("username")) for m in entities.get("mentions") or []
                if isinstance(m, dict) and m.get("username")]
    refs = [r for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict) and r.get("id")]
    kind = next((REF_KINDS[r.get("type")] for r in refs if r.get("type") in REF_KINDS), "post")
    tid = _s(tweet.get("id"))
    return {"platform": platform, "sighting_id": f"x-{tid}" if tid else None, "account": handle,
            "account_id": author, "observed_at": _s(tweet.get("created_at")), "excerpt": _text(tweet),
            "language": _s(tweet.get("lang")), "mentions": ";".join(dict.fromkeys(mentions)) or None,
            "post_url": f"https://x.com/{handle}/status/{tid}" if handle and tid else None, "kind": kind,
            "refers_to": ";".join(f"{r['type']}:x-{r['id']}" for r in refs if r.get("type")) or None}


COLUMN_OF = {"sighting_id": "id", "account": "author_id", "account_id": "author_id", "observed_at": "created_at",
             "excerpt": "text", "language": "lang", "mentions": "entities.mentions", "refers_to": "referenced_tweets"}


def read(path: str | Path, mapping: dict[str, Any]) -> Iterator[Row | Reject]:
    path = Path(path)
    file, platform = str(path), option(mapping, "platform", "x")
    profiles = _Profiles()
    for number, obj in _lines(path):
        if isinstance(obj, Exception):
            continue
        tweets, included, users = _page(obj)
        by_id = {str(u.get("id")): u for u in users if u.get("id") is not None}
        for _, tweet in tweets:  # a username's dates: the tweets its page carried (not the included ones)
            if isinstance(tweet, dict) and str(tweet.get("author_id")) in by_id:
                profiles.add(by_id[str(tweet.get("author_id"))], _s(tweet.get("created_at")), number)
                profiles.authors.add(str(tweet.get("author_id")))
        for user in users:
            if str(user.get("id")) not in profiles.profile:
                profiles.add(user, None, number)
    yield from profiles.rows(file, platform)
    handles = {uid: compact["handle"] for uid, (_, _, compact) in profiles.profile.items() if compact["handle"]}
    seen: OrderedDict[str, None] = OrderedDict()
    for number, obj in _lines(path):
        if isinstance(obj, Exception):
            yield Reject("sightings", file, number, "", f"not a JSON object ({obj}); a file cut short?", "")
            continue
        tweets, included, users = _page(obj)
        if not tweets and not included:
            yield Reject("sightings", file, f"{number}:$", "data", "no tweets on this line (no data)", "")
            continue
        for where, tweet in included + tweets:
            if not isinstance(tweet, dict):
                yield Reject("sightings", file, f"{number}:{where}", "", "a tweet must be a JSON object", str(tweet)[:200])
                continue
            tid = _s(tweet.get("id"))
            if tid:  # a tweet already read (as data or as an included one) is not read again
                if tid in seen:
                    continue
                seen[tid] = None
                if len(seen) > SEEN_LIMIT:
                    seen.popitem(last=False)
            yield Row("sightings", file, f"{number}:{where}", _sighting(tweet, handles, platform), COLUMN_OF)
