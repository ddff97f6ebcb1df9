-- Which notices mention both the business environment (营商环境) and accountability (问责)?
SELECT notice_id, site_id, title, published_on, round(rank::numeric, 4) AS rank, snippet
FROM search_notices('营商环境 & 问责', 50);
