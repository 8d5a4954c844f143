"""The world behind bench/mirror_sparse.py: chains of returns, decoys, background accounts and
their posts (see bench/mirror_sparse.py for what is modelled and why)."""
from __future__ import annotations

import random

from graphkit.ingest.formats.tweets import mentions as find_mentions
from graphkit.ingest.values import account_key, handle as handle_norm
from mirror_sparse_decoys import DECOYS, write_posts
from mirror_sparse_names import DAY, HORIZON, HOUR, PLATFORM, T0, Names, iso
from mirror_sparse_vocab import VOCAB

PROFILES = {
    "s1": dict(mix=(0.22, 0.30, 0.48), announce=0.30, name_old=0.5, shoutout=0.06, hidden=0.3,
               changes={"counter": 34, "lookalike": 14, "letter": 20, "combo": 10, "new": 22},
               gaps=(0.35, 0.40, 0.25), arabic=0.15, series=0.12, empty_bio=0.35, common_bg=0.12,
               decoys={"monitor": 2, "news": 1, "fan": 2, "common_name": 4, "parallel": 3, "generic": 2,
                       "numbered": 2, "namesake": 2}),
    "s2": dict(mix=(0.20, 0.34, 0.46), announce=0.25, name_old=0.45, shoutout=0.05, hidden=0.3,
               changes={"counter": 26, "lookalike": 20, "letter": 16, "combo": 10, "new": 28},
               gaps=(0.25, 0.40, 0.35), arabic=0.25, series=0.10, empty_bio=0.40, common_bg=0.15,
               decoys={"monitor": 2, "news": 2, "fan": 1, "common_name": 4, "parallel": 4, "generic": 3,
                       "numbered": 2, "namesake": 2}),
}




def _clip(text: str) -> str:
    return text if len(text) <= 140 else text[:139] + "…"


class SparseGen(Names):
    def __init__(self, seed: int, n: int, variant: str):
        if variant not in PROFILES:
            raise ValueError(f"unknown variant {variant!r}; choose one of {sorted(PROFILES)}")
        self.rng = random.Random(f"mirror-sparse/{variant}/{seed}")
        self.n, self.p, self.v = n, PROFILES[variant], VOCAB[variant]
        self.accounts: list[dict] = []           # every account, posting or not, in creation order
        self.used: set[str] = set()
        self.chains: list[list[dict]] = []       # the members of each chain, oldest first
        self.nets: list[list[dict]] = [[] for _ in range(max(4, n // 50))]
        self.targets: list[dict] = []            # posting group accounts a decoy can resemble
        self.shoutouts: list[tuple[dict, dict]] = []
        self.posting = 0

    # -- accounts ---------------------------------------------------------------------------------
    def taken(self, h: str) -> bool:
        return account_key(PLATFORM, handle_norm(h)) in self.used

    def add(self, handle, per, kind, first, last, net=None, posting=True, resembles="", **over):
        key = account_key(PLATFORM, handle_norm(handle))
        if key in self.used or first > HORIZON - DAY:
            return None
        self.used.add(key)
        acc = {"key": key, "handle": handle, "display": over.get("display", per["display"]),
               "bio": over.get("bio", per["bio"]), "location": over.get("location", per.get("location", "")),
               "followers": int(self.rng.paretovariate(1.2) * 60), "kind": kind, "first": first,
               "last": max(first + HOUR, min(last, HORIZON - self.rng.uniform(0, 2 * DAY))),
               "net": net, "posting": posting, "resembles": resembles,
               "common": per.get("common", False), "posts": [], "announce": None, "change": "", "shouted": False}
        self.accounts.append(acc)
        if net is not None:
            self.nets[net].append(acc)
        self.posting += posting
        return acc

    def network(self) -> int:
        return self.rng.randrange(len(self.nets))

    def gap(self) -> float:
        r = self.rng
        lo, hi = r.choices([(1 * HOUR, 24 * HOUR), (1 * DAY, 7 * DAY), (7 * DAY, 30 * DAY)], self.p["gaps"])[0]
        return r.uniform(lo, hi)

    def when(self, lo=T0, hi=HORIZON - 150 * DAY) -> float:
        return self.rng.uniform(lo, hi)

    # -- returns ------------------------------------------------------------------------------------
    def chain(self):
        r, p = self.rng, self.p
        per = self.persona()
        returns = r.choices([1, 2, 3, 4], [45, 27, 17, 11])[0]
        habit = r.choices(list(p["changes"]), list(p["changes"].values()))[0]
        series = habit in ("counter", "combo")   # series members may be known only from mentions
        net, start = self.network(), self.when()
        first = self.add(per["handle"], per, "chain", start, start + r.uniform(3, 90) * DAY, net,
                         posting=not (series and r.random() < p["hidden"] / 2))
        if first is None:
            return
        members = [first]
        for i in range(1, returns + 1):
            prev = members[-1]
            start = prev["last"] + self.gap()
            if start > HORIZON - 2 * DAY:
                break
            op = habit if r.random() < 0.75 else r.choice(list(p["changes"]))
            handle = self.change(prev["handle"], op)
            if handle is None:
                break
            span = r.uniform(5, 200) if i == returns else r.uniform(3, 90)
            hidden = series and op != "new" and i < returns and r.random() < p["hidden"]
            acc = self.add(handle, per, "chain", start, start + span * DAY, net, posting=not hidden,
                           display=self.display_return(prev["display"], per), bio=self.bio_return(prev["bio"]),
                           location=prev["location"] if r.random() < 0.85 else "")
            acc["change"] = op
            if not hidden:
                self.announce(acc, prev, per, i)
            members.append(acc)
        if len(members) > 1:
            self.chains.append(members)
        self.targets.extend(m for m in members if m["posting"])

    def announce(self, acc, prev, per, i):
        """A minority announce the return; a return with a new handle and nothing distinctive
        (a common display name, no kept bio) always names its old handle."""
        r, p, v = self.rng, self.p, self.v
        display_ok = not per["common"] and acc["display"].split()[0] not in ("أبو", "ابن", "أم")
        bio_ok = bool(acc["bio"] and prev["bio"] and acc["bio"] not in v["stock_bios"]
                      and (prev["bio"] in acc["bio"] or acc["bio"] in prev["bio"]))
        forced = acc["change"] == "new" and not display_ok and not bio_ok
        if forced or r.random() < p["announce"]:
            name_old = forced or r.random() < p["name_old"]
            lang = r.choices(["en", "ar", "ur", "ps"], [0.55, 0.2, 0.15, 0.1])[0]
            pool = [t for t in v["announce"][lang] if ("{old}" in t) == name_old]
            pool = pool or [t for t in v["announce"]["en"] if ("{old}" in t) == name_old]
            acc["announce"] = r.choice(pool).format(old=prev["handle"], display=prev["display"], n=i + 1)
        elif r.random() < p["shoutout"]:
            self.shoutouts.append((acc, prev))
            acc["shouted"] = True

    def background(self):
        r = self.rng
        per = self.persona()
        if r.random() < self.p["common_bg"]:
            display = r.choice(self.v["common"])
            per.update(display=display, common=True, bio=self.bio(display))
        start = r.uniform(T0 - 60 * DAY, HORIZON - 5 * DAY)
        acc = self.add(per["handle"], per, "background", start, start + r.uniform(5, 400) * DAY, self.network())
        if acc:
            self.targets.append(acc)

    def run(self):
        makers = [self.chain, self.decoy, self.background]
        while self.posting < self.n:
            self.rng.choices(makers, self.p["mix"])[0]()
        write_posts(self)
        return self

    def decoy(self):
        kinds = self.p["decoys"]
        DECOYS[self.rng.choices(list(kinds), list(kinds.values()))[0]](self)

    # -- output --------------------------------------------------------------------------------------
    def tables(self) -> dict[str, list[dict]]:
        rows = [a for a in self.accounts if a["posting"]]
        self.rng.shuffle(rows)   # an export's order says nothing about who returned as whom
        mentioned = {account_key(PLATFORM, handle_norm(h)) for a in rows for _, text in a["posts"]
                     for h in (find_mentions(text) or "").split(";") if h}
        accounts = [{"platform": PLATFORM, "handle": a["handle"], "display_name": a["display"], "bio": a["bio"],
                     "location": a["location"], "followers": a["followers"]} for a in rows]
        sightings = []
        for a in rows:
            seen = set()
            for t, text in sorted(a["posts"]):
                while (iso(t), text) in seen:   # one post per text and minute
                    t += 60
                seen.add((iso(t), text))
                sightings.append({"observed_at": iso(t), "platform": PLATFORM, "account": a["handle"],
                                  "excerpt": text, "mentions": find_mentions(text) or ""})
        labels = []
        for members in self.chains:
            seen = [m for m in members if m["posting"] or m["key"] in mentioned]
            for pred, succ in zip(seen, seen[1:]):
                steps = members[members.index(pred) + 1: members.index(succ) + 1]
                labels.append({"successor": succ["key"], "predecessor": pred["key"],
                               "kind": "posting" if pred["posting"] and succ["posting"] else "mention",
                               "change": "+".join(m["change"] for m in steps),
                               "announced": "self" if succ["announce"] else "peer" if succ["shouted"] else "no"})
        decoys = [{"key": a["key"], "kind": a["kind"][6:], "resembles": a["resembles"]}
                  for a in rows if a["kind"].startswith("decoy:")]
        return {"accounts": accounts, "sightings": sightings, "labels": labels, "decoys": decoys}
