-- Collection: notices per province per month of publication (the province of the site that published
-- them; 中央 for the central commission's site). Notices without a publication date are left out.
-- Columns: province, month (YYYY-MM), notices.
SELECT coalesce(n.province, s.province, '中央') AS province,
       to_char(date_trunc('month', n.published_on), 'YYYY-MM') AS month,
       count(*) AS notices
FROM notices n
JOIN sites s USING (site_id)
WHERE n.published_on IS NOT NULL
GROUP BY 1, 2
ORDER BY 2, 1;
