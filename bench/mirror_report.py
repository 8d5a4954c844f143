"""Mirror detection on three sets, side by side (issue 13, item 5): precision, recall, F1 at the
default threshold, a reliability table (candidates binned by score: how many, share true), and the
detection time.

* real: the hand labels of the real tweet export (bench/labels/, see its README). Three countings:
  ``direct`` (isis_returns.csv, every direct link including mention-only handles), ``posting``
  (isis_returns_posting.csv against predicted links between two posting accounts) and ``person``
  (isis_identities.csv: a predicted link is right when both handles are one person; a labelled
  posting link is found when the predicted links connect its two accounts);
* sparse: bench/mirror_sparse.py (written without reading the detector), variant s1 (tuning,
  seed 1) and s2 (held out, seed 2);
* full: bench/mirror_eval.py variants a (tuning, seed 0) and b (held out, seed 1).

The sets are read in memory the way the loader reads them (accounts, posts with their mentions;
mentioned handles become accounts of their own) and given to ``detect_accounts``; ``--graph``
reads the real export from the graph under GRAPHKIT_HOME instead (load tweets.csv first).

    python bench/mirror_report.py                 # all sets, 2,000 accounts each
    python bench/mirror_report.py --sets real -n 2000 --json out.json
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import mirror_eval  # noqa: E402
import mirrors_bench  # noqa: E402
from networkx.utils import UnionFind  # noqa: E402
from pairwise import f1, prf  # noqa: E402  the one pairwise scorer

from graphkit.ingest import values  # noqa: E402
from graphkit.ingest.formats import tweets  # noqa: E402
from graphkit.mirrors import announce  # noqa: E402
from graphkit.mirrors.detect import attach_posts, detect_accounts, view_from_row  # noqa: E402
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE, parse_time  # noqa: E402

LABELS = HERE / "labels"
REAL = HERE.parent.parent / "shared" / "data" / "isis_twitter" / "tweets.csv"
BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0001)


def _key(platform: str, handle: str) -> str | None:
    try:
        norm = values.handle(handle)
    except ValueError:
        return None
    return f"{platform}:{norm}" if norm else None


def views_from_posts(accounts: list[dict], sightings: list[dict]):
    """(views, announcements) from an export's accounts and posts, as the loader and the
    detector's graph query would see them."""
    posted = defaultdict(list)
    mentioned = defaultdict(list)
    posts = []
    for s in sightings:
        platform = values.platform(s.get("platform") or "x")
        key = _key(platform, s["account"])
        at = parse_time(s.get("observed_at"))
        if not key or at is None:
            continue
        posted[key].append(at)
        posts.append((key, platform, at, s.get("excerpt")))
        for handle in values.split_list(s.get("mentions")):
            other = _key(platform, handle)
            if other and other != key:
                mentioned[other].append(at)
    rows = {}
    for a in accounts:
        platform = values.platform(a.get("platform") or "x")
        key = _key(platform, a["handle"])
        if key:
            rows[key] = {"key": key, "platform": platform, "handle": a["handle"],
                         "display_name": a.get("display_name") or None, "bio": a.get("bio") or None}
    for key in mentioned:
        rows.setdefault(key, {"key": key, "platform": key.split(":", 1)[0], "handle": key.split(":", 1)[1]})
    views = []
    for key, row in rows.items():
        p, m = posted.get(key), mentioned.get(key)
        row["posted"] = [min(p), max(p)] if p else None
        row["mentioned"] = [min(m), max(m)] if m else None
        if p:
            row["first_seen"], row["last_seen"] = min(p), max(p)
        views.append(view_from_row(row))
    found = announce.scan(posts)
    attach_posts(views, found)
    return views, found


def read_real(path: Path = REAL):
    """The tweet export through graphkit's own tweet reader (accounts and sightings rows)."""
    import yaml
    from graphkit.resources import loaders_dir
    accounts, sightings = [], []
    mapping = yaml.safe_load((loaders_dir() / "tweets.yaml").read_text(encoding="utf-8"))
    for row in tweets.read(path, mapping):
        values_ = getattr(row, "values", None)
        if values_ is None:
            continue
        (accounts if row.table == "accounts" else sightings).append(values_)
    return accounts, sightings


def _label_key(handle: str) -> str:
    return _key("x", handle)


def real_labels():
    def pairs(name):
        with open(LABELS / name, encoding="utf-8") as fh:
            return {(_label_key(r["successor"]), _label_key(r["predecessor"])) for r in csv.DictReader(fh)}
    with open(LABELS / "isis_identities.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    person = {_label_key(r["handle"]): r["identity"] for r in rows}
    return pairs("isis_returns.csv"), pairs("isis_returns_posting.csv"), person


def _connected(links, pairs):
    chains = UnionFind()
    for s, p in links:
        chains.union(s, p)
    return {pair for pair in pairs if chains[pair[0]] == chains[pair[1]]}


def real_rows(result, views, threshold):
    direct, posting, person = real_labels()
    posters = {v.key for v in views if v.posted}
    pred = {(c.successor_key, c.predecessor_key) for c in result.candidates if c.score >= threshold}
    rows = [(f"real: direct links ({len(direct)}, with mention-only)", len(pred), *prf(len(pred & direct), len(pred), len(direct)))]
    both = {x for x in pred if x[0] in posters and x[1] in posters}
    rows.append(("real: posting-only links (22)", len(both), *prf(len(both & posting), len(both), len(posting))))
    same = {x for x in pred if person.get(x[0]) and person.get(x[0]) == person.get(x[1])}
    found = _connected(pred, posting)
    p, r = (len(same) / len(pred) if pred else 1.0), len(found) / len(posting)
    rows.append(("real: same person (chains)", len(pred), p, r, f1(p, r)))
    # handles the labeller judged: every posting account, the chains' handles, the hard negatives
    with open(LABELS / "isis_not_returns.csv", encoding="utf-8") as fh:
        judged = {_label_key(h) for r in csv.DictReader(fh) for h in (r["successor"], r["predecessor"])}
    judged |= set(person) | posters
    seen = {x for x in pred if x[0] in judged and x[1] in judged}
    same_seen = seen & same
    p = len(same_seen) / len(seen) if seen else 1.0
    rows.append((f"real: same person, judged handles ({len(pred) - len(seen)} unjudged)", len(seen), p, r,
                 f1(p, r)))
    truth = lambda s, pr: person.get(s) is not None and person.get(s) == person.get(pr)  # noqa: E731
    return rows, truth


def real_learning(views, found, threshold):
    """Item 4: the analyst has confirmed every other labelled posting link (in label order); the
    model learns m from them; the other half is scored (same-person counting on that half)."""
    direct, posting, person = real_labels()
    ordered = sorted(posting)
    confirmed, rest = set(ordered[0::2]), set(ordered[1::2])
    rows = []
    for decisions in ({x: "rejected" for x in ()}, {x: "confirmed" for x in confirmed}):
        result = detect_accounts(views, min_score=0.0, found=found, decisions=decisions)
        pred = {(c.successor_key, c.predecessor_key) for c in result.candidates if c.score >= threshold}
        pred -= confirmed | {(p, s) for s, p in confirmed}
        same = {x for x in pred if person.get(x[0]) and person.get(x[0]) == person.get(x[1])}
        found_ = _connected(pred | confirmed, rest)
        p, r = (len(same) / len(pred) if pred else 1.0), len(found_) / len(rest)
        label = f"real: other {len(rest)} links, learnt from {result.stats.learnt} confirmed"
        rows.append((label, len(pred), p, r, f1(p, r)))
    return rows


def reliability(links, is_true) -> list[tuple[str, int, float]]:
    out = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [x for x in links if lo <= x.score < hi]
        if inside:
            share = sum(1 for x in inside if is_true(x.successor.key, x.predecessor.key)) / len(inside)
            out.append((f"{lo:.2f}-{min(hi, 1):.2f}", len(inside), share))
    return out


def run_set(name, views, found, truth_pairs, threshold, is_true=None):
    t = time.time()
    result = detect_accounts(views, min_score=0.0, found=found)
    took = time.time() - t
    is_true = is_true or (lambda s, p: (s, p) in truth_pairs)
    pred = {(c.successor_key, c.predecessor_key) for c in result.candidates if c.score >= threshold}
    tp = len(pred & truth_pairs)
    return result, took, [(name, len(pred), *prf(tp, len(pred), len(truth_pairs)))], reliability(result.links, is_true)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="real,sparse,full", help="comma-separated: real, sparse, full")
    ap.add_argument("-n", type=int, default=2000, help="accounts per generated set")
    ap.add_argument("--threshold", type=float, default=DEFAULT_MIN_SCORE)
    ap.add_argument("--held-out-only", action="store_true", help="skip the tuning seeds/variants")
    ap.add_argument("--json", help="also write the tables here")
    args = ap.parse_args(argv)
    out = {"threshold": args.threshold, "tables": {}, "reliability": {}, "seconds": {}}
    sets = args.sets.split(",")
    jobs = []
    if "real" in sets:
        jobs.append(("real", None))
    if "sparse" in sets:
        jobs += [("sparse s1 (tuning, seed 1)", ("s1", 1)), ("sparse s2 (held out, seed 2)", ("s2", 2))]
    if "full" in sets:
        jobs += [("full a (tuning, seed 0)", ("a", 0)), ("full b (held out, seed 1)", ("b", 1))]
    if args.held_out_only:
        jobs = [j for j in jobs if "tuning" not in j[0]]
    for name, spec in jobs:
        if spec is None:
            views, found = views_from_posts(*read_real())
            result, took, _, _ = run_set(name, views, found, set(), args.threshold)
            rows, truth = real_rows(result, views, args.threshold)
            rows += real_learning(views, found, args.threshold)
            rel = reliability(result.links, truth)
        elif spec[0].startswith("s"):
            import mirror_sparse
            tables = mirror_sparse.generate(spec[1], args.n, spec[0])
            views, found = views_from_posts(tables["accounts"], tables["sightings"])
            labels = {(r["successor"], r["predecessor"]) for r in tables["labels"]}
            result, took, rows, rel = run_set(name, views, found, labels, args.threshold)
            posting = {(r["successor"], r["predecessor"]) for r in tables["labels"] if r["kind"] == "posting"}
            pred = {(c.successor_key, c.predecessor_key) for c in result.candidates if c.score >= args.threshold}
            pp = {x for x in pred if x in posting or not (x in labels)}
            rows.append((name + " posting-only", len(pp), *prf(len(pp & posting), len(pp), len(posting))))
        else:
            tables, labels = mirror_eval.generate(spec[1], args.n, spec[0])
            views = mirrors_bench.views_from_tables(tables)
            result, took, rows, rel = run_set(name, views, None, labels, args.threshold)
        out["tables"][name] = rows
        out["reliability"][name] = rel
        out["seconds"][name] = round(took, 1)
        print(f"\n## {name}: {len(views)} accounts, {result.stats.comparisons} pairs compared, {took:.1f} s")
        print(f"{'counting':48s} {'pred':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}")
        for label, n, p, r, f in rows:
            print(f"{label:48s} {n:5d} {p:6.3f} {r:6.3f} {f:6.3f}")
        print("score bin      count  share true")
        for b, n, share in rel:
            print(f"{b:12s} {n:7d}  {share:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
