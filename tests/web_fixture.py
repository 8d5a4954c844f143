"""The workbench tests' graph: the small bundle (tests/fixtures/bundle_small), one stored mirror
candidate (facebook:Khorasan.Voice.Example2, created 2025-05-25, after facebook:Khorasan.Voice.Example
was removed on 2025-05-22) and one hostile account (TTP) whose display name, bio and sighting excerpt
are markup and template syntax, with its own hostile candidate."""
from __future__ import annotations

from types import SimpleNamespace

from graphkit.mirrors import review

TOKEN = "test-token-" + "x" * 32
BASE = "http://127.0.0.1:8765"
HOSTILE_NAME = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">Abu {{7*7}}"
HOSTILE_BIO = "\"><svg onload=\"window.pwned=3\"></svg>{% raw %}${7*7}"
HOSTILE_EXCERPT = "<iframe src=\"javascript:window.pwned=4\"></iframe>bismillah <b>new</b> account"
HOSTILE_NOTE = "<img src=x onerror=\"window.pwned=5\">"
HOSTILES = (HOSTILE_NAME, HOSTILE_BIO, HOSTILE_EXCERPT)
CANDIDATE = ("facebook:Khorasan.Voice.Example2", "facebook:Khorasan.Voice.Example")


def build(graph, hostile: bool = True) -> None:
    """Add the candidate (and the hostile accounts) to the loaded bundle, through graphkit's API
    and parameterised Cypher."""
    if hostile:
        graph.write("""
MATCH (g:Group {gid: 'TTP'})
UNWIND $rows AS row
MERGE (a:Account {key: row.key})
SET a.platform = 'x', a.handle = row.handle, a.handle_norm = toLower(row.handle),
    a.display_name = $name, a.bio = $bio, a.status = row.status,
    a.created_at = datetime(row.created), a.removed_at = CASE WHEN row.removed IS NULL THEN NULL
    ELSE datetime(row.removed) END
MERGE (a)-[:AFFILIATED_WITH]->(g)
MERGE (s:Sighting {sid: row.sid})
SET s.observed_at = datetime(row.created) + duration('P1D'), s.excerpt = $excerpt, s.url = 'https://x.example.org/' + row.sid
MERGE (s)-[:OF]->(a)
""", {"name": HOSTILE_NAME, "bio": HOSTILE_BIO, "excerpt": HOSTILE_EXCERPT, "rows": [
            {"key": "x:hostile_example", "handle": "hostile_example", "status": "removed",
             "created": "2025-01-01T00:00:00Z", "removed": "2025-04-01T00:00:00Z", "sid": "H-1"},
            {"key": "x:hostile_example2", "handle": "hostile_example2", "status": "active",
             "created": "2025-04-03T00:00:00Z", "removed": None, "sid": "H-2"}]})
    found = [SimpleNamespace(successor_key="facebook:khorasan.voice.example2",
                             predecessor_key="facebook:khorasan.voice.example", score=0.93,
                             evidence="same display name; created 3 days after the removal")]
    if hostile:
        found.append(SimpleNamespace(successor_key="x:hostile_example2", predecessor_key="x:hostile_example",
                                     score=0.61, evidence=HOSTILE_EXCERPT))
    written = review.write_candidates(graph, found)
    assert written["written"] == len(found), written
