"""Names for bench/mirror_sparse.py: personas (display name, handle, bio) and how a return renames itself."""
from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from graphkit.ingest.values import handle as handle_norm
from mirror_sparse_vocab import EMOJI, GIVEN, PREFIX

DAY, HOUR = 86400.0, 3600.0
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
HORIZON = datetime(2025, 7, 1, tzinfo=timezone.utc).timestamp()
PLATFORM = "x"
DIGITS = ["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"]   # Latin, Arabic-Indic, Extended Arabic-Indic
NUMBER = re.compile("[0-9]+|[٠-٩]+|[۰-۹]+")
LOOK = [("rn", "m"), ("m", "rn"), ("l", "I"), ("I", "l"), ("o", "0"), ("O", "0"), ("0", "O"), ("i", "1")]
HANDLE_OK = re.compile(r"^[A-Za-z0-9_]{1,15}$")
# every spelling of a name -> the other spellings (Abu/Abou, Hamza/Hamzah ...)
TRANSLIT = {}
for _base, (_alts, _ar) in {**GIVEN, **PREFIX}.items():
    for _form in [_base] + _alts:
        TRANSLIT[_form] = [x for x in [_base] + _alts if x != _form]
ARABIC = {base: ar for base, (_, ar) in {**GIVEN, **PREFIX}.items()}


def iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(t))


def fit(h: str) -> str:
    """At most 15 characters: the letters before a trailing number are shortened first."""
    if len(h) <= 15:
        return h
    m = re.search(r"\d+$", h)
    tail = m.group(0) if m else ""
    return h[:15 - len(tail)] + tail


class Names:
    """Display names, handles and bios of personas (mixed into SparseGen)."""

    def kunya(self):
        r, v = self.rng, self.v
        pre = r.choices(["Abu", "Ibn", "Umm"], [0.8, 0.12, 0.08])[0]
        given = r.choice(v["given"])
        nisba = r.choice(v["nisba"]) if r.random() < 0.6 else ""
        if r.random() < self.p["arabic"]:
            return f"{ARABIC[pre]} {ARABIC[given]}" + (f" {r.choice(EMOJI)}" if r.random() < 0.4 else ""), [pre, given, nisba], True
        return f"{pre} {given}" + (f" al-{nisba}" if nisba else ""), [pre, given, nisba], not nisba

    def persona(self, style=None) -> dict:
        r, v = self.rng, self.v
        style = style or r.choices(["kunya", "media", "nick"], [0.6, 0.15, 0.25])[0]
        series = None
        if style == "kunya":
            display, tokens, common = self.kunya()
        else:
            words = r.choice(v["media"]).split() if style == "media" else r.sample(v["nouns"], 2)
            tokens, common = [w for w in words if w != "of"], False
            display = " ".join(words) if style == "media" else r.choice([f"{words[0]}and{words[1]}", f"{words[0]} {words[1]}"])
            if r.random() < self.p["series"] / 0.4:
                series = r.choice(DIGITS)
                num = "".join(series[int(c)] for c in str(r.randint(2, 60)))
                display = f"{num} {display}" if series != DIGITS[0] and r.random() < 0.5 else f"{display} {num}"
            elif style == "media":
                display += r.choice([" English", " Urdu", " عربي", " - " + r.choice(v["regions"]), ""])
        return {"display": display, "tokens": tokens, "style": style, "common": common, "series": series,
                "bio": self.bio(display), "location": r.choice(v["regions"]) if r.random() < 0.35 else "",
                "handle": self.new_handle(style, tokens)}

    def new_handle(self, style=None, tokens=None) -> str:
        r, v = self.rng, self.v
        if tokens is None:
            style = r.choice(["kunya", "nick", "word"])
            tokens = [r.choice(list(PREFIX)), r.choice(v["given"]), r.choice(v["nisba"])] if style == "kunya" else r.sample(v["nouns"], 2)
        n = r.randint(1, 120)
        if style == "kunya":
            pre, given, nisba = tokens
            opts = [f"{pre}{given}{n:03d}".lower(), f"{pre}{given}_{n}", f"{pre.lower()}_{given.lower()}{n % 100}",
                    f"{given}_{nisba or r.choice(v['nisba'])}", f"{pre}_{given}{(nisba or r.choice(v['nisba']))[0]}"]
        elif style == "word":
            opts = [f"{tokens[0].lower()}_{r.randint(10, 999)}", f"{tokens[0]}{tokens[1][:3].lower()}_{n}"]
        else:
            a, b = tokens[0], tokens[-1]
            opts = [f"{a}and{b}{n}", f"{a}{b}", f"{a}_{b}", f"{b.lower()}_{a.lower()}{n}", f"{a}{b}{n:02d}"]
        h = fit(re.sub(r"[^A-Za-z0-9_]", "", r.choice(opts)))
        while self.taken(h):
            h = fit(h.rstrip("0123456789")[:11] + str(r.randint(1, 9999)))
        return h

    def bio(self, display: str) -> str:
        r, v = self.rng, self.v
        x = r.random()
        if x < self.p["empty_bio"]:
            return ""
        if x < self.p["empty_bio"] + 0.12:
            return r.choice(v["stock_bios"])
        tail = r.choice(v["bio_tail"]).format(tok=f"{r.getrandbits(30):08x}"[:6], region=r.choice(v["regions"]),
                                              slogan=r.choice(v["common"][4:6]))
        return f"{display} | {tail}" if r.random() < 0.3 else tail

    def translit(self, display: str) -> str:
        words = display.split()
        spots = [i for i, w in enumerate(words) if w in TRANSLIT]
        if not spots:
            return display
        i = self.rng.choice(spots)
        words[i] = self.rng.choice(TRANSLIT[words[i]])
        return " ".join(words)

    def display_return(self, display: str, per: dict) -> str:
        r = self.rng
        if per["series"]:
            m = list(NUMBER.finditer(display))[-1]
            digits = next(d for d in DIGITS if m.group(0)[0] in d)
            bumped = "".join(digits[int(c)] for c in str(int("".join(str(digits.index(c)) for c in m.group(0))) + 1))
            out = display[:m.start()] + bumped + display[m.end():]
            return out.replace(" ", "", 1) if m.start() == 0 and r.random() < 0.3 else out
        x = r.random()
        if x < 0.70:
            return display
        if x < 0.82:
            return self.translit(display)
        if x < 0.88:
            return display + " " + r.choice(EMOJI)
        if x < 0.94 and per["style"] == "kunya":
            pre, given, _ = per["tokens"]
            return f"{pre} {given}" if display.startswith(ARABIC[pre]) else f"{ARABIC[pre]} {ARABIC[given]}"
        return display + r.choice([" 2", " (new)", " back", " ✌"])

    def bio_return(self, bio: str) -> str:
        r, x = self.rng, self.rng.random()
        if not bio:
            return r.choice(self.v["stock_bios"]) if x < 0.08 else ""
        if x < 0.72:
            return bio
        if x < 0.90:
            return r.choice([bio + " (new account)", "Back. " + bio, bio + " " + r.choice(EMOJI), "#2 " + bio])
        return ""

    # -- how a returning account changes its handle ------------------------------------------------
    def change(self, h: str, op: str) -> str | None:
        r = self.rng
        for attempt in range(10):
            if op == "counter":
                m = re.search(r"\d+$", h)
                step = 1 if r.random() < 0.85 else r.randint(2, 5)
                new = h[:m.start()] + str(int(m.group(0)) + step).zfill(len(m.group(0))) if m else h + r.choice(["1", "2", "_2", "01"])
            elif op == "lookalike" and any(a in h for a, _ in LOOK):
                i, a, b = r.choice([(i, a, b) for a, b in LOOK for i in range(len(h)) if h.startswith(a, i)])
                new = h[:i] + b + h[i + len(a):]
            elif op in ("letter", "lookalike"):   # no letter with a look-alike: a letter change instead
                new = self.letter(h)
            elif op == "combo":
                new = self.change(self.change(h, r.choice(["lookalike", "letter"])) or h, "counter")
            else:
                new = self.new_handle()
            new = fit(new or "")
            if HANDLE_OK.match(new) and handle_norm(new) != handle_norm(h) and not self.taken(new):
                return new
            op = r.choice(["counter", "letter", "lookalike"]) if attempt > 3 else op
        return None

    def letter(self, h: str) -> str:
        r = self.rng
        x = r.random()
        letters = [i for i, c in enumerate(h) if c.isalpha()]
        if x < 0.45:
            i = r.choice(letters)
            return h[:i] + h[i] + h[i:]
        if x < 0.6 and len(letters) > 5:
            i = r.choice(letters[1:])
            return h[:i] + h[i + 1:]
        if "_" in h and x < 0.85:
            i = r.choice([i for i, c in enumerate(h) if c == "_"])
            return h[:i] + h[i + 1:]
        bounds = [i for i in range(1, len(h)) if h[i].isupper() or (h[i].isdigit() and not h[i - 1].isdigit())]
        i = r.choice(bounds) if bounds else len(h)
        return h[:i] + "_" + h[i:]
