// name: channel-hubs
// title: Channels that tie accounts of several groups, or many accounts
// description: >
//   Channels administered by or posted in by accounts of at least min_groups groups, or by at
//   least min_accounts accounts: the channel, its platform, name, kind, status and members, how
//   many accounts administer or post in it, and the groups of those accounts. Most groups first,
//   then most accounts; at most `limit` rows (0 = all).
// category: channels
// parameters:
//   - name: min_groups
//     type: integer
//     default: 2
//     min: 1
//     description: list a channel whose accounts belong to at least this many groups
//   - name: min_accounts
//     type: integer
//     default: 10
//     min: 1
//     description: list a channel with at least this many administering or posting accounts
//   - name: limit
//     type: integer
//     default: 1000
//     min: 0
//     description: at most this many rows, most groups first (0 = all)
// columns: [channel, platform, name, kind, status, members, accounts, admins, posters, groups, group_count]
// writes: false
// ---
MATCH (c:Channel)
WHERE COUNT { (c)<-[:ADMINISTERS|POSTS_IN]-() } >= CASE WHEN $min_groups < $min_accounts THEN $min_groups ELSE $min_accounts END
CALL (c) {
  MATCH (a:Account)-[r:ADMINISTERS|POSTS_IN]->(c)
  WITH a, collect(type(r)) AS roles
  RETURN count(a) AS accounts,
         count(CASE WHEN 'ADMINISTERS' IN roles THEN 1 END) AS admins,
         count(CASE WHEN 'POSTS_IN' IN roles THEN 1 END) AS posters,
         collect(a) AS tied
}
WITH c, accounts, admins, posters,
     COLLECT { UNWIND tied AS a MATCH (a)-[:AFFILIATED_WITH]->(g:Group) RETURN DISTINCT g.gid AS gid ORDER BY gid } AS groups
WHERE size(groups) >= $min_groups OR accounts >= $min_accounts
RETURN c.key AS channel, c.platform AS platform, c.name AS name, c.kind AS kind, c.status AS status,
       c.members AS members, accounts, admins, posters, groups, size(groups) AS group_count
ORDER BY group_count DESC, accounts DESC, channel
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
