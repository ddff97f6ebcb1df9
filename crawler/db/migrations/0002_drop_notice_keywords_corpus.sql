-- notice_keywords_corpus (corpus-IDF keywords over the search index's lexemes) is gone: since issue 16 the
-- keyword refresh ranks notice_keywords itself with the collection's IDF, whole words only, and the old view
-- listed pieces of compounds (京市, 州市), placeholders (某某) and page chrome. It held nothing but what it
-- computed. refresh_corpus_keywords() is replaced by schema.sql, applied next (refreshing corpus_idf alone).
DROP MATERIALIZED VIEW IF EXISTS public.notice_keywords_corpus;
