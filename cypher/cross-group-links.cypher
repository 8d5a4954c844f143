// name: cross-group-links
// title: Accounts, channels and operators tied to more than one group
// description: >
//   Everything tied to at least two groups, and how: an affiliation, sightings that promote a
//   group (sightings of an account or channel, or posted in a channel), an operator running
//   accounts or channels affiliated with a group, a channel administered by an account of a
//   group. One row per account, channel or operator, with the groups and the ties per group;
//   most groups first, at most `limit` rows (0 = all).
// category: groups
// parameters:
//   - name: limit
//     type: integer
//     default: 1000
//     description: at most this many rows, most groups first (0 = all)
// columns: [kind, name, platform, groups, group_count, via]
// writes: false
// ---
// First the (node, group) pairs alone, from the few Group nodes, to find what is tied to two
// groups or more; then the ties (`via`) only of those nodes.
CALL () {
  MATCH (g:Group)<-[:AFFILIATED_WITH]-(n)
  RETURN n, g
  UNION
  MATCH (g:Group)<-[:PROMOTES]-(:Sighting)-[:OF|IN]->(n)
  RETURN n, g
  UNION
  MATCH (g:Group)<-[:AFFILIATED_WITH]-()<-[:OPERATES]-(n:Operator)
  RETURN n, g
  UNION
  MATCH (g:Group)<-[:AFFILIATED_WITH]-(:Account)-[:ADMINISTERS]->(n:Channel)
  RETURN n, g
}
WITH n, count(g) AS group_count
WHERE group_count >= 2
CALL (n) {
  MATCH (n)-[:AFFILIATED_WITH]->(g:Group)
  RETURN g.gid AS gid, 'affiliated' AS how
  UNION ALL
  MATCH (n)<-[:OF|IN]-(s:Sighting)-[:PROMOTES]->(g:Group)
  RETURN g.gid AS gid, 'promoted in sightings' AS how
  UNION ALL
  MATCH (n:Operator)-[:OPERATES]->(x)-[:AFFILIATED_WITH]->(g:Group)
  RETURN g.gid AS gid, 'operates ' + coalesce(x.platform + ':' + x.handle, x.key) AS how
  UNION ALL
  MATCH (n:Channel)<-[:ADMINISTERS]-(admin:Account)-[:AFFILIATED_WITH]->(g:Group)
  RETURN g.gid AS gid, 'administered by ' + coalesce(admin.platform + ':' + admin.handle, admin.key) AS how
}
WITH n, gid, how
ORDER BY gid, how
WITH n, gid, collect(DISTINCT how) AS hows
ORDER BY gid
WITH n, collect(gid) AS groups, collect(gid + ': ' + reduce(s = '', h IN hows | s + CASE WHEN s = '' THEN '' ELSE ', ' END + h)) AS via
RETURN CASE WHEN n:Operator THEN 'operator' WHEN n:Channel THEN 'channel' ELSE 'account' END AS kind,
       CASE WHEN n:Operator THEN n.oid WHEN n:Channel THEN n.key
            ELSE coalesce(n.platform + ':' + n.handle, n.key) END AS name,
       n.platform AS platform, groups, size(groups) AS group_count, via
ORDER BY group_count DESC, kind, name
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
