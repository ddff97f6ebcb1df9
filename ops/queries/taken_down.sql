-- Which notices were taken down from their site, when, and are they back? (Still-missing ones first.)
SELECT t.site_id, t.title, t.published_on, t.withdrawn_at, t.answer, t.restored_at, t.url
FROM notice_takedowns t
ORDER BY t.restored_at IS NOT NULL, t.withdrawn_at DESC, t.notice_id;
