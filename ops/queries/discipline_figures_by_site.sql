-- How many people were disciplined (党纪政务处分) and how many cases filed (立案), as the notices state, per site?
SELECT n.site_id,
       sum(f.value) FILTER (WHERE f.kind = 'discipline') AS people_disciplined,
       sum(f.value) FILTER (WHERE f.kind = 'cases_filed') AS cases_filed,
       count(DISTINCT n.notice_id) FILTER (WHERE f.kind IN ('discipline', 'cases_filed')) AS notices_stating_them
FROM notices n LEFT JOIN notice_figures f USING (notice_id)
GROUP BY n.site_id
ORDER BY n.site_id;
