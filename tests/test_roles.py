"""Least-privilege roles on a real PostgreSQL: what analysts, workers and the owner can and cannot do.

The group roles come from ops/roles.sql (crawler.db.roles.apply_roles); logins are made with ensure_login.
Roles are cluster-wide, so every login here is created tolerantly (it may exist from an earlier run).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from crawler.db.roles import (
    ANALYST,
    GROUPS,
    OWNER,
    WRITER,
    apply_roles,
    apply_schema_as_owner,
    ensure_login,
    role_url,
)
from crawler.mirror import mirrored_notices
from tests.conftest import Sweeper, Worker, rectify, wait_until

ANALYST_LOGIN, WRITER_LOGIN = "rectify_test_analyst", "rectify_test_writer"
SLOW_ANALYST, IDLE_ANALYST = "rectify_test_analyst_slow", "rectify_test_analyst_idle"
DENIED = "42501"        # insufficient_privilege
READ_ONLY = "25006"     # read_only_sql_transaction
CANCELED = "57014"      # query_canceled (statement_timeout)


@pytest.fixture(scope="module")
def roles(admin_url: str) -> dict[str, str]:
    """The roles set up in the test database; connection URLs of the admin and of one login per group."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        apply_roles(admin, admin.info.dbname)
        ensure_login(admin, ANALYST_LOGIN, ANALYST, None)
        ensure_login(admin, WRITER_LOGIN, WRITER, None)
    return {"admin": admin_url, "analyst": role_url(admin_url, ANALYST_LOGIN, None),
            "writer": role_url(admin_url, WRITER_LOGIN, None)}


@pytest.fixture
def analyst(roles: dict[str, str], db: Any) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(roles["analyst"], autocommit=True) as conn:
        yield conn


@pytest.fixture
def writer(roles: dict[str, str], db: Any) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(roles["writer"], autocommit=True) as conn:
        yield conn


def fails(conn: psycopg.Connection[Any], statement: str, *codes: str) -> str:
    """Run `statement` in its own transaction; it must fail with one of the SQLSTATEs `codes`."""
    with pytest.raises(psycopg.Error) as caught, conn.transaction():
        conn.execute(statement)
    assert caught.value.sqlstate in codes, f"{statement}: {caught.value.sqlstate} {caught.value}"
    return caught.value.sqlstate


def scalar(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    row = conn.execute(query, params).fetchone()
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def login_with(admin: psycopg.Connection[Any], name: str, setting: str, value: str) -> str:
    """An analyst login whose own role setting `setting` is `value` (instead of the group's 60 s)."""
    ensure_login(admin, name, ANALYST, None)
    admin.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(sql.Identifier(name), sql.Identifier(setting),
                                                              sql.Literal(value)))
    return role_url(admin.info.dsn, name, None)


# ---------------------------------------------------------------- analysts

ANALYST_WRITES = [
    "INSERT INTO sites (site_id, name, definition) VALUES ('x', 'x', '{}')",
    "UPDATE notices SET title = 'x'",
    "DELETE FROM notices",
    "TRUNCATE notices",
    "CREATE TABLE public.x (i int)",
    "CREATE TABLE raw.x (i int)",
    "CREATE TEMP TABLE x (i int)",
    "SELECT refresh_corpus_keywords()",
    "REFRESH MATERIALIZED VIEW corpus_idf",
]


def test_analyst_reads_public_and_writes_nothing(analyst, db):
    assert scalar(analyst, "SELECT count(*) FROM notices") == 0
    assert scalar(analyst, "SELECT count(*) FROM sites") == scalar(db, "SELECT count(*) FROM sites") > 0
    assert scalar(analyst, "SELECT count(*) FROM site_health") > 0            # views over raw, by their owner
    assert scalar(analyst, "SELECT count(*) FROM crawl_run_progress") == 0
    for statement in ANALYST_WRITES:
        fails(analyst, statement, DENIED, READ_ONLY)
    # The read-only default is only a default a session may turn off; the privileges must hold anyway.
    analyst.execute("SET default_transaction_read_only = off")
    for statement in ANALYST_WRITES:
        fails(analyst, statement, DENIED)


def test_analyst_reads_takedowns(analyst, db):
    """notices.withdrawn_at, the events in notice_versions and the notice_takedowns view are the analyst's
    to read (a view made by schema.sql gets its grant from the owner's default privileges), not to change."""
    notice_id = scalar(db, """INSERT INTO notices (site_id, url_key, url, title, body_text, content_sha256,
                                                   parser_version, withdrawn_at)
                              VALUES ('liaoning', 'https://x.test/1', 'https://x.test/1', 't', 'b', 'h', 'p', now())
                              RETURNING notice_id""")
    db.execute("""INSERT INTO notice_versions (notice_id, version, content_sha256, title, body_text, record)
                  VALUES (%(n)s, 1, 'h', 't', 'b', '{}')""", {"n": notice_id})
    db.execute("""INSERT INTO notice_versions (notice_id, version, event, title, http_status, diff_summary)
                  VALUES (%(n)s, 2, 'withdrawn', 't', 410, 'HTTP 410 Gone')""", {"n": notice_id})
    assert scalar(analyst, "SELECT count(withdrawn_at) FROM notices") == 1
    assert scalar(analyst, "SELECT event FROM notice_versions WHERE version = 2") == "withdrawn"
    row = analyst.execute("SELECT http_status, restored_at FROM notice_takedowns").fetchone()
    assert tuple(row.values() if isinstance(row, dict) else row) == (410, None)
    fails(analyst, "UPDATE notices SET withdrawn_at = NULL", DENIED, READ_ONLY)


def test_analyst_cannot_see_raw(analyst):
    fails(analyst, "SELECT * FROM raw.pages", DENIED)
    fails(analyst, "SELECT * FROM raw.work_items", DENIED)
    assert scalar(analyst, "SELECT has_schema_privilege('raw', 'USAGE')") is False
    assert scalar(analyst, "SELECT has_schema_privilege('public', 'CREATE')") is False


def test_analyst_limits_are_role_settings_copied_onto_each_login(roles, analyst, db):
    on_group = scalar(db, """SELECT setconfig FROM pg_db_role_setting
                             WHERE setrole = %s::regrole AND setdatabase = 0""", [ANALYST])
    assert sorted(on_group) == ["default_transaction_read_only=on", "idle_in_transaction_session_timeout=60s",
                                "statement_timeout=60s"]
    # Role settings are not inherited from groups: the login has them because ensure_login copied them.
    assert scalar(analyst, "SHOW statement_timeout") == "1min"
    assert scalar(analyst, "SHOW idle_in_transaction_session_timeout") == "1min"
    assert scalar(analyst, "SHOW default_transaction_read_only") == "on"
    with psycopg.connect(roles["writer"]) as writer:   # the workers are not limited
        assert scalar(writer, "SHOW statement_timeout") == "0"


def test_runaway_analyst_query_is_cancelled_while_ingestion_goes_on(roles, db, env, settings, tmp_path):
    """The analyst's role setting (3 s here, 60 s for real) cancels the query; the workers, running as
    rectify_writer, crawl and store Shandong meanwhile."""
    slow_url = login_with(db, SLOW_ANALYST, "statement_timeout", "3s")
    writer_env = {**env, "DATABASE_URL": roles["writer"]}
    sweeper = Sweeper(dataclasses.replace(settings, database_url=roles["writer"]))
    worker = Worker(writer_env, tmp_path / "worker.log").start()
    sweeper.start()
    outcome: dict[str, Any] = {"cancelled": 0}
    stop = threading.Event()

    def runaway() -> None:
        # Back to back until the crawl is over, so the crawl runs under a runaway query however long it takes
        # on a loaded machine; each one is cancelled by the role's limit.
        with psycopg.connect(slow_url, autocommit=True) as conn:
            outcome["timeout"] = scalar(conn, "SHOW statement_timeout")   # from the role, nothing SET here
            while not stop.is_set():
                started = time.monotonic()
                try:
                    conn.execute("SELECT pg_sleep(20), (SELECT count(*) FROM notices)")
                except psycopg.Error as exc:
                    outcome.setdefault("sqlstate", exc.sqlstate)
                    outcome["cancelled"] += exc.sqlstate == CANCELED
                outcome.setdefault("seconds", time.monotonic() - started)

    analyst = threading.Thread(target=runaway)
    try:
        analyst.start()
        wait_until(lambda: scalar(db, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND state = 'active'",
                                  [SLOW_ANALYST]) == 1, 5, "the analyst query did not start")
        crawl = rectify(env, "crawl", "shandong", timeout=60)
        crawl_ended_while_query_ran = scalar(
            db, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND state = 'active'", [SLOW_ANALYST]) == 1
        worker_logins = {r["usename"] for r in db.execute(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()"
            " AND usename LIKE 'rectify_test_%'").fetchall()}
        stop.set()
        analyst.join(30)
    finally:
        stop.set()
        sweeper.halt.set()
        worker.stop()
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert outcome["timeout"] == "3s"
    assert outcome.get("sqlstate") == CANCELED and outcome["cancelled"] >= 1, outcome
    assert 2.5 < outcome["seconds"] < 10, outcome
    assert WRITER_LOGIN in worker_logins, worker_logins          # the workers' pools use the writer login
    assert crawl_ended_while_query_ran, "no analyst query ran when the crawl ended: nothing shows ingestion went on"
    expected = sum(1 for n in mirrored_notices() if n["host"] == "www.sdjj.gov.cn")
    assert scalar(db, "SELECT count(*) FROM notices WHERE site_id = 'shandong'") == expected > 0
    assert scalar(db, "SELECT state FROM crawl_runs") == "done"


def test_idle_analyst_transaction_is_ended_by_the_role_setting(roles, db):
    idle_url = login_with(db, IDLE_ANALYST, "idle_in_transaction_session_timeout", "1s")
    with psycopg.connect(idle_url) as conn:     # not autocommit: the SELECT opens a transaction
        assert scalar(conn, "SHOW idle_in_transaction_session_timeout") == "1s"
        conn.execute("SELECT 1")
        time.sleep(2)
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("SELECT 1")
        assert caught.value.sqlstate == "25P03" or "idle-in-transaction" in str(caught.value), caught.value
        assert conn.closed or conn.broken


# ---------------------------------------------------------------- limits an analyst cannot lift

TAMPERER = "rectify_test_analyst_tamper"
SETUP_LOCKS = ["pg_advisory_lock(hashtext('rectify-schema'))", "pg_advisory_lock_shared(hashtext('rectify-roles'))",
               "pg_try_advisory_lock(hashtext('rectify-schema'))", "pg_advisory_xact_lock(hashtext('rectify-roles'))",
               "pg_try_advisory_xact_lock_shared(1, 2)", "pg_advisory_lock(1, 2)"]


@pytest.fixture
def watchdog(roles, settings, db):
    """The watchdog beat runs, here with limits of seconds, as the workers' login."""
    from workers.watchdog import Watchdog

    fast = dataclasses.replace(settings, database_url=roles["writer"], analyst_query_seconds=2,
                               analyst_idle_in_transaction_seconds=2, analyst_idle_seconds=4, analyst_watch_seconds=0.3)
    dog = Watchdog(fast)
    dog.start()
    yield dog
    dog.halt.set()
    dog.join(5)


def analyst_outcome(url: str, statement: str, *setup: str) -> dict[str, Any]:
    """Run `statement` as an analyst after `setup`; the SQLSTATE it ended with and how long it took."""
    with psycopg.connect(url, autocommit=True) as conn:
        for line in setup:
            conn.execute(line)
        started = time.monotonic()
        try:
            conn.execute(statement)
            sqlstate = None
        except psycopg.Error as exc:
            sqlstate = exc.sqlstate
        return {"sqlstate": sqlstate, "seconds": time.monotonic() - started}


def test_analyst_setting_its_own_limits_off_does_not_lift_them(roles, db, watchdog):
    """PostgreSQL lets every role change its own defaults (ALTER ROLE self SET …), so it succeeds: what
    bounds the query is the watchdog, which the analyst's settings do not reach."""
    ensure_login(db, TAMPERER, ANALYST, None)
    url = role_url(roles["admin"], TAMPERER, None)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET default_transaction_read_only = off")
        for statement in ("ALTER ROLE CURRENT_USER SET statement_timeout = 0",
                          f"ALTER ROLE CURRENT_USER IN DATABASE {db.info.dbname} SET statement_timeout = 0",
                          "ALTER ROLE CURRENT_USER SET idle_in_transaction_session_timeout = 0"):
            conn.execute(statement)
        fails(conn, f"ALTER ROLE {WRITER_LOGIN} SET statement_timeout = '1ms'", DENIED)   # only its own
        fails(conn, "ALTER ROLE CURRENT_USER CREATEROLE", DENIED)
    with psycopg.connect(url, autocommit=True) as conn:
        assert scalar(conn, "SHOW statement_timeout") == "0"           # the defaults did change …
    outcome = analyst_outcome(url, "SELECT pg_sleep(30)")
    assert outcome["sqlstate"] == CANCELED and outcome["seconds"] < 10, outcome     # … the limit did not
    ensure_login(db, TAMPERER, ANALYST, None)                          # and `rectify db init` puts them back
    with psycopg.connect(url, autocommit=True) as conn:
        assert scalar(conn, "SHOW statement_timeout") == "1min"


def test_analyst_setting_its_session_limits_off_does_not_lift_them(roles, db, watchdog):
    url = roles["analyst"]
    off = ("SET statement_timeout = 0", "SET idle_in_transaction_session_timeout = 0")
    outcome = analyst_outcome(url, "SELECT pg_sleep(30), (SELECT count(*) FROM notices)", *off)
    assert outcome["sqlstate"] == CANCELED and outcome["seconds"] < 10, outcome
    with psycopg.connect(url) as conn:     # not autocommit: a transaction left open
        for line in off:
            conn.execute(line)
        conn.execute("SELECT count(*) FROM notices")                # holds a lock on notices from now on
        pid = scalar(conn, "SELECT pg_backend_pid()")
        assert_ended(db, pid, "the analyst's open transaction")
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    with psycopg.connect(url, autocommit=True) as conn:   # idle too long, outside a transaction: ended too
        conn.execute("SET idle_session_timeout = 0")
        assert_ended(db, scalar(conn, "SELECT pg_backend_pid()"), "the idle analyst session")
    with psycopg.connect(roles["writer"], autocommit=True) as conn:   # the workers' sessions are not touched
        pid = scalar(conn, "SELECT pg_backend_pid()")
        time.sleep(5)
        assert scalar(conn, "SELECT pg_backend_pid()") == pid


def assert_ended(db: psycopg.Connection[Any], pid: int, what: str) -> None:
    wait_until(lambda: not scalar(db, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]), 15,
               f"{what} was not ended")


def test_analyst_cannot_take_the_locks_database_setup_takes(analyst):
    """An idle analyst session holding them would make `rectify db init` and `rectify up` wait for ever."""
    analyst.execute("SET default_transaction_read_only = off")
    for call in SETUP_LOCKS:
        fails(analyst, f"SELECT {call}", DENIED)


def test_setup_names_the_session_holding_its_lock(roles, db):
    from crawler.db.connect import SetupBlocked, setup_lock

    with psycopg.connect(roles["admin"], autocommit=True, application_name="holding it") as holder:
        holder.execute("SELECT pg_advisory_lock(hashtext('rectify-schema'))")
        holder_pid = scalar(holder, "SELECT pg_backend_pid()")
        with psycopg.connect(roles["admin"]) as conn, pytest.raises(SetupBlocked) as caught:
            setup_lock(conn, "rectify-schema", wait=0.5)
        message = str(caught.value)
        assert "\n" not in message
        assert f"pid {holder_pid}" in message and "'holding it'" in message, message
        assert f"user {scalar(db, 'SELECT current_user')}" in message, message
    with psycopg.connect(roles["admin"]) as conn:                      # released: set-up goes on
        setup_lock(conn, "rectify-schema", wait=0.5)


# ---------------------------------------------------------------- workers

def test_writer_reads_and_writes_rows_in_public_and_raw(writer, db):
    run_id = scalar(writer, "INSERT INTO crawl_runs (site_id, trigger) SELECT site_id, 'manual' FROM sites "
                            "LIMIT 1 RETURNING run_id")
    writer.execute("UPDATE crawl_runs SET state = 'done' WHERE run_id = %s", [run_id])
    item_id = scalar(writer, "INSERT INTO raw.work_items (run_id, site_id, kind, url, url_key) "
                             "SELECT run_id, site_id, 'list', 'u', 'u' FROM crawl_runs RETURNING item_id")
    writer.execute("UPDATE raw.work_items SET state = 'done' WHERE item_id = %s", [item_id])
    page_id = scalar(writer, "INSERT INTO raw.pages (site_id, url_key, url, final_url, http_status, body_sha256, "
                             "body_size, body_zlib) SELECT site_id, 'u', 'u', 'u', 200, 's', 0, '' FROM crawl_runs "
                             "RETURNING page_id")
    writer.execute("INSERT INTO notices (site_id, url_key, url, body_text, content_sha256, parser_version, page_id) "
                   "SELECT site_id, 'u', 'u', 'b', 's', '1', %s FROM crawl_runs", [page_id])
    writer.execute("UPDATE notices SET title = 't'")
    assert scalar(writer, "SELECT count(*) FROM crawl_run_progress") == 1
    for table in ("notices", "raw.pages", "raw.work_items", "crawl_runs"):
        writer.execute(f"DELETE FROM {table}")
    assert scalar(db, "SELECT count(*) FROM crawl_runs") == 0


def test_writer_refreshes_the_corpus_keywords_only_through_the_owners_function(writer):
    writer.execute("SELECT refresh_corpus_keywords()")  # runs as the owner: the views are the owner's
    fails(writer, "REFRESH MATERIALIZED VIEW corpus_idf", DENIED)


def test_writer_has_no_ddl(writer):
    for statement in ("DROP TABLE notices", "TRUNCATE notices", "ALTER TABLE notices ADD COLUMN x int",
                      "CREATE TABLE raw.x (i int)", "CREATE TABLE public.x (i int)", "DROP VIEW site_health",
                      "CREATE INDEX x ON notices (title)", "CREATE TEMP TABLE x (i int)"):
        fails(writer, statement, DENIED)


# ---------------------------------------------------------------- the owner, later tables, repeat runs

def test_tables_the_owner_creates_later_get_the_same_grants(analyst, writer, db):
    db.execute("DROP TABLE IF EXISTS public.later, raw.later")
    try:
        with db.transaction():
            db.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(OWNER)))
            db.execute("CREATE TABLE public.later (i bigserial PRIMARY KEY, note text)")
            db.execute("CREATE TABLE raw.later (i bigserial PRIMARY KEY)")
        writer.execute("INSERT INTO public.later (note) VALUES ('from a worker')")   # the sequence too
        writer.execute("INSERT INTO raw.later DEFAULT VALUES")
        assert scalar(analyst, "SELECT note FROM public.later") == "from a worker"
        fails(analyst, "SELECT * FROM raw.later", DENIED)
        fails(writer, "DROP TABLE public.later", DENIED)
    finally:
        db.execute("DROP TABLE IF EXISTS public.later, raw.later")


def test_schema_applied_as_owner_leaves_everything_owned_by_it(roles, db):
    apply_schema_as_owner(db)
    assert scalar(db, "SELECT current_user") != OWNER                      # the role was reset
    owners = db.execute("""SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c
                           JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname IN ('public', 'raw') AND c.relkind IN ('r', 'v', 'S', 'i')""").fetchall()
    assert [r["owner"] for r in owners] == [OWNER]
    assert scalar(db, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'raw'") == OWNER


SNAPSHOT = """
SELECT
  (SELECT array_agg(x ORDER BY x) FROM (
     SELECT format('%%s.%%s %%s %%s', n.nspname, c.relname, pg_get_userbyid(c.relowner), c.relacl) AS x
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'raw') AND c.relkind IN ('r', 'v', 'm', 'S')) s) AS relations,
  (SELECT array_agg(x ORDER BY x) FROM (
     SELECT format('%%s %%s %%s', nspname, pg_get_userbyid(nspowner), nspacl) AS x
     FROM pg_namespace WHERE nspname IN ('public', 'raw')) s) AS schemas,
  (SELECT datacl::text FROM pg_database WHERE datname = current_database()) AS database,
  (SELECT array_agg(x ORDER BY x) FROM (
     SELECT format('%%s %%s %%s', defaclnamespace::regnamespace, defaclobjtype, defaclacl) AS x
     FROM pg_default_acl) s) AS default_privileges,
  (SELECT array_agg(x ORDER BY x) FROM (
     SELECT format('%%s %%s %%s', setrole::regrole, setdatabase, setconfig) AS x FROM pg_db_role_setting
     WHERE setrole::regrole::text = ANY (%(groups)s)) s) AS settings,
  (SELECT array_agg(x ORDER BY x) FROM (
     SELECT format('%%s login=%%s super=%%s', rolname, rolcanlogin, rolsuper) AS x FROM pg_roles
     WHERE rolname = ANY (%(groups)s)) s) AS roles,
  (SELECT array_agg(x ORDER BY x) FROM (
     SELECT format('%%s>%%s', roleid::regrole, member::regrole) AS x FROM pg_auth_members
     WHERE roleid::regrole::text = ANY (%(groups)s)) s) AS members
"""


def test_apply_roles_again_changes_nothing(roles, db):
    before = db.execute(SNAPSHOT, {"groups": list(GROUPS)}).fetchone()
    assert any(WRITER in r for r in before["relations"]) and before["default_privileges"]   # not vacuous
    apply_roles(db, db.info.dbname)
    with psycopg.connect(roles["admin"]) as conn:            # not autocommit: it must commit, not leave it open
        apply_roles(conn, conn.info.dbname)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    ensure_login(db, ANALYST_LOGIN, ANALYST, None)
    ensure_login(db, WRITER_LOGIN, WRITER, None)
    assert db.execute(SNAPSHOT, {"groups": list(GROUPS)}).fetchone() == before


def test_apply_roles_refuses_another_database(roles, db):
    with pytest.raises(ValueError, match="connected to database"):
        apply_roles(db, "not_" + db.info.dbname)


# ---------------------------------------------------------------- logins

def test_login_moves_between_groups_and_never_takes_a_superuser(roles, db):
    name = "rectify_test_mover"
    ensure_login(db, name, WRITER, "first secret")
    ensure_login(db, name, ANALYST, "second secret")
    groups = db.execute("SELECT roleid::regrole::text AS g FROM pg_auth_members WHERE member = %s::regrole",
                        [name]).fetchall()
    assert [g["g"] for g in groups] == [ANALYST]
    stored = scalar(db, "SELECT rolpassword FROM pg_authid WHERE rolname = %s", [name])
    assert stored.startswith("SCRAM-SHA-256$") and "second secret" not in stored   # hashed on the client
    superuser = scalar(db, "SELECT current_user")
    with pytest.raises(ValueError, match="superuser"):
        ensure_login(db, superuser, ANALYST, None)
    with pytest.raises(ValueError, match="unknown group"):
        ensure_login(db, name, "postgres", None)


def test_role_url_keeps_the_server_and_drops_the_admin_password():
    socket = role_url("postgresql://postgres:@/rectify?host=/tmp/pg", "rectify_test_analyst", None)
    assert psycopg.conninfo.conninfo_to_dict(socket) == {"host": "/tmp/pg", "dbname": "rectify",
                                                         "user": "rectify_test_analyst"}
    tcp = role_url("postgresql://admin:s3cret@db.example:6543/rectify?sslmode=require", "w", "p'w d")
    assert psycopg.conninfo.conninfo_to_dict(tcp) == {"host": "db.example", "port": "6543", "dbname": "rectify",
                                                      "sslmode": "require", "user": "w", "password": "p'w d"}
