"""What `graphkit mirrors detect|confirm|reject` tell the analyst: sentences, and advice when
nothing reaches the threshold (issue 11)."""
from __future__ import annotations

import json
import re

from graphkit.ingest.engine import load

# Two returns of one account that a real export would show: same name and bio, the handle's
# counter moved on, no dates, avatars or links; and one unrelated account.
ACCOUNTS = """platform,handle,display_name,bio
x,abutariq040,Abu Tariq,Example bio of a fictional account
x,abutariq041,Abu Tariq,Example bio of a fictional account
x,unrelated_example,Someone Else,Nothing alike
"""


def _tiny(graph, tmp_path):
    bundle = tmp_path / "tiny"
    bundle.mkdir()
    (bundle / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (bundle / "report.json").write_text(json.dumps({"id": "tiny-example"}), encoding="utf-8")
    summary = load(graph, [bundle])
    assert summary.totals()["rejected"] == 0
    return bundle


def test_detect_says_what_to_try_when_nothing_reaches_the_threshold(graph, cli, tmp_path):
    _tiny(graph, tmp_path)
    # at the default the obvious return is proposed (issue 13: scores that mean what they say on
    # exports without removal dates, avatars or links) ...
    default = cli("mirrors", "detect", "--format", "json")
    assert default.returncode == 0, default.stderr
    assert [(r["successor"], r["predecessor"]) for r in json.loads(default.stdout)] == [
        ("x:abutariq041", "x:abutariq040")]
    # ... and above every score seen, detect says so and what to try
    result = cli("mirrors", "detect", "--min-score", "1")
    assert result.returncode == 0, result.stderr
    assert "abutariq" not in result.stdout
    assert "No pair reached the minimum score 1" in result.stderr
    assert "x:abutariq041 as a mirror of x:abutariq040" in result.stderr
    assert "Traceback" not in result.stderr
    suggested = re.search(r"--min-score ([0-9.]+)", result.stderr)
    assert suggested, result.stderr
    # the suggestion works: at that score the obvious return is listed
    again = cli("mirrors", "detect", "--min-score", suggested.group(1), "--format", "json")
    assert again.returncode == 0, again.stderr
    rows = json.loads(again.stdout)
    assert [(r["successor"], r["predecessor"]) for r in rows] == [("x:abutariq041", "x:abutariq040")]
    assert "No pair reached" not in again.stderr


def test_detect_on_an_empty_graph_says_to_load_first(graph, cli):
    result = cli("mirrors", "detect")
    assert result.returncode == 0, result.stderr
    assert "The graph has no accounts" in result.stderr and "graphkit load" in result.stderr


def test_detect_confirm_reject_speak_in_sentences(graph, cli, tmp_path):
    _tiny(graph, tmp_path)
    detected = cli("mirrors", "detect", "--min-score", "0.5", "--write")
    assert detected.returncode == 0, detected.stderr
    assert "Stored 1 candidate for an analyst's review" in detected.stderr
    assert "Compared 1 pair among 3 accounts" in detected.stderr
    for text in (detected.stderr, ):
        assert "{" not in text and "}" not in text and "oversized" not in text
        for line in text.splitlines():
            assert line.endswith("."), line
    confirmed = cli("mirrors", "confirm", "x:abutariq041", "x:abutariq040", "--note", "same name and bio")
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout.strip() == ("Recorded: x:abutariq041 is a mirror of x:abutariq040 (confirmed); "
                                        "the link now counts in `graphkit query mirror-chains`.")
    rejected = cli("mirrors", "reject", "x:unrelated_example", "x:abutariq040")
    assert rejected.returncode == 0, rejected.stderr
    assert rejected.stdout.strip() == ("Recorded: x:unrelated_example is not a mirror of x:abutariq040 "
                                       "(rejected); the detector will not propose this pair again.")
    rewritten = cli("mirrors", "detect", "--min-score", "0.01", "--write")
    assert "Stored 0 candidates" in rewritten.stderr


def _detection(scores):
    from types import SimpleNamespace

    from graphkit.mirrors.detect import BlockingStats, Detection

    account = SimpleNamespace
    links = [SimpleNamespace(score=s, successor=account(label=f"x:new{i}"), predecessor=account(label=f"x:old{i}"))
             for i, s in enumerate(scores)]
    return Detection(candidates=[], stats=BlockingStats(accounts=100, comparisons=len(scores)), links=links)


def test_the_suggested_score_is_a_useful_review_list():
    from graphkit.mirrors.detect import nothing_found_advice

    # a real export's shape: a few plausible pairs, then a long tail of noise
    advice = nothing_found_advice(_detection([0.52, 0.29, 0.07, 0.02] + [0.00007] * 30), 0.7)
    assert "the best score seen was 0.52 (x:new0 as a mirror of x:old0)" in advice
    assert "for a review list of the 4 best pairs, try `graphkit mirrors detect --min-score 0.01`" in advice
    # 20 pairs above 0.01: the 20th best score
    advice = nothing_found_advice(_detection([0.5] * 5 + [0.0345] * 15 + [0.02] * 10), 0.7)
    assert "the 20 best pairs, try `graphkit mirrors detect --min-score 0.03`" in advice
    # nothing reaches 0.01: the best score itself
    advice = nothing_found_advice(_detection([0.0049, 0.001]), 0.9)
    assert "No pair reached the minimum score 0.9" in advice
    assert "to see that pair, try `graphkit mirrors detect --min-score 0.004`" in advice
