"""The project's own numbers for Prometheus, where no standard exporter has them: pages fetched and
failures by site and error class, work items by queue, state and age, notices stored per site, and the
site health flags. `rectify metrics` serves them over HTTP (compose's `metrics` service, profile
`monitoring`); task rates and latencies come from Flower's /metrics, PostgreSQL's and Redis's own
numbers from postgres_exporter and redis_exporter (ops/README.md).

Every scrape reads PostgreSQL afresh as the read-only analyst login (`rectify_reader`): the views
`work_summary`, `site_health` and `crawl_runs`, and the tables `failures`, `notices` and `sites`. Nothing is
kept between scrapes, so several copies may run and a restart loses nothing. A scrape that cannot reach
the database answers `rectify_database_up 0` (the alert RectifyDatabaseDown) instead of failing.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import psycopg
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry
from psycopg.rows import dict_row

QUEUES = ("crawl", "parse", "store")
KINDS = ("list", "article", "parse", "store")
OPEN_STATES, FINISHED_STATES = ("queued", "running"), ("done", "failed", "dead")
# Outcomes of list and article items that mean a page was fetched (as crawl_run_progress counts them).
FETCHED = frozenset({"fetched", "listed", "not_modified", "unchanged", "withdrawn", "gone", "restored"})
# Every flag site_health can raise (schema.sql); each is exported for every site, 0 or 1.
FLAGS = ("failing", "blocked", "no_links", "fill_rate_drop", "quiet", "pages_missed", "links_not_stored",
         "script_list", "probation")
DEFAULT_PORT = 9810

WORK = """
SELECT site_id, kind, queue, state, outcome, items, due, lease_expired,
       extract(epoch FROM now() - oldest_due_at)::float AS oldest_due_seconds,
       extract(epoch FROM now() - last_finished_at)::float AS since_finished_seconds
FROM work_summary
"""
FAILURES = """
SELECT site_id, stage, error_class, final, count(*) AS n FROM failures GROUP BY 1, 2, 3, 4
"""
RUNS = """
SELECT site_id, state, count(*) AS n FROM crawl_runs WHERE trigger <> 'reparse' GROUP BY 1, 2
"""
SITES = """
SELECT h.site_id, h.enabled, h.flags, h.notices_total, h.last_run_state, h.links_last_run, h.blocked_last_run,
       extract(epoch FROM h.last_run_at)::float AS last_run_at, h.days_since_last_published,
       h.median_gap_days, h.fill_rate_recent::float AS fill_rate_recent,
       coalesce((s.definition ->> 'rate_limit')::float, 1.0) AS rate_limit,
       (SELECT count(*) FROM notices n WHERE n.site_id = h.site_id AND n.withdrawn_at IS NOT NULL) AS withdrawn
FROM site_health h JOIN sites s USING (site_id)
"""


def _gauge(name: str, doc: str, labels: list[str]) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, labels=labels)


def _per_queue(name: str, doc: str, values: Mapping[str, float]) -> GaugeMetricFamily:
    """A gauge with one sample per queue."""
    m = _gauge(name, doc, ["queue"])
    for queue in QUEUES:
        m.add_metric([queue], values[queue])
    return m


def _counter(name: str, doc: str, labels: list[str]) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, labels=labels)


class RectifyCollector(Collector):
    """Reads the numbers from PostgreSQL at every collect() (i.e. every scrape)."""

    def __init__(self, database_url: str, *, connect_timeout: float = 5) -> None:
        self.database_url, self.connect_timeout = database_url, connect_timeout

    def describe(self) -> list[Metric]:
        return []  # metrics are only known by reading the database: never read it at registration

    def collect(self) -> Iterator[Metric]:
        started = time.monotonic()
        up = _gauge("rectify_database_up", "1 if the last scrape could read PostgreSQL (as the analyst login), else 0", [])
        try:
            rows = self._read()
        except psycopg.Error as exc:
            up.add_metric([], 0)
            error = _gauge("rectify_metrics_error_info", "Why the last scrape could not read PostgreSQL", ["error"])
            error.add_metric([type(exc).__name__], 1)
            yield up
            yield error
        else:
            up.add_metric([], 1)
            yield up
            yield from work_metrics(rows["work"])
            yield from failure_metrics(rows["failures"])
            yield from run_metrics(rows["runs"], [r["site_id"] for r in rows["sites"]])
            yield from site_metrics(rows["sites"])
        duration = _gauge("rectify_metrics_scrape_duration_seconds", "Seconds the last scrape took to read PostgreSQL", [])
        duration.add_metric([], time.monotonic() - started)
        yield duration

    def _read(self) -> dict[str, list[dict[str, Any]]]:
        with psycopg.connect(self.database_url, connect_timeout=int(self.connect_timeout), row_factory=dict_row,
                             application_name="rectify-metrics") as conn:
            conn.read_only = True
            return {"work": conn.execute(WORK).fetchall(), "failures": conn.execute(FAILURES).fetchall(),
                    "runs": conn.execute(RUNS).fetchall(), "sites": conn.execute(SITES).fetchall()}


def work_metrics(rows: list[dict[str, Any]]) -> Iterator[Metric]:
    pages: dict[str, float] = defaultdict(float)
    stored: dict[tuple[str, str], float] = defaultdict(float)
    finished: dict[tuple[str, str, str], float] = {(q, k, s): 0.0 for k in KINDS for q in [_queue(k)] for s in FINISHED_STATES}
    open_: dict[tuple[str, str, str], float] = {(q, k, s): 0.0 for k in KINDS for q in [_queue(k)] for s in OPEN_STATES}
    due = dict.fromkeys(QUEUES, 0.0)
    oldest_due = dict.fromkeys(QUEUES, 0.0)
    expired = dict.fromkeys(QUEUES, 0.0)
    since_finished: dict[str, float | None] = dict.fromkeys(QUEUES)
    has_items = dict.fromkeys(QUEUES, False)
    for r in rows:
        queue, kind, state, items = r["queue"], r["kind"], r["state"], float(r["items"])
        has_items[queue] = True
        if kind in ("list", "article") and state == "done" and r["outcome"] in FETCHED:
            pages[r["site_id"]] += items
        if kind == "store" and state == "done" and r["outcome"] in ("new", "changed", "unchanged"):
            stored[(r["site_id"], r["outcome"])] += items
        (finished if state in FINISHED_STATES else open_)[(queue, kind, state)] += items
        due[queue] += r["due"]
        expired[queue] += r["lease_expired"]
        if r["oldest_due_seconds"] is not None:
            oldest_due[queue] = max(oldest_due[queue], r["oldest_due_seconds"])
        if r["since_finished_seconds"] is not None:
            seen = since_finished[queue]
            since_finished[queue] = r["since_finished_seconds"] if seen is None else min(seen, r["since_finished_seconds"])

    m = _counter("rectify_pages_fetched", "List and notice pages fetched over HTTP (304 answers included), per site", ["site"])
    for site, n in sorted(pages.items()):
        m.add_metric([site], n)
    yield m
    m = _counter("rectify_notices_stored", "Notice pages stored by the store step: new notices, new versions "
                 "(changed) and pages found unchanged, per site", ["site", "outcome"])
    for (site, outcome), n in sorted(stored.items()):
        m.add_metric([site, outcome], n)
    yield m
    m = _counter("rectify_work_items_finished", "Units of work that ended: done, failed (gave up) or dead "
                 "(its worker kept dying), per queue and kind", ["queue", "kind", "state"])
    for labels, n in sorted(finished.items()):
        m.add_metric(list(labels), n)
    yield m
    m = _gauge("rectify_work_items_open", "Units of work queued or running now, per queue and kind", ["queue", "kind", "state"])
    for labels, n in sorted(open_.items()):
        m.add_metric(list(labels), n)
    yield m
    yield _per_queue("rectify_queue_due_items", "Queued units whose time to run has come (not waiting for a "
                     "back-off or a host's turn), per queue", due)
    yield _per_queue("rectify_queue_oldest_due_seconds", "How long the longest-waiting due unit of the queue has "
                     "waited (0 when none is due)", oldest_due)
    m = _gauge("rectify_queue_seconds_since_progress", "Seconds since a unit of the queue last finished "
               "(+Inf when it holds units and none ever finished; absent for a queue that never had work)", ["queue"])
    for queue in QUEUES:
        seconds = since_finished[queue]
        if seconds is not None or has_items[queue]:
            m.add_metric([queue], math.inf if seconds is None else seconds)
    yield m
    yield _per_queue("rectify_work_items_lease_expired", "Running units whose lease ran out (their worker died or "
                     "lost its connection): the sweep takes them back", expired)


def failure_metrics(rows: list[dict[str, Any]]) -> Iterator[Metric]:
    m = _counter("rectify_failures", "Failures of units of work, per site, stage and error class; final=\"false\" "
                 "ones were retried", ["site", "stage", "error_class", "final"])
    for r in sorted(rows, key=lambda r: (str(r["site_id"]), r["stage"], r["error_class"], r["final"])):
        m.add_metric([r["site_id"] or "", r["stage"], r["error_class"], "true" if r["final"] else "false"], r["n"])
    yield m


def run_metrics(rows: list[dict[str, Any]], sites: list[str]) -> Iterator[Metric]:
    finished = _counter("rectify_crawl_runs_finished", "Crawl runs that ended, per site and state (done, failed)",
                        ["site", "state"])
    running = _gauge("rectify_crawl_runs_running", "Crawl runs of the site running now", ["site"])
    now = dict.fromkeys(sites, 0)
    for r in sorted(rows, key=lambda r: (r["site_id"], r["state"])):
        if r["state"] == "running":
            now[r["site_id"]] = r["n"]
        else:
            finished.add_metric([r["site_id"], r["state"]], r["n"])
    for site, n in sorted(now.items()):
        running.add_metric([site], n)
    yield finished
    yield running


SITE_GAUGES = (  # metric name, site_health column (or computed key), help
    ("rectify_site_enabled", "enabled", "1 if the site is crawled on schedule"),
    ("rectify_site_notices", "notices_total", "Notices stored from the site"),
    ("rectify_site_notices_withdrawn", "withdrawn", "Notices of the site whose page is taken down now"),
    ("rectify_site_last_run_timestamp_seconds", "last_run_at", "When the site's last finished crawl run started (Unix time)"),
    ("rectify_site_last_run_failed", "last_run_failed", "1 if the site's last finished run failed"),
    ("rectify_site_links_last_run", "links_last_run", "Notice links the site's list pages showed in its last run"),
    ("rectify_site_blocked_pages_last_run", "blocked_last_run", "WAF/anti-bot pages met in the site's last run"),
    ("rectify_site_days_since_last_published", "days_since_last_published", "Days since the site's newest notice was published"),
    ("rectify_site_median_gap_days", "median_gap_days", "The site's usual cadence: median days between publication dates "
     "(0 when unknown)"),
    ("rectify_site_fill_rate_recent", "fill_rate_recent", "Share of eight key fields filled over the site's ten newest notices"),
    ("rectify_site_rate_limit_requests_per_second", "rate_limit", "The site's politeness bound: requests per second per host"),
)


def site_metrics(rows: list[dict[str, Any]]) -> Iterator[Metric]:
    gauges = {name: _gauge(name, doc, ["site"]) for name, _key, doc in SITE_GAUGES}
    flags = _gauge("rectify_site_flag", "1 if site_health raises the flag for the site (failing, blocked, no_links, "
                   "fill_rate_drop, quiet, pages_missed, links_not_stored, script_list, probation), else 0", ["site", "flag"])
    for r in sorted(rows, key=lambda r: r["site_id"]):
        values = {**r, "enabled": float(r["enabled"]), "last_run_failed": float(r["last_run_state"] == "failed"),
                  "median_gap_days": (r["median_gap_days"] or 0.0) if r["days_since_last_published"] is not None else None}
        for name, key, _doc in SITE_GAUGES:
            if values[key] is not None:
                gauges[name].add_metric([r["site_id"]], float(values[key]))
        for flag in FLAGS:
            flags.add_metric([r["site_id"], flag], float(flag in (r["flags"] or [])))
    yield from gauges.values()
    yield flags


def _queue(kind: str) -> str:
    return "crawl" if kind in ("list", "article") else kind


def registry(database_url: str) -> CollectorRegistry:
    reg = CollectorRegistry(auto_describe=False)
    reg.register(RectifyCollector(database_url))
    return reg


def exposition(database_url: str) -> str:
    """One scrape, in Prometheus's text format."""
    from prometheus_client import generate_latest

    return generate_latest(registry(database_url)).decode()


def serve(database_url: str, host: str, port: int) -> None:
    """Serve /metrics until SIGTERM or SIGINT."""
    from prometheus_client import start_http_server

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server, thread = start_http_server(port, addr=host, registry=registry(database_url))
    print(f"rectify metrics: serving http://{host}:{server.server_port}/metrics", flush=True)
    stop.wait()
    server.shutdown()
    thread.join(5)
