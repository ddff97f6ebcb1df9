"""ops/prometheus: the config and alert rules pass promtool's checks, and every rule has unit tests that show
it firing (a quiet site, a blocked site and a stuck queue among them).

promtool comes from Debian's `prometheus` package, unpacked into .venv/bin by ops/monitoring-tools.sh (run by
ops/bootstrap.sh for the test extras; no root needed); these tests skip, saying so, only where it is absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crawler.settings import PROJECT_ROOT

PROMETHEUS = PROJECT_ROOT / "ops" / "prometheus"
RULES = sorted((PROMETHEUS / "rules").glob("*.yml"))
RULE_TESTS = sorted((PROMETHEUS / "tests").glob("*.yml"))


def tool(name: str) -> str | None:
    """The tool in the venv's bin (where ops/monitoring-tools.sh puts it), else on PATH."""
    local = Path(sys.executable).with_name(name)
    return str(local) if os.access(local, os.X_OK) else shutil.which(name)


PROMTOOL = tool("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed: run ops/monitoring-tools.sh (Debian's prometheus package, "
                             "no root needed) or put promtool on PATH")


def alerts() -> dict[str, dict]:
    return {rule["alert"]: rule for path in RULES for group in yaml.safe_load(path.read_text())["groups"]
            for rule in group["rules"] if "alert" in rule}


def rule_tests() -> list[dict]:
    return [case for path in RULE_TESTS for test in yaml.safe_load(path.read_text())["tests"]
            for case in test.get("alert_rule_test", [])]


@needs_promtool
def test_promtool_checks_the_rules_and_the_config():
    result = subprocess.run([PROMTOOL, "check", "rules", *map(str, RULES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run([PROMTOOL, "check", "config", str(PROMETHEUS / "prometheus.yml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_unit_tests_of_the_rules_pass():
    result = subprocess.run([PROMTOOL, "test", "rules", *map(str, RULE_TESTS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(RULE_TESTS)


def test_every_alert_has_a_unit_test_that_makes_it_fire():
    fired = {case["alertname"] for case in rule_tests() if case.get("exp_alerts")}
    assert not set(alerts()) - fired, f"alerts no test makes fire: {set(alerts()) - fired}"
    assert {case["alertname"] for case in rule_tests()} <= set(alerts())  # no test of a rule that is gone
    # the three the issue names: a quiet site, a blocked site and a stuck queue each fire
    firing = {(case["alertname"], str(a["exp_labels"].get("site") or a["exp_labels"].get("queue")))
              for case in rule_tests() for a in case.get("exp_alerts") or []}
    assert {("RectifySiteQuiet", "anhui"), ("RectifySiteBlocked", "blocked"), ("RectifyQueueStuck", "parse")} <= firing


def test_every_alert_says_what_happened_and_how_bad():
    for name, rule in alerts().items():
        assert rule["labels"]["severity"] in ("warning", "critical"), name
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], name


def test_prometheus_loads_the_rules_it_is_given():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    assert config["rule_files"] == ["/etc/prometheus/rules/*.yml"]  # where compose mounts rules/
    jobs = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    assert jobs["rectify"] == ["metrics:9810"] and jobs["flower"] == ["flower:5555"]
    assert jobs["postgres"] == ["postgres-exporter:9187"] and jobs["redis"] == ["redis-exporter:9121"]
