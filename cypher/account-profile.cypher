// name: account-profile
// title: Everything known about one account
// description: >
//   One row for an account: its fields exactly as loaded (handle as first spelled, display name,
//   bio, status, followers, dates ...), its groups and operators, the identifiers it uses, the
//   channels it administers or posts in, how many sightings and their span, its mirror
//   predecessors and successors (with the link status), every analyst decision on those links
//   (mirror_history: the other account, then the decision as JSON {at, status, analyst, note},
//   oldest first), the takedown requests against it with their outcome, and the reports that
//   mention it.
// category: accounts
// parameters:
//   - name: account
//     type: account
//     refers: account
//     description: the account as PLATFORM:HANDLE (x:Example_Handle) or its profile URL
// columns: [account, key, platform, handle, platform_id, display_name, bio, url, status, followers,
//           statuses, location, created_at, removed_at, first_seen, last_seen, groups, operators,
//           identifiers, channels, sightings, first_sighting, last_sighting, predecessors,
//           successors, mirror_history, takedowns, reports]
// writes: false
// ---
MATCH (a:Account {key: $account})
CALL (a) {
  OPTIONAL MATCH (s:Sighting)-[:OF]->(a)
  RETURN count(s) AS sightings, min(s.observed_at) AS first_sighting, max(s.observed_at) AS last_sighting
}
RETURN coalesce(a.platform + ':' + a.handle, a.key) AS account,
       a.key AS key, a.platform AS platform, a.handle AS handle, a.platform_id AS platform_id,
       a.display_name AS display_name, a.bio AS bio, a.url AS url, a.status AS status,
       a.followers AS followers, a.statuses AS statuses, a.location AS location,
       a.created_at AS created_at, a.removed_at AS removed_at,
       a.first_seen AS first_seen, a.last_seen AS last_seen,
       COLLECT { MATCH (a)-[:AFFILIATED_WITH]->(g:Group) RETURN g.gid AS gid ORDER BY gid } AS groups,
       COLLECT { MATCH (o:Operator)-[:OPERATES]->(a) RETURN o.oid AS oid ORDER BY oid } AS operators,
       COLLECT { MATCH (a)-[:USES]->(i:Identifier) RETURN i.key AS ident ORDER BY ident } AS identifiers,
       COLLECT { MATCH (a)-[r:ADMINISTERS|POSTS_IN]->(c:Channel)
                 RETURN CASE type(r) WHEN 'ADMINISTERS' THEN 'administers ' ELSE 'posts in ' END + c.key AS tie
                 ORDER BY tie } AS channels,
       sightings, first_sighting, last_sighting,
       COLLECT { MATCH (a)-[m:MIRROR_OF]->(p)
                 RETURN coalesce(p.platform + ':' + p.handle, p.key) + ' (' + coalesce(m.status, 'no status') + ')' AS link
                 ORDER BY link } AS predecessors,
       COLLECT { MATCH (a)<-[m:MIRROR_OF]-(s)
                 RETURN coalesce(s.platform + ':' + s.handle, s.key) + ' (' + coalesce(m.status, 'no status') + ')' AS link
                 ORDER BY link } AS successors,
       COLLECT { MATCH (a)-[m:MIRROR_OF]-(o) WHERE m.history IS NOT NULL
                 UNWIND range(0, size(m.history) - 1) AS i
                 WITH o, m, i ORDER BY m.history[i], o.key
                 RETURN CASE WHEN startNode(m) = a THEN 'mirror of ' ELSE 'mirrored by ' END
                        + coalesce(o.platform + ':' + o.handle, o.key) + ' ' + m.history[i] AS decision } AS mirror_history,
       COLLECT { MATCH (t:TakedownRequest)-[:TARGETS]->(a)
                 WITH t ORDER BY t.requested_at, t.tid
                 RETURN t.tid + ': requested ' + toString(date(t.requested_at)) + ', ' + coalesce(t.status, 'no status')
                        + CASE WHEN t.resolved_at IS NULL THEN '' ELSE ' on ' + toString(date(t.resolved_at)) END AS request } AS takedowns,
       COLLECT { MATCH (a)-[:REPORTED_IN]->(r:Report)
                 WITH r ORDER BY r.date, r.rid
                 RETURN r.rid + coalesce(': ' + r.title, '') + coalesce(' (' + toString(r.date) + ')', '') AS report } AS reports
