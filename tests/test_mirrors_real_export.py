"""End to end on the real export (issue 13): a slice of ../shared/data/isis_twitter/tweets.csv (every
post of eleven accounts) is loaded into Neo4j with graphkit's own tweet loader, then
``mirrors detect`` runs on the graph.

Expected (bench/labels/isis_returns_posting.csv, labelled by reading the data):
  FidaeeFulaani  <- Fidaee_Fulaani   same bio "... 28th account", 20 hours apart, "Back after suspension"
  abutariq041    <- abutariq040      zero-padded counter 040 -> 041, one day apart
  MaghrebiWM     <- MaghrebiQ        identical bio, 6 days apart
and not the hard negatives of bench/labels/isis_not_returns.csv among the slice
(WarReporter1 / warreporter2: look-alike handles that posted side by side for a month;
AbuMusab_110 / alamreeki4: a common kunya only).
"""
from __future__ import annotations

import csv

import pytest

from helpers import SHARED_DATA
from graphkit.ingest.engine import load
from graphkit.mirrors import detect as mirrors

TWEETS = SHARED_DATA / "isis_twitter" / "tweets.csv"
SLICE = {"Fidaee_Fulaani", "FidaeeFulaani", "abutariq040", "abutariq041", "MaghrebiQ", "MaghrebiWM",
         "GunsandCoffee70", "AbuMusab_110", "alamreeki4", "warreporter2", "WarReporter1"}


@pytest.fixture
def real_slice(tmp_path):
    if not TWEETS.exists():
        pytest.skip("the real export is not in ../shared/data")
    out = tmp_path / "tweets_slice.csv"
    with open(TWEETS, encoding="utf-8", newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in reader if r["username"] in SLICE)
    return out


def test_certain_returns_of_the_real_export_are_proposed(graph, real_slice):
    load(graph, [real_slice])
    result = mirrors.detect(graph)
    pairs = {(c.successor, c.predecessor) for c in result.candidates}
    assert ("x:FidaeeFulaani", "x:Fidaee_Fulaani") in pairs
    assert ("x:abutariq041", "x:abutariq040") in pairs
    assert ("x:MaghrebiWM", "x:MaghrebiQ") in pairs
    keys = {frozenset(p) for p in pairs}
    assert frozenset(("x:WarReporter1", "x:warreporter2")) not in keys
    assert frozenset(("x:AbuMusab_110", "x:alamreeki4")) not in keys
    by_succ = {c.successor: c for c in result.candidates}
    assert "continues the numbered series of abutariq040 (40 -> 41)" in by_succ["x:abutariq041"].evidence
    assert "same bio" in by_succ["x:FidaeeFulaani"].evidence
    assert result.stats.learnt == 0
