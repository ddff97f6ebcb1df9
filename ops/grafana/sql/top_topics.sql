-- Collection: the topics (crawler/data/taxonomy.toml) most notices report on.
SELECT t.label AS topic,
       count(DISTINCT t.notice_id) AS notices,
       sum(t.hits) AS mentions
FROM notice_tags t
GROUP BY t.label
ORDER BY notices DESC, mentions DESC, topic
LIMIT 15;
