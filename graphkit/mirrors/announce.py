"""Posts that announce a returning account, in English, Arabic, Urdu and Pashto wording.

Accounts that come back after a takedown tell their followers so: "I'm back", "back after
suspension", "please spread our new account @x", "unable to recover previous account : @old",
"حسابنا الجديد" (our new account), "نیا اکاؤنٹ" (Urdu: new account), "نوی حساب" (Pashto: new
account). ``scan`` reads the posts of a graph once and finds:

* **claims**: a post that names another account as its author's old account ("previous account
  : @A" posted by B -> B succeeds A) or as its author's new one ("follow my new account @B"
  posted by A -> B succeeds A). The mention must follow the wording directly, or be the post's
  only mention: a "back after suspension" post tagging five friends to spread it names no
  predecessor. A retweet ``RT @A: ...`` counts as A's own post.
* **returns**: an account announcing its own return without naming the old account (the first
  such post's time and text), and each account's opening posts, whose text may carry the old
  display name ("Bismillah. Mustafa Al Iraqi").

Wording is matched on ``lookalike.basic`` text (case-folded, Arabic letter variants unified).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from graphkit.ingest import values
from graphkit.mirrors import lookalike

# the account named next to these is the author's NEW account
NEW = (
    "new account", "new acc", "new acct", "new twitter", "new id", "new handle", "backup account",
    "backup acc", "back up account", "back-up account", "second account", "follow my new", "follow our new",
    "our new account", "spread our new", "spread my new",
    "حساب جديد", "حسابي الجديد", "حسابنا الجديد", "الحساب الجديد", "حساب احتياطي", "الحساب الاحتياطي",
    "نیا اکاؤنٹ", "نیا اکاونٹ", "نئے اکاؤنٹ", "نئی آئی ڈی", "بیک اپ اکاؤنٹ",
    "نوی حساب", "نوې حساب", "نوی اکاونټ", "نوې اکاونټ", "نوی اکاؤنټ",
)
# the account named next to these is the author's OLD account
OLD = (
    "previous account", "previous acc", "old account", "old acc", "former account", "last account",
    "unable to recover", "can't recover", "cannot recover", "lost my account", "my old",
    "حسابي القديم", "الحساب القديم", "حسابي السابق", "الحساب السابق", "حسابنا السابق", "حسابنا القديم",
    "پرانا اکاؤنٹ", "پرانے اکاؤنٹ", "پرانا اکاونٹ", "سابقہ اکاؤنٹ",
    "زوړ حساب", "زوړ اکاونټ", "پخوانی حساب", "پخوانی اکاونټ",
)
# "old" words that name the old account only when the @mention follows them directly
# ("old one @x", "القديم @x", "پرانا @x", "زوړ @x")
OLD_NEXT = ("old", "old one", "the old one", "previous", "previous one", "former", "القديم", "السابق", "پرانا",
            "پرانے", "زوړ", "پخوانی")
# an account announcing its own return
RETURN = NEW + OLD + (
    "i'm back", "im back", "i am back", "we are back", "we're back", "back again", "back after suspension",
    "back from suspension", "back after being suspended", "back from suspended", "returned after suspension",
    "acc number", "account number", "acc no", "account no", "acct #", "reborn",
    "عدت", "عدنا", "رجعت", "رجعنا", "عدنا من جديد", "بعد التعليق", "بعد الحذف", "بعد الحظر",
    "واپس آ گیا", "واپس آگیا", "واپس آ گئے", "واپس آگئے", "معطلی کے بعد", "دوبارہ حاضر",
    "بیرته راغلی", "بېرته راغلی", "بیرته راغلم", "بیرته راغلو",
)
_MENTION = re.compile(r"(?<![\w@])@(\w{1,30})")
_RETWEET = re.compile(r"^\s*rt\s+@(\w{1,30}):?\s*", re.I)
_NEXT_TO = 4  # characters of punctuation/space allowed between the wording and the mention
OPENING_POSTS = 3


def _pattern(phrases) -> re.Pattern:
    parts = []
    for phrase in phrases:
        words = lookalike.basic(phrase).split()
        parts.append(r"[\s\W_]{0,3}".join(re.escape(w) for w in words))
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)")


NEW_RE, OLD_RE, RETURN_RE = _pattern(NEW), _pattern(OLD), _pattern(RETURN)
OLD_NEXT_RE = _pattern(OLD_NEXT)


@dataclass
class Claim:
    successor: str
    predecessor: str
    text: str
    at: datetime | None = None


@dataclass
class Announcements:
    claims: dict = field(default_factory=dict)        # (successor key, predecessor key) -> Claim
    returns: dict = field(default_factory=dict)       # key -> (time, text) of its first return post
    openings: dict = field(default_factory=dict)      # key -> text of its first OPENING_POSTS posts
    first_posts: dict = field(default_factory=dict)   # key -> text of its first post


# "Acc number 58", "account no. 7", "acct #12", "الحساب ال٥١" (account 51), "حساب رقم ٣" (account
# number 3): accounts that number their returns (read on basic text with ASCII digits)
_COUNTER = re.compile(r"(?<!\w)(?:acc|acct|account|الحساب|حساب)(?:\s*(?:number|num|no|رقم))?\s*[#:.]?\s*"
                      r"(?:ال)?(\d{1,4})(?!\d)")


def counter(text: str | None) -> int | None:
    """The account number a return post gives itself ("Acc number 58" -> 58), else None."""
    m = _COUNTER.search(lookalike.ascii_digits(lookalike.basic(text)))
    return int(m.group(1)) if m else None


def is_return(text: str | None) -> bool:
    """Does the post announce a (new, backup or returning) account?"""
    return bool(RETURN_RE.search(lookalike.basic(text)))


def _key(platform: str, handle: str) -> str | None:
    try:
        norm = values.handle(handle)
    except ValueError:
        return None
    return f"{platform}:{norm}" if norm else None


def claims_in(author_key: str, platform: str, text: str | None) -> list[tuple[str, str]]:
    """(successor key, predecessor key) pairs that one post states (see the module doc)."""
    if not text:
        return []
    m = _RETWEET.match(text)
    if m:
        author_key = _key(platform, m.group(1)) or author_key
        text = text[m.end():]
    body = lookalike.basic(text)
    mentions = [(mm.start(), mm.end(), _key(platform, mm.group(1))) for mm in _MENTION.finditer(body)]
    mentions = [x for x in mentions if x[2] and x[2] != author_key]
    out = []
    # the old account: a mention right after "previous account", "old one" ..., or the only
    # mention of a post with unambiguous "previous account" wording
    for regex, alone in ((OLD_RE, True), (OLD_NEXT_RE, False)):
        for hit in regex.finditer(body):
            named = [k for s, _, k in mentions if 0 <= s - hit.end() <= _NEXT_TO]
            if not named and alone and len(mentions) == 1:
                named = [mentions[0][2]]
            out.extend((author_key, other) for other in named[:1])
    old_named = bool(out)
    # the new account: a mention right after "new account" ..., or the only mention after it
    # ("spread our new account @a @b @c" tags friends: more than two mentions name nothing)
    if len(mentions) <= 2:
        for hit in NEW_RE.finditer(body):
            named = [k for s, _, k in mentions if 0 <= s - hit.end() <= _NEXT_TO]
            if not named and not old_named and len(mentions) == 1 and mentions[0][0] > hit.end():
                named = [mentions[0][2]]
            out.extend((other, author_key) for other in named[:1] if (author_key, other) not in out)
    return list(dict.fromkeys(out))


def scan(posts) -> Announcements:
    """``posts``: iterable of (author key, platform, observed_at, text), any order."""
    found = Announcements()
    by_author = defaultdict(list)
    for author, platform, at, text in posts:
        if not text:
            continue
        by_author[author].append((at, text))
        for pair in claims_in(author, platform, text):
            old = found.claims.get(pair)
            if old is None or (at and old.at and at < old.at):
                found.claims[pair] = Claim(pair[0], pair[1], text, at)
        m = _RETWEET.match(text)
        speaker = (_key(platform, m.group(1)) or author) if m else author
        body = text[m.end():] if m else text
        if is_return(body):
            seen = found.returns.get(speaker)
            if seen is None or (at and seen[0] and at < seen[0]):
                found.returns[speaker] = (at, body)
    for author, items in by_author.items():
        items.sort(key=lambda x: (x[0] is None, x[0] or datetime.min, x[1]))
        found.openings[author] = " ".join(t for _, t in items[:OPENING_POSTS])
        found.first_posts[author] = items[0][1]
    return found
