"""What a database's schema is, as comparable data read from pg_catalog: two databases with equal
`catalog()` have the same tables, columns (types, nullability, defaults), constraints, indexes, views and
materialized views (their definitions), functions, triggers, sequences, comments, owners and privileges
in the schemas public and raw. Nothing in it depends on OIDs, the database's name or the rows."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
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


# -- rows ---------------------------------------------------------------------------------------------

# One row per table of every version (values for columns a version lacks are left out): a site, a run,
# a raw page, a work item, a notice with versions, sections, keywords, tags, problems, figures; a failure.
# Every column gets a value (not its default), so "kept" means each value is kept.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("sites", {"site_id": "old", "name": "旧纪委监委", "province": "辽宁", "level": "province",
               "home_url": "http://old.example/", "enabled": False, "definition": '{"id": "old", "name": "旧"}',
               "updated_at": "2024-01-02 03:04:05+00", "confidence": "M", "disabled_reason": "test",
               "discovered_list_url": "http://old.example/list/", "discovered_at": "2024-01-03 00:00:00+00",
               "discovery_trace": '{"chosen": "http://old.example/list/"}'}),
    ("crawl_runs", {"run_id": 7, "site_id": "old", "trigger": "manual", "full_crawl": True,
                    "slot": "2024-01-04 00:00:00+00", "request_key": "key-1", "state": "done",
                    "created_at": "2024-01-04 00:00:01+00", "finished_at": "2024-01-04 00:10:00+00",
                    "pages_fetched": 3, "notices_new": 1, "notices_changed": 0, "notices_unchanged": 2,
                    "notices_failed": 1, "error": None, "notices_withdrawn": 0}),
    ("raw.pages", {"page_id": 11, "site_id": "old", "url_key": "http://old.example/a.html",
                   "url": "http://old.example/a.html", "final_url": "http://old.example/a.html", "http_status": 200,
                   "headers": '{"etag": "e1"}', "etag": "e1", "last_modified": "Mon, 01 Jan 2024 00:00:00 GMT",
                   "encoding": "utf-8", "body_sha256": "ab" * 32, "body_size": 5, "body_zlib": b"x\x9c\xcbH\xcd\xc9\xc9\x07\x00\x06,\x02\x15",
                   "fetched_at": "2024-01-04 00:01:00+00"}),
    ("raw.work_items", {"item_id": 13, "run_id": 7, "site_id": "old", "kind": "article",
                        "url": "http://old.example/a.html", "url_key": "http://old.example/a.html", "page_id": 11,
                        "payload": '{"links": 1}', "state": "done", "attempts": 1, "max_attempts": 5,
                        "lease_until": "2024-01-04 00:02:00+00", "outcome": "fetched", "error_class": None,
                        "error": None, "created_at": "2024-01-04 00:00:02+00", "updated_at": "2024-01-04 00:02:00+00"}),
    ("notices", {"notice_id": 17, "site_id": "old", "url_key": "http://old.example/a.html",
                 "url": "http://old.example/a.html", "title": "中共某县委关于巡察整改进展情况的通报", "issuer": "中共某县委",
                 "signed_on": "2024-01-01", "published_on": "2024-01-02", "source": "某县纪委监委",
                 "inspection_kind": "巡察", "inspecting_body": "县委第一巡察组", "term": 14, "round": 2, "team": 1,
                 "inspection_start": "2023-03-01", "inspection_end": "2023-05-01", "feedback_on": "2023-06-01",
                 "special_topics": ["乡村振兴"], "problems_total": 12, "problems_done": 10,
                 "contact_phone": "0411-1234567", "contact_email": "x@old.example", "quality": ["no_team"],
                 "body_text": "根据县委统一部署，反馈问题12个，已完成整改10个。", "content_sha256": "cd" * 32, "version": 2,
                 "parser_version": "p1", "page_id": 11, "first_seen_at": "2024-01-04 00:03:00+00",
                 "updated_at": "2024-01-05 00:00:00+00", "search_vector": "巡察:1 整改:2,3",
                 "content_simhash": 1234567890123, "province": "辽宁", "search_head": "巡察:1",
                 "evidence": '{"title": ["x", 0, 1]}', "withdrawn_at": None}),
    ("notice_versions", {"notice_id": 17, "version": 1, "content_sha256": "ef" * 32, "title": "旧标题",
                         "body_text": "旧正文", "record": '{"title": "旧标题"}', "page_id": 11,
                         "seen_at": "2024-01-04 00:03:00+00", "diff_summary": "first", "event": "content",
                         "http_status": 200}),
    ("notice_versions", {"notice_id": 17, "version": 2, "content_sha256": "cd" * 32, "title": "新标题",
                         "body_text": "新正文", "record": '{"title": "新标题"}', "page_id": 11,
                         "seen_at": "2024-01-05 00:00:00+00", "diff_summary": "title changed", "event": "content",
                         "http_status": 200}),
    ("notice_sections", {"notice_id": 17, "ordinal": 1, "parent": None, "level": 1, "path": "一", "marker": "一、",
                         "number": 1, "heading": "关于党的领导弱化问题", "body": "整改措施……"}),
    ("notice_sections", {"notice_id": 17, "ordinal": 2, "parent": 1, "level": 2, "path": "一/(一)", "marker": "（一）",
                         "number": 1, "heading": "学习贯彻不深入", "body": "已完成。"}),
    ("notice_keywords", {"notice_id": 17, "rank": 1, "keyword": "巡察整改", "weight": 0.5}),
    ("notice_tags", {"notice_id": 17, "tag": "rural", "label": "乡村振兴", "hits": 2}),
    ("notice_problems", {"notice_id": 17, "ordinal": 1, "section": 1, "path": "一", "marker": "一、",
                         "problem": "党的领导弱化", "aspect": "党的领导", "measures": "整改措施……", "status": "done",
                         "kind": "problem", "part": "整改情况", "outline": "一"}),
    ("notice_figures", {"notice_id": 17, "ordinal": 1, "kind": "problems_total", "value": "12", "unit": "个",
                        "text": "问题12个", "sentence": "反馈问题12个。"}),
    ("failures", {"failure_id": 19, "run_id": 7, "item_id": 13, "site_id": "old", "stage": "parse",
                  "url": "http://old.example/b.html", "error_class": "not_a_notice", "message": "no title",
                  "http_status": 200, "final": True, "occurred_at": "2024-01-04 00:05:00+00"}),
]


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """The table's (or view's) columns in this database, in order (empty when it does not exist)."""
    schema, _, name = table.rpartition(".")
    with conn.cursor(row_factory=tuple_row) as cur:
        return [r[0] for r in cur.execute(
            """SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped
               ORDER BY a.attnum""", [schema or "public", name]).fetchall()]


def fill(conn: psycopg.Connection[Any]) -> None:
    """Insert ROWS, each with the columns its table has in this database."""
    for table, values in ROWS:
        present = _columns(conn, table)
        if not present:
            continue
        row = {k: v for k, v in values.items() if k in present}
        conn.execute(sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(*table.split(".")), sql.SQL(", ").join(map(sql.Identifier, row)),
            sql.SQL(", ").join(sql.Placeholder() * len(row))), list(row.values()))


def contents(conn: psycopg.Connection[Any], columns: dict[str, list[str]]) -> dict[str, tuple[int, str, list[Any]]]:
    """Per table: row count, md5 of its rows (the given columns as text, in a fixed order) and the rows."""
    result = {}
    with conn.cursor(row_factory=tuple_row) as cur:
        for table, cols in columns.items():
            ident = sql.Identifier(*table.split("."))
            fields = sql.SQL(", ").join(map(sql.Identifier, cols))
            rows = cur.execute(sql.SQL("SELECT {} FROM {} ORDER BY 1, 2").format(fields, ident)).fetchall()
            digest = cur.execute(sql.SQL("SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) "
                                         "FROM (SELECT {} FROM {}) r").format(fields, ident)).fetchone()[0]
            result[table] = (len(rows), digest, rows)
    return result


def tables(conn: psycopg.Connection[Any], *, matviews: bool = False) -> dict[str, list[str]]:
    """Every table of public and raw (and materialized view, if asked) with its columns, but
    raw.schema_state (rewritten by every upgrade)."""
    with conn.cursor(row_factory=tuple_row) as cur:
        names = [r[0] for r in cur.execute(
            """SELECT CASE n.nspname WHEN 'public' THEN '' ELSE n.nspname || '.' END || c.relname
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('public', 'raw') AND c.relkind = ANY (%s)
                 AND (n.nspname, c.relname) <> ('raw', 'schema_state')""",
            [["r", "m"] if matviews else ["r"]]).fetchall()]
    return {name: _columns(conn, name) for name in names}
