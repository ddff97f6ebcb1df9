"""`rectify export`: notices, or their problems, figures, tags or keywords, as CSV, JSON Lines or Parquet,
for pandas and spreadsheets."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from crawler.db.workqueue import Conn

COLUMNS = ("notice_id", "site_id", "province", "url", "title", "issuer", "signed_on", "published_on",
           "inspection_kind", "inspecting_body", "term", "round", "team", "inspection_start", "inspection_end",
           "feedback_on", "special_topics", "problems_total", "problems_done", "contact_phone", "contact_email",
           "quality", "version", "first_seen_at", "updated_at", "withdrawn_at", "body_text")
NOTICE = ("notice_id", "site_id", "title")  # leads every row of a child table, so it can be joined back
# table -> (its own columns, order within a notice)
CHILDREN = {
    "problems": (("ordinal", "outline", "path", "marker", "kind", "part", "aspect", "problem", "topic", "topic_score",
                  "status", "measures"), "ordinal"),
    "figures": (("ordinal", "kind", "value", "unit", "text", "sentence"), "ordinal"),
    "tags": (("rank", "tag", "label", "share", "special", "hits"), "rank NULLS LAST, hits DESC, tag"),
    "keywords": (("rank", "keyword", "weight"), "rank"),
}
TABLES = ("notices", *CHILDREN)
FILTER = """WHERE (%(site)s::text IS NULL OR n.site_id = %(site)s)
  AND (%(since)s::date IS NULL OR n.published_on >= %(since)s::date)"""


def columns(table: str) -> tuple[str, ...]:
    return COLUMNS if table == "notices" else NOTICE + CHILDREN[table][0]


def query(table: str) -> str:
    if table == "notices":
        return f"SELECT {', '.join('n.' + c for c in COLUMNS)} FROM notices n {FILTER} " \
               "ORDER BY n.published_on NULLS LAST, n.notice_id"
    own, order = CHILDREN[table]
    order_by = ", ".join("c." + part.strip() for part in order.split(","))
    selected = [f"c.{c}::float8 AS {c}" if c == "value" else f"c.{c}" for c in own]  # numeric: a float in pandas
    return (f"SELECT {', '.join('n.' + c for c in NOTICE)}, {', '.join(selected)} "
            f"FROM notice_{table} c JOIN notices n USING (notice_id) {FILTER} "
            f"ORDER BY n.published_on NULLS LAST, n.notice_id, {order_by}")


def rows(conn: Conn, site: str | None, since: date | None, table: str = "notices") -> Iterator[dict[str, Any]]:
    with conn.cursor(name="export") as cur:  # server-side cursor: constant memory for any archive size
        cur.execute(query(table), {"site": site, "since": since})
        yield from cur


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return "|".join(map(str, value))
    return value.isoformat() if hasattr(value, "isoformat") else value


def write_csv(records: Iterator[dict[str, Any]], out: IO[str], table: str = "notices") -> int:
    writer = csv.DictWriter(out, fieldnames=columns(table))
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow({k: _plain(v) for k, v in record.items()})
        count += 1
    return count


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str], table: str = "notices") -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def write_parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # optional: pip install 'rectify[export]'
        raise SystemExit("Parquet needs pyarrow: .venv/bin/pip install pyarrow") from exc
    table = pa.Table.from_pylist([{k: _plain(v) if k != "special_topics" else v for k, v in r.items()}
                                  for r in records])
    pq.write_table(table, path)
    return table.num_rows
