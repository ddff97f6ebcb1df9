-- Named queries, loaded by crawler/db/connect.py. Each block starts with "-- name: <name>".

-- name: upsert_site
INSERT INTO sites (site_id, name, province, level, home_url, enabled, confidence, disabled_reason, definition, updated_at)
VALUES (%(site_id)s, %(name)s, %(province)s, %(level)s, %(home_url)s, %(enabled)s, %(confidence)s, %(disabled_reason)s,
        %(definition)s, now())
ON CONFLICT (site_id) DO UPDATE SET
    name = EXCLUDED.name, province = EXCLUDED.province, level = EXCLUDED.level,
    home_url = EXCLUDED.home_url, enabled = EXCLUDED.enabled, confidence = EXCLUDED.confidence,
    disabled_reason = EXCLUDED.disabled_reason, definition = EXCLUDED.definition,
    updated_at = now()
WHERE (sites.name, sites.province, sites.level, sites.home_url, sites.enabled, sites.definition)
   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.province, EXCLUDED.level, EXCLUDED.home_url, EXCLUDED.enabled, EXCLUDED.definition)

-- name: discovered_column
SELECT discovered_list_url FROM sites WHERE site_id = %(site_id)s

-- name: trace_candidate
UPDATE sites SET discovery_trace = CASE
        WHEN (discovery_trace ->> 'run_id')::bigint IS DISTINCT FROM %(run_id)s
        THEN jsonb_build_object('run_id', %(run_id)s, 'at', now(), 'candidates', jsonb_build_array(%(candidate)s::jsonb))
        ELSE jsonb_set(discovery_trace, '{candidates}', (discovery_trace -> 'candidates') || %(candidate)s::jsonb)
    END
WHERE site_id = %(site_id)s

-- name: choose_column
UPDATE sites s SET discovered_list_url = best.url, discovered_at = now(),
    discovery_trace = jsonb_set(s.discovery_trace, '{chosen}', to_jsonb(best.url))
FROM (SELECT c ->> 'url' AS url FROM sites x, jsonb_array_elements(x.discovery_trace -> 'candidates') c
      WHERE x.site_id = %(site_id)s AND (c ->> 'notices')::int > 0 AND coalesce((c ->> 'eligible')::boolean, true)
      ORDER BY (c ->> 'score')::float DESC, (c ->> 'depth')::int DESC LIMIT 1) best
WHERE s.site_id = %(site_id)s

-- name: forget_column
UPDATE sites SET discovered_list_url = NULL, discovered_at = now()
WHERE site_id = %(site_id)s AND discovered_list_url IS NOT NULL

-- name: insert_run
INSERT INTO crawl_runs (site_id, trigger, full_crawl, slot, request_key)
VALUES (%(site_id)s, %(trigger)s, %(full_crawl)s, %(slot)s, %(request_key)s)
ON CONFLICT DO NOTHING
RETURNING run_id

-- name: find_run
SELECT run_id FROM crawl_runs
WHERE (request_key IS NOT NULL AND request_key = %(request_key)s)
   OR (slot IS NOT NULL AND site_id = %(site_id)s AND slot = %(slot)s)
   OR (site_id = %(site_id)s AND state = 'running' AND trigger <> 'reparse' AND %(trigger)s <> 'reparse')
ORDER BY (state = 'running') DESC, run_id DESC LIMIT 1

-- name: running_run
SELECT run_id, full_crawl FROM crawl_runs
WHERE site_id = %(site_id)s AND state = 'running' AND trigger <> 'reparse'
ORDER BY run_id DESC LIMIT 1

-- name: get_run
SELECT * FROM crawl_runs WHERE run_id = %(run_id)s

-- name: run_progress
SELECT * FROM crawl_run_progress WHERE run_id = %(run_id)s

-- name: enqueue_item
INSERT INTO raw.work_items (run_id, site_id, kind, url, url_key, host, page_id, payload, max_attempts, lease_until)
VALUES (%(run_id)s, %(site_id)s, %(kind)s, %(url)s, %(url_key)s, %(host)s, %(page_id)s, %(payload)s, %(max_attempts)s,
        now() + make_interval(secs => %(lease)s))
ON CONFLICT (run_id, kind, url_key) DO NOTHING
RETURNING item_id

-- name: claim_item
UPDATE raw.work_items
SET state = 'running', attempts = attempts + 1, updated_at = now(), renewed_at = now(),
    lease_until = now() + make_interval(secs => %(lease)s),
    held_by = %(held_by)s, held_process = %(held_process)s
WHERE item_id = %(item_id)s
  AND (state = 'queued' OR (state = 'running' AND lease_until < now()))
RETURNING *

-- name: claim_next_of_host
-- The host's holder takes its next due crawl item, with what the step reads next to it (the latest page
-- kept for the URL, for a conditional GET; whether the run is a full crawl): one round trip a request.
WITH next AS (
    SELECT item_id, url_key, run_id FROM raw.work_items
    WHERE host = %(host)s AND state = 'queued' AND kind IN ('list', 'article') AND due_at <= now()
    ORDER BY due_at, item_id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
UPDATE raw.work_items w
SET state = 'running', attempts = w.attempts + 1, updated_at = now(), renewed_at = now(),
    lease_until = now() + make_interval(secs => %(lease)s),
    held_by = %(held_by)s, held_process = %(held_process)s
FROM next
JOIN crawl_runs r ON r.run_id = next.run_id
LEFT JOIN LATERAL (
    SELECT p.page_id, p.etag, p.last_modified, p.body_sha256 FROM raw.pages p
    WHERE p.url_key = next.url_key ORDER BY p.fetched_at DESC, p.page_id DESC LIMIT 1
) last ON true
WHERE w.item_id = next.item_id
RETURNING w.*, r.full_crawl AS run_full,
    CASE WHEN last.page_id IS NULL THEN NULL
         ELSE jsonb_build_object('page_id', last.page_id, 'etag', last.etag, 'last_modified', last.last_modified,
                                 'body_sha256', last.body_sha256) END AS last_page

-- name: hosts_waiting
-- Hosts with crawl work due for longer than `late` seconds: their holder is gone (a lost message, a
-- killed worker), or none was started; the sweep starts one (a live holder makes that a no-op).
SELECT DISTINCT host FROM raw.work_items
WHERE state = 'queued' AND kind IN ('list', 'article') AND host IS NOT NULL
  AND due_at <= now() - make_interval(secs => %(late)s)

-- name: host_next_due
-- Seconds until the host's earliest queued crawl item is due (≤ 0: due now; NULL: nothing queued).
SELECT extract(epoch FROM min(due_at) - now())::float AS due_in FROM raw.work_items
WHERE host = %(host)s AND state = 'queued' AND kind IN ('list', 'article')

-- name: item_holder
SELECT state, held_by, held_process FROM raw.work_items WHERE item_id = %(item_id)s

-- name: take_over_item
-- The item runs under a live lease, but its holder is a process of this very worker that is gone
-- (a killed pool child): take it now instead of waiting for the lease. Fenced on the dead holder.
UPDATE raw.work_items
SET attempts = attempts + 1, updated_at = now(), renewed_at = now(),
    lease_until = now() + make_interval(secs => %(lease)s),
    held_by = %(held_by)s, held_process = %(held_process)s,
    error_class = 'worker_lost',
    error = format('the process holding it (%%s on %%s) died (attempt %%s of %%s)', %(dead_process)s::text,
                   %(held_by)s::text, attempts, max_attempts)
WHERE item_id = %(item_id)s AND state = 'running' AND held_by = %(held_by)s AND held_process = %(dead_process)s
RETURNING *

-- name: renew_leases
UPDATE raw.work_items w
SET lease_until = now() + make_interval(secs => %(lease)s), renewed_at = now()
FROM unnest(%(item_ids)s::bigint[], %(attempts)s::int[]) AS h(item_id, attempts)
WHERE w.item_id = h.item_id AND w.attempts = h.attempts AND w.state = 'running'
  AND w.held_process = %(held_process)s
RETURNING w.item_id

-- name: held_by_worker
SELECT item_id, attempts, held_process FROM raw.work_items WHERE state = 'running' AND held_by = %(held_by)s

-- name: release_item
-- A restarted worker hands back what its dead previous incarnation held (fenced on that claim):
-- queued again at once, or dead when its claims are used up (as the sweep would, minutes earlier).
UPDATE raw.work_items
SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
    error_class = 'worker_lost',
    error = format('the process holding it (%%s on %%s) died (attempt %%s of %%s)', held_process, held_by,
                   attempts, max_attempts),
    lease_until = now() + make_interval(secs => %(lease)s), due_at = now(), updated_at = now()
WHERE item_id = %(item_id)s AND state = 'running' AND attempts = %(attempts)s AND held_process = %(held_process)s
RETURNING item_id, kind, state, run_id, site_id, url, host, error_class, error

-- name: pending_of_kinds
-- Queued work of running runs: at a worker's start, its messages may have been reserved by the dead
-- incarnation (Redis gives them back only after its visibility timeout); published again with the
-- countdown they have left. A duplicate message is harmless (a claim is exclusive).
SELECT w.item_id, w.kind, w.host, greatest(0, extract(epoch FROM w.due_at - now()))::float AS countdown
FROM raw.work_items w JOIN crawl_runs r ON r.run_id = w.run_id
WHERE w.state = 'queued' AND r.state = 'running' AND w.kind = ANY(%(kinds)s)
ORDER BY w.item_id

-- name: run_waits
-- What a run waits for: running items whose holder stopped renewing its lease (a lost worker); for the
-- live display also the items running under a live holder (fetching: list and article pages), queued
-- ones due now (waiting for a worker) and due later (a host's turn, a retry's back-off).
SELECT count(*) FILTER (WHERE stale) AS lost,
       coalesce(ceil(extract(epoch FROM max(lease_until - now()) FILTER (WHERE stale))), 0)::int AS lost_lease_left,
       count(*) FILTER (WHERE state = 'running' AND NOT stale) AS running,
       count(*) FILTER (WHERE state = 'running' AND NOT stale AND kind IN ('list', 'article')) AS fetching,
       count(*) FILTER (WHERE state = 'queued' AND due_at <= now()) AS queued_due,
       count(*) FILTER (WHERE state = 'queued' AND due_at > now()) AS queued_later,
       count(*) FILTER (WHERE state = 'queued' AND due_at > now() AND error_class IS NOT NULL) AS retrying,
       extract(epoch FROM min(due_at - now()) FILTER (WHERE state = 'queued' AND due_at > now()))::float AS next_due_in
FROM (SELECT state, kind, lease_until, due_at, error_class,
             state = 'running' AND coalesce(renewed_at, updated_at) < now() - make_interval(secs => %(stale)s) AS stale
      FROM raw.work_items WHERE run_id = %(run_id)s AND state IN ('queued', 'running')) w

-- name: run_hosts_queued
-- Hosts the run's queued fetches wait on (the live display asks Redis whether each is backed off).
SELECT DISTINCT host FROM raw.work_items
WHERE run_id = %(run_id)s AND state = 'queued' AND kind IN ('list', 'article') AND host IS NOT NULL
ORDER BY host

-- name: complete_item
UPDATE raw.work_items
SET state = 'done', outcome = %(outcome)s, updated_at = now(), error_class = NULL, error = NULL,
    payload = payload || %(extra)s
WHERE item_id = %(item_id)s AND state = 'running'
  AND (%(attempts)s::int IS NULL OR (attempts = %(attempts)s AND held_process IS NOT DISTINCT FROM %(held_process)s))
RETURNING item_id

-- name: retry_item
UPDATE raw.work_items
SET state = 'queued', error_class = %(error_class)s, error = %(error)s, updated_at = now(),
    lease_until = now() + make_interval(secs => %(delay)s), due_at = now() + make_interval(secs => %(delay)s)
WHERE item_id = %(item_id)s AND state = 'running' AND attempts = %(attempts)s

-- name: defer_item
UPDATE raw.work_items
SET state = 'queued', attempts = greatest(attempts - 1, 0), updated_at = now(),
    lease_until = now() + make_interval(secs => %(delay)s + %(lease)s),
    due_at = now() + make_interval(secs => %(delay)s)
WHERE item_id = %(item_id)s AND state = 'running' AND attempts = %(attempts)s

-- name: fail_item
UPDATE raw.work_items
SET state = %(state)s, error_class = %(error_class)s, error = %(error)s, updated_at = now()
WHERE item_id = %(item_id)s AND state IN ('running', 'queued')
RETURNING item_id

-- name: insert_failure
INSERT INTO failures (run_id, item_id, site_id, stage, url, error_class, message, http_status, final)
VALUES (%(run_id)s, %(item_id)s, %(site_id)s, %(stage)s, %(url)s, %(error_class)s, %(message)s, %(http_status)s, %(final)s)

-- name: sweep_expired
WITH due AS (
    SELECT item_id FROM raw.work_items
    WHERE state IN ('queued', 'running') AND lease_until < now()
    ORDER BY lease_until
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE raw.work_items w
SET state = CASE WHEN w.state = 'running' AND w.attempts >= w.max_attempts THEN 'dead' ELSE 'queued' END,
    error_class = CASE WHEN w.state = 'running' THEN 'worker_lost' ELSE w.error_class END,
    error = CASE WHEN w.state = 'running'
                 THEN format('lease expired while running (attempt %%s of %%s): the worker died or lost its connection', w.attempts, w.max_attempts)
                 ELSE w.error END,
    lease_until = now() + make_interval(secs => %(lease)s),
    due_at = CASE WHEN w.state = 'running' THEN now() ELSE w.due_at END,
    updated_at = now()
FROM due
WHERE w.item_id = due.item_id
RETURNING w.item_id, w.kind, w.state, w.run_id, w.site_id, w.url, w.host, w.error_class, w.error

-- name: run_has_open_items
SELECT EXISTS (SELECT 1 FROM raw.work_items WHERE run_id = %(run_id)s AND state IN ('queued', 'running')) AS open

-- name: open_runs
SELECT run_id FROM crawl_runs WHERE state = 'running'

-- name: finish_run
UPDATE crawl_runs r
SET state = CASE WHEN read_lists.total > 0 AND read_lists.done = 0 THEN 'failed' ELSE 'done' END,
    error = CASE WHEN read_lists.total > 0 AND read_lists.done = 0
                 THEN format('no list page could be read; %%s: %%s', first_list.url, first_list.error) END,
    finished_at = now(),
    pages_fetched = p.pages_fetched, notices_new = p.notices_new, notices_changed = p.notices_changed,
    notices_unchanged = p.notices_unchanged, notices_failed = p.notices_failed,
    notices_withdrawn = p.notices_withdrawn
FROM crawl_run_progress p
LEFT JOIN LATERAL (
    SELECT w.state, w.url, w.error FROM raw.work_items w
    WHERE w.run_id = p.run_id AND w.kind = 'list' AND w.state IN ('failed', 'dead')
    ORDER BY w.item_id LIMIT 1
) first_list ON true
CROSS JOIN LATERAL (
    SELECT count(*) AS total, count(*) FILTER (WHERE w.state = 'done') AS done
    FROM raw.work_items w WHERE w.run_id = p.run_id AND w.kind = 'list'
) read_lists
WHERE r.run_id = %(run_id)s AND p.run_id = r.run_id AND r.state = 'running' AND p.open_items = 0
RETURNING r.state

-- name: page_known
SELECT 1 FROM raw.pages WHERE url_key = %(url_key)s LIMIT 1

-- name: latest_page
SELECT page_id, etag, last_modified, body_sha256 FROM raw.pages
WHERE url_key = %(url_key)s ORDER BY fetched_at DESC, page_id DESC LIMIT 1

-- name: insert_page
INSERT INTO raw.pages (site_id, url_key, url, final_url, http_status, headers, etag, last_modified, encoding,
                       body_sha256, body_size, body_zlib)
VALUES (%(site_id)s, %(url_key)s, %(url)s, %(final_url)s, %(http_status)s, %(headers)s, %(etag)s,
        %(last_modified)s, %(encoding)s, %(body_sha256)s, %(body_size)s, %(body_zlib)s)
ON CONFLICT (url_key, body_sha256) DO UPDATE SET fetched_at = now(), etag = EXCLUDED.etag,
    last_modified = EXCLUDED.last_modified, headers = EXCLUDED.headers
RETURNING page_id

-- name: touch_page
UPDATE raw.pages SET fetched_at = now() WHERE page_id = %(page_id)s

-- name: get_page
SELECT * FROM raw.pages WHERE page_id = %(page_id)s

-- name: insert_document
-- %(body)b: the document goes in binary, not as hex text for the server to decode.
INSERT INTO raw.documents (item_id, body) VALUES (%(item_id)s, %(body)b)
ON CONFLICT (item_id) DO UPDATE SET body = EXCLUDED.body, created_at = now()

-- name: take_document
-- In the store step's transaction: gone when it commits, still there when it rolls back.
DELETE FROM raw.documents WHERE item_id = %(item_id)s RETURNING body

-- name: notice_for_page
SELECT notice_id FROM notices WHERE url_key = %(url_key)s AND page_id = %(page_id)s

-- name: latest_pages_of_site
SELECT DISTINCT ON (url_key) page_id, site_id, url, url_key FROM raw.pages
WHERE (%(site_id)s::text IS NULL OR site_id = %(site_id)s)
ORDER BY url_key, fetched_at DESC, page_id DESC

-- name: lock_notice
-- NO KEY UPDATE: concurrent stores of one notice queue here, while another store may still link a copy to
-- it (notice_copies' foreign key takes KEY SHARE on the notice; FOR UPDATE would deadlock with that store).
SELECT notice_id, content_sha256, version, parser_version, page_id FROM notices
WHERE url_key = %(url_key)s FOR NO KEY UPDATE

-- name: relink_copies
SELECT relink_notice_copies(%(notice_id)s)

-- name: insert_notice
-- A new notice with its search columns (set_search_vector's values) in one row; nothing when the URL is
-- known: the WHERE skips a known one before its vectors are computed, ON CONFLICT one stored meanwhile.
INSERT INTO notices (site_id, url_key, url, title, issuer, signed_on, published_on, source, inspection_kind,
    inspecting_body, term, round, team, inspection_start, inspection_end, feedback_on, special_topics,
    problems_total, problems_done, contact_phone, contact_email, quality, evidence, body_text, content_sha256,
    version, parser_version, page_id, search_vector, content_simhash, search_head, province, keyword_terms)
SELECT %(site_id)s, %(url_key)s, %(url)s, %(title)s, %(issuer)s, %(signed_on)s::date, %(published_on)s::date,
    %(source)s, %(inspection_kind)s, %(inspecting_body)s, %(term)s::integer, %(round)s::integer, %(team)s::integer,
    %(inspection_start)s::date, %(inspection_end)s::date, %(feedback_on)s::date, %(special_topics)s::text[],
    %(problems_total)s::integer, %(problems_done)s::integer, %(contact_phone)s, %(contact_email)s,
    %(quality)s::text[], %(evidence)s, %(body_text)s, %(content_sha256)s, 1, %(parser_version)s, %(page_id)s::bigint,
    to_tsvector('simple', %(search_text)s), %(simhash)s::bigint, to_tsvector('simple', %(search_head)s),
    (SELECT province FROM sites WHERE sites.site_id = %(site_id)s), %(keyword_terms)s
WHERE NOT EXISTS (SELECT 1 FROM notices WHERE url_key = %(url_key)s)
ON CONFLICT (url_key) DO NOTHING
RETURNING notice_id

-- name: update_notice
UPDATE notices SET url = %(url)s, title = %(title)s, issuer = %(issuer)s, signed_on = %(signed_on)s,
    published_on = %(published_on)s, source = %(source)s, inspection_kind = %(inspection_kind)s,
    inspecting_body = %(inspecting_body)s, term = %(term)s, round = %(round)s, team = %(team)s,
    inspection_start = %(inspection_start)s, inspection_end = %(inspection_end)s, feedback_on = %(feedback_on)s,
    special_topics = %(special_topics)s, problems_total = %(problems_total)s, problems_done = %(problems_done)s,
    contact_phone = %(contact_phone)s, contact_email = %(contact_email)s, quality = %(quality)s,
    evidence = %(evidence)s, body_text = %(body_text)s, content_sha256 = %(content_sha256)s, version = %(version)s,
    parser_version = %(parser_version)s, page_id = %(page_id)s, keyword_terms = %(keyword_terms)s, updated_at = now(),
    search_vector = to_tsvector('simple', %(search_text)s), content_simhash = %(simhash)s,
    search_head = to_tsvector('simple', %(search_head)s),
    province = (SELECT province FROM sites WHERE sites.site_id = notices.site_id)
WHERE notice_id = %(notice_id)s

-- name: version_of_content
SELECT version FROM notice_versions WHERE notice_id = %(notice_id)s AND content_sha256 = %(content_sha256)s

-- name: next_version
SELECT coalesce(max(version), 0) + 1 AS version FROM notice_versions WHERE notice_id = %(notice_id)s

-- name: upsert_version
INSERT INTO notice_versions (notice_id, version, content_sha256, title, body_text, record, page_id, diff_summary)
VALUES (%(notice_id)s, %(version)s, %(content_sha256)s, %(title)s, %(body_text)s, %(record)s, %(page_id)s,
        %(diff_summary)s)
ON CONFLICT (notice_id, content_sha256) DO UPDATE SET record = EXCLUDED.record, page_id = EXCLUDED.page_id

-- name: delete_sections
DELETE FROM notice_sections WHERE notice_id = %(notice_id)s

-- name: insert_sections
-- The children of a notice, one statement per table: one array per column, row i made of the i-th elements.
INSERT INTO notice_sections (notice_id, ordinal, parent, level, path, marker, number, heading, body)
SELECT %(notice_id)s::bigint, * FROM unnest(%(ordinal)b::integer[], %(parent)b::integer[], %(level)b::integer[],
    %(path)b::text[], %(marker)b::text[], %(number)b::integer[], %(heading)b::text[], %(body)b::text[])

-- name: delete_keywords
DELETE FROM notice_keywords WHERE notice_id = %(notice_id)s

-- name: insert_keywords
-- weight: float8 as each single parameter was, then real as the column is.
INSERT INTO notice_keywords (notice_id, rank, keyword, weight)
SELECT %(notice_id)s::bigint, * FROM unnest(%(rank)b::integer[], %(keyword)b::text[], %(weight)b::float8[])

-- name: delete_tags
DELETE FROM notice_tags WHERE notice_id = %(notice_id)s

-- name: insert_tags
INSERT INTO notice_tags (notice_id, tag, label, hits, rank, share, special)
SELECT %(notice_id)s::bigint, * FROM unnest(%(tag)b::text[], %(label)b::text[], %(hits)b::integer[],
    %(rank)b::integer[], %(share)b::real[], %(special)b::boolean[])

-- name: delete_problems
DELETE FROM notice_problems WHERE notice_id = %(notice_id)s

-- name: insert_problems
INSERT INTO notice_problems (notice_id, ordinal, section, path, outline, marker, kind, part, problem, aspect,
                             measures, status, topic, topic_score)
SELECT %(notice_id)s::bigint, * FROM unnest(%(ordinal)b::integer[], %(section)b::integer[], %(path)b::text[],
    %(outline)b::text[], %(marker)b::text[], %(kind)b::text[], %(part)b::text[], %(problem)b::text[],
    %(aspect)b::text[], %(measures)b::text[], %(status)b::text[], %(topic)b::text[], %(topic_score)b::real[])

-- name: previous_version_text
SELECT body_text FROM notice_versions
WHERE notice_id = %(notice_id)s AND version < %(version)s AND event = 'content'
ORDER BY version DESC LIMIT 1

-- name: known_notice
SELECT notice_id FROM notices WHERE url_key = %(url_key)s

-- name: withdraw_notice
UPDATE notices SET withdrawn_at = now(), updated_at = now()
WHERE url_key = %(url_key)s AND withdrawn_at IS NULL
RETURNING notice_id, title

-- name: restore_notice
UPDATE notices SET withdrawn_at = NULL, updated_at = now()
WHERE url_key = %(url_key)s AND withdrawn_at IS NOT NULL AND (NOT %(same_page)s OR page_id = %(page_id)s)
RETURNING notice_id, title

-- name: insert_event
-- Called with the notice's row locked (by the UPDATE that changed withdrawn_at): numbers cannot collide.
INSERT INTO notice_versions (notice_id, version, event, title, page_id, http_status, diff_summary)
SELECT %(notice_id)s, coalesce(max(v.version), 0) + 1, %(event)s, %(title)s, %(page_id)s,
       coalesce(%(http_status)s, (SELECT p.http_status FROM raw.pages p WHERE p.page_id = %(page_id)s)),
       %(answer)s
FROM notice_versions v WHERE v.notice_id = %(notice_id)s

-- name: delete_figures
DELETE FROM notice_figures WHERE notice_id = %(notice_id)s

-- name: insert_figures
-- value: the decimal text a float8 parameter becomes in a numeric column (crawler/db/store.py numeric_text).
INSERT INTO notice_figures (notice_id, ordinal, kind, value, unit, text, sentence)
SELECT %(notice_id)s::bigint, * FROM unnest(%(ordinal)b::integer[], %(kind)b::text[], %(value)b::text[]::numeric[],
    %(unit)b::text[], %(text)b::text[], %(sentence)b::text[])

-- name: site_status
SELECT s.site_id, s.name, s.enabled, h.flags, h.evidence,
       r.run_id, r.trigger, r.state, r.created_at, r.finished_at, r.pages_fetched, r.notices_new,
       r.notices_changed, r.notices_unchanged, r.notices_failed, r.notices_withdrawn, r.error,
       (SELECT count(*) FROM notices n WHERE n.site_id = s.site_id) AS notices_total,
       (SELECT count(*) FROM notices n WHERE n.site_id = s.site_id AND n.withdrawn_at IS NOT NULL) AS withdrawn_total
FROM sites s
LEFT JOIN LATERAL (SELECT * FROM crawl_runs c WHERE c.site_id = s.site_id ORDER BY c.run_id DESC LIMIT 1) r ON true
LEFT JOIN site_health h ON h.site_id = s.site_id
ORDER BY s.site_id

-- name: discovered_columns
SELECT s.site_id, s.discovered_list_url, s.discovered_at, s.discovery_trace, h.probation
FROM sites s LEFT JOIN site_health h USING (site_id)
