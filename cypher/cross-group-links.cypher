// name: cross-group-links
// title: Accounts, channels, operators and identifiers tied to more than one group
// description: >
//   Everything tied to at least two groups, directly or through something shared, and how.
//   Directly: an account, channel or operator affiliated with a group; an account or channel of
//   which sightings promote a group (sightings of it, or posted in the channel); an operator
//   running accounts or channels affiliated with a group; a channel administered by, or posted
//   in by, an account affiliated with a group. Through a shared identifier: an identifier (phone,
//   e-mail, device, invite link, avatar hash, wallet, IP, URL) used by accounts or channels
//   affiliated with different groups, e.g. one phone number on a TTP account and a BLA account.
//   An identifier used by more than max_hub accounts and channels (a cyber-cafe IP, a URL
//   shortener) is a hub and ties nothing, as in shared-operators. One row per account, channel,
//   operator or identifier, with its groups and, per group, the ties (via); most groups first,
//   then kind and name; at most `limit` rows (0 = all).
// category: groups
// parameters:
//   - name: max_hub
//     type: integer
//     default: 10
//     min: 1
//     description: an identifier used by more accounts and channels than this is a hub and ties nothing
//   - name: limit
//     type: integer
//     default: 1000
//     min: 0
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
  MATCH (g:Group)<-[:AFFILIATED_WITH]-(:Account)-[:ADMINISTERS|POSTS_IN]->(n:Channel)
  RETURN n, g
  UNION
  MATCH (g:Group)<-[:AFFILIATED_WITH]-()-[:USES]->(n:Identifier)
  RETURN n, g
}
WITH n, count(g) AS group_count
WHERE group_count >= 2 AND (NOT n:Identifier OR COUNT { (n)<-[:USES]-() } <= $max_hub)
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
  MATCH (n:Channel)<-[r:ADMINISTERS|POSTS_IN]-(member:Account)-[:AFFILIATED_WITH]->(g:Group)
  RETURN g.gid AS gid,
         CASE type(r) WHEN 'ADMINISTERS' THEN 'administered by ' ELSE 'posted in by ' END
         + coalesce(member.platform + ':' + member.handle, member.key) AS how
  UNION ALL
  MATCH (n:Identifier)<-[:USES]-(holder)-[:AFFILIATED_WITH]->(g:Group)
  RETURN g.gid AS gid, 'used by ' + coalesce(holder.platform + ':' + holder.handle, holder.key) AS how
}
WITH n, gid, how
ORDER BY gid, how
WITH n, gid, collect(DISTINCT how) AS hows
ORDER BY gid
WITH n, collect(gid) AS groups, collect(gid + ': ' + reduce(s = '', h IN hows | s + CASE WHEN s = '' THEN '' ELSE ', ' END + h)) AS via
RETURN CASE WHEN n:Operator THEN 'operator' WHEN n:Channel THEN 'channel'
            WHEN n:Identifier THEN 'identifier' ELSE 'account' END AS kind,
       CASE WHEN n:Operator THEN n.oid WHEN n:Channel OR n:Identifier THEN n.key
            ELSE coalesce(n.platform + ':' + n.handle, n.key) END AS name,
       n.platform AS platform, groups, size(groups) AS group_count, via
ORDER BY group_count DESC, kind, name
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
