"""schema.sql: safe to apply twice, and self-explaining (a COMMENT on every table, view and column)."""

from __future__ import annotations

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
