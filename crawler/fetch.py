"""HTTP fetching: the only module that talks to the sites.

What it guarantees for every request: the site's allowed hosts (checked again on every redirect
hop, before connecting), robots.txt, one shared per-host rate limit, timeouts plus a total deadline,
a size cap applied to the decompressed body, retries with back-off on 429/5xx/timeouts (honouring
Retry-After), and conditional GET. Every way of failing raises `FetchFailed` with a short
`error_class` that ends up in the failures table.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from crawler.anomalies import block_reason, check_page
from crawler.encoding import decode_html
from crawler.errors import FetchFailed
from crawler.politeness import HostThrottle
from crawler.robots import RobotsCache
from crawler.settings import Settings
from crawler.sites import Site
from crawler.urls import authority, host_of

MAX_REDIRECTS = 5
ERROR_BODY_BYTES = 64 * 1024  # enough of an error page to recognise a WAF challenge
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 524})


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class Fetcher:
    def __init__(self, settings: Settings, throttle: HostThrottle, robots: RobotsCache | None,
                 session: requests.Session | None = None) -> None:
        self.settings = settings
        self.throttle = throttle
        self.robots = robots
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": settings.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"})

    # -- public API ---------------------------------------------------------------------------

    def fetch(self, url: str, site: Site, *, etag: str | None = None, last_modified: str | None = None,
              method: str = "GET", extra_hosts: frozenset[str] = frozenset()) -> Response:
        """Fetch one page of `site`; 304 comes back as a Response with `not_modified`.

        `extra_hosts` admits a notice page on another host that the site links to (the inspected unit's
        own portal): that page, and redirects within that host, only."""
        hosts = site.allowed_hosts | extra_hosts
        self._check_target(url, site, hosts)
        crawl_delay = None
        if self.robots:
            crawl_delay = self.robots.check(url, self.settings.user_agent,
                                            lambda robots: self.fetch_robots(robots, site, hosts))
        interval = max(self.min_interval(site), crawl_delay or 0.0)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._with_retries(url, site, method, headers, interval, hosts)
        if not response.not_modified:
            self._check_anomalies(response)
        return response

    def fetch_robots(self, url: str, site: Site, hosts: frozenset[str] | None = None) -> tuple[int, str]:
        """Fetch a robots.txt (same politeness, no robots check of its own)."""
        try:
            response = self._with_retries(url, site, "GET", {}, self.min_interval(site), hosts or site.allowed_hosts)
        except FetchFailed as exc:
            if exc.http_status and 400 <= exc.http_status < 500:
                return exc.http_status, ""
            raise
        return response.status, response.body.decode("utf-8", errors="replace")

    def min_interval(self, site: Site) -> float:
        override = self.settings.rate_limit_override
        return 1.0 / override if override else site.min_interval

    # -- retries ---------------------------------------------------------------------------------

    def _check_anomalies(self, response: Response) -> None:
        """WAF interstitials and soft 404s are failures, never pages; a block backs the whole host off."""
        text, _ = decode_html(response.body, response.headers.get("content-type"))
        try:
            check_page(response.final_url, response.status, text)
        except FetchFailed as exc:
            if exc.error_class == "blocked":
                self._back_off_blocked(response.final_url, exc)
            raise

    def _back_off_blocked(self, url: str, exc: FetchFailed) -> None:
        self.throttle.push_back(host_of(url), self.settings.block_backoff)
        exc.retry_after = self.settings.block_backoff

    def _with_retries(self, url: str, site: Site, method: str, headers: dict[str, str],
                      interval: float, hosts: frozenset[str]) -> Response:
        attempt = 0
        while True:
            try:
                return self._follow_redirects(url, site, method, headers, interval, hosts)
            except FetchFailed as exc:
                if not exc.retryable or exc.error_class in ("blocked", "host_backoff") \
                        or attempt >= self.settings.fetch_retries:
                    raise
                delay = self._backoff(attempt, exc.retry_after if isinstance(exc, FetchFailed) else None)
                if delay is None:
                    raise
                self.throttle.push_back(host_of(url), delay)
                attempt += 1

    def _backoff(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds before the next attempt; None when the server asks for longer than we wait inline."""
        if retry_after is not None:
            return retry_after if retry_after <= self.settings.max_retry_after else None
        base = self.settings.backoff_base * (2 ** attempt)
        return base + random.uniform(0, base / 2)

    # -- one request, with manual redirects --------------------------------------------------

    def _check_target(self, url: str, site: Site, hosts: frozenset[str]) -> None:
        scheme = urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise FetchFailed(f"refusing non-HTTP URL {url}", error_class="blocked_scheme")
        if authority(url) not in hosts:
            raise FetchFailed(f"{authority(url)} is not an allowed host of site {site.id}", error_class="offsite_url")

    def _wait_turn(self, url: str, interval: float) -> None:
        """Wait for this host's slot; a host backed off for longer than we wait inline is retried later."""
        try:
            self.throttle.wait_turn(host_of(url), interval, max_wait=self.settings.max_retry_after)
        except TimeoutError as exc:
            raise FetchFailed(f"{host_of(url)} is backed off: {exc}", error_class="host_backoff",
                              retryable=True) from exc

    def _follow_redirects(self, url: str, site: Site, method: str, headers: dict[str, str],
                          interval: float, hosts: frozenset[str]) -> Response:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._wait_turn(current, interval)
            raw = self._send(current, method, headers)
            if raw.is_redirect and "location" in raw.headers:
                target = urljoin(current, raw.headers["location"])
                raw.close()  # never read (or decompress) a redirect body
                self._check_redirect(current, target, site, hosts)
                current, method = target, ("GET" if raw.status_code in (301, 302, 303) else method)
                continue
            return self._finish(url, current, raw)
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects from {url}", error_class="too_many_redirects")

    def _check_redirect(self, source: str, target: str, site: Site, hosts: frozenset[str]) -> None:
        if urlsplit(target).scheme not in ("http", "https"):
            raise FetchFailed(f"{source} redirects to non-HTTP {target}", error_class="blocked_scheme")
        if authority(target) not in hosts:
            raise FetchFailed(f"{source} redirects to {target}, outside the allowed hosts of site {site.id}",
                              error_class="offsite_redirect")

    def _route(self, url: str) -> tuple[str, dict[str, str]]:
        """With a mirror configured, connect to it but keep the real site in the Host header."""
        if not self.settings.mirror_url:
            return url, {}
        parts = urlsplit(url)
        path = parts.path or "/"
        target = self.settings.mirror_url.rstrip("/") + path + (f"?{parts.query}" if parts.query else "")
        return target, {"Host": parts.netloc}

    def _send(self, url: str, method: str, headers: dict[str, str]) -> requests.Response:
        target, extra = self._route(url)
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            return self.session.request(method, target, headers={**headers, **extra}, timeout=timeout,
                                        allow_redirects=False, stream=True)
        except requests.Timeout as exc:
            raise FetchFailed(f"timed out fetching {url}: {exc}", error_class="timeout", retryable=True) from exc
        except requests.ConnectionError as exc:
            raise FetchFailed(f"cannot connect for {url}: {exc}", error_class="connection", retryable=True) from exc
        except requests.RequestException as exc:
            raise FetchFailed(f"bad request for {url}: {exc}", error_class="bad_request") from exc

    def _finish(self, url: str, final_url: str, raw: requests.Response) -> Response:
        headers = {k.lower(): v for k, v in raw.headers.items()}
        if raw.status_code == 304:
            raw.close()
            return Response(url, final_url, 304, headers)
        if raw.status_code >= 400:
            self._raise_http_error(final_url, raw, headers)
        return Response(url, final_url, raw.status_code, headers, self._read_capped(final_url, raw))

    def _raise_http_error(self, url: str, raw: requests.Response, headers: dict[str, str]) -> None:
        """An error status: a WAF challenge (read from the first bytes of the body) or a plain HTTP error."""
        status = raw.status_code
        try:
            snippet = self._read_capped(url, raw, limit=ERROR_BODY_BYTES)
        except FetchFailed:
            snippet = b""
        reason = block_reason(status, decode_html(snippet, headers.get("content-type"))[0]) if snippet else None
        if reason:
            exc = FetchFailed(f"blocked at {url}: {reason}", error_class="blocked", retryable=True, http_status=status)
            self._back_off_blocked(url, exc)
            raise exc
        exc = FetchFailed(f"HTTP {status} from {url}", error_class=f"http_{status}",
                          retryable=status in RETRY_STATUSES, http_status=status)
        exc.retry_after = retry_after_seconds(headers.get("retry-after"))
        raise exc

    def _read_capped(self, url: str, raw: requests.Response, limit: int | None = None) -> bytes:
        """Read the body, decompressed, refusing more than max_bytes and slower than the deadline."""
        limit = limit or self.settings.max_bytes
        declared = raw.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit and "content-encoding" not in raw.headers:
            raw.close()
            raise FetchFailed(f"{url} declares {declared} bytes, over the {limit}-byte cap", error_class="too_large")
        deadline = time.monotonic() + self.settings.connect_timeout + 2 * self.settings.read_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in raw.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise FetchFailed(f"{url} is larger than the {limit}-byte cap", error_class="too_large")
                if time.monotonic() > deadline:
                    raise FetchFailed(f"{url} took too long to download", error_class="timeout", retryable=True)
                chunks.append(chunk)
        except requests.exceptions.ChunkedEncodingError as exc:
            raise FetchFailed(f"{url} ended before its declared length: {exc}", error_class="truncated",
                              retryable=True) from exc
        except requests.exceptions.ContentDecodingError as exc:
            raise FetchFailed(f"{url} has a broken compressed body: {exc}", error_class="bad_encoding") from exc
        except requests.Timeout as exc:
            raise FetchFailed(f"timed out reading {url}", error_class="timeout", retryable=True) from exc
        except requests.ConnectionError as exc:
            raise FetchFailed(f"connection lost reading {url}: {exc}", error_class="truncated",
                              retryable=True) from exc
        finally:
            raw.close()
        return b"".join(chunks)
