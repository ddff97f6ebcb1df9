-- Collection: per province, the problems the notices say the inspection raised (problems_total) against
-- those they say are rectified (problems_done), over the notices that state both; and how many notices
-- state neither. Columns: province, notices, notices_with_counts, problems_stated, problems_rectified,
-- percent_rectified.
SELECT coalesce(n.province, s.province, '中央') AS province,
       count(*) AS notices,
       count(*) FILTER (WHERE n.problems_total IS NOT NULL AND n.problems_done IS NOT NULL) AS notices_with_counts,
       coalesce(sum(n.problems_total) FILTER (WHERE n.problems_done IS NOT NULL), 0) AS problems_stated,
       coalesce(sum(n.problems_done) FILTER (WHERE n.problems_total IS NOT NULL), 0) AS problems_rectified,
       round(100.0 * sum(n.problems_done) FILTER (WHERE n.problems_total IS NOT NULL)
             / nullif(sum(n.problems_total) FILTER (WHERE n.problems_done IS NOT NULL), 0), 1)::float AS percent_rectified
FROM notices n
JOIN sites s USING (site_id)
GROUP BY 1
ORDER BY problems_stated DESC, province;
