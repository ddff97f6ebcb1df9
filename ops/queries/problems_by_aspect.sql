-- The problem list as rows: for each notice, how many problems it reports under each feedback aspect (方面),
-- and how many of them its text says are rectified.
SELECT n.site_id, n.issuer, p.aspect, count(*) AS problems,
       count(*) FILTER (WHERE p.status = 'done') AS said_done
FROM notice_problems p JOIN notices n USING (notice_id)
WHERE p.kind = 'problem'
GROUP BY n.notice_id, n.site_id, n.issuer, p.aspect
ORDER BY n.site_id, n.notice_id, min(p.ordinal);
