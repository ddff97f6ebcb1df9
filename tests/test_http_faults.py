"""crawler/web/fetch.py against every row of reliability matrix D (HTTP and crawler inputs), with real servers
on loopback (tests/faultservers.py), the real throttle and robots cache in Redis, and no mirror.

Each test asserts the FetchFailed.error_class (or the success), what the server's own log shows, and that
no canary was reached. Timings are scaled down (Retry-After 1 s instead of 30 s, timeouts of 1 s) so the
file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import datetime
import resource
import socket
import ssl
import threading
import time
import tracemalloc
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
import trustme
import urllib3

from crawler.errors import FetchFailed
from crawler.settings import Settings
from crawler.sites import Site, site_from_dict
from crawler.urls import url_key
from crawler.web.discover import read_list_page
from crawler.web.encoding import decode_html
from crawler.web.fetch import MAX_REDIRECTS, Fetcher
from crawler.web.politeness import HostThrottle
from crawler.web.robots import MAX_CRAWL_DELAY, RobotsCache
from tests.faultservers import (
    Canary,
    RawServer,
    Route,
    RouteServer,
    bomb,
    endless,
    gaps,
    gzip_chain,
    ipv6_available,
    never_answer,
    redirect,
    send_then_close,
    slowloris,
)
from workers.services import redis_client

PAGE = "<html><head><title>巡视整改进展情况的通报</title></head><body><p>整改情况正文。</p></body></html>".encode()
CAP = 1024 * 1024  # max_bytes in these tests


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def fast(settings: Settings) -> Settings:
    """No mirror, quick timeouts and back-off, a 1 MiB cap; Redis (throttle, robots cache) emptied."""
    redis_client(settings.redis_url).flushall()
    return replace(settings, mirror_url=None, connect_timeout=1.0, read_timeout=1.0, fetch_retries=1,
                   backoff_base=0.05, max_bytes=CAP, rate_limit_override=None, max_retry_after=5.0,
                   block_backoff=1.0)


def make_fetcher(settings: Settings, *, robots: bool = False, session: requests.Session | None = None,
                 trusted: tuple[str, ...] = ("127.0.0.1",)) -> Fetcher:
    client = redis_client(settings.redis_url)
    return Fetcher(settings, HostThrottle(client), RobotsCache(client) if robots else None, session,
                   trusted_addresses=trusted)


def site_for(server: RawServer | RouteServer, **extra: object) -> Site:
    data = {"id": "fault", "name": "故障", "confidence": "H", "list_urls": [server.url + "/"],
            "allowed_hosts": [server.authority], "rate_limit": 50, "max_pages": 5, **extra}
    return site_from_dict(data, Path("test"))


@pytest.fixture
def web() -> Iterator[RouteServer]:
    server = RouteServer()
    server.routes["/ok"] = Route(body=PAGE)
    yield server
    server.close()


@pytest.fixture
def raw() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def canaries() -> Iterator[list[Canary]]:
    """Canaries on 127.0.0.1 and 127.0.0.2 (and ::1) at one port, so every internal form of a redirect
    to `<canary port>` lands on one of them if it is ever followed."""
    first = Canary("127.0.0.1")
    found = [first, Canary("127.0.0.2", first.port)]
    if ipv6_available():
        with contextlib.suppress(OSError):
            found.append(Canary("::1", first.port))
    yield found
    for canary in found:
        canary.close()


@pytest.fixture(autouse=True)
def network_guard(canaries: list[Canary], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Every test: connections only to loopback (anything else is refused and recorded), canaries untouched."""
    for canary in canaries:
        canary.log.clear()
    attempts: list[tuple[str, int]] = []
    real = urllib3.util.connection.create_connection

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        if not (address[0].startswith("127.") or address[0] == "::1"):
            raise OSError(f"test network guard: refusing non-loopback {address}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", guarded)
    yield attempts
    assert [a for a in attempts if not (a[0].startswith("127.") or a[0] == "::1")] == []
    assert [c.hits for c in canaries] == [0] * len(canaries), "a canary was reached"


def fail(fetcher: Fetcher, url: str, site: Site) -> FetchFailed:
    with pytest.raises(FetchFailed) as info:
        fetcher.fetch(url, site)
    return info.value


@contextlib.contextmanager
def peak_memory() -> Iterator[dict[str, int]]:
    """Peak traced allocation (tracemalloc, includes zlib's buffers) and peak RSS growth during the block."""
    result: dict[str, int] = {}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        yield result
    finally:
        result["traced"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result["rss_growth"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before


def assert_bounded(memory: dict[str, int]) -> None:
    assert memory["traced"] < 3 * CAP, f"peak {memory['traced']} bytes traced, cap {CAP}"
    assert memory["rss_growth"] < 3 * CAP + 16 * 1024 * 1024, f"peak RSS grew {memory['rss_growth']} bytes"


# -- D1 D2: errors and back-off ---------------------------------------------------------------------


def test_d1_500_is_retried_with_growing_jittered_backoff_then_reported(fast, web):
    web.routes["/e"] = Route(500, [], b"oops")
    fetcher = make_fetcher(replace(fast, fetch_retries=2, backoff_base=0.2))
    exc = fail(fetcher, web.url + "/e", site_for(web))
    assert exc.error_class == "http_500" and exc.http_status == 500 and exc.retryable
    times = web.log.times("/e")
    assert len(times) == 3  # 1 + fetch_retries, then the error goes to the failures table
    first, second = gaps(times)
    assert 0.2 <= first < 0.3 + 0.15 and 0.4 <= second < 0.6 + 0.15 and second > first


def test_d1_host_circuit_opens_after_consecutive_server_faults(fast, web, monkeypatch):
    monkeypatch.setattr("crawler.web.fetch.CIRCUIT_ERRORS", 3)
    web.routes["/e"] = Route(500, [], b"oops")
    fetcher = make_fetcher(replace(fast, fetch_retries=0, block_backoff=1.0))
    site = site_for(web)
    assert [fail(fetcher, web.url + "/e", site).error_class for _ in range(3)] == ["http_500"] * 3
    exc = fail(fetcher, web.url + "/ok", site)
    assert exc.error_class == "host_circuit_open" and exc.retryable and 0 < exc.retry_after <= 1.0
    assert web.log.paths() == ["/e"] * 3  # open: nothing sent
    time.sleep(exc.retry_after + 0.05)
    assert fetcher.fetch(web.url + "/ok", site).status == 200  # closed again after the rest
    assert [fail(fetcher, web.url + "/e", site).error_class for _ in range(2)] == ["http_500"] * 2
    assert fetcher.fetch(web.url + "/ok", site).status == 200  # an answer resets the count


def test_d2_429_retry_after_is_waited_out_by_the_server_clock_then_succeeds(fast, web):
    """Scaled: Retry-After 1 s on the first 3 requests (the matrix says 30 s; the same code path)."""
    web.routes["/busy"] = [Route(429, [("Retry-After", "1")], b"slow down")] * 3 + [Route(body=PAGE)]
    fetcher = make_fetcher(replace(fast, fetch_retries=3))
    response = fetcher.fetch(web.url + "/busy", site_for(web))
    assert response.status == 200
    times = web.log.times("/busy")
    assert len(times) == 4 and min(gaps(times)) >= 0.95  # no request inside the Retry-After window


# -- D3 D4 D5: robots.txt ---------------------------------------------------------------------------


@pytest.mark.parametrize("robots", [Route(503, [], b"down"), Route(200, [], b"User-agent: *\n", delay=3)],
                         ids=["503", "never-answers"])
def test_d3_unreadable_robots_means_zero_page_requests(fast, web, robots):
    web.routes["/robots.txt"] = robots
    fetcher = make_fetcher(fast, robots=True)
    exc = fail(fetcher, web.url + "/ok", site_for(web))
    assert exc.error_class == "robots_unavailable" and exc.retryable
    assert set(web.log.paths()) == {"/robots.txt"}  # retried, but no page was ever asked for
    exc = fail(fetcher, web.url + "/ok", site_for(web))  # not cached: asked again next time, still no page
    assert exc.error_class == "robots_unavailable" and "/ok" not in web.log.paths()


def _robots_chain(web: RouteServer, hops: int) -> None:
    web.routes["/robots.txt"] = redirect("/r1")
    for i in range(1, hops):
        web.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    web.routes[f"/r{hops}"] = Route(200, [], b"User-agent: *\nAllow: /\n")


@pytest.mark.parametrize("variant", ["404", "403", "garbage", "5MB", "redirects-6", "redirects-5"])
def test_d4_robots_variants(fast, web, variant):
    """404 and 403 allow everything (RFC 9309, as Nutch and StormCrawler; a 403 on robots.txt does not back
    the host off); garbage is parsed leniently; only the first 512 KiB of a 5 MB file count; more than
    MAX_REDIRECTS redirects make robots.txt unavailable."""
    if variant in ("404", "403"):
        web.routes["/robots.txt"] = Route(int(variant), [], b"<html>forbidden</html>")
    elif variant == "garbage":
        web.routes["/robots.txt"] = Route(200, [("Content-Type", "application/octet-stream")],
                                          bytes(range(256)) * 40 + b"\nDisallow /x\n\x00\xff")
    elif variant == "5MB":
        early = b"User-agent: *\nDisallow: /early/\n"
        web.routes["/robots.txt"] = Route(200, [("Content-Type", "text/plain")],
                                          early + b"# filler line\n" * (5 * 1024 * 1024 // 14) + b"Disallow: /ok\n")
        web.routes["/early/x"] = Route(body=PAGE)
    else:
        _robots_chain(web, int(variant.split("-")[1]))
    fetcher = make_fetcher(fast, robots=True)
    started = time.monotonic()
    if variant == "redirects-6":
        exc = fail(fetcher, web.url + "/ok", site_for(web))
        assert exc.error_class == "robots_unavailable" and "too_many_redirects" in str(exc)
        assert web.log.paths() == ["/robots.txt", *(f"/r{i}" for i in range(1, MAX_REDIRECTS + 1))]  # no page
        return
    assert fetcher.fetch(web.url + "/ok", site_for(web)).status == 200
    assert time.monotonic() - started < 1.0  # a 403 did not push the host back
    if variant == "5MB":
        assert fail(fetcher, web.url + "/early/x", site_for(web)).error_class == "robots_disallowed"
        assert "/early/x" not in web.log.paths()


def test_d5_disallow_and_crawl_delay_are_honoured(fast, web):
    web.routes["/robots.txt"] = Route(200, [("Content-Type", "text/plain")],
                                      b"User-agent: *\nDisallow: /secret/\nCrawl-delay: 2\n")
    for name in ("/a", "/b", "/c", "/secret/x"):
        web.routes[name] = Route(body=PAGE)
    fetcher = make_fetcher(fast, robots=True)
    site = site_for(web)
    assert fail(fetcher, web.url + "/secret/x", site).error_class == "robots_disallowed"
    for name in ("/a", "/b", "/c"):
        fetcher.fetch(web.url + name, site)
    assert "/secret/x" not in web.log.paths()
    page_times = [e["time"] for e in web.log.entries if e["path"] in ("/a", "/b", "/c")]
    assert len(page_times) == 3 and min(gaps(page_times)) >= 1.95


def test_d5_crawl_delay_over_the_cap_skips_the_host(fast, web):
    web.routes["/robots.txt"] = Route(200, [], b"User-agent: *\nCrawl-delay: 120\n")
    exc = fail(make_fetcher(fast, robots=True), web.url + "/ok", site_for(web))
    assert exc.error_class == "crawl_delay_too_large" and f"{MAX_CRAWL_DELAY:g}" in str(exc)
    assert web.log.paths() == ["/robots.txt"]


# -- D6 D7 D8 D27: slow, truncated and malformed answers --------------------------------------------

HEAD_1000 = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"


def test_d6_server_that_never_answers_times_out(fast, raw):
    raw.routes["/silent"] = never_answer(hold=10)
    started = time.monotonic()
    exc = fail(make_fetcher(fast), raw.url + "/silent", site_for(raw))
    elapsed = time.monotonic() - started
    assert exc.error_class == "timeout" and exc.retryable
    assert len(raw.log.times("/silent")) == 2  # retried once
    assert elapsed < 2 * (fast.read_timeout + 0.5) + 0.5


def test_d6_slowloris_body_hits_the_total_deadline(fast, raw):
    """One byte every 0.3 s never trips the 1 s read timeout; the per-request deadline (connect + 2 × read
    = 3 s) must, and a retry costs another 3 s: far below Celery's soft limit."""
    raw.routes["/drip"] = slowloris(HEAD_1000, every=0.3)
    fetcher = make_fetcher(replace(fast, fetch_retries=0))
    started = time.monotonic()
    exc = fail(fetcher, raw.url + "/drip", site_for(raw))
    elapsed = time.monotonic() - started
    assert exc.error_class == "timeout" and exc.retryable
    deadline = fast.connect_timeout + 2 * fast.read_timeout
    assert deadline <= elapsed < deadline + 1.0 and elapsed < fast.soft_time_limit


def test_d6_slowloris_without_content_length_is_not_taken_as_a_whole_page(fast, raw):
    raw.routes["/drip"] = slowloris(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n", every=0.3)
    exc = fail(make_fetcher(replace(fast, fetch_retries=0)), raw.url + "/drip", site_for(raw))
    assert exc.error_class == "timeout"


def test_d6_slowloris_headers_hit_the_total_deadline(fast, raw):
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Drip-%d: v\r\n" % i for i in range(60))

    def drip(conn: socket.socket) -> None:
        for byte in head:
            conn.sendall(bytes([byte]))
            time.sleep(0.3)

    raw.routes["/drip"] = drip
    started = time.monotonic()
    exc = fail(make_fetcher(replace(fast, fetch_retries=0)), raw.url + "/drip", site_for(raw))
    assert exc.error_class == "timeout" and time.monotonic() - started < fast.connect_timeout + 2 * fast.read_timeout + 1


def test_d7_truncated_body_is_detected_and_retried(fast, raw):
    raw.routes["/cut"] = send_then_close(b"HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + b"x" * 5000)
    exc = fail(make_fetcher(fast), raw.url + "/cut", site_for(raw))
    assert exc.error_class == "truncated" and exc.retryable
    assert len(raw.log.times("/cut")) == 2


MALFORMED = {
    "missing-status-line": b"Content-Type: text/html\r\n\r\n<html>no status</html>",
    "garbage-status-line": b"HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "bad-header-line": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nthis is not a header\r\n"
                       b"Content-Length: 5\r\n\r\nhello",
    "content-length-abc": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: abc\r\n\r\nhello",
    "invalid-chunked": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                       b"zz\r\nhello\r\n0\r\n\r\n",
    # D27, header bombs: http.client refuses more than 100 headers and any line over 64 KiB.
    "150-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
                   + b"Content-Length: 2\r\n\r\nok",
    "1MB-header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1024 * 1024) + b"\r\nContent-Length: 2\r\n\r\nok",
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_d8_d27_malformed_http_is_a_clean_bad_response(fast, raw, name):
    raw.routes["/bad"] = send_then_close(MALFORMED[name])
    started = time.monotonic()
    exc = fail(make_fetcher(fast), raw.url + "/bad", site_for(raw))
    assert exc.error_class == "bad_response" and not exc.retryable
    assert len(raw.log.times("/bad")) == 1 and time.monotonic() - started < 1.0  # no retry, no hang


# -- D9 D10 D11: sizes and compression --------------------------------------------------------------


def test_d9_endless_body_is_cut_at_the_cap_with_bounded_memory(fast, raw):
    raw.routes["/endless"] = endless(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n")
    fetcher = make_fetcher(fast)
    with peak_memory() as memory:
        exc = fail(fetcher, raw.url + "/endless", site_for(raw))
    assert exc.error_class == "too_large"
    assert_bounded(memory)


@pytest.mark.parametrize("encoding,wbits", [("gzip", 31), ("deflate", 15)])
def test_d10_compression_bomb_stops_at_the_decompressed_cap(fast, web, encoding, wbits):
    body = bomb(256, wbits)  # 256 MiB of zeros in about 260 KB
    web.routes["/bomb"] = Route(200, [("Content-Encoding", encoding)], body)
    fetcher = make_fetcher(fast)
    with peak_memory() as memory:
        exc = fail(fetcher, web.url + "/bomb", site_for(web))
    assert exc.error_class == "too_large" and len(web.log.times("/bomb")) == 1
    assert_bounded(memory)


def test_d10_long_content_encoding_chain_is_refused_unread(fast, web):
    web.routes["/chain"] = Route(200, [("Content-Encoding", "gzip, gzip, gzip, gzip, gzip, gzip")],
                                 gzip_chain(PAGE, 6))
    web.routes["/two"] = Route(200, [("Content-Encoding", "gzip, gzip")], gzip_chain(PAGE, 2))
    fetcher = make_fetcher(fast)
    exc = fail(fetcher, web.url + "/chain", site_for(web))
    assert exc.error_class == "bad_encoding" and "6 chained" in str(exc)
    assert fetcher.fetch(web.url + "/two", site_for(web)).body == PAGE  # two layers are still fine


def test_d10_urllib3_is_a_version_with_the_decompression_fixes():
    """CVE-2025-66418/66471 (chained encodings, streaming bombs), CVE-2026-21441 (redirect bodies)."""
    major, minor = (int(p) for p in urllib3.__version__.split(".")[:2])
    assert (major, minor) >= (2, 7)


def test_d11_bomb_in_a_redirect_body_is_never_decompressed(fast, web):
    web.routes["/moved"] = Route(302, [("Location", "/ok"), ("Content-Encoding", "gzip")], bomb(256))
    fetcher = make_fetcher(fast)
    with peak_memory() as memory:
        response = fetcher.fetch(web.url + "/moved", site_for(web))
    assert response.status == 200 and response.final_url == web.url + "/ok"
    assert web.log.paths() == ["/moved", "/ok"]
    assert_bounded(memory)


# -- D12 D13 D14 D15 D16 D17: redirects and addresses -----------------------------------------------


def internal_targets(port: int) -> list[str]:
    return [f"http://127.0.0.1:{port}/admin", f"http://127.0.0.2:{port}/", f"http://[::1]:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/", f"http://2130706433:{port}/", f"http://0x7f.1:{port}/",
            f"http://0177.0.0.1:{port}/", f"http://127.1:{port}/", f"http://localhost:{port}/",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"]


def test_d12_d13_redirects_to_internal_addresses_are_refused_before_connecting(fast, web, canaries,
                                                                              network_guard):
    fetcher = make_fetcher(fast)
    site = site_for(web)
    for i, target in enumerate(internal_targets(canaries[0].port)):
        web.routes[f"/r{i}"] = redirect(target)
        exc = fail(fetcher, f"{web.url}/r{i}", site)
        assert exc.error_class == "blocked_address", (target, exc.error_class)
    assert {a[0] for a in network_guard} == {"127.0.0.1"} and {a[1] for a in network_guard} == {web.port}


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://x/", "data:text/html,x", "gopher://x/"])
def test_d14_redirects_to_non_http_schemes_are_refused(fast, web, target):
    web.routes["/s"] = redirect(target)
    exc = fail(make_fetcher(fast), web.url + "/s", site_for(web))
    assert exc.error_class == "blocked_scheme"
    assert web.log.paths() == ["/s"]


@pytest.mark.parametrize("location", ["http://[::1", "http://x:99999/", "http://x:port/"])
def test_d8_malformed_location_is_a_clean_bad_response(fast, web, location):
    """requests itself raised a bare ValueError for `http://[::1` even with allow_redirects=False."""
    web.routes["/l"] = redirect(location)
    exc = fail(make_fetcher(fast), web.url + "/l", site_for(web))
    assert exc.error_class == "bad_response" and web.log.paths() == ["/l"]


def test_d8_utf8_location_is_followed(fast, web):
    web.routes["/l"] = Route(302, [("Location", "/通报.html".encode().decode("latin-1"))], b"")
    web.routes["/%E9%80%9A%E6%8A%A5.html"] = Route(body=PAGE)
    assert make_fetcher(fast).fetch(web.url + "/l", site_for(web)).body == PAGE


def test_d14_non_http_url_is_refused_without_a_request(fast, web):
    assert fail(make_fetcher(fast), "file:///etc/passwd", site_for(web)).error_class == "blocked_scheme"
    assert web.log.paths() == []


def test_d15_dns_rebinding_cannot_reach_an_internal_address(fast, monkeypatch):
    """A stub resolver answers 127.0.0.1 (the trusted test address) first, 127.0.0.2 afterwards. Every
    connection resolves once, checks the address and connects to that very address."""
    site_server = RouteServer("127.0.0.1")
    site_server.routes["/ok"] = Route(body=PAGE)
    canary = Canary("127.0.0.2", site_server.port)
    answers = iter(["127.0.0.1"])
    real = socket.getaddrinfo

    def stub(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003 - socket.getaddrinfo's signature
        if host == "rebind.test":
            address = next(answers, "127.0.0.2")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stub)
    try:
        site = site_from_dict({"id": "rebind", "name": "换绑", "confidence": "H",
                               "list_urls": [f"http://rebind.test:{site_server.port}/"],
                               "allowed_hosts": [f"rebind.test:{site_server.port}"], "rate_limit": 50},
                              Path("test"))
        fetcher = make_fetcher(fast)
        assert fetcher.fetch(f"http://rebind.test:{site_server.port}/ok", site).status == 200
        exc = fail(fetcher, f"http://rebind.test:{site_server.port}/ok", site)
        assert exc.error_class == "blocked_address" and "127.0.0.2" in str(exc)
        assert canary.hits == 0 and site_server.log.paths() == ["/ok"]
        # And without trusting 127.0.0.1, a public name that resolves to loopback is refused outright.
        untrusted = make_fetcher(fast, trusted=())
        assert fail(untrusted, f"http://rebind.test:{site_server.port}/ok", site).error_class == "blocked_address"
    finally:
        site_server.close()
        canary.close()


def test_d16_offsite_redirect_and_url_are_refused(fast, web):
    web.routes["/away"] = redirect("http://other.test/x")
    fetcher = make_fetcher(fast)
    assert fail(fetcher, web.url + "/away", site_for(web)).error_class == "offsite_redirect"
    assert fail(fetcher, "http://other.test/x", site_for(web)).error_class == "offsite_url"
    assert web.log.paths() == ["/away"]


def test_d17_redirect_loop_and_long_chain_stop_at_max_hops(fast, web):
    web.routes["/loop-a"] = redirect("/loop-b")
    web.routes["/loop-b"] = redirect("/loop-a")
    for i in range(25):
        web.routes[f"/c{i}"] = redirect(f"/c{i + 1}")
    web.routes["/c25"] = Route(body=PAGE)
    fetcher = make_fetcher(fast)
    assert fail(fetcher, web.url + "/loop-a", site_for(web)).error_class == "too_many_redirects"
    assert len(web.log.entries) == MAX_REDIRECTS + 1
    web.log.clear()
    assert fail(fetcher, web.url + "/c0", site_for(web)).error_class == "too_many_redirects"
    assert web.log.paths() == [f"/c{i}" for i in range(MAX_REDIRECTS + 1)]


# -- D18 D19: traps and shifting lists --------------------------------------------------------------


def _list_page(path: str) -> bytes:
    n = int(path.rsplit("/", 1)[1].split(".")[0])
    return (f'<html><body><a href="/n/{n}.html">巡视整改进展情况的通报{n}</a>'
            f'<a href="/list/{n + 1}.html">下一页</a></body></html>').encode()


def test_d18_pagination_trap_is_bounded_by_max_pages(fast, web):
    web.prefix_routes["/list/"] = Route(body=_list_page)
    site = site_for(web, max_pages=7)
    fetcher = make_fetcher(fast)
    first = url = web.url + "/list/1.html"
    page = 0
    while url and page < 1000:
        page += 1
        html, _ = decode_html(fetcher.fetch(url, site).body, "text/html; charset=utf-8")
        url = read_list_page(html, url, site, first_url=first, page=page, total=None).next_url
    assert page == site.max_pages and len(web.log.entries) == site.max_pages


def test_d18_url_over_the_length_cap_is_refused_unrequested(fast, web):
    long_url = web.url + "/n/" + "a" * 10_000 + ".html"
    assert fail(make_fetcher(fast), long_url, site_for(web)).error_class == "url_too_long"
    web.routes["/to-long"] = redirect(long_url)
    assert fail(make_fetcher(fast), web.url + "/to-long", site_for(web)).error_class == "url_too_long"
    assert web.log.paths() == ["/to-long"]


def test_d18_page_with_100k_links_is_read_whole(fast, web):
    """The size cap is what bounds a link farm: 100k links fit in the 8 MiB production cap and are all read
    (the page is parsed once: ~5 s on a quiet 2-CPU machine; how long is not this test's to say)."""
    links = "".join(f"<a href=/n/{i}>巡视整改通报{i}</a>" for i in range(100_000))
    web.routes["/farm"] = Route(body=f"<html><body>{links}</body></html>".encode())
    site = site_for(web)
    assert fail(make_fetcher(fast), web.url + "/farm", site).error_class == "too_large"  # 1 MiB test cap
    response = make_fetcher(replace(fast, max_bytes=Settings.max_bytes)).fetch(web.url + "/farm", site)
    result = read_list_page(response.body.decode(), web.url + "/farm", site, first_url=web.url + "/farm",
                            page=1, total=None)
    assert len(result.notice_links) == 100_000
    assert result.notice_links[-1] == (web.url + "/n/99999", "巡视整改通报99999")


def test_d18_session_ids_do_not_make_new_keys():
    base = "http://www.sdjj.gov.cn/xsxc/t1.htm"
    variants = [base, base + ";jsessionid=0A1B2C", base + "?JSESSIONID=abc", base + "?PHPSESSID=1f2e",
                base + "?aspsessionidqqq=zz"]
    assert len({url_key(v) for v in variants}) == 1
    assert url_key(base + "?id=2") != url_key(base)


def test_d19_listing_shift_between_pages_dedupes_and_skips_nothing(fast, web):
    items = [f"/n/{i}.html" for i in range(30)]
    shown = {"items": items}

    def page(path: str) -> bytes:
        n = int(path.rsplit("/", 1)[1].split(".")[0])
        chunk = shown["items"][(n - 1) * 10:n * 10]
        links = "".join(f'<a href="{u}">巡视整改进展情况的通报{u}</a>' for u in chunk)
        return f'<html><body>{links}<a href="/list/{n + 1}.html">下一页</a></body></html>'.encode()

    web.prefix_routes["/list/"] = Route(body=page)
    site = site_for(web, max_pages=3)
    fetcher = make_fetcher(fast)
    seen: list[str] = []
    first = url = web.url + "/list/1.html"
    for number in range(1, 4):
        html = fetcher.fetch(url, site).body.decode()
        result = read_list_page(html, url, site, first_url=first, page=number, total=None)
        seen += [link for link, _ in result.notice_links]
        shown["items"] = ["/n/new.html", *shown["items"]] if number == 1 else shown["items"]
        url = result.next_url
    keys = {url_key(u) for u in seen}
    assert len(seen) == 30 and len(keys) == 29  # item 9 seen twice, one key
    assert keys >= {url_key(web.url + u) for u in items[:29]}  # nothing before the last one skipped


# -- D20 D21 D22: encodings -------------------------------------------------------------------------

CHINESE = "朱镕基 陶喆 二〇二四年 €5 𠀀"


@pytest.mark.parametrize("variant", ["meta-gb2312-unlabelled", "header-utf8-body-gbk", "bom-utf8-meta-gbk"])
def test_d20_d21_d22_encodings_decode_exactly(fast, web, variant):
    if variant == "meta-gb2312-unlabelled":
        body = f'<html><head><meta charset="gb2312"></head><body>{CHINESE}</body></html>'.encode("gb18030")
        content_type = "text/html"
    elif variant == "header-utf8-body-gbk":
        body = f"<html><body>{CHINESE}</body></html>".encode("gb18030")
        content_type = "text/html; charset=utf-8"
    else:
        body = "\ufeff".encode() + f'<html><head><meta charset="gbk"></head><body>{CHINESE}</body></html>'.encode()
        content_type = "text/html"
    web.routes["/enc"] = Route(200, [("Content-Type", content_type)], body)
    response = make_fetcher(fast).fetch(web.url + "/enc", site_for(web))
    text, encoding = decode_html(response.body, response.headers.get("content-type"))
    assert CHINESE in text and "\ufffd" not in text and not encoding.endswith("~")
    assert encoding == ("utf-8" if variant.startswith("bom") else "gb18030")


def test_d23_malformed_html_is_fetched_and_decoded_without_crash(fast, web):
    """The fetcher's share of D23: any bytes come back as a page and decode. Extraction from malformed
    HTML (nesting, huge text nodes, jieba caps) is the parser's row, tested with it (test_bad_input.py)."""
    body = ("<html><body><div><table><tr><td>巡视整改\u200b\u202e通报<script>var a='</div>';</script>"
            + "<div>" * 20_000).encode() + b"\x00\x1b\xff\xfe"
    web.routes["/m"] = Route(200, [("Content-Type", "text/html; charset=utf-8")], body)
    response = make_fetcher(fast).fetch(web.url + "/m", site_for(web))
    text, encoding = decode_html(response.body, response.headers.get("content-type"))
    assert response.body == body and "巡视整改" in text and encoding == "utf-8~"  # the doubt stays visible


# -- D26: content types ----------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["application/zip", "application/pdf", "image/png",
                                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document"])
def test_d26_binary_content_type_is_refused_unread(fast, raw, content_type):
    """200 MB declared and streamed without end: refused from the headers, before any body is read."""
    raw.routes["/file"] = endless(f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
                                  f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode())
    started = time.monotonic()
    exc = fail(make_fetcher(fast), raw.url + "/file", site_for(raw))
    assert exc.error_class == "unsupported_type" and not exc.retryable and time.monotonic() - started < 1


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "text/xml", ""])
def test_d26_textual_or_unlabelled_pages_are_still_read(fast, web, content_type):
    web.routes["/p"] = Route(200, [("Content-Type", content_type)], PAGE)
    assert make_fetcher(fast).fetch(web.url + "/p", site_for(web)).body == PAGE


# -- D24 D25: TLS -----------------------------------------------------------------------------------


def tls_server(cert_file: Path, key_file: Path, newest: ssl.TLSVersion | None = None) -> RouteServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert_file), str(key_file))
    if newest:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():  # TLSv1 is deprecated: that is the point of this server
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
            context.maximum_version = newest
    server = RouteServer("127.0.0.1", tls_context=context)
    server.routes["/ok"] = Route(body=PAGE)
    return server


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """HTTPS servers for each certificate problem, all under one trustme CA except `unknown-ca`."""
    folder = tmp_path_factory.mktemp("tls")
    ca, stranger = trustme.CA(), trustme.CA()
    intermediate = ca.create_child_ca()
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    leaves = {
        "good": ca.issue_cert("127.0.0.1"),
        "expired": ca.issue_cert("127.0.0.1", not_before=past, not_after=past + datetime.timedelta(days=30)),
        "wrong-host": ca.issue_cert("www.other.example"),
        "unknown-ca": stranger.issue_cert("127.0.0.1"),
        "missing-intermediate": intermediate.issue_cert("127.0.0.1"),
    }
    servers: dict[str, RouteServer] = {}
    for name, leaf in leaves.items():
        chain = leaf.cert_chain_pems[:1] if name == "missing-intermediate" else leaf.cert_chain_pems
        cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
        cert_file.write_bytes(b"".join(blob.bytes() for blob in chain))
        leaf.private_key_pem.write_to_path(str(key_file))
        servers[name] = tls_server(cert_file, key_file)
    # The good certificate, on a server that speaks nothing newer than TLS 1.0 (our client needs 1.2).
    servers["tls1.0-only"] = tls_server(folder / "good.pem", folder / "good.key", ssl.TLSVersion.TLSv1)
    ca_file, bundle_file = folder / "ca.pem", folder / "bundle.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    bundle_file.write_bytes(ca.cert_pem.bytes() + intermediate.cert_pem.bytes())
    yield {"servers": servers, "ca": str(ca_file), "bundle": str(bundle_file)}
    for server in servers.values():
        server.close()


@pytest.fixture
def tls_fetcher(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A Fetcher whose only trust anchors are `verify`. Through REQUESTS_CA_BUNDLE: requests lets that
    variable override session.verify (the environment here sets it to the system bundle)."""
    def make(settings: Settings, verify: str) -> Fetcher:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", verify)
        monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
        session = requests.Session()
        session.verify = verify
        return make_fetcher(settings, session=session)
    return make


def test_d24_d25_good_certificate_from_the_test_ca_is_accepted(fast, tls, tls_fetcher):
    server = tls["servers"]["good"]
    assert tls_fetcher(fast, tls["ca"]).fetch(server.url + "/ok", site_for(server)).body == PAGE


@pytest.mark.parametrize("name,reason", [
    ("expired", "expired"), ("wrong-host", "match"), ("unknown-ca", "unable to get local issuer"),
    ("missing-intermediate", "unable to get local issuer"), ("tls1.0-only", "VERSION"),
])
def test_d24_d25_bad_certificates_fail_with_tls_error_and_no_insecure_retry(fast, tls, tls_fetcher, name, reason):
    server = tls["servers"][name]
    exc = fail(tls_fetcher(fast, tls["ca"]), server.url + "/ok", site_for(server))
    assert exc.error_class == "tls_error" and not exc.retryable and reason in str(exc), str(exc)
    assert "/ok" not in server.log.paths()  # no request ever completed without verification


def test_d24_missing_intermediate_succeeds_with_a_bundle_that_has_it(fast, tls, tls_fetcher):
    server = tls["servers"]["missing-intermediate"]
    assert tls_fetcher(fast, tls["bundle"]).fetch(server.url + "/ok", site_for(server)).status == 200


# -- D28: politeness under concurrency --------------------------------------------------------------


def test_d28_four_workers_on_one_host_keep_one_gap(fast, web):
    """Four threads, each with its own Fetcher and session (as separate worker processes would have), share
    the Redis throttle: the server sees requests one at a time, 1/rate apart. The turn is taken on the
    client, so the server's clock sees the gap minus the jitter of one request's travel (a few ms)."""
    for i in range(20):
        web.routes[f"/p{i}"] = Route(body=PAGE)
    site = site_for(web, rate_limit=10)
    urls = [f"{web.url}/p{i}" for i in range(20)]
    errors: list[BaseException] = []

    def worker(share: list[str]) -> None:
        fetcher = make_fetcher(fast)
        try:
            for url in share:
                fetcher.fetch(url, site)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(urls[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    entries = sorted(web.log.entries, key=lambda e: e["time"])
    assert len(entries) == 20
    assert min(gaps([e["time"] for e in entries])) >= 0.085
    assert all(b["time"] >= a["end"] for a, b in zip(entries, entries[1:], strict=False))  # one at a time
