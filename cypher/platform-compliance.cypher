// name: platform-compliance
// title: Takedown compliance per platform
// description: >
//   Per platform, the takedown requests sent to it (requested between since and until, both
//   inclusive, whole days in UTC): how many were requested and removed, the compliance rate
//   (removed / requested, 0..1), the median days from request to removal, and how many are
//   pending (status pending or not recorded), rejected or unanswered.
// category: takedowns
// parameters:
//   - name: since
//     type: date
//     default: null
//     description: first day of requests to count (YYYY-MM-DD); from the start when omitted
//   - name: until
//     type: date
//     default: null
//     description: last day of requests to count (YYYY-MM-DD, inclusive); to the end when omitted
// columns: [platform, requested, removed, compliance_rate, median_days_to_removal, pending, rejected, no_response]
// writes: false
// ---
// per platform, its requests (the platform node's SENT_TO links, not each request's links), each
// request's properties read once: about half the db hits of a scan of every request's links
WITH CASE WHEN $since IS NULL THEN datetime('0001-01-01T00:00:00Z')
          ELSE datetime({date: $since, timezone: 'Z'}) END AS lo,
     CASE WHEN $until IS NULL THEN datetime('9999-12-31T23:59:59Z')
          ELSE datetime({date: $until, timezone: 'Z'}) + duration('P1D') END AS hi
MATCH (p:Platform)
CALL (p, lo, hi) {
  MATCH (p)<-[:SENT_TO]-(t:TakedownRequest)
  WITH t, t.requested_at AS at WHERE at >= lo AND at < hi
  WITH t.status AS status, at, t.resolved_at AS resolved
  RETURN count(*) AS requested,
         count(CASE WHEN status = 'removed' THEN 1 END) AS removed,
         count(CASE WHEN status IS NULL OR status = 'pending' THEN 1 END) AS pending,
         count(CASE WHEN status = 'rejected' THEN 1 END) AS rejected,
         count(CASE WHEN status = 'no_response' THEN 1 END) AS no_response,
         percentileCont(CASE WHEN status = 'removed' AND resolved IS NOT NULL
                             THEN duration.inSeconds(at, resolved).seconds / 86400.0 END, 0.5) AS median_days
}
WITH p.name AS platform, requested, removed, pending, rejected, no_response, median_days
WHERE requested > 0
RETURN platform, requested, removed, toFloat(removed) / requested AS compliance_rate,
       round(median_days, 2) AS median_days_to_removal, pending, rejected, no_response
ORDER BY platform
