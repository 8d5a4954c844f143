"""A *sparse* labelled mirror generator that looks like a real platform export (issue 13, item 5).

Written without reading graphkit's detector, from the description of real exports in DOMAIN.md
("What real data looks like") and the shape of the tweet export in ../shared/data/isis_twitter.
The bundle has only what such an export has: ``accounts.csv`` (platform, handle, display_name,
bio, location, followers; bios often empty; no status, dates, avatars or identifiers) and
``sightings.csv`` (the accounts' posts: observed_at, platform, account, excerpt, and the @mentions
of the text as the tweet loader extracts them). An account's activity is known only through its
posts. Everything is on one platform (``x``), handles are 1-15 of ``[A-Za-z0-9_]``.

How returns are modelled: a persona (display name, bio, location, network of peers) posts from
one account until it is suspended; hours to weeks later (gaps 1-24 h, 1-7 d, 7-30 d) it posts
from the next one. A chain has 1-4 returns. The new handle is the old one with the counter bumped
(zero padding kept: ``abutariq040`` -> ``abutariq041``, sometimes skipping numbers), a letter
look-alike (``l``/``I``, ``o``/``0``, ``i``/``1``, ``rn``/``m``), a doubled or dropped letter or a
dropped/added ``_``, two of these, or a new handle altogether. A chain mostly keeps one habit.
The display name is kept (often), spelt another way (Abu/Abou, Hamza/Hamzah), given an emoji,
switched between Latin and Arabic script (``Abu Tariq`` / ``أبو طارق``), or, for numbered names,
bumped in its own digits (``٩ Echo of Fajr`` -> ``١٠ Echo of Fajr``, ``۴۵`` -> ``۴۶``, ``12`` -> ``13``).
Bios are kept, lightly edited or left empty on the new account. A minority of returns (about
30% in s1, 25% in s2) announce themselves in one of their first posts (English, Arabic, Urdu,
Pashto), about half of those naming the old @handle; a few are announced by a peer instead.
Some members of counter series never post in the export: they appear only as @mentions (retweets
and replies of peers, announcements, monitors) or not at all. Labels link each visible member to
the nearest earlier visible member of its chain (kind ``posting`` when both post, ``mention``
when one is known only from mentions). A return always leaves some evidence: when its handle is
new and its display name common, it keeps a distinctive bio or names the old handle.

Decoys (never labelled; listed in ``decoys.csv`` with the account they resemble): monitoring and
research accounts and news desks that quote announcements and name suspended @handles; fan accounts
(``<handle>_fan``, some starting after the target went quiet); unrelated accounts sharing a common
kunya or slogan (``Abu Muhammad``, ``Baqiyah``) with overlapping or back-to-back activity; parallel
accounts of one network posting at the same time under one display name and counter handles;
generic empty-bio accounts; accounts with numbered look-alike handles (``abuali1990``/``abuali1991``)
but different names; namesakes that take a distinctive display name 6-18 months after its owner
went quiet. Background accounts of the networks (one account, no return) fill the rest; some of
them also carry common names.

Variant ``s1`` is for tuning; ``s2`` is held out: other given names, nisbas, outlet titles,
slogans, stock bios and announcement wording, fewer announcements, more new handles and
look-alikes, more Arabic-script names, another decoy mix.

    python bench/mirror_sparse.py write -o /tmp/sparse-s1 --seed 1 -n 2000 --variant s1
    python bench/mirror_sparse.py score candidates.json /tmp/sparse-s1/labels.csv [--posting-only]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import mirror_eval  # noqa: E402  the scorer and its conventions
from mirror_sparse_gen import PROFILES, SparseGen  # noqa: E402

ACCOUNT_COLUMNS = ["platform", "handle", "display_name", "bio", "location", "followers"]
SIGHTING_COLUMNS = ["observed_at", "platform", "account", "excerpt", "mentions"]
LABEL_COLUMNS = ["successor", "predecessor", "kind", "change", "announced"]
DECOY_COLUMNS = ["key", "kind", "resembles"]


def generate(seed: int, n: int, variant: str = "s1") -> dict[str, list[dict]]:
    """The tables ``accounts``, ``sightings``, ``labels``, ``decoys`` as lists of dicts."""
    return SparseGen(seed, n, variant).run().tables()


def write_bundle(folder, seed: int, n: int, variant: str = "s1") -> dict[str, list[dict]]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = generate(seed, n, variant)
    for name, cols in (("accounts", ACCOUNT_COLUMNS), ("sightings", SIGHTING_COLUMNS),
                       ("labels", LABEL_COLUMNS), ("decoys", DECOY_COLUMNS)):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols, lineterminator="\n")
            w.writeheader()
            w.writerows(tables[name])
    (folder / "report.json").write_text(json.dumps(
        {"id": f"mirror-sparse-{variant}-{seed}-{n}", "source": "bench/mirror_sparse.py (synthetic, fictional)",
         "title": f"Sparse labelled mirror evaluation set, variant {variant}", "date": "2025-07-01"}, indent=2) + "\n")
    return tables


def read_labels(path, posting_only: bool = False) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["successor"], r["predecessor"]) for r in csv.DictReader(fh)
                if not posting_only or r.get("kind") == "posting"}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="write a sparse labelled bundle")
    w.add_argument("-o", "--output", required=True)
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("-n", type=int, default=2000, help="posting accounts (about)")
    w.add_argument("--variant", default="s1", choices=sorted(PROFILES))
    s = sub.add_parser("score", help="precision/recall/F1 by threshold (mirror_eval's scorer)")
    s.add_argument("candidates", help="JSON list of {successor, predecessor, score} (graphkit mirrors detect --format json)")
    s.add_argument("labels", help="labels.csv written by `write`")
    s.add_argument("--posting-only", action="store_true", help="ignore links to accounts known only from mentions")
    args = ap.parse_args(argv)
    if args.cmd == "write":
        t = time.time()
        tables = write_bundle(args.output, args.seed, args.n, args.variant)
        kinds = {}
        for row in tables["labels"]:
            kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
        print(f"wrote {args.output}: {len(tables['accounts'])} accounts, {len(tables['sightings'])} posts, "
              f"{len(tables['labels'])} labelled links {kinds}, {len(tables['decoys'])} decoys, {time.time() - t:.1f} s")
    else:
        candidates = json.loads(Path(args.candidates).read_text(encoding="utf-8"))
        print("threshold  predicted  precision  recall  f1")
        for t, n, p, r, f in mirror_eval.by_threshold(candidates, read_labels(args.labels, args.posting_only)):
            print(f"{t:9.2f}  {n:9d}  {p:9.3f}  {r:6.3f}  {f:.3f}")


if __name__ == "__main__":
    main()
