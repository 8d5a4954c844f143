// name: mirror-chains
// title: Mirror chains (an account removed, then back under a new handle)
// description: >
//   Chains of MIRROR_OF links with the given status (confirmed by default): each chain from the
//   oldest account to the newest (the head, which has no successor), with the head's status and,
//   per link, the days between the predecessor's removal and the successor's creation (empty
//   when either date is unknown), and per link every analyst decision on it (decisions: a list
//   per link, each decision as JSON {at, status, analyst, note}, oldest first). Chains are
//   followed up to 20 links. With group, only chains
//   that have an account of that group. Longest chains first (then by head, then chain); at most
//   `limit` rows (0 = all).
// category: mirrors
// parameters:
//   - name: group
//     type: group
//     refers: group
//     default: null
//     description: only chains with an account affiliated with this group (id or name); all when omitted
//   - name: status
//     type: string
//     default: confirmed
//     choices: [confirmed, candidate, rejected]
//     description: status of the links to follow (confirmed, candidate or rejected)
//   - name: limit
//     type: integer
//     default: 1000
//     min: 0
//     description: at most this many chains, longest first (0 = all)
// columns: [chain, length, head, head_status, days_to_reappear, groups, decisions]
// writes: false
// ---
// heads and tails from the links with the status (their index), not by expanding every
// account's relationships: a head has such a link out and none in, a tail none out
MATCH (s)-[l:MIRROR_OF]->(pr) WHERE l.status = $status
WITH collect(DISTINCT s) AS successors, collect(DISTINCT pr) AS predecessors
UNWIND successors AS head
WITH head, successors WHERE NOT head IN predecessors
MATCH p = (head)-[link:MIRROR_OF WHERE link.status = $status]->{1,20}(tail)
WHERE NOT tail IN successors
  AND ($group IS NULL OR any(n IN nodes(p) WHERE EXISTS { MATCH (n)-[:AFFILIATED_WITH]->(:Group {gid: $group}) }))
WITH head, reverse(nodes(p)) AS chain, reverse(relationships(p)) AS links
RETURN [n IN chain | coalesce(n.platform + ':' + n.handle, n.key)] AS chain,
       size(chain) AS length,
       coalesce(head.platform + ':' + head.handle, head.key) AS head,
       head.status AS head_status,
       [i IN range(0, size(chain) - 2) |
          CASE WHEN chain[i].removed_at IS NULL OR chain[i + 1].created_at IS NULL THEN null
               ELSE round(duration.inSeconds(chain[i].removed_at, chain[i + 1].created_at).seconds / 86400.0, 1)
          END] AS days_to_reappear,
       COLLECT { UNWIND chain AS n MATCH (n)-[:AFFILIATED_WITH]->(g:Group) RETURN DISTINCT g.gid AS gid ORDER BY gid } AS groups,
       [link IN links | coalesce(link.history, [])] AS decisions
ORDER BY length DESC, head, chain
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
