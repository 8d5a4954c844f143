// name: mirror-candidates
// title: Candidate mirror links awaiting review
// description: >
//   MIRROR_OF links with status candidate (written by `graphkit mirrors detect --write`, or
//   reported as suspected in a bundle): successor and predecessor, the detector's score and
//   evidence, how the link was found, and both accounts' status; best score first. Confirm or
//   reject them with `graphkit mirrors confirm|reject SUCCESSOR PREDECESSOR`. At most `limit`
//   rows (0 = all).
// category: mirrors
// parameters:
//   - name: min_score
//     type: float
//     default: null
//     min: 0
//     max: 1
//     description: only candidates with at least this score (unscored ones are then left out)
//   - name: limit
//     type: integer
//     default: 1000
//     min: 0
//     description: at most this many candidates, best score first (0 = all)
// columns: [successor, predecessor, score, method, evidence, note, detected_at, successor_status, predecessor_status]
// writes: false
// ---
MATCH (s)-[m:MIRROR_OF]->(p)
WHERE m.status = 'candidate' AND ($min_score IS NULL OR m.score >= $min_score)
RETURN coalesce(s.platform + ':' + s.handle, s.key) AS successor,
       coalesce(p.platform + ':' + p.handle, p.key) AS predecessor,
       m.score AS score, m.method AS method, m.evidence AS evidence, m.note AS note,
       m.detected_at AS detected_at, s.status AS successor_status, p.status AS predecessor_status
ORDER BY coalesce(m.score, -1.0) DESC, successor, predecessor
LIMIT CASE WHEN $limit > 0 THEN $limit ELSE 9223372036854775807 END
