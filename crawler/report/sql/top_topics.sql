-- Collection: the topics (crawler/data/taxonomy.toml) most notices are tagged with, the 15 first.
-- Columns: tag, label, notices (tagged with it), mentions (its terms' occurrences in them).
SELECT t.tag, t.label, count(*) AS notices, sum(t.hits) AS mentions
FROM notice_tags t
GROUP BY t.tag, t.label
ORDER BY notices DESC, mentions DESC, t.tag
LIMIT 15;
