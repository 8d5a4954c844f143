"""Writing a planned synthetic bundle (``graphkit.synth.Synth``) to a folder.

Files follow the canonical bundle table of the design (UTF-8, header row, ``;`` inside list cells),
plus ``report.json`` (the manifest), ``expected.json`` (the calibrated totals, for tests and the
demo) and ``README.md``. Sightings and identifiers are written row by row, never held in memory.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from graphkit.synth import names
from graphkit.errors import SynthError
from graphkit.synth.plan import (
    DESIGNATIONS,
    GROUPS,
    HUB_IPS,
    HUB_URL,
    MIRROR_CONFIRMED_SHARE,
    PLATFORMS,
    REPORT_DATE,
    SIGHTINGS,
    T_2024,
    T_HORIZON,
    Synth,
    day,
    iso,
)

STATUS = {"removed": "removed", "pending": "reported", "no_response": "reported", "rejected": "active", None: "active"}


class _Files:
    def __init__(self, folder: Path):
        self.folder, self.rows = folder, {}

    def write(self, name: str, header: list[str], rows) -> None:
        count = 0
        with open(self.folder / name, "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            for row in rows:
                out.writerow(row)
                count += 1
        self.rows[name] = count


def write(folder, seed: int = 0, scale: int = 1, sightings: int | None = None) -> dict:
    """Plan and write the bundle into ``folder`` (created if missing); returns expected.json's dict.
    ``sightings``: how many sightings to write (default 2,500 x scale); the other files do not
    depend on it."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise SynthError(f"{folder} exists and is not a folder", hint="Give -o a folder path.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(f"cannot create {folder}: {exc.strerror}", hint="Choose a writable folder.") from None
    try:
        return _write_files(folder, seed, scale, sightings)
    except OSError as exc:
        raise SynthError(f"cannot write the bundle into {folder}: {exc.strerror or exc}",
                         hint="Choose a writable folder with free space.") from None


def _write_files(folder: Path, seed: int, scale: int, sightings: int | None) -> dict:
    plan = Synth(seed, scale).plan()
    files = _Files(folder)
    files.write("groups.csv", ["group_id", "name", "aliases", "country", "description"],
                ([g, n, a, c, "Synthetic test record (fictional data set)."] for g, n, a, c in GROUPS))
    files.write("designations.csv", ["group_id", "authority", "program", "reference", "listed_on"], DESIGNATIONS)
    files.write("accounts.csv", ["platform", "handle", "display_name", "bio", "status", "followers", "created_at",
                                 "removed_at", "group_id", "operator_id"], _accounts(plan))
    files.write("channels.csv", ["platform", "channel", "name", "kind", "members", "status", "created_at",
                                 "removed_at", "group_id", "admins"], _channels(plan))
    ident_count: Counter = Counter()
    files.write("identifiers.csv", ["platform", "account", "kind", "value", "first_seen", "last_seen"],
                _identifiers(plan, ident_count))
    files.write("sightings.csv", ["sighting_id", "observed_at", "platform", "account", "channel", "group_id",
                                  "post_url", "excerpt", "language"],
                _sightings(plan, SIGHTINGS * plan.scale if sightings is None else sightings))
    files.write("takedowns.csv", ["request_id", "platform", "target", "requested_at", "status", "resolved_at"],
                _takedowns(plan))
    confirmed = [link for i, link in enumerate(plan.links) if _confirmed(plan, i)]
    files.write("mirrors.csv", ["platform", "account", "predecessor_platform", "predecessor", "status", "note"],
                _mirrors(plan, confirmed))
    report = {"id": f"synth-seed{seed}-scale{scale}", "source": "graphkit synth (synthetic, fictional)",
              "title": "Synthetic crackdown report calibrated to the July 2025 figures", "date": REPORT_DATE}
    (folder / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    expected = _expected(plan, files.rows, ident_count, len(confirmed), report)
    if sightings is not None:
        expected["sightings_option"] = sightings
    (folder / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(_readme(expected), encoding="utf-8")
    return expected


def _confirmed(plan: Synth, i: int) -> bool:
    # deterministic and independent of the generator's random stream: every 5th link, 2 of 5
    return i % 5 < round(5 * MIRROR_CONFIRMED_SHARE)


def _accounts(plan: Synth):
    for a in plan.accounts:
        yield [a.platform, a.handle, a.display, a.bio, STATUS[a.outcome], a.followers, iso(a.created),
               iso(a.removed), a.gid or "", f"OP-{a.operator:04d}" if a.operator and a.operator_named else ""]


def _channels(plan: Synth):
    for ch in plan.channels:
        yield [ch["platform"], ch["channel"], names.display_name(ch["channel"]), ch["kind"], ch["members"],
               "removed" if ch["removed"] else "active", iso(ch["created"]), iso(ch["removed"]), ch["gid"],
               ";".join(a.handle for a in ch["admins"])]


def _identifiers(plan: Synth, count: Counter):
    for a in plan.accounts:
        first, last = day(a.created), day(a.removed or T_HORIZON)
        rows = [("image_hash", a.avatar)]
        if a.link:
            rows.append(("url", a.link))
        rows.extend(a.idents)
        for kind, value in rows:
            count[kind] += 1
            yield [a.platform, a.handle, kind, value, first, last]


def _sightings(plan: Synth, count: int):
    rng = plan.rng
    accounts = plan.accounts
    windows = [(max(a.created, T_2024), min(a.removed or T_HORIZON, T_HORIZON)) for a in accounts]
    n = len(accounts)
    excerpts, languages = names.EXCERPTS, names.LANGUAGES
    for i in range(count):
        j = rng.randrange(n)
        a = accounts[j]
        start, end = windows[j]
        channel = ""
        if a.gid and rng.random() < 0.35:
            chans = plan.channel_by.get((a.platform, a.gid))
            if chans:
                channel = chans[rng.randrange(len(chans))]["channel"]
        sid = f"S{i + 1:07d}"
        yield [sid, iso(start + rng.random() * max(0.0, end - start)), a.platform, a.handle, channel, a.gid or "",
               names.post_url(a.platform, sid), excerpts[i % len(excerpts)].format(n=i + 1), languages[i % len(languages)]]


def _takedowns(plan: Synth):
    reported = sorted((a for a in plan.accounts if a.outcome), key=lambda a: (a.requested, a.platform, a.handle))
    for i, a in enumerate(reported, 1):
        yield [f"TR-{i:06d}", a.platform, a.handle, iso(a.requested), a.outcome, iso(a.resolved)]


def _mirrors(plan: Synth, confirmed):
    for succ, pred, _change in confirmed:
        yield [succ.platform, succ.handle, pred.platform, pred.handle, "confirmed", "confirmed by an analyst (synthetic)"]
    for decoy, other in plan.rejected_pairs:
        yield [decoy.platform, decoy.handle, other.platform, other.handle, "rejected",
               "monitoring/news/parody account, not a mirror (synthetic)"]


def _expected(plan: Synth, rows: dict, ident_count: Counter, n_confirmed: int, report: dict) -> dict:
    accounts = plan.accounts
    reported = [a for a in accounts if a.outcome]
    per_platform = {}
    for p in PLATFORMS:
        mine = [a for a in reported if a.platform == p]
        outcomes = Counter(a.outcome for a in mine)
        per_platform[p] = {"requests": len(mine), "removed": outcomes["removed"],
                           "rejected": outcomes["rejected"], "no_response": outcomes["no_response"],
                           "pending": outcomes["pending"],
                           "compliance": round(outcomes["removed"] / len(mine), 4) if mine else None,
                           "accounts": sum(1 for a in accounts if a.platform == p)}
    return {
        "seed": plan.seed, "scale": plan.scale, "report": report,
        "accounts": len(accounts),
        "flagged_accounts": sum(1 for a in accounts if a.gid),
        "flagged_by_group": dict(sorted(Counter(a.gid for a in accounts if a.gid).items())),
        "unaffiliated_reported_accounts": sum(1 for a in reported if not a.gid),
        "decoy_accounts": sum(1 for a in accounts if a.kind == "decoy"),
        "takedown_requests": len(reported), "reported_accounts": len({a.key for a in reported}),
        "removed": sum(1 for a in reported if a.outcome == "removed"),
        "per_platform": per_platform,
        "followers": {"reported_accounts": sum(a.followers for a in reported),
                      "all_accounts": sum(a.followers for a in accounts)},
        "groups": len(GROUPS), "designations": len(DESIGNATIONS),
        "channels": len(plan.channels),
        "channels_by_platform": dict(sorted(Counter(c["platform"] for c in plan.channels).items())),
        "sightings": rows["sightings.csv"], "identifier_rows": rows["identifiers.csv"],
        "identifier_rows_by_kind": dict(sorted(ident_count.items())),
        "mirror_chains": plan.chains, "mirror_links": len(plan.links),
        "cross_platform_links": sum(1 for link in plan.links if link[2] == "cross-platform"),
        "mirrors_confirmed": n_confirmed, "mirrors_rejected": len(plan.rejected_pairs),
        "operators": len(plan.operators),
        "operator_accounts": sum(len(o["members"]) for o in plan.operators),
        "accounts_with_operator_id": sum(1 for a in accounts if a.operator and a.operator_named),
        "hubs": {"url": HUB_URL, "ip": HUB_IPS},
        "phones_used": plan.phone_slot,
        "planted_mirror_links": [f"{s.key}>{p.key}" for s, p, _ in plan.links],
        # accounts run by one operator share rare identifiers; where one was created after another
        # was removed, a detector may rightly propose them as mirrors too (not in the planted links)
        "operator_clusters": {o["oid"]: [a.key for a in o["members"]] for o in plan.operators},
        "files": rows,
    }


def _readme(e: dict) -> str:
    lines = [f"# Synthetic report bundle (seed {e['seed']}, scale {e['scale']})", "",
             "Fictional data made by `graphkit synth`: invented handles (`..._example_N`), phones in",
             "+92-300-0000xxx, e-mails at example.org, documentation IP ranges. No real people or content.", "",
             f"- accounts: {e['accounts']} ({e['flagged_accounts']} linked to the four groups: the headline figure)",
             f"- takedown requests: {e['takedown_requests']}, removed: {e['removed']}",
             f"- followers of reported accounts: {e['followers']['reported_accounts']:,}",
             f"- mirror chains: {e['mirror_chains']} ({e['mirror_links']} links, {e['mirrors_confirmed']} confirmed in mirrors.csv)",
             f"- operators: {e['operators']}; hub identifiers (not operators): {e['hubs']['url']}, {', '.join(e['hubs']['ip'])}",
             "", "| platform | requests | removed | compliance |", "| --- | --- | --- | --- |"]
    for p, v in e["per_platform"].items():
        lines.append(f"| {p} | {v['requests']} | {v['removed']} | {v['compliance']:.0%} |")
    lines += ["", "`expected.json` holds every total, the per-platform figures and the planted mirror links.", ""]
    return "\n".join(lines)
