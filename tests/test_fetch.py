"""The fetcher against real HTTP servers on loopback (the mirror), with the throttle and robots cache in Redis."""

from __future__ import annotations

import time

import pytest

from crawler.errors import FetchFailed
from crawler.mirror import mirrored_notices
from crawler.settings import Settings
from crawler.sites import load_sites
from crawler.web.fetch import Fetcher
from crawler.web.politeness import HostThrottle
from crawler.web.robots import RobotsCache
from workers.services import redis_client

FAULTS = "http://faults.mirror.test"


@pytest.fixture
def fetcher(settings: Settings, db) -> Fetcher:  # noqa: ANN001 - db flushes Redis and the mirror log
    client = redis_client(settings.redis_url)
    sites = load_sites(settings.sites_dirs)
    f = Fetcher(settings, HostThrottle(client), RobotsCache(client))
    f.sites = sites
    return f


def test_conditional_get_answers_not_modified(fetcher, mirror):
    notice = next(n for n in mirrored_notices() if n["host"] == "www.sdjj.gov.cn")
    site = fetcher.sites["shandong"]
    fetcher.robots = None
    first = fetcher.fetch(notice["url"], site)
    assert first.status == 200 and first.headers.get("etag")
    again = fetcher.fetch(notice["url"], site, etag=first.headers["etag"],
                          last_modified=first.headers.get("last-modified"))
    assert again.not_modified and again.body == b""


def test_redirect_off_the_allowed_hosts_is_refused_before_connecting(fetcher, mirror):
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(f"{FAULTS}/err/offsite.html", fetcher.sites["faults"])
    assert info.value.error_class == "offsite_redirect"
    assert [r for r in mirror.requests if r["host"] != "faults.mirror.test"] == []


def test_server_error_is_retried_with_backoff_then_reported(fetcher, mirror):
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(f"{FAULTS}/err/500.html", fetcher.sites["faults"])
    assert info.value.error_class == "http_500" and info.value.http_status == 500
    hits = [r for r in mirror.requests if r["path"] == "/err/500.html"]
    assert len(hits) == 1 + fetcher.settings.fetch_retries
    assert hits[1]["time"] - hits[0]["time"] >= fetcher.settings.backoff_base


def test_oversized_body_is_cut_at_the_cap(fetcher, mirror):
    mirror.huge_bytes = 3 * fetcher.settings.max_bytes
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(f"{FAULTS}/err/huge.html", fetcher.sites["faults"])
    assert info.value.error_class == "too_large"


def test_slow_server_times_out(fetcher, mirror):
    mirror.slow_seconds = fetcher.settings.read_timeout + 2
    started = time.monotonic()
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(f"{FAULTS}/err/slow.html", fetcher.sites["faults"])
    assert info.value.error_class == "timeout"
    assert time.monotonic() - started < 4 * fetcher.settings.read_timeout + 2


def test_robots_disallow_means_the_page_is_never_requested(fetcher, mirror):
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(f"{FAULTS}/private/secret.html", fetcher.sites["faults"])
    assert info.value.error_class == "robots_disallowed"
    assert [r["path"] for r in mirror.requests] == ["/robots.txt"]


def test_requests_to_one_host_keep_the_minimum_gap(fetcher, mirror, settings):
    from dataclasses import replace

    fetcher.settings = replace(settings, rate_limit_override=5.0)  # 200 ms apart
    fetcher.robots = None
    for _ in range(4):
        fetcher.fetch(f"{FAULTS}/ok/1.html", fetcher.sites["faults"])
    times = [r["time"] for r in mirror.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 4 and min(gaps) >= 0.19


def test_429_retry_after_is_honoured_by_every_worker(fetcher, mirror):
    mirror.set_page("faults.mirror.test", "/err/429.html", b"slow down", status=429, headers=[("Retry-After", "1")])
    try:
        with pytest.raises(FetchFailed) as info:
            fetcher.fetch(f"{FAULTS}/err/429.html", fetcher.sites["faults"])
    finally:
        mirror.remove_page("faults.mirror.test", "/err/429.html")
    assert info.value.error_class == "http_429" and info.value.retryable
    hits = [r["time"] for r in mirror.requests if r["path"] == "/err/429.html"]
    assert len(hits) == 2 and hits[1] - hits[0] >= 0.95  # the server's own log shows the wait


def test_retry_after_longer_than_we_wait_inline_is_left_to_a_later_attempt(fetcher, mirror):
    mirror.set_page("faults.mirror.test", "/err/429b.html", b"later", status=503, headers=[("Retry-After", "3600")])
    try:
        started = time.monotonic()
        with pytest.raises(FetchFailed) as info:
            fetcher.fetch(f"{FAULTS}/err/429b.html", fetcher.sites["faults"])
    finally:
        mirror.remove_page("faults.mirror.test", "/err/429b.html")
    assert info.value.error_class == "http_503" and info.value.retry_after == 3600
    assert time.monotonic() - started < 2


def test_redirect_to_another_port_of_an_allowed_host_is_refused(fetcher, mirror):
    mirror.set_page("faults.mirror.test", "/err/port.html", b"", status=302,
                    headers=[("Location", "http://faults.mirror.test:19001/admin")])
    try:
        with pytest.raises(FetchFailed) as info:
            fetcher.fetch(f"{FAULTS}/err/port.html", fetcher.sites["faults"])
    finally:
        mirror.remove_page("faults.mirror.test", "/err/port.html")
    assert info.value.error_class == "offsite_redirect" and ":19001" in str(info.value)
    paths = [r["path"] for r in mirror.requests]
    assert paths.count("/err/port.html") == 1 and "/admin" not in paths
