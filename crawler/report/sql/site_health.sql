-- Site health: per site, its last finished run, the notices stored from it, its failures, and the
-- health flags of the site_health view (blocked, quiet, probation … with the evidence in words).
-- Columns: site_id, name, province, enabled, confidence, last_run_id, last_run_at, last_run_state,
-- running (a run is going on now), notices_total, last_published_on, failures_last_run, failures_30d,
-- flags, blocked, quiet, probation, evidence.
SELECT h.site_id, s.name, coalesce(s.province, '中央') AS province, h.enabled, h.confidence,
       h.last_run_id, h.last_run_at, h.last_run_state,
       EXISTS (SELECT 1 FROM crawl_runs r WHERE r.site_id = h.site_id AND r.state = 'running') AS running,
       h.notices_total, h.last_published_on,
       (SELECT count(*) FROM failures f WHERE f.run_id = h.last_run_id) AS failures_last_run,
       (SELECT count(*) FROM failures f WHERE f.site_id = h.site_id
          AND f.occurred_at > now() - interval '30 days') AS failures_30d,
       h.flags, 'blocked' = ANY(h.flags) AS blocked, 'quiet' = ANY(h.flags) AS quiet, h.probation, h.evidence
FROM site_health h
JOIN sites s USING (site_id)
ORDER BY h.site_id;
