-- Which notice on one site is the same as one on another site (or URL)?
SELECT d.site_id, d.url, d.canonical_site_id, d.canonical_url, d.distance, n.title
FROM notice_duplicates d JOIN notices n ON n.notice_id = d.canonical_notice_id
ORDER BY d.site_id, d.url;
