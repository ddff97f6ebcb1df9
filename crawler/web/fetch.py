"""HTTP fetching: the only module that talks to the sites.

What it guarantees for every request: the site's allowed hosts (checked again on every redirect
hop, before connecting), robots.txt, one shared per-host rate limit, timeouts plus a total deadline,
a size cap applied to the decompressed body, retries with back-off on 429/5xx/timeouts (honouring
Retry-After), and conditional GET. Every way of failing raises `FetchFailed` with a short
`error_class` that ends up in the failures table:

- `http_NNN`: an error status (429/5xx retried first, honouring Retry-After up to max_retry_after).
- `timeout` (retried): connect or read timeout, or the total per-request deadline (a slowloris body).
- `connection` (retried): refused, reset, or closed before any answer.
- `truncated` (retried): the body ended before its declared length.
- `bad_response`: malformed HTTP (no status line, a broken header line, more than 100 headers or a
  64 KiB header line, `Content-Length: abc`, invalid chunked framing, an unparseable Location). Not retried.
- `bad_encoding`: a broken compressed body, or a Content-Encoding chain of more than MAX_ENCODINGS.
- `too_large`: more than max_bytes after decompression (a gzip bomb stops at the cap).
- `tls_error`: certificate not verifiable (expired, wrong host, unknown CA, missing intermediate) or a
  failed handshake. Never retried, never retried without verification.
- `offsite_url` / `offsite_redirect`: a URL or redirect outside the site's allowed hosts.
- `blocked_address`: a redirect to an IP literal or localhost name that is internal (127/8, ::1,
  169.254.169.254, 10/8, `2130706433`, `0x7f.1` …), or a connection whose resolved address is internal
  (DNS rebinding): refused before connecting. Only the mirror and `trusted_addresses` are exempt.
- `blocked_scheme`: a URL or redirect that is not http(s) (file:, ftp:, data:, gopher:).
- `too_many_redirects`: more than MAX_REDIRECTS hops (loops included).
- `url_too_long`: a URL or redirect target longer than MAX_URL_LENGTH; never requested.
- `unsupported_type`: a 2xx answer whose Content-Type is a binary format (BINARY_TYPES: PDF, zip, Office,
  images …); its body is not read. Not retried.
- `robots_disallowed`, `robots_unavailable`, `crawl_delay_too_large`: see crawler/web/robots.py.
- `blocked`, `soft_404`: WAF pages and soft 404s, see crawler/web/anomalies.py; `host_backoff`: the host is
  backed off (after a block or a long Retry-After) for longer than we wait inline.
- `host_circuit_open` (retryable, with retry_after): CIRCUIT_ERRORS fetches in a row from this host ended
  in a server fault; no worker sends it anything until block_backoff has passed.
"""

from __future__ import annotations

import contextlib
import email.utils
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import HeaderParsingError
from urllib3.util.response import assert_header_parsing

from crawler.errors import FetchFailed
from crawler.settings import Settings
from crawler.sites import Site
from crawler.urls import authority, host_of, names_internal_host
from crawler.web.anomalies import block_reason, check_page
from crawler.web.encoding import decode_html
from crawler.web.politeness import HostBusy, HostThrottle, Turn
from crawler.web.robots import MAX_ROBOTS_BYTES, RobotsCache
from crawler.web.transport import (
    ACTIVE,
    Deadline,
    GuardedAdapter,
    content_encodings,
    content_length_ok,
    is_malformed,
    is_read_timeout,
    redirect_location,
    take_redirect,
)

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 4096  # real notice URLs are under 300 characters; a 10 KB one is a trap or an attack
MAX_ENCODINGS = 2  # "gzip" or "gzip, br" are real; longer chains are only ever decompression attacks
# Media types that are never a page we can read: refused before the body is read (a 200 MB PDF costs
# nothing). A denylist, not an allowlist: misconfigured sites serve HTML as text/plain or octet-stream.
BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                "application/x-zip", "application/x-rar", "application/x-7z", "application/gzip",
                "application/x-gzip", "application/msword", "application/vnd.", "application/x-msdownload")
ERROR_BODY_BYTES = 64 * 1024  # enough of an error page to recognise a WAF challenge
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 524})
# Consecutive fetches of one host that end in a server fault (5xx, timeout, lost connection) before every
# worker stops asking it for block_backoff seconds (Nutch's fetcher.max.exceptions.per.queue).
CIRCUIT_ERRORS = 10
SERVER_FAULTS = frozenset({"timeout", "connection", "truncated"})


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


# -- connections: refuse internal addresses at connect time --------------------------------------


class Fetcher:
    def __init__(self, settings: Settings, throttle: HostThrottle, robots: RobotsCache | None,
                 session: requests.Session | None = None, *, trusted_addresses: Iterable[str] = ()) -> None:
        """`trusted_addresses`: internal addresses (or host names) we may connect to anyway, e.g. a test
        server on 127.0.0.1. The mirror's host is always trusted."""
        self.settings = settings
        self.throttle = throttle
        self.robots = robots
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": settings.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"})
        trusted = set(trusted_addresses)
        if settings.mirror_url:
            trusted.add(host_of(settings.mirror_url))
        adapter = GuardedAdapter(trusted)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    # -- public API ---------------------------------------------------------------------------

    def fetch(self, url: str, site: Site, *, etag: str | None = None, last_modified: str | None = None,
              method: str = "GET", extra_hosts: frozenset[str] = frozenset()) -> Response:
        """Fetch one page of `site`; 304 comes back as a Response with `not_modified`.

        `extra_hosts` admits a notice page on another host that the site links to (the inspected unit's
        own portal): that page, and redirects within that host, only."""
        hosts = site.allowed_hosts | extra_hosts
        self._check_target(url, site, hosts)
        self._check_circuit(url)
        crawl_delay = None
        if self.robots:
            crawl_delay = self.robots.check(url, self.settings.user_agent,
                                            lambda robots: self.fetch_robots(robots, site, hosts))
        # Crawl-delay is a floor under our own rate, never a reason to go faster.
        interval = max(self.min_interval(site), crawl_delay or 0.0)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = self._with_retries(url, site, method, headers, interval, hosts)
        except FetchFailed as exc:
            self._count_outcome(url, exc)
            raise
        self._count_outcome(url, None)
        if not response.not_modified:
            self._check_anomalies(response)
        return response

    def fetch_robots(self, url: str, site: Site, hosts: frozenset[str] | None = None) -> tuple[int, str]:
        """Fetch a robots.txt (same politeness, no robots check of its own). 4xx comes back as a status;
        anything else that fails is `robots_unavailable` (policy in crawler/web/robots.py)."""
        try:
            response = self._with_retries(url, site, "GET", {}, self.min_interval(site),
                                          hosts or site.allowed_hosts, robots=True)
        except FetchFailed as exc:
            if exc.error_class in ("blocked", "host_backoff"):
                raise  # about the host, not its robots.txt: keep the back-off visible
            raise FetchFailed(f"robots.txt {url} is unreadable ({exc.error_class}): {exc}; not crawling until "
                              "it is readable", error_class="robots_unavailable", retryable=True,
                              http_status=exc.http_status) from exc
        return response.status, response.body.decode("utf-8", errors="replace")

    # -- circuit breaker ---------------------------------------------------------------------------

    def _check_circuit(self, url: str) -> None:
        remaining = self.throttle.client.pttl("circuit:" + host_of(url))
        if remaining > 0:
            exc = FetchFailed(f"{host_of(url)} failed {CIRCUIT_ERRORS} fetches in a row; resting it another "
                              f"{remaining / 1000:.0f}s", error_class="host_circuit_open", retryable=True)
            exc.retry_after = remaining / 1000
            raise exc

    def _count_outcome(self, url: str, exc: FetchFailed | None) -> None:
        """Count consecutive server faults per host (shared by all workers); any answer resets the count."""
        host = host_of(url)
        client, errors_key = self.throttle.client, "circuit-errors:" + host
        server_fault = exc is not None and (exc.error_class in SERVER_FAULTS or (exc.http_status or 0) >= 500)
        if exc is not None and not server_fault and exc.http_status is None:
            return  # refused by us (robots, offsite, too large …): says nothing about the server's health
        if not server_fault:
            client.delete(errors_key)
            return
        count = client.incr(errors_key)
        client.expire(errors_key, 3600)
        if count >= CIRCUIT_ERRORS:
            client.set("circuit:" + host, "1", px=max(1, int(self.settings.block_backoff * 1000)))
            client.delete(errors_key)

    def free_in(self, host: str) -> float:
        """Seconds until a request to `host` may start: its gap, a back-off, or an open circuit."""
        return host_free_in(self.throttle, host)

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
                      interval: float, hosts: frozenset[str], *, robots: bool = False) -> Response:
        attempt = 0
        while True:
            try:
                return self._follow_redirects(url, site, method, headers, interval, hosts, robots=robots)
            except FetchFailed as exc:
                if not exc.retryable or exc.error_class in ("blocked", "host_backoff") \
                        or attempt >= self.settings.fetch_retries:
                    raise
                delay = self._backoff(attempt, exc.retry_after)
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
        self._check_length(url)
        if authority(url) not in hosts:
            raise FetchFailed(f"{authority(url)} is not an allowed host of site {site.id}", error_class="offsite_url")

    @staticmethod
    def _check_length(url: str) -> None:
        if len(url) > MAX_URL_LENGTH:
            raise FetchFailed(f"URL of {len(url)} characters, over {MAX_URL_LENGTH}: {url[:200]}…",
                              error_class="url_too_long")

    @contextlib.contextmanager
    def _turn(self, url: str, interval: float) -> Iterator[Turn]:
        """Hold the host for one request (one connection at a time, the minimum gap between requests).
        A host not free within `host_wait` is not waited for: the item is handed back to the queue with a
        countdown, so the worker serves other hosts meanwhile."""
        try:
            with self.throttle.turn(host_of(url), interval, max_wait=self.settings.host_wait,
                                    hold_seconds=self._deadline_seconds() + 5) as turn:
                yield turn
        except HostBusy as exc:  # only the wait for the slot; timeouts of the request itself pass through
            failure = FetchFailed(f"{host_of(url)} is busy or backed off: {exc}", error_class="host_backoff",
                                  retryable=True)
            failure.retry_after = exc.retry_in
            raise failure from exc

    def _deadline_seconds(self) -> float:
        return self.settings.connect_timeout + 2 * self.settings.read_timeout

    def _follow_redirects(self, url: str, site: Site, method: str, headers: dict[str, str],
                          interval: float, hosts: frozenset[str], *, robots: bool = False) -> Response:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            with self._turn(current, interval) as turn, Deadline(self._deadline_seconds()) as deadline:
                try:
                    raw = self._send(current, method, headers)
                    turn.sent_at = deadline.sent_at
                    location = redirect_location(raw)
                    if location is None:
                        return self._finish(url, current, raw, robots=robots)
                    raw.close()  # never read (or decompress) a redirect body
                except FetchFailed as exc:
                    if deadline.expired:
                        raise self._timed_out(current, exc) from exc.__cause__
                    raise
            target = self._redirect_target(current, location)
            self._check_redirect(current, target, site, hosts)
            current, method = target, ("GET" if raw.status_code in (301, 302, 303) else method)
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects from {url}", error_class="too_many_redirects")

    @staticmethod
    def _redirect_target(current: str, location: str) -> str:
        try:
            target = urljoin(current, location.strip())
            urlsplit(target).port  # noqa: B018 - raises on a port that is not a number or out of range
        except ValueError as exc:
            raise FetchFailed(f"{current} redirects to malformed Location {location[:200]!r}: {exc}",
                              error_class="bad_response") from exc
        return target

    @staticmethod
    def _timed_out(url: str, exc: FetchFailed) -> FetchFailed:
        """A read that failed because the deadline shut its socket is a timeout, whatever it looked like."""
        if exc.error_class not in ("connection", "truncated", "bad_response", "bad_encoding"):
            return exc
        return FetchFailed(f"{url} did not finish within the per-request deadline ({exc.error_class}: {exc})",
                           error_class="timeout", retryable=True)

    def _check_redirect(self, source: str, target: str, site: Site, hosts: frozenset[str]) -> None:
        """Checked before connecting to the target: scheme, then the allowed hosts (an internal address
        outside them gets its own class, it is what an SSRF attempt looks like)."""
        if urlsplit(target).scheme not in ("http", "https"):
            raise FetchFailed(f"{source} redirects to non-HTTP {target}", error_class="blocked_scheme")
        self._check_length(target)
        if authority(target) in hosts:
            return
        if names_internal_host(target):
            raise FetchFailed(f"{source} redirects to internal address {target}; refused",
                              error_class="blocked_address")
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
                                        allow_redirects=False, stream=True,
                                        hooks={"response": [take_redirect]})
        except requests.exceptions.SSLError as exc:
            # Before ConnectionError, its parent: a bad certificate is not a network blip to retry.
            raise FetchFailed(f"TLS failed for {url}: {exc}", error_class="tls_error") from exc
        except requests.Timeout as exc:
            raise FetchFailed(f"timed out fetching {url}: {exc}", error_class="timeout", retryable=True) from exc
        except requests.ConnectionError as exc:
            if is_malformed(exc):
                raise FetchFailed(f"malformed HTTP from {url}: {exc}", error_class="bad_response") from exc
            raise FetchFailed(f"cannot connect for {url}: {exc}", error_class="connection", retryable=True) from exc
        except requests.RequestException as exc:
            raise FetchFailed(f"bad request for {url}: {exc}", error_class="bad_request") from exc

    def _check_framing(self, url: str, raw: requests.Response, headers: dict[str, str]) -> None:
        """Refuse answers whose headers cannot be trusted to frame or decode the body. urllib3 only logs
        a broken header line, and the headers after it are lost (Content-Length, Content-Encoding …)."""
        problem = None
        original = getattr(raw.raw, "_original_response", None)
        try:
            if original is not None:
                assert_header_parsing(original.msg)
        except (HeaderParsingError, TypeError) as exc:
            problem = f"unparseable headers ({exc})"
        if not content_length_ok(headers.get("content-length")):
            problem = f"invalid Content-Length {headers['content-length']!r}"
        if problem:
            raw.close()
            raise FetchFailed(f"malformed HTTP from {url}: {problem}", error_class="bad_response")
        encodings = content_encodings(headers)
        if len(encodings) > MAX_ENCODINGS:
            raw.close()
            raise FetchFailed(f"{url} has {len(encodings)} chained content encodings ({', '.join(encodings)}), "
                              f"over {MAX_ENCODINGS}", error_class="bad_encoding")

    @staticmethod
    def _check_type(url: str, raw: requests.Response, headers: dict[str, str]) -> None:
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type.startswith(BINARY_TYPES):
            raw.close()
            raise FetchFailed(f"{url} is {media_type}, not a page", error_class="unsupported_type")

    def _finish(self, url: str, final_url: str, raw: requests.Response, *, robots: bool = False) -> Response:
        headers = {k.lower(): v for k, v in raw.headers.items()}
        self._check_framing(final_url, raw, headers)
        if raw.status_code == 304:
            raw.close()
            return Response(url, final_url, 304, headers)
        if robots and 400 <= raw.status_code < 500:
            raw.close()  # robots.txt 4xx means "no rules"; not a block, not an error (crawler/web/robots.py)
            return Response(url, final_url, raw.status_code, headers)
        if raw.status_code >= 400:
            self._raise_http_error(final_url, raw, headers)
        if robots:  # only the first MAX_ROBOTS_BYTES count, however large the file
            return Response(url, final_url, raw.status_code, headers,
                            self._read_capped(final_url, raw, limit=MAX_ROBOTS_BYTES, truncate=True))
        self._check_type(final_url, raw, headers)
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

    def _read_capped(self, url: str, raw: requests.Response, limit: int | None = None,
                     truncate: bool = False) -> bytes:
        """Read the body, decompressed, refusing more than `limit` bytes (or, with `truncate`, keeping
        only the first `limit`). Memory stays near `limit`: decompression is streamed chunk by chunk.
        The request's deadline (Deadline) bounds the time, however slowly the bytes come."""
        limit = limit or self.settings.max_bytes
        declared = raw.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > limit and "content-encoding" not in raw.headers:
            raw.close()
            raise FetchFailed(f"{url} declares {declared} bytes, over the {limit}-byte cap", error_class="too_large")
        deadline: Deadline | None = getattr(ACTIVE, "deadline", None)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in raw.iter_content(64 * 1024):
                if size + len(chunk) > limit:
                    if truncate:
                        chunks.append(chunk[:limit - size])
                        break
                    raise FetchFailed(f"{url} is larger than the {limit}-byte cap", error_class="too_large")
                size += len(chunk)
                chunks.append(chunk)
        except requests.exceptions.ChunkedEncodingError as exc:
            if is_malformed(exc):
                raise FetchFailed(f"{url} has invalid chunked framing: {exc}", error_class="bad_response") from exc
            raise FetchFailed(f"{url} ended before its declared length: {exc}", error_class="truncated",
                              retryable=True) from exc
        except requests.exceptions.ContentDecodingError as exc:
            raise FetchFailed(f"{url} has a broken compressed body: {exc}", error_class="bad_encoding") from exc
        except requests.exceptions.SSLError as exc:
            raise FetchFailed(f"TLS failed reading {url}: {exc}", error_class="tls_error") from exc
        except requests.Timeout as exc:
            raise FetchFailed(f"timed out reading {url}", error_class="timeout", retryable=True) from exc
        except requests.ConnectionError as exc:
            if is_read_timeout(exc):  # requests reports a read timeout mid-body as a ConnectionError
                raise FetchFailed(f"timed out reading {url}", error_class="timeout", retryable=True) from exc
            raise FetchFailed(f"connection lost reading {url}: {exc}", error_class="truncated",
                              retryable=True) from exc
        finally:
            raw.close()
        if deadline is not None and deadline.expired:
            # A body without Content-Length "ends" when the deadline shuts the socket: it is cut, not whole.
            raise FetchFailed(f"{url} did not finish within the per-request deadline", error_class="timeout",
                              retryable=True)
        return b"".join(chunks)


def host_free_in(throttle: HostThrottle, host: str) -> float:
    """Seconds until any worker may send `host` a request: its gap, a back-off (Retry-After, a WAF page),
    or an open circuit (repeated server faults). Also what `rectify crawl` shows a run waits for."""
    return max(throttle.free_in(host), max(0, throttle.client.pttl("circuit:" + host)) / 1000)
