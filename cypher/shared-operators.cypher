// name: shared-operators
// title: Accounts and channels run by the same operator
// description: >
//   Clusters (connected components) of accounts and channels tied by a specific identifier they
//   share (phone, e-mail, device, invite link, avatar hash, wallet, IP, URL), by administering the
//   same channel (the channel joins the cluster), or by a report naming the same operator. An
//   identifier used by more than max_hub accounts and channels (a cyber-cafe IP, a URL shortener,
//   a platform domain) is a hub and ties nothing. Two members are linked when they share at least
//   min_evidence such ties. The clustering is done in Python (union-find), no plugin needed.
// category: operators
// parameters:
//   - name: min_evidence
//     type: integer
//     default: 1
//     min: 1
//     description: ties two members must share to be linked (1 = any one shared identifier, channel or operator)
//   - name: max_hub
//     type: integer
//     default: 10
//     min: 1
//     description: an identifier used by more accounts and channels than this is a hub and ties nothing
// columns: [cluster, size, accounts, channels, evidence]
// writes: false
// postprocess: graphkit.operators.clustering.cluster
// ---
// The (tie, member) edge list that graphkit.operators.clustering.cluster turns into clusters.
CALL () {
  MATCH (i:Identifier)
  WITH i, COUNT { (i)<-[:USES]-() } AS holders
  WHERE 2 <= holders AND holders <= $max_hub
  MATCH (member)-[:USES]->(i)
  RETURN i.key AS tie, member
  UNION ALL
  MATCH (c:Channel)
  WHERE COUNT { (c)<-[:ADMINISTERS]-() } >= 2
  MATCH (admin:Account)-[:ADMINISTERS]->(c)
  WITH c, collect(admin) + [c] AS members
  UNWIND members AS member
  RETURN 'co-admins of ' + c.key AS tie, member
  UNION ALL
  MATCH (o:Operator)
  WHERE COUNT { (o)-[:OPERATES]->() } >= 2
  MATCH (o)-[:OPERATES]->(member)
  RETURN 'operator:' + o.oid AS tie, member
}
WITH member, collect(DISTINCT tie) AS ties
WHERE size(ties) >= $min_evidence
// The edge list travels as ONE row of parallel lists (member i is keys[i], kinds[i], members[i]
// and holds ties[i]): tens of thousands of small records cost the driver far more than one big one.
WITH member.key AS key,
     CASE WHEN member:Channel THEN 'channel' ELSE 'account' END AS kind,
     CASE WHEN member:Channel THEN member.key
          ELSE coalesce(member.platform + ':' + member.handle, member.key) END AS name,
     ties
RETURN collect(key) AS keys, collect(kind) AS kinds, collect(name) AS members, collect(ties) AS ties
