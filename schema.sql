-- Schema of the rectification-notice store. Safe to apply any number of times:
-- every object is created IF NOT EXISTS (or replaced), so `rectify db init` is idempotent.
--
-- Two schemas:
--   public  the curated tables analysts query: sites, crawl runs, notices and what was parsed from them.
--   raw     the machinery: fetched pages (compressed HTML, kept for re-parsing) and the work queue.

CREATE SCHEMA IF NOT EXISTS raw;
COMMENT ON SCHEMA raw IS 'Internal tables of the ingestion machinery: raw fetched pages and the work queue. Not for analysts.';

-- ---------------------------------------------------------------- sites and runs

CREATE TABLE IF NOT EXISTS sites (
    site_id     text PRIMARY KEY,
    name        text NOT NULL,
    province    text,
    level       text NOT NULL DEFAULT 'province',
    home_url    text,
    enabled     boolean NOT NULL DEFAULT true,
    definition  jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE sites ADD COLUMN IF NOT EXISTS confidence text;
ALTER TABLE sites ADD COLUMN IF NOT EXISTS disabled_reason text;
ALTER TABLE sites ADD COLUMN IF NOT EXISTS discovered_list_url text;
ALTER TABLE sites ADD COLUMN IF NOT EXISTS discovered_at timestamptz;
ALTER TABLE sites ADD COLUMN IF NOT EXISTS discovery_trace jsonb;
COMMENT ON TABLE sites IS 'One row per crawled website (a discipline-inspection commission site), synced from the site definition files in crawler/sites/.';
COMMENT ON COLUMN sites.site_id IS 'Short stable identifier of the site, the definition file''s id (e.g. liaoning).';
COMMENT ON COLUMN sites.name IS 'The publishing body''s name as it calls itself (e.g. 辽宁省纪委监委).';
COMMENT ON COLUMN sites.province IS 'Province the site belongs to (辽宁, 山东 …); NULL for the central commission.';
COMMENT ON COLUMN sites.level IS 'central or province.';
COMMENT ON COLUMN sites.home_url IS 'The site''s home page.';
COMMENT ON COLUMN sites.enabled IS 'Whether scheduled crawls run for this site.';
COMMENT ON COLUMN sites.definition IS 'The full site definition (list pages, selectors, schedule, rate limit) as loaded from its file.';
COMMENT ON COLUMN sites.updated_at IS 'When the definition was last synced into the database.';
COMMENT ON COLUMN sites.confidence IS 'How far the definition is backed by evidence: H (real HTML or a recent working crawler), M (older or indirect), L (old selectors, site likely redesigned), G (guess).';
COMMENT ON COLUMN sites.disabled_reason IS 'Why a disabled site is not crawled on schedule.';
COMMENT ON COLUMN sites.discovered_list_url IS 'For sites defined by their home page only: the rectification column found by discovery (the page of the last discovering run that lists the most notices, see discovery_trace), used until it stops yielding notices.';
COMMENT ON COLUMN sites.discovery_trace IS 'How the column was chosen in the last run that discovered it: {"run_id", "at", "chosen": URL, "candidates": [{"url", "depth", "score", "notices", "reason", "eligible"}]}, every page looked at, judged by what it holds (notice links, how many dated, pager, sub-columns, frames, data endpoints).';
COMMENT ON COLUMN sites.discovered_at IS 'When the column was last (re)discovered or forgotten.';

CREATE TABLE IF NOT EXISTS crawl_runs (
    run_id            bigserial PRIMARY KEY,
    site_id           text NOT NULL REFERENCES sites(site_id),
    trigger           text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'reparse')),
    full_crawl        boolean NOT NULL DEFAULT false,
    slot              timestamptz,
    request_key       text UNIQUE,
    state             text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    pages_fetched     integer NOT NULL DEFAULT 0,
    notices_new       integer NOT NULL DEFAULT 0,
    notices_changed   integer NOT NULL DEFAULT 0,
    notices_unchanged integer NOT NULL DEFAULT 0,
    notices_failed    integer NOT NULL DEFAULT 0,
    error             text
);
CREATE UNIQUE INDEX IF NOT EXISTS crawl_runs_site_slot ON crawl_runs (site_id, slot) WHERE slot IS NOT NULL;
-- The per-site lock: at most one crawl of a site at a time. A second request (a manual re-crawl during the
-- scheduled one, a double-submitted command, a second beat) joins the running run instead of starting one.
CREATE UNIQUE INDEX IF NOT EXISTS crawl_runs_one_running_per_site ON crawl_runs (site_id)
    WHERE state = 'running' AND trigger <> 'reparse';
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS notices_withdrawn integer NOT NULL DEFAULT 0;
COMMENT ON TABLE crawl_runs IS 'One row per crawl of one site: who started it, whether it is still running, and what it found.';
COMMENT ON COLUMN crawl_runs.run_id IS 'Run number.';
COMMENT ON COLUMN crawl_runs.site_id IS 'The site crawled.';
COMMENT ON COLUMN crawl_runs.trigger IS 'schedule (celery beat), manual (rectify crawl) or reparse (rectify reparse).';
COMMENT ON COLUMN crawl_runs.full_crawl IS 'True when every known notice page was fetched again (conditional GET) instead of only new links.';
COMMENT ON COLUMN crawl_runs.slot IS 'For scheduled runs, the schedule slot; one run per site and slot even if two schedulers fire.';
COMMENT ON COLUMN crawl_runs.request_key IS 'Idempotency key of the request that created the run; a repeated request returns the same run.';
COMMENT ON COLUMN crawl_runs.state IS 'running until every unit of work of the run has ended; then done, or failed when the site''s list pages could not be read.';
COMMENT ON COLUMN crawl_runs.created_at IS 'When the run was started.';
COMMENT ON COLUMN crawl_runs.finished_at IS 'When the last unit of work of the run ended.';
COMMENT ON COLUMN crawl_runs.pages_fetched IS 'List and notice pages fetched over HTTP (answers 304 Not Modified included).';
COMMENT ON COLUMN crawl_runs.notices_new IS 'Notices stored for the first time by this run.';
COMMENT ON COLUMN crawl_runs.notices_changed IS 'Known notices whose content changed upstream (a new version was stored).';
COMMENT ON COLUMN crawl_runs.notices_unchanged IS 'Notice pages fetched or parsed again with no change in content.';
COMMENT ON COLUMN crawl_runs.notices_failed IS 'Notice pages that could not be fetched, parsed or stored (see failures).';
COMMENT ON COLUMN crawl_runs.notices_withdrawn IS 'Known notices this run found taken down (page answering 404 or 410, or a soft 404): notices.withdrawn_at was set. Not failures.';
COMMENT ON COLUMN crawl_runs.error IS 'Why the run failed, when it did.';

-- ---------------------------------------------------------------- raw pages and the work queue

CREATE TABLE IF NOT EXISTS raw.schema_state (
    sha256      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE raw.schema_state IS 'Digest of the schema last applied (rectify db init / upgrade), so commands can tell the schema is current.';
COMMENT ON COLUMN raw.schema_state.sha256 IS 'SHA-256 of schema.sql and the ordered migrations (crawler/db/migrations).';
COMMENT ON COLUMN raw.schema_state.applied_at IS 'When it was applied.';

CREATE TABLE IF NOT EXISTS raw.schema_migrations (
    name        text PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE raw.schema_migrations IS 'The ordered migrations (crawler/db/migrations/NNNN_name.sql) this database has had, or needed none of because it was made by a schema.sql that already included them.';
COMMENT ON COLUMN raw.schema_migrations.name IS 'The migration''s file name without .sql (e.g. 0001_keywords_weigh_log_tf).';
COMMENT ON COLUMN raw.schema_migrations.applied_at IS 'When it was applied or recorded.';

CREATE TABLE IF NOT EXISTS raw.pages (
    page_id        bigserial PRIMARY KEY,
    site_id        text NOT NULL REFERENCES sites(site_id),
    url_key        text NOT NULL,
    url            text NOT NULL,
    final_url      text NOT NULL,
    http_status    integer NOT NULL,
    headers        jsonb NOT NULL DEFAULT '{}',
    etag           text,
    last_modified  text,
    encoding       text,
    body_sha256    text NOT NULL,
    body_size      integer NOT NULL,
    body_zlib      bytea NOT NULL,
    fetched_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (url_key, body_sha256)
);
CREATE INDEX IF NOT EXISTS pages_url_key ON raw.pages (url_key, fetched_at DESC);
COMMENT ON TABLE raw.pages IS 'Every distinct body fetched for a notice page, zlib-compressed, so notices can be re-parsed without re-crawling.';
COMMENT ON COLUMN raw.pages.page_id IS 'Page number.';
COMMENT ON COLUMN raw.pages.site_id IS 'Site the page was crawled for.';
COMMENT ON COLUMN raw.pages.url_key IS 'Canonical form of the URL (scheme, host case, default port, fragment and tracking parameters normalised).';
COMMENT ON COLUMN raw.pages.url IS 'URL as discovered.';
COMMENT ON COLUMN raw.pages.final_url IS 'URL after redirects.';
COMMENT ON COLUMN raw.pages.http_status IS 'HTTP status of the response that delivered this body.';
COMMENT ON COLUMN raw.pages.headers IS 'Response headers.';
COMMENT ON COLUMN raw.pages.etag IS 'ETag validator, sent back as If-None-Match on the next fetch.';
COMMENT ON COLUMN raw.pages.last_modified IS 'Last-Modified validator, sent back as If-Modified-Since on the next fetch.';
COMMENT ON COLUMN raw.pages.encoding IS 'Character encoding the body was decoded with (gb2312/gbk read as gb18030).';
COMMENT ON COLUMN raw.pages.body_sha256 IS 'SHA-256 of the raw body bytes.';
COMMENT ON COLUMN raw.pages.body_size IS 'Size of the raw body in bytes.';
COMMENT ON COLUMN raw.pages.body_zlib IS 'The raw body, zlib-compressed.';
COMMENT ON COLUMN raw.pages.fetched_at IS 'When this body was (last) fetched.';

CREATE TABLE IF NOT EXISTS raw.work_items (
    item_id      bigserial PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES crawl_runs(run_id),
    site_id      text NOT NULL REFERENCES sites(site_id),
    kind         text NOT NULL CHECK (kind IN ('list', 'article', 'parse', 'store')),
    url          text NOT NULL,
    url_key      text NOT NULL,
    page_id      bigint REFERENCES raw.pages(page_id),
    payload      jsonb NOT NULL DEFAULT '{}',
    state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed', 'dead')),
    attempts     integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5,
    lease_until  timestamptz NOT NULL DEFAULT now(),
    outcome      text,
    error_class  text,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, kind, url_key)
);
CREATE INDEX IF NOT EXISTS work_items_open ON raw.work_items (lease_until) WHERE state IN ('queued', 'running');
ALTER TABLE raw.work_items ADD COLUMN IF NOT EXISTS held_by text;
ALTER TABLE raw.work_items ADD COLUMN IF NOT EXISTS held_process text;
ALTER TABLE raw.work_items ADD COLUMN IF NOT EXISTS renewed_at timestamptz;
ALTER TABLE raw.work_items ADD COLUMN IF NOT EXISTS due_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS work_items_held ON raw.work_items (held_by) WHERE state = 'running';
ALTER TABLE raw.work_items ADD COLUMN IF NOT EXISTS host text;
-- Open crawl items queued before the column existed get their host (idempotent; none on a new database).
UPDATE raw.work_items SET host = lower(substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)'))
WHERE host IS NULL AND kind IN ('list', 'article') AND state IN ('queued', 'running');
-- The next due crawl item of a host (claimed by that host's one holder, crawler/web/turns.py).
CREATE INDEX IF NOT EXISTS work_items_host_due ON raw.work_items (host, due_at, item_id)
    WHERE state = 'queued' AND kind IN ('list', 'article');
CREATE INDEX IF NOT EXISTS work_items_run ON raw.work_items (run_id, state);
COMMENT ON TABLE raw.work_items IS 'The durable work queue: every unit of work (a list page, a notice page to fetch, a page to parse, a record to store) with its state and lease. Redis only carries item ids; a sweep re-enqueues items whose lease expired, so a lost message delays work but never loses it.';
COMMENT ON COLUMN raw.work_items.item_id IS 'Work item number, the only thing a Celery message carries.';
COMMENT ON COLUMN raw.work_items.run_id IS 'The crawl run this work belongs to.';
COMMENT ON COLUMN raw.work_items.site_id IS 'Site of the run.';
COMMENT ON COLUMN raw.work_items.kind IS 'list (read a list page), article (fetch a notice page), parse (parse a fetched page), store (write a parsed notice).';
COMMENT ON COLUMN raw.work_items.url IS 'The page concerned.';
COMMENT ON COLUMN raw.work_items.host IS 'Host of the URL, for list and article items: a host''s crawl work is fetched by one holder at a time, in due order, at the host''s rate.';
COMMENT ON COLUMN raw.work_items.url_key IS 'Canonical URL; one item per run, kind and URL.';
COMMENT ON COLUMN raw.work_items.page_id IS 'For parse and store items, the fetched page.';
COMMENT ON COLUMN raw.work_items.payload IS 'Inputs of the step (list page number, link title …) and what it found; never the parsed document, which a store item finds in raw.documents by its id.';
COMMENT ON COLUMN raw.work_items.state IS 'queued (message sent or due), running (claimed under a lease), done, failed (gave up with an error), dead (lease expired max_attempts times: the worker died on it).';
COMMENT ON COLUMN raw.work_items.attempts IS 'How many times a worker claimed the item.';
COMMENT ON COLUMN raw.work_items.max_attempts IS 'Claims allowed before the item is declared dead.';
COMMENT ON COLUMN raw.work_items.lease_until IS 'When a queued or running item is considered lost and re-enqueued by the sweep. A running item''s lease is short (RECTIFY_LEASE_SECONDS) and renewed by its holder''s heartbeat; a queued item''s is RECTIFY_QUEUE_LEASE_SECONDS (its message may wait behind others).';
COMMENT ON COLUMN raw.work_items.outcome IS 'What the finished step found: new, changed, unchanged, not_modified, known, not_notice, listed; for a known notice''s page: withdrawn (found gone, marked), gone (still gone, already marked), restored (back online, answering 304 or the same page).';
COMMENT ON COLUMN raw.work_items.error_class IS 'Short error class of the last failure (http_500, timeout, too_large, offsite_redirect …).';
COMMENT ON COLUMN raw.work_items.error IS 'Readable message of the last failure.';
COMMENT ON COLUMN raw.work_items.created_at IS 'When the work was discovered.';
COMMENT ON COLUMN raw.work_items.updated_at IS 'Last state change.';
COMMENT ON COLUMN raw.work_items.held_by IS 'The worker (Celery node name, e.g. rectify@host) whose process claimed the item last; a restarted worker of that name releases at once what its dead processes held.';
COMMENT ON COLUMN raw.work_items.held_process IS 'The process that claimed the item: pid:start time (clock ticks since boot), so a reused pid is not taken for the holder.';
COMMENT ON COLUMN raw.work_items.renewed_at IS 'Last time the holder renewed the lease (claim, then its heartbeat every RECTIFY_HEARTBEAT_SECONDS); older than a few heartbeats means the holder is lost.';
COMMENT ON COLUMN raw.work_items.due_at IS 'When a queued item may run: now for new work, later for a retry back-off or a host''s turn (a worker restart re-publishes queued work with the countdown left).';

-- The parse step's document, passed to the store step by id: written under the store item's id in the
-- transaction that queues that item, taken (deleted) in the transaction that stores the notice. Work items
-- and their messages carry ids only. Stored as it comes (STORAGE EXTERNAL: no compression to spend CPU on).
CREATE TABLE IF NOT EXISTS raw.documents (
    item_id     bigint PRIMARY KEY REFERENCES raw.work_items(item_id) ON DELETE CASCADE,
    body        bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE raw.documents ALTER COLUMN body SET STORAGE EXTERNAL;
COMMENT ON TABLE raw.documents IS 'Parsed notice documents waiting for their store item: written by the parse step under the id of the store item it queues, deleted by the store step in the transaction that stores the notice (one left behind belongs to a store item that failed or is still queued).';
COMMENT ON COLUMN raw.documents.item_id IS 'The store item (raw.work_items, kind store) that writes this document into the notice tables.';
COMMENT ON COLUMN raw.documents.body IS 'The document (record, sections, problems, keywords, figures, tags, search text, SimHash) as UTF-8 JSON (crawler/db/documents.py).';
COMMENT ON COLUMN raw.documents.created_at IS 'When the parse step wrote it.';

-- ---------------------------------------------------------------- notices

CREATE TABLE IF NOT EXISTS notices (
    notice_id         bigserial PRIMARY KEY,
    site_id           text NOT NULL REFERENCES sites(site_id),
    url_key           text NOT NULL UNIQUE,
    url               text NOT NULL,
    title             text,
    issuer            text,
    signed_on         date,
    published_on      date,
    source            text,
    inspection_kind   text CHECK (inspection_kind IN ('巡视', '巡察')),
    inspecting_body   text,
    term              integer,
    round             integer,
    team              integer,
    inspection_start  date,
    inspection_end    date,
    feedback_on       date,
    special_topics    text[] NOT NULL DEFAULT '{}',
    problems_total    integer,
    problems_done     integer,
    contact_phone     text,
    contact_email     text,
    quality           text[] NOT NULL DEFAULT '{}',
    body_text         text NOT NULL,
    content_sha256    text NOT NULL,
    version           integer NOT NULL DEFAULT 1,
    parser_version    text NOT NULL,
    page_id           bigint REFERENCES raw.pages(page_id),
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS notices_site ON notices (site_id, published_on DESC);
ALTER TABLE notices ADD COLUMN IF NOT EXISTS search_vector tsvector;
ALTER TABLE notices ADD COLUMN IF NOT EXISTS content_simhash bigint;
ALTER TABLE notices ADD COLUMN IF NOT EXISTS province text;
ALTER TABLE notices ADD COLUMN IF NOT EXISTS search_head tsvector;
ALTER TABLE notices ADD COLUMN IF NOT EXISTS evidence jsonb NOT NULL DEFAULT '{}';
ALTER TABLE notices ADD COLUMN IF NOT EXISTS withdrawn_at timestamptz;
ALTER TABLE notices ADD COLUMN IF NOT EXISTS keyword_terms jsonb;
CREATE INDEX IF NOT EXISTS notices_withdrawn ON notices (site_id) WHERE withdrawn_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS notices_search ON notices USING gin (search_vector);
COMMENT ON TABLE notices IS 'One row per rectification notice (巡视/巡察整改进展情况通报), keyed by its canonical URL, holding the latest version of its parsed record (see corpus SPEC).';
COMMENT ON COLUMN notices.notice_id IS 'Notice number.';
COMMENT ON COLUMN notices.site_id IS 'Site the notice was found on.';
COMMENT ON COLUMN notices.url_key IS 'Canonical URL: URL variants (scheme, host case, trailing slash, tracking parameters, fragment) collapse to one notice.';
COMMENT ON COLUMN notices.url IS 'URL of the notice page.';
COMMENT ON COLUMN notices.title IS 'The notice''s own title as printed.';
COMMENT ON COLUMN notices.issuer IS 'Organisation issuing the notice (the signature line, else the title before 关于).';
COMMENT ON COLUMN notices.signed_on IS 'Date under the signature at the end.';
COMMENT ON COLUMN notices.published_on IS 'Publication date of the page.';
COMMENT ON COLUMN notices.source IS 'The page''s 来源 line (who published it), when it has one.';
COMMENT ON COLUMN notices.inspection_kind IS '巡视 (inspection by a central or provincial committee) or 巡察 (by a city or county committee).';
COMMENT ON COLUMN notices.inspecting_body IS 'Who ran the inspection: 中央, 省委, 市委, 县委, 区委.';
COMMENT ON COLUMN notices.term IS 'Term (届) of the inspecting committee, e.g. 十三届省委 → 13.';
COMMENT ON COLUMN notices.round IS 'Round (轮) of the inspection, e.g. 第四轮 → 4.';
COMMENT ON COLUMN notices.team IS 'Number of the inspection team, e.g. 省委第三巡视组 → 3.';
COMMENT ON COLUMN notices.inspection_start IS 'First day of the on-site inspection.';
COMMENT ON COLUMN notices.inspection_end IS 'Last day of the on-site inspection.';
COMMENT ON COLUMN notices.feedback_on IS 'Day the inspection team fed its findings back (反馈) to the inspected organisation.';
COMMENT ON COLUMN notices.special_topics IS 'Topics of the special inspections (专项巡视/专项巡察) the notice reports on, done alone or with the regular one, e.g. {营商环境}, {乡村振兴领域}; empty when none.';
COMMENT ON COLUMN notices.problems_total IS 'Number of problems the feedback raised, when the notice states one overall count.';
COMMENT ON COLUMN notices.problems_done IS 'How many of those problems the notice says are already rectified.';
COMMENT ON COLUMN notices.contact_phone IS 'Phone number given for public feedback, as written.';
COMMENT ON COLUMN notices.contact_email IS 'E-mail address given for public feedback, as written.';
COMMENT ON COLUMN notices.quality IS 'Names of the cross-field checks the record fails (e.g. done_le_total); empty when all pass. Treat flagged values with care.';
COMMENT ON COLUMN notices.body_text IS 'Plain text of the notice body, one paragraph per line.';
COMMENT ON COLUMN notices.content_sha256 IS 'SHA-256 of the normalised title and body text; a new value means the notice changed upstream.';
COMMENT ON COLUMN notices.version IS 'Content version: the notice_versions number of its current text. 1 when first stored; a text changed upstream takes the next number of the notice''s history, where takedown events (withdrawn, restored) are numbered too.';
COMMENT ON COLUMN notices.parser_version IS 'Version of the parser that produced the record (rectify reparse refreshes it).';
COMMENT ON COLUMN notices.page_id IS 'The raw page the record was parsed from.';
COMMENT ON COLUMN notices.first_seen_at IS 'When the notice was first stored.';
COMMENT ON COLUMN notices.updated_at IS 'When the row last changed.';
COMMENT ON COLUMN notices.evidence IS 'Why each field has its value: {field: {"text": the words it was read from, "start", "end": their character offsets in body_text}} for every field with a value; "from": "page" (and no offsets) where the page''s title element or date metadata gave it. Example: evidence->''problems_total''->>''text''.';
COMMENT ON COLUMN notices.search_head IS 'A small vector of the title and keywords, used to rank matches cheaply (search_notices).';
COMMENT ON COLUMN notices.province IS 'Province of the site the notice was found on (NULL for the central commission''s site).';
COMMENT ON COLUMN notices.content_simhash IS '64-bit SimHash of the segmented text: republished copies of a notice differ in a few bits (see notice_duplicates).';
COMMENT ON COLUMN notices.withdrawn_at IS 'When a re-check (rectify crawl --full) found the notice''s page gone: HTTP 404 or 410, or the site''s "page not found" page served with 200 (soft 404). NULL while the page is online; cleared when it comes back. The notice and its rows are kept; the events are in notice_versions, the takedowns in notice_takedowns.';
COMMENT ON COLUMN notices.keyword_terms IS 'Every candidate keyword of the notice''s own text with its count ({"沈阳市皇姑区": 3, "专班": 5, …}): whole words and names, no chrome, placeholders or fragments. The keyword refresh ranks notice_keywords from these with the collection''s document frequencies; read notice_keywords, not this. NULL for notices parsed before keywords were made this way (rectify reparse fills it).';
COMMENT ON COLUMN notices.search_vector IS 'Full-text index of title and body: the jieba tokens under the simple configuration (no extension needed); query it with search_notices().';

CREATE TABLE IF NOT EXISTS notice_versions (
    notice_id       bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
    version         integer NOT NULL,
    content_sha256  text NOT NULL,
    title           text,
    body_text       text NOT NULL,
    record          jsonb NOT NULL,
    page_id         bigint REFERENCES raw.pages(page_id),
    seen_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notice_id, version),
    UNIQUE (notice_id, content_sha256)
);
ALTER TABLE notice_versions ADD COLUMN IF NOT EXISTS diff_summary text;
-- Takedowns: event rows (withdrawn, restored) carry no content; rows stored before events existed are content.
ALTER TABLE notice_versions ADD COLUMN IF NOT EXISTS event text NOT NULL DEFAULT 'content'
    CONSTRAINT notice_versions_event_check CHECK (event IN ('content', 'withdrawn', 'restored'))
    CONSTRAINT notice_versions_content_check
        CHECK (event <> 'content' OR (content_sha256 IS NOT NULL AND body_text IS NOT NULL AND record IS NOT NULL));
ALTER TABLE notice_versions ADD COLUMN IF NOT EXISTS http_status integer;
ALTER TABLE notice_versions ALTER COLUMN content_sha256 DROP NOT NULL;
ALTER TABLE notice_versions ALTER COLUMN body_text DROP NOT NULL;
ALTER TABLE notice_versions ALTER COLUMN record DROP NOT NULL;
COMMENT ON TABLE notice_versions IS 'The history of each notice: every distinct content over time (a notice edited upstream gets a new version, not a new notice), and the events of its page: taken down (withdrawn) and back online (restored).';
COMMENT ON COLUMN notice_versions.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_versions.version IS 'Number of the entry in the notice''s history, in the order things happened: 1 for the first content seen; contents and events share the numbering.';
COMMENT ON COLUMN notice_versions.event IS 'content (a version of the text), withdrawn (a re-check found the page gone: 404, 410 or a soft 404) or restored (a later re-check found the notice online again).';
COMMENT ON COLUMN notice_versions.content_sha256 IS 'SHA-256 of the normalised title and body text of this version; NULL for an event.';
COMMENT ON COLUMN notice_versions.title IS 'Title of this version; for an event, the notice''s title at the time.';
COMMENT ON COLUMN notice_versions.body_text IS 'Body text of this version; NULL for an event.';
COMMENT ON COLUMN notice_versions.record IS 'The parsed SPEC record of this version, as JSON; NULL for an event.';
COMMENT ON COLUMN notice_versions.page_id IS 'The raw page this version was parsed from; for restored, the page found online again; NULL for withdrawn (a missing page is not stored).';
COMMENT ON COLUMN notice_versions.http_status IS 'For an event, the HTTP status the page answered: 404 or 410, 200 for a soft 404 or a page back online, 304 for one back unchanged; NULL for content.';
COMMENT ON COLUMN notice_versions.seen_at IS 'When this version was first stored, or when the event was found.';
COMMENT ON COLUMN notice_versions.diff_summary IS 'What changed from the previous version, in words (lines added and removed, the first change); NULL for version 1. For an event, what the page answered, in words.';

CREATE TABLE IF NOT EXISTS notice_sections (
    notice_id   bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
    ordinal     integer NOT NULL,
    parent      integer,
    level       integer NOT NULL,
    path        text NOT NULL,
    marker      text NOT NULL,
    number      integer,
    heading     text NOT NULL,
    body        text NOT NULL,
    PRIMARY KEY (notice_id, ordinal)
);
COMMENT ON TABLE notice_sections IS 'The numbered sections of each notice (一、 / （一） / 1. / （1） / 一是 …) as a tree, in reading order.';
COMMENT ON COLUMN notice_sections.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_sections.ordinal IS 'Position of the section in reading order, from 0.';
COMMENT ON COLUMN notice_sections.parent IS 'Ordinal of the enclosing section; NULL for a top-level section.';
COMMENT ON COLUMN notice_sections.level IS 'Depth of the numbering style: 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）, deeper for 一是 enumerations.';
COMMENT ON COLUMN notice_sections.path IS 'Dotted position in the tree, e.g. 2.1.3.';
COMMENT ON COLUMN notice_sections.marker IS 'The numbering as printed, e.g. （一）.';
COMMENT ON COLUMN notice_sections.number IS 'The number of the marker as an integer.';
COMMENT ON COLUMN notice_sections.heading IS 'The section heading.';
COMMENT ON COLUMN notice_sections.body IS 'The section''s own text, without its subsections.';

CREATE TABLE IF NOT EXISTS notice_keywords (
    notice_id   bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
    rank        integer NOT NULL,
    keyword     text NOT NULL,
    weight      real NOT NULL,
    PRIMARY KEY (notice_id, rank)
);
COMMENT ON TABLE notice_keywords IS 'The 20 words and names that tell each notice from the others: TF-IDF over the notice''s own text (no page chrome, site names, placeholders such as 某某, latin or number tokens), whole words only (never a piece of a longer word of the notice), the names of places, units, programmes and projects kept whole (沈阳市沈河区, 金普新区, 双随机一公开). The IDF is learned from the stored notices (refreshed daily with corpus_idf, and by rectify db refresh), pooled with 136 real notices shipped with the parser for a small collection; a word found in more than half of the notices is no keyword. Quality figures: bench/tags, README.';
COMMENT ON COLUMN notice_keywords.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_keywords.rank IS '1 for the strongest keyword.';
COMMENT ON COLUMN notice_keywords.keyword IS 'The word or name, as the notice writes it.';
COMMENT ON COLUMN notice_keywords.weight IS '(1 + ln(occurrences in the notice)) × IDF, halved for verbs, adjectives and adverbs and scaled down for words common in general Chinese; IDF = ln((N + a + 1) / (df + a·p + 1)) over the N stored notices (df of them hold the word) and a shipped notices (p of them hold it; a = 136·50/(50 + N)). Comparable within a refresh; notices stored since the last refresh are weighed with the shipped notices alone.';

CREATE TABLE IF NOT EXISTS notice_tags (
    notice_id   bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
    tag         text NOT NULL,
    label       text NOT NULL,
    hits        integer NOT NULL,
    PRIMARY KEY (notice_id, tag)
);
ALTER TABLE notice_tags ADD COLUMN IF NOT EXISTS rank integer;
ALTER TABLE notice_tags ADD COLUMN IF NOT EXISTS share real;
ALTER TABLE notice_tags ADD COLUMN IF NOT EXISTS special boolean NOT NULL DEFAULT false;
COMMENT ON TABLE notice_tags IS 'The topics each notice is about (taxonomy: crawler/data/taxonomy.toml), ranked by how much of the notice they take: the topics of its special inspections first, then by share. A topic is a tag only when it is a special inspection''s topic or takes at least 10 % of the notice, so a tag selects notices (for the main subjects only: notice_main_topics).';
COMMENT ON COLUMN notice_tags.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_tags.tag IS 'Topic id from the taxonomy (ascii).';
COMMENT ON COLUMN notice_tags.label IS 'Chinese label of the topic.';
COMMENT ON COLUMN notice_tags.hits IS 'How many times the topic''s terms occur in the notice (its text; a heading mention counts too).';
COMMENT ON COLUMN notice_tags.rank IS '1 for the notice''s main topic: the topics of its special inspections first (in the order the notice names them), then by share. NULL for notices parsed before tags were ranked (rectify reparse fills it).';
COMMENT ON COLUMN notice_tags.share IS 'The part of the notice the topic takes, 0..1: of its listed problems (notice_problems.topic) when it lists at least 3, else of all topic-term hits in its text.';
COMMENT ON COLUMN notice_tags.special IS 'The notice reports on a special inspection (专项巡视/巡察, notices.special_topics) of this topic: 营商环境 → business_env, 乡村振兴领域 → rural.';

CREATE TABLE IF NOT EXISTS notice_problems (
    notice_id   bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
    ordinal     integer NOT NULL,
    section     integer NOT NULL,
    path        text NOT NULL,
    marker      text NOT NULL,
    problem     text NOT NULL,
    aspect      text,
    measures    text NOT NULL,
    status      text CHECK (status IN ('done', 'ongoing')),
    PRIMARY KEY (notice_id, ordinal)
);
ALTER TABLE notice_problems ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'problem' CHECK (kind IN ('problem', 'item'));
ALTER TABLE notice_problems ADD COLUMN IF NOT EXISTS part text;
ALTER TABLE notice_problems ADD COLUMN IF NOT EXISTS outline text;
ALTER TABLE notice_problems ADD COLUMN IF NOT EXISTS topic text;
ALTER TABLE notice_problems ADD COLUMN IF NOT EXISTS topic_score real;
CREATE INDEX IF NOT EXISTS notice_problems_topic ON notice_problems (topic);
COMMENT ON TABLE notice_problems IS 'The problems each notice reports on, with the measures reported under each: the rectification structure as countable rows. Rows are the most specific headings of the rectification parts that name a problem (关于……问题, 针对“……”问题, 着力解决……的问题, or a shortcoming such as ……不到位); where a notice reports item by item without naming problems, its items (kind = item).';
COMMENT ON COLUMN notice_problems.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_problems.ordinal IS 'Position of the problem in the notice, from 0.';
COMMENT ON COLUMN notice_problems.section IS 'Ordinal of its section in notice_sections.';
COMMENT ON COLUMN notice_problems.path IS 'Position in the outline, e.g. 2.1.3 (二 / (一) / 3.).';
COMMENT ON COLUMN notice_problems.outline IS 'Its numbering from the top of the notice as printed, e.g. 二/(一)/1/(1); a run-in problem (an unnumbered 关于…问题。 paragraph) has its section''s.';
COMMENT ON COLUMN notice_problems.marker IS 'The numbering as printed, e.g. (3).';
COMMENT ON COLUMN notice_problems.problem IS 'The problem as the heading names it (关于…问题 without 关于/问题 and enclosing quotes), or the item''s heading.';
COMMENT ON COLUMN notice_problems.aspect IS 'The feedback aspect (方面) it belongs to, when the notice groups problems under one.';
COMMENT ON COLUMN notice_problems.measures IS 'What the notice says was done about it (the text under the heading).';
COMMENT ON COLUMN notice_problems.kind IS 'problem: the heading names the problem; item: a rectification item (整改事项) whose heading names the task, for notices that do not name their problems.';
COMMENT ON COLUMN notice_problems.part IS 'The part of the notice it is reported in (e.g. 常规巡视整改落实情况, 营商环境专项巡视整改落实情况); NULL when the notice has no such part.';
COMMENT ON COLUMN notice_problems.topic IS 'The problem''s topic: a taxonomy id (crawler/data/taxonomy.toml) or other. Read, in the taxonomy guide''s order, from the special inspection''s part it sits in (every problem of a 营商环境专项巡视 part is business_env), the problem''s own words, its aspect heading (a problem under 选人用人 is personnel even when its words never say so), what its measures mainly do. NULL for notices parsed before problems had topics (rectify reparse fills it). Accuracy against a blind gold set: bench/tags, README.';
COMMENT ON COLUMN notice_problems.topic_score IS 'How the topic was decided, as a confidence: 1 the special inspection''s part, 0.9 the problem''s own words, 0.8 its aspect heading, 0.3-0.7 its measures (more when one topic dominates them), 0.3 a weak hint, 0 other.';
COMMENT ON COLUMN notice_problems.status IS 'done (已完成整改/整改到位 …), ongoing (持续推进/阶段性 …), or NULL when the text does not say.';

CREATE TABLE IF NOT EXISTS notice_figures (
    notice_id   bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
    ordinal     integer NOT NULL,
    kind        text NOT NULL,
    value       numeric NOT NULL,
    unit        text NOT NULL,
    text        text NOT NULL,
    sentence    text NOT NULL,
    PRIMARY KEY (notice_id, ordinal)
);
CREATE INDEX IF NOT EXISTS notice_figures_kind ON notice_figures (kind);
COMMENT ON TABLE notice_figures IS 'Quantitative facts stated in each notice (people held accountable or disciplined, cases filed, money recovered, rules made, problem counts, completion rates), each with the sentence that states it.';
COMMENT ON COLUMN notice_figures.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_figures.ordinal IS 'Position of the figure in reading order, from 0.';
COMMENT ON COLUMN notice_figures.kind IS 'accountability (问责 N 人), discipline (党纪政务处分 N 人), cases_filed (立案 N 件), money_recovered (挽回/追缴/清退 … 万元), rules_made (建立/完善制度 N 项), problems_raised (反馈问题 N 个), problems_rectified (已完成整改 N 个), completion_rate (完成率 / 占比 %).';
COMMENT ON COLUMN notice_figures.value IS 'The number; money normalised to 万元 (亿 and 元 converted), rates in percent.';
COMMENT ON COLUMN notice_figures.unit IS 'The measure as printed (人, 名, 件, 起, 项, 个 …), 万元 for money, % for rates.';
COMMENT ON COLUMN notice_figures.text IS 'The words that state the figure, as printed.';
COMMENT ON COLUMN notice_figures.sentence IS 'The whole sentence the figure comes from.';

CREATE TABLE IF NOT EXISTS failures (
    failure_id   bigserial PRIMARY KEY,
    run_id       bigint REFERENCES crawl_runs(run_id),
    item_id      bigint REFERENCES raw.work_items(item_id),
    site_id      text REFERENCES sites(site_id),
    stage        text NOT NULL CHECK (stage IN ('crawl', 'parse', 'store')),
    url          text,
    error_class  text NOT NULL,
    message      text NOT NULL,
    http_status  integer,
    final        boolean NOT NULL DEFAULT true,
    occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS failures_run ON failures (run_id);
COMMENT ON TABLE failures IS 'Every failure of a unit of work: what stage, which URL, what class of error and a readable message.';
COMMENT ON COLUMN failures.failure_id IS 'Failure number.';
COMMENT ON COLUMN failures.run_id IS 'The crawl run.';
COMMENT ON COLUMN failures.item_id IS 'The unit of work that failed.';
COMMENT ON COLUMN failures.site_id IS 'The site.';
COMMENT ON COLUMN failures.stage IS 'crawl (fetching a list or notice page), parse or store.';
COMMENT ON COLUMN failures.url IS 'The page concerned.';
COMMENT ON COLUMN failures.error_class IS 'Short error class: http_500, http_404, timeout, too_large, offsite_redirect, robots_disallowed, decode_error, parse_error, worker_lost …';
COMMENT ON COLUMN failures.message IS 'Readable explanation.';
COMMENT ON COLUMN failures.http_status IS 'HTTP status when the failure was an HTTP answer.';
COMMENT ON COLUMN failures.final IS 'True when the work was given up; false when it will be retried.';
COMMENT ON COLUMN failures.occurred_at IS 'When it happened.';

CREATE OR REPLACE VIEW crawl_run_progress AS
SELECT r.run_id, r.site_id, r.trigger, r.state, r.created_at, r.finished_at,
       count(*) FILTER (WHERE w.kind IN ('list', 'article') AND w.outcome IN ('fetched', 'listed', 'not_modified', 'unchanged', 'withdrawn', 'gone', 'restored')) AS pages_fetched,
       count(*) FILTER (WHERE w.kind = 'store' AND w.outcome = 'new') AS notices_new,
       count(*) FILTER (WHERE w.kind = 'store' AND w.outcome = 'changed') AS notices_changed,
       count(*) FILTER (WHERE (w.kind = 'store' AND w.outcome = 'unchanged') OR (w.kind = 'article' AND w.outcome IN ('not_modified', 'unchanged', 'gone', 'restored'))) AS notices_unchanged,
       count(*) FILTER (WHERE w.kind <> 'list' AND w.state IN ('failed', 'dead')) AS notices_failed,
       count(*) FILTER (WHERE w.state IN ('queued', 'running')) AS open_items,
       count(*) FILTER (WHERE w.kind = 'article' AND w.outcome = 'withdrawn') AS notices_withdrawn
FROM crawl_runs r
LEFT JOIN raw.work_items w ON w.run_id = r.run_id
GROUP BY r.run_id;
COMMENT ON VIEW crawl_run_progress IS 'Live progress of each crawl run, counted from its units of work (what rectify crawl prints while it waits).';
COMMENT ON COLUMN crawl_run_progress.run_id IS 'The run.';
COMMENT ON COLUMN crawl_run_progress.site_id IS 'The site.';
COMMENT ON COLUMN crawl_run_progress.trigger IS 'What started the run.';
COMMENT ON COLUMN crawl_run_progress.state IS 'running, done or failed.';
COMMENT ON COLUMN crawl_run_progress.created_at IS 'When the run started.';
COMMENT ON COLUMN crawl_run_progress.finished_at IS 'When it ended.';
COMMENT ON COLUMN crawl_run_progress.pages_fetched IS 'Pages fetched so far.';
COMMENT ON COLUMN crawl_run_progress.notices_new IS 'Notices stored for the first time so far.';
COMMENT ON COLUMN crawl_run_progress.notices_changed IS 'Notices with a new version so far.';
COMMENT ON COLUMN crawl_run_progress.notices_unchanged IS 'Notices seen again without change so far (a page still gone, or back as it was, included).';
COMMENT ON COLUMN crawl_run_progress.notices_failed IS 'Notice pages that failed so far.';
COMMENT ON COLUMN crawl_run_progress.open_items IS 'Units of work still queued or running.';
COMMENT ON COLUMN crawl_run_progress.notices_withdrawn IS 'Known notices found taken down so far (see notices.withdrawn_at).';

-- What the metrics endpoint (rectify metrics, read as the analyst) and the Pipeline dashboard count: the work
-- queue summed by site, kind, state and outcome, with the ages that tell a stuck queue from a busy one.
CREATE OR REPLACE VIEW work_summary AS
SELECT w.site_id, w.kind,
       CASE WHEN w.kind IN ('list', 'article') THEN 'crawl' ELSE w.kind END AS queue,
       w.state, w.outcome,
       count(*) AS items,
       sum(w.attempts) AS attempts,
       count(*) FILTER (WHERE w.state = 'queued' AND w.due_at <= now()) AS due,
       min(w.due_at) FILTER (WHERE w.state = 'queued' AND w.due_at <= now()) AS oldest_due_at,
       count(*) FILTER (WHERE w.state = 'running' AND w.lease_until < now()) AS lease_expired,
       max(w.updated_at) FILTER (WHERE w.state IN ('done', 'failed', 'dead')) AS last_finished_at
FROM raw.work_items w
GROUP BY w.site_id, w.kind, w.state, w.outcome;
COMMENT ON VIEW work_summary IS 'The work queue summed up (one row per site, kind, state and outcome): what rectify metrics exports for Prometheus and the Pipeline dashboard shows. Finished rows only grow, so their counts are totals since the database began.';
COMMENT ON COLUMN work_summary.site_id IS 'The site.';
COMMENT ON COLUMN work_summary.kind IS 'list, article, parse or store (see raw.work_items.kind).';
COMMENT ON COLUMN work_summary.queue IS 'The Celery queue the kind runs on: crawl (list and article), parse, store.';
COMMENT ON COLUMN work_summary.state IS 'queued, running, done, failed or dead.';
COMMENT ON COLUMN work_summary.outcome IS 'What the finished steps found (new, changed, unchanged, listed, fetched, not_modified …); NULL while open.';
COMMENT ON COLUMN work_summary.items IS 'Units of work in this row.';
COMMENT ON COLUMN work_summary.attempts IS 'Claims of those units by workers, summed: above items, the difference is retries and take-overs.';
COMMENT ON COLUMN work_summary.due IS 'Queued units whose time to run has come (not waiting for a back-off or a host''s turn).';
COMMENT ON COLUMN work_summary.oldest_due_at IS 'Since when the longest-waiting due unit could have run.';
COMMENT ON COLUMN work_summary.lease_expired IS 'Running units whose lease has run out: their worker stopped renewing it (died, or lost its connection); the sweep takes them back.';
COMMENT ON COLUMN work_summary.last_finished_at IS 'When the last unit of this row finished.';

CREATE OR REPLACE VIEW site_health AS
WITH runs AS (
    SELECT r.*, row_number() OVER (PARTITION BY r.site_id ORDER BY r.run_id DESC) AS recency,
           (SELECT coalesce(sum((w.payload ->> 'links')::int), 0) FROM raw.work_items w
             WHERE w.run_id = r.run_id AND w.kind = 'list' AND w.state = 'done') AS links_found,
           (SELECT count(*) FROM failures f WHERE f.run_id = r.run_id AND f.error_class = 'blocked') AS blocked
    FROM crawl_runs r WHERE r.trigger <> 'reparse' AND r.state <> 'running'
), last_runs AS (
    SELECT site_id,
           max(run_id) FILTER (WHERE recency = 1) AS last_run_id,
           max(created_at) FILTER (WHERE recency = 1) AS last_run_at,
           max(state) FILTER (WHERE recency = 1) AS last_run_state,
           max(links_found) FILTER (WHERE recency = 1) AS links_last_run,
           count(*) FILTER (WHERE recency <= 3 AND links_found = 0) AS recent_runs_without_links,
           max(blocked) FILTER (WHERE recency = 1) AS blocked_last_run
    FROM runs GROUP BY site_id
), fill AS (
    SELECT site_id, published_on, first_seen_at,
           num_nonnulls(issuer, inspection_kind, inspecting_body, team, inspection_start, inspection_end,
                        feedback_on, problems_total) / 8.0 AS fill_rate,
           row_number() OVER (PARTITION BY site_id ORDER BY first_seen_at DESC, notice_id DESC) AS recency
    FROM notices
), gaps AS (
    SELECT site_id, published_on - lag(published_on) OVER (PARTITION BY site_id ORDER BY published_on) AS gap
    FROM (SELECT DISTINCT site_id, published_on FROM notices WHERE published_on IS NOT NULL) d
), notice_stats AS (
    SELECT f.site_id, count(*) AS notices_total, max(f.first_seen_at) AS last_new_notice_at,
           max(f.published_on) AS last_published_on,
           avg(f.fill_rate) FILTER (WHERE f.recency <= 10) AS fill_rate_recent,
           avg(f.fill_rate) FILTER (WHERE f.recency > 10) AS fill_rate_before,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY g.gap) FROM gaps g
             WHERE g.site_id = f.site_id AND g.gap IS NOT NULL) AS median_gap_days
    FROM fill f GROUP BY f.site_id
), measured AS (
    SELECT s.site_id, s.enabled, s.confidence, l.last_run_id, l.last_run_at, l.last_run_state, l.links_last_run,
           coalesce(l.recent_runs_without_links, 0) AS recent_runs_without_links,
           coalesce(l.blocked_last_run, 0) AS blocked_last_run,
           coalesce(n.notices_total, 0) AS notices_total, n.last_new_notice_at, n.last_published_on,
           round(n.fill_rate_recent, 2) AS fill_rate_recent, round(n.fill_rate_before, 2) AS fill_rate_before,
           n.median_gap_days, current_date - n.last_published_on AS days_since_last_published
    FROM sites s LEFT JOIN last_runs l USING (site_id) LEFT JOIN notice_stats n USING (site_id)
), columns_read AS (
    -- per list (column or data endpoint) of each site's last run: pages its pager announced, pages read
    SELECT m.site_id, w.payload ->> 'first_url' AS list_url,
           max((w.payload ->> 'announced')::int) AS announced,
           max((w.payload ->> 'page')::int) FILTER (WHERE w.state = 'done') AS read,
           bool_or(coalesce((w.payload ->> 'stopped')::boolean, false)) AS stopped,
           bool_or(coalesce((w.payload ->> 'capped')::boolean, false)) AS capped
    FROM measured m JOIN raw.work_items w ON w.run_id = m.last_run_id
    WHERE w.kind = 'list' AND coalesce(w.payload ->> 'role', 'list') IN ('list', 'data')
    GROUP BY 1, 2
), misses AS (
    SELECT m.site_id,
           (SELECT string_agg(format('%s: the pager announces %s pages, %s read%s', c.list_url, c.announced,
                                     coalesce(c.read, 0), CASE WHEN c.capped THEN ' (max_pages)' ELSE '' END), '; ')
              FROM columns_read c WHERE c.site_id = m.site_id AND c.announced > coalesce(c.read, 0) AND NOT c.stopped)
               AS pages_missed,
           (SELECT count(*) FROM failures f WHERE f.run_id = m.last_run_id AND f.error_class = 'not_a_notice')
               AS links_not_notices,
           (SELECT string_agg(f.url, ', ') FROM failures f WHERE f.run_id = m.last_run_id AND f.error_class = 'script_only_list')
               AS script_lists
    FROM measured m
)
SELECT m.*,
       array_remove(ARRAY[
           CASE WHEN m.last_run_state = 'failed' THEN 'failing' END,
           CASE WHEN m.blocked_last_run > 0 THEN 'blocked' END,
           CASE WHEN m.recent_runs_without_links >= 2 OR (m.last_run_id IS NOT NULL AND m.links_last_run = 0) THEN 'no_links' END,
           CASE WHEN m.fill_rate_before IS NOT NULL AND m.fill_rate_recent < 0.8 * m.fill_rate_before THEN 'fill_rate_drop' END,
           CASE WHEN m.notices_total >= 3 AND m.days_since_last_published > greatest(2 * coalesce(m.median_gap_days, 0), 30) THEN 'quiet' END,
           CASE WHEN x.pages_missed IS NOT NULL THEN 'pages_missed' END,
           CASE WHEN x.links_not_notices > 0 THEN 'links_not_stored' END,
           CASE WHEN x.script_lists IS NOT NULL THEN 'script_list' END,
           CASE WHEN m.enabled AND m.notices_total = 0 THEN 'probation' END
       ], NULL) AS flags,
       concat_ws('; ',
           CASE WHEN m.last_run_state = 'failed' THEN format('last run %s failed', m.last_run_id) END,
           CASE WHEN m.blocked_last_run > 0 THEN format('%s WAF/anti-bot pages in the last run', m.blocked_last_run) END,
           CASE WHEN m.recent_runs_without_links >= 2 OR (m.last_run_id IS NOT NULL AND m.links_last_run = 0)
                THEN format('%s of the last 3 runs found no notice links (last run: %s)', m.recent_runs_without_links, m.links_last_run) END,
           CASE WHEN m.fill_rate_before IS NOT NULL AND m.fill_rate_recent < 0.8 * m.fill_rate_before
                THEN format('SPEC fields filled %s of the time in the last 10 notices, %s before', m.fill_rate_recent, m.fill_rate_before) END,
           CASE WHEN m.notices_total >= 3 AND m.days_since_last_published > greatest(2 * coalesce(m.median_gap_days, 0), 30)
                THEN format('no notice published for %s days (usually one every %s days)', m.days_since_last_published, round(m.median_gap_days::numeric, 1)) END,
           x.pages_missed,
           CASE WHEN x.links_not_notices > 0 THEN format('%s notice-like links of the last run led to pages that are not notices (failures: not_a_notice)', x.links_not_notices) END,
           CASE WHEN x.script_lists IS NOT NULL THEN format('lists drawn by script from data that could not be read: %s', x.script_lists) END,
           CASE WHEN m.enabled AND m.notices_total = 0
                THEN 'on probation: no notice stored from this site yet (its column is discovered; see rectify sites)' END
       ) AS evidence,
       (m.enabled AND m.notices_total = 0) AS probation
FROM measured m LEFT JOIN misses x USING (site_id);
COMMENT ON VIEW site_health IS 'Per site: is it still delivering? Flags a site that fails, is blocked, finds no links, extracts fewer fields than it used to, has gone quiet, read fewer list pages than its pager announces (pages_missed), followed notice-like links to pages that are no notices (links_not_stored), or has stored nothing yet (probation), with the evidence in words.';
COMMENT ON COLUMN site_health.site_id IS 'The site.';
COMMENT ON COLUMN site_health.enabled IS 'Whether it is crawled on schedule.';
COMMENT ON COLUMN site_health.confidence IS 'Evidence level of its definition (H, M, L, G).';
COMMENT ON COLUMN site_health.last_run_id IS 'Last finished crawl run.';
COMMENT ON COLUMN site_health.last_run_at IS 'When it started.';
COMMENT ON COLUMN site_health.last_run_state IS 'done or failed.';
COMMENT ON COLUMN site_health.links_last_run IS 'Notice links its list pages showed.';
COMMENT ON COLUMN site_health.recent_runs_without_links IS 'How many of the last three finished runs found no notice link.';
COMMENT ON COLUMN site_health.blocked_last_run IS 'WAF/anti-bot pages met in the last run.';
COMMENT ON COLUMN site_health.notices_total IS 'Notices stored from the site.';
COMMENT ON COLUMN site_health.last_new_notice_at IS 'When the newest notice was first stored.';
COMMENT ON COLUMN site_health.last_published_on IS 'Publication date of the newest notice.';
COMMENT ON COLUMN site_health.fill_rate_recent IS 'Share of eight key SPEC fields filled, over the ten most recently stored notices.';
COMMENT ON COLUMN site_health.fill_rate_before IS 'The same share over the older notices.';
COMMENT ON COLUMN site_health.median_gap_days IS 'Median days between publication dates: the site''s usual cadence.';
COMMENT ON COLUMN site_health.days_since_last_published IS 'Days since the newest notice was published.';
COMMENT ON COLUMN site_health.flags IS 'failing, blocked, no_links, fill_rate_drop, quiet, pages_missed, links_not_stored, script_list, probation; empty when healthy.';
COMMENT ON COLUMN site_health.evidence IS 'The numbers behind the flags, in words.';
COMMENT ON COLUMN site_health.probation IS 'Enabled but no notice stored from it yet: its column is discovered (or guessed), not yet confirmed by a run.';

-- Query words are matched as jieba tokens, but an analyst types phrases: 巡视整改工作 is no token (jieba
-- makes it 巡视整改 + 工作). A plain word that is not in the stored vocabulary is split by forward maximum
-- matching against that vocabulary (corpus_idf: every indexed word), which reproduces jieba's split for
-- words the notices use. Operators, quoted phrases and -negated words are left as written.
-- Linear in the length of the query: the longest indexed word at every position is found in one set-based
-- pass (each position's next eight characters, looked up in corpus_idf by one join), and the walk reads
-- arrays by index; no substr() from the start of the word, no query per character.
CREATE OR REPLACE FUNCTION segment_query(words text) RETURNS text
LANGUAGE plpgsql STABLE
SET work_mem = '32MB'  -- 100,000 characters sort and hash in memory (8 candidate words per character)
AS $$
DECLARE
    w text;
    result text[] := '{}';
    pieces text[];
    ahead text[];       -- ahead[i]: the (up to) eight characters from position i
    longest integer[];  -- longest[i]: length of the longest indexed word starting at i; 0 if none
    n integer;
    i integer;
BEGIN
    IF words IS NULL OR NOT EXISTS (SELECT 1 FROM corpus_idf) THEN
        RETURN words;  -- no vocabulary yet (rectify db refresh has not run): nothing to split against
    END IF;
    FOREACH w IN ARRAY regexp_split_to_array(trim(words), '\s+') LOOP
        n := char_length(w);
        IF n < 3 OR w !~ '^[\u4e00-\u9fff]+$'
           OR EXISTS (SELECT 1 FROM corpus_idf c WHERE c.word = w) THEN
            result := result || w;
            CONTINUE;
        END IF;
        WITH chars AS (
            SELECT t.ch, t.pos FROM unnest(regexp_split_to_array(w, '')) WITH ORDINALITY AS t(ch, pos)
        ), windows AS (
            SELECT pos, string_agg(ch, '') OVER (ORDER BY pos ROWS BETWEEN CURRENT ROW AND 7 FOLLOWING) AS s
            FROM chars
        ), found AS (
            SELECT x.pos, max(l.len) AS len
            FROM windows x CROSS JOIN generate_series(1, 8) AS l(len)
            JOIN corpus_idf c ON c.word = left(x.s, l.len)
            WHERE l.len <= char_length(x.s)
            GROUP BY x.pos
        )
        SELECT array_agg(x.s ORDER BY x.pos), array_agg(coalesce(f.len, 0) ORDER BY x.pos)
        INTO ahead, longest
        FROM windows x LEFT JOIN found f USING (pos);
        pieces := '{}';
        i := 1;
        WHILE i <= n LOOP
            IF longest[i] > 0 THEN  -- a character no notice has as a word says nothing
                pieces := pieces || left(ahead[i], longest[i]);
            END IF;
            i := i + greatest(longest[i], 1);
        END LOOP;
        -- splitting into single characters would match nearly everything: keep such a word whole
        result := result || CASE WHEN EXISTS (SELECT 1 FROM unnest(pieces) p WHERE char_length(p) > 1)
                           THEN array_to_string(pieces, ' ') ELSE w END;
    END LOOP;
    RETURN array_to_string(result, ' ');
END
$$;
COMMENT ON FUNCTION segment_query(text) IS 'How search_notices() reads plain query words: a word that is not an indexed token is split into indexed words (segment_query(''巡视整改工作'') = ''巡视整改 工作''); operators, quoted phrases and -negated words are kept. Linear in the query''s length (100,000 characters in well under a second: bench/search).';

-- Any string is a query: an expression with operators (& | ! ( ) <-> :*) that is well formed is read as such;
-- one that is not ('&&&|||!!!', '(', '营商环境 & (') is read as the words in it, web-search style. NULL, or
-- a word too long to be indexed, matches nothing.
CREATE OR REPLACE FUNCTION search_query(query text) RETURNS tsquery
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF query IS NULL THEN
        RETURN NULL;
    END IF;
    IF query ~ '[&|!()<>:]' THEN
        BEGIN
            RETURN to_tsquery('simple', query);
        EXCEPTION WHEN OTHERS THEN  -- not a well-formed expression (query_canceled is not caught by OTHERS)
            query := regexp_replace(query, '[&|!()<>:*]+', ' ', 'g');
        END;
    END IF;
    RETURN websearch_to_tsquery('simple', segment_query(query));
EXCEPTION WHEN program_limit_exceeded THEN  -- a word longer than any indexed word can be (2047 bytes)
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION search_query(text) IS 'The tsquery search_notices() runs for what an analyst typed: an operator expression (''营商环境 & 问责'') as written, anything else (plain words, web-search syntax, a malformed expression such as ''('') read as words with segment_query(); NULL for NULL.';

CREATE OR REPLACE FUNCTION search_notices(query text, max_results integer DEFAULT 20)
RETURNS TABLE (notice_id bigint, site_id text, title text, published_on date, rank real, snippet text)
LANGUAGE sql STABLE
-- The planner does not count the cost of reading (de-TOASTing) each document's full vector, so for a word
-- found in most notices it picks a sequential scan that does exactly that: 166 ms over 10,000 notices
-- against 8 ms for the GIN bitmap, which needs no recheck for plain word queries.
SET enable_seqscan = off
AS $$
    -- query: words joined by & (and), | (or), ! (not), e.g. '营商环境 & 问责'; or written as in a web search
    -- engine: '营商环境 问责' (all words), '营商环境 or 问责', '问题线索 -信访', '"巡视 整改"' (adjacent).
    -- Words are matched as jieba tokens (and the words inside compounds), so a domain term such as
    -- 营商环境 is one word.
    -- Matching uses the full-text vector (GIN); ranking reads only the small title-and-keywords vector,
    -- because reading every matching document's full vector is what makes common words slow.
    -- Any string may be typed (see search_query); at most 1000 rows are returned, none for a limit below 1.
    WITH q AS (
        SELECT search_query(query) AS tsq
    ), matches AS (
        SELECT n.notice_id, n.published_on, ts_rank(coalesce(n.search_head, ''), q.tsq) AS rank
        FROM notices n, q
        WHERE n.search_vector @@ q.tsq
    ), best AS (
        SELECT m.notice_id, m.rank FROM matches m
        ORDER BY m.rank DESC, m.published_on DESC NULLS LAST, m.notice_id DESC
        LIMIT greatest(0, least(coalesce(max_results, 20), 1000))
    )
    SELECT n.notice_id, n.site_id, n.title, n.published_on, b.rank,
           coalesce(  -- around the first searched-for (not negated) word found in the text
               (SELECT '…' || substr(n.body_text, greatest(1, strpos(n.body_text, w[1]) - 30), 80) || '…'
                FROM q, regexp_matches(q.tsq::text, '(?<!!)''([^'']+)''', 'g') AS w
                WHERE strpos(n.body_text, w[1]) > 0 LIMIT 1),
               left(n.body_text, 80)) AS snippet
    FROM best b JOIN notices n USING (notice_id)
    ORDER BY b.rank DESC, n.published_on DESC NULLS LAST, n.notice_id
$$;
COMMENT ON FUNCTION search_notices(text, integer) IS 'Full-text search of notices in stock PostgreSQL: search_notices(''营商环境 & 问责'') or search_notices(''营商环境 问责'') (web-search syntax: or, -word, "phrase") returns the best-ranked notices (at most max_results, clamped to 0..1000) with a snippet around the first matched word. Any string is accepted: a malformed expression is read as its words, NULL matches nothing.';

-- Copies differ in at most 3 of 64 bits, so they agree exactly on at least one of four 16-bit bands
-- (pigeonhole): candidates come from four indexed equi-joins, not from comparing every pair.
CREATE INDEX IF NOT EXISTS notices_simhash_band0 ON notices ((content_simhash & 65535));
CREATE INDEX IF NOT EXISTS notices_simhash_band1 ON notices (((content_simhash >> 16) & 65535));
CREATE INDEX IF NOT EXISTS notices_simhash_band2 ON notices (((content_simhash >> 32) & 65535));
CREATE INDEX IF NOT EXISTS notices_simhash_band3 ON notices (((content_simhash >> 48) & 65535));
-- Each notice's link to its canonical copy is kept in notice_copies, written by the store step: a view that
-- joined every pair in the four bands took 1.6 s over 102,000 notices with random SimHashes (as real notices'
-- are) and over 60 s on bench/scale_db's recombined notices, whose SimHashes crowd; the table reads in 45 ms
-- and a store pays ~0.7 ms. A notice's link depends only on the notices stored before it.
CREATE OR REPLACE FUNCTION notices_near(p_simhash bigint)
RETURNS TABLE (notice_id bigint, first_seen_at timestamptz, distance integer)
LANGUAGE sql STABLE AS $$
    -- Each branch is an index scan of one band; nothing reads the whole table.
    SELECT c.notice_id, c.first_seen_at, bit_count((c.content_simhash # p_simhash)::bit(64))::integer
    FROM (SELECT n.notice_id, n.first_seen_at, n.content_simhash FROM notices n
          WHERE (n.content_simhash & 65535) = (p_simhash & 65535)
          UNION
          SELECT n.notice_id, n.first_seen_at, n.content_simhash FROM notices n
          WHERE ((n.content_simhash >> 16) & 65535) = ((p_simhash >> 16) & 65535)
          UNION
          SELECT n.notice_id, n.first_seen_at, n.content_simhash FROM notices n
          WHERE ((n.content_simhash >> 32) & 65535) = ((p_simhash >> 32) & 65535)
          UNION
          SELECT n.notice_id, n.first_seen_at, n.content_simhash FROM notices n
          WHERE ((n.content_simhash >> 48) & 65535) = ((p_simhash >> 48) & 65535)) c
    WHERE bit_count((c.content_simhash # p_simhash)::bit(64)) <= 3
$$;
COMMENT ON FUNCTION notices_near(bigint) IS 'Notices whose SimHash is within 3 bits of the given one (the notice itself included), found through the four band indexes.';

-- The link of one notice: the earliest stored notice within 3 bits, or none.
CREATE OR REPLACE FUNCTION link_notice_copy(p_notice_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    me record;
    best_id bigint;
    best_distance integer;
BEGIN
    SELECT notice_id, content_simhash, first_seen_at INTO me FROM notices WHERE notice_id = p_notice_id;
    IF me.content_simhash IS NOT NULL THEN
        -- (no join back to notices: ORDER BY … LIMIT 1 over a join could walk notices in first_seen_at order)
        SELECT near.notice_id, near.distance INTO best_id, best_distance
        FROM notices_near(me.content_simhash) near
        WHERE (near.first_seen_at, near.notice_id) < (me.first_seen_at, me.notice_id)
        ORDER BY near.first_seen_at, near.notice_id LIMIT 1;
    END IF;
    IF best_id IS NULL THEN
        DELETE FROM notice_copies WHERE notice_id = p_notice_id;
    ELSE
        INSERT INTO notice_copies (notice_id, canonical_notice_id, distance)
        VALUES (p_notice_id, best_id, best_distance)
        ON CONFLICT (notice_id) DO UPDATE SET canonical_notice_id = EXCLUDED.canonical_notice_id,
                                              distance = EXCLUDED.distance
        WHERE (notice_copies.canonical_notice_id, notice_copies.distance)
              IS DISTINCT FROM (EXCLUDED.canonical_notice_id, EXCLUDED.distance);
    END IF;
END
$$;
COMMENT ON FUNCTION link_notice_copy(bigint) IS 'Set (or clear) the notice_copies row of one notice from the notices stored before it.';

-- After a notice is stored or its text changed: its own link, and the links of the notices that may now
-- point to it or away from it (those linked to it, those within 3 bits of its text). One store at a time
-- (the table lock, held to commit): two copies stored at once each see the other once it commits, and a
-- copy whose transaction started first but committed second still becomes the canonical one.
CREATE OR REPLACE FUNCTION relink_notice_copies(p_notice_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    other bigint;
BEGIN
    LOCK TABLE notice_copies IN SHARE ROW EXCLUSIVE MODE;
    PERFORM link_notice_copy(p_notice_id);
    FOR other IN
        SELECT c.notice_id FROM notice_copies c WHERE c.canonical_notice_id = p_notice_id
        UNION
        SELECT near.notice_id FROM notices me CROSS JOIN LATERAL notices_near(me.content_simhash) near
        WHERE me.notice_id = p_notice_id AND near.notice_id <> p_notice_id
    LOOP
        PERFORM link_notice_copy(other);
    END LOOP;
END
$$;
COMMENT ON FUNCTION relink_notice_copies(bigint) IS 'Bring notice_copies up to date after a notice was stored or changed (called by the store step, in its transaction).';

DO $$
BEGIN
    IF to_regclass('public.notice_copies') IS NULL THEN
        CREATE TABLE notice_copies (
            notice_id           bigint PRIMARY KEY REFERENCES notices(notice_id) ON DELETE CASCADE,
            canonical_notice_id bigint NOT NULL REFERENCES notices(notice_id) ON DELETE CASCADE,
            distance            integer NOT NULL CHECK (distance BETWEEN 0 AND 3)
        );
        -- Notices stored before links were kept: each one's link from the notices before it.
        PERFORM link_notice_copy(notice_id) FROM notices ORDER BY notice_id;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS notice_copies_canonical ON notice_copies (canonical_notice_id);
COMMENT ON TABLE notice_copies IS 'Each notice that copies an earlier one (the same notice republished on another site or URL, SimHash within 3 bits), with the earliest such notice; kept up to date by the store step. Read notice_duplicates for sites and URLs.';
COMMENT ON COLUMN notice_copies.notice_id IS 'The copy.';
COMMENT ON COLUMN notice_copies.canonical_notice_id IS 'The earliest stored notice within 3 bits of it.';
COMMENT ON COLUMN notice_copies.distance IS 'Bits by which the two SimHashes differ (0 = same text).';

CREATE OR REPLACE VIEW notice_duplicates AS
SELECT c.notice_id, d.site_id, d.url, c.canonical_notice_id, o.site_id AS canonical_site_id,
       o.url AS canonical_url, c.distance::bigint AS distance
FROM notice_copies c JOIN notices d ON d.notice_id = c.notice_id JOIN notices o ON o.notice_id = c.canonical_notice_id;
COMMENT ON VIEW notice_duplicates IS 'Notices that are copies of another (the same notice republished on another site or URL, found by content: SimHash distance of at most 3 bits), each linked to its canonical copy, the one stored first.';
COMMENT ON COLUMN notice_duplicates.notice_id IS 'The copy.';
COMMENT ON COLUMN notice_duplicates.site_id IS 'Site of the copy.';
COMMENT ON COLUMN notice_duplicates.url IS 'URL of the copy.';
COMMENT ON COLUMN notice_duplicates.canonical_notice_id IS 'The notice it copies (stored first).';
COMMENT ON COLUMN notice_duplicates.canonical_site_id IS 'Site of the canonical notice.';
COMMENT ON COLUMN notice_duplicates.canonical_url IS 'URL of the canonical notice.';
COMMENT ON COLUMN notice_duplicates.distance IS 'Bits by which the two SimHashes differ (0 = same text).';

CREATE OR REPLACE VIEW notice_problem_summary AS
SELECT n.notice_id, n.site_id, n.title, n.issuer, n.problems_total AS problems_stated,
       count(p.*) FILTER (WHERE p.kind = 'problem') AS problems_listed,
       count(p.*) FILTER (WHERE p.kind = 'item') AS items_listed,
       count(p.*) FILTER (WHERE p.status = 'done') AS rows_done,
       count(p.*) FILTER (WHERE p.status = 'ongoing') AS rows_ongoing,
       count(DISTINCT p.aspect) AS aspects
FROM notices n LEFT JOIN notice_problems p USING (notice_id)
GROUP BY n.notice_id;
COMMENT ON VIEW notice_problem_summary IS 'Per notice: how many problems it says the feedback raised against how many it reports on as rows of notice_problems. The two differ when one heading covers several of the feedback''s problems (the Laishan notice states 52 and reports under 46 headings).';
COMMENT ON COLUMN notice_problem_summary.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_problem_summary.site_id IS 'Site it was published on.';
COMMENT ON COLUMN notice_problem_summary.title IS 'Title of the notice.';
COMMENT ON COLUMN notice_problem_summary.issuer IS 'The reporting party committee (发布主体).';
COMMENT ON COLUMN notice_problem_summary.problems_stated IS 'Problems the notice says the feedback raised (反馈问题 N 个), NULL when it gives no count.';
COMMENT ON COLUMN notice_problem_summary.problems_listed IS 'Rows of notice_problems that name a problem (kind = problem).';
COMMENT ON COLUMN notice_problem_summary.items_listed IS 'Rows that are rectification items naming a task instead (kind = item).';
COMMENT ON COLUMN notice_problem_summary.rows_done IS 'Rows whose text says they are rectified (已完成整改 …).';
COMMENT ON COLUMN notice_problem_summary.rows_ongoing IS 'Rows whose text says rectification continues (持续推进 …).';
COMMENT ON COLUMN notice_problem_summary.aspects IS 'Distinct feedback aspects (方面) the rows fall under.';

CREATE OR REPLACE VIEW notice_takedowns AS
SELECT w.notice_id, n.site_id, n.title, n.url, n.published_on, w.seen_at AS withdrawn_at, w.http_status,
       w.diff_summary AS answer, r.seen_at AS restored_at
FROM notice_versions w
JOIN notices n USING (notice_id)
LEFT JOIN LATERAL (  -- the first restore after this takedown, if any
    SELECT v.seen_at FROM notice_versions v
    WHERE v.notice_id = w.notice_id AND v.event = 'restored' AND v.version > w.version
    ORDER BY v.version LIMIT 1
) r ON true
WHERE w.event = 'withdrawn';
COMMENT ON VIEW notice_takedowns IS 'Every time a notice''s page was found taken down (a --full re-check found 404, 410 or a soft 404), and when it came back; a notice taken down twice has two rows. The notices themselves are never deleted.';
COMMENT ON COLUMN notice_takedowns.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_takedowns.site_id IS 'Site it was published on.';
COMMENT ON COLUMN notice_takedowns.title IS 'Title of the notice.';
COMMENT ON COLUMN notice_takedowns.url IS 'URL of the notice page.';
COMMENT ON COLUMN notice_takedowns.published_on IS 'Publication date of the page.';
COMMENT ON COLUMN notice_takedowns.withdrawn_at IS 'When the re-check found the page gone.';
COMMENT ON COLUMN notice_takedowns.http_status IS 'What the page answered: 404, 410, or 200 for a soft 404.';
COMMENT ON COLUMN notice_takedowns.answer IS 'The same in words.';
COMMENT ON COLUMN notice_takedowns.restored_at IS 'When a later re-check found the notice online again; NULL while it is still gone.';

-- Keywords with an IDF learned from the stored notices themselves (jieba's default IDF is learned from
-- general news, where 整改 or 巡视 are rare; here they are in every notice and so say nothing).
CREATE MATERIALIZED VIEW IF NOT EXISTS corpus_idf AS
SELECT word, ndoc AS notices_with_word,
       ln((SELECT greatest(count(*), 1) FROM notices)::float / ndoc) AS idf
FROM ts_stat('SELECT search_vector FROM notices WHERE search_vector IS NOT NULL');
CREATE UNIQUE INDEX IF NOT EXISTS corpus_idf_word ON corpus_idf (word);
COMMENT ON MATERIALIZED VIEW corpus_idf IS 'Inverse document frequency of every indexed word over the stored notices (refreshed daily by celery beat, and by rectify db refresh).';
COMMENT ON COLUMN corpus_idf.word IS 'The word (a jieba token, or a word inside a compound).';
COMMENT ON COLUMN corpus_idf.notices_with_word IS 'How many notices contain it.';
COMMENT ON COLUMN corpus_idf.idf IS 'ln(notices / notices_with_word): 0 for a word in every notice.';

-- Workers refresh corpus_idf on a schedule (celery beat), but only the owner may refresh a materialized
-- view: this function runs as its owner, and only the writer role may call it. CONCURRENTLY: analysts keep
-- reading the previous contents meanwhile. The keyword refresh (crawler/db/keywords.py) calls it, then ranks
-- notice_keywords again with the collection's document frequencies.
CREATE OR REPLACE FUNCTION refresh_corpus_keywords() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY corpus_idf;
END
$$;
REVOKE ALL ON FUNCTION refresh_corpus_keywords() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_corpus_keywords() TO rectify_writer;
COMMENT ON FUNCTION refresh_corpus_keywords() IS 'Recompute corpus_idf from the stored notices (run daily by celery beat, and by rectify db refresh / rectify run, before notice_keywords is ranked again with the collection''s IDF); callable by the writer role only.';

-- Notices where a topic is a main subject.
CREATE OR REPLACE VIEW notice_main_topics AS
SELECT t.notice_id, t.tag AS topic, t.label, t.rank, t.share, t.special, n.title, n.site_id, n.province,
       n.published_on
FROM notice_tags t JOIN notices n USING (notice_id)
WHERE t.special OR t.rank = 1 OR t.share >= 0.25;
COMMENT ON VIEW notice_main_topics IS 'Notices where a topic is a main subject: the topic of a special inspection the notice reports on (营商环境专项巡视 → business_env), its first-ranked topic, or a topic that takes at least a quarter of it. SELECT title FROM notice_main_topics WHERE topic = ''rural''. For every topic a notice touches at all, notice_tags; for one problem''s topic, notice_problems.topic.';
COMMENT ON COLUMN notice_main_topics.notice_id IS 'The notice.';
COMMENT ON COLUMN notice_main_topics.topic IS 'Taxonomy topic id (crawler/data/taxonomy.toml).';
COMMENT ON COLUMN notice_main_topics.label IS 'Chinese label of the topic.';
COMMENT ON COLUMN notice_main_topics.rank IS 'Its rank among the notice''s topics (1 = main topic).';
COMMENT ON COLUMN notice_main_topics.share IS 'The part of the notice it takes (notice_tags.share).';
COMMENT ON COLUMN notice_main_topics.special IS 'It is the topic of a special inspection the notice reports on.';
COMMENT ON COLUMN notice_main_topics.title IS 'Title of the notice.';
COMMENT ON COLUMN notice_main_topics.site_id IS 'Site the notice was found on.';
COMMENT ON COLUMN notice_main_topics.province IS 'Province of that site (NULL for the central commission).';
COMMENT ON COLUMN notice_main_topics.published_on IS 'Publication date of the page.';
