"""`rectify report`: one self-contained HTML file with charts of the collection and of site health.

The numbers come from the SQL files in `sql/` (one per chart or table, each a plain read-only query over
the curated `public` schema), run as the analyst login in one read-only transaction, so every chart shows
the same moment. The charts are drawn in the browser by Apache ECharts (`vendor/echarts.min.js`, Apache
License 2.0, inlined into the file with its licence header): the file needs no network to be opened.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg

HERE = Path(__file__).resolve().parent
SQL_DIR = HERE / "sql"
VENDOR_DIR = HERE / "vendor"
TEMPLATE = HERE / "template.html"
ECHARTS_VERSION = "6.1.0"

# the queries, in the order the report shows them
COLLECTION = ("notices_per_province_month", "fields_filled_per_site", "problems_stated_vs_rectified", "top_topics")
HEALTH = ("site_health", "failures_by_class")
QUERIES = COLLECTION + HEALTH

# the charts the page draws (the id of each chart's element); the test checks every one rendered
CHARTS = ("notices_per_province_month", "fields_filled_per_site", "problems_stated_vs_rectified", "top_topics",
          "notices_per_site", "failures_by_class", "health_flags")

# how a flag shows: red when the site delivers nothing now, amber when it delivers less than it should
FLAG_SEVERITY = {"failing": "bad", "blocked": "bad", "no_links": "bad", "quiet": "warn", "fill_rate_drop": "warn",
                 "pages_missed": "warn", "links_not_stored": "warn", "script_list": "warn", "probation": "info"}


def query_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def collect(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Every query's rows, and when and as whom they were read, in one read-only snapshot."""
    conn.read_only = True
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    with conn.transaction():
        meta = conn.execute("SELECT now() AS generated_at, current_user AS login, current_database() AS database, "
                            "(SELECT count(*) FROM notices) AS notices, "
                            "(SELECT count(DISTINCT site_id) FROM notices) AS sites_with_notices, "
                            "(SELECT count(*) FROM sites WHERE enabled) AS sites_enabled, "
                            "(SELECT min(published_on) FROM notices) AS first_published, "
                            "(SELECT max(published_on) FROM notices) AS last_published").fetchone()
        data = {name: conn.execute(query_text(name)).fetchall() for name in QUERIES}
    return {"meta": dict(meta), **data}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot put {type(value).__name__} into the report")


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (no `</script>`, no `<!--`, whatever the notices say)."""
    text = json.dumps(data, ensure_ascii=False, default=_json_default)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "never"


def _health_table(rows: list[dict[str, Any]]) -> str:
    """The site health table, drawn here (it reads without JavaScript)."""
    e = html.escape
    out = ["<table class=\"health\"><thead><tr><th>site</th><th>name</th><th>last run</th><th>state</th>"
           "<th class=\"num\">notices</th><th>last published</th><th class=\"num\">failures<br><small>last run / 30 d</small>"
           "</th><th>flags</th><th>evidence</th></tr></thead><tbody>"]
    for r in rows:
        state = "running" if r["running"] else (r["last_run_state"] or "")
        badges = " ".join(f"<span class=\"flag {FLAG_SEVERITY.get(f, 'warn')}\">{e(f)}</span>" for f in r["flags"] or ())
        row_class = "disabled" if not r["enabled"] else ""
        run = f" <small>#{r['last_run_id']}</small>" if r["last_run_id"] else ""
        badges = badges or '<span class="ok">ok</span>'
        out.append(
            f"<tr class=\"{row_class}\"><td><code>{e(r['site_id'])}</code></td><td>{e(r['name'] or '')}</td>"
            f"<td>{e(_when(r['last_run_at']))}{run}</td>"
            f"<td class=\"state {e(state)}\">{e(state)}</td><td class=\"num\">{r['notices_total']}</td>"
            f"<td>{e(str(r['last_published_on'] or ''))}</td>"
            f"<td class=\"num\">{r['failures_last_run']} / {r['failures_30d']}</td>"
            f"<td>{badges}</td><td class=\"evidence\">{e(r['evidence'] or '')}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render(data: dict[str, Any]) -> str:
    """The whole page: styles, the data as JSON, ECharts and the page's script, all inline."""
    meta = data["meta"]
    e = html.escape
    span = (f"published {meta['first_published']} … {meta['last_published']}" if meta["first_published"] else
            "no publication dates yet")
    summary = (f"{meta['notices']} notices from {meta['sites_with_notices']} of {meta['sites_enabled']} enabled sites, "
               f"{span}")
    flagged = [r for r in data["site_health"] if set(r["flags"] or ()) - {"probation"}]
    probation = sum(1 for r in data["site_health"] if r["probation"])
    health_line = (f"{len(flagged)} site(s) flagged ({', '.join(r['site_id'] for r in flagged) or 'none'}), "
                   f"{probation} on probation")
    page = TEMPLATE.read_text(encoding="utf-8")
    for marker, value in (
            ("@@GENERATED@@", e(f"{meta['generated_at']:%Y-%m-%d %H:%M %Z}")),
            ("@@SOURCE@@", e(f"database {meta['database']} as {meta['login']}")),
            ("@@SUMMARY@@", e(summary)),
            ("@@HEALTH_SUMMARY@@", e(health_line)),
            ("@@HEALTH_TABLE@@", _health_table(data["site_health"])),
            ("@@ECHARTS_VERSION@@", ECHARTS_VERSION),
            ("@@DATA@@", _script_json(data))):
        page = page.replace(marker, value)
    # last, and by position: the library's own text is never searched for markers
    head, tail = page.split("@@ECHARTS@@")
    library = (VENDOR_DIR / "echarts.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    return head + library + tail


def write_report(conn: psycopg.Connection[Any], out: Path) -> dict[str, Any]:
    """Query, render and write the report to `out` (written whole, then renamed into place)."""
    data = collect(conn)
    page = render(data)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return {"bytes": out.stat().st_size, "charts": len(CHARTS), **data["meta"]}


__all__ = ["CHARTS", "QUERIES", "collect", "query_text", "render", "write_report"]
