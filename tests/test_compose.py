"""docker-compose.yml defines the production stack: services, health checks, one worker per queue."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from crawler.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def _services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_every_role_is_defined_with_a_health_check():
    services = _services()
    for name in ("postgres", "redis", "worker-crawl", "worker-parse", "worker-store", "beat", "flower"):
        assert name in services, name
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_one_worker_per_stage_queue():
    queues = {}
    for name, service in _services().items():
        command = service.get("command") or []
        if "worker" in command:
            queues[name] = command[command.index("-Q") + 1].split(",")
    assert queues["worker-crawl"][0] == "crawl"
    assert queues["worker-parse"] == ["parse"]
    assert queues["worker-store"] == ["store"]


def test_redis_is_durable_and_never_evicts():
    command = " ".join(_services()["redis"]["command"])
    assert "--appendonly yes" in command and "noeviction" in command


def test_workers_wait_for_healthy_services_and_the_schema():
    deps = _services()["worker-store"]["depends_on"]
    assert deps["postgres"]["condition"] == "service_healthy"
    assert deps["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.skipif(not shutil.which("docker") or subprocess.run(["docker", "compose", "version"],
                    capture_output=True).returncode != 0, reason="docker compose is not installed here")
def test_docker_compose_config_is_valid(tmp_path):
    env = tmp_path / ".env"
    env.write_text((PROJECT_ROOT / ".env.example").read_text())
    result = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "--env-file", str(env), "config", "-q"],
                            capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr


def test_workers_connect_as_the_writer_login_and_only_migrate_as_admin():
    services = _services()
    for name in ("worker-crawl", "worker-parse", "worker-store", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://rectify_worker:"), name
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgresql://rectify:")
    assert services["migrate"]["command"] == ["rectify", "db", "init"]


# ---------------------------------------------------------------- monitoring, TLS, worker hosts (issue 17)
# docker is not installed on CI's machine: `docker compose --profile monitoring config` is stood in for by
# interpolating the files as compose does (${VAR}, ${VAR:-default}, ${VAR:?error}, $$) with .env.example's
# values and checking what `config` checks that matters here: services, images, dependencies, volumes, files.


WORKERS = PROJECT_ROOT / "docker-compose.workers.yml"
CENTRAL = PROJECT_ROOT / "ops" / "compose.central.yml"
MONITORING = {"metrics", "postgres-exporter", "redis-exporter", "prometheus", "grafana"}
VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def dotenv() -> dict[str, str]:
    """The variables .env.example sets, and those it documents (commented out) with a value."""
    values = {}
    for line in (PROJECT_ROOT / ".env.example").read_text().splitlines():
        for name, value in re.findall(r"(?:^|#\s*|\s\s)([A-Z][A-Z0-9_]+)=(\S*)", line):
            values.setdefault(name, value)
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    def value(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group(1) or m.group(4), m.group(2), m.group(3)
        present = name in env and (env[name] != "" or not (op or "").startswith(":"))
        if present:
            return env[name]
        if op and op.endswith("?"):
            raise KeyError(f"${{{name}}} is required: {arg}")
        return arg if op else ""
    return VARIABLE.sub(value, text)


def compose(*files: Path, env: dict[str, str] | None = None, profiles: tuple[str, ...] = ()) -> dict:
    """The merged, interpolated model of the files (services with a profile not asked for left out)."""
    model: dict = {"services": {}, "volumes": {}}
    for path in files:
        data = yaml.safe_load(interpolate(path.read_text(), env if env is not None else dotenv()))
        for name, service in data.get("services", {}).items():
            model["services"].setdefault(name, {}).update(service)
        model["volumes"].update(data.get("volumes") or {})
    model["services"] = {n: s for n, s in model["services"].items()
                         if not s.get("profiles") or set(s["profiles"]) & set(profiles)}
    return model


def binds(service: dict, base: Path = PROJECT_ROOT) -> list[tuple[Path, str]]:
    out = []
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith((".", "/")):
            out.append(((base / source).resolve(), target))
    return out


def test_compose_with_the_monitoring_profile_is_a_valid_stack():
    plain = compose(COMPOSE)
    assert not MONITORING & set(plain["services"])  # the profile adds them; a plain `up` is unchanged
    model = compose(COMPOSE, profiles=("monitoring",))
    services = model["services"]
    assert set(services) >= MONITORING
    for name in MONITORING:
        assert services[name]["profiles"] == ["monitoring"], name
    for name, service in services.items():
        assert service.get("image") or service.get("build"), name
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (PROJECT_ROOT / source).exists(), (name, source)
            else:
                assert source in model["volumes"], (name, source)
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), (name, port)  # nothing published beyond this machine by default


def test_every_provisioned_file_is_used_by_a_service():
    services = compose(COMPOSE, profiles=("monitoring",))["services"]
    mounted = [(name, source, target) for name, s in services.items() for source, target in binds(s)]
    provisioned = [PROJECT_ROOT / "ops" / "prometheus" / "prometheus.yml",
                   *sorted((PROJECT_ROOT / "ops" / "prometheus" / "rules").iterdir()),
                   *sorted(p for p in (PROJECT_ROOT / "ops" / "grafana" / "provisioning").rglob("*") if p.is_file()),
                   *sorted((PROJECT_ROOT / "ops" / "grafana" / "dashboards").iterdir()),
                   PROJECT_ROOT / "ops" / "postgres" / "pg_hba.conf"]
    for path in provisioned:
        assert any(path == source or source in path.parents for _n, source, _t in mounted), f"{path} is mounted by no service"

    def target_of(service: str, path: str) -> str:
        return next(t for n, s, t in mounted if n == service and s == (PROJECT_ROOT / path).resolve())
    prometheus = services["prometheus"]
    config = target_of("prometheus", "ops/prometheus/prometheus.yml")
    assert f"--config.file={config}" in prometheus["command"]
    rules = yaml.safe_load((PROJECT_ROOT / "ops" / "prometheus" / "prometheus.yml").read_text())["rule_files"]
    assert rules == [target_of("prometheus", "ops/prometheus/rules") + "/*.yml"]
    grafana_provisioning = target_of("grafana", "ops/grafana/provisioning")
    assert grafana_provisioning == "/etc/grafana/provisioning"  # where Grafana looks
    provider = yaml.safe_load((PROJECT_ROOT / "ops/grafana/provisioning/dashboards/rectify.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == target_of("grafana", "ops/grafana/dashboards")
    hba = target_of("postgres", "ops/postgres/pg_hba.conf")
    assert f"hba_file={hba}" in services["postgres"]["command"]


def test_prometheus_scrapes_the_compose_services_where_they_listen():
    services = compose(COMPOSE, profiles=("monitoring",))["services"]
    config = yaml.safe_load((PROJECT_ROOT / "ops" / "prometheus" / "prometheus.yml").read_text())
    listens = {"metrics": services["metrics"]["command"][services["metrics"]["command"].index("--listen") + 1].split(":")[1],
               "flower": next(a.split("=")[1] for a in services["flower"]["command"] if a.startswith("--port=")),
               "postgres-exporter": "9187", "redis-exporter": "9121"}  # the exporters' default ports
    for job in config["scrape_configs"]:
        for target in job["static_configs"][0]["targets"]:
            host, port = target.split(":")
            if host != "localhost":
                assert host in services and listens[host] == port, target
    assert "--purge_offline_workers=60" in services["flower"]["command"]  # a killed worker leaves the metrics
    metrics_env = services["metrics"]["environment"]
    assert metrics_env["RECTIFY_METRICS_DATABASE_URL"].startswith("postgresql://rectify_reader:")  # read-only
    exporter = services["postgres-exporter"]["environment"]
    assert exporter["DATA_SOURCE_USER"] == "rectify_reader" and "sslmode=require" in exporter["DATA_SOURCE_URI"]
    assert set(services["redis-exporter"]["environment"]["REDIS_EXPORTER_CHECK_SINGLE_KEYS"].split(",")) == {
        "db0=crawl", "db0=parse", "db0=store", "db0=control"}


def test_redis_wants_a_password_and_postgresql_tls_from_every_client():
    env = {**dotenv(), "REDIS_PASSWORD": "s3cret"}
    services = compose(COMPOSE, env=env, profiles=("monitoring",))["services"]
    command = services["redis"]["command"]
    assert command[command.index("--requirepass") + 1] == "s3cret"
    assert services["redis"]["environment"]["REDISCLI_AUTH"] == "s3cret"  # the health check's redis-cli
    for name, service in services.items():
        url = (service.get("environment") or {}).get("REDIS_URL")
        if url:
            assert url.startswith("redis://:s3cret@redis:6379/"), name
    assert services["redis-exporter"]["environment"]["REDIS_PASSWORD"] == "s3cret"
    assert "ssl=on" in services["postgres"]["command"]
    hba = [line.split() for line in (PROJECT_ROOT / "ops/postgres/pg_hba.conf").read_text().splitlines()
           if line.strip() and not line.startswith("#")]
    assert [r[0] for r in hba] == ["local", "hostssl", "hostnossl"] and hba[-1][-1] == "reject"  # TCP only with TLS


def test_workers_are_named_after_their_queue_and_send_events():
    """The alert RectifyNoWorker and the Workers panel group Flower's workers by the name's part before @."""
    for path in (COMPOSE, WORKERS):
        env = {**dotenv(), "RECTIFY_CENTRAL_HOST": "db.internal"}
        for name, service in compose(path, env=env)["services"].items():
            command = service.get("command") or []
            if "worker" in command:
                queues = command[command.index("-Q") + 1].split(",")
                assert command[command.index("-n") + 1] == f"{queues[0]}@%h", (path.name, name)
                assert "-E" in command and name == f"worker-{queues[0]}", (path.name, name)


def test_the_worker_host_file_runs_workers_only_against_the_central_services():
    env = {**dotenv(), "RECTIFY_CENTRAL_HOST": "db.internal", "RECTIFY_WRITER_PASSWORD": "w", "REDIS_PASSWORD": "r"}
    services = compose(WORKERS, env=env)["services"]
    assert set(services) == {"worker-crawl", "worker-parse", "worker-store"}
    for name, service in services.items():
        environment = service["environment"]
        assert environment["DATABASE_URL"] == ("postgresql://rectify_worker:w@db.internal:5432/rectify"
                                               "?sslmode=verify-full&sslrootcert=/etc/rectify/tls/ca.crt"), name
        assert environment["REDIS_URL"] == "redis://:r@db.internal:6379/0", name
        assert "depends_on" not in service and service["healthcheck"]["test"], name
        assert binds(service) == [((PROJECT_ROOT / "ops" / "tls").resolve(), "/etc/rectify/tls")]
    queues = {n: s["command"][s["command"].index("-Q") + 1] for n, s in services.items()}
    assert queues == {"worker-crawl": "crawl,control", "worker-parse": "parse", "worker-store": "store"}
    for required in ("RECTIFY_CENTRAL_HOST", "RECTIFY_WRITER_PASSWORD", "REDIS_PASSWORD"):
        with pytest.raises(KeyError, match=required):  # refused, as compose refuses, when not set
            compose(WORKERS, env={k: v for k, v in env.items() if k != required})
        assert required in dotenv()  # and .env.example says what to set
    central = compose(COMPOSE, CENTRAL, env={**env, "RECTIFY_PUBLISH_ADDRESS": "10.0.0.5"})["services"]
    assert central["postgres"]["ports"] == ["10.0.0.5:5432:5432"] and central["redis"]["ports"] == ["10.0.0.5:6379:6379"]
    with pytest.raises(KeyError, match="RECTIFY_PUBLISH_ADDRESS"):  # no default: never published by mistake
        compose(COMPOSE, CENTRAL, env={k: v for k, v in dotenv().items() if k != "RECTIFY_PUBLISH_ADDRESS"})
