"""`rectify db backup FILE` / `rectify db restore FILE`: a round trip gives back every row of every table
(raw's archive of fetched pages too) and the same catalog; a restore refuses a database that is not empty
unless --clean; missing, unreadable or unwritable files are one-line errors."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from crawler.db.backup import backup
from crawler.db.dbsetup import create_migrated_database, refresh_keywords
from tests.catalog import catalog, contents, differences, fill, tables
from tests.conftest import TEST_LOGIN_PASSWORD, rectify
from tests.test_upgrade import OLDEST, _show


def _create(server_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_conninfo(server_url, dbname=name)


def _drop(server_url: str, url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(conninfo_to_dict(url)["dbname"])))


@pytest.fixture(scope="module")
def source(admin_url: str) -> Iterator[str]:
    """A database at the current schema holding a site, a run, a raw page, a work item, a notice with its
    versions, sections, keywords, tags, problems and figures, a failure, and the corpus keywords."""
    url = create_migrated_database(admin_url, "rectify_backup_src", password=TEST_LOGIN_PASSWORD)
    with psycopg.connect(url) as conn:
        fill(conn)
        conn.commit()
        refresh_keywords(conn)
    yield url
    _drop(admin_url, url)


@pytest.fixture
def target(admin_url: str) -> Iterator[str]:
    url = _create(admin_url, "rectify_restore")
    yield url
    _drop(admin_url, url)


def cli_env(url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "RECTIFY_DATA_DIR": str(tmp_path / "data"),
            "RECTIFY_WRITER_PASSWORD": TEST_LOGIN_PASSWORD, "RECTIFY_ANALYST_PASSWORD": TEST_LOGIN_PASSWORD}


def state(url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Row count, md5 and rows of every table and materialized view; the catalog."""
    with psycopg.connect(url) as conn:
        return contents(conn, tables(conn, matviews=True)), catalog(conn)


def one_line_error(result: Any) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_backup_and_restore_round_trip(source: str, target: str, databases: dict[str, str], tmp_path: Path) -> None:
    archive = tmp_path / "rectify.dump"
    done = rectify(cli_env(source, databases["redis"], tmp_path), "db", "backup", str(archive))
    assert done.returncode == 0, done.stderr
    assert "1 notices, 1 raw pages" in done.stdout and archive.read_bytes()[:5] == b"PGDMP"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []  # no temporary file left

    done = rectify(cli_env(target, databases["redis"], tmp_path), "db", "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout

    (rows_before, catalog_before), (rows_after, catalog_after) = state(source), state(target)
    assert set(rows_after) == set(rows_before)
    assert "raw.pages" in rows_after and "corpus_idf" in rows_after
    for table, (count, digest, rows) in rows_before.items():
        assert rows_after[table] == (count, digest, rows), table
    assert rows_before["notices"][0] == 1 and rows_before["corpus_idf"][0] > 0
    assert differences(catalog_after, catalog_before) == []  # owners, grants, comments as in the source

    # the workers' login writes into the restored database as before
    with psycopg.connect(make_conninfo(target, user="rectify_worker", password=TEST_LOGIN_PASSWORD)) as conn:
        conn.execute("UPDATE notices SET title = title")

    # a second restore meets a database that is not empty: refused, nothing changed; --clean replaces it
    error = one_line_error(rectify(cli_env(target, databases["redis"], tmp_path), "db", "restore", str(archive)))
    assert "not empty" in error and "--clean" in error
    with psycopg.connect(target) as conn:
        conn.execute("DELETE FROM notice_tags")
        conn.execute("CREATE TABLE stray (x int)")  # something the archive does not have goes too
    done = rectify(cli_env(target, databases["redis"], tmp_path), "db", "restore", "--clean", str(archive))
    assert done.returncode == 0, done.stderr
    rows_again, catalog_again = state(target)
    assert rows_again == rows_before and differences(catalog_again, catalog_before) == []


def test_missing_unreadable_and_unwritable_files_are_one_line_errors(source: str, target: str,
                                                                     databases: dict[str, str],
                                                                     tmp_path: Path) -> None:
    env = cli_env(source, databases["redis"], tmp_path)
    error = one_line_error(rectify(cli_env(target, databases["redis"], tmp_path), "db", "restore",
                                   str(tmp_path / "nothing.dump")))
    assert error == f"rectify db restore: no such backup file: {tmp_path / 'nothing.dump'}"
    text = tmp_path / "notes.txt"
    text.write_text("not an archive")
    error = one_line_error(rectify(cli_env(target, databases["redis"], tmp_path), "db", "restore", str(text)))
    assert "is not a backup" in error

    error = one_line_error(rectify(env, "db", "backup", str(tmp_path / "no-such-dir" / "x.dump")))
    assert error == f"rectify db backup: cannot write {tmp_path / 'no-such-dir' / 'x.dump'}: directory {tmp_path / 'no-such-dir'} does not exist"
    error = one_line_error(rectify(env, "db", "backup", str(text / "x.dump")))  # a file where a folder should be
    assert error.startswith(f"rectify db backup: cannot write {text / 'x.dump'}")
    error = one_line_error(rectify(env, "db", "backup", str(tmp_path)))
    assert error == f"rectify db backup: cannot write {tmp_path}: it is a directory"
    done = rectify(env, "db", "backup")
    assert done.returncode == 2 and "FILE" in done.stderr
    with psycopg.connect(target) as conn:  # the failed restores left the target empty
        assert tables(conn) == {}


@pytest.mark.skipif(OLDEST is None, reason="not a git checkout: no released schemas")
def test_a_backup_of_the_first_release_restores_upgraded(source: str, target: str, admin_url: str,
                                                         databases: dict[str, str], tmp_path: Path) -> None:
    """An archive made by the first schema.sql restores into this release: the schema is the current one,
    every row of the archive is there."""
    old = _create(admin_url, "rectify_backup_old")
    try:
        with psycopg.connect(old) as conn:
            conn.execute(_show(OLDEST, "schema.sql"))
            fill(conn)
            old_tables = tables(conn)
            rows = contents(conn, old_tables)
        backup(old, tmp_path / "old.dump")
    finally:
        _drop(admin_url, old)
    done = rectify(cli_env(target, databases["redis"], tmp_path), "db", "restore", str(tmp_path / "old.dump"))
    assert done.returncode == 0, done.stderr
    with psycopg.connect(target) as conn:
        assert contents(conn, old_tables) == rows
        assert differences(catalog(conn), state(source)[1]) == []
