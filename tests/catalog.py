"""What a database's schema is, as comparable data read from pg_catalog: two databases with equal
`catalog()` have the same tables, columns (types, nullability, defaults), constraints, indexes, views and
materialized views (their definitions), functions, triggers, sequences, comments, owners and privileges
in the schemas public and raw. Nothing in it depends on OIDs, the database's name or the rows."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import tuple_row

SCHEMAS = ("public", "raw")

# Array columns (ACLs) are sorted so the order grants were made in does not matter.
QUERIES: dict[str, str] = {
    "schemas": """
        SELECT n.nspname, pg_get_userbyid(n.nspowner),
               (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(n.nspacl) a)
        FROM pg_namespace n WHERE n.nspname = ANY (%(schemas)s)""",
    "relations": """
        SELECT n.nspname, c.relname, c.relkind, c.relpersistence, pg_get_userbyid(c.relowner),
               (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(c.relacl) a)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')""",
    "columns": """
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, co.collname,
               (SELECT array_agg(x::text ORDER BY x::text) FROM unnest(a.attacl) x)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
        WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
          AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": """
        SELECT n.nspname, c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid, true), k.convalidated
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s)""",
    "indexes": """
        SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ANY (%(schemas)s)""",
    "views": """
        SELECT n.nspname, c.relname, c.relkind, pg_get_viewdef(c.oid, true)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('v', 'm')""",
    "functions": """
        SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid),
               pg_get_userbyid(p.proowner), (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(p.proacl) a)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY (%(schemas)s)
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                          AND d.deptype = 'e')""",
    "triggers": """
        SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid, true)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND NOT t.tgisinternal""",
    "sequences": """
        SELECT schemaname, sequencename, data_type::text, start_value, increment_by, max_value, cycle
        FROM pg_sequences WHERE schemaname = ANY (%(schemas)s)""",
    "types": """
        SELECT n.nspname, t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND t.typtype IN ('e', 'd', 'r', 'm')""",
    "policies": """
        SELECT schemaname, tablename, policyname, permissive, roles::text[], cmd, qual, with_check
        FROM pg_policies WHERE schemaname = ANY (%(schemas)s)""",
    "comments": """
        SELECT o.type, o.identity, d.description
        FROM pg_description d CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
        WHERE o.schema = ANY (%(schemas)s) OR (o.type = 'schema' AND o.identity = ANY (%(schemas)s))""",
    "default_privileges": """
        SELECT pg_get_userbyid(a.defaclrole), n.nspname, a.defaclobjtype,
               (SELECT array_agg(x::text ORDER BY x::text) FROM unnest(a.defaclacl) x)
        FROM pg_default_acl a LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace""",
}


def catalog(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every kind of object (QUERIES' keys) as a sorted list of rows."""
    result = {}
    with conn.cursor(row_factory=tuple_row) as cur:
        for kind, query in QUERIES.items():
            rows = cur.execute(query, {"schemas": list(SCHEMAS)}).fetchall()
            result[kind] = sorted((tuple(_frozen(v) for v in row) for row in rows), key=repr)
    return result


def _frozen(value: Any) -> Any:
    """Arrays as tuples, so rows can be compared as sets."""
    return tuple(value) if isinstance(value, list) else value


def differences(old: dict[str, list[tuple[Any, ...]]], new: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Readable lines: what only one of two catalogs has."""
    lines = []
    for kind in QUERIES:
        a, b = set(old[kind]), set(new[kind])
        lines += [f"{kind}: only in the first:  {row}" for row in sorted(a - b, key=repr)]
        lines += [f"{kind}: only in the second: {row}" for row in sorted(b - a, key=repr)]
    return lines
