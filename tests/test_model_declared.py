"""The model drives the code: every label, relationship type and property that the Cypher text
uses or that a load writes is declared in ``model.yaml``, every declared property is written by
some load, and ``docs/model.md`` carries the current generated section."""
from __future__ import annotations

import re
from pathlib import Path

from graphkit.ingest import load
from graphkit.model import doc
from graphkit.model.spec import model
from helpers import FIXTURES, ROOT
from loadutil import write_bundle

LABEL = re.compile(r"\(\s*(\w*)\s*:\s*([A-Za-z_][\w|:&]*)")
REL = re.compile(r"\[\s*(\w*)\s*:\s*([A-Za-z_][\w|]*)")
PROP = re.compile(r"\b([a-z_]\w*)\.([a-z_]\w*)\b")
CYPHER_WORDS = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND)\b")
# Properties a load sets on every relationship it writes (provenance), besides the declared ones.
PROVENANCE = {"reports"}


def cypher_texts():
    for path in sorted((ROOT / "cypher").glob("*.cypher")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "graphkit").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for literal in re.findall(r'"""[\s\S]*?"""|"[^"\n]*"', source):
            if CYPHER_WORDS.search(literal):
                yield str(path.relative_to(ROOT)), literal


def undeclared_names(text: str) -> list[tuple[str, str]]:
    """(what, name) for each label, type or property in ``text`` that the model lacks. Variables
    are bound within one block (braces and UNION split blocks: subqueries rebind names)."""
    m, found = model(), []
    text = re.sub(r"//[^\n]*", "", text)
    for block in re.split(r"[{}]|\bUNION\b", text):
        bound: dict[str, set[str]] = {}
        for var, labels in LABEL.findall(block):
            for label in filter(None, re.split(r"[|:&]", labels)):
                if label not in m.nodes:
                    found.append(("label", label))
                elif var:
                    bound.setdefault(var, set()).update(m.nodes[label].properties)
        for var, types in REL.findall(block):
            for rel_type in filter(None, types.split("|")):
                if rel_type not in m.relationships:
                    found.append(("relationship type", rel_type))
                elif var:
                    bound.setdefault(var, set()).update(m.relationships[rel_type].properties, PROVENANCE)
        for var, prop in PROP.findall(block):
            if var in bound and prop not in bound[var]:
                found.append((f"property of {var}", prop))
    return found


def test_the_scanner_sees_what_is_undeclared():
    text = "MATCH (a:Account)-[r:FOLLOWS]->(b:Ghost) WHERE a.shoe_size > 1 RETURN a.handle, r.reports"
    assert undeclared_names(text) == [("label", "Ghost"), ("relationship type", "FOLLOWS"),
                                      ("property of a", "shoe_size")]


def test_cypher_text_uses_only_declared_labels_types_and_properties():
    problems = [(where, *item) for where, text in cypher_texts() for item in undeclared_names(text)]
    assert problems == []


def test_docs_model_md_carries_the_generated_section():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert doc.render() in text, "docs/model.md is stale: run python -m graphkit.model.doc docs/model.md"


def test_vocabularies_and_gone_statuses_are_declared():
    m = model()
    assert m.gone == ("removed", "suspended")
    assert set(m.gone) <= set(m.vocabulary("account_status"))
    assert m.vocabulary("takedown_status") == ("pending", "removed", "rejected", "no_response")


def _written(graph) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    nodes: dict[str, set[str]] = {}
    for row in graph.read("CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName "
                          "RETURN nodeLabels, propertyName"):
        for label in row["nodeLabels"]:
            if row["propertyName"]:
                nodes.setdefault(label, set()).add(row["propertyName"])
    rels: dict[str, set[str]] = {}
    for row in graph.read("CALL db.schema.relTypeProperties() YIELD relType, propertyName "
                          "RETURN relType, propertyName"):
        rel_type = row["relType"].strip(":`")
        rels.setdefault(rel_type, set())
        if row["propertyName"]:
            rels[rel_type].add(row["propertyName"])
    return nodes, rels


def test_loads_write_what_the_model_declares_and_nothing_else(graph, tmp_path):
    from graphkit.mirrors.detect import decide

    extra = write_bundle(tmp_path / "extra", {
        "accounts.csv": "url,display_name\nhttps://x.com/Model_Test_Example,Model test (example)\n",
        "channels.csv": "platform,channel,url,created_at,removed_at,status\n"
                        "telegram,model_test_example,https://t.me/model_test_example,2025-01-01,2025-02-01,removed\n",
    })
    inputs = [extra, FIXTURES / "bundle_small", FIXTURES / "formats" / "un_small.xml",
              FIXTURES / "formats" / "ofac_small.csv", FIXTURES / "formats" / "tweets_small.csv",
              FIXTURES / "formats" / "telegram" / "result.json", FIXTURES / "formats" / "xapi" / "tweets.jsonl",
              FIXTURES / "formats" / "meta_cl" / "facebook_posts.csv"]
    load(graph, inputs, rejects=tmp_path / "rejects.csv")
    accounts = graph.read("MATCH (a:Account) WHERE a.handle IS NOT NULL RETURN a.platform + ':' + a.handle AS name "
                          "ORDER BY a.key LIMIT 2")
    decide(graph, accounts[0]["name"], accounts[1]["name"], "confirmed", note="model test")
    nodes, rels = _written(graph)
    m = model()
    undeclared = {label: sorted(props - set(m.nodes[label].properties)) for label, props in nodes.items()
                  if label in m.nodes and props - set(m.nodes[label].properties)}
    assert undeclared == {}
    assert sorted(set(nodes) - set(m.nodes)) == [] and sorted(set(rels) - set(m.relationships)) == []
    rel_undeclared = {t: sorted(p - set(m.relationships[t].properties) - PROVENANCE) for t, p in rels.items()
                      if p - set(m.relationships[t].properties) - PROVENANCE}
    assert rel_undeclared == {}
    never = {label: sorted(set(spec.properties) - nodes.get(label, set()))
             for label, spec in m.nodes.items() if set(spec.properties) - nodes.get(label, set())}
    # declared but written by no load: allowed only where a later step writes them (named here)
    later = {"TakedownRequest": {"note", "answered_at"},  # graphkit takedowns update
             "Report": {"version_of"},  # graphkit load --new-version
             "MirrorKey": {"key"},  # graphkit.mirrors.keys (graphkit load, mirrors detect/screen)
             "MirrorState": {"name", "model", "fitted_at", "last_run", "accounts", "fields", "complete_min"}}

    never = {label: missing for label, missing in
             ((label, sorted(set(props) - later.get(label, set()))) for label, props in never.items()) if missing}
    assert never == {}
