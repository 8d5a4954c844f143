// name: new-since
// title: Accounts, channels and sightings first seen since a date
// description: >
//   What is new since a day (inclusive, midnight UTC): accounts and channels whose first
//   observation (first_seen: the earliest sighting or report that mentions them) is on or after
//   it, and sightings observed on or after it; oldest first. At most `limit` rows (the oldest;
//   0 = all of them).
// category: activity
// parameters:
//   - name: since
//     type: date
//     description: the first day to include (YYYY-MM-DD)
//   - name: limit
//     type: integer
//     default: 1000
//     min: 0
//     description: at most this many rows, oldest first (0 = all)
// columns: [kind, item, platform, first_seen, groups, detail]
// writes: false
// ---
// Each kind's oldest rows come from its range index (in first_seen / observed_at order) and are
// cut to the limit before the groups and details of the rows that are left are read.
WITH datetime({date: $since, timezone: 'Z'}) AS since
CALL (since) {
  MATCH (a:Account)
  WHERE a.first_seen >= since
  WITH a, coalesce(a.platform + ':' + a.handle, a.key) AS item
  ORDER BY a.first_seen, item
  LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
  RETURN 'account' AS kind, a AS n, item, a.first_seen AS first_seen
  UNION ALL
  MATCH (c:Channel)
  WHERE c.first_seen >= since
  WITH c ORDER BY c.first_seen, c.key
  LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
  RETURN 'channel' AS kind, c AS n, c.key AS item, c.first_seen AS first_seen
  UNION ALL
  MATCH (s:Sighting)
  WHERE s.observed_at >= since
  WITH s ORDER BY s.observed_at, s.sid
  LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
  RETURN 'sighting' AS kind, s AS n, s.sid AS item, s.observed_at AS first_seen
}
WITH kind, n, item, first_seen
ORDER BY first_seen, kind, item
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
// sightings: the first target (by key) and channel; accounts and channels have no OF, IN or PROMOTES
WITH kind, n, item, first_seen, head(COLLECT { MATCH (n)-[:OF]->(t) RETURN t ORDER BY t.key }) AS target
RETURN kind, item,
       CASE kind WHEN 'sighting' THEN target.platform ELSE n.platform END AS platform,
       first_seen,
       COLLECT { MATCH (n)-[:AFFILIATED_WITH|PROMOTES]->(g:Group) RETURN g.gid AS gid ORDER BY gid } AS groups,
       CASE kind
         WHEN 'account' THEN n.display_name
         WHEN 'channel' THEN n.name
         ELSE 'of ' + coalesce(target.platform + ':' + target.handle, target.key, '?')
              + coalesce(' in ' + head(COLLECT { MATCH (n)-[:IN]->(c:Channel) RETURN c.key AS ck ORDER BY ck }), '')
       END AS detail
ORDER BY first_seen, kind, item
