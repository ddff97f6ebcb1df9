-- Collection: notices published per province per month (the central commission as 中央).
-- Grafana time series (long format): time, metric (the province), notices.
SELECT date_trunc('month', published_on)::timestamptz AS time,
       coalesce(province, '中央') AS metric,
       count(*) AS notices
FROM notices
WHERE published_on IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2;
