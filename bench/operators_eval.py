"""A labelled generator of accounts run by shared operators, with realistic noise, and a pairwise
scorer, for evaluating ``shared-operators`` (issue 18). Written without reading the clustering.

How operators and noise are modelled (from how investigators describe these networks, not from
any detector's rules):

* An operator (a person or a cell) runs 2-12 accounts across platforms. It reuses its own kit on
  them: 1-2 phone numbers, e-mail addresses, device ids, avatar hashes, home/VPS addresses, a
  wallet, its own channel link and invite link; each account shows a random part of the kit (a
  phone on one, the same avatar and device on another), so siblings are tied through paths, not
  always directly. Its accounts on one platform administer its channels together. A few accounts
  ("loose") show nothing of the kit, and some operators ("undetectable") share nothing specific at
  all: their accounts are tied only by similar names and bios and by posting the same link within
  seconds. Every other account (background, news outlets) is its own operator.
* Noise (``--noise noisy``): addresses shared by accounts of different operators (carrier NAT,
  a cafe's Wi-Fi), a group's promoted channel link in the bios/links of accounts of different
  cells, phone numbers recycled to one unrelated account, mid-frequency VPN exits and shared
  article links (2-6 holders), hub values held by more than 10 accounts (a link shortener, a cafe
  address, an emulator's default device id), and decoy communities of independent news accounts
  that post the same news links within a minute. ``clean`` has none of it.
* Variant ``o1`` is for tuning; ``o2`` is held out: another vocabulary, more undetectable
  operators and loose accounts, more and wider NAT addresses, VPN exits shared by pairs, and a
  different mix (shared press e-mails and donation wallets, channels co-administered by cells of
  one group, a stock avatar hub). ``o3`` is a second held-out set, built to judge choices that were
  found by looking at o2 (never tuned on): another vocabulary, more two-account operators and a
  few bigger than ``max_hub``, a sparser kit, second-hand device ids as well as recycled numbers,
  donation wallets and press e-mails on more strangers, other hub values.

Labels: ``labels.csv`` (account_key, operator_id) covers every account, keys ``platform:handle_norm``
(docs/model.md). A pair is *detectable* when its two accounts are joined by a path of items
(an identifier ``kind:normalised value``, a link in a bio, or a channel they administer) each held
by 2 to ``max_hub`` (10) accounts, all of that same operator (computed from the bundle by the scorer).

    python bench/operators_eval.py write -o /tmp/ops-o1 --seed 1 --noise noisy --variant o1
    python bench/operators_eval.py score clusters.json /tmp/ops-o1/labels.csv
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from networkx.utils import UnionFind  # noqa: E402  (as graphkit.mirrors.detect)
from operators_eval_gen import generate  # noqa: E402
from pairwise import prf, score_pairs  # noqa: E402  the one pairwise scorer
from graphkit.ingest.values import handle as handle_norm, identifier as norm_identifier  # noqa: E402

MAX_HUB = 10
LINK = re.compile(r"https?://[^\s,;]+")
FILES = {
    "groups.csv": ["group_id", "name", "country"],
    "accounts.csv": ["platform", "handle", "display_name", "bio", "group_id"],
    "channels.csv": ["platform", "channel", "name", "kind", "group_id", "admins"],
    "identifiers.csv": ["platform", "account", "kind", "value"],
    "sightings.csv": ["sighting_id", "observed_at", "platform", "account", "post_url", "excerpt", "language"],
}


def write_bundle(folder, seed: int = 0, n: int | None = None, noise: str = "noisy", variant: str = "o1") -> dict:
    """Write the bundle, ``labels.csv`` and ``truth.json`` into ``folder``; returns the truth."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables, labels, truth = generate(seed, n, noise, variant)
    for name, cols in FILES.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(cols)
            out.writerows(tables[name[:-4]])
    with open(folder / "labels.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["account_key", "operator_id"])
        out.writerows(sorted(labels.items()))
    (folder / "report.json").write_text(json.dumps(
        {"id": f"operators-eval-{variant}-{noise}-{seed}", "source": "bench/operators_eval.py (synthetic, fictional)",
         "title": f"Labelled shared-operator evaluation set, variant {variant}, {noise}", "date": "2025-07-25"},
        indent=2) + "\n", encoding="utf-8")
    truth["true_pairs"] = len(true_pairs(labels))
    truth["detectable_pairs"] = len(detectable_pairs(folder, labels))
    (folder / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


# ---------------------------------------------------------------- scoring

def read_labels(path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["account_key"]: row["operator_id"] for row in csv.DictReader(fh)}


def member_key(text: str) -> str:
    """``PLATFORM:HANDLE`` or ``platform:handle_norm`` -> the model's ``platform:handle_norm``."""
    platform, _, handle = str(text).strip().partition(":")
    return f"{platform.strip().lower()}:{handle_norm(handle) or ''}"


def _pairs_of(groups) -> set[tuple[str, str]]:
    out = set()
    for members in groups:
        out.update(combinations(sorted(set(members)), 2))
    return out


def true_pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    by_op = defaultdict(list)
    for key, op in labels.items():
        by_op[op].append(key)
    return _pairs_of(by_op.values())


def _items(folder: Path) -> dict[str, set[str]]:
    """item -> accounts holding it: identifiers (normalised as the loader does), bio links, and
    channels (as ``admin:<channel key>``)."""
    holders = defaultdict(set)
    with open(folder / "identifiers.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            value = norm_identifier(row["kind"], row["value"])
            holders[f"{row['kind'].lower()}:{value}"].add(f"{row['platform']}:{handle_norm(row['account'])}")
    with open(folder / "accounts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for link in LINK.findall(row["bio"] or ""):
                holders[f"url:{link}"].add(f"{row['platform']}:{handle_norm(row['handle'])}")
    channels = folder / "channels.csv"
    if channels.exists():
        with open(channels, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                item = f"admin:{row['platform']}:{handle_norm(row['channel'])}"
                for admin in filter(None, (row["admins"] or "").split(";")):
                    holders[item].add(f"{row['platform']}:{handle_norm(admin)}")
    return holders


def edge_rows(folder) -> list[dict]:
    """The bundle as ``shared-operators`` edge rows ``{tie, key, kind, member}`` without a database
    (identifiers, ``bio:`` rows for bios with a link, ``same bio:`` for a bio of 12+ characters on
    2..MAX_HUB accounts, co-admins with the channel as a member), for tests and quick checks: the
    canned query reads the same from the graph."""
    folder, rows = Path(folder), []

    def add(tie, platform, handle, kind="account"):
        rows.append({"tie": tie, "key": f"{platform}:{handle_norm(handle)}", "kind": kind,
                     "member": f"{platform}:{handle}"})
    with open(folder / "identifiers.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            add(f"{row['kind'].lower()}:{norm_identifier(row['kind'], row['value'])}", row["platform"], row["account"])
    bios = defaultdict(list)
    with open(folder / "accounts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["bio"]:
                bios[row["bio"]].append((row["platform"], row["handle"]))
    for bio, holders in bios.items():
        for platform, handle in holders:
            if "://" in bio:
                add("bio:" + bio, platform, handle)
            if 2 <= len(holders) <= MAX_HUB and len(bio) >= 12:
                add("same bio:" + bio, platform, handle)
    if (folder / "channels.csv").exists():
        with open(folder / "channels.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                admins = [a for a in (row["admins"] or "").split(";") if a]
                if len(admins) >= 2:
                    tie = f"co-admins of {row['platform']}:{handle_norm(row['channel'])}"
                    for admin in admins:
                        add(tie, row["platform"], admin)
                    add(tie, row["platform"], row["channel"], "channel")
    return rows


def detectable_pairs(folder, labels: dict[str, str], max_hub: int = MAX_HUB) -> set[tuple[str, str]]:
    """Same-operator pairs joined by a path of items each held by 2..max_hub accounts of one operator."""
    components = UnionFind()
    for holders in _items(Path(folder)).values():
        ops = {labels.get(h) for h in holders}
        if 2 <= len(holders) <= max_hub and len(ops) == 1 and None not in ops:
            components.union(*sorted(holders))
    return _pairs_of(components.to_sets())


def _members(cluster) -> list[str]:
    members = cluster.get("members", []) if isinstance(cluster, dict) else cluster
    if isinstance(members, str):
        members = re.split(r"[;,]\s*", members)
    return [member_key(m) for m in members if str(m).strip()]


def score(clusters, labels: dict[str, str], detectable: set | None = None) -> dict:
    """Pairwise precision, recall and F1 of predicted clusters (lists of members, or dicts with a
    ``members`` list) against the labels; with ``detectable`` also the recall of those pairs.
    Members that are not labelled accounts (e.g. channels) are ignored and counted."""
    known, unknown, largest = [], set(), 0
    for cluster in clusters:
        members = _members(cluster)
        largest = max(largest, len(set(members)))
        known.append([m for m in members if m in labels])
        unknown.update(m for m in members if m not in labels)
    predicted, truth = _pairs_of(known), true_pairs(labels)
    precision, recall, f1_ = score_pairs(predicted, truth)
    out = {"predicted_pairs": len(predicted), "true_pairs": len(truth), "correct_pairs": len(predicted & truth),
           "precision": precision, "recall": recall, "f1": f1_,
           "clusters": len(known), "largest_cluster": largest, "unlabelled_members": len(unknown)}
    if detectable is not None:
        _, rd, f1d = prf(len(predicted & detectable), len(predicted), len(detectable))
        out.update(detectable_pairs=len(detectable), recall_detectable=rd, f1_detectable=f1d)
    return out


def _load_clusters(path) -> list:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("clusters", data.get("rows", []))
    return data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="write a labelled bundle")
    w.add_argument("-o", "--output", required=True)
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("-n", "--operators", type=int, default=None, help="operators with 2-12 accounts (default 130: about 900 accounts)")
    w.add_argument("--noise", default="noisy", choices=["clean", "noisy"])
    w.add_argument("--variant", default="o1", choices=["o1", "o2", "o3", "o4", "o5", "o6"])
    s = sub.add_parser("score", help="pairwise precision/recall/F1 of predicted clusters")
    s.add_argument("clusters", help="JSON list of {members: [PLATFORM:HANDLE, ...]}")
    s.add_argument("labels", help="labels.csv written by `write`")
    s.add_argument("--bundle", help="the bundle folder (default: the labels' folder), for detectable pairs")
    s.add_argument("--max-hub", type=int, default=MAX_HUB)
    args = ap.parse_args(argv)
    if args.cmd == "write":
        t = time.time()
        truth = write_bundle(args.output, args.seed, args.operators, args.noise, args.variant)
        print(f"wrote {args.output}: {truth['accounts']} accounts, {truth['operators_multi']} operators with 2+ "
              f"accounts ({truth['operators_undetectable']} undetectable), {truth['true_pairs']} true pairs, "
              f"{truth['detectable_pairs']} detectable, {truth['noise_items']} noise items, {time.time() - t:.1f} s")
        return
    labels = read_labels(args.labels)
    folder = Path(args.bundle) if args.bundle else Path(args.labels).parent
    detectable = detectable_pairs(folder, labels, args.max_hub) if (folder / "identifiers.csv").exists() else None
    result = score(_load_clusters(args.clusters), labels, detectable)
    for key, value in result.items():
        print(f"{key:20s} {value:.4f}" if isinstance(value, float) else f"{key:20s} {value}")


if __name__ == "__main__":
    main()
