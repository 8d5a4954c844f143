// name: new-since
// title: Accounts, channels and sightings first seen since a date
// description: >
//   What is new since a day (inclusive, midnight UTC): accounts and channels whose first
//   observation (first_seen: the earliest sighting or report that mentions them) is on or after
//   it, and sightings observed on or after it; oldest first.
// category: activity
// parameters:
//   - name: since
//     type: date
//     description: the first day to include (YYYY-MM-DD)
// columns: [kind, item, platform, first_seen, groups, detail]
// writes: false
// ---
WITH datetime({date: $since, timezone: 'Z'}) AS since
CALL (since) {
  MATCH (a:Account)
  WHERE a.first_seen >= since
  RETURN 'account' AS kind, coalesce(a.platform + ':' + a.handle, a.key) AS item, a.platform AS platform,
         a.first_seen AS first_seen,
         COLLECT { MATCH (a)-[:AFFILIATED_WITH]->(g:Group) RETURN g.gid AS gid ORDER BY gid } AS groups,
         a.display_name AS detail
  UNION ALL
  MATCH (c:Channel)
  WHERE c.first_seen >= since
  RETURN 'channel' AS kind, c.key AS item, c.platform AS platform, c.first_seen AS first_seen,
         COLLECT { MATCH (c)-[:AFFILIATED_WITH]->(g:Group) RETURN g.gid AS gid ORDER BY gid } AS groups,
         c.name AS detail
  UNION ALL
  MATCH (s:Sighting)
  WHERE s.observed_at >= since
  WITH s, COLLECT { MATCH (s)-[:OF]->(t) RETURN t ORDER BY t.key } AS targets
  RETURN 'sighting' AS kind, s.sid AS item, targets[0].platform AS platform, s.observed_at AS first_seen,
         COLLECT { MATCH (s)-[:PROMOTES]->(g:Group) RETURN g.gid AS gid ORDER BY gid } AS groups,
         'of ' + coalesce(targets[0].platform + ':' + targets[0].handle, targets[0].key, '?')
           + coalesce(' in ' + head(COLLECT { MATCH (s)-[:IN]->(c:Channel) RETURN c.key AS ck ORDER BY ck }), '') AS detail
}
RETURN kind, item, platform, first_seen, groups, detail
ORDER BY first_seen, kind, item
