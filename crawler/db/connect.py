"""Database access: connections, the schema, and named queries from crawler/db/sql/queries.sql.

Queries live in one SQL file as `-- name: query_name` blocks with %(param)s placeholders; code calls
them by name, so the SQL stays readable as SQL and no value is ever formatted into a statement.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from crawler.settings import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "schema.sql"
QUERIES_FILE = Path(__file__).resolve().parent / "sql" / "queries.sql"
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


def schema_digest() -> str:
    return hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()


def apply_schema(conn: psycopg.Connection[Any]) -> None:
    """Create or update every table, view and comment; safe to run any number of times.

    An advisory lock serialises concurrent `db init`s (several containers starting at once); a lock
    timeout makes it fail fast rather than queue behind an analyst's long query and block the workers
    queued behind it. The digest of schema.sql is recorded so other commands can tell it is current."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('rectify-schema'))")
        conn.execute("SET LOCAL lock_timeout = '10s'")
        conn.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        conn.execute("DELETE FROM raw.schema_state")
        conn.execute("INSERT INTO raw.schema_state (sha256) VALUES (%s)", (schema_digest(),))


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
