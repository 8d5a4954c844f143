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
WITH CASE WHEN $since IS NULL THEN datetime('0001-01-01T00:00:00Z')
          ELSE datetime({date: $since, timezone: 'Z'}) END AS lo,
     CASE WHEN $until IS NULL THEN datetime('9999-12-31T23:59:59Z')
          ELSE datetime({date: $until, timezone: 'Z'}) + duration('P1D') END AS hi
MATCH (t:TakedownRequest)
WHERE t.requested_at >= lo AND t.requested_at < hi
MATCH (t)-[:SENT_TO]->(p:Platform)
WITH p.name AS platform,
     count(t) AS requested,
     count(CASE WHEN t.status = 'removed' THEN 1 END) AS removed,
     count(CASE WHEN t.status IS NULL OR t.status = 'pending' THEN 1 END) AS pending,
     count(CASE WHEN t.status = 'rejected' THEN 1 END) AS rejected,
     count(CASE WHEN t.status = 'no_response' THEN 1 END) AS no_response,
     percentileCont(CASE WHEN t.status = 'removed' AND t.resolved_at IS NOT NULL
                         THEN duration.inSeconds(t.requested_at, t.resolved_at).seconds / 86400.0 END, 0.5) AS median_days
RETURN platform, requested, removed, toFloat(removed) / requested AS compliance_rate,
       round(median_days, 2) AS median_days_to_removal, pending, rejected, no_response
ORDER BY platform
