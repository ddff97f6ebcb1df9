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
-- They are defaults a session could SET otherwise: the privileges below are the real barrier, these
-- bound runaway queries and forgotten open transactions (which hold locks and snapshots).
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
