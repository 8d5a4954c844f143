"""``draft``: one platform's takedown request pack, and ``record``: what was sent, in the graph.

    from graphkit.takedowns import draft
    d = draft(graph, "x", group="TTP")             # or query=..., accounts="list.txt"
    d.rows, d.excluded, d.frame()                   # targets (one dict each), left out (counts)
    d.write("out/")                                 # requests.csv, requests.json, letter.html
    d.record(graph)                                 # a TakedownRequest per target (idempotent per day)

A request id is ``TR-YYYYMMDD-PLATFORM-XXXXXXXX`` (a digest of platform, account and day): drafting
the same targets again on the same day gives the same ids, and recording them again adds nothing.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from graphkit import output
from graphkit import audit
from graphkit.errors import TakedownError
from graphkit.ingest.statements import N
from graphkit.mirrors.signals import DEFAULT_MIN_SCORE
from graphkit.takedowns import targets as tg
from graphkit.takedowns.profiles import profile_url

DEFAULT_RESEND_AFTER = 14
COLUMNS = ["request_id", "platform", "account", "url", "platform_id", "display_name", "group", "grounds",
           "evidence", "first_seen", "last_seen", "followers", "mirror_of", "reappeared_after_removal",
           "chain", "previous_requests"]
GONE_REASON = "already removed or suspended"


def request_id(platform: str, key: str, day) -> str:
    digest = hashlib.sha256(f"{platform}\x1f{key}\x1f{day.isoformat()}".encode("utf-8")).hexdigest()
    return f"TR-{day:%Y%m%d}-{platform}-{digest[:8]}"


def _day(value) -> str | None:
    return str(value)[:10] if value else None


def _when(value) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc)


def _ground_text(g: dict) -> str:
    parts = [g.get("authority") or "?"]
    parts += [p for p in (g.get("program"), g.get("reference")) if p]
    text = f"{g['group']}: " + " ".join(parts)
    return text + (f" (listed {_day(g['listed_on'])})" if g.get("listed_on") else "")


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= tg.EXCERPT_LIMIT else text[:tg.EXCERPT_LIMIT - 1] + "\u2026"


def _evidence_text(e: dict) -> str:
    bits = [b for b in (_day(e.get("observed_at")), e.get("url")) if b]
    if e.get("excerpt"):
        bits.append(f"\u201c{e['excerpt']}\u201d")
    return " ".join(bits)


def _previous_text(r: dict) -> str:
    return f"{r['request_id']} {_day(r['requested_at'])} {r.get('status') or 'pending'}"


@dataclass
class Draft:
    """A platform's request pack: ``rows`` (one per target, structured values), ``excluded``
    (what was left out and why), counts by reason, and the day it is for."""

    platform: str
    subject: str
    day: object
    requested_at: datetime
    resend_after: int
    rows: list[dict] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)
    requester: str = ""
    keys: dict = field(default_factory=dict)      # request_id -> Account.key

    @property
    def excluded_counts(self) -> dict[str, int]:
        return dict(Counter(e["reason"] for e in self.excluded))

    @property
    def reappeared(self) -> int:
        return sum(1 for r in self.rows if r["reappeared_after_removal"])

    def flat_rows(self) -> list[dict]:
        """Rows as CSV cells: grounds, evidence and earlier requests as text."""
        flat = []
        for row in self.rows:
            cells = dict(row)
            cells["grounds"] = "; ".join(_ground_text(g) for g in row["grounds"])
            cells["evidence"] = "; ".join(_evidence_text(e) for e in row["evidence"])
            cells["previous_requests"] = "; ".join(_previous_text(r) for r in row["previous_requests"])
            cells["chain"] = " -> ".join(row["chain"])
            flat.append(cells)
        return flat

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.flat_rows(), columns=COLUMNS)

    def summary(self) -> str:
        text = (f"{len(self.rows)} request{'s' if len(self.rows) != 1 else ''} for {self.platform} "
                f"({self.subject})")
        if self.reappeared:
            text += f", {self.reappeared} came back after a removal"
        if self.excluded:
            parts = ", ".join(f"{n} {reason}" for reason, n in self.excluded_counts.items())
            text += f"; left out {len(self.excluded)}: {parts}"
        return text + "."

    def write(self, folder) -> dict[str, Path]:
        from graphkit.takedowns.letter import render_letter

        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            paths = {"csv": folder / "requests.csv", "json": folder / "requests.json",
                     "letter": folder / "letter.html"}
            paths["csv"].write_text(output.to_csv(self.flat_rows(), COLUMNS), encoding="utf-8")
            paths["json"].write_text(json.dumps(self.rows, ensure_ascii=False, indent=2, default=str) + "\n",
                                     encoding="utf-8")
            paths["letter"].write_text(render_letter(self), encoding="utf-8")
        except OSError as exc:
            raise TakedownError(f"cannot write the request pack to {folder}: {exc.strerror or exc}",
                                hint="Choose a folder you can write to with -o.") from None
        return paths

    def record(self, graph) -> dict:
        """A pending TakedownRequest per target, SENT_TO the platform, TARGETS the account, REPORTED_IN
        a report for this draft. Existing ids are left as they are (their status is not reset)."""
        return record(graph, self)


def _row(d: dict, platform: str, day, own_id: str) -> dict:
    came = d["came_back"][0] if d["came_back"] else None
    previous = [r for r in d["requests"] if r["request_id"] != own_id]
    return {
        "request_id": own_id, "platform": platform, "account": f"{d['platform']}:{d['handle'] or d['key']}",
        "url": d["url"] or profile_url(d["platform"], d["handle"], d["platform_id"]),
        "platform_id": d["platform_id"], "display_name": d["display_name"],
        "group": "; ".join(d["groups"]),
        "grounds": [{**g, "listed_on": _day(g.get("listed_on"))} for g in d["grounds"]],
        "evidence": [{"observed_at": _day(e.get("observed_at")), "url": e.get("url"),
                      "excerpt": _clip(e.get("excerpt"))} for e in d["evidence"]],
        "first_seen": _day(d["first_seen"]), "last_seen": _day(d["last_seen"]), "followers": d["followers"],
        "mirror_of": (f"{came['predecessor']} (removed {_day(came['removed_at']) or 'date unknown'})"
                      if came else None),
        "reappeared_after_removal": bool(came and came["after_request"]),
        "chain": list(came["chain"]) if came else [],
        "previous_requests": [{**r, "requested_at": _day(r["requested_at"]),
                               "resolved_at": _day(r["resolved_at"])} for r in previous],
    }


def _leave_out(d: dict, own_id: str, cutoff: datetime, resend_after: int) -> str | None:
    if (d["status"] or "").lower() in tg.GONE:
        return GONE_REASON
    recent = [r for r in d["requests"] if r["request_id"] != own_id
              and (_when(r["requested_at"]) or datetime.min.replace(tzinfo=timezone.utc)) > cutoff]
    if recent:
        return f"requested less than {resend_after} days ago"
    return None


def draft(graph, platform: str, group: str | None = None, query: str | None = None,
          params: dict | None = None, accounts=None, reappeared: bool = False,
          resend_after: int = DEFAULT_RESEND_AFTER, now: datetime | None = None,
          requester: str = "", min_score: float = DEFAULT_MIN_SCORE) -> Draft:
    """The request pack for ``platform``: the accounts of ``group``, those named in the rows of
    canned query ``query`` (with ``params``), or those listed in the file ``accounts``; with
    ``reappeared`` only those that came back after a removal (alone: all such on the platform)."""
    platform = tg.platform_name(platform)
    chosen = [n for n, v in (("group", group), ("query", query), ("accounts", accounts)) if v]
    if len(chosen) > 1 or (not chosen and not reappeared):
        raise TakedownError("a draft needs exactly one of a group, a query or an accounts file "
                            "(or --reappeared alone)",
                            hint="Use one of --group ID, --query NAME, --accounts FILE, --reappeared.")
    if params and not query:
        raise TakedownError("-p/--param only goes with --query", hint="Add --query NAME, or drop -p.")
    if not isinstance(resend_after, int) or resend_after < 0:
        raise TakedownError(f"--resend-after must be 0 or more days, not {resend_after!r}",
                            hint="0 asks again now; the default is 14 days.")
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    if group:
        selection = tg.by_group(graph, platform, group)
    elif query:
        selection = tg.by_query(graph, platform, query, params or {})
    elif accounts:
        selection = tg.from_file(graph, platform, accounts)
    else:
        selection = tg.with_mirrors(graph, platform)
    result = Draft(platform=platform, subject=selection.subject, day=now.date(), requested_at=now,
                   resend_after=resend_after, requester=requester,
                   excluded=[{"account": what, "reason": why} for what, why in selection.excluded])
    cutoff = now - timedelta(days=resend_after)
    for d in tg.details(graph, selection.keys, min_score):
        own_id = request_id(platform, d["key"], result.day)
        row = _row(d, platform, result.day, own_id)
        if reappeared and not row["reappeared_after_removal"]:
            continue
        reason = _leave_out(d, own_id, cutoff, resend_after)
        if reason:
            result.excluded.append({"account": row["account"], "reason": reason})
        else:
            result.rows.append(row)
            result.keys[own_id] = d["key"]
    if not result.rows:
        raise TakedownError(_nothing(result, len(selection.keys), reappeared),
                            hint="Check the selection, or use --resend-after 0 to ask again now.")
    return result


def _nothing(d: Draft, selected: int, reappeared: bool) -> str:
    what = f"{d.platform} ({d.subject})" + (", came back after a removal" if reappeared else "")
    if not d.excluded:
        return f"no account to request on {what}: the selection names none"
    parts = ", ".join(f"{n} {reason}" for reason, n in d.excluded_counts.items())
    return f"no account to request on {what}: all {len(d.excluded)} left out ({parts})"


def _record_cypher() -> str:
    return f"""
MERGE (rep:{N['Report']} {{rid: $rid}})
  ON CREATE SET rep.loaded_at = datetime(), rep.source = 'graphkit takedowns draft', rep.title = $title,
                rep.date = date($day), rep.format = 'takedowns-draft'
MERGE (pl:{N['Platform']} {{name: $platform}})
WITH rep, pl
UNWIND $rows AS row
MATCH (a:{N['Account']} {{key: row.key}})
OPTIONAL MATCH (old:{N['TakedownRequest']} {{tid: row.tid}})
WITH rep, pl, row, a, old IS NULL AS created
MERGE (t:{N['TakedownRequest']} {{tid: row.tid}})
  ON CREATE SET t.requested_at = datetime($requested_at), t.status = 'pending'
MERGE (t)-[r1:{N['TARGETS']}]->(a) ON CREATE SET r1.reports = [$rid]
MERGE (t)-[r2:{N['SENT_TO']}]->(pl) ON CREATE SET r2.reports = [$rid]
MERGE (t)-[:{N['REPORTED_IN']}]->(rep)
RETURN count(CASE WHEN created THEN 1 END) AS created, count(*) AS total
"""


def record(graph, d: Draft) -> dict:
    rows = [{"tid": row["request_id"], "key": d.keys[row["request_id"]]} for row in d.rows]
    rid = f"takedowns-draft-{d.platform}-{d.day.isoformat()}"
    result = graph.write(_record_cypher(), {
        "rid": rid, "title": f"Takedown requests to {d.platform} ({d.subject})", "day": d.day.isoformat(),
        "platform": d.platform, "requested_at": d.requested_at.isoformat(), "rows": rows})
    created = result[0]["created"] if result else 0
    audit.record("takedowns.record", rid, before=None,
                 after={"created": created, "unchanged": len(rows) - created, "status": "pending"},
                 details={"platform": d.platform, "requests": [r["tid"] for r in rows]}, graph=graph)
    return {"report": rid, "created": created, "unchanged": len(rows) - created}
