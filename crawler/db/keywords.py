"""The keyword refresh: notice_keywords ranked again with the collection's document frequencies.

At parse time a notice's keywords are weighed with the real notices shipped with the parser
(crawler/text/keywords.py, data/keyword_df.tsv): the stage is pure and sees no other notice.  Here, daily (celery
beat), after `rectify run` and on `rectify db refresh`, every notice's stored terms (notices.keyword_terms) are
ranked again with the IDF of the stored collection pooled with the shipped notices: a word is counted in the
notices whose terms hold it, or whose search index holds it (corpus_idf: a word inside a compound counts), so a
word that most stored notices use is no keyword even where it is rare among the shipped ones.

Notices are done in batches, each in its own transaction with the notices' rows locked (FOR UPDATE) before their
keywords are replaced, in the order the store takes them: a notice stored meanwhile waits, or is done later.
"""

from __future__ import annotations

from typing import Any

import psycopg

from crawler.text import keywords as kw

BATCH = 500


def document_frequencies(conn: psycopg.Connection[Any]) -> tuple[int, dict[str, int]]:
    """(N, {term: notices holding it}) over the stored notices that have terms."""
    with conn.transaction():  # its own: a connection that does not autocommit would hold it open
        n = conn.execute("SELECT count(*) FROM notices WHERE keyword_terms IS NOT NULL").fetchone()
        rows = conn.execute(
            "SELECT k.term, greatest(k.df, coalesce(c.notices_with_word, 0))::int AS df "
            "FROM (SELECT t.term, count(*) AS df FROM notices n, jsonb_object_keys(n.keyword_terms) AS t(term) "
            "      WHERE n.keyword_terms IS NOT NULL GROUP BY t.term) k "
            "LEFT JOIN corpus_idf c ON c.word = k.term").fetchall()
    total = int(_first(n))
    return total, {_first(r): min(int(_second(r)), total) for r in rows}


def rerank(conn: psycopg.Connection[Any], *, batch: int = BATCH) -> int:
    """Rank every notice's keywords with the collection; returns how many notices were ranked."""
    n, df = document_frequencies(conn)
    last, done = 0, 0
    while True:
        with conn.transaction():
            rows = conn.execute(
                "SELECT notice_id, keyword_terms FROM notices WHERE notice_id > %s AND keyword_terms IS NOT NULL "
                "ORDER BY notice_id LIMIT %s FOR UPDATE", [last, batch]).fetchall()
            if not rows:
                return done
            ids = [_first(r) for r in rows]
            conn.execute("DELETE FROM notice_keywords WHERE notice_id = ANY(%s)", [ids])
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO notice_keywords (notice_id, rank, keyword, weight) VALUES (%s, %s, %s, %s)",
                    [(notice_id, rank, term, round(weight, 6))
                     for notice_id, terms in ((_first(r), _second(r)) for r in rows)
                     for rank, (term, weight) in enumerate(kw.rank(terms or {}, df, n), 1)])
        last, done = ids[-1], done + len(ids)


def _first(row: Any) -> Any:
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def _second(row: Any) -> Any:
    return list(row.values())[1] if isinstance(row, dict) else row[1]
