"""``graphkit synth``: a deterministic, obviously fictional report bundle calibrated to July 2025.

The figures reported on 25 July 2025 (docs: ``DOMAIN.md``) and how this generator meets them, at
``scale`` 1 (every count below is multiplied by ``scale``; rates stay exact for whole scales):

* 481 accounts linked to the proscribed groups (``group_id`` set: TTP, ISIS-K, BLA, BLF) across
  X, Facebook, Instagram, TikTok, WhatsApp and Telegram: the headline report. Every one of them is
  reported to its platform.
* 862 takedown requests ("more than 850 accounts reported"), one per account: the 481 plus 381
  accounts reported in the wider crackdown without a group attribution. 548 were removed ("more
  than 500 blocked").
* Compliance (removed / requested), exact: Facebook 186/200 = 93%, TikTok 138/150 = 92%,
  Instagram 90/120 = 75%, Telegram 41/82 = 50%, X 75/250 = 30%, WhatsApp 18/60 = 30%.
* The 862 reported accounts have exactly 2,040,000 followers combined ("over two million").
* 12 unreported decoy accounts (monitoring, research, news, parody) whose handles resemble group
  accounts; they are not mirrors (some appear in mirrors.csv as analyst-rejected pairs).
* 45 mirror chains of 2-5 accounts: each non-final member was removed, and a near-duplicate
  (handle variant, same or lightly edited display name and bio, usually the same avatar hash and
  link) was created hours to three weeks later, one in five links on another platform. 40% of the
  planted links are confirmed in mirrors.csv.
* 24 shared operators, each behind 3-9 accounts of one group that share rare identifiers (phones
  +92-300-0000xxx, e-mails at example.org, Telegram invite links, device ids, IPv6 addresses from
  2001:db8::/32, avatar hashes); 40% of those accounts carry ``operator_id``. Hubs that must not be
  read as operators: the URL shortener ``https://short.example.net`` and two cyber-cafe IPs.
* 64 channels (40 Telegram channels/groups, 14 Facebook pages/groups, 10 WhatsApp channels) with
  admins, 2,500 sightings in 2024-2025 with placeholder excerpts.

Large scales stream sightings and identifiers to disk; accounts are kept as small records.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from graphkit.synth import names
from graphkit.errors import SynthError

PLATFORMS = ["x", "facebook", "instagram", "tiktok", "whatsapp", "telegram"]
REQUESTS = {"x": 250, "facebook": 200, "instagram": 120, "tiktok": 150, "whatsapp": 60, "telegram": 82}
REMOVED = {"x": 75, "facebook": 186, "instagram": 90, "tiktok": 138, "whatsapp": 18, "telegram": 41}
FLAGGED = 481
DECOYS = 12
CHAINS = 45
OPERATORS = 24
SIGHTINGS = 2500
CHANNELS = {"telegram": 40, "facebook": 14, "whatsapp": 10}
FOLLOWERS_REPORTED = 2_040_000
GROUP_WEIGHTS = {"TTP": 40, "ISIS-K": 25, "BLA": 20, "BLF": 15}
REPORT_DATE = "2025-07-25"
HUB_URL = "https://short.example.net"
HUB_IPS = ["203.0.113.50", "203.0.113.77"]
MIRROR_CONFIRMED_SHARE = 0.4

GROUPS = [
    ("TTP", "Tehreek-e-Taliban Pakistan", "TTP;Tehrik-i-Taliban Pakistan;Pakistani Taliban", "PK"),
    ("ISIS-K", "Islamic State Khorasan Province", "IS-K;ISIL-K;ISKP", "AF"),
    ("BLA", "Balochistan Liberation Army", "Baloch Liberation Army", "PK"),
    ("BLF", "Balochistan Liberation Front", "Baloch Liberation Front", "PK"),
]
# Only what DOMAIN.md states: UN references and dates; US programmes (no dates given); PK proscribes
# all four. The UK is named as an authority without saying which groups it lists, so it is left out.
DESIGNATIONS = [
    ("TTP", "UN", "ISIL (Da'esh) and Al-Qaida sanctions", "QDe.132", "2011-07-29"),
    ("ISIS-K", "UN", "ISIL (Da'esh) and Al-Qaida sanctions", "QDe.161", "2019-05-14"),
    ("TTP", "US", "FTO", "", ""),
    ("ISIS-K", "US", "FTO", "", ""),
    ("BLA", "US", "SDGT", "", ""),
    ("TTP", "PK", "proscribed", "", ""),
    ("ISIS-K", "PK", "proscribed", "", ""),
    ("BLA", "PK", "proscribed", "", ""),
    ("BLF", "PK", "proscribed", "", ""),
]

DAY = 86400.0
T_2024 = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
T_CRACKDOWN = datetime(2024, 9, 1, tzinfo=timezone.utc).timestamp()
T_LAST_REQUEST = datetime(2025, 7, 20, tzinfo=timezone.utc).timestamp()
T_HORIZON = datetime(2025, 7, 24, tzinfo=timezone.utc).timestamp()
T_OLDEST = datetime(2021, 1, 1, tzinfo=timezone.utc).timestamp()


def iso(t: float | None) -> str:
    return "" if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def day(t: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(t))


@dataclass(eq=False, slots=True)
class Account:
    platform: str
    handle: str
    gid: str | None
    kind: str                    # flagged, other, decoy
    outcome: str | None = None   # takedown status; None = not reported
    created: float = 0.0
    requested: float | None = None
    resolved: float | None = None
    display: str = ""
    bio: str = ""
    followers: int = 0
    avatar: str = ""
    link: str | None = None
    operator: int | None = None
    operator_named: bool = False
    idents: list = field(default_factory=list)   # (kind, value)

    @property
    def removed(self) -> float | None:
        return self.resolved if self.outcome == "removed" else None

    @property
    def key(self) -> str:
        return f"{self.platform}:{names.norm(self.handle)}"


class Synth:
    """Builds the plan (accounts, chains, operators, channels) in memory, then writes the files."""

    def __init__(self, seed: int, scale: int):
        if not isinstance(scale, int) or scale < 1:
            raise SynthError(f"scale must be a whole number >= 1, not {scale!r}",
                                hint="Use --scale 1 for the July 2025 figures, --scale 200 for ~175k accounts.")
        self.seed, self.scale = seed, scale
        self.rng = random.Random(seed)
        self.counter = 0
        self.used: set[str] = set()
        self.accounts: list[Account] = []
        self.links: list[tuple[Account, Account, str]] = []   # successor, predecessor, change
        self.chains = 0
        self.channels: list[dict] = []
        self.operators: list[dict] = []
        self.phone_slot = 0

    # -- helpers -----------------------------------------------------------------------------
    def _n(self) -> int:
        self.counter += 1
        return self.counter

    def _claim(self, platform: str, handle: str) -> bool:
        key = f"{platform}:{names.norm(handle)}"
        if key in self.used:
            return False
        self.used.add(key)
        return True

    def _new(self, platform: str, gid: str | None, kind: str) -> Account:
        rng = self.rng
        n = self._n()
        handle = names.decoy_handle(rng, gid, n) if kind == "decoy" else names.base_handle(rng, gid, n)
        self._claim(platform, handle)
        acc = Account(platform, handle, gid if kind != "decoy" else None, kind)
        acc.display = names.display_name(handle)
        acc.bio = "News and updates." if kind == "decoy" and rng.random() < 0.5 else names.bio(rng, acc.gid, n)
        acc.avatar = names.hexid(rng, 16)
        self.accounts.append(acc)
        return acc

    def _gid(self) -> str:
        return self.rng.choices(list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()))[0]

    # -- the plan ----------------------------------------------------------------------------
    def plan(self) -> "Synth":
        rng, s = self.rng, self.scale
        self.requests = {p: REQUESTS[p] * s for p in PLATFORMS}
        self.removed_left = {p: REMOVED[p] * s for p in PLATFORMS}
        self.live_left: dict[str, list[str]] = {}
        for p in PLATFORMS:
            rest = self.requests[p] - self.removed_left[p]
            no_resp, rejected = round(rest * 0.45), round(rest * 0.40)
            outcomes = ["no_response"] * no_resp + ["rejected"] * rejected + ["pending"] * (rest - no_resp - rejected)
            rng.shuffle(outcomes)
            self.live_left[p] = outcomes
        self.flagged_left = self._split(FLAGGED * s)
        self._channels()
        self._chains()
        self._reported()
        self._decoys()
        self._operators()
        self._hubs()
        self._followers()
        return self

    def _split(self, total: int) -> dict[str, int]:
        """``total`` flagged accounts over the platforms in proportion to their requests."""
        all_req = sum(self.requests.values())
        exact = {p: total * self.requests[p] / all_req for p in PLATFORMS}
        out = {p: int(exact[p]) for p in PLATFORMS}
        for p in sorted(PLATFORMS, key=lambda p: out[p] - exact[p])[: total - sum(out.values())]:
            out[p] += 1
        return out

    def _channels(self) -> None:
        rng = self.rng
        self.channel_by: dict[tuple[str, str], list[dict]] = {}
        for platform, count in CHANNELS.items():
            for _ in range(count * self.scale):
                gid, n = self._gid(), self._n()
                kind = {"telegram": rng.choice(["channel", "channel", "group"]), "whatsapp": "channel",
                        "facebook": rng.choice(["page", "page", "page", "group"])}[platform]
                created = rng.uniform(T_OLDEST + 700 * DAY, T_HORIZON - 30 * DAY)
                removed = rng.uniform(created + 10 * DAY, T_HORIZON) if rng.random() < 0.3 else None
                ch = {"platform": platform, "channel": f"{names.GROUP_PREFIX[gid][0]}_{rng.choice(names.TOPIC_WORDS)}_{kind}_example_{n}",
                      "kind": kind, "gid": gid, "members": int(rng.paretovariate(1.3) * 400),
                      "created": created, "removed": removed, "admins": []}
                self.channels.append(ch)
                self.channel_by.setdefault((platform, gid), []).append(ch)

    def _group_link(self, gid: str) -> str:
        tg = self.channel_by.get(("telegram", gid))
        if tg and self.rng.random() < 0.6:
            return "https://t.me/" + self.rng.choice(tg)["channel"]
        return f"https://example.org/{gid.lower()}/{names.hexid(self.rng, 8)}"

    def _take(self, platform: str, removed: bool) -> str | None:
        if removed:
            if self.removed_left[platform] > 0:
                self.removed_left[platform] -= 1
                return "removed"
            return None
        return self.live_left[platform].pop() if self.live_left[platform] else None

    def _chains(self) -> None:
        rng = self.rng
        pweights = {"x": 30, "facebook": 25, "instagram": 15, "tiktok": 15, "telegram": 12, "whatsapp": 3}
        for _ in range(CHAINS * self.scale):
            length = rng.choices([2, 3, 4, 5], [40, 30, 20, 10])[0]
            gid = self._gid()
            lives = [rng.uniform(10, 80) * DAY for _ in range(length)]
            resolves = [rng.uniform(0.5, 7) * DAY for _ in range(length)]
            gaps = [rng.uniform(2 / 24, 21) * DAY for _ in range(length - 1)]
            span = sum(lives) + sum(resolves[:-1]) + sum(gaps)
            t = rng.uniform(T_2024, max(T_2024, T_HORIZON - span - 10 * DAY))
            prev: Account | None = None
            link = self._group_link(gid) if rng.random() < 0.8 else None
            for i in range(length):
                last = i == length - 1
                platform = rng.choices(list(pweights), list(pweights.values()))[0] if prev is None else (
                    prev.platform if rng.random() < 0.8 else rng.choice([p for p in PLATFORMS if p != prev.platform]))
                need_removed = not last
                if self.flagged_left[platform] <= 0 or (need_removed and self.removed_left[platform] <= 0):
                    options = [p for p in PLATFORMS if self.flagged_left[p] > 0 and (not need_removed or self.removed_left[p] > 0)]
                    if not options:
                        break
                    platform = rng.choice(options)
                outcome = self._take(platform, need_removed) or self._take(platform, not need_removed)
                self.flagged_left[platform] -= 1
                if prev is None:
                    acc = self._new(platform, gid, "flagged")
                    acc.link = link
                else:
                    acc = self._successor(prev, platform)
                acc.outcome = outcome
                acc.created = t
                acc.requested = t + lives[i]
                if outcome in ("removed", "rejected"):
                    acc.resolved = min(acc.requested + resolves[i], T_HORIZON)
                if prev is not None:
                    self.links.append((acc, prev, "cross-platform" if acc.platform != prev.platform else "same-platform"))
                if outcome != "removed":
                    break
                t = acc.resolved + (gaps[i] if i < len(gaps) else DAY)
                prev = acc
            self.chains += 1

    def _successor(self, prev: Account, platform: str) -> Account:
        rng = self.rng
        handle = prev.handle
        if platform == prev.platform or rng.random() < 0.5 or not self._claim(platform, handle):
            for _ in range(20):
                handle, _change = names.mirror_handle(rng, prev.handle)
                if self._claim(platform, handle):
                    break
            else:
                handle = f"{prev.handle}_{self._n()}"
                self._claim(platform, handle)
        acc = Account(platform, handle, prev.gid, "flagged")
        acc.display = names.mirror_display_name(rng, prev.display.split(" (example)")[0].removeprefix("New: ").removeprefix("Backup: ") + " (example)")
        acc.bio = names.mirror_bio(rng, prev.bio)
        acc.avatar = prev.avatar if rng.random() < 0.85 else names.hexid(rng, 16)
        acc.link = prev.link if rng.random() < 0.85 else (self._group_link(prev.gid) if rng.random() < 0.5 else None)
        self.accounts.append(acc)
        return acc

    def _reported(self) -> None:
        """The rest of the reported accounts: flagged ones, then the wider crackdown's others."""
        rng = self.rng
        for p in PLATFORMS:
            outcomes = ["removed"] * self.removed_left[p] + self.live_left[p]
            rng.shuffle(outcomes)
            for i, outcome in enumerate(outcomes):
                flagged = i < self.flagged_left[p]
                acc = self._new(p, self._gid() if flagged else None, "flagged" if flagged else "other")
                if flagged and rng.random() < 0.3:
                    acc.link = self._group_link(acc.gid)
                elif not flagged and rng.random() < 0.2:
                    acc.link = f"https://example.net/{names.norm(acc.handle)}"
                acc.outcome = outcome
                acc.requested = rng.uniform(T_CRACKDOWN, T_LAST_REQUEST)
                acc.created = max(T_OLDEST, acc.requested - rng.uniform(20, 700) * DAY)
                if outcome in ("removed", "rejected"):
                    acc.resolved = min(acc.requested + rng.uniform(0.5, 14) * DAY, T_HORIZON)
            self.removed_left[p], self.live_left[p], self.flagged_left[p] = 0, [], 0

    def _decoys(self) -> None:
        rng = self.rng
        self.rejected_pairs: list[tuple[Account, Account]] = []
        by_gid: dict[str, list[Account]] = {}
        for acc in self.accounts:
            if acc.kind == "flagged":
                by_gid.setdefault(acc.gid, []).append(acc)
        for i in range(DECOYS * self.scale):
            gid = self._gid()
            acc = self._new(rng.choice(["x", "x", "facebook", "instagram", "telegram", "tiktok"]), gid, "decoy")
            acc.created = rng.uniform(T_OLDEST, T_2024)
            acc.followers = int(rng.uniform(2_000, 60_000))
            if i % 2 == 0 and by_gid.get(gid):
                self.rejected_pairs.append((acc, rng.choice(by_gid[gid])))

    def _operators(self) -> None:
        rng = self.rng
        pool: dict[str, list[Account]] = {}
        for acc in self.accounts:
            if acc.kind == "flagged":
                pool.setdefault(acc.gid, []).append(acc)
        for lst in pool.values():
            rng.shuffle(lst)
        for i in range(OPERATORS * self.scale):
            gid = self._gid()
            members = pool[gid][-rng.randint(3, 9):]
            del pool[gid][-len(members):]
            if len(members) < 2:
                continue
            oid = len(self.operators) + 1
            ids = [("email", f"op{oid:04d}.{rng.choice(names.OTHER_WORDS)}@example.org"),
                   ("device", "dev-" + names.hexid(rng, 12))]
            for _ in range(rng.choice([1, 1, 2])):
                if self.phone_slot < 1000:
                    ids.append(("phone", names.phone(self.phone_slot, self.phone_slot % 2)))
                    self.phone_slot += 1
            if rng.random() < 0.5:
                ids.append(("invite", names.invite(rng)))
            if rng.random() < 0.4:
                ids.append(("ip", f"2001:db8::{oid:x}"))
            avatar = names.hexid(rng, 16) if rng.random() < 0.4 else None
            self.operators.append({"oid": f"OP-{oid:04d}", "gid": gid, "members": members, "ids": ids})
            seen: list = []
            for acc in members:
                acc.operator = oid
                acc.operator_named = rng.random() < 0.4
                primary = rng.choice(ids[:2])
                chosen = [primary] + [x for x in ids if x != primary and rng.random() < 0.5]
                if seen and not set(chosen) & set(seen):  # keep the cluster linked by its identifiers
                    chosen.append(rng.choice(seen))
                seen.extend(x for x in chosen if x not in seen)
                acc.idents.extend(chosen)
                if avatar and rng.random() < 0.6:
                    acc.avatar = avatar
        # channel admins: operator accounts first, else other flagged accounts of the group
        admins_by: dict[tuple[str, str], list[Account]] = {}
        for acc in self.accounts:
            if acc.kind == "flagged":
                admins_by.setdefault((acc.platform, acc.gid), []).append(acc)
        for lst in admins_by.values():
            lst.sort(key=lambda a: a.operator is None)
        for ch in self.channels:
            cands = admins_by.get((ch["platform"], ch["gid"]), [])
            if cands:
                top = cands[: max(3, len(cands) // 3)]
                ch["admins"] = rng.sample(top, min(len(top), rng.randint(1, 3)))

    def _hubs(self) -> None:
        rng = self.rng
        for acc in self.accounts:
            if rng.random() < 0.10:
                acc.idents.append(("url", HUB_URL))
            if rng.random() < 0.04:
                acc.idents.append(("ip", rng.choice(HUB_IPS)))

    def _followers(self) -> None:
        rng = self.rng
        reported = [a for a in self.accounts if a.outcome]
        raw = [rng.paretovariate(1.16) for _ in reported]
        target = FOLLOWERS_REPORTED * self.scale
        total = sum(raw)
        for acc, r in zip(reported, raw):
            acc.followers = int(r * target / total)
        short = target - sum(a.followers for a in reported)
        for acc in sorted(reported, key=lambda a: -a.followers)[:short]:
            acc.followers += 1
