"""Backup and restore of the whole database (public and raw: the raw archive of fetched pages too) in
pg_dump's custom format, with the pg_dump / pg_restore that come with pgserver or are on PATH.

A restore loads the archive without its owners and grants (`--no-owner --no-acl`), in one transaction,
into an empty database (or one emptied by `clean`), then runs the upgrade (`dbsetup.migrate`): the roles,
rectify_owner owning everything, the grants and logins, and the schema brought to the current one, so an
archive made by an earlier release restores into this one, and an archive made on another cluster
(other roles) restores as well. Errors are BackupError with a one-line message for people.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import tuple_row

ARCHIVE_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SCHEMAS = ("public", "raw")

# What there is in the database's public and raw schemas (extension members left out): when any, a
# restore refuses unless told to clean.
OBJECTS = """
SELECT 'schema' AS kind, 'raw' AS schema, 'raw' AS name, '' AS args FROM pg_namespace WHERE nspname = 'raw'
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                      WHEN 'f' THEN 'foreign table' ELSE 'table' END, n.nspname, c.relname, ''
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.deptype IN ('e', 'a', 'i'))
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END, n.nspname,
       p.proname, pg_get_function_identity_arguments(p.oid)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname, t.typname, ''
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND
      (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
"""


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line, for people."""


# -- the PostgreSQL client programs ------------------------------------------------------------------

def _pgserver_bin() -> Path | None:
    """pgserver's bundled binaries (found without importing pgserver, which starts nothing but warns)."""
    spec = importlib.util.find_spec("pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "pginstall" / "bin"
        if folder.is_dir():
            return folder
    return None


def _major(program: str) -> int | None:
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\) (\d+)", out)
    return int(found.group(1)) if found else None


def find_program(name: str, server_major: int) -> str:
    """`name` (pg_dump or pg_restore): the newest of pgserver's and the one on PATH, which must be at least
    as new as the server (pg_dump refuses a newer server)."""
    candidates = []
    bundled = _pgserver_bin()
    if bundled and (bundled / name).exists():
        candidates.append(str(bundled / name))
    if on_path := shutil.which(name):
        candidates.append(on_path)
    versions = [(major, program) for program in candidates if (major := _major(program)) is not None]
    if not versions:
        raise BackupError(f"{name} not found: install pgserver (a dependency of rectify) or the PostgreSQL client tools")
    major, program = max(versions, key=lambda item: item[0])
    if major < server_major:
        raise BackupError(f"{name} {major} is older than the server (PostgreSQL {server_major}): "
                          f"put the PostgreSQL {server_major} client tools on PATH")
    return program


def _server_major(conn: psycopg.Connection[Any]) -> int:
    return conn.info.server_version // 10000


def _run(program: str, args: list[str], url: str | None) -> str:
    """Run a client program (against `url`, if given) and return its output; the password goes by
    environment, not on the command line (where any user could read it in the process list)."""
    env = dict(os.environ)
    if url is not None:
        params = conninfo_to_dict(url)
        if password := params.pop("password", None):
            env["PGPASSWORD"] = password
        args = [*args, "--dbname", make_conninfo("", **params)]
    result = subprocess.run([program, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = next((line for line in lines if "error:" in line), lines[-1] if lines else "no message")
        raise BackupError(f"{Path(program).name} failed: {detail.strip()}")
    return result.stdout


# -- backup --------------------------------------------------------------------------------------------

def _writable_temp(path: Path) -> Path:
    """A new temporary file beside `path` (the backup is renamed into place only when complete)."""
    if path.is_dir():
        raise BackupError(f"cannot write {path}: it is a directory")
    parent = path.parent
    if not parent.exists():
        raise BackupError(f"cannot write {path}: directory {parent} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise BackupError(f"cannot write {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    return Path(temp)


def backup(url: str, path: Path) -> dict[str, int]:
    """Write the whole database to `path` (pg_dump custom format); returns the row count of each table."""
    path = Path(path)
    temp = _writable_temp(path)
    try:
        with psycopg.connect(url) as conn:
            program = find_program("pg_dump", _server_major(conn))
        _run(program, ["--format", "custom", "--file", str(temp)], url)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    with psycopg.connect(url) as conn:
        return row_counts(conn)


# -- restore -------------------------------------------------------------------------------------------

def _objects(conn: psycopg.Connection[Any]) -> list[tuple[str, str, str, str]]:
    with conn.cursor(row_factory=tuple_row) as cur:
        return cur.execute(OBJECTS).fetchall()


def clean(conn: psycopg.Connection[Any]) -> None:
    """Drop schema raw and every table, view, sequence, function and type of public (what a backup holds);
    public itself, its owner and grants stay."""
    with conn.transaction():
        conn.execute("DROP SCHEMA IF EXISTS raw CASCADE")
        for kind, schema, name, args in _objects(conn):
            statement = sql.SQL("DROP {kind} IF EXISTS {name}{args} CASCADE").format(
                kind=sql.SQL(kind.upper()), name=sql.Identifier(schema, name),
                args=sql.SQL(f"({args})") if kind in ("function", "procedure", "aggregate") else sql.SQL(""))
            conn.execute(statement)


def check_archive(path: Path) -> None:
    path = Path(path)
    if not path.exists():
        raise BackupError(f"no such backup file: {path}")
    if path.is_dir():
        raise BackupError(f"{path} is a directory, not a backup file")
    try:
        with path.open("rb") as f:
            head = f.read(len(ARCHIVE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head != ARCHIVE_MAGIC:
        raise BackupError(f"{path} is not a backup (a pg_dump custom-format archive, as `rectify db backup` writes)")


def restore(url: str, path: Path, *, replace: bool = False) -> None:
    """Load the archive at `path` into the database at `url` (an admin's connection: it creates roles).

    The database must hold no rectify objects, unless `replace`: then schema raw and public's objects are
    dropped first. The load is one transaction; the upgrade (`migrate`), then `fill_views`, follow, by the caller."""
    path = Path(path)
    check_archive(path)
    with psycopg.connect(url, autocommit=True) as conn:
        program = find_program("pg_restore", _server_major(conn))
        found = _objects(conn)
        if found and not replace:
            kinds = sorted({kind for kind, *_ in found})
            raise BackupError(f"database {conn.info.dbname!r} is not empty ({len(found)} objects: {', '.join(kinds)}); "
                              "restore into an empty database, or add --clean to drop them first")
        if found:
            clean(conn)
    # Materialized views are restored empty and filled afterwards (fill_views): pg_restore fills them with
    # search_path = '', where a query inside a view's definition (corpus_idf's ts_stat) finds no table.
    listing = _run(program, ["--list", str(path)], None)
    entries = "".join(f";{line}\n" if "MATERIALIZED VIEW DATA" in line else f"{line}\n" for line in listing.splitlines())
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as use_list:
        use_list.write(entries)
        use_list.flush()
        _run(program, ["--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
                       "--use-list", use_list.name, str(path)], url)


def fill_views(conn: psycopg.Connection[Any]) -> list[str]:
    """Fill every materialized view of public and raw that holds no data (as after a restore), in the
    order they were made (a view built on another comes later), as their owner; returns their names."""
    with conn.cursor(row_factory=tuple_row) as cur:
        views = cur.execute("""SELECT c.oid::regclass::text, pg_get_userbyid(c.relowner) FROM pg_class c
                               JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname IN ('public', 'raw') AND c.relkind = 'm' AND NOT c.relispopulated
                               ORDER BY c.oid""").fetchall()
    with conn.transaction():
        for name, owner in views:
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner)))
            conn.execute(sql.SQL("REFRESH MATERIALIZED VIEW {}").format(sql.SQL(name)))
        conn.execute("RESET ROLE")
    return [name for name, _ in views]


def row_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Rows of every table of public and raw, by name (raw's prefixed)."""
    with conn.cursor(row_factory=tuple_row) as cur:
        names = cur.execute("""SELECT table_schema, table_name FROM information_schema.tables
                               WHERE table_schema IN ('public', 'raw') AND table_type = 'BASE TABLE'
                               ORDER BY 1, 2""").fetchall()
        return {(name if schema == "public" else f"{schema}.{name}"):
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, name))).fetchone()[0]
                for schema, name in names}
