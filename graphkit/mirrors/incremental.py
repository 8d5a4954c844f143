"""``graphkit mirrors detect``: a full run now and then, incremental runs in between.

A **full** run reads every account (``detect.detect``), fits the model, keys every account
(``keys.write_keys``) and keeps the fitted model on the graph (``state``). An **incremental** run
re-examines only the accounts flagged since (``mirror_dirty``: set by ``load``), a chunk at a time:

1. the flagged accounts' keys are brought up to date (``keys.refresh_stale``);
2. the re-examined set R: the flagged accounts, the members of every block they are in that is
   (or was, before they joined it) at most ``max_block`` accounts, and the accounts a MIRROR_OF
   link ties to them;
3. every pair of an account of R with a block-mate (or an account a post claims as its old or new
   one) is compared with the saved model and the graph's own value counts;
4. each successor in R picks its predecessor (``detect.pick_predecessor``) as a full run would.

A pair whose successor is outside R has no flagged account among its successor's block-mates, so
its options are what the last run saw. Memory holds one chunk's neighbourhood, never the graph.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graphkit.mirrors import comparisons, detect, keys, state
from graphkit.mirrors.review import write_candidates
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE, PairScore, orient
from graphkit.model.spec import model

CHUNK = 1000


@dataclass
class Run:
    detection: detect.Detection
    mode: str            # "full" or "incremental"
    flagged: int         # accounts added or changed since the last run (all of them on a full run)
    reexamined: int      # successors whose predecessor was picked again
    written: dict | None = None


def run(graph, full: bool = False, min_score: float = DEFAULT_MIN_SCORE, limit: int | None = None,
        max_block: int = detect.MAX_BLOCK, progress: bool | None = None, write: bool = False) -> Run:
    """Detect mirrors (see the module docstring). Incremental when the graph holds a complete
    written set of candidates at ``min_score`` or below (a full or incremental ``write`` without
    ``limit``); otherwise, or with ``full``, over the whole graph. An incremental run without
    ``write`` leaves the flags in place (the next run sees the same changes)."""
    min_score = detect._check_score(min_score)
    if limit is not None and limit < 0:
        raise detect.MirrorError("--limit must be 0 or more", hint="Leave it out to list every candidate.")
    saved = None if full else state.load(graph)
    if saved is not None and (saved.get("complete_min") is None or saved["complete_min"] > min_score):
        saved = None
    out = _full(graph, min_score, max_block, progress, write) if saved is None else \
        _incremental(graph, saved, min_score, max_block, write)
    if limit:
        out.detection.candidates = out.detection.candidates[:limit]
    if write:
        out.written = write_candidates(graph, out.detection.candidates)
        if out.mode == "full" and not limit:
            prune(graph, None, out.detection.candidates)
        complete = None if limit else min_score if out.mode == "full" else max(saved["complete_min"], min_score)
        state.mark_written(graph, complete)
    return out


def _full(graph, min_score, max_block, progress, write) -> Run:
    accounts, found = detect.fetch_accounts(graph)
    result = detect.detect_accounts(accounts, min_score=min_score, decisions=detect.fetch_decisions(graph),
                                    max_block=max_block, found=found, progress=progress)
    keys.write_keys(graph, accounts, flag=None if write else keys.KEEP)
    if result.model is not None:
        state.save(graph, result.model, len(accounts))
    return Run(result, "full", len(accounts), len(accounts))


def _incremental(graph, saved, min_score, max_block, write) -> Run:
    keys.flag_unkeyed(graph)
    keys.refresh_stale(graph)
    n_now = state.account_count(graph)
    fields, _ = state.scaled(saved, n_now)
    stats = detect.BlockingStats()
    picked: dict[str, PairScore] = {}
    scope_all: set[str] = set()
    flagged = 0
    after = ""
    while True:
        dirty = keys.flagged(graph, after, CHUNK)
        if not dirty:
            break
        after = dirty[-1]
        found, scope, compared = examine(graph, dirty, saved, fields, n_now, max_block)
        picked.update(found)
        scope_all |= scope
        flagged += len(dirty)
        stats.comparisons += compared
        if write:
            kept = [p for p in found.values() if p.score >= min_score]
            prune(graph, sorted(scope), [_candidate(p, {}) for p in kept])
            keys.clear_flags(graph, dirty)
    stats.accounts = flagged
    links = sorted(picked.values(), key=lambda p: (-p.score, p.successor.key))
    kept = [p for p in links if p.score >= min_score]
    heads = detect.chain_heads([(p.successor, p.predecessor) for p in kept])
    candidates = [_candidate(p, heads) for p in kept]
    candidates += [c for c in stored_candidates(graph, min_score) if c.successor_key not in scope_all]
    candidates.sort(key=lambda c: (-c.score, c.successor_key))
    return Run(detect.Detection(candidates=candidates, stats=stats, links=links), "incremental", flagged,
               len(scope_all))


def stored_candidates(graph, min_score: float) -> list[detect.Candidate]:
    """The detector's open candidates on the graph scoring at least ``min_score``."""
    acc, rel = _labels()
    rows = graph.read(f"MATCH (s:{acc})-[r:{rel}]->(p:{acc}) WHERE coalesce(r.status, 'candidate') = 'candidate' "
                      "AND r.method = 'detector' AND r.score >= $min RETURN s.key AS s, p.key AS p, "
                      "s.platform + ':' + coalesce(s.handle, s.handle_norm) AS sl, "
                      "p.platform + ':' + coalesce(p.handle, p.handle_norm) AS pl, r.score AS score, "
                      "r.evidence AS evidence", {"min": min_score})
    return [detect.Candidate(successor=r["sl"], predecessor=r["pl"], successor_key=r["s"], predecessor_key=r["p"],
                             score=r["score"], evidence=r["evidence"] or "", chain_head=r["sl"]) for r in rows]


def _candidate(p: PairScore, heads: dict) -> detect.Candidate:
    return detect.Candidate(successor=p.successor.label, predecessor=p.predecessor.label,
                            successor_key=p.successor.key, predecessor_key=p.predecessor.key, score=p.score,
                            evidence=p.evidence, signals=[s.as_dict() for s in p.signals if s.weight != 0],
                            chain_head=heads.get(p.successor.key, p.successor.label))


def scope_of(graph, dirty: list[str], max_block: int) -> set[str]:
    """R: the flagged accounts, their block-mates (blocks that are or were small enough) and the
    accounts MIRROR_OF ties to them."""
    dset = set(dirty)
    mine = keys.stored_keys(graph, dirty)
    blocks = keys.blocks_of(graph, [k for ks in mine.values() for k in ks], max_block + len(dirty))
    scope = set(dirty)
    for size, members in blocks.values():
        if size - len(dset.intersection(members)) <= max_block:
            scope.update(members)
    scope |= linked(graph, dirty)
    return scope


def examine(graph, dirty: list[str], saved: dict, fields: dict, n_now: int, max_block: int):
    """The predecessor each successor of R picks (successor key -> PairScore), R, pairs compared."""
    scope = scope_of(graph, dirty, max_block)
    mine = keys.stored_keys(graph, sorted(scope))
    blocks = keys.blocks_of(graph, [k for ks in mine.values() for k in ks], max_block)
    pairs = set()
    for acc, ks in mine.items():
        for k in ks:
            for other in blocks.get(k, (0, ()))[1]:
                if other != acc:
                    pairs.add((min(acc, other), max(acc, other)))
    views, found = keys.fetch_views(graph, sorted({a for p in pairs for a in p} | scope))
    claims = _merge_claims(found.claims, keys.claims_naming(graph, sorted(scope)))
    by_key = {v.key: v for v in views}
    claimed = {(min(s, p), max(s, p)) for s, p in claims if (s in scope or p in scope) and s != p}
    missing = sorted({a for pair in claimed for a in pair} - set(by_key))
    if missing:  # accounts a claim names that share no block
        more, _ = keys.fetch_views(graph, missing)
        views += more
        by_key.update((v.key, v) for v in more)
    pairs |= {pair for pair in claimed if pair[0] in by_key and pair[1] in by_key}
    freq = keys.frequencies(graph, views, fields, claims=claims)
    fs = state.model_from(saved, freq, n_now)
    decided = decided_pairs(graph, sorted(scope))
    options: dict[str, list[PairScore]] = defaultdict(list)
    compared = 0
    for a_key, b_key in sorted(pairs):
        if frozenset((a_key, b_key)) in decided or a_key not in by_key or b_key not in by_key:
            continue
        pred, succ = orient(by_key[a_key], by_key[b_key])
        if succ.key not in scope:
            continue
        levels = comparisons.compare(pred, succ, freq)
        score, z, signals = fs.score(levels, fs.pair_prior(pred, succ))
        options[succ.key].append(PairScore(successor=succ, predecessor=pred, score=score, signals=signals, z=z))
        compared += 1
    return {k: detect.pick_predecessor(o) for k, o in options.items()}, scope, compared


def _merge_claims(a: dict, b: dict) -> dict:
    out = dict(a)
    for pair, claim in b.items():
        old = out.get(pair)
        if old is None or (claim.at and old.at and claim.at < old.at):
            out[pair] = claim
    return out


def _labels():
    m = model()
    return m.node("Account").label, m.rel("MIRROR_OF").type


def linked(graph, accounts: list[str]) -> set[str]:
    acc, rel = _labels()
    rows = graph.read(f"UNWIND $keys AS k MATCH (:{acc} {{key: k}})-[:{rel}]-(b:{acc}) RETURN DISTINCT b.key AS key",
                      {"keys": accounts})
    return {r["key"] for r in rows}


def decided_pairs(graph, accounts: list[str]) -> set[frozenset]:
    acc, rel = _labels()
    rows = graph.read(f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}})-[r:{rel}]-(b:{acc}) "
                      "WHERE r.status IN ['confirmed', 'rejected'] RETURN DISTINCT a.key AS a, b.key AS b",
                      {"keys": accounts})
    return {frozenset((r["a"], r["b"])) for r in rows}


def prune(graph, successors: list[str] | None, keep: list) -> int:
    """Delete the detector's open candidates of these successors (None: of every account) that
    ``keep`` does not propose again; analysts' decisions stay."""
    acc, rel = _labels()
    keep_pairs = [[c.successor_key, c.predecessor_key] for c in keep]
    where = "WHERE s.key IN $succ AND " if successors is not None else "WHERE "
    rows = graph.write(f"MATCH (s:{acc})-[r:{rel}]->(p:{acc}) {where}coalesce(r.status, 'candidate') = 'candidate' "
                       "AND r.method = 'detector' AND NOT [s.key, p.key] IN $keep DELETE r RETURN count(*) AS n",
                       {"succ": successors or [], "keep": keep_pairs})
    return rows[0]["n"] if rows else 0
