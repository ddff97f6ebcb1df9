-- Notices whose main subject is the business environment (营商环境): the topic of a special inspection they
-- report on, their first-ranked topic, or a quarter of their problems. Any taxonomy id works in its place
-- (crawler/data/taxonomy.toml: business_env, livelihood, …).
SELECT m.site_id, m.title, m.rank, round(m.share::numeric, 2) AS share, m.special
FROM notice_main_topics m
WHERE m.topic = 'business_env'
ORDER BY m.special DESC, m.share DESC, m.notice_id;
