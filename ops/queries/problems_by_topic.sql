-- Listed problems by topic across the collection: how many, in how many notices, how many said rectified,
-- and how surely the topic was read (1 = the special inspection's part, 0.9 = the problem's own words,
-- 0.8 = its aspect heading, lower = its measures).
SELECT p.topic, count(*) AS problems, count(DISTINCT p.notice_id) AS notices,
       count(*) FILTER (WHERE p.status = 'done') AS said_done,
       round(avg(p.topic_score)::numeric, 2) AS mean_score
FROM notice_problems p
WHERE p.topic IS NOT NULL
GROUP BY p.topic
ORDER BY problems DESC, p.topic;
