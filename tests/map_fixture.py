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
