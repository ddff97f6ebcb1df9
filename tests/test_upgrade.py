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
from tests.catalog import catalog, contents, differences, fill, tables
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
        if table == "raw.schema_migrations":  # the upgrade's own record: it may gain rows, never lose one
            assert set(after[table][2]) >= set(before[table][2])
        else:
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
