-- What changed in a notice since it was first published?
SELECT n.title, v.version, v.seen_at, v.diff_summary
FROM notice_versions v JOIN notices n USING (notice_id)
WHERE v.version > 1 AND v.event = 'content'  -- not the takedown events
ORDER BY n.notice_id, v.version;
