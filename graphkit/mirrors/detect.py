"""Mirror-account detection: candidates with evidence, chains, and the analyst's review loop.

``detect(graph)`` reads the accounts once, groups them into small blocks that share a key (folded
handle, its consonants, display name, bio, avatar hash, a link or other specific identifier, an
administered channel), scores only pairs inside a block (mirror_signals), and returns candidate
links ``successor -> predecessor``. Blocks larger than ``max_block`` are hubs (a common name, a
group logo used by hundreds) and are skipped, so the work grows about linearly with the accounts.

``write_candidates`` stores them as ``(successor)-[:MIRROR_OF {status: 'candidate'}]->(predecessor)``
without touching a link an analyst decided; ``decide`` records ``confirmed``/``rejected``. Decided
pairs (either direction) are never proposed again.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import combinations

from graphkit.mirrors import lookalike
from graphkit.ingest import values as normalize
from graphkit.errors import MirrorError
from graphkit.mirrors.signals import (
    DEFAULT_MIN_SCORE,
    base_factor,
    IDENTIFIER_KINDS,
    AccountView,
    Frequencies,
    PairScore,
    parse_time,
    prepare,
    score_pair,
)
from graphkit.model.spec import model

MAX_BLOCK = 40
STATUSES = ("candidate", "confirmed", "rejected")


# ------------------------------------------------------------------ reading the graph

def _labels():
    m = model()
    return m.node("Account").label, m.rel("MIRROR_OF").type


def _fetch_query() -> str:
    m = model()
    acc, grp, chan, ident = (m.node(x).label for x in ("Account", "Group", "Channel", "Identifier"))
    aff, uses, adm, posts = (m.rel(x).type for x in ("AFFILIATED_WITH", "USES", "ADMINISTERS", "POSTS_IN"))
    return f"""
MATCH (a:{acc})
RETURN a.key AS key, a.platform AS platform, a.handle AS handle, a.display_name AS display_name,
       a.bio AS bio, a.status AS status, a.created_at AS created_at, a.removed_at AS removed_at,
       a.first_seen AS first_seen, a.last_seen AS last_seen,
       COLLECT {{ MATCH (a)-[:{aff}]->(g:{grp}) RETURN g.gid }} AS groups,
       COLLECT {{ MATCH (a)-[:{uses}]->(i:{ident}) WHERE i.kind IN $kinds RETURN i.key }} AS identifiers,
       COLLECT {{ MATCH (a)-[:{adm}]->(c:{chan}) RETURN c.key }} AS admin_channels,
       COLLECT {{ MATCH (a)-[:{posts}]->(c:{chan}) RETURN c.key }} AS post_channels
"""


def view_from_row(row: dict) -> AccountView:
    """An AccountView from one row of the account query (or a plain dict with the same keys)."""
    identifiers: dict[str, set] = defaultdict(set)
    for key in row.get("identifiers") or ():
        kind, _, value = key.partition(":")
        identifiers[kind].add(value)
    platform = row.get("platform") or (row["key"].split(":", 1)[0])
    handle = row.get("handle") or row["key"].split(":", 1)[-1]
    return prepare(AccountView(
        key=row["key"], platform=platform, handle=handle,
        display_name=row.get("display_name"), bio=row.get("bio"), status=row.get("status"),
        created_at=parse_time(row.get("created_at")), removed_at=parse_time(row.get("removed_at")),
        first_seen=parse_time(row.get("first_seen")), last_seen=parse_time(row.get("last_seen")),
        groups=frozenset(row.get("groups") or ()), identifiers=dict(identifiers),
        admin_channels=frozenset(row.get("admin_channels") or ()),
        post_channels=frozenset(row.get("post_channels") or ()),
    ))


def fetch_accounts(graph) -> list[AccountView]:
    rows = graph.read(_fetch_query(), {"kinds": list(IDENTIFIER_KINDS)})
    return [view_from_row(r) for r in rows if r.get("key")]


def fetch_decisions(graph) -> dict[tuple[str, str], str]:
    """Existing MIRROR_OF links: (successor key, predecessor key) -> status."""
    acc, rel = _labels()
    rows = graph.read(f"MATCH (s:{acc})-[r:{rel}]->(p:{acc}) RETURN s.key AS s, p.key AS p, "
                      "coalesce(r.status, 'candidate') AS status")
    return {(r["s"], r["p"]): r["status"] for r in rows}


# ------------------------------------------------------------------ blocking

def blocking_keys(acc: AccountView) -> set[str]:
    """The keys under which ``acc`` is filed; two accounts are compared only if they share one."""
    keys = set()
    for base in acc.forms.bases:
        if len(base) >= 4:
            keys.add("hb:" + base)
    core = lookalike.core_base(acc.forms)
    consonants = lookalike.consonant_key(core)
    if len(consonants) >= 4:
        keys.add("hc:" + consonants)
    if len(core) >= 7:
        keys.add("hp:" + core[:6])
    digits = "".join(ch for ch in acc.forms.full if ch.isdigit())
    if len(digits) >= 2 and len(core) >= 3:
        keys.add(f"hd:{core[:3]}{digits[-3:]}")  # stem head + counter tail (kahani760 ~ kahan1760)
    if acc.name_sk:
        squashed = acc.name_sk.replace(" ", "")
        if len(squashed) >= 4:
            keys.add("hb:" + lookalike.fold(squashed))  # a name that is the old handle
            keys.add("n:" + acc.name_sk)
        for token in acc.name_sk.split():
            if len(token) >= 5:
                keys.add("nt:" + token)
    if len(acc.bio_tokens) >= 3:
        keys.add("b:" + acc.bio_sk)
    for kind, values in acc.identifiers.items():
        keys.update(f"i:{kind}:{v}" for v in values)
    keys.update("l:" + link for link in acc.links())
    keys.update("ca:" + c for c in acc.admin_channels)
    return keys


@dataclass
class BlockingStats:
    accounts: int = 0
    blocks: int = 0
    hub_blocks: int = 0
    comparisons: int = 0


def candidate_pairs(accounts: list[AccountView], max_block: int = MAX_BLOCK,
                    stats: BlockingStats | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a blocking key in a block of at most ``max_block`` accounts."""
    stats = stats if stats is not None else BlockingStats()
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, acc in enumerate(accounts):
        for key in blocking_keys(acc):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    stats.accounts = len(accounts)
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            stats.hub_blocks += 1
            continue
        stats.blocks += 1
        pairs.update(combinations(members, 2))  # members are in increasing order
    stats.comparisons = len(pairs)
    return pairs


def frequencies(accounts: list[AccountView]) -> Frequencies:
    freq = Frequencies()
    for acc in accounts:
        for base in acc.forms.bases:
            freq.add("hbase:" + base)
        if acc.name_sk:
            freq.add(acc.name_key)
        if acc.bio_sk:
            freq.add("bio:" + acc.bio_sk)
        for kind, values in acc.identifiers.items():
            for v in values:
                freq.add(f"{kind}:{v}")
        for link in acc.links():
            freq.add(link)
        for c in acc.admin_channels | acc.post_channels:
            freq.add("chan:" + c)
    return freq


# ------------------------------------------------------------------ detection

@dataclass
class Candidate:
    successor: str       # PLATFORM:HANDLE
    predecessor: str
    successor_key: str
    predecessor_key: str
    score: float
    evidence: str
    signals: list = field(default_factory=list)
    chain_head: str = ""

    def row(self, structured: bool = False) -> dict:
        row = {"successor": self.successor, "predecessor": self.predecessor, "score": round(self.score, 3),
               "evidence": self.evidence, "chain_head": self.chain_head}
        if structured:
            row["signals"] = self.signals
        return row


@dataclass
class Detection:
    candidates: list[Candidate]
    stats: BlockingStats
    links: list[PairScore]  # every scored pair kept after the one-predecessor rule, before min_score


def _check_score(min_score: float) -> float:
    try:
        value = float(min_score)
    except (TypeError, ValueError):
        value = -1
    if not 0.0 <= value <= 1.0:
        raise MirrorError(f"--min-score must be a number between 0 and 1, not {min_score!r}",
                          hint=f"The default {DEFAULT_MIN_SCORE} keeps candidates expected to be right "
                          "at least 9 times in 10.")
    return value


def detect_accounts(accounts: list[AccountView], min_score: float = DEFAULT_MIN_SCORE,
                    decisions: dict[tuple[str, str], str] | None = None,
                    max_block: int = MAX_BLOCK, progress: bool | None = False) -> Detection:
    """Candidates among ``accounts`` (no database needed: the benchmark calls this directly).

    ``progress``: a progress bar over the compared pairs on stderr (None: only when stderr is a
    terminal).

    Each successor keeps one predecessor (``pick_predecessor``), so a chain A -> B -> C yields the
    links B->A and C->B, not also C->A. Pairs with a decided link in either direction are left out.
    """
    min_score = _check_score(min_score)
    decisions = decisions or {}
    decided = {frozenset(pair) for pair, status in decisions.items() if status in ("confirmed", "rejected")}
    stats = BlockingStats()
    pairs = candidate_pairs(accounts, max_block=max_block, stats=stats)
    freq = frequencies(accounts)
    for acc in accounts:
        acc.base_factors = tuple(base_factor(freq, b) for b in acc.forms.bases)
    options: dict[str, list[PairScore]] = defaultdict(list)
    for i, j in _with_bar(pairs, progress):
        a, b = accounts[i], accounts[j]
        if a.key == b.key or frozenset((a.key, b.key)) in decided:
            continue
        scored = score_pair(a, b, freq)
        options[scored.successor.key].append(scored)
    links = sorted((pick_predecessor(found) for found in options.values()),
                   key=lambda p: (-p.score, p.successor.key))
    kept = [p for p in links if p.score >= min_score]
    heads = chain_heads([(p.successor, p.predecessor) for p in kept]
                        + _confirmed_edges(accounts, decisions))
    candidates = [
        Candidate(successor=p.successor.label, predecessor=p.predecessor.label,
                  successor_key=p.successor.key, predecessor_key=p.predecessor.key, score=p.score,
                  evidence=p.evidence, signals=[s.as_dict() for s in p.signals if s.weight != 0],
                  chain_head=heads.get(p.successor.key, p.successor.label))
        for p in kept
    ]
    return Detection(candidates=candidates, stats=stats, links=links)


def _with_bar(pairs, progress: bool | None):
    """``pairs``, counted on a tqdm bar on stderr when ``progress`` (None: stderr is a terminal)."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        yield from pairs
        return
    from tqdm import tqdm

    with tqdm(pairs, total=len(pairs), desc="comparing accounts", unit=" pairs", file=sys.stderr,
              leave=False) as bar:
        yield from bar


CHAIN_FLOOR = 0.5
CHAIN_MARGIN = 0.2  # a chain member scoring within this of the best pair is a contender


def pick_predecessor(found: list[PairScore]) -> PairScore:
    """The direct predecessor of one successor among its scored pairs.

    In a chain A -> B -> C every member copies the same identity, so C scores about as high with
    A as with B. The direct predecessor is the most recent one: among the pairs scoring at least
    CHAIN_FLOOR and within CHAIN_MARGIN of the best, a removed predecessor before a live one, and
    the one removed (else appeared) last;
    otherwise simply the best pair.
    """
    best = max(found, key=lambda p: p.score)
    plausible = [p for p in found if p.score >= max(CHAIN_FLOOR, best.score - CHAIN_MARGIN)]
    if not plausible:
        return best
    far_past = datetime.min.replace(tzinfo=timezone.utc)
    # a removed predecessor before a live one (a mirror replaces a removed account; two live
    # look-alikes are siblings), then the most recent
    return max(plausible, key=lambda p: (p.predecessor.end is not None,
                                         p.predecessor.end or p.predecessor.start or far_past, p.score))


def _confirmed_edges(accounts, decisions):
    by_key = {a.key: a for a in accounts}
    edges = []
    for (s, p), status in decisions.items():
        if status == "confirmed" and s in by_key and p in by_key:
            edges.append((by_key[s], by_key[p]))
    return edges


def chain_heads(edges: list[tuple[AccountView, AccountView]]) -> dict[str, str]:
    """For every account in a chain (successor, predecessor edges): the chain's head, i.e. its
    newest live account (not removed/suspended; latest start), as PLATFORM:HANDLE."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    nodes: dict[str, AccountView] = {}
    for s, p in edges:
        nodes[s.key], nodes[p.key] = s, p
        parent[find(s.key)] = find(p.key)
    members: dict[str, list[AccountView]] = defaultdict(list)
    for key, acc in nodes.items():
        members[find(key)].append(acc)
    far_past = datetime.min.replace(tzinfo=timezone.utc)
    heads = {}
    for group in members.values():
        def rank(a: AccountView):
            live = a.end is None and (a.status or "active") not in ("removed", "suspended")
            return (live, a.start or far_past, a.key)
        head = max(group, key=rank)
        for acc in group:
            heads[acc.key] = head.label
    return heads


def chains(edges: list[tuple[AccountView, AccountView]]) -> list[list[AccountView]]:
    """Chains as lists ordered predecessor -> successor (one list per connected set of links,
    ordered by appearance)."""
    heads = chain_heads(edges)
    nodes = {}
    for s, p in edges:
        nodes[s.key], nodes[p.key] = s, p
    grouped = defaultdict(list)
    for key, acc in nodes.items():
        grouped[heads[key]].append(acc)
    far_past = datetime.min.replace(tzinfo=timezone.utc)
    return [sorted(g, key=lambda a: (a.start or far_past, a.key)) for g in grouped.values()]


def detect(graph, min_score: float = DEFAULT_MIN_SCORE, limit: int | None = None,
           max_block: int = MAX_BLOCK, progress: bool | None = None) -> Detection:
    """Read the graph and return mirror candidates (best first); ``progress`` as in
    ``detect_accounts`` (default: a bar only when stderr is a terminal)."""
    min_score = _check_score(min_score)
    if limit is not None and limit < 0:
        raise MirrorError("--limit must be 0 or more", hint="Leave it out to list every candidate.")
    accounts = fetch_accounts(graph)
    result = detect_accounts(accounts, min_score=min_score, decisions=fetch_decisions(graph),
                             max_block=max_block, progress=progress)
    if limit:
        result.candidates = result.candidates[:limit]
    return result


# ------------------------------------------------------------------ what the detector says

REVIEW_LIST = 20  # pairs a suggested lower --min-score should bring up


def stats_sentence(stats: BlockingStats) -> str:
    """How much work the detector did, in words."""
    text = (f"Compared {stats.comparisons:,} pair{'' if stats.comparisons == 1 else 's'} among "
            f"{stats.accounts:,} account{'' if stats.accounts == 1 else 's'} (only accounts that share "
            "a handle stem, a name, a bio, an identifier or a channel are compared)")
    if stats.hub_blocks:
        text += (f"; {stats.hub_blocks:,} such value{' was' if stats.hub_blocks == 1 else 's were'} shared by "
                 f"more than {MAX_BLOCK} accounts (a common word, a group logo) and not used to pair accounts")
    return text + "."


def _floor(score: float) -> str:
    """``score`` rounded down to the first decimals that keep it above 0 (0.0734 -> 0.07)."""
    for digits in range(2, 7):
        step = 10 ** digits
        value = int(score * step) / step
        if value > 0:
            return f"{value:.{digits}f}"
    return "0"


REVIEW_FLOOR = 0.01  # below this a suggested review list is mostly noise (docs/mirrors.md: 0.01-0.05)


def nothing_found_advice(detection: Detection, min_score: float) -> str:
    """Why there are no candidates and what to try: the best score seen and a lower --min-score
    (the score of the REVIEW_LIST-th best pair, but not under REVIEW_FLOOR unless nothing is above it)."""
    if not detection.stats.accounts:
        return "The graph has no accounts, so there is nothing to compare: load a report first (`graphkit load`)."
    if not detection.links:
        return (f"No two of the {detection.stats.accounts:,} accounts share anything the detector compares, "
                "so no pair is proposed at any score.")
    best = detection.links[0]
    review = detection.links[min(REVIEW_LIST, len(detection.links)) - 1].score
    suggested = _floor(max(review, REVIEW_FLOOR) if best.score >= REVIEW_FLOOR else best.score)
    shown = sum(1 for link in detection.links if link.score >= float(suggested))
    what = f"for a review list of the {shown} best pairs" if shown > 1 else "to see that pair"
    return (f"No pair reached the minimum score {min_score:g}: the best score seen was {best.score:.2f} "
            f"({best.successor.label} as a mirror of {best.predecessor.label}). Exports without removal "
            f"dates, avatars or links score low even for obvious returns; {what}, try "
            f"`graphkit mirrors detect --min-score {suggested}` (docs/mirrors.md explains the score).")


# ------------------------------------------------------------------ writing and review

def write_candidates(graph, candidates: list[Candidate]) -> dict:
    """MERGE candidate links; a link an analyst confirmed or rejected keeps its decision and
    its score/evidence. A stale detector candidate in the opposite direction is removed."""
    acc, rel = _labels()
    rows = [{"s": c.successor_key, "p": c.predecessor_key, "score": float(c.score), "evidence": c.evidence}
            for c in candidates]
    cypher = f"""
UNWIND $rows AS row
MATCH (s:{acc} {{key: row.s}})
MATCH (p:{acc} {{key: row.p}})
OPTIONAL MATCH (p)-[old:{rel}]->(s)
  WHERE coalesce(old.status, 'candidate') = 'candidate' AND old.method = 'detector'
DELETE old
MERGE (s)-[r:{rel}]->(p)
WITH r, row, coalesce(r.status, 'candidate') = 'candidate' AS open
FOREACH (_ IN CASE WHEN open THEN [1] ELSE [] END |
  SET r.score = row.score, r.method = 'detector', r.evidence = row.evidence,
      r.status = 'candidate', r.detected_at = datetime())
RETURN sum(CASE WHEN open THEN 1 ELSE 0 END) AS written, sum(CASE WHEN open THEN 0 ELSE 1 END) AS kept
"""
    written = kept = 0
    for start in range(0, len(rows), 2000):
        result = graph.write(cypher, {"rows": rows[start:start + 2000]})
        if result:
            written += result[0]["written"] or 0
            kept += result[0]["kept"] or 0
    return {"written": written, "decisions_kept": kept}


def parse_account(text: str) -> tuple[str, str]:
    """``PLATFORM:HANDLE`` -> (platform, handle_norm); a profile URL works too."""
    text = (text or "").strip()
    try:
        if "/" in text:  # a profile URL (handles never contain a slash)
            parsed = normalize.parse_url(text)
            if parsed and parsed[2] in ("handle", "channel"):
                return parsed[0], normalize.handle(parsed[1])
        platform, sep, handle = text.partition(":")
        if not sep or not handle.strip():
            raise ValueError("no colon")
        return normalize.platform(platform), normalize.handle(handle)
    except ValueError:
        raise MirrorError(f"{text!r} is not an account in the form PLATFORM:HANDLE",
                          hint="For example x:GunsandCoffee70 or telegram:some_channel.") from None


def resolve_account(graph, text: str) -> dict:
    """The Account node named by ``PLATFORM:HANDLE`` (key, platform, handle); MirrorError if absent."""
    platform, handle_norm = parse_account(text)
    acc, _ = _labels()
    rows = graph.read(
        f"MATCH (a:{acc}) WHERE a.key = $key OR (a.platform = $platform AND a.handle_norm = $handle) "
        "RETURN a.key AS key, a.platform AS platform, a.handle AS handle LIMIT 1",
        {"key": f"{platform}:{handle_norm}", "platform": platform, "handle": handle_norm},
    )
    if not rows:
        raise MirrorError(f"no account {text} in the graph",
                          hint="Check the spelling with `graphkit query account-profile`, or load it first.")
    return rows[0]


def decide(graph, successor: str, predecessor: str, status: str, note: str | None = None) -> dict:
    """Record an analyst's decision on ``successor`` MIRROR_OF ``predecessor`` (creating the link
    if the detector never proposed it). A detector candidate in the opposite direction is removed."""
    if status not in ("confirmed", "rejected"):
        raise MirrorError(f"unknown decision {status!r}", hint="Use confirmed or rejected.")
    s = resolve_account(graph, successor)
    p = resolve_account(graph, predecessor)
    if s["key"] == p["key"]:
        raise MirrorError("an account cannot be a mirror of itself", hint="Give two different accounts.")
    acc, rel = _labels()
    rows = graph.write(f"""
MATCH (s:{acc} {{key: $s}}), (p:{acc} {{key: $p}})
OPTIONAL MATCH (p)-[old:{rel}]->(s) WHERE coalesce(old.status, 'candidate') = 'candidate'
DELETE old
MERGE (s)-[r:{rel}]->(p)
ON CREATE SET r.method = 'analyst'
SET r.status = $status, r.note = $note, r.decided_at = datetime()
RETURN r.score AS score, r.method AS method
""", {"s": s["key"], "p": p["key"], "status": status, "note": note})
    row = rows[0] if rows else {}
    return {"successor": f"{s['platform']}:{s['handle']}", "predecessor": f"{p['platform']}:{p['handle']}",
            "status": status, "note": note, "score": row.get("score"), "method": row.get("method")}
