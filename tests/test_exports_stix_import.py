"""STIX import (`graphkit load --input-format stix`) and hostile strings through every export.

- export --all of tests/fixtures/bundle_small as STIX, load it into an empty graph: the same
  groups, accounts, channels, identifiers, operators, designations, sightings and links come
  back (nodes by graphkit key, links by type, ends and status), and loading again changes nothing;
- a bundle from elsewhere (no graphkit extension) loads what STIX says;
- bad objects are rejected with file, position, JSON path and reason; a file that is no bundle
  stops the load with one sentence;
- hostile text (markup, quotes, RTL override, newline, tab, Arabic, emoji, a formula) comes back
  exactly from every format (links CSV: a formula gets its documented leading quote).
"""
from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
import stix2
from followthemoney import model as ftm_model

from helpers import FIXTURES
from graphkit.errors import LoadError
from graphkit.exports import export, read_scope
from graphkit.exports.links import entities_path
from graphkit.ingest import load
from test_exports import misp_event


def _signature(scope):
    nodes = {n.id: (n.kind, n.label) for n in scope.nodes.values()}
    links = sorted((l.type, l.source, l.target, l.props.get("status")) for l in scope.links)
    return nodes, links


def test_stix_round_trip_gives_back_the_graph(graph, tmp_path):
    load(graph, [FIXTURES / "bundle_small"])
    before = read_scope(graph, everything=True)
    out = tmp_path / "all.stix.json"
    export(graph, "stix", out, everything=True)
    from graphkit.model import schema

    schema.wipe(graph)
    schema.init(graph)
    summary = load(graph, [out])
    assert summary.totals()["rejected"] == 0
    after = read_scope(graph, everything=True)
    assert after.counts() == before.counts()
    assert _signature(after) == _signature(before)
    props = {n.id: n.props for n in after.nodes.values()}
    for node in before.nodes.values():  # statuses, followers, names, times: property for property
        for key in ("status", "followers", "display_name", "name", "aliases", "created_at", "removed_at", "bio"):
            assert props[node.id].get(key) == node.props.get(key), (node.id, key)
    assert [(d["gid"], d["authority"], d["program"], d["reference"], str(d["listed_on"])) for d in after.designations] \
        == [(d["gid"], d["authority"], d["program"], d["reference"], str(d["listed_on"])) for d in before.designations]
    assert [(s["sid"], s["of"], s["in"], s["promotes"]) for s in after.sightings] == \
        [(s["sid"], s["of"], s["in"], s["promotes"]) for s in before.sightings]
    rid = summary.reports[0]
    assert all(n.reports == [rid] for n in after.nodes.values())  # provenance: the bundle's report
    again = load(graph, [out])
    assert again.totals()["created"] == again.totals()["updated"] == 0
    assert again.totals()["unchanged"] == summary.totals()["read"]


def test_a_foreign_bundle_loads_what_stix_says(graph, tmp_path):
    ident = stix2.Identity(name="Partner CTI team (example)", identity_class="organization")
    group = stix2.IntrusionSet(name="Pakistani Taliban", created_by_ref=ident.id)
    account = stix2.UserAccount(account_type="twitter", account_login="Partner_Seen_Example", display_name="Seen")
    affiliation = stix2.Relationship(account.id, "related-to", group.id, created_by_ref=ident.id)
    email = stix2.EmailAddress(value="Partner.Seen@Example.org")
    uses = stix2.Relationship(account.id, "related-to", email.id)
    observed = stix2.ObservedData(first_observed="2025-07-01T10:00:00Z", last_observed="2025-07-01T10:00:00Z",
                                  number_observed=1, object_refs=[account.id])
    sighting = stix2.Sighting(sighting_of_ref=group.id, observed_data_refs=[observed.id], description="a post")
    malware = stix2.Malware(name="not graphkit's business", is_family=False)
    path = tmp_path / "partner.json"
    path.write_text(stix2.Bundle(ident, group, account, affiliation, email, uses, observed, sighting,
                                 malware).serialize(), encoding="utf-8")
    summary = load(graph, [path])  # recognised without --input-format
    assert summary.totals()["rejected"] == 0
    scope = read_scope(graph, everything=True)
    assert set(scope.nodes) == {"group:TTP", "account:x:partner_seen_example", "identifier:email:partner.seen@example.org"}
    assert _signature(scope)[1] == [("affiliated_with", "account:x:partner_seen_example", "group:TTP", None),
                                    ("uses", "account:x:partner_seen_example",
                                     "identifier:email:partner.seen@example.org", None)]
    assert [(s["of"], s["promotes"], s["excerpt"]) for s in scope.sightings] == \
        [("account:x:partner_seen_example", ["group:TTP"], "a post")]
    report = graph.read("MATCH (r:Report) RETURN r.source AS source, r.format AS format")[0]
    assert report == {"source": "STIX bundle from Partner CTI team (example)", "format": "stix"}
    assert ("malware objects are not loaded" in {reason for (_, reason) in summary.skipped})


def test_bad_objects_are_rejected_with_the_json_path(graph, tmp_path, cli):
    good = stix2.UserAccount(account_type="twitter", account_login="Fine_Example")
    objects = [
        json.loads(good.serialize()),
        {"type": "user-account", "spec_version": "2.1", "id": "user-account--00000000-0000-4000-8000-000000000001",
         "account_type": "ldap", "account_login": "someone"},
        {"type": "user-account", "spec_version": "2.1", "id": "user-account--00000000-0000-4000-8000-000000000002",
         "account_type": "facebook", "user_id": "12345"},
        {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--00000000-0000-4000-8000-000000000003",
         "first_observed": "yesterday", "last_observed": "yesterday", "number_observed": 1,
         "object_refs": [good.id]},
        "not an object",
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000009",
                                "objects": objects}), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = cli("load", "--input-format", "stix", str(path), "--rejects", str(rejects))
    assert result.returncode == 3 and "4 rows were rejected" in result.stderr, result.stderr  # 3: rows rejected
    with open(rejects, encoding="utf-8", newline="") as fh:
        rows = [(r["line"], r["column"], r["reason"]) for r in csv.DictReader(fh)]
    assert rows[0] == ("2", "objects[1].account_type", "account_type 'ldap' is not a platform graphkit knows "
                       "(facebook, instagram, telegram, tiktok, twitter, whatsapp, x, youtube)")
    assert rows[1][:2] == ("3", "objects[2].account_login") and "empty" in rows[1][2]
    assert rows[2][:2] == ("4", "objects[3].first_observed")
    assert rows[3] == ("5", "objects[4]", "not a STIX object (a JSON object expected)")
    assert len(rows) == 4
    assert graph.read("MATCH (a:Account) RETURN a.key AS key") == [{"key": "x:fine_example"}]


@pytest.mark.parametrize("text, message", [
    ('{"type": "bundle", "objects": [', "is not valid JSON"),
    ('{"type": "bundle", "objects": {}}', "is not a STIX bundle"),
])
def test_a_file_that_is_no_bundle_stops_with_one_sentence(graph, tmp_path, cli, text, message):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    result = cli("load", "--input-format", "stix", str(path))
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(LoadError, match=message):
        load(graph, [path], fmt="stix")


HOSTILE_NAME = 'Evil "Group" <script>alert(1)</script> & co'
HOSTILE_DISPLAY = "<img src=x onerror=alert('x')> \u202eevil\u202c"
HOSTILE_BIO = "line one\nline two\t\"double\" 'single' & <b>bold</b> \u0639\u0631\u0628\u064a \U0001F642 ]]> --> \\"
FORMULA = "=HYPERLINK(\"http://example.org\")"


def _hostile_bundle(folder):
    folder.mkdir()
    tables = {
        "groups.csv": [["group_id", "name"], ["HOSTILE-1", HOSTILE_NAME], ["HOSTILE-2", FORMULA]],
        "accounts.csv": [["platform", "handle", "display_name", "bio", "group_id"],
                         ["x", "Hostile_Example", HOSTILE_DISPLAY, HOSTILE_BIO, "HOSTILE-1"],
                         ["x", "Formula_Example", FORMULA, "", "HOSTILE-2"]],
    }
    for name, rows in tables.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return folder


def test_hostile_strings_round_trip_in_every_format(graph, tmp_path):
    summary = load(graph, [_hostile_bundle(tmp_path / "hostile")])
    assert summary.totals()["rejected"] == 0
    out = {fmt: tmp_path / f"h.{fmt}" for fmt in ("stix", "misp", "ftm", "gexf", "graphml", "links")}
    for fmt, path in out.items():
        export(graph, fmt, path, everything=True)

    objects = stix2.parse(out["stix"].read_text(encoding="utf-8"), allow_custom=True).objects
    account = next(o for o in objects if o["type"] == "user-account" and o["account_login"] == "Hostile_Example")
    assert account["display_name"] == HOSTILE_DISPLAY
    assert next(iter(account["extensions"].values()))["bio"] == HOSTILE_BIO
    assert {o["name"] for o in objects if o["type"] == "intrusion-set"} == {HOSTILE_NAME, FORMULA}

    event = misp_event(out["misp"])
    values = {(o.name, a.object_relation): a.value for o in event.objects for a in o.attributes
              if o.name == "organization" or "Hostile" in o.comment or any(x.value == "Hostile_Example" for x in o.attributes)}
    assert values[("user-account", "display-name")] == HOSTILE_DISPLAY
    assert values[("user-account", "description")] == HOSTILE_BIO

    entities = [ftm_model.get_proxy(json.loads(line)) for line in out["ftm"].read_text(encoding="utf-8").splitlines()]
    hostile = next(e for e in entities if e.first("username") == "Hostile_Example")
    assert hostile.get("name") == [HOSTILE_DISPLAY] and hostile.get("summary") == [HOSTILE_BIO]
    assert {e.first("name") for e in entities if e.schema.name == "Organization"} == {HOSTILE_NAME, FORMULA}

    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        node = reader(out[fmt]).nodes["account:x:hostile_example"]
        assert (node["display_name"], node["bio"]) == (HOSTILE_DISPLAY, HOSTILE_BIO), fmt
        assert reader(out[fmt]).nodes["group:HOSTILE-1"]["label"] == HOSTILE_NAME

    with open(out["links"], encoding="utf-8", newline="") as fh:
        labels = {r["to_id"]: r["to_label"] for r in csv.DictReader(fh)}
    assert labels == {"group:HOSTILE-1": HOSTILE_NAME, "group:HOSTILE-2": "'" + FORMULA}
    with open(entities_path(out["links"]), encoding="utf-8", newline="") as fh:
        assert {r["id"]: r["label"] for r in csv.DictReader(fh)}["group:HOSTILE-1"] == HOSTILE_NAME

    from graphkit.model import schema

    schema.wipe(graph)
    schema.init(graph)
    load(graph, [out["stix"]], fmt="stix")  # h.stix: not .json, so named
    back = {n.id: n.props for n in read_scope(graph, everything=True).nodes.values()}
    assert (back["account:x:hostile_example"]["display_name"], back["account:x:hostile_example"]["bio"]) == \
        (HOSTILE_DISPLAY, HOSTILE_BIO)
    assert back["group:HOSTILE-1"]["name"] == HOSTILE_NAME


def test_the_reader_knows_the_writers_extension():
    # ingest sits below exports (docs/architecture.md), so the reader keeps its own copy of the id
    from graphkit.exports.stix import EXTENSION_ID
    from graphkit.ingest.formats.stix import EXTENSION_ID as READ

    assert READ == EXTENSION_ID
