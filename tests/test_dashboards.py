"""The provisioned Grafana dashboards (ops/grafana): the JSON is what ops/grafana/make_dashboards.py writes;
every Collection panel's SQL file runs as rectify_reader against a crawled mirror and returns its columns and
rows; every Pipeline and Sites panel's PromQL answers from a real Prometheus (Debian's, unpacked into .venv by
ops/monitoring-tools.sh) scraping `rectify metrics` over that mirror, Flower's own metrics and samples of the
two exporters, with the alert rules loaded."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import yaml
from psycopg.rows import dict_row

from tests.conftest import FIXTURES, PROJECT_ROOT, rectify, wait_until

GRAFANA = PROJECT_ROOT / "ops" / "grafana"
SQL = GRAFANA / "sql"
DASHBOARDS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((GRAFANA / "dashboards").glob("*.json"))}
CRAWLED = ("liaoning", "shandong", "jiangsu", "faults", "blocked")

# The columns of each Collection query: what the panels (and anything else reading these files) rely on.
COLUMNS = {
    "collection_totals": ["notices", "sites", "provinces", "withdrawn", "latest_published"],
    "notices_per_province_month": ["time", "metric", "notices"],
    "fields_filled_per_site": ["site", "notices", "issuer", "inspection_kind", "inspecting_body", "round", "team",
                               "inspection_start", "feedback_on", "problems_total", "problems_done", "passes_checks"],
    "problems_stated_vs_rectified": ["province", "notices", "problems_stated", "problems_rectified", "percent_rectified"],
    "top_topics": ["topic", "notices", "mentions"],
}


def _tool(name: str) -> str | None:
    local = Path(sys.executable).with_name(name)
    return str(local) if os.access(local, os.X_OK) else shutil.which(name)


def targets(kind: str) -> list[tuple[str, dict, dict]]:
    """(dashboard, panel, target) for every query of the given data source type."""
    return [(name, panel, target) for name, board in DASHBOARDS.items() for panel in board["panels"]
            for target in panel.get("targets", []) if target["datasource"]["type"] == kind]


def test_the_dashboards_are_what_make_dashboards_writes():
    spec = importlib.util.spec_from_file_location("make_dashboards", GRAFANA / "make_dashboards.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.render()
    assert set(written) == {f"{name}.json" for name in DASHBOARDS} == {"pipeline.json", "sites.json", "collection.json"}
    for name, text in written.items():
        assert (GRAFANA / "dashboards" / name).read_text(encoding="utf-8") == text, \
            f"{name} is stale: run python ops/grafana/make_dashboards.py"


def test_every_panel_has_a_query_on_a_provisioned_data_source():
    provisioned = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "rectify.yml").read_text())
    sources = {(d["type"], d["uid"]) for d in provisioned["datasources"]}
    uids = set()
    for board in DASHBOARDS.values():
        assert board["uid"] not in uids
        uids.add(board["uid"])
        for panel in board["panels"]:
            assert panel["targets"], panel["title"]
            for target in panel["targets"]:
                assert (target["datasource"]["type"], target["datasource"]["uid"]) in sources, panel["title"]
    assert all(t["datasource"]["uid"] == "rectify-postgres" for b in DASHBOARDS["collection"]["panels"] for t in b["targets"])
    reader = next(d for d in provisioned["datasources"] if d["uid"] == "rectify-postgres")
    assert reader["user"] == "rectify_reader" and reader["secureJsonData"]["password"] == "${RECTIFY_ANALYST_PASSWORD}"


def test_each_collection_panel_runs_its_sql_file_and_every_file_is_a_panel():
    used = {}
    for _name, panel, target in targets("postgres"):
        used[target["sqlFile"]] = panel["title"]
        assert target["rawSql"] == (SQL / target["sqlFile"]).read_text(encoding="utf-8"), panel["title"]
    assert set(used) == {p.name for p in SQL.glob("*.sql")} == {f"{n}.sql" for n in COLUMNS}


def test_every_collection_query_answers_as_the_analyst_on_the_crawled_mirror(worker, env, db, databases):
    result = rectify(env, "crawl", "liaoning", "shandong", "jiangsu")
    assert result.returncode == 0, result.stderr
    answers = {}
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as conn:
        assert conn.execute("SELECT current_user AS u").fetchone()["u"] == "rectify_reader"
        for name, columns in COLUMNS.items():
            cur = conn.execute((SQL / f"{name}.sql").read_text(encoding="utf-8"))
            assert [c.name for c in cur.description] == columns, name
            answers[name] = cur.fetchall()
            assert answers[name], f"{name} returned no rows"

    total = db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"]
    assert answers["collection_totals"][0]["notices"] == total and answers["collection_totals"][0]["sites"] == 3
    dated = db.execute("SELECT count(*) AS n FROM notices WHERE published_on IS NOT NULL").fetchone()["n"]
    assert sum(r["notices"] for r in answers["notices_per_province_month"]) == dated
    assert {r["metric"] for r in answers["notices_per_province_month"]} <= {"辽宁", "山东", "江苏"}
    assert all(r["time"].day == 1 for r in answers["notices_per_province_month"])
    filled = {r["site"]: r for r in answers["fields_filled_per_site"]}
    assert set(filled) == {"liaoning", "shandong", "jiangsu"} and filled["shandong"]["team"] == 1
    assert all(0 <= r[c] <= 1 for r in filled.values() for c in COLUMNS["fields_filled_per_site"][2:])
    shandong = next(r for r in answers["problems_stated_vs_rectified"] if r["province"] == "山东")
    assert (shandong["problems_stated"], shandong["problems_rectified"]) == (52, 37)  # the Laishan notice
    assert answers["top_topics"][0]["notices"] >= answers["top_topics"][-1]["notices"] > 0


# ---------------------------------------------------------------- PromQL, against a real Prometheus

PROMETHEUS = _tool("prometheus")


class Exporters(ThreadingHTTPServer):
    """Stands in for Flower (its own PrometheusMetrics, fed task and worker events at each scrape) and for
    postgres_exporter and redis_exporter (samples of their answers)."""

    def __init__(self) -> None:
        from flower import options  # noqa: F401 - defines the options PrometheusMetrics reads
        from flower.events import get_prometheus_metrics

        self.flower = get_prometheus_metrics()
        for queue in ("crawl", "parse", "store"):
            self.flower.observe_worker(f"{queue}@test", {"type": "worker-online"})
            self.flower.observe_worker(f"{queue}@test", {"type": "worker-heartbeat", "active": 1})
        super().__init__(("127.0.0.1", 0), self.Handler)

    def flower_events(self) -> None:
        from celery.events.state import Task

        for worker, task, failed in (("crawl@test", "workers.tasks.crawl_host", False),
                                     ("parse@test", "workers.tasks.parse_page", False),
                                     ("store@test", "workers.tasks.store_notice", True)):
            state = Task(uuid=str(uuid.uuid4()), name=task)
            self.flower.observe_task(worker, {"type": "task-received", "name": task}, state)
            self.flower.observe_task(worker, {"type": "task-failed" if failed else "task-succeeded", "name": task,
                                              "runtime": 0.05}, state)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server interface
            from prometheus_client import REGISTRY, generate_latest

            if self.path == "/flower/metrics":
                self.server.flower_events()
                body = generate_latest(REGISTRY)
            elif self.path in ("/postgres/metrics", "/redis/metrics"):
                name = self.path.split("/")[1]
                body = (FIXTURES / "monitoring" / f"{name}_exporter.prom").read_bytes()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _instant(base: str, expr: str) -> dict:
    return _get(f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))


GRAFANA_VARIABLES = {"$__rate_interval": "15s", "$__interval": "1s", "$__range": "1m", "$site": ".*"}


@pytest.mark.skipif(PROMETHEUS is None, reason="prometheus is not installed: run ops/monitoring-tools.sh (Debian's "
                    "prometheus package, no root needed) or put prometheus on PATH")
def test_every_dashboard_query_and_rule_answers_from_a_real_prometheus(worker, env, db, databases, tmp_path):
    result = rectify(env, "crawl", *CRAWLED)
    assert result.returncode in (0, 1), result.stderr
    metrics_port, prometheus_port = _free_port(), _free_port()
    metrics = subprocess.Popen([str(Path(sys.executable).with_name("rectify")), "metrics", "--listen",
                                f"127.0.0.1:{metrics_port}"], env={**env, "RECTIFY_METRICS_DATABASE_URL": databases["analyst"]},
                               cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    exporters = Exporters()
    threading.Thread(target=exporters.serve_forever, daemon=True).start()
    stub = f"127.0.0.1:{exporters.server_address[1]}"
    # The production config, with the compose service names replaced by where this test serves them.
    config = yaml.safe_load((PROJECT_ROOT / "ops" / "prometheus" / "prometheus.yml").read_text())
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(p) for p in sorted((PROJECT_ROOT / "ops" / "prometheus" / "rules").glob("*.yml"))]
    where = {"rectify": (f"127.0.0.1:{metrics_port}", "/metrics"), "flower": (stub, "/flower/metrics"),
             "postgres": (stub, "/postgres/metrics"), "redis": (stub, "/redis/metrics"),
             "prometheus": (f"127.0.0.1:{prometheus_port}", "/metrics")}
    for job in config["scrape_configs"]:
        job.update(scrape_interval="1s", scrape_timeout="1s", metrics_path=where[job["job_name"]][1],
                   static_configs=[{"targets": [where[job["job_name"]][0]]}])
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    log = open(tmp_path / "prometheus.log", "wb")  # noqa: SIM115 - closed below
    prometheus = subprocess.Popen([PROMETHEUS, f"--config.file={tmp_path / 'prometheus.yml'}",
                                   f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                                   f"--web.listen-address=127.0.0.1:{prometheus_port}"],
                                  stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{prometheus_port}"
    try:
        def all_up() -> bool:
            try:
                active = _get(f"{base}/api/v1/targets")["data"]["activeTargets"]
            except OSError:
                return False
            return len(active) == len(where) and all(t["health"] == "up" for t in active)
        wait_until(all_up, 60, lambda: (tmp_path / "prometheus.log").read_text(errors="replace")[-3000:])
        time.sleep(20)  # rate() and increase() need a few samples of every series

        empty = []
        for name, panel, target in targets("prometheus"):
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            answer = _instant(base, expr)
            assert answer["status"] == "success", (name, panel["title"], expr, answer)
            if not answer["data"]["result"]:
                empty.append((name, panel["title"], expr))
        assert not empty, f"queries that found nothing: {empty}"

        groups = _get(f"{base}/api/v1/rules")["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        assert len(rules) == sum(len(g["rules"]) for p in config["rule_files"]
                                 for g in yaml.safe_load(Path(p).read_text())["groups"])
        assert all(r["health"] == "ok" for r in rules), [(r["name"], r.get("lastError")) for r in rules]
        # from the crawl to the rule: the mirror's WAF site is seen blocked (pending: the rule waits 5 minutes)
        blocked = _instant(base, 'ALERTS{alertname="RectifySiteBlocked"}')["data"]["result"]
        assert [a["metric"]["site"] for a in blocked] == ["blocked"]
        failing = _instant(base, 'ALERTS{alertname="RectifyTaskFailureRateHigh"}')["data"]["result"]
        assert [a["metric"]["task"] for a in failing] == ["workers.tasks.store_notice"]  # the stub's failing task
        assert not _instant(base, 'ALERTS{alertname=~"RectifyNoWorker|RectifyQueueStuck|RectifyTargetDown"}')["data"]["result"]
    finally:
        prometheus.terminate()
        metrics.terminate()
        exporters.shutdown()
        prometheus.wait(20)
        metrics.wait(20)
        log.close()
