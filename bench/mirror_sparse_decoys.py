"""Decoys and posts for bench/mirror_sparse.py: accounts a careful analyst would NOT call mirrors,
and the posts through which every account's activity is known. Functions take the generator."""
from __future__ import annotations

import re

from mirror_sparse_names import DAY, HORIZON, T0, fit
from mirror_sparse_vocab import CHATTER, EMOJI, FAN, MONITOR, NEWS, NEWSDESK, QUOTES


def _words_handle(g, words) -> str:
    words = [w for w in re.split(r"[^A-Za-z]+", " ".join(words)) if w and w.lower() not in ("of", "the")]
    return g.new_handle("nick", [words[0], words[-1]]) if words else g.new_handle()


def monitor(g):
    r, v = g.rng, g.v
    display = r.choice([f"{r.choice(v['regions']).title()} Monitor", "Takedown Watch", f"{r.choice(v['media'])} Tracker",
                        "Extremism Research Desk", "OSINT Notes", "Suspension Log"])
    bio = r.choice(["Monitoring and research. RT ≠ endorsement.", "Tracking extremist accounts and takedowns. Research only.",
                    "Researcher. Archiving for study; we do not endorse.", ""])
    start = r.uniform(T0 - 30 * DAY, T0 + 200 * DAY)
    g.add(_words_handle(g, display.split()), {"display": display, "bio": bio}, "decoy:monitor",
          start, r.uniform(HORIZON - 60 * DAY, HORIZON))


def news(g):
    r, v = g.rng, g.v
    display = r.choice([f"{r.choice(v['towns'])} Today", f"{r.choice(v['regions']).title()} News", "Frontline Wire",
                        f"{r.choice(v['towns'])} Live"])
    bio = f"Independent news from {r.choice(v['regions'])}." if r.random() < 0.8 else ""
    start = r.uniform(T0 - 30 * DAY, T0 + 200 * DAY)
    g.add(_words_handle(g, display.split()), {"display": display, "bio": bio}, "decoy:news",
          start, r.uniform(HORIZON - 60 * DAY, HORIZON))


def fan(g):
    r = g.rng
    if not g.targets:
        return common_name(g)
    t = r.choice(g.targets)
    stem = t["handle"].rstrip("0123456789_")[:10] or "page"
    handle = fit(r.choice([f"{stem}_fan", f"fan_of_{stem}", f"{stem}_fans", f"{stem}fanpage"]))
    if g.taken(handle):
        handle = g.new_handle()
    display = r.choice([f"{t['display']} fans", f"Fans of {t['display']}", f"{t['display']} ❤"])
    start = r.uniform(t["first"], t["last"]) if r.random() < 0.7 else t["last"] + r.uniform(1, 20) * DAY
    g.add(handle, {"display": display, "bio": r.choice(["Fan page. Not affiliated.", "", "fan account"])},
          "decoy:fan", start, start + r.uniform(10, 150) * DAY, t["net"], resembles=t["key"])


def _series(g, kind, make):
    """2-4 unrelated accounts; about 40% start hours to weeks after the previous one's last post."""
    r = g.rng
    first = prev = None
    for j in range(r.randint(2, 4)):
        handle, per = make(j)
        start = prev["last"] + g.gap() if prev and r.random() < 0.4 else g.when(T0 - 30 * DAY, HORIZON - 20 * DAY)
        acc = g.add(handle, per, kind, start, start + r.uniform(5, 150) * DAY, g.network(),
                    resembles=first["key"] if first else "")
        if acc:
            first, prev = first or acc, acc


def common_name(g):
    r, v = g.rng, g.v
    display = r.choice(v["common"])
    stem = re.sub(r"[^A-Za-z]", "", display)

    def make(_):
        if stem and r.random() < 0.5:
            handle = fit(r.choice([f"{stem}{r.randint(1, 999)}", f"{stem.lower()}_{r.randint(1, 99)}", f"{stem}_{r.randint(1, 9)}"]))
            handle = g.new_handle() if g.taken(handle) else handle
        else:
            handle = g.new_handle()
        name = display + (f" {r.choice(EMOJI)}" if r.random() < 0.2 else "")
        return handle, {"display": name, "bio": g.bio(name), "common": True}
    _series(g, "decoy:common_name", make)


def generic(g):
    r, v = g.rng, g.v

    def make(_):
        name = r.choice(v["generic"])
        word = name.lower() if name.isascii() else "user"
        handle = fit(f"{word}{r.randint(100, 99999)}")
        return (g.new_handle() if g.taken(handle) else handle), {"display": name, "bio": "", "common": True}
    _series(g, "decoy:generic", make)


def numbered(g):
    """Handles one number apart (birth years), different people."""
    r, v = g.rng, g.v
    base, year = f"{r.choice(['abu', 'ibn', ''])}{r.choice(v['given']).lower()}"[:10], r.randint(1980, 2004)

    def make(j):
        handle = f"{base}{year + j + (r.random() < 0.3)}"
        per = g.persona()
        return (g.new_handle() if g.taken(handle) else handle), per
    _series(g, "decoy:numbered", make)


def parallel(g):
    """Accounts of one network posting at the same time: one display name, counter handles."""
    r = g.rng
    per, net = g.persona(), g.network()
    s = g.when()
    span0 = r.uniform(30, 200) * DAY
    first = g.add(per["handle"], per, "decoy:parallel", s, s + span0, net)
    if first is None:
        return
    for _ in range(r.randint(1, 2)):
        handle = g.change(per["handle"], r.choice(["counter", "counter", "letter"]))
        start = r.uniform(s, s + 0.6 * span0)
        if handle:
            g.add(handle, per, "decoy:parallel", start, start + r.uniform(30, 200) * DAY, net, resembles=first["key"],
                  display=per["display"] + r.choice(["", "", " English", " 2", " Urdu"]), bio=g.bio_return(per["bio"]))


def namesake(g):
    """A distinctive display name taken 6-18 months after its owner went quiet."""
    r = g.rng
    for _ in range(20):
        t = r.choice(g.targets) if g.targets else None
        if t and not t["common"] and t["last"] + 190 * DAY < HORIZON:
            start = r.uniform(t["last"] + 180 * DAY, min(t["last"] + 540 * DAY, HORIZON - 5 * DAY))
            display = g.translit(t["display"]) if r.random() < 0.3 else t["display"]
            g.add(g.new_handle(), {"display": display, "bio": g.bio(display)}, "decoy:namesake",
                  start, start + r.uniform(10, 120) * DAY, g.network(), resembles=t["key"])
            return
    common_name(g)


DECOYS = {"monitor": monitor, "news": news, "fan": fan, "common_name": common_name, "generic": generic,
          "numbered": numbered, "parallel": parallel, "namesake": namesake}


# -- posts -------------------------------------------------------------------------------------------
def _link(g) -> str:
    return f"https://example.org/p/{g.rng.getrandbits(32):08x}" if g.rng.random() < 0.5 else ""


def _news(g) -> str:
    r, v = g.rng, g.v
    return r.choice(NEWS).format(tag=r.choice(v["tags"]), tag2=r.choice(v["tags"]), town=r.choice(v["towns"]),
                                 link=_link(g), n=r.randint(2, 40)).strip()


def _peer(g, acc, t, tries=6):
    pool = g.nets[acc["net"]] if acc["net"] is not None else g.accounts
    for _ in range(tries):
        p = g.rng.choice(pool)
        if p is not acc and p["first"] <= t <= p["last"]:
            return p
    return None


def _supporter(g, acc, t) -> str:
    r, x = g.rng, g.rng.random()
    peer = _peer(g, acc, t) if x < 0.45 else None
    if peer and x < 0.3:
        return _clip(f"RT @{peer['handle']}: {_news(g)}")
    if peer:
        return f"@{peer['handle']} " + r.choice(CHATTER).format(link=_link(g)).strip()
    if x < 0.75:
        return _news(g)
    return r.choice(CHATTER).format(link=_link(g)).strip() if x < 0.9 else r.choice(QUOTES)


def _quiet_before(g, t):
    """An account of the groups that had stopped posting by ``t`` (a monitor names it)."""
    for _ in range(8):
        a = g.rng.choice(g.accounts)
        if a["kind"] in ("chain", "background") and a["last"] < t:
            return a
    return g.rng.choice(g.accounts)


def _monitor(g, acc, t) -> str:
    r = g.rng
    loud = [a for a in r.sample(g.accounts, min(30, len(g.accounts))) if a["announce"] and a["first"] <= t <= a["last"]]
    if loud and r.random() < 0.5:
        return _clip(f"RT @{loud[0]['handle']}: {loud[0]['announce']}")
    old = _quiet_before(g, t)
    quoted = r.choice(r.choice(list(g.v["announce"].values()))).format(old=old["handle"], display=old["display"], n=3)
    return r.choice(MONITOR).format(old=old["handle"], text=quoted, link=_link(g), n=r.randint(5, 90)).strip()


def _newsdesk(g, acc, t) -> str:
    r = g.rng
    if r.random() < 0.15:
        peer = _peer(g, acc, t, tries=20)
        if peer:
            return _clip(f"RT @{peer['handle']}: {_news(g)}")
    return r.choice(NEWSDESK).format(town=r.choice(g.v["towns"]), n=r.randint(2, 40), link=_link(g)).strip()


def _fan(g, acc, t) -> str:
    target = g.by_key[acc["resembles"]]
    return _clip(g.rng.choice(FAN).format(target=target["handle"], text=_news(g)))


def _clip(text: str) -> str:
    return text if len(text) <= 140 else text[:139] + "…"


def _count(g, acc) -> int:
    r = g.rng
    if acc["kind"] in ("decoy:monitor", "decoy:news"):
        return r.randint(15, 35)
    return max(2, min(40, int(r.lognormvariate(2.0, 0.6))))


def _add_post(g, acc, lo, hi, text) -> bool:
    """A post on ``acc`` between ``lo`` and ``hi`` when its activity covers part of that span."""
    lo, hi = max(lo, acc["first"]), min(hi, acc["last"])
    if not acc["posting"] or lo >= hi:
        return False
    acc["posts"].append([g.rng.uniform(lo, hi), text])
    return True


def _mention(g, target, lo, hi, text) -> bool:
    """A peer of ``target`` (else any account) posts ``text`` between lo and hi."""
    r = g.rng
    pool = g.nets[target["net"]] if target["net"] is not None else []
    for i in range(40):
        peer = r.choice(pool if i < 20 and pool else g.accounts)
        if peer is not target and peer["kind"] in ("chain", "background") and _add_post(g, peer, lo, hi, text):
            return True
    return False


def write_posts(g):
    """Every posting account's posts: first and last at the ends of its activity, the rest between;
    announcements among a return's first posts; some series members mentioned by peers; shout-outs."""
    r = g.rng
    g.by_key = {a["key"]: a for a in g.accounts}
    make = {"decoy:monitor": _monitor, "decoy:news": _newsdesk, "decoy:fan": _fan}
    for acc in g.accounts:
        if not acc["posting"]:
            continue
        k = _count(g, acc)
        times = sorted([acc["first"], acc["last"]] + [r.uniform(acc["first"], acc["last"]) for _ in range(k - 2)])
        acc["posts"] = [[t, make.get(acc["kind"], _supporter)(g, acc, t)] for t in times]
        if acc["announce"]:
            acc["posts"][0 if r.random() < 0.7 or k < 3 else r.randint(1, 2)][1] = acc["announce"]
    for members in g.chains:
        for m in members:
            if not m["posting"] and r.random() < 0.7:
                for _ in range(r.randint(1, 2)):
                    text = r.choice([f"RT @{m['handle']}: {_news(g)}", f"@{m['handle']} " + r.choice(CHATTER).format(link="")])
                    _mention(g, m, m["first"], m["last"], _clip(text.strip()))
    for succ, prev in g.shoutouts:
        text = r.choice(g.v["shoutout"]).format(new=succ["handle"], old=prev["handle"], display=prev["display"])
        succ["shouted"] = _mention(g, succ, succ["first"], succ["first"] + 10 * DAY, text)
