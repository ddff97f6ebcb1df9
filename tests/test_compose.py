"""docker-compose.yml defines the production stack: services, health checks, one worker per queue."""

from __future__ import annotations

import shutil
import subprocess

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
