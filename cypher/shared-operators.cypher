// name: shared-operators
// title: Accounts and channels run by the same operator
// description: >
//   Clusters of accounts and channels that one operator seems to run, from weighted evidence.
//   Each shared tie (an identifier held by 2..max_hub accounts and channels, a link in two bios,
//   the same bio word for word, co-administering a channel, a report naming the same operator)
//   weighs some bits, a Fellegi-Sunter log-likelihood ratio: its kind sets the weight of a value
//   shared by two (phone, e-mail, wallet 6.0; device 5.5; invite, co-admins, avatar hash 5.0; URL
//   or bio link 3.0; IP 2.5; the same bio 2.5; operator named by a report 8.0), minus
//   0.5 * log2(holders - 1), moved by -1.5..+1.0 bits by how often this graph's shared values of
//   that kind are corroborated by a tie of another kind (u from this graph), and 2.0 bits off a
//   value of a strong kind (not a report's operator) held by 3+ accounts none of whose pairs any
//   other tie joins (a press desk's e-mail, a second-hand device). Bios are read from the Account.bio index. Two members are
//   linked when their ties add up to min_weight bits, unless all are of one weak kind (IP, URL,
//   bio): one IP links nothing, an IP and a bio link of different kinds do. Clusters grow over
//   links, those of two or more ties first, each strongest first; a lone member attaches by its strongest link; a link between two
//   groups of two or more members is a bridge, followed only when at least two different ties
//   across their links add up to strong_weight bits, otherwise refused and listed. A member still
//   alone is then weighed against a whole group, over every tie it shares with any member (weak
//   values counted by the groups holding them; a weak tie backed by a tie of another kind keeps
//   its hand weight) and joins on min_weight bits unless all are of one weak kind. An identifier used by
//   more than max_hub accounts and channels is a hub and ties nothing. The analyst's decisions
//   (graphkit operators confirm, split, merge; SAME_OPERATOR links) are always respected. Columns:
//   members, evidence with weights (bits), confidence (of the weakest member, 1/(1+2^-(bits-3))),
//   refused bridge ties, review. See docs/operators.md.
// category: operators
// parameters:
//   - name: min_weight
//     type: float
//     default: 4.0
//     min: 0
//     description: bits of combined evidence two members need to be linked (one IP is 2.5, a phone shared by two 6.0)
//   - name: strong_weight
//     type: float
//     default: 6.0
//     min: 0
//     description: bits a link needs to join two groups of two or more members (weaker links only attach single members)
//   - name: min_evidence
//     type: integer
//     default: 1
//     min: 1
//     description: ties two members must share to be linked, whatever their weight (1 = weights alone decide)
//   - name: max_hub
//     type: integer
//     default: 10
//     min: 1
//     description: an identifier used by more accounts and channels than this is a hub and ties nothing
// columns: [cluster, size, accounts, channels, evidence, weights, confidence, refused, review]
// writes: false
// postprocess: graphkit.operators.clustering.cluster
// ---
// The (tie, member) edge list that graphkit.operators.clustering.cluster weighs and clusters.
// min_weight, strong_weight and min_evidence are used in Python only; they are named here so the
// query's parameters are the clustering's.
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
  UNION ALL
  // bios, in one scan: the links in them (Python takes them out of 'bio:<text>' and counts their
  // holders) and the same bio, word for word, on 2..max_hub accounts (weak: never links alone)
  MATCH (a:Account)
  WHERE a.bio IS NOT NULL
  WITH a.bio AS bio, collect(a) AS holders
  WITH bio, holders, 2 <= size(holders) AND size(holders) <= $max_hub AND size(bio) >= 12 AS shared
  WHERE shared OR bio CONTAINS '://'
  UNWIND holders AS member
  UNWIND [t IN [CASE WHEN shared THEN 'same bio:' + bio END,
                CASE WHEN bio CONTAINS '://' THEN 'bio:' + bio END] WHERE t IS NOT NULL] AS tie
  RETURN tie, member
}
WITH member, collect(DISTINCT tie) AS ties
// The edge list travels as ONE row of parallel lists (member i is keys[i], kinds[i], members[i]
// and holds ties[i]): tens of thousands of small records cost the driver far more than one big one.
WITH member.key AS key,
     CASE WHEN member:Channel THEN 'channel' ELSE 'account' END AS kind,
     CASE WHEN member:Channel THEN member.key
          ELSE coalesce(member.platform + ':' + member.handle, member.key) END AS name,
     ties
WITH collect(key) AS keys, collect(kind) AS kinds, collect(name) AS members, collect(ties) AS ties
// the analyst's decisions: pairs confirmed as one operator or kept apart
CALL () {
  OPTIONAL MATCH (a)-[d:SAME_OPERATOR]->(b)
  WITH a, b, d WHERE d IS NOT NULL
  RETURN collect([a.key, CASE WHEN a:Channel THEN 'channel' ELSE 'account' END,
                  CASE WHEN a:Channel THEN a.key ELSE coalesce(a.platform + ':' + a.handle, a.key) END,
                  b.key, CASE WHEN b:Channel THEN 'channel' ELSE 'account' END,
                  CASE WHEN b:Channel THEN b.key ELSE coalesce(b.platform + ':' + b.handle, b.key) END,
                  d.status, coalesce(d.note, '')]) AS decisions
}
RETURN keys, kinds, members, ties, decisions, $min_weight AS min_weight, $strong_weight AS strong_weight,
       $min_evidence AS min_evidence
