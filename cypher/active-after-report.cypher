// name: active-after-report
// title: Accounts still online long after they were reported
// description: >
//   Accounts whose first takedown request is at least `days` days old (counted to as_of, today
//   by default) and whose status is still active or reported: the account, its platform and
//   group, when it was first reported, how many whole days ago, and its followers; longest
//   ignored first (then most followers), at most `limit` rows (0 = all).
// category: takedowns
// parameters:
//   - name: days
//     type: integer
//     default: 30
//     min: 0
//     description: minimum whole days since the first takedown request
//   - name: as_of
//     type: date
//     default: null
//     description: the day to count to (YYYY-MM-DD, midnight UTC); now when omitted
//   - name: limit
//     type: integer
//     default: 1000
//     min: 0
//     description: at most this many rows, longest ignored first (0 = all)
// columns: [account, platform, group, reported_at, days_since_report, followers]
// writes: false
// ---
WITH CASE WHEN $as_of IS NULL THEN datetime() ELSE datetime({date: $as_of, timezone: 'Z'}) END AS now
WITH now, now - duration({days: $days}) AS cutoff
MATCH (t:TakedownRequest)
WHERE t.requested_at <= cutoff
MATCH (t)-[:TARGETS]->(a:Account)
WHERE a.status IN ['active', 'reported']
WITH now, a, min(t.requested_at) AS reported_at
WITH a, reported_at, duration.inDays(reported_at, now).days AS days_since_report,
     coalesce(a.platform + ':' + a.handle, a.key) AS account
ORDER BY days_since_report DESC, a.followers DESC, account
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
// the groups only of the rows that are left
WITH a, reported_at, days_since_report, account,
     COLLECT { MATCH (a)-[:AFFILIATED_WITH]->(g:Group) RETURN g.gid AS gid ORDER BY gid } AS gids
RETURN account,
       a.platform AS platform,
       CASE WHEN size(gids) = 0 THEN null ELSE reduce(s = gids[0], gid IN gids[1..] | s + ';' + gid) END AS group,
       reported_at,
       days_since_report,
       a.followers AS followers
ORDER BY days_since_report DESC, followers DESC, account
