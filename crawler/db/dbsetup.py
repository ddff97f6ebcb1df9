"""Setting a database up: roles, the schema as its owner, the logins workers and analysts use.

`rectify db init` / `rectify db upgrade` (and compose's migrate service) run `migrate` with an admin
connection: from a database of any earlier release, the ordered migrations (crawler/db/migrations) then
schema.sql bring it to the current schema, every row kept (tests/test_upgrade.py). Every other command
only checks the schema is current (`schema_is_current`) and syncs the site files, which the writer role
may do.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

from crawler.db.connect import connect, schema_is_current
from crawler.db.roles import ANALYST, WRITER, apply_roles, apply_schema_as_owner, ensure_login, role_url

WORKER_LOGIN, ANALYST_LOGIN = "rectify_worker", "rectify_reader"


def migrate(conn: psycopg.Connection[Any], *, writer_password: str | None, analyst_password: str | None) -> list[str]:
    """Roles, schema (owned by rectify_owner; upgraded from any earlier release, every row kept) and the
    two logins; idempotent. Returns the ordered migrations that ran (crawler/db/migrations)."""
    apply_roles(conn, conn.info.dbname)
    ran = apply_schema_as_owner(conn)
    ensure_login(conn, WORKER_LOGIN, WRITER, writer_password)
    ensure_login(conn, ANALYST_LOGIN, ANALYST, analyst_password)
    return ran


def upgrade(conn: psycopg.Connection[Any], *, writer_password: str | None, analyst_password: str | None) -> list[str]:
    """Bring a database of any released schema to the current one, keeping every row (`rectify db
    upgrade`; `db init` and compose's migrate service do the same): `migrate`."""
    return migrate(conn, writer_password=writer_password, analyst_password=analyst_password)


def create_migrated_database(server_url: str, prefix: str, *, password: str) -> str:
    """A new database with a unique name on the server, migrated with both logins set to `password`;
    returns the admin's connection string to it (for test sessions and benchmarks)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(server_url, dbname=name)
    with connect(url) as conn:
        migrate(conn, writer_password=password, analyst_password=password)
    return url


def refresh_keywords(conn: psycopg.Connection[Any]) -> None:
    """Recompute the corpus IDF, then rank every notice's keywords with it (crawler/db/keywords.py); the admin
    and the writer login may do it."""
    from crawler.db.keywords import rerank

    with conn.transaction():
        conn.execute("SELECT refresh_corpus_keywords()")
    rerank(conn)


def worker_url(admin_url: str, password: str | None) -> str:
    """The connection string workers use: the writer login, never the admin."""
    return role_url(admin_url, WORKER_LOGIN, password)


def analyst_url(admin_url: str, password: str | None) -> str:
    return role_url(admin_url, ANALYST_LOGIN, password)


__all__ = ["ANALYST_LOGIN", "WORKER_LOGIN", "analyst_url", "create_migrated_database", "migrate", "refresh_keywords", "schema_is_current", "upgrade",
           "worker_url"]
