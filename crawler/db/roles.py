"""Least-privilege database roles: an owner that holds the DDL, a writer for the workers and a
read-only analyst who cannot see the raw schema (the group roles and their grants: ops/roles.sql).

Logins are made here, as members of those groups, so no password is ever written in a SQL file.
Everything runs on an admin connection (a superuser, or a CREATEROLE role of managed PostgreSQL).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import tuple_row

from crawler.db.connect import apply_schema, setup_lock
from crawler.settings import PROJECT_ROOT

ROLES_FILE = PROJECT_ROOT / "ops" / "roles.sql"
OWNER, WRITER, ANALYST = "rectify_owner", "rectify_writer", "rectify_analyst"
GROUPS = (OWNER, WRITER, ANALYST)

# How to name each kind of relation in ALTER … OWNER TO. Indexes, and sequences that belong to a
# serial/identity column, follow their table and are left out of the query below.
RELATION_KINDS = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE",
                  "f": "FOREIGN TABLE"}

# Relations of public and raw not yet owned by rectify_owner: not members of an extension (those
# belong to the extension) and not sequences owned by a column (ALTER TABLE carries them along).
UNOWNED_RELATIONS = """
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('public', 'raw') AND c.relkind = ANY (%(kinds)s)
  AND c.relowner <> %(owner)s::regrole
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
ORDER BY c.relkind, n.nspname, c.relname
"""

# Functions of public and raw not owned by rectify_owner (made by an admin: a restore, a hand-made function).
UNOWNED_FUNCTIONS = """
SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
       CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END AS kind
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname IN ('public', 'raw') AND p.proowner <> %(owner)s::regrole
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3
"""


def apply_roles(conn: psycopg.Connection[Any], database: str) -> None:
    """Create the group roles and grant them their rights in `database` (the one `conn` is on).

    Idempotent: run it after every schema change that was not made AS rectify_owner, or at any time."""
    # Everything, the check included, in one transaction: a non-autocommit connection is committed here,
    # not left in an open transaction (which would make conn.transaction() a mere savepoint).
    with conn.transaction():
        current = _value(conn, "SELECT current_database()")
        if current != database:
            # Schema grants land in the connected database, database grants in `database`: they must agree.
            raise ValueError(f"connected to database {current!r}, asked to set up {database!r}")
        # One run at a time per database (several containers may start at once, as for apply_schema).
        setup_lock(conn, "rectify-roles")
        conn.execute(ROLES_FILE.read_text(encoding="utf-8"))
        _transfer_ownership(conn)
        _grant_database(conn, database)


def _transfer_ownership(conn: psycopg.Connection[Any]) -> None:
    """Hand every table, view, sequence and function of public and raw to rectify_owner.

    Objects made before the roles existed (schema applied as the superuser) become the owner's, so
    it can ALTER them and the writer's grants are recorded with the owner as grantor."""
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(UNOWNED_RELATIONS, {"kinds": list(RELATION_KINDS), "owner": OWNER}).fetchall()
        functions = cur.execute(UNOWNED_FUNCTIONS, {"owner": OWNER}).fetchall()
    for schema, name, kind in rows:
        conn.execute(sql.SQL("ALTER {kind} {relation} OWNER TO {owner}").format(
            kind=sql.SQL(RELATION_KINDS[kind]), relation=sql.Identifier(schema, name),
            owner=sql.Identifier(OWNER)))
    for schema, name, args, kind in functions:
        conn.execute(sql.SQL("ALTER {kind} {function}({args}) OWNER TO {owner}").format(
            kind=sql.SQL(kind), function=sql.Identifier(schema, name), args=sql.SQL(args),
            owner=sql.Identifier(OWNER)))


def _grant_database(conn: psycopg.Connection[Any], database: str) -> None:
    """CONNECT for the three groups; CREATE (for schema raw) and TEMP for the owner only.

    TEMP is taken from PUBLIC: temporary tables are objects too, and neither workers nor analysts
    need them (CONNECT stays with PUBLIC so other existing logins keep working)."""
    db = sql.Identifier(database)
    groups = sql.SQL(", ").join(map(sql.Identifier, GROUPS))
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, groups))
    conn.execute(sql.SQL("GRANT CREATE, TEMPORARY ON DATABASE {} TO {}").format(db, sql.Identifier(OWNER)))
    conn.execute(sql.SQL("REVOKE CREATE, TEMPORARY ON DATABASE {} FROM PUBLIC, {}, {}").format(
        db, sql.Identifier(WRITER), sql.Identifier(ANALYST)))


def ensure_login(conn: psycopg.Connection[Any], name: str, group: str, password: str | None) -> None:
    """Make `name` a login that is a member of `group` (and of no other rectify group).

    Creates the role, or updates an existing one. `password` None leaves the password as it is
    (trust or peer authentication, as on the embedded server's Unix socket). Role settings are not
    inherited from a group, so the group's (the analyst's timeouts and read-only default) are copied."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; expected one of {', '.join(GROUPS)}")
    if name in GROUPS:
        raise ValueError(f"{name!r} is a group role, not a login")
    with conn.transaction():
        existing = _value(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = %s", [name])
        if existing:  # rolsuper: never turn a superuser (maybe the admin itself) into a lesser login
            raise ValueError(f"{name!r} is a superuser; refusing to make it a {group} login")
        role = sql.Identifier(name)
        secret = _password_clause(conn, name, password)
        if existing is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN{} IN ROLE {}").format(role, secret, sql.Identifier(group)))
        else:
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN{}").format(role, secret))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), role))
        for other in GROUPS:
            if other != group and _is_member(conn, name, other):
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), role))
        _copy_settings(conn, group, name)


def _password_clause(conn: psycopg.Connection[Any], name: str, password: str | None) -> sql.Composable:
    """` PASSWORD '<SCRAM verifier>'`, hashed on the client so the plain password never reaches the
    server (nor its statement log); empty when there is no password to set."""
    if password is None:
        return sql.SQL("")
    verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    return sql.SQL(" PASSWORD {}").format(sql.Literal(verifier.decode()))


def _is_member(conn: psycopg.Connection[Any], name: str, group: str) -> bool:
    return bool(_value(conn, """SELECT EXISTS (SELECT FROM pg_auth_members m
                                  WHERE m.member = %s::regrole AND m.roleid = %s::regrole)""", [name, group]))


def _copy_settings(conn: psycopg.Connection[Any], group: str, name: str) -> None:
    """Copy the group's cluster-wide role settings (ALTER ROLE group SET …) onto the login.

    An analyst login may change its own settings (PostgreSQL lets every role do that); running this
    again (`rectify db init`) puts them back. Its limits do not rest on them: see workers/watchdog.py.

    Each value is passed back as one literal, which is right for scalar settings (timeouts, on/off);
    a list setting such as search_path would need its items split first."""
    if group == ANALYST:  # what the login set on itself (ALTER ROLE self SET …) goes; only the group's stays
        conn.execute(sql.SQL("ALTER ROLE {} RESET ALL").format(sql.Identifier(name)))
        conn.execute(sql.SQL("ALTER ROLE {} IN DATABASE {} RESET ALL").format(
            sql.Identifier(name), sql.Identifier(conn.info.dbname)))
    settings = _value(conn, """SELECT setconfig FROM pg_db_role_setting
                               WHERE setrole = %s::regrole AND setdatabase = 0""", [group])
    for entry in settings or []:
        key, _, value = entry.partition("=")
        conn.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(
            sql.Identifier(name), sql.Identifier(key), sql.Literal(value)))


def role_url(admin_url: str, user: str, password: str | None) -> str:
    """The admin's connection string (host, port, dbname, sslmode …) for another user.

    The admin's password is dropped, never handed on; works for Unix-socket URLs such as
    postgresql://postgres:@/rectify?host=/path. Returns a key=value conninfo, which psycopg, libpq
    and psql accept wherever they accept a URL."""
    params = conninfo_to_dict(admin_url)
    params.pop("password", None)
    params["user"] = user
    if password is not None:
        params["password"] = password
    return make_conninfo("", **params)


def apply_schema_as_owner(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply schema.sql AS rectify_owner, so every table or view it creates is the owner's and gets
    the default privileges of ops/roles.sql (writer and analyst grants) without another step.

    SET ROLE runs inside the transaction: if the schema fails, the rollback also undoes the role.
    Returns the migrations that ran (crawler.db.connect.apply_schema)."""
    with conn.transaction():
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(OWNER)))
        try:
            return apply_schema(conn)
        finally:
            conn.execute("RESET ROLE")


def _value(conn: psycopg.Connection[Any], query: str, params: list[Any] | None = None) -> Any:
    """First column of the first row (None when no row), whatever row factory `conn` has."""
    with conn.cursor(row_factory=tuple_row) as cur:
        row = cur.execute(query, params).fetchone()
    return row[0] if row else None
