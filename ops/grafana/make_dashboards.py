"""Write the provisioned Grafana dashboards (ops/grafana/dashboards/*.json) from the definitions below and the
Collection panels' SQL files (ops/grafana/sql/*.sql), so the SQL has one home that the tests run as
rectify_reader. Run after changing either: `python ops/grafana/make_dashboards.py`. tests/test_dashboards.py
checks the JSON is what this writes, runs every SQL file against a crawled mirror, and every PromQL query
against a real Prometheus scraping `rectify metrics`."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQL = HERE / "sql"
OUT = HERE / "dashboards"
PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}
POSTGRES = {"type": "postgres", "uid": "rectify-postgres"}


def prom(expr: str, legend: str = "", instant: bool = False) -> dict:
    target = {"datasource": PROMETHEUS, "expr": expr, "legendFormat": legend or "__auto", "refId": ""}
    if instant:
        target.update(instant=True, range=False, format="table")
    return target


def sql(name: str, fmt: str = "table") -> dict:
    return {"datasource": POSTGRES, "rawQuery": True, "editorMode": "code", "format": fmt,
            "rawSql": (SQL / f"{name}.sql").read_text(encoding="utf-8"), "refId": "", "sqlFile": f"{name}.sql"}


def panel(kind: str, title: str, description: str, targets: list[dict], *, unit: str = "", w: int = 12, h: int = 8,
          options: dict | None = None, overrides: list | None = None, transformations: list | None = None,
          custom: dict | None = None) -> dict:
    for i, target in enumerate(targets):
        target["refId"] = chr(ord("A") + i)
    defaults = {**({"unit": unit} if unit else {}), **({"custom": custom} if custom else {})}
    return {"type": kind, "title": title, "description": description, "datasource": targets[0]["datasource"],
            "targets": targets, "gridPos": {"w": w, "h": h},
            "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
            "options": options or {}, "transformations": transformations or []}


def dashboard(uid: str, title: str, description: str, panels: list[dict], *, variables: list | None = None,
              time_from: str = "now-24h", refresh: str = "1m") -> dict:
    x = y = row_h = 0
    for i, p in enumerate(panels, start=1):  # left to right, then down
        if x + p["gridPos"]["w"] > 24:
            x, y, row_h = 0, y + row_h, 0
        p["gridPos"].update(x=x, y=y)
        p["id"] = i
        x += p["gridPos"]["w"]
        row_h = max(row_h, p["gridPos"]["h"])
    return {"uid": uid, "title": title, "description": description, "tags": ["rectify"], "editable": True,
            "schemaVersion": 39, "version": 1, "time": {"from": time_from, "to": "now"}, "refresh": refresh,
            "timezone": "browser", "templating": {"list": variables or []}, "annotations": {"list": []},
            "panels": panels}


SITE_VARIABLE = {"name": "site", "label": "site", "type": "query", "datasource": PROMETHEUS,
                 "query": {"query": "label_values(rectify_site_enabled, site)", "refId": "site"},
                 "definition": "label_values(rectify_site_enabled, site)", "multi": True, "includeAll": True,
                 "allValue": ".*", "current": {"text": "All", "value": "$__all"}, "refresh": 2, "sort": 1}
S = 'site=~"$site"'


def pipeline() -> dict:
    return dashboard("rectify-pipeline", "rectify — Pipeline", "Work through crawl → parse → store: throughput, "
                     "queues, leases, retries, workers, services.", [
        panel("timeseries", "Throughput per stage", "Units of work finished per second, by queue (rectify metrics)",
              [prom('sum by (queue) (rate(rectify_work_items_finished_total{state="done"}[$__rate_interval]))', "{{queue}}")],
              unit="ops"),
        panel("timeseries", "Tasks per second", "Celery tasks succeeded per second, by task (Flower)",
              [prom('sum by (task) (rate(flower_events_total{type="task-succeeded"}[$__rate_interval]))', "{{task}}")],
              unit="ops"),
        panel("timeseries", "Task failures per queue", "Celery tasks that raised, per second, by the queue of the "
              "worker that ran them (Flower; alert RectifyTaskFailureRateHigh)",
              [prom('sum by (queue) (label_replace(rate(flower_events_total{type="task-failed"}[$__rate_interval]), '
                    '"queue", "$1", "worker", "([^@]+)@.*"))', "{{queue}}")], unit="ops"),
        panel("timeseries", "Task runtime, 95th percentile", "Seconds a task ran, by task (Flower)",
              [prom("histogram_quantile(0.95, sum by (task, le) (rate(flower_task_runtime_seconds_bucket[$__rate_interval])))",
                    "{{task}}")], unit="s"),
        panel("timeseries", "Queue depth", "Due units in PostgreSQL (the work queue) and messages in Redis, by queue",
              [prom("sum by (queue) (rectify_queue_due_items)", "due {{queue}}"),
               prom('sum by (key) (redis_key_size{key=~"crawl|parse|store|control"})', "redis {{key}}")]),
        panel("timeseries", "Oldest due item", "How long the longest-waiting due unit of each queue has waited "
              "(alert RectifyQueueStuck: over 15 min with no progress)",
              [prom("max by (queue) (rectify_queue_oldest_due_seconds)", "{{queue}}")], unit="s"),
        panel("timeseries", "Open work", "Units queued or running now, by queue and state",
              [prom("sum by (queue, state) (rectify_work_items_open)", "{{queue}} {{state}}")]),
        panel("timeseries", "Lease expiries", "Running units whose lease ran out (their worker died or lost its "
              "connection), and units given up because their worker kept dying",
              [prom("sum by (queue) (rectify_work_items_lease_expired)", "expired {{queue}}"),
               prom('sum by (stage) (rectify_failures_total{error_class="worker_lost"}) or sum by (stage) (rectify_failures_total) * 0',
                    "worker_lost {{stage}}")]),
        panel("timeseries", "Retries", "Failures that will be retried (final=false) and that were given up, per second",
              [prom('sum by (stage, final) (rate(rectify_failures_total[$__rate_interval]))', "{{stage}} final={{final}}")],
              unit="ops"),
        panel("timeseries", "Workers", "Live workers per queue (Flower; workers are named queue@host)",
              [prom('count by (queue) (label_replace(flower_worker_online == 1, "queue", "$1", "worker", "([^@]+)@.*"))',
                    "{{queue}}")]),
        panel("timeseries", "Tasks running", "Tasks executing now, per worker (Flower)",
              [prom("sum by (worker) (flower_worker_number_of_currently_executing_tasks)", "{{worker}}")]),
        panel("stat", "Services", "1 = up: PostgreSQL (postgres_exporter), Redis (redis_exporter), the metrics' "
              "database access, every scrape target",
              [prom("max(pg_up)", "PostgreSQL", instant=True), prom("max(redis_up)", "Redis", instant=True),
               prom("max(rectify_database_up)", "metrics → PostgreSQL", instant=True),
               prom("up", "{{job}}", instant=True)],
              w=24, h=5, options={"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background"}),
        panel("timeseries", "PostgreSQL connections", "Sessions on the rectify database (postgres_exporter)",
              [prom('sum by (datname) (pg_stat_database_numbackends{datname="rectify"})', "{{datname}}")]),
        panel("timeseries", "Redis memory", "Bytes Redis uses (redis_exporter)",
              [prom("max(redis_memory_used_bytes)", "used")], unit="bytes"),
        panel("table", "Alerts", "Alerts pending or firing (rules: ops/prometheus/rules)",
              [prom('ALERTS{alertstate=~"pending|firing"}', instant=True)], w=24),
    ], refresh="30s", time_from="now-6h")


def sites() -> dict:
    return dashboard("rectify-sites", "rectify — Sites", "Per site: last run, notices, failures by class, health "
                     "flags (blocked, quiet, probation …), politeness.", [
        panel("stat", "Flags raised", "Sites with each site_health flag",
              [prom(f"sum by (flag) (rectify_site_flag{{{S}}})", "{{flag}}", instant=True)], w=24, h=5,
              options={"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background"}),
        panel("table", "Sites", "Last run, notices, flags per site",
              [prom(f"rectify_site_last_run_timestamp_seconds{{{S}}} * 1000", instant=True),
               prom(f"rectify_site_notices{{{S}}}", instant=True),
               prom(f"rectify_site_notices_withdrawn{{{S}}}", instant=True),
               prom(f"rectify_site_last_run_failed{{{S}}}", instant=True),
               prom(f"rectify_site_days_since_last_published{{{S}}}", instant=True),
               prom(f"rectify_site_median_gap_days{{{S}}}", instant=True)],
              w=24, h=10, transformations=[{"id": "merge"}]),
        panel("table", "Flags", "The site_health flags each site has now (quiet, blocked, probation …)",
              [prom(f"rectify_site_flag{{{S}}} == 1", instant=True)]),
        panel("timeseries", "New notices", "Notices stored for the first time, per site, per hour",
              [prom(f'sum by (site) (increase(rectify_notices_stored_total{{outcome="new", {S}}}[1h]))', "{{site}}")]),
        panel("timeseries", "Failures by class", "Failures given up, per site and error class, per hour",
              [prom(f'sum by (site, error_class) (increase(rectify_failures_total{{final="true", {S}}}[1h]))',
                    "{{site}} {{error_class}}")]),
        panel("timeseries", "Pages fetched", "Pages fetched per second per site, against its politeness bound "
              "(requests per second per host)",
              [prom(f"sum by (site) (rate(rectify_pages_fetched_total{{{S}}}[$__rate_interval]))", "{{site}}"),
               prom(f"rectify_site_rate_limit_requests_per_second{{{S}}}", "bound {{site}}")], unit="reqps"),
        panel("timeseries", "Blocked pages", "WAF/anti-bot pages in each site's last run (alert RectifySiteBlocked)",
              [prom(f"rectify_site_blocked_pages_last_run{{{S}}}", "{{site}}")]),
        panel("timeseries", "Days since the last notice", "Against twice the site's usual interval (alert "
              "RectifySiteQuiet)",
              [prom(f"rectify_site_days_since_last_published{{{S}}}", "{{site}}"),
               prom(f"clamp_min(2 * rectify_site_median_gap_days{{{S}}}, 30)", "quiet after {{site}}")], unit="d"),
        panel("timeseries", "Crawl runs", "Runs running now, and runs that ended per hour by state",
              [prom(f"sum by (site) (rectify_crawl_runs_running{{{S}}})", "running {{site}}"),
               prom(f"sum by (site, state) (increase(rectify_crawl_runs_finished_total{{{S}}}[1h]))",
                    "{{state}} {{site}}")]),
        panel("timeseries", "Fields filled", "Share of eight key fields filled over each site's ten newest notices",
              [prom(f"rectify_site_fill_rate_recent{{{S}}}", "{{site}}")], unit="percentunit"),
    ], variables=[SITE_VARIABLE], time_from="now-7d", refresh="5m")


def collection() -> dict:
    return dashboard("rectify-collection", "rectify — Collection", "The notices collected, read from PostgreSQL as "
                     "the read-only analyst (rectify_reader). Each panel's SQL is a file in ops/grafana/sql/.", [
        panel("stat", "The collection", "Notices, sites, provinces, notices taken down",
              [sql("collection_totals")], w=24, h=4,
              options={"reduceOptions": {"calcs": ["lastNotNull"], "fields": "/^(notices|sites|provinces|withdrawn)$/"}}),
        panel("timeseries", "Notices per province per month", "Notices published per month, stacked by province",
              [sql("notices_per_province_month", fmt="time_series")], w=24, h=10,
              custom={"drawStyle": "bars", "fillOpacity": 80, "stacking": {"mode": "normal", "group": "A"}}),
        panel("table", "Fields filled per site", "Share of each site's notices in which each field was read",
              [sql("fields_filled_per_site")], w=24, h=10, unit="percentunit"),
        panel("barchart", "Problems stated vs rectified", "Problems fed back and problems the notices say are "
              "rectified, per province (notices that state both)",
              [sql("problems_stated_vs_rectified")], options={"xField": "province", "stacking": "none"},
              transformations=[{"id": "organize", "options": {"excludeByName": {"notices": True,
                                                                                "percent_rectified": True}}}]),
        panel("barchart", "Top topics", "Topics most notices report on (taxonomy: crawler/data/taxonomy.toml)",
              [sql("top_topics")], options={"xField": "topic", "orientation": "horizontal"}),
    ], time_from="now-10y", refresh="1h")


DASHBOARDS = {"pipeline": pipeline, "sites": sites, "collection": collection}


def render() -> dict[str, str]:
    return {f"{name}.json": json.dumps(make(), ensure_ascii=False, indent=2) + "\n" for name, make in DASHBOARDS.items()}


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")
