"""``graphkit synth``: determinism, calibration to the July 2025 figures, fictional data, scale.

The bundle is parsed here with the csv module, independently of the generator. The expected
figures come from DOMAIN.md and from the rates documented in graphkit/synth/plan.py, worked out by hand:
Facebook 186/200 = 93%, TikTok 138/150 = 92%, Instagram 90/120 = 75%, Telegram 41/82 = 50%,
X 75/250 = 30%, WhatsApp 18/60 = 30%; 200+150+120+82+250+60 = 862 requests (> 850);
186+138+90+41+75+18 = 548 removed (> 500); 481 accounts with a group (the headline report).
"""
from __future__ import annotations

import csv
import filecmp
import json
import re
from collections import Counter, defaultdict

import pytest

from graphkit.synth import write as synth_write
from graphkit.errors import GraphkitError

FILES = ["groups.csv", "designations.csv", "accounts.csv", "channels.csv", "identifiers.csv",
         "sightings.csv", "takedowns.csv", "mirrors.csv", "report.json", "expected.json", "README.md"]
RATES = {"facebook": (200, 186), "tiktok": (150, 138), "instagram": (120, 90), "telegram": (82, 41),
         "x": (250, 75), "whatsapp": (60, 18)}


def read(folder, name):
    with open(folder / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "seed0"
    synth_write.write(folder, seed=0, scale=1)
    return folder


def test_same_seed_gives_identical_files_and_another_seed_differs(bundle, tmp_path):
    synth_write.write(tmp_path / "again", seed=0, scale=1)
    synth_write.write(tmp_path / "other", seed=1, scale=1)
    match, mismatch, errors = filecmp.cmpfiles(bundle, tmp_path / "again", FILES, shallow=False)
    assert mismatch == [] and errors == [] and sorted(match) == sorted(FILES)
    _, mismatch, _ = filecmp.cmpfiles(bundle, tmp_path / "other", ["accounts.csv", "sightings.csv"], shallow=False)
    assert mismatch == ["accounts.csv", "sightings.csv"]


def test_headline_report_has_481_group_accounts_on_six_platforms(bundle):
    accounts = read(bundle, "accounts.csv")
    flagged = [a for a in accounts if a["group_id"]]
    assert len(flagged) == 481
    assert {a["platform"] for a in flagged} == set(RATES)
    assert {a["group_id"] for a in flagged} == {"TTP", "ISIS-K", "BLA", "BLF"}
    keys = [(a["platform"], a["handle"].casefold()) for a in accounts]
    assert len(keys) == len(set(keys)), "account keys must be unique"


def test_takedowns_and_compliance_per_platform(bundle):
    takedowns = read(bundle, "takedowns.csv")
    assert len(takedowns) == 862 > 850
    assert len({(t["platform"], t["target"]) for t in takedowns}) == 862, "one request per account"
    removed = [t for t in takedowns if t["status"] == "removed"]
    assert len(removed) == 548 > 500
    for platform, (requests, gone) in RATES.items():
        mine = [t for t in takedowns if t["platform"] == platform]
        assert (len(mine), sum(t["status"] == "removed" for t in mine)) == (requests, gone), platform
    rate = {p: gone / req for p, (req, gone) in RATES.items()}
    assert rate["facebook"] > 0.9 and rate["tiktok"] > 0.9
    assert abs(rate["x"] - 0.30) < 0.005 and abs(rate["whatsapp"] - 0.30) < 0.005
    assert {t["status"] for t in takedowns} <= {"pending", "removed", "rejected", "no_response"}
    # a request resolved as removed has a resolution date; a pending one has none
    assert all(t["resolved_at"] for t in removed)
    assert not any(t["resolved_at"] for t in takedowns if t["status"] in ("pending", "no_response"))


def test_followers_of_reported_accounts_about_two_million(bundle):
    followers = {(a["platform"], a["handle"]): int(a["followers"]) for a in read(bundle, "accounts.csv")}
    total = sum(followers[(t["platform"], t["target"])] for t in read(bundle, "takedowns.csv"))
    # stated tolerance: "over two million", and within 5% of it
    assert 2_000_000 <= total <= 2_100_000


def test_expected_json_matches_the_files(bundle):
    expected = json.loads((bundle / "expected.json").read_text(encoding="utf-8"))
    accounts, takedowns = read(bundle, "accounts.csv"), read(bundle, "takedowns.csv")
    assert expected["accounts"] == len(accounts)
    assert expected["flagged_accounts"] == 481
    assert expected["takedown_requests"] == 862 and expected["removed"] == 548
    for platform, (requests, gone) in RATES.items():
        pp = expected["per_platform"][platform]
        assert (pp["requests"], pp["removed"]) == (requests, gone)
        assert pp["compliance"] == round(gone / requests, 4)
    assert expected["sightings"] == len(read(bundle, "sightings.csv")) == 2500
    assert expected["channels"] == len(read(bundle, "channels.csv")) == 64
    assert expected["mirrors_confirmed"] == sum(m["status"] == "confirmed" for m in read(bundle, "mirrors.csv"))
    report = json.loads((bundle / "report.json").read_text(encoding="utf-8"))
    assert report["date"] == "2025-07-25" and set(report) == {"id", "source", "title", "date"}


def test_groups_and_designations_state_only_what_domain_md_says(bundle):
    groups = {g["group_id"] for g in read(bundle, "groups.csv")}
    assert groups == {"TTP", "ISIS-K", "BLA", "BLF"}
    got = {(d["group_id"], d["authority"], d["program"], d["reference"], d["listed_on"])
           for d in read(bundle, "designations.csv") if d["authority"] in ("UN", "US")}
    assert ("TTP", "UN", "ISIL (Da'esh) and Al-Qaida sanctions", "QDe.132", "2011-07-29") in got
    assert ("ISIS-K", "UN", "ISIL (Da'esh) and Al-Qaida sanctions", "QDe.161", "2019-05-14") in got
    assert {(g, p) for g, a, p, *_ in got if a == "US"} == {("TTP", "FTO"), ("ISIS-K", "FTO"), ("BLA", "SDGT")}
    assert {g for g, a, *_ in got if a == "UN"} == {"TTP", "ISIS-K"}  # BLA and BLF are not UN-listed
    pk = {d["group_id"] for d in read(bundle, "designations.csv") if d["authority"] == "PK"}
    assert pk == groups


LEET_BACK = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "\u0430": "a",
                           "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0445": "x",
                           "\u0443": "y", "\u0456": "i", ".": "", "_": ""})


def test_everything_is_obviously_fictional(bundle):
    for a in read(bundle, "accounts.csv"):
        # mirror handles may be leetspeak, Cyrillic look-alikes, doubled letters: undo, then look
        assert re.search(r"e+x+a+m+p+l+e+", a["handle"].casefold().translate(LEET_BACK)), a["handle"]
        assert a["display_name"].endswith("(example)") or "(example)" in a["display_name"]
    for c in read(bundle, "channels.csv"):
        assert "_example_" in c["channel"]
    kinds = defaultdict(set)
    for i in read(bundle, "identifiers.csv"):
        kinds[i["kind"]].add(i["value"])
    assert kinds["phone"] and all(re.fullmatch(r"\+92[- ]300[- ]0000\d{3}", v) for v in kinds["phone"])
    assert kinds["email"] and all(v.endswith("@example.org") for v in kinds["email"])
    assert all(v.startswith(("203.0.113.", "2001:db8::")) for v in kinds["ip"])
    assert all(re.fullmatch(r"https://t\.me/\+[A-Za-z0-9]{16}", v) for v in kinds["invite"])
    assert all(re.match(r"https://(t\.me/[a-z_]+_example_\d+$|example\.(org|net)/|short\.example\.net$)", v)
               for v in kinds["url"])
    assert all(s["post_url"].startswith("https://posts.example.org/") for s in read(bundle, "sightings.csv"))


def test_references_resolve_and_timelines_are_consistent(bundle):
    accounts = {(a["platform"], a["handle"]): a for a in read(bundle, "accounts.csv")}
    for t in read(bundle, "takedowns.csv"):
        a = accounts[(t["platform"], t["target"])]
        assert (a["status"] == "removed") == (t["status"] == "removed")
        if t["status"] == "removed":
            assert a["removed_at"] == t["resolved_at"] and a["created_at"] < t["requested_at"]
    for name, col in (("identifiers.csv", "account"), ("sightings.csv", "account")):
        for row in read(bundle, name):
            assert (row["platform"], row[col]) in accounts
    for s in read(bundle, "sightings.csv"):
        a = accounts[(s["platform"], s["account"])]
        assert "2024-01-01" <= s["observed_at"] <= "2025-07-25" and s["observed_at"] >= a["created_at"]
        assert not a["removed_at"] or s["observed_at"] <= a["removed_at"]
    for c in read(bundle, "channels.csv"):
        assert c["admins"], c["channel"]
        assert all((c["platform"], h) in accounts for h in c["admins"].split(";"))
    for m in read(bundle, "mirrors.csv"):
        succ, pred = accounts[(m["platform"], m["account"])], accounts[(m["predecessor_platform"], m["predecessor"])]
        if m["status"] == "confirmed":  # a mirror appears after its predecessor was taken down
            assert pred["status"] == "removed" and succ["created_at"] > pred["removed_at"]


def test_operators_share_rare_identifiers_and_hubs_are_common(bundle):
    users = defaultdict(set)
    for i in read(bundle, "identifiers.csv"):
        users[(i["kind"], i["value"])].add((i["platform"], i["account"]))
    expected = json.loads((bundle / "expected.json").read_text(encoding="utf-8"))
    assert len(users[("url", expected["hubs"]["url"])]) > 40  # ~10% of 874 accounts
    for kind in ("phone", "email", "device", "invite"):
        sizes = [len(v) for (k, _), v in users.items() if k == kind]
        assert sizes and max(sizes) <= 9, kind          # operators run 3-9 accounts
    named = Counter(a["operator_id"] for a in read(bundle, "accounts.csv") if a["operator_id"])
    assert named and all(re.fullmatch(r"OP-\d{4}", oid) for oid in named)


def test_scale_multiplies_sizes_and_keeps_rates(tmp_path):
    expected = synth_write.write(tmp_path, seed=3, scale=2)
    takedowns = read(tmp_path, "takedowns.csv")
    assert len(takedowns) == 2 * 862 and expected["flagged_accounts"] == 2 * 481
    for platform, (requests, gone) in RATES.items():
        mine = [t for t in takedowns if t["platform"] == platform]
        assert (len(mine), sum(t["status"] == "removed" for t in mine)) == (2 * requests, 2 * gone)
    assert len(read(tmp_path, "sightings.csv")) == 5000


def test_bad_scale_and_output_are_clear_errors(tmp_path):
    with pytest.raises(GraphkitError, match="scale"):
        synth_write.write(tmp_path / "z", seed=0, scale=0)
    (tmp_path / "file").write_text("x")
    with pytest.raises(GraphkitError, match="not a folder"):
        synth_write.write(tmp_path / "file", seed=0, scale=1)


def test_cli_writes_the_bundle_and_rejects_bad_scale(cli, tmp_path):
    done = cli("synth", "--seed", "0", "-o", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    assert "accounts.csv: 874 rows" in done.stdout and "facebook 93%" in done.stdout
    assert (tmp_path / "b" / "expected.json").is_file()
    bad = cli("synth", "--scale", "0", "-o", str(tmp_path / "c"))
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_synth_loads_and_the_graph_has_the_calibrated_figures(graph, bundle):
    """synth -> graphkit.load -> Cypher: the counts equal expected.json and the hand-worked rates."""
    from graphkit.ingest.engine import load

    summary = load(graph, [bundle], progress=False)
    expected = json.loads((bundle / "expected.json").read_text(encoding="utf-8"))
    assert summary.rejects_path is None

    def one(cypher, **params):
        return graph.read(cypher, params)[0]

    assert one("MATCH (a:Account) RETURN count(a) AS n")["n"] == expected["accounts"] == 874
    assert one("MATCH (a:Account) WHERE EXISTS { (a)-[:AFFILIATED_WITH]->(:Group) } RETURN count(a) AS n")["n"] == 481
    rows = graph.read("MATCH (t:TakedownRequest)-[:SENT_TO]->(p:Platform) RETURN p.name AS platform, count(t) AS requests, "
                      "sum(CASE t.status WHEN 'removed' THEN 1 ELSE 0 END) AS removed")
    got = {r["platform"]: (r["requests"], r["removed"]) for r in rows}
    assert got == RATES
    for platform, (requests, removed) in got.items():
        assert round(removed / requests, 4) == expected["per_platform"][platform]["compliance"]
    assert one("MATCH (t:TakedownRequest)-[:TARGETS]->(a:Account) RETURN sum(a.followers) AS f")["f"] == 2_040_000
    assert one("MATCH (s:Sighting) RETURN count(s) AS n")["n"] == 2500
    assert one("MATCH (c:Channel) RETURN count(c) AS n")["n"] == 64
    ttp = one("MATCH (:Group {gid: 'TTP'})-[d:DESIGNATED_BY]->(:Authority {code: 'UN'}) "
              "RETURN d.reference AS ref, toString(d.listed_on) AS listed")
    assert ttp == {"ref": "QDe.132", "listed": "2011-07-29"}
    mirrors = {r["s"]: r["n"] for r in graph.read("MATCH ()-[m:MIRROR_OF]->() RETURN m.status AS s, count(*) AS n")}
    assert mirrors == {"confirmed": expected["mirrors_confirmed"], "rejected": expected["mirrors_rejected"]}
    named = {a["operator_id"] for a in read(bundle, "accounts.csv") if a["operator_id"]}
    assert one("MATCH (o:Operator) RETURN count(o) AS n")["n"] == len(named)


def test_each_operator_cluster_is_linked_by_specific_identifiers(tmp_path):
    expected = synth_write.write(tmp_path, seed=5, scale=3)
    hubs = {expected["hubs"]["url"], *expected["hubs"]["ip"]}
    ids, users = defaultdict(set), defaultdict(set)
    for row in read(tmp_path, "identifiers.csv"):
        if row["kind"] in ("phone", "email", "device", "invite", "ip") and row["value"] not in hubs:
            key = f"{row['platform']}:{row['account'].casefold()}"
            ids[key].add((row["kind"], row["value"]))
            users[(row["kind"], row["value"])].add(key)
    assert len(expected["operator_clusters"]) == 3 * 24
    for oid, members in expected["operator_clusters"].items():
        members = {m.casefold() for m in members}
        first = sorted(members)[0]
        seen, stack = {first}, [first]
        while stack:
            for ident in ids[stack.pop()]:
                for other in users[ident] & members - seen:
                    seen.add(other)
                    stack.append(other)
        assert seen == members, oid


def test_sightings_option_sets_only_the_number_of_sightings(bundle, tmp_path):
    """--sightings N (the benchmark's 100k accounts / 500k sightings): N sighting rows, the first
    ones as in the default bundle (same random stream), every other data file byte-identical."""
    expected = synth_write.write(tmp_path, seed=0, scale=1, sightings=3100)
    rows = read(tmp_path, "sightings.csv")
    assert len(rows) == 3100 and expected["sightings"] == 3100
    assert rows[:2500] == read(bundle, "sightings.csv")
    assert rows[-1]["sighting_id"] == "S0003100"
    same = ["groups.csv", "designations.csv", "accounts.csv", "channels.csv", "identifiers.csv",
            "takedowns.csv", "mirrors.csv"]
    match, mismatch, errors = filecmp.cmpfiles(bundle, tmp_path, same, shallow=False)
    assert sorted(match) == sorted(same) and mismatch == [] and errors == []
