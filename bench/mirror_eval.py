"""A labelled generator for evaluating mirror detection (issue 6), and its scorer.

How evasion is modelled (from descriptions of ban evasion on X/Twitter, Telegram, Facebook and
TikTok after takedowns, not from any detector's rules):

* An identity (a handle stem, display name, bio, avatar, a link to "its" Telegram channel, often an
  invite link, sometimes a phone) lives on one account until the platform removes it. Hours to a
  few weeks later it re-registers: the successor is a chain of 1-5 such returns.
* The new handle is the old one with a change evaders are seen to make so followers find them:
  the counter appended or bumped (``name`` -> ``name2`` -> ``name3``), a word added (``_official``,
  ``_backup``, ``_new``, ``real_``, ``the``, ``_back``, ``_tv``), leetspeak (``n4me``), a changed
  or dropped separator (``na.me``, ``na_me`` -> ``name``), a doubled or dropped letter, a Cyrillic or
  Greek look-alike letter (``nаme`` with U+0430), a vowel dropped (``khbr``), or two of these.
  Moving to another platform often keeps the handle exactly.
* The display name usually stays, sometimes with an emoji, a number or "(backup)" added, or a
  look-alike letter. The bio stays or is lightly edited ("new account", "old one removed", a word
  changed); the avatar is mostly reused; the link to the channel is mostly kept.
* Hard negatives that a careful analyst would NOT call mirrors: monitoring/research accounts
  (``<stem>_watch``, ``<stem>_monitor``, ``track_<stem>``), news outlets and parody/fan accounts
  that reuse the stem; unrelated accounts built from the same common words (``daily_news``,
  ``dailynews24``) including ones created after another's removal; accounts with a generic bio
  ("News and updates."); parallel "sibling" accounts of the same network created BEFORE the
  predecessor was removed (same avatar and link: a network, not a mirror); an unrelated account
  with the same display name but nothing else in common; a squatter taking a similar name long
  (6-18 months) after the removal with a different avatar, bio and link.

Variant ``a`` is for tuning; variant ``b`` is held out: another word vocabulary, more
cross-platform returns (35% against 15%), more look-alike letters and double changes, fewer kept
avatars, and a different mix of decoys. Variant ``c`` is a stress test added later (a third
vocabulary; half the returns cross platforms; one in eight is a "rebrand" under a new name that
keeps only the display name, avatar and channel link), not a pass/fail target.

Labels are the direct (successor_key, predecessor_key) links, keys as ``platform:handle_norm``
(docs/model.md). ``score`` can optionally forgive a predicted link that skips a chain member.

    python bench/mirror_eval.py write -o /tmp/eval-a --seed 0 -n 10000 --variant a
    python bench/mirror_eval.py score candidates.json /tmp/eval-a/labels.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pairwise import score_pairs  # noqa: E402  the one pairwise scorer
from graphkit.ingest.values import account_key, handle as handle_norm  # noqa: E402  the model's key convention

DAY, HOUR = 86400.0, 3600.0
T0 = datetime(2023, 1, 1, tzinfo=timezone.utc).timestamp()
HORIZON = datetime(2025, 7, 24, tzinfo=timezone.utc).timestamp()
PLATFORMS = ["x", "facebook", "instagram", "tiktok", "telegram", "youtube"]
GROUPS = ["TTP", "ISIS-K", "BLA", "BLF"]

VOCAB = {
    "a": {"words": ["sada", "haq", "noor", "khabar", "awaz", "paigham", "safar", "fajr", "sahar", "watan",
                    "kahani", "dastak", "chiragh", "manzil", "karwan", "nida", "zia", "rehbar"],
          "en": ["media", "news", "today", "live", "updates", "daily", "center", "voice", "times", "studio"],
          "display": ["Sada e Haq", "Noor Media", "Khabar Today", "Awaz Live", "Paigham Center", "Fajr Times"],
          "script": ["آواز حق", "نور میڈیا", "تازہ خبر"]},
    "b": {"words": ["roshni", "pukar", "zameen", "dariya", "pahar", "sitara", "qalam", "kitab", "bulbul",
                    "aasman", "chinar", "samandar", "baadal", "sang", "jheel", "gulshan", "mehtab", "shafaq"],
          "en": ["report", "channel", "network", "info", "press", "bulletin", "digest", "feed", "desk", "post"],
          "display": ["Roshni Network", "Pukar Press", "Qalam Digest", "Sitara Feed", "Dariya Desk", "Pahar Post"],
          "script": ["روشنی", "پکار نیوز", "قلم"]},
    "c": {"words": ["gulzar", "anmol", "hira", "sukoon", "sabz", "chaman", "dilkash", "khushboo", "meena",
                    "barish", "dhoop", "saya", "kinara", "lehar", "parwaz", "rang", "sadaf", "zarf"],
          "en": ["tv", "hub", "online", "world", "point", "zone", "line", "net", "pk", "official"],
          "display": ["Gulzar TV", "Sukoon Hub", "Lehar Online", "Parwaz Point", "Kinara Net", "Rang Zone"],
          "script": ["گلزار", "سکون", "لہر"]},
}
COMMON = ["daily_news", "news_today", "breaking_updates", "live_updates", "world_news", "city_news", "top_stories"]
GENERIC_BIOS = ["News and updates.", "Official page.", "Follow for daily updates.", "Stay tuned.",
                "تازہ ترین خبریں", "Sharing news from the region."]
CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445",
            "y": "\u0443", "i": "\u0456", "k": "\u043a", "h": "\u04bb"}
GREEK = {"o": "\u03bf", "v": "\u03bd", "i": "\u03b9", "k": "\u03ba"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "b": "8", "g": "9"}
EMOJI = ["\u2705", "\U0001F501", "\u2B50", "\U0001F4E2", "\U0001F504", "\u2764\ufe0f"]

PROFILES = {
    #               chain  decoy  background  cross  homoglyph  double  keep_avatar  keep_link
    "a": dict(mix=(0.20, 0.30, 0.50), cross=0.15, homoglyph=0.08, double=0.10, avatar=0.80, link=0.85,
              decoys={"monitor": 3, "news": 2, "parody": 2, "common": 3, "generic_bio": 2, "sibling": 2,
                      "same_display": 2, "squatter": 1}),
    "b": dict(mix=(0.18, 0.35, 0.47), cross=0.35, homoglyph=0.22, double=0.25, avatar=0.65, link=0.80,
              decoys={"monitor": 2, "news": 2, "parody": 1, "common": 4, "generic_bio": 3, "sibling": 3,
                      "same_display": 2, "squatter": 2}),
    # a stress test, not a target: half the returns cross platforms, one in eight takes a new name
    # (kept: display name, avatar, channel link), many double changes and look-alike letters
    "c": dict(mix=(0.18, 0.35, 0.47), cross=0.5, homoglyph=0.3, double=0.4, avatar=0.6, link=0.75, rebrand=0.125,
              decoys={"monitor": 2, "news": 2, "parody": 2, "common": 4, "generic_bio": 3, "sibling": 4,
                      "same_display": 3, "squatter": 2}),
}


def _iso(t):
    return "" if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class _Gen:
    def __init__(self, seed: int, n: int, variant: str):
        if variant not in PROFILES:
            raise ValueError(f"unknown variant {variant!r}; choose one of {sorted(PROFILES)}")
        self.rng = random.Random(f"mirror-eval/{variant}/{seed}")
        self.n, self.p, self.v = n, PROFILES[variant], VOCAB[variant]
        self.accounts: list[dict] = []
        self.identifiers: list[list] = []
        self.channels: list[list] = []
        self.labels: list[tuple[str, str, str]] = []
        self.used: set[str] = set()
        self.identity_accounts: list[dict] = []   # group accounts a decoy can resemble
        self.counter = 0
        self.phones = 0
        self.decoy_of: dict[str, str] = {}       # sibling decoy -> the account it resembles

    # -- building blocks --------------------------------------------------------------------
    def stem(self) -> str:
        r, w, en = self.rng, self.v["words"], self.v["en"]
        self.counter += 1
        pattern = r.randrange(6)
        a, b = r.choice(w), r.choice(w + en)
        num = str(r.randint(1, 999))
        return [f"{a}_{b}", f"{a}{b}", f"{a}_{b}_{num}", f"{a}{num}", f"{b}_{a}{num}", f"the_{a}_{b}"][pattern] + \
            ("" if pattern in (2, 3, 4) else f"_{self.counter}")

    def claim(self, platform: str, handle: str) -> str | None:
        key = account_key(platform, handle_norm(handle))
        if key in self.used:
            return None
        self.used.add(key)
        return key

    def hexid(self, n=16):
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def add(self, platform, handle, *, display, bio, created, removed=None, group=None, avatar=None,
            link=None, invite=None, phone=None, kind="background"):
        key = self.claim(platform, handle)
        if key is None:
            return None
        acc = {"platform": platform, "handle": handle, "display_name": display, "bio": bio,
               "status": "removed" if removed else "active", "followers": int(self.rng.paretovariate(1.3) * 200),
               "created_at": created, "removed_at": removed, "group_id": group or "", "key": key, "kind": kind,
               "avatar": avatar or self.hexid(), "link": link, "invite": invite, "phone": phone}
        self.accounts.append(acc)
        for k, val in (("image_hash", acc["avatar"]), ("url", link), ("invite", invite), ("phone", phone)):
            if val:
                self.identifiers.append([platform, handle, k, val])
        return acc

    # -- evasion: how a returning account renames itself ----------------------------------------
    def mutate(self, handle: str, ops=None) -> str:
        r = self.rng
        if ops is None:
            ops = ["number", "number", "word", "word", "leet", "separator", "letter", "vowel"]
            ops += ["homoglyph"] * round(self.p["homoglyph"] * 20)
        out = self._one(r.choice(ops), handle)
        if r.random() < self.p["double"]:
            out = self._one(r.choice(ops), out)
        return out

    def _one(self, op: str, h: str) -> str:
        r = self.rng
        if op == "number":
            head = h.rstrip("0123456789")
            tail = h[len(head):]
            return head + str(int(tail) + 1) if tail and r.random() < 0.7 else h + r.choice(["2", "1", "_2", "0", "_1"])
        if op == "word":
            word = r.choice(["_official", "_backup", "_new", "official", "_back", "_tv", "_real", "_bk", "_2nd"])
            return ("real_" + h) if r.random() < 0.15 else h + word
        if op == "leet":
            spots = [i for i, c in enumerate(h) if c in LEET]
            if spots:
                i = r.choice(spots)
                return h[:i] + LEET[h[i]] + h[i + 1:]
        if op == "separator":
            if "_" in h:
                i = r.choice([i for i, c in enumerate(h) if c == "_"])
                return h[:i] + r.choice(["", ".", "__", "-"]) + h[i + 1:]
            mid = len(h) // 2
            return h[:mid] + "_" + h[mid:]
        if op == "letter":
            spots = [i for i, c in enumerate(h) if c.isalpha()]
            i = r.choice(spots)
            return h[:i] + h[i] + h[i:] if r.random() < 0.6 else h[:i] + h[i + 1:]
        if op == "vowel":
            spots = [i for i, c in enumerate(h) if c in "aeiou" and 0 < i]
            if spots:
                i = r.choice(spots)
                return h[:i] + h[i + 1:]
        if op == "homoglyph":
            table = CYRILLIC if r.random() < 0.8 else GREEK
            spots = [i for i, c in enumerate(h) if c in table]
            if spots:
                i = r.choice(spots)
                return h[:i] + table[h[i]] + h[i + 1:]
        return h + "2"

    def display(self) -> str:
        r = self.rng
        name = r.choice([r.choice(self.v["display"]), f"{r.choice(self.v['words']).title()} {r.choice(self.v['en']).title()}"])
        return name + (f" {r.randint(1, 999)}" if r.random() < 0.6 else "")

    def display_variant(self, name: str) -> str:
        r = self.rng.random()
        if r < 0.5:
            return name
        if r < 0.7:
            return f"{name} {self.rng.choice(EMOJI)}"
        if r < 0.85:
            return self.rng.choice([f"{name} 2", f"{name} (backup)", f"{name} official", f"New {name}"])
        spots = [i for i, c in enumerate(name) if c in CYRILLIC]
        if not spots:
            return name
        i = self.rng.choice(spots)
        return name[:i] + CYRILLIC[name[i]] + name[i + 1:]

    def bio_variant(self, bio: str) -> str:
        r = self.rng.random()
        if r < 0.4:
            return bio
        if r < 0.85:
            return self.rng.choice([bio + " New account.", "Old one removed. " + bio, bio.replace(".", "!", 1),
                                    bio + " " + self.rng.choice(EMOJI), "Backup: " + bio])
        words = bio.split()  # one word swapped for another
        words[self.rng.randrange(len(words))] = self.rng.choice(self.v["en"])
        return " ".join(words)

    def base_bio(self, display: str) -> str:
        r = self.rng
        return r.choice([f"{display}: updates from the valley. Join the channel.",
                         f"Official {display} page. Daily posts, follow the link.",
                         f"{display} - {r.choice(self.v['words'])} {r.choice(self.v['en'])}, all posts in the channel.",
                         f"{r.choice(self.v['script'])} | {display} | channel link below"])

    # -- generators ------------------------------------------------------------------------------
    def chain(self):
        r, p = self.rng, self.p
        links = r.choices([1, 2, 3, 4, 5], [40, 25, 15, 12, 8])[0]
        stem = self.stem()
        display = self.display()
        if r.random() < 0.15:
            display = r.choice(self.v["script"])
        group, platform = r.choice(GROUPS), r.choice(PLATFORMS)
        channel = f"{stem.replace('.', '_')}_ch"
        link = f"https://t.me/{channel}"
        invite = "https://t.me/+" + self.hexid(16) if r.random() < 0.5 else None
        phone = None
        if r.random() < 0.3 and self.phones < 1000:
            phone, self.phones = f"+92300{self.phones:07d}", self.phones + 1
        avatar, bio = self.hexid(), self.base_bio(display)
        created = r.uniform(T0, HORIZON - 200 * DAY)
        removed = created + r.uniform(5, 150) * DAY
        prev = self.add(platform, stem, display=display, bio=bio, created=created, removed=removed, group=group,
                        avatar=avatar, link=link, invite=invite, phone=phone, kind="chain")
        if prev is None:
            return
        members = [prev]
        self.identity_accounts.append(prev)
        for i in range(links):
            gap = r.choice([r.uniform(1, 24) * HOUR, r.uniform(1, 7) * DAY, r.uniform(7, 30) * DAY])
            created = prev["removed_at"] + gap
            if created > HORIZON:
                break
            last = i == links - 1
            removed = None if last else created + r.uniform(3, 90) * DAY
            if removed and removed > HORIZON:
                removed = None
            cross = r.random() < p["cross"]
            plat = r.choice([x for x in PLATFORMS if x != prev["platform"]]) if cross else prev["platform"]
            rebrand = p.get("rebrand", 0) > 0 and r.random() < p["rebrand"]
            for _ in range(10):
                handle = prev["handle"] if cross and r.random() < 0.6 else self.mutate(prev["handle"])
                if rebrand:  # a new name; the followers find it by the avatar and the channel link
                    handle = self.stem()
                acc = self.add(plat, handle, display=self.display_variant(display), bio=self.bio_variant(prev["bio"]),
                               created=created, removed=removed, group=group,
                               avatar=avatar if rebrand or r.random() < p["avatar"] else None,
                               link=link if rebrand or r.random() < p["link"] else None,
                               invite=invite if r.random() < 0.7 else None, phone=phone, kind="chain")
                if acc:
                    break
            else:
                break
            self.labels.append((acc["key"], prev["key"], ("rebrand-" if rebrand else "") + ("cross" if cross else "same")))
            members.append(acc)
            prev = acc
            if removed is None:
                break
        admins = ";".join(m["handle"] for m in members if m["platform"] == "telegram")
        self.channels.append(["telegram", channel, display, "channel", "active", group, admins])

    def decoy(self):
        r = self.rng
        kind = r.choices(list(self.p["decoys"]), list(self.p["decoys"].values()))[0]
        target = r.choice(self.identity_accounts) if self.identity_accounts else None
        if target is None or kind == "common":
            return self.common()
        h, plat = target["handle"].rstrip("0123456789_"), target["platform"]
        old = lambda: r.uniform(T0 - 900 * DAY, T0)  # noqa: E731  long-standing accounts
        if kind == "monitor":
            handle = r.choice([f"{h}_watch", f"{h}_monitor", f"track_{h}", f"{h}_research", f"{h}watch"])
            self.add(r.choice(PLATFORMS), handle, display=f"{target['display_name']} Watch",
                     bio="Monitoring and research account. Tracking takedowns; we do not endorse.",
                     created=old(), kind="decoy:monitor")
        elif kind == "news":
            handle = r.choice([f"{h}_news", f"{h}_today", f"{h}news", f"daily_{h}"])
            self.add(plat, handle, display=f"{target['display_name']} News Desk",
                     bio="Independent news outlet. Reporting on the region.", created=old(), kind="decoy:news")
        elif kind == "parody":
            handle = r.choice([f"not_{h}", f"{h}_parody", f"fake_{h}", f"{h}_fan", f"fan_of_{h}"])
            self.add(plat, handle, display=f"Not {target['display_name']}",
                     bio="Parody account. Satire only.", created=r.uniform(T0, HORIZON), kind="decoy:parody")
        elif kind == "generic_bio":
            for _ in range(r.randint(2, 4)):
                self.add(r.choice(PLATFORMS), self.stem(), display=r.choice(self.v["display"]),
                         bio=r.choice(GENERIC_BIOS), created=r.uniform(T0, HORIZON), kind="decoy:generic_bio")
        elif kind == "sibling" and target["removed_at"]:
            # a parallel account of the same network, created while the other was still up
            created = r.uniform(target["created_at"], target["removed_at"] - HOUR)
            sib = self.add(plat if r.random() < 0.7 else r.choice(PLATFORMS), self.mutate(target["handle"]),
                     display=target["display_name"], bio=self.bio_variant(target["bio"]), created=created,
                     group=target["group_id"], avatar=target["avatar"] if r.random() < 0.5 else None,
                     link=target["link"] if r.random() < 0.5 else None, kind="decoy:sibling")
            if sib:
                self.decoy_of[sib["key"]] = target["key"]
        elif kind == "same_display":
            self.add(r.choice(PLATFORMS), self.stem(), display=target["display_name"],
                     bio=self.base_bio(r.choice(self.v["display"])), created=r.uniform(T0, HORIZON), kind="decoy:same_display")
        elif kind == "squatter" and target["removed_at"]:
            created = target["removed_at"] + r.uniform(180, 540) * DAY
            if created < HORIZON:
                self.add(plat, self.mutate(target["handle"]), display=r.choice(self.v["display"]),
                         bio=r.choice(GENERIC_BIOS), created=created, kind="decoy:squatter")

    def common(self):
        """Unrelated accounts built from the same common words, some created after another's removal."""
        r = self.rng
        base = r.choice(COMMON) + (str(r.randint(1, 99)) if r.random() < 0.5 else "")
        prev_removed = None
        for _ in range(r.randint(2, 4)):
            created = prev_removed + r.uniform(1, 20) * DAY if prev_removed and r.random() < 0.5 else r.uniform(T0, HORIZON - 30 * DAY)
            removed = created + r.uniform(10, 200) * DAY if r.random() < 0.4 else None
            acc = self.add(r.choice(PLATFORMS), self.mutate(base, ["number", "separator", "word", "letter"]) if r.random() < 0.8 else base,
                           display=base.replace("_", " ").title(), bio=r.choice(GENERIC_BIOS + [self.base_bio(base)]),
                           created=created, removed=removed if removed and removed < HORIZON else None, kind="decoy:common")
            if acc:
                prev_removed = acc["removed_at"]

    def background(self):
        r = self.rng
        display = self.display()
        created = r.uniform(T0, HORIZON - DAY)
        removed = created + r.uniform(10, 300) * DAY if r.random() < 0.3 else None
        group = r.choice(GROUPS) if r.random() < 0.5 else None
        acc = self.add(r.choice(PLATFORMS), self.stem(), display=display, bio=self.base_bio(display),
                       created=created, removed=removed if removed and removed < HORIZON else None, group=group,
                       link=f"https://t.me/{self.stem()}_ch" if r.random() < 0.4 else None)
        if acc and group:
            self.identity_accounts.append(acc)

    def run(self):
        makers = [self.chain, self.decoy, self.background]
        while len(self.accounts) < self.n:
            self.rng.choices(makers, self.p["mix"])[0]()
        return self


def generate(seed: int, n_accounts: int, variant: str = "a"):
    """``(tables, labels)``: tables maps ``accounts``, ``identifiers``, ``channels`` to lists of dicts
    in canonical bundle columns; labels is the set of true ``(successor_key, predecessor_key)``."""
    g = _Gen(seed, n_accounts, variant).run()
    accounts = [{k: (_iso(v) if k in ("created_at", "removed_at") else v) for k, v in a.items()
                 if k in ACCOUNT_COLUMNS} for a in g.accounts]
    tables = {"accounts": accounts,
              "identifiers": [dict(zip(IDENT_COLUMNS, row)) for row in g.identifiers],
              "channels": [dict(zip(CHANNEL_COLUMNS, row)) for row in g.channels]}
    tables["_labels"] = g.labels
    tables["_kinds"] = {a["key"]: a["kind"] for a in g.accounts}
    tables["_decoy_of"] = g.decoy_of
    return tables, {(s, p) for s, p, _ in g.labels}


ACCOUNT_COLUMNS = ["platform", "handle", "display_name", "bio", "status", "followers", "created_at", "removed_at", "group_id"]
IDENT_COLUMNS = ["platform", "account", "kind", "value"]
CHANNEL_COLUMNS = ["platform", "channel", "name", "kind", "status", "group_id", "admins"]


def write_bundle(folder, seed: int, n: int, variant: str = "a") -> set[tuple[str, str]]:
    """Write a canonical bundle (accounts, identifiers, channels, report.json) plus labels.csv
    (successor, predecessor, kind) and kinds.csv (each account's role, for error analysis)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables, labels = generate(seed, n, variant)
    for name, cols in (("accounts", ACCOUNT_COLUMNS), ("identifiers", IDENT_COLUMNS), ("channels", CHANNEL_COLUMNS)):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols, lineterminator="\n")
            w.writeheader()
            w.writerows(tables[name])
    with open(folder / "labels.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["successor", "predecessor", "kind"])
        w.writerows(tables["_labels"])
    with open(folder / "kinds.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["key", "kind"])
        w.writerows(tables["_kinds"].items())
    (folder / "report.json").write_text(json.dumps(
        {"id": f"mirror-eval-{variant}-{seed}-{n}", "source": "bench/mirror_eval.py (synthetic, fictional)",
         "title": f"Labelled mirror evaluation set, variant {variant}", "date": "2025-07-25"}, indent=2) + "\n")
    return labels


def read_labels(path) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(row["successor"], row["predecessor"]) for row in csv.DictReader(fh)}


def _closure(labels):
    """All (later, earlier) pairs within a chain: a link that skips a member is not a false alarm."""
    pred = {}
    for s, p in labels:
        pred.setdefault(s, set()).add(p)
    out = set()
    for s in pred:
        stack, seen = list(pred[s]), set()
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                out.add((s, p))
                stack.extend(pred.get(p, ()))
    return out


def score(pairs_predicted, labels, forgive_skips: bool = False) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted ``(successor_key, predecessor_key)`` pairs.

    With ``forgive_skips`` a predicted pair that links two members of one chain out of order of
    the direct links (C -> A when C -> B -> A) counts neither as right nor as a false alarm."""
    predicted, labels = set(pairs_predicted), set(labels)
    ignored = len((predicted - labels) & _closure(labels)) if forgive_skips else 0
    return score_pairs(predicted, labels, ignored)


def _key(text: str) -> str:
    """``PLATFORM:HANDLE`` from a detector's output -> the model's ``platform:handle_norm`` key."""
    platform, _, handle = text.partition(":")
    return account_key(platform, handle_norm(handle))


def by_threshold(candidates, labels, thresholds=(0.5, 0.6, 0.7, 0.8, 0.9)):
    """Rows of (threshold, predicted, precision, recall, f1) for scored candidates
    (dicts with successor, predecessor as PLATFORM:HANDLE and score)."""
    rows = []
    for t in thresholds:
        pairs = {(_key(c["successor"]), _key(c["predecessor"])) for c in candidates if float(c["score"]) >= t}
        rows.append((t, len(pairs), *score(pairs, labels)))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="write a labelled bundle")
    w.add_argument("-o", "--output", required=True)
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("-n", type=int, default=10000)
    w.add_argument("--variant", default="a", choices=sorted(PROFILES))
    s = sub.add_parser("score", help="precision/recall/F1 by threshold for a detector's JSON output")
    s.add_argument("candidates", help="JSON list of {successor, predecessor, score} (graphkit mirrors detect --format json)")
    s.add_argument("labels", help="labels.csv written by `write`")
    args = ap.parse_args(argv)
    if args.cmd == "write":
        t = time.time()
        labels = write_bundle(args.output, args.seed, args.n, args.variant)
        print(f"wrote {args.output}: {args.n} accounts (about), {len(labels)} true mirror links, {time.time() - t:.1f} s")
    else:
        candidates = json.loads(Path(args.candidates).read_text(encoding="utf-8"))
        print("threshold  predicted  precision  recall  f1")
        for t, n, p, r, f in by_threshold(candidates, read_labels(args.labels)):
            print(f"{t:9.2f}  {n:9d}  {p:9.3f}  {r:6.3f}  {f:.3f}")


if __name__ == "__main__":
    main()
