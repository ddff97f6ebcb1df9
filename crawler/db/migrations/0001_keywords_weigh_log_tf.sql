-- notice_keywords_corpus weighs (1 + ln(tf)) * idf since b0266a6; before, tf * idf. schema.sql creates the
-- view only IF NOT EXISTS, so a database made in between kept the old definition: drop it (it holds
-- nothing but what it computes) and schema.sql, applied next, creates it again, filled, as it is now.
DO $$
BEGIN
    IF to_regclass('public.notice_keywords_corpus') IS NOT NULL THEN  -- (nested: AND does not short-circuit)
        IF pg_get_viewdef(to_regclass('public.notice_keywords_corpus')) NOT LIKE '%ln(%' THEN
            DROP MATERIALIZED VIEW public.notice_keywords_corpus;
        END IF;
    END IF;
END
$$;
