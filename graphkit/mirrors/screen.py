"""Screening new accounts: which known accounts may each one be a mirror of?

``screen(graph, accounts, top)`` takes accounts in the graph (``PLATFORM:HANDLE``) or new ones
described by a row (platform, handle, display name, bio, first seen ...), looks up their block-mates
through the keys ``load`` keeps on the graph (``graphkit.mirrors.keys``: index lookups, no scan),
and scores each pair (known account = predecessor, new account = successor) with the same
comparisons and the same fitted model as ``graphkit mirrors detect`` (kept on the graph by
``graphkit.mirrors.state``; fitted once by a full detection when there is none). ``load --screen``
calls ``screen_loaded`` for the accounts a load created.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graphkit.ingest import values as normalize
from graphkit.ingest.touched import STALE
from graphkit.mirrors import comparisons, detect, keys, state
from graphkit.mirrors.review import MirrorError, resolve_account
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE, AccountView, prepare
from graphkit.model.spec import model

COLUMNS = ["account", "candidate", "score", "evidence"]
FILE_COLUMNS = ("platform", "handle", "display_name", "bio", "first_seen", "created_at", "status")
DEFAULT_TOP = 5


@dataclass
class Match:
    account: str      # the screened account, PLATFORM:HANDLE
    candidate: str    # the known account it may mirror
    score: float
    evidence: str
    account_key: str = ""
    candidate_key: str = ""

    def row(self) -> dict:
        return {"account": self.account, "candidate": self.candidate, "score": round(self.score, 3),
                "evidence": self.evidence}


# ------------------------------------------------------------------ input

def from_handles(graph, texts: list[str]) -> list[AccountView]:
    """Accounts named ``PLATFORM:HANDLE`` (each must be in the graph: MirrorError otherwise)."""
    found = [resolve_account(graph, t)["key"] for t in texts]
    views, _ = keys.fetch_views(graph, found)
    by_key = {v.key: v for v in views}
    return [by_key[k] for k in dict.fromkeys(found) if k in by_key]


def from_file(path) -> list[AccountView]:
    """New accounts from a CSV with a header: platform, handle (required), display_name, bio,
    first_seen, created_at, status (optional)."""
    path = Path(path)
    if not path.is_file():
        raise MirrorError(f"{path} is not a file", hint="Give a CSV with the columns platform, handle, display_name, "
                          "bio, first_seen.")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
            header = [c.strip().lower() for c in (rows[0].keys() if rows else next(csv.reader(path.open()), []))]
    except UnicodeDecodeError:
        raise MirrorError(f"{path} is not UTF-8 text", hint="Save the sheet as CSV (UTF-8).") from None
    except csv.Error as exc:
        raise MirrorError(f"{path} is not a readable CSV ({exc})", hint="Save the sheet as CSV (UTF-8).") from None
    missing = [c for c in ("platform", "handle") if c not in header]
    if missing:
        raise MirrorError(f"{path} has no {' or '.join(repr(c) for c in missing)} column",
                          hint="The header needs platform and handle; display_name, bio and first_seen help.")
    if not rows:
        raise MirrorError(f"{path} has no rows", hint="Add one row per new account under the header.")
    return [_row_view(path, line, {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()})
            for line, row in enumerate(rows, start=2)]


def _row_view(path: Path, line: int, row: dict) -> AccountView:
    column = "platform"
    try:
        platform = normalize.platform(row.get("platform", ""))
        column = "handle"
        handle_norm = normalize.handle(row.get("handle", ""))
        if not handle_norm:
            raise ValueError("the handle is empty")
        handle = (normalize.handle_raw(row.get("handle")) or handle_norm).strip().lstrip("@").strip()
        times = {}
        for column in ("first_seen", "created_at"):
            times[column] = _time(row.get(column))
    except ValueError as exc:
        raise MirrorError(f"{path}, line {line}, column {column}: {exc}",
                          hint="Fix the row (platform one of the known ones, a handle, ISO dates).") from None
    view = AccountView(key=normalize.account_key(platform, handle_norm), platform=platform, handle=handle,
                       display_name=row.get("display_name") or None, bio=row.get("bio") or None,
                       status=(row.get("status") or None), created_at=times["created_at"],
                       first_seen=times["first_seen"])
    return prepare(view)


def _time(text):
    if not text:
        return None
    from graphkit.mirrors.signals import parse_time
    value = parse_time(text)
    if value is None:
        raise ValueError(f"{text!r} is not a date (use ISO 8601, e.g. 2025-07-25)")
    return value


# ------------------------------------------------------------------ screening

def _model(graph):
    saved = state.load(graph)
    if saved is None:  # never fitted: one full detection fits it and keys every account
        from graphkit.mirrors import incremental
        incremental.run(graph, full=True, progress=False)
        saved = state.load(graph)
    return saved


def screen(graph, accounts: list[AccountView], top: int = DEFAULT_TOP,
           max_block: int = detect.MAX_BLOCK) -> list[Match]:
    """The ``top`` known accounts each of ``accounts`` may be a mirror of, best first."""
    if top < 1:
        raise MirrorError(f"--top must be 1 or more, not {top}", hint="For example --top 5.")
    saved = _model(graph)
    keys.refresh_stale(graph)
    in_graph = _in_graph(graph, [a.key for a in accounts])
    wanted = {a.key: detect.blocking_keys(a) for a in accounts}
    blocks = keys.blocks_of(graph, [k for ks in wanted.values() for k in ks], max_block)
    mates: dict[str, set] = {}
    for acc in accounts:
        limit = max_block if acc.key in in_graph else max_block - 1  # the block with it in
        mates[acc.key] = {m for k in wanted[acc.key] if k in blocks and blocks[k][0] <= limit
                          for m in blocks[k][1]} - {acc.key}
    claims = keys.scan_posts(graph, sorted(in_graph)).claims if in_graph else {}
    for succ, pred in claims:
        if succ in mates and pred != succ:
            mates[succ].add(pred)
    known, _ = keys.fetch_views(graph, sorted(set().union(*mates.values())) if mates else [])
    by_key = {v.key: v for v in known}
    outside = [a for a in accounts if a.key not in in_graph]
    n_now = state.account_count(graph) + len(outside)
    freq = keys.frequencies(graph, known + list(accounts), state.scaled(saved, n_now)[0], outside=outside,
                            claims=claims)
    fs = state.model_from(saved, freq, n_now)
    out = []
    for acc in accounts:
        scored = []
        for other in sorted(mates[acc.key]):
            pred = by_key.get(other)
            if pred is None:
                continue
            levels = comparisons.compare(pred, acc, freq)
            score, _, signals = fs.score(levels, fs.pair_prior(pred, acc))
            evidence = "; ".join(f"{s.text} [{s.weight:+.1f}]" for s in sorted(signals, key=lambda s: -abs(s.weight))
                                 if abs(s.weight) >= 0.05 and s.text)
            scored.append(Match(acc.label, pred.label, score, evidence, acc.key, pred.key))
        scored.sort(key=lambda m: (-m.score, m.candidate_key))
        out += scored[:top]
    return out


def _in_graph(graph, accounts: list[str]) -> set[str]:
    acc = model().node("Account").label
    rows = graph.read(f"UNWIND $keys AS k MATCH (a:{acc} {{key: k}}) RETURN a.key AS key", {"keys": accounts})
    return {r["key"] for r in rows}


def new_accounts(graph) -> list[str]:
    """Accounts a load flagged that were never keyed: new to the detector (created by the load)."""
    m = model()
    acc, keyed = m.node("Account").label, m.rel("KEYED").type
    rows = graph.read(f"MATCH (a:{acc}) WHERE a.mirror_dirty = $stale AND NOT EXISTS {{ (a)-[:{keyed}]->() }} "
                      "RETURN a.key AS key ORDER BY key", {"stale": STALE})
    return [r["key"] for r in rows]


def screen_loaded(graph, min_score: float = DEFAULT_MIN_SCORE, top: int = 1) -> list[Match]:
    """``load --screen``, right after a load: the likely mirrors (score at least ``min_score``)
    among the accounts the load created, each with its best known predecessor (``top``)."""
    new = new_accounts(graph)
    keys.refresh_stale(graph)
    found = []
    for start in range(0, len(new), 1000):
        views, _ = keys.fetch_views(graph, new[start:start + 1000])
        found += [m for m in screen(graph, views, top=top) if m.score >= min_score]
    return sorted(found, key=lambda m: (-m.score, m.account_key, m.candidate_key))
