"""`rectify report` over the crawled mirror, opened in a real browser: headless Chromium (Debian's
`chromium` and `chromium-driver`, which ops/test installs), with every network name unresolvable."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest
from psycopg.rows import dict_row

from crawler.report import CHARTS, QUERIES, query_text
from tests.conftest import rectify

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def _browser(width: int = 1400, height: int = 1000):  # noqa: ANN202
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("this test needs Debian's chromium and chromium-driver (ops/test installs them as root: "
                    "apt-get install -y chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                f"--window-size={width},{height}", "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def screenshot(driver, path: Path, width: int = 1400, height: int | None = None) -> None:  # noqa: ANN001
    """The page's first `height` pixels, or the whole page, as tall as it is."""
    height = height or driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.execute_script("window.dispatchEvent(new Event('resize'))")
    path.write_bytes(driver.get_screenshot_as_png())


def test_every_sql_of_the_report_runs_as_the_analyst(worker, env, db, databases):
    assert rectify(env, "crawl", "shandong", "faults").returncode == 0
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as conn:
        conn.read_only = True
        for name in QUERIES:
            rows = conn.execute(query_text(name)).fetchall()
            assert rows, f"{name} returned no rows over the crawled mirror"
    problems = {r["province"]: r for r in _rows(databases["analyst"], "problems_stated_vs_rectified")}
    assert (problems["山东"]["problems_stated"], problems["山东"]["problems_rectified"]) == (52, 37)  # Laishan


def _rows(url: str, name: str) -> list[dict]:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute(query_text(name)).fetchall()


def test_report_renders_every_chart_in_headless_chromium(worker, env, db, tmp_path):
    for sites in (("liaoning", "shandong", "jiangsu", "faults"), ("broken",), ("blocked",)):
        rectify(env, "crawl", *sites, timeout=300)  # broken's run fails, blocked meets a WAF page: both flagged
    out = tmp_path / "report.html"
    result = rectify(env, "report", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"report written to {out}" in result.stdout and "as rectify_reader" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert "as rectify_reader" in page  # the SQL ran as the analyst login
    assert "<script src" not in page and "<link" not in page  # nothing to fetch: all inline

    driver = _browser()
    try:
        driver.get(out.as_uri())
        assert driver.execute_script("return document.body.getAttribute('data-charts-rendered')") == str(len(CHARTS))
        drawn = driver.execute_script("""
            return Array.from(document.querySelectorAll('.chart')).map(function (el) {
              var chart = echarts.getInstanceByDom(el), option = chart.getOption();
              return {id: el.id, svg: el.querySelectorAll('svg').length,
                      shapes: el.querySelectorAll('svg path, svg rect, svg circle').length,
                      points: option.series.reduce(function (n, s) { return n + (s.data || []).length; }, 0),
                      empty: (option.title || []).some(function (t) { return !!t.text; }),
                      height: el.getBoundingClientRect().height};
            });""")
        assert [c["id"] for c in drawn] == list(CHARTS)
        for chart in drawn:
            assert chart["svg"] == 1 and chart["shapes"] >= 5 and chart["points"] > 0 and not chart["empty"], chart
            assert chart["height"] >= 200, chart
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert errors == [] and driver.execute_script("return window.reportErrors") == []
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0  # no network
        # what the page says: the flagged sites with their flags, the failures of the faulty site
        table = driver.execute_script("return document.querySelector('table.health').innerText")
        broken = next(line for line in table.splitlines() if line.startswith("broken"))
        blocked = next(line for line in table.splitlines() if line.startswith("blocked"))
        assert "failing" in broken and "failed" in broken and "blocked" in blocked
        classes = driver.execute_script(
            "return echarts.getInstanceByDom(document.getElementById('failures_by_class')).getOption().series"
            ".map(function (s) { return s.name; })")
        assert "blocked" in classes and any(c.startswith("http_5") for c in classes), classes
        shot = tmp_path / "report.png"
        screenshot(driver, shot)
        if os.environ.get("RECTIFY_REPORT_SCREENSHOT"):  # docs/report.png, the README's picture: the page's top
            screenshot(driver, Path(os.environ["RECTIFY_REPORT_SCREENSHOT"]), height=1960)
    finally:
        driver.quit()
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000  # a drawn page, not a blank one
