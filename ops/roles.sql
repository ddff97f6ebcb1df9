-- Least-privilege group roles of the rectify database. Safe to run any number of times: roles are
-- created only when missing, and every GRANT/REVOKE states the wanted end state, so a second run
-- changes nothing. Run by a superuser (or a CREATEROLE admin) connected to the rectify database;
-- crawler/db/roles.py:apply_roles runs it, then hands existing objects to rectify_owner and grants
-- CONNECT on the database (which needs the database's name).
--
--   rectify_owner    owns raw and every table, view and sequence; the schema is applied AS this role
--                    (SET ROLE), so everything it creates later is owned by it too. Holds all DDL.
--   rectify_writer   the workers: read and write rows in public and raw; no DDL, no DROP, no TRUNCATE.
--   rectify_analyst  read-only on the curated schema public; cannot see raw at all; bounded queries.
--
-- All three are NOLOGIN groups: logins are created by code as their members (crawler/db/roles.py:
-- ensure_login), so no password is ever written in a SQL file.

-- ---------------------------------------------------------------- the group roles

-- The IF NOT EXISTS check covers the usual case; the exception handler covers two databases of the
-- same cluster running this at the same moment (roles are cluster-wide, the check is not atomic).
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['rectify_owner', 'rectify_writer', 'rectify_analyst'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created concurrently: fine, the ALTER below fixes its attributes
            END;
        END IF;
    END LOOP;
END
$$;

-- A role that already existed (made by hand, or by an older version) is brought to the wanted state.
ALTER ROLE rectify_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE rectify_writer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE rectify_analyst NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- A non-superuser admin (managed PostgreSQL) must be a member of rectify_owner to hand objects to it,
-- to apply the schema AS it and to set its default privileges; a superuser needs no membership.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'rectify_owner', 'MEMBER') THEN
        EXECUTE format('GRANT rectify_owner TO %I', current_user);
    END IF;
END
$$;

-- Analysts' limits. Role settings apply to the role that logs in and are NOT inherited from groups:
-- ensure_login copies these onto every analyst login; they are kept here as the single source.
-- They are only defaults: a session may SET them otherwise, and PostgreSQL lets every role change its
-- own defaults (ALTER ROLE self SET statement_timeout = 0) for any parameter that is not superuser-only,
-- whatever its privileges. So the limits are enforced from outside the analyst's sessions too: beat's
-- watchdog (workers/watchdog.py) calls raw.enforce_analyst_limits below every few seconds.
ALTER ROLE rectify_analyst SET statement_timeout = '60s';
ALTER ROLE rectify_analyst SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE rectify_analyst SET default_transaction_read_only = on;

-- ---------------------------------------------------------------- schemas

-- raw is created here too, so this file works before or after schema.sql.
CREATE SCHEMA IF NOT EXISTS raw AUTHORIZATION rectify_owner;
ALTER SCHEMA raw OWNER TO rectify_owner;

-- public keeps its owner (pg_database_owner since PostgreSQL 15); rectify_owner gets CREATE in it.
-- Nobody else may create objects in either schema (PostgreSQL < 15 let PUBLIC create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA raw FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO rectify_owner;
GRANT USAGE ON SCHEMA public TO rectify_writer, rectify_analyst;
GRANT USAGE ON SCHEMA raw TO rectify_writer;
REVOKE CREATE ON SCHEMA public FROM rectify_writer, rectify_analyst;
REVOKE CREATE ON SCHEMA raw FROM rectify_writer;
REVOKE ALL ON SCHEMA raw FROM rectify_analyst;

-- ---------------------------------------------------------------- existing tables, views, sequences

-- Writer: rows only. TRUNCATE, REFERENCES and TRIGGER are revoked explicitly so a grant made by hand
-- earlier does not survive a run of this file.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, raw TO rectify_writer;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public, raw FROM rectify_writer;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public, raw TO rectify_writer;

-- Analyst: SELECT on public's tables and views, nothing else, nothing in raw. (Views such as
-- site_health read raw.work_items with their owner's rights, which is how analysts see raw's summaries.)
GRANT SELECT ON ALL TABLES IN SCHEMA public TO rectify_analyst;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM rectify_analyst;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM rectify_analyst;
REVOKE ALL ON ALL TABLES IN SCHEMA raw FROM rectify_analyst;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA raw FROM rectify_analyst;

-- ---------------------------------------------------------------- objects created later

-- Whatever rectify_owner creates from now on (a new table in schema.sql) gets the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE rectify_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rectify_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE rectify_owner IN SCHEMA raw
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rectify_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE rectify_owner IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO rectify_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE rectify_owner IN SCHEMA raw
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO rectify_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE rectify_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO rectify_analyst;

-- ---------------------------------------------------------------- limits analysts cannot lift

-- Advisory locks: any role may take them by default, and an idle analyst session holding the lock
-- `rectify db init` takes would make it (and `rectify up`) wait for ever. Only the owner (db init runs
-- the schema AS it) may take them in this database. Function privileges are per database, like this
-- file. Changing a pg_catalog function's privileges needs a superuser: a managed server's admin gets a
-- warning instead, and the watchdog still ends analysts' idle sessions.
DO $$
DECLARE
    fn regprocedure;
BEGIN
    FOR fn IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace
                AND p.proname LIKE 'pg\_%advisory\_%lock%' AND p.proname NOT LIKE '%unlock%' LOOP
        BEGIN
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO rectify_owner', fn);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'cannot take % from PUBLIC (needs a superuser): analysts can still take advisory locks', fn;
        END;
    END LOOP;
END
$$;

-- The owner reads every session's state and may cancel or end non-superuser sessions, for the one
-- function below (nobody logs in as the owner). Granting these needs a superuser or their admin option.
DO $$
BEGIN
    GRANT pg_read_all_stats, pg_signal_backend TO rectify_owner;
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
    RAISE WARNING 'cannot grant pg_read_all_stats, pg_signal_backend to rectify_owner: analysts'' limits '
                  'are then only their sessions'' own settings';
END
$$;

-- The analysts' limits, enforced from outside their sessions: queries running longer than max_query
-- seconds are cancelled (ended if they run on past twice that), sessions idle in a transaction longer
-- than max_idle_in_transaction and sessions idle longer than max_idle are ended. Any session of a
-- member of rectify_analyst counts, whatever it SET or set on its role. Returns what it did.
-- SECURITY DEFINER (the owner's rights above); only the workers' role may call it.
CREATE OR REPLACE FUNCTION raw.enforce_analyst_limits(max_query double precision,
                                                      max_idle_in_transaction double precision,
                                                      max_idle double precision)
RETURNS TABLE (pid integer, usename name, application_name text, state text, seconds double precision,
               action text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH analysts AS (
        SELECT a.pid, a.usename, a.application_name, a.state,
               extract(epoch FROM now() - CASE WHEN a.state = 'active' THEN a.query_start
                                               ELSE a.state_change END)::double precision AS seconds
        FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
        WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND NOT r.rolsuper
          AND pg_has_role(a.usesysid, 'rectify_analyst', 'MEMBER')
    ), due AS (
        SELECT x.*, CASE
                   WHEN x.state = 'active' AND x.seconds > 2 * max_query THEN 'terminate'
                   WHEN x.state = 'active' AND x.seconds > max_query THEN 'cancel'
                   WHEN x.state LIKE 'idle in transaction%' AND x.seconds > max_idle_in_transaction THEN 'terminate'
                   WHEN x.state = 'idle' AND x.seconds > max_idle THEN 'terminate'
               END AS action
        FROM analysts x
    )
    SELECT d.pid, d.usename, d.application_name, d.state, d.seconds, d.action FROM due d
    WHERE CASE d.action WHEN 'cancel' THEN pg_cancel_backend(d.pid)
                        WHEN 'terminate' THEN pg_terminate_backend(d.pid) ELSE false END
$fn$;
ALTER FUNCTION raw.enforce_analyst_limits(double precision, double precision, double precision) OWNER TO rectify_owner;
REVOKE ALL ON FUNCTION raw.enforce_analyst_limits(double precision, double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION raw.enforce_analyst_limits(double precision, double precision, double precision)
    TO rectify_writer;
