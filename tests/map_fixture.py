"""A small hand-made graph for the map tests, written with parameterised Cypher (docs/model.md).

All names are invented. The expected map sizes are worked out by hand in the comments.

    Groups: TTP (name is hostile text), BLA
    Accounts (Account.key = platform:handle_norm):
      x:Alpha_News_Ex   active, 1,000 followers, TTP          (the account seed)
      x:Alpha_News_Ex2  active, 10 followers, TTP; MIRROR_OF {confirmed} -> x:Alpha_News_Ex
      telegram:beta_ex  removed, TTP; ADMINISTERS the channel; operated by operator OP-1
      x:<hostile handle> active, TTP; hostile display name, bio and url
      facebook:gamma_ex active, BLA
      x:rejected_ex     MIRROR_OF {rejected} -> x:Alpha_News_Ex   (never followed, never drawn)
    Channel telegram:ttp_channel_ex: TTP, 500 members; alpha POSTS_IN it, beta ADMINISTERS it
    Identifiers: phone:+923000000101 used by alpha and gamma; email:solo@example.org by alpha only
    Operator OP-1 OPERATES beta
    Report R-1 (hostile title): TTP, alpha and the channel are REPORTED_IN it

Edges of the map relationships (AFFILIATED_WITH, ADMINISTERS, POSTS_IN, USES, OPERATES, MIRROR_OF
except rejected):
    alpha-TTP, alpha2-TTP, beta-TTP, hostile-TTP, channel-TTP, gamma-BLA      (6 affiliations)
    alpha2->alpha (mirror), beta administers channel, alpha posts in channel
    alpha uses phone, gamma uses phone, alpha uses email, OP-1 operates beta
"""
from __future__ import annotations

HOSTILE_HANDLE = '"><svg onload=window.pwned=3>'
HOSTILE_NAME = "</script><script>window.pwned=1</script>"
HOSTILE_BIO = '<img src=x onerror="window.pwned=2"> {{7*7}} \u2028 end'
HOSTILE_URL = "javascript:alert(1)"
HOSTILE_GROUP_NAME = "{{7*7}}</h1><script>window.pwned=4</script>"
HOSTILE_REPORT = '</p><img src=x onerror="window.pwned=5">'

ACCOUNTS = [
    # key, platform, handle, status, followers, display_name, bio, url, group
    ("x:alpha_news_ex", "x", "Alpha_News_Ex", "active", 1000, "Alpha News (example)", "", "", "TTP"),
    ("x:alpha_news_ex2", "x", "Alpha_News_Ex2", "active", 10, "Alpha News 2", "", "", "TTP"),
    ("telegram:beta_ex", "telegram", "beta_ex", "removed", 0, "Beta", "", "", "TTP"),
    ("x:" + HOSTILE_HANDLE.casefold(), "x", HOSTILE_HANDLE, "active", 5, HOSTILE_NAME, HOSTILE_BIO,
     HOSTILE_URL, "TTP"),
    ("facebook:gamma_ex", "facebook", "gamma_ex", "active", 50, "Gamma", "", "", "BLA"),
    ("x:rejected_ex", "x", "rejected_ex", "active", 1, "Rejected", "", "", None),
]


def build(graph) -> None:
    graph.write(
        "CREATE (:Group {gid: 'TTP', name: $ttp_name, aliases: ['Tehrik-e-Taliban Pakistan']}), "
        "(:Group {gid: 'BLA', name: 'Balochistan Liberation Army'}), "
        "(:Report {rid: 'R-1', title: $report, date: date('2025-07-25')})",
        {"ttp_name": HOSTILE_GROUP_NAME, "report": HOSTILE_REPORT},
    )
    graph.write(
        "UNWIND $rows AS r "
        "CREATE (a:Account {key: r[0], platform: r[1], handle: r[2], status: r[3], followers: r[4], "
        "display_name: r[5], bio: r[6], url: r[7]}) "
        "WITH a, r WHERE r[8] IS NOT NULL "
        "MATCH (g:Group {gid: r[8]}) CREATE (a)-[:AFFILIATED_WITH {reports: ['R-1']}]->(g)",
        {"rows": [list(row) for row in ACCOUNTS]},
    )
    graph.write(
        "MATCH (ttp:Group {gid: 'TTP'}), (r1:Report {rid: 'R-1'}), "
        "(alpha:Account {key: 'x:alpha_news_ex'}), (alpha2:Account {key: 'x:alpha_news_ex2'}), "
        "(beta:Account {key: 'telegram:beta_ex'}), (gamma:Account {key: 'facebook:gamma_ex'}), "
        "(rej:Account {key: 'x:rejected_ex'}) "
        "CREATE (c:Channel {key: 'telegram:ttp_channel_ex', platform: 'telegram', name: 'ttp_channel_ex', "
        "        members: 500, status: 'active'})-[:AFFILIATED_WITH]->(ttp), "
        "(alpha2)-[:MIRROR_OF {status: 'confirmed', score: 0.93, method: 'handle+bio'}]->(alpha), "
        "(rej)-[:MIRROR_OF {status: 'rejected', score: 0.41}]->(alpha), "
        "(beta)-[:ADMINISTERS]->(c), (alpha)-[:POSTS_IN]->(c), "
        "(phone:Identifier {key: 'phone:+923000000101', kind: 'phone', value: '+923000000101'}), "
        "(email:Identifier {key: 'email:solo@example.org', kind: 'email', value: 'solo@example.org'}), "
        "(alpha)-[:USES]->(phone), (gamma)-[:USES]->(phone), (alpha)-[:USES]->(email), "
        "(:Operator {oid: 'OP-1', name: 'Operator One (example)'})-[:OPERATES]->(beta), "
        "(ttp)-[:REPORTED_IN]->(r1), (alpha)-[:REPORTED_IN]->(r1), (c)-[:REPORTED_IN]->(r1)"
    )


# -- mentions and retweets -------------------------------------------------------------------------
# A tiny tweet export (invented accounts), loaded by graphkit's own tweet loader so the map reads
# mentions exactly as they are stored. Posts that mention the other account of a pair, worked out
# by hand (a post counts once however often it names the account; self-mentions do not count):
#   Hub_Ex -> Ann_Ex   5 posts, 2 of them retweets (lines 2-6)   Ann_Ex -> Hub_Ex  2, 1 retweet (10-11)
#   Hub_Ex -> Ben_Ex   3 posts (lines 3, 7, 8)                    Ben_Ex -> Hub_Ex  1, NOT a retweet:
#       line 15 retweets @Hub_Ex2 and names @Hub_Ex after it ("RT @Hub_Ex2" starts like "RT @Hub_Ex")
#   Hub_Ex -> Cat_Ex   1 (line 9, which also names Hub_Ex itself)
#   Ann_Ex -> Dan_Ex   2 (lines 12, 13)        Ann_Ex -> Ben_Ex  1 (line 14)
#   Ben_Ex -> Hub_Ex2  2 retweets (lines 15, 16)                  Dan_Ex -> Eve_Ex  1 (line 17)
# Pairs, posts either way: hub-ann 7, hub-ben 4, ann-dan 2, ben-hub2 2, hub-cat 1, ann-ben 1, dan-eve 1
MENTION_HEADER = "name,username,description,location,followers,numberstatuses,time,tweets"
MENTION_ROWS = [
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:00", "RT @Ann_Ex: news one"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:01", "RT @ann_ex: news two @Ben_Ex"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:02", "see @Ann_Ex and @ann_ex again"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:03", "@Ann_Ex hello"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:04", "@Ann_Ex again"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:05", "@Ben_Ex one"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:06", "@Ben_Ex two"),
    ("Hub", "Hub_Ex", 900, "1/13/2015 10:07", "@Cat_Ex only once, and me: @Hub_Ex"),
    ("Ann", "Ann_Ex", 50, "1/14/2015 10:00", "@Hub_Ex thanks"),
    ("Ann", "Ann_Ex", 50, "1/14/2015 10:01", "RT @Hub_Ex: repost"),
    ("Ann", "Ann_Ex", 50, "1/14/2015 10:02", "@Dan_Ex hi"),
    ("Ann", "Ann_Ex", 50, "1/14/2015 10:03", "@Dan_Ex hi again"),
    ("Ann", "Ann_Ex", 50, "1/14/2015 10:04", "@Ben_Ex hi"),
    ("Ben", "Ben_Ex", 20, "1/15/2015 10:00", "RT @Hub_Ex2: hello @Hub_Ex"),
    ("Ben", "Ben_Ex", 20, "1/15/2015 10:01", "RT @Hub_Ex2: again"),
    ("Dan", "Dan_Ex", 5, "1/16/2015 10:00", "@Eve_Ex hi"),
]


def write_mentions_csv(path) -> None:
    """The export above as a CSV file (lines 2-17; line 1 is the header)."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(MENTION_HEADER.split(","))
        for name, user, followers, time, text in MENTION_ROWS:
            out.writerow([f"{name} (example)", user, "Fictional account, for tests", "", followers, 1, time, text])


def build_mentions(graph, folder) -> None:
    """Load the export above with graphkit's tweet loader."""
    from graphkit.ingest.engine import load

    path = folder / "mentions_example.csv"
    write_mentions_csv(path)
    summary = load(graph, [path], rejects=folder / "mentions.rejects.csv", progress=False)
    assert summary.totals()["rejected"] == 0
