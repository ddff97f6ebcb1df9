-- Collection: the whole collection in five numbers.
SELECT count(*) AS notices,
       count(DISTINCT site_id) AS sites,
       count(DISTINCT coalesce(province, '中央')) AS provinces,
       count(*) FILTER (WHERE withdrawn_at IS NOT NULL) AS withdrawn,
       max(published_on) AS latest_published
FROM notices;
