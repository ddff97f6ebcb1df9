-- Collection: per site, the share of its notices that have each SPEC field filled (special_topics: a
-- non-empty list). Columns: site_id, field, field_order, notices, filled (how many), share (0..1).
SELECT n.site_id, f.field, f.field_order, count(*) AS notices,
       count(*) FILTER (WHERE f.filled) AS filled,
       round(avg(f.filled::int), 3)::float AS share
FROM notices n
CROSS JOIN LATERAL (VALUES
    (1, 'title', n.title IS NOT NULL),
    (2, 'issuer', n.issuer IS NOT NULL),
    (3, 'signed_on', n.signed_on IS NOT NULL),
    (4, 'published_on', n.published_on IS NOT NULL),
    (5, 'inspection_kind', n.inspection_kind IS NOT NULL),
    (6, 'inspecting_body', n.inspecting_body IS NOT NULL),
    (7, 'term', n.term IS NOT NULL),
    (8, 'round', n.round IS NOT NULL),
    (9, 'team', n.team IS NOT NULL),
    (10, 'inspection_start', n.inspection_start IS NOT NULL),
    (11, 'inspection_end', n.inspection_end IS NOT NULL),
    (12, 'feedback_on', n.feedback_on IS NOT NULL),
    (13, 'special_topics', cardinality(n.special_topics) > 0),
    (14, 'problems_total', n.problems_total IS NOT NULL),
    (15, 'problems_done', n.problems_done IS NOT NULL),
    (16, 'contact_phone', n.contact_phone IS NOT NULL),
    (17, 'contact_email', n.contact_email IS NOT NULL)
) AS f(field_order, field, filled)
GROUP BY n.site_id, f.field, f.field_order
ORDER BY n.site_id, f.field_order;
