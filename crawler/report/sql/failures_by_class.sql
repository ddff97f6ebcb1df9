-- Site health: failures of the last 30 days per site and error class (final: given up, not retried).
-- Columns: site_id, error_class, failures, final.
SELECT f.site_id, f.error_class, count(*) AS failures, count(*) FILTER (WHERE f.final) AS final
FROM failures f
WHERE f.occurred_at > now() - interval '30 days' AND f.site_id IS NOT NULL
GROUP BY f.site_id, f.error_class
ORDER BY f.site_id, failures DESC, f.error_class;
