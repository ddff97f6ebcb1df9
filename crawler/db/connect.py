"""Database access: connections, the schema, and named queries from crawler/db/sql/queries.sql.

Queries live in one SQL file as `-- name: query_name` blocks with %(param)s placeholders; code calls
them by name, so the SQL stays readable as SQL and no value is ever formatted into a statement.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row, tuple_row

from crawler.settings import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "schema.sql"
QUERIES_FILE = Path(__file__).resolve().parent / "sql" / "queries.sql"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
QUERY_HEADER = re.compile(r"^-- name: (\w+)\s*$", re.M)


@cache
def queries() -> dict[str, str]:
    text = QUERIES_FILE.read_text(encoding="utf-8")
    parts = QUERY_HEADER.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def q(name: str) -> str:
    return queries()[name]


def connect(url: str, **kwargs: Any) -> psycopg.Connection[dict[str, Any]]:
    return psycopg.connect(url, row_factory=dict_row, **kwargs)


def migrations() -> list[tuple[str, str]]:
    """The ordered migrations (crawler/db/migrations/NNNN_name.sql) as (name, SQL), in order."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))]


def schema_digest() -> str:
    """SHA-256 of what makes the schema: schema.sql and the migrations (a new migration makes it not current)."""
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes())
    for name, text in migrations():
        digest.update(f"\0{name}\0{text}".encode())
    return digest.hexdigest()


def apply_schema(conn: psycopg.Connection[Any]) -> list[str]:
    """Bring the database to the current schema, keeping every row; safe to run any number of times.

    The ordered migrations not yet recorded in raw.schema_migrations run first (what schema.sql cannot
    say idempotently: a changed materialized view, a rename), then schema.sql, which creates what is
    missing and replaces views and functions. A new database (no notices table yet) needs no migration:
    schema.sql is the whole schema, and every migration is recorded as applied.

    An advisory lock serialises concurrent `db init`s (several containers starting at once); a lock
    timeout makes it fail fast rather than queue behind an analyst's long query and block the workers
    queued behind it. The digest of schema.sql is recorded so other commands can tell it is current.
    Everything runs in one transaction: a failed upgrade leaves the database as it was. Returns the
    names of the migrations that ran."""
    with conn.transaction():
        setup_lock(conn, "rectify-schema")
        conn.execute("SET LOCAL lock_timeout = '10s'")
        pending = [(name, text) for name, text in migrations() if name not in _applied_migrations(conn)]
        ran = []
        if _value(conn, "SELECT to_regclass('public.notices') IS NOT NULL"):
            for name, text in pending:
                conn.execute(text)
                ran.append(name)
        conn.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        for name, _text in pending:
            conn.execute("INSERT INTO raw.schema_migrations (name) VALUES (%s) ON CONFLICT DO NOTHING", (name,))
        conn.execute("DELETE FROM raw.schema_state")
        conn.execute("INSERT INTO raw.schema_state (sha256) VALUES (%s)", (schema_digest(),))
    return ran


def _applied_migrations(conn: psycopg.Connection[Any]) -> set[str]:
    if not _value(conn, "SELECT to_regclass('raw.schema_migrations') IS NOT NULL"):
        return set()
    with conn.cursor(row_factory=tuple_row) as cur:
        return {row[0] for row in cur.execute("SELECT name FROM raw.schema_migrations")}


def _value(conn: psycopg.Connection[Any], query: str) -> Any:
    with conn.cursor(row_factory=tuple_row) as cur:
        row = cur.execute(query).fetchone()
    return row[0] if row else None


class SetupBlocked(RuntimeError):
    """Another session holds the lock database set-up takes; the message names it."""


SETUP_LOCK_WAIT = 30.0

LOCK_HOLDERS = """
SELECT a.pid, a.usename, a.application_name, a.state,
       date_trunc('second', now() - coalesce(a.xact_start, a.backend_start)) AS held_for
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid,
     (SELECT hashtext(%(name)s)::bigint AS k) key
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database
                                                              WHERE datname = current_database())
  AND l.classid::bigint = (key.k >> 32) & 4294967295 AND l.objid::bigint = key.k & 4294967295
  AND l.objsubid = 1 AND l.pid <> pg_backend_pid()
"""


def setup_lock(conn: psycopg.Connection[Any], name: str, wait: float = SETUP_LOCK_WAIT) -> None:
    """Take the transaction-level advisory lock `name` (one database set-up at a time), waiting at most
    `wait` seconds; then fail with one line naming the session that holds it, rather than hang."""
    deadline = time.monotonic() + wait
    while True:
        row = conn.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s)) AS ok", [name]).fetchone()
        if row["ok"] if isinstance(row, dict) else row[0]:
            return
        if time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    with conn.cursor(row_factory=dict_row) as cur:
        holders = cur.execute(LOCK_HOLDERS, {"name": name}).fetchall()
    who = "; ".join(f"pid {h['pid']} (user {h['usename']}, application {h['application_name']!r}, {h['state']}, "
                    f"for {h['held_for']})" for h in holders) or "a session that has just ended"
    hint = f"; end it with SELECT pg_terminate_backend({holders[0]['pid']})" if holders else ""
    raise SetupBlocked(f"database set-up waited {wait:.0f} s for its lock {name!r}, held by {who}{hint}")


def schema_is_current(conn: psycopg.Connection[Any]) -> bool:
    """Whether schema.sql as it is now has been applied to this database."""
    exists = conn.execute("SELECT to_regclass('raw.schema_state') IS NOT NULL AS ok").fetchone()
    if not (exists["ok"] if isinstance(exists, dict) else exists[0]):
        return False
    row = conn.execute("SELECT sha256 FROM raw.schema_state").fetchone()
    return bool(row) and (row["sha256"] if isinstance(row, dict) else row[0]) == schema_digest()


def fetch_one(conn: psycopg.Connection[Any], name: str, params: dict[str, Any] | None = None) -> Any:
    return conn.execute(q(name), params or {}).fetchone()


def fetch_all(conn: psycopg.Connection[Any], name: str, params: dict[str, Any] | None = None) -> list[Any]:
    return conn.execute(q(name), params or {}).fetchall()
