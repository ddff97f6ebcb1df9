"""Upgrades without loss: a database made by ANY released schema.sql (every version in git history)
becomes, after `upgrade`, exactly what a fresh database is (catalog equal: tables, columns and types,
constraints, indexes, views, functions, comments, owners, privileges), and every row it held is kept.

The old schemas are read from git (`git show <commit>:schema.sql`), so this needs the repository's
history: a clone, not a shallow one (CI clones the whole repository)."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import tuple_row

from crawler.db.connect import migrations
from crawler.db.dbsetup import create_migrated_database, upgrade
from crawler.db.roles import OWNER
from crawler.settings import PROJECT_ROOT
from tests.catalog import catalog, differences
from tests.conftest import TEST_LOGIN_PASSWORD


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(PROJECT_ROOT), *args], capture_output=True, text=True, check=True).stdout


def released_schemas() -> list[str]:
    """Commits that changed schema.sql, newest first (each one a released version of the schema)."""
    try:
        inside = _git("rev-parse", "--is-inside-work-tree").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        inside = False
    if not inside:
        return []
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        raise RuntimeError("tests/test_upgrade.py needs the git history of schema.sql: "
                           "run `git fetch --unshallow` (or clone with full depth)")
    return _git("log", "--format=%h", "--", "schema.sql").split()


RELEASES = released_schemas()
OLDEST = RELEASES[-1] if RELEASES else None
pytestmark = pytest.mark.skipif(not RELEASES, reason="not a git checkout: no released schemas to upgrade from")


def _show(commit: str, path: str) -> str | None:
    try:
        return _git("show", f"{commit}:{path}")
    except subprocess.CalledProcessError:
        return None


# One row per table of every version (values for columns a version lacks are left out): a site, a run,
# a raw page, a work item, a notice with versions, sections, keywords, tags, problems, figures; a failure.
# Every column gets a value (not its default), so "kept" means each value is kept.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("sites", {"site_id": "old", "name": "旧纪委监委", "province": "辽宁", "level": "province",
               "home_url": "http://old.example/", "enabled": False, "definition": '{"id": "old", "name": "旧"}',
               "updated_at": "2024-01-02 03:04:05+00", "confidence": "M", "disabled_reason": "test",
               "discovered_list_url": "http://old.example/list/", "discovered_at": "2024-01-03 00:00:00+00",
               "discovery_trace": '{"chosen": "http://old.example/list/"}'}),
    ("crawl_runs", {"run_id": 7, "site_id": "old", "trigger": "manual", "full_crawl": True,
                    "slot": "2024-01-04 00:00:00+00", "request_key": "key-1", "state": "done",
                    "created_at": "2024-01-04 00:00:01+00", "finished_at": "2024-01-04 00:10:00+00",
                    "pages_fetched": 3, "notices_new": 1, "notices_changed": 0, "notices_unchanged": 2,
                    "notices_failed": 1, "error": None, "notices_withdrawn": 0}),
    ("raw.pages", {"page_id": 11, "site_id": "old", "url_key": "http://old.example/a.html",
                   "url": "http://old.example/a.html", "final_url": "http://old.example/a.html", "http_status": 200,
                   "headers": '{"etag": "e1"}', "etag": "e1", "last_modified": "Mon, 01 Jan 2024 00:00:00 GMT",
                   "encoding": "utf-8", "body_sha256": "ab" * 32, "body_size": 5, "body_zlib": b"x\x9c\xcbH\xcd\xc9\xc9\x07\x00\x06,\x02\x15",
                   "fetched_at": "2024-01-04 00:01:00+00"}),
    ("raw.work_items", {"item_id": 13, "run_id": 7, "site_id": "old", "kind": "article",
                        "url": "http://old.example/a.html", "url_key": "http://old.example/a.html", "page_id": 11,
                        "payload": '{"links": 1}', "state": "done", "attempts": 1, "max_attempts": 5,
                        "lease_until": "2024-01-04 00:02:00+00", "outcome": "fetched", "error_class": None,
                        "error": None, "created_at": "2024-01-04 00:00:02+00", "updated_at": "2024-01-04 00:02:00+00"}),
    ("notices", {"notice_id": 17, "site_id": "old", "url_key": "http://old.example/a.html",
                 "url": "http://old.example/a.html", "title": "中共某县委关于巡察整改进展情况的通报", "issuer": "中共某县委",
                 "signed_on": "2024-01-01", "published_on": "2024-01-02", "source": "某县纪委监委",
                 "inspection_kind": "巡察", "inspecting_body": "县委第一巡察组", "term": 14, "round": 2, "team": 1,
                 "inspection_start": "2023-03-01", "inspection_end": "2023-05-01", "feedback_on": "2023-06-01",
                 "special_topics": ["乡村振兴"], "problems_total": 12, "problems_done": 10,
                 "contact_phone": "0411-1234567", "contact_email": "x@old.example", "quality": ["no_team"],
                 "body_text": "根据县委统一部署，反馈问题12个，已完成整改10个。", "content_sha256": "cd" * 32, "version": 2,
                 "parser_version": "p1", "page_id": 11, "first_seen_at": "2024-01-04 00:03:00+00",
                 "updated_at": "2024-01-05 00:00:00+00", "search_vector": "巡察:1 整改:2,3",
                 "content_simhash": 1234567890123, "province": "辽宁", "search_head": "巡察:1",
                 "evidence": '{"title": ["x", 0, 1]}', "withdrawn_at": None}),
    ("notice_versions", {"notice_id": 17, "version": 1, "content_sha256": "ef" * 32, "title": "旧标题",
                         "body_text": "旧正文", "record": '{"title": "旧标题"}', "page_id": 11,
                         "seen_at": "2024-01-04 00:03:00+00", "diff_summary": "first", "event": "content",
                         "http_status": 200}),
    ("notice_versions", {"notice_id": 17, "version": 2, "content_sha256": "cd" * 32, "title": "新标题",
                         "body_text": "新正文", "record": '{"title": "新标题"}', "page_id": 11,
                         "seen_at": "2024-01-05 00:00:00+00", "diff_summary": "title changed", "event": "content",
                         "http_status": 200}),
    ("notice_sections", {"notice_id": 17, "ordinal": 1, "parent": None, "level": 1, "path": "一", "marker": "一、",
                         "number": 1, "heading": "关于党的领导弱化问题", "body": "整改措施……"}),
    ("notice_sections", {"notice_id": 17, "ordinal": 2, "parent": 1, "level": 2, "path": "一/(一)", "marker": "（一）",
                         "number": 1, "heading": "学习贯彻不深入", "body": "已完成。"}),
    ("notice_keywords", {"notice_id": 17, "rank": 1, "keyword": "巡察整改", "weight": 0.5}),
    ("notice_tags", {"notice_id": 17, "tag": "rural", "label": "乡村振兴", "hits": 2}),
    ("notice_problems", {"notice_id": 17, "ordinal": 1, "section": 1, "path": "一", "marker": "一、",
                         "problem": "党的领导弱化", "aspect": "党的领导", "measures": "整改措施……", "status": "done",
                         "kind": "problem", "part": "整改情况", "outline": "一"}),
    ("notice_figures", {"notice_id": 17, "ordinal": 1, "kind": "problems_total", "value": "12", "unit": "个",
                        "text": "问题12个", "sentence": "反馈问题12个。"}),
    ("failures", {"failure_id": 19, "run_id": 7, "item_id": 13, "site_id": "old", "stage": "parse",
                  "url": "http://old.example/b.html", "error_class": "not_a_notice", "message": "no title",
                  "http_status": 200, "final": True, "occurred_at": "2024-01-04 00:05:00+00"}),
]


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """The table's columns in this database, in order (empty when the table does not exist)."""
    schema, _, name = table.rpartition(".")
    with conn.cursor(row_factory=tuple_row) as cur:
        return [r[0] for r in cur.execute(
            """SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s
               ORDER BY ordinal_position""", [schema or "public", name]).fetchall()]


def fill(conn: psycopg.Connection[Any]) -> None:
    """Insert ROWS, each with the columns its table has in this database."""
    for table, values in ROWS:
        present = _columns(conn, table)
        if not present:
            continue
        row = {k: v for k, v in values.items() if k in present}
        conn.execute(sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(*table.split(".")), sql.SQL(", ").join(map(sql.Identifier, row)),
            sql.SQL(", ").join(sql.Placeholder() * len(row))), list(row.values()))


def contents(conn: psycopg.Connection[Any], columns: dict[str, list[str]]) -> dict[str, tuple[int, str, list[Any]]]:
    """Per table: row count, md5 of its rows (the given columns as text, in a fixed order) and the rows."""
    result = {}
    with conn.cursor(row_factory=tuple_row) as cur:
        for table, cols in columns.items():
            ident = sql.Identifier(*table.split("."))
            fields = sql.SQL(", ").join(map(sql.Identifier, cols))
            rows = cur.execute(sql.SQL("SELECT {} FROM {} ORDER BY 1, 2").format(fields, ident)).fetchall()
            digest = cur.execute(sql.SQL("SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) "
                                         "FROM (SELECT {} FROM {}) r").format(fields, ident)).fetchone()[0]
            result[table] = (len(rows), digest, rows)
    return result


def tables(conn: psycopg.Connection[Any]) -> dict[str, list[str]]:
    """Every table of public and raw with its columns, but raw.schema_state (rewritten by every upgrade)."""
    with conn.cursor(row_factory=tuple_row) as cur:
        names = [r[0] for r in cur.execute(
            """SELECT CASE table_schema WHEN 'public' THEN '' ELSE table_schema || '.' END || table_name
               FROM information_schema.tables WHERE table_schema IN ('public', 'raw') AND table_type = 'BASE TABLE'
               AND (table_schema, table_name) <> ('raw', 'schema_state')""").fetchall()]
    return {name: _columns(conn, name) for name in names}


def applied(conn: psycopg.Connection[Any]) -> list[str]:
    with conn.cursor(row_factory=tuple_row) as cur:
        return [r[0] for r in cur.execute("SELECT name FROM raw.schema_migrations ORDER BY name")]


@pytest.fixture(scope="module")
def server_url(admin_url: str) -> str:
    return admin_url


@pytest.fixture(scope="module")
def fresh_catalog(server_url: str) -> dict[str, list[tuple[Any, ...]]]:
    url = create_migrated_database(server_url, "rectify_fresh", password=TEST_LOGIN_PASSWORD)
    try:
        with psycopg.connect(url) as conn:
            return catalog(conn)
    finally:
        _drop(server_url, url)


def _drop(server_url: str, url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def old_database(server_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database as `rectify db init` of that release left it: its ops/roles.sql (when it had one), then
    its schema.sql applied as the owner (before roles existed: as the admin)."""
    commit = request.param
    name = f"rectify_old_{commit}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(server_url, dbname=name)
    schema, roles = _show(commit, "schema.sql"), _show(commit, "ops/roles.sql")
    try:
        with psycopg.connect(url) as conn:
            if roles:
                conn.execute(roles)
                conn.execute(sql.SQL("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE {} TO {}").format(
                    sql.Identifier(name), sql.Identifier(OWNER)))
                conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(OWNER)))
            conn.execute(schema)
            conn.execute("RESET ROLE")
            fill(conn)
        yield url
    finally:
        _drop(server_url, url)


@pytest.mark.parametrize("old_database", RELEASES, indirect=True)
def test_upgrade_from_a_released_schema_keeps_every_row(old_database: str, fresh_catalog: dict) -> None:
    with psycopg.connect(old_database) as conn:
        old_tables = tables(conn)
        before = contents(conn, old_tables)
    assert before["notices"][0] == 1 and before["raw.pages"][0] == 1 and before["notice_versions"][0] == 2

    with psycopg.connect(old_database) as conn:
        upgrade(conn, writer_password=TEST_LOGIN_PASSWORD, analyst_password=TEST_LOGIN_PASSWORD)
    with psycopg.connect(old_database) as conn:
        assert applied(conn) == [name for name, _ in migrations()]
        after = contents(conn, old_tables)
        upgraded = catalog(conn)
        assert set(tables(conn)) >= set(old_tables)

    assert differences(upgraded, fresh_catalog) == []
    for table in old_tables:
        assert after[table] == before[table], table
    # and a second upgrade changes nothing
    with psycopg.connect(old_database) as conn:
        upgrade(conn, writer_password=TEST_LOGIN_PASSWORD, analyst_password=TEST_LOGIN_PASSWORD)
        assert catalog(conn) == upgraded


def test_every_release_is_tested_from_the_first() -> None:
    """The commit that added schema.sql is among those upgraded from, and so is every later change."""
    first = _git("log", "--diff-filter=A", "--format=%h", "--", "schema.sql").split()[-1]
    assert first == OLDEST and len(RELEASES) >= 3


def test_a_new_database_records_every_migration_without_running_it(admin_url: str) -> None:
    """schema.sql is the whole schema: a database made by it needs none of the migrations."""
    with psycopg.connect(admin_url) as conn:
        assert applied(conn) == [name for name, _ in migrations()]
