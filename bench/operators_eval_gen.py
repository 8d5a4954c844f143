"""The generator behind ``bench/operators_eval.py`` (see its docstring for the model).

Everything is obviously fictional: handles end in ``_example``-style words, phones are in
+44 7700 900xxx and +1 NXX 555-01xx, e-mails at example.org, IPv4 from the documentation ranges
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and IPv6 from 2001:db8::/32, links on
example.org/example.com/example.net and invented ``t.me/example...`` slugs.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import datetime, timezone

from graphkit.ingest.values import handle as handle_norm

PLATFORMS = ["x", "facebook", "instagram", "tiktok", "telegram", "whatsapp", "youtube"]
PLATFORM_WEIGHTS = [30, 20, 12, 12, 16, 6, 4]
CHANNEL_PLATFORMS = {"telegram": "channel", "facebook": "page", "whatsapp": "channel", "youtube": "channel"}
GROUPS = [("TTP", "Tehreek-e-Taliban Pakistan", "PK"), ("ISIS-K", "Islamic State Khorasan Province", "AF"),
          ("BLA", "Balochistan Liberation Army", "PK"), ("BLF", "Balochistan Liberation Front", "PK")]
SIZES = {2: 16, 3: 17, 4: 14, 5: 11, 6: 9, 7: 7, 8: 6, 9: 5, 10: 4, 11: 3, 12: 3}
DEFAULT_OPERATORS = 130
T0 = datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp()
SPAN = 200 * 86400.0

VOCAB = {
    "o1": {"stems": ["sada", "noor", "khabar", "awaz", "paigham", "fajr", "sahar", "watan", "dastak", "chiragh",
                     "manzil", "karwan", "nida", "rehbar", "safar", "haq"],
           "words": ["media", "news", "voice", "updates", "daily", "live", "center", "times", "studio", "files"],
           "slogans": ["Voice of the {s} front", "{S} updates, unfiltered", "Official {S} media wing",
                       "{S}: news the others hide", "Follow {S} for daily updates"],
           "posts": ["New statement released: {l}", "Watch and share before it is removed {l}",
                     "Daily bulletin {l}", "Read the full message {l}", "Our new account, please spread {l}"],
           "plain": ["Updates coming soon.", "Stay with us.", "Share widely.", "Pray for the brothers.",
                     "Tonight's bulletin is delayed."],
           "news": ["regional", "frontier", "valley", "capital"], "places": ["peshawar", "quetta", "swat", "kabul",
                                                                           "karachi", "bannu"]},
    "o2": {"stems": ["roshni", "pukar", "zameen", "dariya", "pahar", "sitara", "qalam", "kitab", "aasman", "chinar",
                     "samandar", "baadal", "jheel", "gulshan", "mehtab", "shafaq"],
           "words": ["report", "channel", "network", "info", "press", "bulletin", "digest", "feed", "desk", "post"],
           "slogans": ["{S} network, the real picture", "The {s} press desk", "{S} bulletin for the ummah",
                       "Independent {s} reporting", "{S}: join our channel"],
           "posts": ["Breaking from the field {l}", "Our channel was removed, new link {l}", "Full report here {l}",
                     "Must watch {l}", "Spread this far {l}"],
           "plain": ["Back soon.", "Keep us in your prayers.", "Follow the backup.", "More later today.",
                     "Channel under attack, stay tuned."],
           "news": ["border", "highland", "metro", "province"], "places": ["gilgit", "turbat", "khost", "mardan",
                                                                         "gwadar", "chitral"]},
    "o3": {"stems": ["tufan", "shamsher", "bahar", "junoon", "raasta", "darwaza", "aftab", "lashkar", "qafila",
                     "mehfil", "sarhad", "zarb", "alam", "minar", "shola", "barq"],
           "words": ["voice", "wire", "tv", "radio", "hub", "agency", "today", "clips", "archive", "front"],
           "slogans": ["{S} wire: first with the news", "Mirror of {s} radio", "{S} clips archive",
                       "{S} agency (backup)", "Official {s} wire, all links in the channel"],
           "posts": ["Exclusive footage {l}", "Mirror link, download now {l}", "Audio message part 2 {l}",
                     "Our old page is gone, follow {l}", "Statement in three languages {l}"],
           "plain": ["Patience.", "Links in the channel.", "Back online.", "Reposting for the brothers.",
                     "Down again, new page soon."],
           "news": ["coastal", "tribal", "northern", "city"], "places": ["zhob", "kohat", "jalalabad", "sibi",
                                                                       "dera", "kunar"]},
    "o4": {"stems": ["jazba", "khurshid", "saiqa", "parcham", "nishan", "ghazab", "kohsar", "rahbar", "sipahi",
                     "toofan", "mashal", "shaheen", "abshar", "zulfiqar", "qamar", "bulbul"],
           "words": ["sound", "nama", "post", "wave", "point", "line", "screen", "signal", "watch", "journal"],
           "slogans": ["{S} signal, stay connected", "Backup of the {s} line", "{S} journal in four languages",
                       "Real {s} screen, no censorship", "{S} official point, new links daily"],
           "posts": ["New release, share quickly {l}", "Download before deletion {l}", "Video part 3 {l}",
                     "Old account banned, new one here {l}", "Full speech with subtitles {l}"],
           "plain": ["Soon.", "We are back.", "Follow the new line.", "Share with trusted brothers.",
                     "Account restricted again."],
           "news": ["district", "mountain", "river", "central"], "places": ["lakki", "chaman", "kunduz", "nowshera",
                                                                           "panjgur", "bajaur"]},
    "o5": {"stems": ["azadi", "hilal", "sarkar", "mujahid", "talwar", "khanjar", "dhamaka", "paighaam", "intiqam",
                     "sabr", "ghazi", "fateh", "nasr", "burhan", "furqan", "yaqeen"],
           "words": ["online", "tube", "express", "report", "zone", "ink", "lens", "gazette", "relay", "stream"],
           "slogans": ["{S} relay: every release, first", "The {s} gazette (mirror)", "{S} lens, the war as it is",
                       "{S} stream, join before it is closed", "Voice of {s}, backup account"],
           "posts": ["Fresh upload {l}", "Reupload, the old link died {l}", "Nasheed with translation {l}",
                     "They banned us again, here we are {l}", "Infographic of the week {l}"],
           "plain": ["Reconnecting.", "New page soon.", "Do not trust fake accounts.", "Links in bio.",
                     "Suspended twice this week."],
           "news": ["valley", "plains", "border", "metro"], "places": ["tank", "wana", "asadabad", "khuzdar",
                                                                      "parachinar", "miranshah"]},
    "o6": {"stems": ["kaafila", "sehra", "jihad", "tariq", "usman", "khalid", "saif", "ansar", "hamza", "umar",
                     "bilal", "zaid", "muaz", "asad", "hira", "qasim"],
           "words": ["frontline", "bayan", "sada", "khabrain", "report", "wire", "tv", "matters", "eye", "now"],
           "slogans": ["{S} eye on the ground", "The {s} bayan, official copy", "{S} frontline: daily clips",
                       "{S} now (our third account)", "Only account of {s}, beware of fakes"],
           "posts": ["Watch the new clip {l}", "Statement, full text {l}", "Backup link, save it {l}",
                     "Our channel moved {l}", "Photo report {l}"],
           "plain": ["Soon back.", "Follow the backup.", "Account limited.", "Pray for us.", "New links tomorrow."],
           "news": ["upper", "lower", "east", "west"], "places": ["dir", "orakzai", "zabul", "loralai", "hangu",
                                                                "mohmand"]},
}

# rates and counts; noise counts are for the default 130 operators and scale with -n
PROFILES = {
    "o1": dict(undetectable=0.10, loose=0.08, background=1.2, copost=0.5,
               kit=dict(phone=0.5, email=0.5, device=0.4, wallet=0.12, image_hash=0.55, ip=0.4, url=0.3,
                        invite=0.15),
               noise=dict(nat_ip=(40, 3, 8), promoted_link=(10, 4, 12), recycled_phone=(5, 1, 1),
                          vpn_ip=(20, 2, 3), article_link=(15, 2, 5), press_email=(0, 0, 0),
                          donation_wallet=(0, 0, 0), group_channel=(0, 0, 0),
                          hub=(("url", "https://short.example.net", 12, 25), ("ip", "203.0.113.250", 12, 20),
                               ("device", "00000000-0000-0000-0000-000000000000", 11, 16)),
                          decoy_community=(5, 6, 10))),
    "o2": dict(undetectable=0.16, loose=0.14, background=1.2, copost=0.4,
               kit=dict(phone=0.35, email=0.4, device=0.4, wallet=0.2, image_hash=0.45, ip=0.3, url=0.35,
                        invite=0.2),
               noise=dict(nat_ip=(55, 2, 9), promoted_link=(14, 3, 14), recycled_phone=(8, 1, 1),
                          vpn_ip=(30, 2, 2), article_link=(10, 3, 6), press_email=(6, 2, 4),
                          donation_wallet=(3, 3, 6), group_channel=(4, 2, 3),
                          hub=(("url", "https://lnk.example.com", 15, 30), ("ip", "192.0.2.254", 11, 14),
                               ("device", "ffffffff-ffff-ffff-ffff-ffffffffffff", 12, 18),
                               ("image_hash", "0000000000000000", 15, 30)),
                          decoy_community=(7, 5, 12))),
    # o3: held out from o2 on (built to judge choices found on o2, never tuned on): more small
    # operators and a few bigger than max_hub, a sparser kit with more devices and avatars, second-hand
    # devices as well as recycled numbers, donation wallets and press e-mails on more strangers
    "o3": dict(undetectable=0.12, loose=0.11, background=1.5, copost=0.6,
               sizes={2: 22, 3: 18, 4: 12, 5: 10, 6: 8, 7: 6, 8: 5, 9: 3, 10: 2, 12: 2, 14: 1, 16: 1},
               kit=dict(phone=0.4, email=0.3, device=0.5, wallet=0.15, image_hash=0.6, ip=0.45, url=0.25,
                        invite=0.25),
               noise=dict(nat_ip=(45, 2, 7), promoted_link=(12, 3, 10), recycled_phone=(6, 1, 1),
                          secondhand_device=(6, 1, 1),
                          vpn_ip=(25, 2, 4), article_link=(12, 2, 6), press_email=(4, 2, 3),
                          donation_wallet=(4, 2, 5), group_channel=(3, 2, 4),
                          hub=(("url", "https://tiny.example.org", 11, 22), ("ip", "198.51.100.250", 12, 16),
                               ("image_hash", "ffffffffffffffff", 11, 20)),
                          decoy_community=(6, 4, 9))),
    # o4: a third held-out set, written before the recall changes of this branch were tuned (on
    # o1-o3 only) and never looked at until they were fixed: another vocabulary, mid-size operators,
    # more addresses and links per account in the kit, more and narrower NAT addresses, more
    # recycled numbers and second-hand devices, copied stock avatars on a few strangers
    "o4": dict(undetectable=0.11, loose=0.10, background=1.3, copost=0.5,
               sizes={2: 14, 3: 15, 4: 16, 5: 14, 6: 11, 7: 8, 8: 6, 9: 4, 10: 3, 11: 2, 12: 2},
               kit=dict(phone=0.3, email=0.35, device=0.45, wallet=0.2, image_hash=0.5, ip=0.5, url=0.4,
                        invite=0.3),
               noise=dict(nat_ip=(60, 3, 6), promoted_link=(16, 3, 9), recycled_phone=(8, 1, 1),
                          secondhand_device=(5, 1, 1), stock_avatar=(6, 2, 4),
                          vpn_ip=(35, 2, 3), article_link=(18, 2, 4), press_email=(5, 2, 3),
                          donation_wallet=(5, 2, 4), group_channel=(5, 2, 3),
                          hub=(("url", "https://go.example.net", 12, 20), ("ip", "192.0.2.253", 11, 18),
                               ("email", "info@example.org", 11, 15)),
                          decoy_community=(8, 4, 8))),
    # o5: the held-out set for the changes made after o4 was looked at (never tuned on): another
    # vocabulary, bigger operators with a richer kit on each account, wider NAT addresses and
    # more promoted links, more press e-mails and group channels, stock avatars, a recycled hub
    # number
    "o5": dict(undetectable=0.12, loose=0.12, background=1.4, copost=0.5,
               sizes={2: 12, 3: 14, 4: 14, 5: 12, 6: 11, 7: 9, 8: 8, 9: 6, 10: 5, 11: 3, 12: 3},
               kit=dict(phone=0.45, email=0.45, device=0.35, wallet=0.15, image_hash=0.5, ip=0.55, url=0.45,
                        invite=0.25),
               noise=dict(nat_ip=(50, 4, 9), promoted_link=(18, 4, 12), recycled_phone=(6, 1, 1),
                          secondhand_device=(4, 1, 1), stock_avatar=(5, 2, 5),
                          vpn_ip=(25, 2, 4), article_link=(14, 3, 6), press_email=(7, 2, 4),
                          donation_wallet=(3, 2, 5), group_channel=(6, 2, 4),
                          hub=(("url", "https://bit.example.org", 13, 24), ("ip", "203.0.113.249", 11, 15),
                               ("phone", "+44 7700 900999", 11, 13)),
                          decoy_community=(6, 5, 10))),
    # o6: held out for the changes made after o5 was looked at (never tuned on): another
    # vocabulary, many two- and three-account operators, a kit heavy on phones and devices, many
    # recycled numbers and second-hand devices, narrow NAT addresses, more decoy communities
    "o6": dict(undetectable=0.10, loose=0.09, background=1.2, copost=0.5,
               sizes={2: 24, 3: 20, 4: 14, 5: 10, 6: 8, 7: 6, 8: 4, 9: 3, 10: 2, 11: 2, 12: 2},
               kit=dict(phone=0.55, email=0.3, device=0.55, wallet=0.1, image_hash=0.45, ip=0.45, url=0.3,
                        invite=0.2),
               noise=dict(nat_ip=(45, 2, 5), promoted_link=(12, 3, 8), recycled_phone=(10, 1, 1),
                          secondhand_device=(8, 1, 1), stock_avatar=(4, 2, 3),
                          vpn_ip=(30, 2, 3), article_link=(15, 2, 5), press_email=(4, 2, 3),
                          donation_wallet=(4, 2, 4), group_channel=(4, 2, 3),
                          hub=(("url", "https://s.example.com", 12, 22), ("device", "emulator-0000-example", 11, 19),
                               ("ip", "198.51.100.249", 11, 14)),
                          decoy_community=(9, 4, 9))),
}


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Gen:
    def __init__(self, seed: int, n: int, noise: str, variant: str):
        if variant not in PROFILES:
            raise ValueError(f"unknown variant {variant!r}; choose one of {sorted(PROFILES)}")
        if noise not in ("clean", "noisy"):
            raise ValueError(f"unknown noise level {noise!r}; choose clean or noisy")
        self.rng = random.Random(f"operators-eval/{variant}/{noise}/{seed}/{n}")
        self.n, self.noisy, self.p, self.v = n, noise == "noisy", PROFILES[variant], VOCAB[variant]
        self.sid = f"OPS-{variant}-{noise}-{seed}-{n}"  # sighting ids unique per bundle
        self.accounts: list[dict] = []
        self.idents: list[list] = []
        self.channels: list[list] = []
        self.sightings: list[list] = []
        self.labels: dict[str, str] = {}
        self.used: set[str] = set()
        self.held: dict[str, list[dict]] = defaultdict(list)  # "kind:value" -> accounts (generator's view)
        self.noise_items: list[dict] = []
        self.undetectable: list[str] = []
        self.loose: list[str] = []
        self.counter = Counter()

    # ------------------------------------------------------------ values
    def _next(self, kind: str) -> int:
        self.counter[kind] += 1
        return self.counter[kind]

    def phone(self) -> str:
        i = self._next("phone") - 1
        if i < 1000:
            return f"+44 7700 900{i:03d}"
        area = 201 + (i - 1000) // 100
        return f"+1 {area} 555-01{(i - 1000) % 100:02d}"

    def ipv4(self) -> str:
        i = self._next("ipv4") - 1
        blocks = ["198.51.100", "203.0.113", "192.0.2"]
        if i >= 3 * 240:
            raise ValueError("out of documentation IPv4 addresses: lower -n")
        return f"{blocks[i // 240]}.{i % 240 + 1}"

    def hexid(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def own(self, kind: str, tag: str) -> str:
        """A fresh value of ``kind`` (an operator's kit item or an account's own)."""
        i = self._next(kind)
        return {"phone": lambda: self.phone(),
                "email": lambda: f"{tag}.{i}@example.org",
                "device": lambda: f"dev-{self.hexid(16)}",
                "wallet": lambda: f"bc1qexample{self.hexid(24)}",
                "image_hash": lambda: self.hexid(16),
                "ip": lambda: f"2001:db8:{i // 65536:x}:{i % 65536:x}::1",
                "url": lambda: f"https://t.me/example_{tag}_{i}",
                "invite": lambda: f"https://t.me/+Ex{self.hexid(10)}"}[kind]()

    # ------------------------------------------------------------ accounts
    def account(self, op: str, platform: str, handle: str, display: str, bio: str, gid: str, role: str) -> dict:
        base, k = handle, 1
        while f"{platform}:{handle_norm(handle)}" in self.used:
            k += 1
            handle = f"{base}{k}"
        key = f"{platform}:{handle_norm(handle)}"
        self.used.add(key)
        a = {"platform": platform, "handle": handle, "display_name": display, "bio": bio, "group_id": gid,
             "key": key, "op": op, "role": role}
        self.accounts.append(a)
        self.labels[key] = op
        return a

    def ident(self, a: dict, kind: str, value: str, fmt: bool = True) -> None:
        shown = value
        if fmt and kind == "phone" and self.rng.random() < 0.4:
            shown = value.replace(" ", "").replace("-", "")
        elif fmt and kind == "email" and self.rng.random() < 0.2:
            shown = value.capitalize()
        self.idents.append([a["platform"], a["handle"], kind, shown])
        self.held[f"{kind}:{value}"].append(a)

    def link_in(self, a: dict, link: str, bio_p: float, ident_p: float) -> None:
        """Put ``link`` in the account's bio and/or as a url identifier (at least one)."""
        in_bio = self.rng.random() < bio_p
        if in_bio:
            a["bio"] = f"{a['bio']} {link}".strip()
        if not in_bio or self.rng.random() < ident_p:
            self.ident(a, "url", link)

    def platform(self) -> str:
        return self.rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0]

    # ------------------------------------------------------------ operators
    def operator(self, i: int) -> None:
        rng, v = self.rng, self.v
        op = f"OP-{i:04d}"
        sizes = self.p.get("sizes", SIZES)
        size = rng.choices(list(sizes), list(sizes.values()))[0]
        gid = rng.choice(GROUPS)[0]
        stem = f"{rng.choice(v['stems'])}{rng.choice(['', '_', '.'])}{rng.choice(v['words'])}{i}"
        nice = stem.replace("_", " ").replace(".", " ").title()
        slogan = rng.choice(v["slogans"]).format(s=stem.split("_")[0], S=nice)
        hidden = rng.random() < self.p["undetectable"]
        if hidden:
            self.undetectable.append(op)
        kit = {k: [self.own(k, stem.replace(".", "_")) for _ in range(rng.randint(1, 2))] for k in self.p["kit"]}
        mine = []
        for j in range(size):
            handle = rng.choice([f"{stem}_{j}", f"{stem}{rng.choice(v['words'])}", f"the_{stem}", f"{stem}_official{j}",
                                 f"{stem}{rng.randint(10, 99)}"])
            display = rng.choice([nice, f"{nice} {j + 1}", f"{nice} (backup)", f"{nice} Official"])
            a = self.account(op, self.platform(), handle, display, slogan, gid, "operator")
            mine.append(a)
            loose = not hidden and rng.random() < self.p["loose"]
            if loose:
                self.loose.append(a["key"])
            if hidden or loose:
                self.personal(a, stem.replace(".", "_"))
                continue
            chosen = [k for k, p in self.p["kit"].items() if rng.random() < p] or [rng.choice(list(kit))]
            for kind in chosen:
                value = kit[kind][0] if rng.random() < 0.6 else rng.choice(kit[kind])  # a main phone, e-mail...
                if kind == "url":
                    self.link_in(a, value, 0.6, 0.7)
                else:
                    self.ident(a, kind, value)
        self.admin_channels(op, stem, gid, [a for a in mine if a["key"] not in self.loose] if not hidden else [])
        if rng.random() < (0.8 if hidden else self.p["copost"]):
            self.copost(mine, rng.choice(kit["url"]) if not hidden else f"https://example.org/{stem}/{i}")

    def personal(self, a: dict, tag: str) -> None:
        """An account's own values, held by nobody else."""
        for kind, p in (("email", 0.5), ("image_hash", 0.7), ("device", 0.3), ("ip", 0.3)):
            if self.rng.random() < p:
                self.ident(a, kind, self.own(kind, tag))

    def admin_channels(self, op: str, stem: str, gid: str, accounts: list[dict]) -> None:
        by_platform = defaultdict(list)
        for a in accounts:
            if a["platform"] in CHANNEL_PLATFORMS:
                by_platform[a["platform"]].append(a)
        for platform, mine in sorted(by_platform.items()):
            if len(mine) < 2 or self.rng.random() > 0.6:
                continue
            for c in range(self.rng.randint(1, 2)):
                admins = self.rng.sample(mine, self.rng.randint(2, len(mine)))
                name = f"{stem.replace('.', '_')}_ch{c + 1}"
                self.channels.append([platform, name, name.replace("_", " ").title(), CHANNEL_PLATFORMS[platform],
                                      gid, ";".join(a["handle"] for a in admins)])

    def post(self, a: dict, t: float, text: str) -> None:
        n = len(self.sightings) + 1
        self.sightings.append([f"{self.sid}-{n:06d}", _iso(t), a["platform"], a["handle"],
                               f"https://posts.example.org/{a['platform']}/{a['handle']}/{n}", text,
                               self.rng.choice(["en", "ur", "ps"])])

    def copost(self, accounts: list[dict], link: str) -> None:
        """Two or more of the operator's accounts post the same link within 40 seconds, 1-3 times."""
        if len(accounts) < 2:
            return
        for _ in range(self.rng.randint(1, 3)):
            t = T0 + self.rng.random() * SPAN
            text = self.rng.choice(self.v["posts"])
            for a in self.rng.sample(accounts, self.rng.randint(2, len(accounts))):
                self.post(a, t + self.rng.random() * 40, text.format(l=link) + self.rng.choice(["", " !", " ...", ""]))

    # ------------------------------------------------------------ background and decoys
    def background(self, count: int) -> None:
        rng, v = self.rng, self.v
        for i in range(count):
            word = rng.choice(v["stems"] + v["places"])
            handle = f"{word}_{rng.choice(v['words'])}_{rng.randint(1, 9999)}"
            gid = rng.choice(GROUPS)[0] if rng.random() < 0.5 else ""
            bio = rng.choice(v["slogans"]).format(s=word, S=word.title()) if gid else rng.choice(v["plain"])
            a = self.account(f"S-{i + 1:04d}", self.platform(), handle, handle.replace("_", " ").title(), bio, gid,
                             "background")
            self.personal(a, "bg")

    def decoys(self) -> None:
        count, lo, hi = self._scaled(self.p["noise"]["decoy_community"])
        rng, v = self.rng, self.v
        for c in range(count):
            place = rng.choice(v["places"])
            site = f"https://news.example.com/{rng.choice(v['news'])}-{c + 1}"
            members = []
            for _ in range(rng.randint(lo, hi)):
                handle = f"{place}_{rng.choice(['news', 'watch', 'today', 'times', 'monitor'])}_{rng.randint(1, 999)}"
                a = self.account(f"D-{self._next('decoy'):04d}", self.platform(), handle,
                                 f"{place.title()} News Watch", f"Independent news from {place.title()}.", "",
                                 "decoy")
                self.personal(a, "news")
                members.append(a)
            self.spread("decoy_site", "url", site, members, bio_p=0.7)
            for article in range(rng.randint(4, 6)):
                t, link = T0 + rng.random() * SPAN, f"{site}/2025/{article + 1:02d}/story-{rng.randint(100, 999)}"
                for a in members:
                    if rng.random() < 0.8:
                        self.post(a, t + rng.random() * 50, f"Breaking: {place.title()} update {link}")

    def _scaled(self, spec):
        count, lo, hi = spec
        return round(count * self.n / DEFAULT_OPERATORS), lo, hi

    # ------------------------------------------------------------ noise
    def pick(self, k: int, pool: list[dict] | None = None) -> list[dict]:
        """``k`` accounts of ``k`` different operators."""
        pool = pool or self.accounts
        k = min(k, len({a["op"] for a in pool}))
        chosen, ops = [], set()
        while len(chosen) < k:
            a = pool[self.rng.randrange(len(pool))]
            if a["op"] not in ops:
                ops.add(a["op"])
                chosen.append(a)
        return chosen

    def spread(self, kind: str, ikind: str, value: str, holders: list[dict], bio_p: float = 0.0) -> None:
        for a in holders:
            if ikind == "url":
                self.link_in(a, value, bio_p, 0.5)
            else:
                self.ident(a, ikind, value)
        self.noise_items.append({"type": kind, "kind": ikind, "value": value,
                                 "holders": sorted(a["key"] for a in holders),
                                 "operators": len({a["op"] for a in holders})})

    def noise(self) -> None:
        rng, noise = self.rng, self.p["noise"]
        simple = [("nat_ip", "ip", lambda i: self.ipv4(), 0.0),
                  ("vpn_ip", "ip", lambda i: self.ipv4(), 0.0),
                  ("promoted_link", "url", lambda i: f"https://t.me/examplechannel_{self.v['stems'][i % 16]}{i}", 0.75),
                  ("article_link", "url", lambda i: f"https://example.com/{self.v['news'][i % 4]}/article-{i}", 0.3),
                  ("press_email", "email", lambda i: f"press.desk{i}@example.org", 0.0),
                  ("donation_wallet", "wallet", lambda i: f"bc1qexampledonate{self.hexid(20)}", 0.0)]
        for kind, ikind, make, bio_p in simple:
            count, lo, hi = self._scaled(noise[kind])
            for i in range(count):
                self.spread(kind, ikind, make(i), self.pick(rng.randint(lo, hi)), bio_p)
        if noise.get("stock_avatar"):  # a popular picture copied by a few strangers
            count, lo, hi = self._scaled(noise["stock_avatar"])
            for i in range(count):
                self.spread("stock_avatar", "image_hash", self.hexid(16), self.pick(rng.randint(lo, hi)))
        self.recycle(self._scaled(noise["recycled_phone"])[0])
        if noise.get("secondhand_device"):
            self.recycle(self._scaled(noise["secondhand_device"])[0], "device", "secondhand_device")
        for ikind, value, lo, hi in noise["hub"]:
            self.spread("hub", ikind, value, self.pick(rng.randint(lo, hi)), bio_p=0.6)
        self.group_channels(self._scaled(noise["group_channel"]))

    def recycle(self, count: int, kind: str = "phone", label: str = "recycled_phone") -> None:
        """Phones (or devices) of an operator's kit that reappear on one unrelated account each."""
        phones = sorted(k for k, holders in self.held.items()
                        if k.startswith(kind + ":") and holders[0]["role"] == "operator")
        for key in self.rng.sample(phones, min(count, len(phones))):
            value, owners = key[len(kind) + 1:], list(self.held[key])
            other = self.pick(1, [a for a in self.accounts if a["op"] != owners[0]["op"]])[0]
            self.ident(other, kind, value)
            self.noise_items.append({"type": label, "kind": kind, "value": value,
                                     "holders": sorted({a["key"] for a in owners + [other]}), "operators": 2})

    def group_channels(self, spec) -> None:
        """A group's channel co-administered by accounts of different cells."""
        count, lo, hi = spec
        pool = [a for a in self.accounts if a["platform"] == "telegram" and a["role"] == "operator"]
        for i in range(count):
            admins = self.pick(self.rng.randint(lo, hi), pool)
            name = f"examplechannel_group_{i + 1}"
            self.channels.append(["telegram", name, f"Group Channel {i + 1}", "channel", admins[0]["group_id"],
                                  ";".join(a["handle"] for a in admins)])
            self.noise_items.append({"type": "group_channel", "kind": "admin", "value": f"telegram:{name}",
                                     "holders": sorted(a["key"] for a in admins),
                                     "operators": len({a["op"] for a in admins})})

    def chatter(self) -> None:
        """One to three unremarkable posts per account at random times."""
        for a in list(self.accounts):
            for _ in range(self.rng.randint(1, 3)):
                self.post(a, T0 + self.rng.random() * SPAN, self.rng.choice(self.v["plain"]))

    def run(self):
        for i in range(self.n):
            self.operator(i + 1)
        self.background(round(self.n * self.p["background"]))
        if self.noisy:
            self.decoys()
            self.noise()
        self.chatter()
        return self


def generate(seed: int = 0, n: int | None = None, noise: str = "noisy", variant: str = "o1"):
    """``(tables, labels, truth)``: tables of rows by bundle table, labels account_key -> operator_id."""
    n = DEFAULT_OPERATORS if n is None else n
    g = _Gen(seed, n, noise, variant).run()
    tables = {"groups": [list(g_) for g_ in GROUPS],
              "accounts": [[a["platform"], a["handle"], a["display_name"], a["bio"], a["group_id"]] for a in g.accounts],
              "channels": g.channels, "identifiers": g.idents, "sightings": g.sightings}
    sizes = Counter(g.labels.values())
    by_type = defaultdict(lambda: {"items": 0, "holder_rows": 0})
    for item in g.noise_items:
        by_type[item["type"]]["items"] += 1
        by_type[item["type"]]["holder_rows"] += len(item["holders"])
    truth = {"seed": seed, "variant": variant, "noise": noise, "operators_arg": n,
             "accounts": len(g.accounts), "operators": len(sizes),
             "operators_multi": sum(1 for s in sizes.values() if s > 1),
             "operator_accounts": sum(s for s in sizes.values() if s > 1),
             "operators_undetectable": len(g.undetectable),
             "undetectable_operators": {op: "undetectable via identifiers" for op in g.undetectable},
             "loose_accounts": g.loose,
             "roles": dict(Counter(a["role"] for a in g.accounts)),
             "noise_items": len(g.noise_items), "noise_by_type": dict(sorted(by_type.items())),
             "noise_detail": g.noise_items,
             "rows": {t: len(rows) for t, rows in tables.items()}}
    return tables, dict(g.labels), truth
