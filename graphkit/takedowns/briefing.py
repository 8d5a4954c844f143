"""``briefing``: the weekly meeting's page, and every table in it as a DataFrame.

    b = briefing(graph, since="2025-07-01")
    b.frames["compliance"], b.frames["new_accounts"], ...   # pandas DataFrames
    b.write("briefing.html")                                # self-contained, offline, no script

Headline counts, compliance per platform (bar chart), requests and removals per month (chart),
what is new since the date (accounts, channels, groups), new mirror candidates, the largest
operator clusters, the overdue requests and a small static map around the open requests.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from graphkit import output
from graphkit.errors import TakedownError
from graphkit.ingest.statements import N
from graphkit.model.spec import model
from graphkit.takedowns import charts
from graphkit.takedowns.pages import render
from graphkit.takedowns.status import DEFAULT_OVERDUE_AFTER, parse_as_of, status

LISTED = 25          # rows of each list shown in the page (the frames hold them all)
MAP_SEEDS = 12
MAP_NODES = 45


@dataclass
class Briefing:
    since: date
    as_of: datetime
    headline: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)     # name -> (rows, columns)
    svg: dict = field(default_factory=dict)        # name -> Markup
    _html: str = ""

    @property
    def frames(self) -> dict:
        import pandas as pd

        return {name: pd.DataFrame(rows, columns=columns) for name, (rows, columns) in self.tables.items()}

    def html(self) -> str:
        return self._html

    def summary(self) -> str:
        h = self.headline
        return (f"{h['accounts']:,} accounts, {h['requests']:,} requests ({h['removed']:,} removed, "
                f"{h['pending']:,} pending, {h['overdue']:,} overdue), {h['new_items']:,} new since "
                f"{self.since.isoformat()}, {h['new_mirrors']:,} new mirror candidates.")

    def write(self, path) -> Path:
        return output.write_page(path, self._html, TakedownError, "briefing")


def _by_group_and_platform(graph) -> list[dict]:
    return graph.read(
        f"MATCH (a:{N['Account']})-[:{N['AFFILIATED_WITH']}]->(g:{N['Group']}) "
        "RETURN g.gid AS group, a.platform AS platform, count(DISTINCT a) AS accounts, "
        "count(DISTINCT CASE WHEN a.status IN $gone THEN a END) AS removed "
        "ORDER BY group, platform", {"gone": list(model().gone)})


def _months(graph) -> list[dict]:
    rows = graph.read(
        f"MATCH (t:{N['TakedownRequest']}) WHERE t.requested_at IS NOT NULL "
        "WITH substring(toString(t.requested_at), 0, 7) AS month, count(*) AS n "
        "RETURN 'requested' AS kind, month, n UNION ALL "
        f"MATCH (t:{N['TakedownRequest']}) WHERE t.status = 'removed' AND t.resolved_at IS NOT NULL "
        "WITH substring(toString(t.resolved_at), 0, 7) AS month, count(*) AS n "
        "RETURN 'removed' AS kind, month, n")
    if not rows:
        return []
    counts = {(r["kind"], r["month"]): r["n"] for r in rows}
    first, last = min(r["month"] for r in rows), max(r["month"] for r in rows)
    year, month, points = int(first[:4]), int(first[5:7]), []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        points.append({"month": key, "requested": counts.get(("requested", key), 0),
                       "removed": counts.get(("removed", key), 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points


def _map(graph):
    from graphkit.maps import data as map_data

    seeds = [r["id"] for r in graph.read(
        f"MATCH (t:{N['TakedownRequest']})-[:{N['TARGETS']}]->(a) WHERE t.status IS NULL OR t.status = 'pending' "
        "WITH DISTINCT a RETURN elementId(a) AS id ORDER BY coalesce(a.followers, a.members, 0) DESC, a.key "
        "LIMIT $n", {"n": MAP_SEEDS})]
    if not seeds:
        return charts.small_map(map_data.Subgraph()), 0
    sub = map_data.expand(graph, seeds, 1, limit=2000)   # the most followed accounts still up
    map_data.drop_single_identifiers(sub)
    map_data.cap(sub, MAP_NODES)
    return charts.small_map(sub), len(sub.nodes)


def _since(value, as_of: datetime) -> date:
    if value is None:
        return (as_of - timedelta(days=7)).date()
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise TakedownError(f"--since must be a date (YYYY-MM-DD), not {value!r}",
                            hint="For example --since 2025-07-01; the default is a week ago.") from None


def briefing(graph, since=None, as_of=None, overdue_after: int = DEFAULT_OVERDUE_AFTER) -> Briefing:
    from graphkit.queries import library as queries

    when = parse_as_of(as_of)
    start = _since(since, when)
    state = status(graph, overdue_after=overdue_after, as_of=when)
    new, new_cols = queries.run(graph, "new-since", {"since": start.isoformat(), "limit": 0})
    mirrors, mirror_cols = queries.run(graph, "mirror-candidates", {"limit": 0})
    mirrors = [m for m in mirrors if m.get("detected_at") and str(m["detected_at"])[:10] >= start.isoformat()]
    clusters, cluster_cols = queries.run(graph, "shared-operators", {})
    clusters = sorted(clusters, key=lambda c: -(c.get("size") or 0))[:10]
    groups = _by_group_and_platform(graph)
    points = _months(graph)
    accounts = graph.read(f"MATCH (a:{N['Account']}) RETURN count(a) AS n")[0]["n"]
    sent_since = graph.read(f"MATCH (t:{N['TakedownRequest']}) WHERE t.requested_at >= datetime($since) "
                            "RETURN count(t) AS n", {"since": start.isoformat()})[0]["n"]
    b = Briefing(since=start, as_of=when)
    b.headline = {"accounts": accounts, "requests": sum(r["requested"] for r in state.rows),
                  "sent_since": sent_since, "removed": sum(r["removed"] for r in state.rows),
                  "pending": sum(r["pending"] for r in state.rows), "overdue": len(state.overdue),
                  "new_items": len(new), "new_mirrors": len(mirrors)}
    from graphkit.takedowns.status import COLUMNS, OVERDUE_COLUMNS

    b.tables = {"accounts_by_group": (groups, ["group", "platform", "accounts", "removed"]),
                "compliance": (state.rows, COLUMNS), "overdue": (state.overdue, OVERDUE_COLUMNS),
                "timeline": (points, ["month", "requested", "removed"]),
                "new_accounts": (new, new_cols), "new_mirrors": (mirrors, mirror_cols),
                "operator_clusters": (clusters, cluster_cols)}
    b.svg = {"compliance": charts.compliance_bars(state.rows), "timeline": charts.timeline(points)}
    b.svg["map"], map_nodes = _map(graph)
    b._html = render("briefing.html", b=b, h=b.headline, since=start.isoformat(),
                     made=when.strftime("%Y-%m-%d"), listed=LISTED, map_nodes=map_nodes,
                     overdue_after=overdue_after, **{k: v[0] for k, v in b.tables.items()})
    return b
