"""Issue 11, the loader as a newcomer met it: URLs in handle columns, removed accounts' dates,
exit codes, ambiguous dates, --group, option names. Expected values worked out by hand from the
small bundles written here."""
from __future__ import annotations

import json

import pytest

from graphkit.ingest.engine import load
from graphkit.ingest.plan import plan as plan_input
from graphkit.ingest.rejects import read_rejects

from helpers import FIXTURES
from loadutil import write_bundle

TWEETS = FIXTURES / "formats" / "tweets_small.csv"


def _keys(graph, label="Account"):
    return [r["k"] for r in graph.read(f"MATCH (n:{label}) RETURN n.key AS k ORDER BY k")]


def _rejects(path):
    return [(r["line"], r["column"], r["reason"]) for r in read_rejects(path)]


# ------------------------------------------------------------------ a URL where a handle goes
def test_a_url_in_a_handle_column_is_the_handle_in_it(graph, tmp_path):
    bundle = write_bundle(tmp_path / "urls", {
        "accounts.csv": "platform,handle\n"
                        "x,https://x.com/url_in_handle\n"
                        "telegram,t.me/some_tg_handle\n"
                        "x,https://facebook.com/someone\n"
                        ",https://www.instagram.com/example.insta/\n"
                        "telegram,https://t.me/+InviteCodeExample\n",
        "channels.csv": "platform,channel,admins\n"
                        "telegram,https://t.me/s/example_news,https://t.me/admin_example;plain_admin_example\n",
        "sightings.csv": "observed_at,platform,account\n2025-07-01,x,x.com/url_in_handle\n",
        "mirrors.csv": "platform,account,predecessor_platform,predecessor\n"
                       "x,https://twitter.com/url_in_handle_2,x,@url_in_handle\n",
    })
    rejects = tmp_path / "r.csv"
    summary = load(graph, [bundle], rejects=rejects)
    assert _keys(graph) == ["instagram:example.insta", "telegram:admin_example", "telegram:plain_admin_example",
                            "telegram:some_tg_handle", "x:url_in_handle", "x:url_in_handle_2"]
    assert _keys(graph, "Channel") == ["telegram:example_news"]
    assert graph.read("MATCH (:Sighting)-[:OF]->(a) RETURN a.key AS k") == [{"k": "x:url_in_handle"}]
    assert graph.read("MATCH (a:Account {key: 'x:url_in_handle'}) RETURN a.handle AS h") == [{"h": "url_in_handle"}]
    assert _rejects(rejects) == [
        ("4", "handle", "handle is a facebook URL but platform is x: 'https://facebook.com/someone'"),
        ("6", "handle", "handle is an invite link, not an account: 'https://t.me/+InviteCodeExample'"),
    ]
    assert read_rejects(rejects)[0]["file"] == "urls/accounts.csv"
    assert summary.totals()["rejected"] == 2


# ------------------------------------------------------------------ removed accounts' dates
def test_a_removed_account_is_not_seen_on_the_report_date(graph, tmp_path):
    bundle = write_bundle(tmp_path / "gone", {
        "report.json": json.dumps({"id": "gone-1", "date": "2025-07-25"}),
        "accounts.csv": "platform,handle,status\n"
                        "x,gone_example,removed\n"
                        "x,live_example,active\n"
                        "x,quiet_gone_example,suspended\n"
                        "x,listed_example,\n",
        "sightings.csv": "observed_at,platform,account\n"
                         "2025-07-01T10:00:00Z,x,gone_example\n"
                         "2025-07-02T10:00:00Z,x,live_example\n",
    })
    load(graph, [bundle])
    seen = {r["k"]: (r["f"], r["l"]) for r in graph.read(
        "MATCH (a:Account) RETURN a.key AS k, toString(a.first_seen) AS f, toString(a.last_seen) AS l")}
    assert seen == {
        "x:gone_example": ("2025-07-01T10:00:00Z", "2025-07-01T10:00:00Z"),  # its sighting only
        "x:live_example": ("2025-07-02T10:00:00Z", "2025-07-25T00:00:00Z"),  # listed as active on the 25th
        "x:quiet_gone_example": (None, None),  # said to be suspended, never seen
        "x:listed_example": ("2025-07-25T00:00:00Z", "2025-07-25T00:00:00Z"),  # listed: present that day
    }


# ------------------------------------------------------------------ exit codes
CLEAN = {"accounts.csv": "platform,handle\nx,clean_example\n"}
ONE_BAD = {"accounts.csv": "platform,handle,followers\nx,clean_example,1\nx,bad_example,-3\n"}


def test_exit_0_only_when_every_row_loaded_and_3_with_rejects(graph, cli, tmp_path):
    clean = cli("load", str(write_bundle(tmp_path / "clean", CLEAN)))
    assert clean.returncode == 0, clean.stderr
    assert "rejected;" not in clean.stderr
    bad = write_bundle(tmp_path / "bad", ONE_BAD)
    partial = cli("load", str(bad))
    assert partial.returncode == 3, partial.stderr
    assert f"1 row was rejected; see {tmp_path / 'bad.rejects.csv'}" in partial.stderr
    assert graph.read("MATCH (a:Account) RETURN a.key AS k ORDER BY k") == [{"k": "x:clean_example"}]
    dry = cli("load", str(bad), "--dry-run")
    assert dry.returncode == 3 and "1 row was rejected" in dry.stderr
    missing = cli("load", str(write_bundle(tmp_path / "nohandle", {"accounts.csv": "platform,bio\nx,hi\n"})))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_help_documents_the_exit_codes_and_input_format(cli):
    text = cli("load", "--help").stdout
    assert "3  the load finished, but some rows were rejected" in text
    assert "--input-format NAME" in text and "--format [table|csv|json]" in text
    assert "--date-order [dmy|mdy|ymd]" in text and "--group ID" in text


# ------------------------------------------------------------------ option names
def test_format_is_the_output_format_and_input_format_the_input(graph, cli, tmp_path):
    bundle = write_bundle(tmp_path / "clean", CLEAN)
    as_json = cli("load", str(bundle), "--input-format", "bundle", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)[-1]["file"] == "TOTAL"
    as_csv = cli("load", str(bundle), "--format", "csv")
    assert as_csv.stdout.splitlines()[0] == "file,table,read,created,updated,unchanged,rejected"
    old = cli("load", str(bundle), "--format", "bundle")  # what --format meant on load before
    assert old.returncode == 0, old.stderr
    assert "--format on load is now --input-format" in old.stderr
    assert old.stdout.split()[:2] == ["file", "table"]
    unknown = cli("load", str(bundle), "--input-format", "nosuch")
    assert unknown.returncode == 1 and "unknown format 'nosuch'" in unknown.stderr


# ------------------------------------------------------------------ ambiguous dates
AMBIGUOUS = {"sightings.csv": "observed_at,platform,account\n"
                              "1/6/2015 21:07,x,example_one\n"
                              "13/6/2015 10:00,x,example_one\n"
                              "2015-06-02T10:00:00Z,x,example_one\n"}


def test_an_ambiguous_date_is_rejected_with_a_hint(graph, tmp_path):
    rejects = tmp_path / "r.csv"
    load(graph, [write_bundle(tmp_path / "dates", AMBIGUOUS)], rejects=rejects)
    assert [(line, column) for line, column, _ in _rejects(rejects)] == [("2", "observed_at")]
    reason = _rejects(rejects)[0][2]
    assert "ambiguous date '1/6/2015 21:07'" in reason and "1 June or 6 January" in reason
    assert "--date-order" in reason
    times = [r["t"] for r in graph.read("MATCH (s:Sighting) RETURN toString(s.observed_at) AS t ORDER BY t")]
    assert times == ["2015-06-02T10:00:00Z", "2015-06-13T10:00:00Z"]


@pytest.mark.parametrize("order, first", [("dmy", "2015-06-01T21:07:00Z"), ("mdy", "2015-01-06T21:07:00Z")])
def test_a_declared_date_order_reads_it(graph, tmp_path, order, first):
    summary = load(graph, [write_bundle(tmp_path / "dates", AMBIGUOUS)], date_order=order, rejects=tmp_path / "r.csv")
    times = [r["t"] for r in graph.read("MATCH (s:Sighting) RETURN toString(s.observed_at) AS t ORDER BY t")]
    if order == "dmy":
        assert times == ["2015-06-01T21:07:00Z", "2015-06-02T10:00:00Z", "2015-06-13T10:00:00Z"]
        assert summary.totals()["rejected"] == 0
    else:  # 13/6/2015 is no date in month-first order
        assert times == [first, "2015-06-02T10:00:00Z"]
        assert _rejects(tmp_path / "r.csv")[0][:2] == ("3", "observed_at")


def test_cli_date_order_and_the_tweet_mapping_declares_month_first(graph, cli, tmp_path):
    result = cli("load", str(write_bundle(tmp_path / "dates", AMBIGUOUS)), "--date-order", "dmy")
    assert result.returncode == 0, result.stderr
    assert plan_input(TWEETS, None, None, []).date_order == "mdy"
    assert plan_input(TWEETS, None, None, [], date_order="dmy").date_order == "dmy"
    assert plan_input(tmp_path / "dates", None, None, []).date_order is None


# ------------------------------------------------------------------ --group
def test_group_ties_an_export_to_a_group_and_its_footprint(graph, cli, tmp_path):
    from graphkit.queries import library as queries

    result = cli("load", str(TWEETS), "--group", "ISIS", "--rejects", str(tmp_path / "r.csv"))
    assert result.returncode == 3, result.stderr  # the fixture has 3 bad rows
    assert "ISIS is not a group graphkit knows" in result.stderr
    # the three account rows loaded (Example_Five's was rejected); accounts only mentioned are not tied
    assert [r["k"] for r in graph.read("MATCH (a:Account)-[:AFFILIATED_WITH]->(:Group {gid: 'ISIS'}) "
                                       "RETURN a.key AS k ORDER BY k")] == [
        "x:" + "`" * 30, "x:example_one", "x:example_three"]
    rows, _ = queries.run(graph, "group-footprint", {"group": "ISIS"})
    assert [(r["platform"], r["accounts"], r["followers"]) for r in rows] == [("x", 3, 121 + 0 + 5)]


def test_group_keeps_a_rows_own_group(graph, tmp_path):
    bundle = write_bundle(tmp_path / "g", {
        "accounts.csv": "platform,handle,group_id\nx,own_group_example,BLA\nx,no_group_example,\n",
        "channels.csv": "platform,channel\ntelegram,no_group_channel\n"})
    load(graph, [bundle], group="Tehrik-i-Taliban")
    ties = graph.read("MATCH (n)-[:AFFILIATED_WITH]->(g:Group) RETURN n.key AS n, g.gid AS g ORDER BY n")
    assert ties == [{"n": "telegram:no_group_channel", "g": "TTP"}, {"n": "x:no_group_example", "g": "TTP"},
                    {"n": "x:own_group_example", "g": "BLA"}]
