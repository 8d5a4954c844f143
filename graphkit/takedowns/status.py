"""``status``: per platform, how many requests were sent, removed, rejected, are pending and overdue,
the compliance rate and the median days to removal; then the overdue requests themselves.

The counts come from the canned query ``platform-compliance`` (so they agree with it by
construction); ``overdue`` adds the pending requests older than ``overdue_after`` days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from graphkit.errors import TakedownError
from graphkit.ingest.statements import N
from graphkit.takedowns import targets as tg
from graphkit.takedowns.profiles import profile_url

DEFAULT_OVERDUE_AFTER = 14
COLUMNS = ["platform", "requested", "removed", "rejected", "pending", "overdue", "compliance_rate",
           "median_days_to_removal", "no_response"]
OVERDUE_COLUMNS = ["request_id", "platform", "account", "url", "requested_at", "days_open", "group"]


@dataclass
class Status:
    rows: list[dict] = field(default_factory=list)
    overdue: list[dict] = field(default_factory=list)
    as_of: datetime | None = None
    overdue_after: int = DEFAULT_OVERDUE_AFTER

    def frames(self):
        import pandas as pd

        return (pd.DataFrame(self.rows, columns=COLUMNS), pd.DataFrame(self.overdue, columns=OVERDUE_COLUMNS))


def parse_as_of(value) -> datetime:
    if value is None:
        return datetime.now(timezone.utc)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=timezone.utc)
    try:
        return parse_as_of(date.fromisoformat(str(value)))
    except ValueError:
        raise TakedownError(f"--as-of must be a date (YYYY-MM-DD), not {value!r}",
                            hint="For example --as-of 2025-07-01; leave it out for today.") from None


def overdue_requests(graph, as_of: datetime, overdue_after: int, platform: str | None = None) -> list[dict]:
    rows = graph.read(f"""
MATCH (t:{N['TakedownRequest']})-[:{N['SENT_TO']}]->(p:{N['Platform']})
WHERE (t.status IS NULL OR t.status = 'pending') AND t.requested_at < datetime($cutoff)
  AND ($platform IS NULL OR p.name = $platform)
OPTIONAL MATCH (t)-[:{N['TARGETS']}]->(a)
RETURN t.tid AS request_id, p.name AS platform, a.platform AS tplatform, coalesce(a.handle, a.name, a.key) AS handle,
       a.url AS url, a.platform_id AS platform_id, t.requested_at AS requested_at,
       duration.inDays(t.requested_at, datetime($as_of)).days AS days_open,
       COLLECT {{ MATCH (a)-[:{N['AFFILIATED_WITH']}]->(g:{N['Group']}) RETURN g.gid ORDER BY g.gid }} AS groups
ORDER BY requested_at, request_id
""", {"cutoff": (as_of - timedelta(days=overdue_after)).isoformat(), "as_of": as_of.isoformat(),
      "platform": platform})
    return [{"request_id": r["request_id"], "platform": r["platform"],
             "account": f"{r['tplatform']}:{r['handle']}" if r["handle"] else None,
             "url": r["url"] or profile_url(r["tplatform"], r["handle"], r["platform_id"]),
             "requested_at": str(r["requested_at"])[:10], "days_open": r["days_open"],
             "group": "; ".join(r["groups"])} for r in rows]


def status(graph, platform: str | None = None, overdue_after: int = DEFAULT_OVERDUE_AFTER,
           as_of=None) -> Status:
    """Per-platform compliance (``platform-compliance``) with the overdue count, and the overdue
    requests: pending (or unanswered) for more than ``overdue_after`` days on ``as_of`` (today)."""
    from graphkit.queries import library as queries

    if platform is not None:
        platform = tg.platform_name(platform)
    if not isinstance(overdue_after, int) or overdue_after < 0:
        raise TakedownError(f"--overdue-after must be 0 or more days, not {overdue_after!r}",
                            hint="The default is 14 days.")
    when = parse_as_of(as_of)
    compliance, _ = queries.run(graph, "platform-compliance", {})
    overdue = overdue_requests(graph, when, overdue_after, platform)
    per_platform: dict[str, int] = {}
    for row in overdue:
        per_platform[row["platform"]] = per_platform.get(row["platform"], 0) + 1
    rows = [{"platform": r["platform"], "requested": r["requested"], "removed": r["removed"],
             "rejected": r["rejected"], "pending": r["pending"], "overdue": per_platform.get(r["platform"], 0),
             "compliance_rate": round(r["compliance_rate"], 4),
             "median_days_to_removal": r["median_days_to_removal"], "no_response": r["no_response"]}
            for r in compliance if platform is None or r["platform"] == platform]
    return Status(rows=rows, overdue=overdue, as_of=when, overdue_after=overdue_after)
