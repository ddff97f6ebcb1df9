-- Collection: per site, the share of its notices in which each key field was read (1 = every notice).
SELECT n.site_id AS site,
       count(*) AS notices,
       round(avg((n.issuer IS NOT NULL)::int), 2) AS issuer,
       round(avg((n.inspection_kind IS NOT NULL)::int), 2) AS inspection_kind,
       round(avg((n.inspecting_body IS NOT NULL)::int), 2) AS inspecting_body,
       round(avg((n.round IS NOT NULL)::int), 2) AS round,
       round(avg((n.team IS NOT NULL)::int), 2) AS team,
       round(avg((n.inspection_start IS NOT NULL)::int), 2) AS inspection_start,
       round(avg((n.feedback_on IS NOT NULL)::int), 2) AS feedback_on,
       round(avg((n.problems_total IS NOT NULL)::int), 2) AS problems_total,
       round(avg((n.problems_done IS NOT NULL)::int), 2) AS problems_done,
       round(avg((cardinality(n.quality) = 0)::int), 2) AS passes_checks
FROM notices n
GROUP BY n.site_id
ORDER BY n.site_id;
