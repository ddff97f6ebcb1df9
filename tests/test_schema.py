"""schema.sql: safe to apply twice, and self-explaining (a COMMENT on every table, view and column)."""

from __future__ import annotations

import psycopg
import pytest

from crawler.db.connect import apply_schema


def test_schema_applies_twice_without_change(db):
    def shape() -> list:
        return db.execute("""SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                             WHERE table_schema IN ('public', 'raw') ORDER BY 1, 2, 3""").fetchall()

    before = shape()
    db.execute("INSERT INTO crawl_runs (site_id, trigger) VALUES ('liaoning', 'manual')")
    apply_schema(db)
    apply_schema(db)
    assert shape() == before
    assert db.execute("SELECT count(*) AS n FROM crawl_runs").fetchone()["n"] == 1  # data survives


def test_every_table_view_and_column_has_a_comment(db):
    missing = db.execute("""
        SELECT c.relname, a.attname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname IN ('public', 'raw') AND c.relkind IN ('r', 'v', 'm')
          AND (obj_description(c.oid, 'pg_class') IS NULL
               OR (a.attname IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))""").fetchall()
    assert missing == []


# crawl_run_progress as it was before takedowns: the same columns, without notices_withdrawn.
OLD_PROGRESS_VIEW = """CREATE VIEW crawl_run_progress AS
SELECT r.run_id, r.site_id, r.trigger, r.state, r.created_at, r.finished_at,
       0::bigint AS pages_fetched, 0::bigint AS notices_new, 0::bigint AS notices_changed,
       0::bigint AS notices_unchanged, 0::bigint AS notices_failed, 0::bigint AS open_items
FROM crawl_runs r"""


def test_schema_upgrades_a_database_from_before_takedowns(db):
    """A database made before takedowns existed (no withdrawn_at, no events in notice_versions, whose
    content columns were NOT NULL) is upgraded in place to what a fresh one has; its rows stay valid and
    become content versions. Done in a transaction that is rolled back: the session's schema is kept."""
    def shape() -> list:
        return db.execute("""SELECT table_name, column_name, data_type, is_nullable, column_default
                             FROM information_schema.columns WHERE table_schema IN ('public', 'raw')
                             ORDER BY 1, 2""").fetchall()

    fresh = shape()
    with db.transaction(force_rollback=True):
        for statement in ("DROP VIEW notice_takedowns", "DROP VIEW site_health", "DROP VIEW crawl_run_progress",
                          "ALTER TABLE crawl_runs DROP COLUMN notices_withdrawn", OLD_PROGRESS_VIEW,
                          "ALTER TABLE notices DROP COLUMN withdrawn_at",
                          "ALTER TABLE notice_versions DROP COLUMN event, DROP COLUMN http_status",
                          "ALTER TABLE notice_versions ALTER content_sha256 SET NOT NULL, "
                          "ALTER body_text SET NOT NULL, ALTER record SET NOT NULL"):
            db.execute(statement)
        notice_id = db.execute("""INSERT INTO notices (site_id, url_key, url, body_text, content_sha256, parser_version)
                                  VALUES ('liaoning', 'u', 'u', 'b', 'h', 'p') RETURNING notice_id""").fetchone()["notice_id"]
        db.execute("""INSERT INTO notice_versions (notice_id, version, content_sha256, body_text, record)
                      VALUES (%s, 1, 'h', 'b', '{}')""", [notice_id])
        db.execute("INSERT INTO crawl_runs (site_id, trigger) VALUES ('liaoning', 'manual')")

        apply_schema(db)
        assert shape() == fresh
        assert db.execute("SELECT event FROM notice_versions").fetchone()["event"] == "content"
        assert db.execute("SELECT withdrawn_at FROM notices").fetchone()["withdrawn_at"] is None
        assert db.execute("SELECT notices_withdrawn FROM crawl_runs").fetchone()["notices_withdrawn"] == 0
        assert db.execute("SELECT notices_withdrawn FROM crawl_run_progress").fetchone()["notices_withdrawn"] == 0
        db.execute("""INSERT INTO notice_versions (notice_id, version, event, http_status)
                      VALUES (%s, 2, 'withdrawn', 404)""", [notice_id])   # an event carries no content
        assert db.execute("SELECT count(*) AS n FROM notice_takedowns").fetchone()["n"] == 1
        with pytest.raises(psycopg.errors.CheckViolation), db.transaction():  # content must have its text
            db.execute("INSERT INTO notice_versions (notice_id, version, content_sha256) VALUES (%s, 3, 'x')",
                       [notice_id])
