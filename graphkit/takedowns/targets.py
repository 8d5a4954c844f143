"""Which accounts a takedown draft is about, and what the graph knows of each.

A selection is a group's accounts on one platform, the accounts named in a canned query's rows, or
a list in a file (one ``PLATFORM:HANDLE`` or profile URL a line). ``details`` reads, per account,
what a platform needs: the grounds (each designation of its groups), the evidence (its latest
sightings), its earlier requests, and the removed predecessor it mirrors, if any.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import TakedownError
from graphkit.ingest import values as nz
from graphkit.ingest.statements import N
from graphkit.model.spec import model
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE

EVIDENCE_LIMIT = 5       # sightings quoted per target, newest first
EXCERPT_LIMIT = 200      # characters of a post quoted in the evidence
CHAIN_DEPTH = 10         # mirror links followed back to a removed predecessor
GONE = tuple(model().gone)  # graphkit/model/model.yaml
_ACCOUNT_RE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.+?)\s*$")
_GROUP_COLUMNS = {"group", "groups", "gid", "group_id", "group_ids"}


@dataclass
class Selection:
    """Account keys chosen on the platform, and those left out before any detail is read."""

    keys: list[str] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)   # (what, reason)
    subject: str = ""


def platform_name(text: str) -> str:
    try:
        name = nz.platform(text)
    except ValueError:
        name = None
    if not name:
        raise TakedownError(f"unknown platform {text!r}",
                            hint="Use one of: " + ", ".join(nz.PLATFORMS) + ".")
    return name


def by_group(graph, platform: str, group: str) -> Selection:
    gid = nz.group_id(group) or ""
    rows = graph.read(
        f"MATCH (g:{N['Group']}) WHERE g.gid = $gid OR g.gid = toUpper($name) "
        "OR $name IN coalesce(g.aliases, []) "
        f"OPTIONAL MATCH (a:{N['Account']} {{platform: $platform}})-[:{N['AFFILIATED_WITH']}]->(g) "
        "RETURN g.gid AS gid, collect(DISTINCT a.key) AS keys",
        {"gid": gid, "name": group.strip(), "platform": platform})
    if not rows:
        known = [r["gid"] for r in graph.read(f"MATCH (g:{N['Group']}) RETURN g.gid AS gid ORDER BY gid LIMIT 20")]
        raise TakedownError(f"no group {group!r} in the graph",
                            hint="Known groups: " + (", ".join(known) if known else "none (load a report first)"))
    keys = sorted({k for r in rows for k in r["keys"]})
    return Selection(keys=keys, subject=f"group {', '.join(r['gid'] for r in rows)}")


def _refs_in_rows(rows: list[dict]) -> set[tuple[str, str]]:
    refs = set()
    for row in rows:
        for column, value in row.items():
            if str(column).lower() in _GROUP_COLUMNS:
                continue
            for item in value if isinstance(value, (list, tuple)) else [value]:
                match = _ACCOUNT_RE.match(item) if isinstance(item, str) else None
                if match and match.group(1).lower() in nz.PLATFORMS:
                    refs.add((match.group(1).lower(), nz.handle(match.group(2)) or ""))
    return refs


def _find(graph, refs: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """(platform, handle_norm) -> {key, platform} of the account it names (by key or handle)."""
    found = graph.read(
        "UNWIND $rows AS row "
        f"MATCH (a:{N['Account']}) WHERE a.key = row.p + ':' + row.h "
        "   OR (a.platform = row.p AND a.handle_norm = row.h) "
        "RETURN row.p AS p, row.h AS h, min(a.key) AS key, min(a.platform) AS platform",
        {"rows": [{"p": p, "h": h} for p, h in refs]})
    return {(r["p"], r["h"]): r for r in found}


def by_query(graph, platform: str, name: str, params: dict) -> Selection:
    from graphkit.queries import library as queries

    rows, _ = queries.run(graph, name, params)
    refs = sorted(r for r in _refs_in_rows(rows) if r[0] == platform)
    found = _find(graph, refs) if refs else {}
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    return Selection(keys=sorted({f["key"] for f in found.values()}),
                     subject=f"query {name}" + (f" ({shown})" if shown else ""))


def _parse_line(text: str) -> tuple[str, str] | None:
    try:
        if "/" in text:
            parsed = nz.parse_url(text)
            if parsed and parsed[2] in ("handle", "channel"):
                return parsed[0], nz.handle(parsed[1]) or ""
            return None
        match = _ACCOUNT_RE.match(text)
        if not match:
            return None
        return nz.platform(match.group(1)), nz.handle(match.group(2)) or ""
    except ValueError:
        return None


def from_file(graph, platform: str, path) -> Selection:
    """One ``PLATFORM:HANDLE`` or profile URL a line (blank lines and ``#`` comments skipped)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TakedownError(f"cannot read the accounts file {path}: {getattr(exc, 'strerror', None) or exc}",
                            hint="Give a UTF-8 text file with one PLATFORM:HANDLE or profile URL a line.") from None
    selection = Selection(subject=f"the accounts listed in {path.name}")
    wanted: dict[tuple[str, str], str] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        ref = _parse_line(text)
        if ref is None or not ref[1]:
            selection.excluded.append((f"line {number}: {text}", "not an account (PLATFORM:HANDLE or profile URL)"))
        elif ref[0] != platform:
            selection.excluded.append((f"line {number}: {text}", f"not on {platform}"))
        else:
            wanted.setdefault(ref, f"line {number}: {text}")
    found = _find(graph, sorted(wanted)) if wanted else {}
    for ref, where in wanted.items():
        if ref in found:
            selection.keys.append(found[ref]["key"])
        else:
            selection.excluded.append((where, "not in the graph"))
    selection.keys = sorted(set(selection.keys))
    return selection


def with_mirrors(graph, platform: str) -> Selection:
    """Every account on ``platform`` that mirrors another (the --reappeared pool)."""
    rows = graph.read(f"MATCH (a:{N['Account']} {{platform: $platform}})-[:{N['MIRROR_OF']}]->() "
                      "RETURN DISTINCT a.key AS key ORDER BY key", {"platform": platform})
    return Selection(keys=[r["key"] for r in rows], subject="accounts that came back after a removal")


def _details_query() -> str:
    acc, grp, aut, sig, tdr, plat = (N[x] for x in ("Account", "Group", "Authority", "Sighting",
                                                     "TakedownRequest", "Platform"))
    aff, des, of, tgt, sent, mir = (N[x] for x in ("AFFILIATED_WITH", "DESIGNATED_BY", "OF", "TARGETS",
                                                    "SENT_TO", "MIRROR_OF"))
    return f"""
UNWIND $keys AS key
MATCH (a:{acc} {{key: key}})
RETURN a.key AS key, a.platform AS platform, a.handle AS handle, a.url AS url, a.platform_id AS platform_id,
  a.display_name AS display_name, a.status AS status, a.followers AS followers,
  a.first_seen AS first_seen, a.last_seen AS last_seen,
  COLLECT {{ MATCH (a)-[:{aff}]->(g:{grp}) RETURN g.gid ORDER BY g.gid }} AS groups,
  COLLECT {{ MATCH (a)-[:{aff}]->(g:{grp})-[d:{des}]->(au:{aut})
            RETURN {{group: g.gid, group_name: g.name, authority: au.code, program: d.program,
                     reference: d.reference, listed_on: d.listed_on}} AS ground
            ORDER BY g.gid, au.code, d.reference }} AS grounds,
  COLLECT {{ MATCH (s:{sig})-[:{of}]->(a) WHERE s.url IS NOT NULL OR s.excerpt IS NOT NULL
            RETURN {{observed_at: s.observed_at, url: s.url, excerpt: s.excerpt}} AS e
            ORDER BY s.observed_at DESC, s.sid LIMIT {EVIDENCE_LIMIT} }} AS evidence,
  COLLECT {{ MATCH (t:{tdr})-[:{tgt}]->(a) OPTIONAL MATCH (t)-[:{sent}]->(p:{plat})
            RETURN {{request_id: t.tid, platform: p.name, requested_at: t.requested_at, status: t.status,
                     resolved_at: t.resolved_at}} AS r ORDER BY t.requested_at, t.tid }} AS requests,
  COLLECT {{ MATCH path = (a)-[:{mir}*1..{CHAIN_DEPTH}]->(p:{acc})
            WHERE p.status IN $gone AND p.key <> a.key
              AND all(r IN relationships(path) WHERE r.status = 'confirmed'
                      OR (coalesce(r.status, 'candidate') = 'candidate' AND r.score >= $min_score))
            RETURN {{predecessor: p.platform + ':' + coalesce(p.handle, p.key), removed_at: p.removed_at,
                     chain: reverse([n IN nodes(path) | n.platform + ':' + coalesce(n.handle, n.key)]),
                     after_request: EXISTS {{ MATCH (t:{tdr})-[:{tgt}]->(p)
                                             WHERE p.removed_at IS NULL OR t.requested_at <= p.removed_at }}}} AS m
            ORDER BY length(path), p.key LIMIT 1 }} AS came_back
ORDER BY key
"""


def details(graph, keys: list[str], min_score: float = DEFAULT_MIN_SCORE) -> list[dict]:
    if not keys:
        return []
    return graph.read(_details_query(), {"keys": keys, "gone": list(GONE), "min_score": float(min_score)})
