"""`graphkit demo`: the main job runs end to end on a real server and can be re-run."""
from __future__ import annotations

import csv
import re
import json

from graphkit.ingest.engine import load


def _stats(cli):
    result = cli("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    return {row["kind"]: row["count"] for row in json.loads(result.stdout)}


def test_demo_loads_queries_maps_and_is_repeatable(graph, cli, tmp_path):
    result = cli("demo", "-o", str(tmp_path))  # not a terminal: one line per sentence
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    for title in ("Platform compliance", "footprint", "Shared operators", "Mirror chains", "Mirror candidates"):
        assert title in result.stdout
    _assert_sentences(result.stdout + result.stderr)
    assert "All 6,028 rows of the fictional report (8 files) loaded, none rejected." in result.stdout
    assert "Facebook was asked 200 times to take an account or channel down and removed 186 (93%)" in result.stdout
    assert "73 candidates were stored for an analyst's review." in result.stdout

    # compliance as the July 2025 press figures describe it: Facebook and TikTok over 90 %,
    # X and WhatsApp about 30 %
    with open(tmp_path / "platform-compliance.csv", encoding="utf-8") as fh:
        rates = {row["platform"]: float(row["compliance_rate"]) for row in csv.DictReader(fh)}
    assert rates["facebook"] > 0.9 and rates["tiktok"] > 0.9
    assert abs(rates["x"] - 0.3) <= 0.05 and abs(rates["whatsapp"] - 0.3) <= 0.05

    page = (tmp_path / "ttp-network.html").read_text(encoding="utf-8")
    # the page draws a network (not just the library text) of the size the demo reports
    assert "new vis.Network(container" in page
    drawn = re.search(r"A network map of TTP \(([\d,]+) points", result.stdout)
    assert drawn and int(drawn.group(1).replace(",", "")) >= 100
    assert "src=\"http" not in page and "href=\"http" not in page

    # the takedown loop ran once: 80 requests to X recorded (one draft report) and answered (one
    # answers report) on top of the synthetic report's 862
    assert "== The takedown loop, once" in result.stdout and (tmp_path / "briefing.html").is_file()
    assert (tmp_path / "takedowns-x-TTP" / "letter.html").is_file()
    _assert_forward_map(result.stdout, tmp_path)
    first = _stats(cli)
    # the Telegram step adds 3 accounts (the user a channel forwards, and the two handles the
    # posts mention: example_editor_desk, example_relay_archive) and 5 reports (one per export)
    assert first["accounts"] == 874 + 3 and first["reports"] == 3 + 5 and first["takedown_requests"] == 942
    again = cli("demo", "-o", str(tmp_path))
    assert again.returncode == 0, again.stderr[-3000:]
    assert _stats(cli) == first


def _assert_forward_map(stdout: str, folder) -> None:
    """The Telegram step: five exports loaded, their forward network drawn (graphkit/synth/telegram.py:
    6 channels, 1 forwarded user, 3 groups; 8 forward links and 4 affiliations)."""
    assert "== A Telegram export and its forward network" in stdout
    assert "The forward map (10 points and 12 lines) is in" in stdout
    assert all((folder / "telegram-export-seed0" / f"ChatExport_{name}" / "result.json").is_file()
               for name in ("TTP_Example_Bulletin", "TTP_Example_Wire", "Khorasan_Example_Voice",
                            "Baloch_Army_Example_Feed", "Frontier_Example_Digest"))
    page = (folder / "telegram-forwards.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    names = {n["id"]: n["name"].removeprefix("telegram:") for n in data["nodes"]}
    assert sorted(names.values()) == sorted([
        "TTP Example Bulletin", "TTP Example Wire", "Khorasan Example Voice", "Baloch Army Example Feed",
        "Frontier Example Digest", "Example Archive Relay", "5990000001", "TTP", "ISIS-K", "BLA"])
    forwards = sorted((names[e["from"]].split()[-1], names[e["to"]].split()[-1])
                      for e in data["edges"] if e["kind"] == "FORWARDED_FROM")
    assert forwards == [("Bulletin", "Relay"), ("Digest", "Bulletin"), ("Digest", "Feed"), ("Digest", "Voice"),
                        ("Feed", "5990000001"), ("Voice", "Relay"), ("Wire", "Bulletin"), ("Wire", "Voice")]
    assert "src=\"http" not in page and "href=\"http" not in page


def _assert_sentences(text: str) -> None:
    """What the demo prints reads as sentences: no Python dicts, no cut-off cells, no jargon; every
    line is a heading (``== ...``) or ends a sentence."""
    assert "{" not in text and "}" not in text, text
    assert "…" not in text and "oversized" not in text, text
    for line in text.splitlines():
        line = line.strip()
        assert not line or line.startswith("== ") or line.endswith((".", ":", "...")), line


TINY = "platform,handle,display_name\nx,field_case_example,A real case (example)\n"


def test_demo_refuses_a_graph_with_other_reports_unless_forced(graph, cli, tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    (case / "accounts.csv").write_text(TINY, encoding="utf-8")
    (case / "report.json").write_text(json.dumps({"id": "field-unit-2025-07-01"}), encoding="utf-8")
    load(graph, [case])
    before = _stats(cli)

    refused = cli("demo", "-o", str(tmp_path / "out"))
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert "already holds 1 other report (field-unit-2025-07-01)" in refused.stderr
    assert "--force" in refused.stderr
    assert _stats(cli) == before  # nothing loaded
    assert not (tmp_path / "out" / "synthetic-report-seed0").exists()

    forced = cli("demo", "-o", str(tmp_path / "out"), "--force")
    assert forced.returncode == 0, forced.stderr[-3000:]
    after = _stats(cli)
    # the field unit's report, the synthetic one, and the takedown loop's draft and answers
    assert after["reports"] == 4 + 5 and after["accounts"] == 874 + 1 + 3  # + the Telegram step's (above)
