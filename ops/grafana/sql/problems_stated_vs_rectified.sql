-- Collection: per province, the problems the notices say the inspection fed back against those they say are
-- rectified, over the notices that state both counts.
SELECT coalesce(province, '中央') AS province,
       count(*) AS notices,
       sum(problems_total) AS problems_stated,
       sum(problems_done) AS problems_rectified,
       round(100.0 * sum(problems_done) / nullif(sum(problems_total), 0), 1) AS percent_rectified
FROM notices
WHERE problems_total IS NOT NULL AND problems_done IS NOT NULL
GROUP BY 1
ORDER BY problems_stated DESC, province;
