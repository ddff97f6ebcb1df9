"""One local HTTP server that impersonates several commission sites by ``Host`` header.

The crawler connects to ``MirrorServer.url`` (127.0.0.1) but sends the real site's Host
header (``Host: www.lnsjjjc.gov.cn``); the server picks the virtual host from it (an
absolute-form request target such as ``GET http://www.sdjj.gov.cn/… HTTP/1.1``, as sent to a
proxy, works too). Unknown hosts get 404. Every request is logged, pages answer conditional
GETs, and tests can change pages while the server runs.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .faults import HOST as FAULTS_HOST
from .faults import FaultsSite
from .layouts import build_sites, describe_article
from .pages import HTML_UTF8, Article, Page, Response, Site, html_response, http_date, strong_etag, text_lines

# Tried in order when a directory URL is requested, as the real web servers do.
DIRECTORY_INDEXES = ("index.html", "index.htm", "index.shtml", "indexHome.shtml")
KEEPALIVE_IDLE_SECONDS = 30


class MirrorServer:
    """``ThreadingHTTPServer`` on 127.0.0.1 serving every mirrored host from one port.

    Use as ``with MirrorServer() as server: requests.get(server.url + path, headers={"Host": host})``.
    """

    def __init__(
        self,
        port: int = 0,
        *,
        log_path: str | Path | None = None,
        slow_seconds: float = 10.0,
        huge_bytes: int = 12 * 1024 * 1024,
        bind: str = "127.0.0.1",
    ) -> None:
        self._requested_port = port
        self._bind = bind
        self.log_path = Path(log_path) if log_path else None
        self._sites: dict[str, Site] = build_sites(slow_seconds=slow_seconds, huge_bytes=huge_bytes)
        self._pages: dict[str, dict[str, Page]] = {host: site.pages() for host, site in self._sites.items()}
        self._lock = threading.Lock()
        self._log: list[dict[str, Any]] = []
        self._stopping = threading.Event()
        # Seconds added to every answer: a slow site, to show politeness holds while responses overlap.
        self.latency = 0.0
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> MirrorServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer((self._bind, self._requested_port), _Handler)
        self._httpd.mirror = self
        # A short poll interval keeps stop() fast (shutdown() waits for the next poll).
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="mirror-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes handlers waiting in a slow response
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # idle keep-alive connections must not outlive the server
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("MirrorServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._bind}:{self.port}"

    @property
    def hosts(self) -> list[str]:
        with self._lock:
            return list(self._pages)

    # -- fault knobs -------------------------------------------------------------------------
    @property
    def slow_seconds(self) -> float:
        return self._faults().slow_seconds

    @slow_seconds.setter
    def slow_seconds(self, value: float) -> None:
        self._faults().slow_seconds = value

    @property
    def huge_bytes(self) -> int:
        return self._faults().huge_bytes

    @huge_bytes.setter
    def huge_bytes(self, value: int) -> None:
        self._faults().huge_bytes = value

    def _faults(self) -> FaultsSite:
        site = self._sites[FAULTS_HOST]
        assert isinstance(site, FaultsSite)
        return site

    # -- request log -------------------------------------------------------------------------
    @property
    def requests(self) -> list[dict[str, Any]]:
        """Snapshot of the request log, in completion order."""
        with self._lock:
            return [dict(entry) for entry in self._log]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def _record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._log.append(entry)
            if self.log_path is not None:
                with self.log_path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    # -- run-time changes --------------------------------------------------------------------
    def reset(self) -> None:
        """Undo every run-time change (set_page, remove_page, restore_page, edit_notice, add_article, slow/huge
        settings): the mirror serves its generated sites again. Tests call it between tests."""
        sites = build_sites()
        with self._lock:
            self.latency = 0.0
            self._sites = sites
            self._pages = {host: site.pages() for host, site in sites.items()}

    def set_page(
        self,
        host: str,
        path: str,
        body: bytes,
        content_type: str = HTML_UTF8,
        *,
        status: int = 200,
        last_modified: datetime | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Add or override one page (a new host is created if needed); it takes precedence over
        the generated page or dynamic route at that path."""
        page = Page(body, content_type, last_modified or datetime.now(UTC), status, tuple(headers))
        with self._lock:
            self._pages.setdefault(host.lower(), {})[path] = page

    def remove_page(self, host: str, path: str) -> None:
        """Make a page answer 404 from now on (list pages still link to it, as on a real site)."""
        with self._lock:
            self._pages.get(host.lower(), {}).pop(path, None)

    def restore_page(self, host: str, path: str) -> None:
        """Serve an article's own page again after set_page or remove_page (a notice taken down and put
        back): the same body, ETag and Last-Modified as before, so a conditional GET answers 304."""
        with self._lock:
            site = self._site(host)
            self._pages[host.lower()][path] = site.article_page(site.find(path))

    def edit_notice(self, host: str, path: str, new_text: str, title: str | None = None) -> str:
        """Replace an article's body with the non-blank lines of ``new_text`` (and optionally its
        title, which also updates the list pages). Last-Modified becomes now. Returns the new ETag."""
        with self._lock:
            changed = self._site(host).edit(path, new_text, title)
            self._pages[host.lower()].update(changed)
            return changed[path].etag

    def add_article(
        self,
        host: str,
        title: str,
        text: str,
        published: datetime | None = None,
        corpus_id: str | None = None,
    ) -> dict[str, Any]:
        """Publish a new article at the top of the host's column (list pages re-render, so older
        items shift towards later pages). ``published`` is Beijing wall-clock time. Returns the
        same dict shape as ``mirrored_notices()``."""
        when = published or datetime.now().replace(second=0, microsecond=0)
        with self._lock:
            site = self._site(host)
            article, changed = site.add(Article(title, text_lines(text), when, corpus_id=corpus_id))
            self._pages[host.lower()].update(changed)
            return describe_article(site, article)

    def _site(self, host: str) -> Site:
        try:
            return self._sites[host.lower()]
        except KeyError:
            raise KeyError(f"unknown mirrored host {host!r}") from None

    # -- request handling (called from handler threads) --------------------------------------
    def _route(self, method: str, host: str, path: str, params: dict[str, str]) -> Response:
        # Under the lock: dynamic routes read the same article lists that add_article() changes.
        with self._lock:
            pages = self._pages.get(host)
            if pages is None:
                return html_response(404, f"404 unknown host {host}")
            page = pages.get(path)
            if page is None and path.endswith("/"):
                page = next((pages[path + name] for name in DIRECTORY_INDEXES if path + name in pages), None)
            if page is None:
                site = self._sites.get(host)
                dynamic = site.dynamic(method, path, params) if site is not None else None
                return dynamic or html_response(404, "404 Not Found")
        if method not in ("GET", "HEAD"):
            response = html_response(405, "405 Method Not Allowed")
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        return Response.from_page(page)

    def _wait(self, seconds: float) -> bool:
        """Sleep for a slow response; False when the server is stopping meanwhile."""
        return not self._stopping.wait(seconds)


def _not_modified(headers: Any, response: Response) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since; ETags compare weakly here."""
    if not isinstance(response.body, bytes):
        return False
    inm = headers.get("If-None-Match")
    if inm is not None:
        etag = strong_etag(response.body)
        tags = {tag.strip().removeprefix("W/") for tag in inm.split(",")}
        return "*" in tags or etag in tags
    ims = headers.get("If-Modified-Since")
    if ims is None or response.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return response.last_modified.replace(microsecond=0) <= since


def _split_target(target: str, host_header: str) -> tuple[str, str]:
    """(virtual host, path with query) from the request target and Host header."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        host = parts.hostname or ""
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
    else:
        host = host_header.strip().lower()
        if host.startswith("["):  # bracketed IPv6 literal
            host = host.split("]")[0] + "]"
        else:
            host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return host.lower().rstrip("."), target or "/"


def _params(query: str, body: bytes, content_type: str) -> dict[str, str]:
    """Query-string parameters, completed by a form-encoded POST body."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    if body and "application/x-www-form-urlencoded" in content_type:
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            params.setdefault(key, value)
    return params


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for idle keep-alive connections
    mirror: MirrorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-response (size caps, timeouts) are expected here, not errors to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so per-connection politeness is observable
    server_version = "MirrorHTTP/1.0"
    timeout = KEEPALIVE_IDLE_SECONDS
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus the client's
        # delayed ACK stalls every keep-alive response by ~40 ms.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.mirror._lock:
            self.server.mirror._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.mirror._lock:
            self.server.mirror._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:  # name required by http.server
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the request log replaces it
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self, method: str) -> None:
        mirror = self.server.mirror
        started = time.monotonic()
        host, target = _split_target(self.path, self.headers.get("Host", ""))
        raw_path, _, query = target.partition("?")
        body = self._read_body()
        params = _params(query, body, self.headers.get("Content-Type", ""))
        if mirror.latency:
            time.sleep(mirror.latency)
        try:
            response = mirror._route(method, host, unquote(raw_path) or "/", params)
        except Exception:  # a bug in a page builder must show up as a 500, not a hung client
            traceback.print_exc()
            response = html_response(500, "500 mirror error")
        entry = {
            "time": started,
            "host": host,
            "method": method,
            "path": target,
            "status": response.status,
            "bytes": 0,
            "client_port": self.client_address[1],
            "user_agent": self.headers.get("User-Agent", ""),
            "duration": 0.0,
        }
        self._entry: dict[str, Any] | None = entry
        if response.delay and not mirror._wait(response.delay):
            self.close_connection = True  # server stopping: drop the request unanswered
            self._commit(0, status=0)
            return
        revalidating = response.conditional and response.status == 200 and method in ("GET", "HEAD")
        status = 304 if revalidating and _not_modified(self.headers, response) else response.status
        try:
            self._write(method, response, status)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # client gave up (e.g. a size limit); log what went out
            self._commit(self._sent, status=status)

    def _commit(self, sent: int, status: int) -> None:
        """Log the exchange once. Called just before the last bytes go out, so a client that has
        its complete response always finds the request in the log."""
        entry, self._entry = self._entry, None
        if entry is not None:
            entry.update(status=status, bytes=sent, duration=round(time.monotonic() - entry["time"], 4))
            self.server.mirror._record(entry)

    def _write(self, method: str, response: Response, status: int) -> None:
        """Send status, headers and (unless HEAD/304) the body."""
        self._sent = 0
        self.send_response(status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.conditional and isinstance(response.body, bytes):
            self.send_header("ETag", strong_etag(response.body))
            if response.last_modified is not None:
                self.send_header("Last-Modified", http_date(response.last_modified))
        if isinstance(response.body, bytes):
            with_body = status != 304 and method != "HEAD"
            if status != 304:
                self.send_header("Content-Length", str(len(response.body)))
            self._commit(len(response.body) if with_body else 0, status)
            self.end_headers()
            if with_body:
                self.wfile.write(response.body)
                self._sent = len(response.body)
            return
        # Streamed: chunked transfer coding, deliberately without Content-Length.
        self.send_header("Transfer-Encoding", "chunked")
        if method == "HEAD":
            self._commit(0, status)
            self.end_headers()
            return
        self.end_headers()
        for chunk in response.body:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self._sent += len(chunk)
        self._commit(self._sent, status)
        self.wfile.write(b"0\r\n\r\n")
