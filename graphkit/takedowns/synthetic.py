"""Fictional answers from a platform, for the demo and tests: a deterministic share of a draft's
requests is answered removed, rejected or no_response, the rest stays unanswered.

The shares follow the compliance figures of July 2025 (X removed about 30%; Facebook and TikTok
over 90%). Nothing here is real: the answers are drawn from a hash of the request id.
"""
from __future__ import annotations

import csv
import hashlib
from datetime import datetime, timedelta
from pathlib import Path

# platform -> (removed, rejected, no_response) shares; the rest stays pending
SHARES = {"x": (0.30, 0.15, 0.25), "whatsapp": (0.30, 0.10, 0.30), "facebook": (0.92, 0.04, 0.02),
          "tiktok": (0.92, 0.04, 0.02)}
DEFAULT_SHARES = (0.60, 0.10, 0.10)


def _draw(request_id: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}\x1f{request_id}".encode("utf-8")).hexdigest()
    return int(digest[:8], 16) / 0xFFFFFFFF


def answers(platform: str, requests: list[tuple[str, datetime]], seed: int = 0) -> list[dict]:
    """Answers to ``requests`` ((request_id, requested_at) pairs, answered in id order)."""
    removed, rejected, silent = SHARES.get(platform, DEFAULT_SHARES)
    rows = []
    for tid, requested_at in sorted(requests):
        u = _draw(tid, seed)
        when = (requested_at + timedelta(days=1 + int(_draw(tid, seed + 1) * 13))).date().isoformat()
        if u < removed:
            rows.append({"request_id": tid, "url": "", "status": "removed", "resolved_at": when,
                         "note": "synthetic answer (fictional)"})
        elif u < removed + rejected:
            rows.append({"request_id": tid, "url": "", "status": "rejected", "resolved_at": when,
                         "note": "synthetic answer: no violation found (fictional)"})
        elif u < removed + rejected + silent:
            rows.append({"request_id": tid, "url": "", "status": "no_response", "resolved_at": "", "note": ""})
    return rows


def write_answers(platform: str, requests: list[tuple[str, datetime]], path, seed: int = 0) -> Path:
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["request_id", "url", "status", "resolved_at", "note"])
        writer.writeheader()
        writer.writerows(answers(platform, requests, seed))
    return path
