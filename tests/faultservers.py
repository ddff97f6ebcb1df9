"""Small real servers that misbehave on purpose, for tests of crawler/web/fetch.py (matrix rows D1–D28).

Every server binds a loopback address only (127.0.0.1, 127.0.0.2 for a canary, ::1 if the machine has
it) on an ephemeral port, serves from daemon threads, and logs every request with a monotonic timestamp
and a connection id, so a test can assert on what the *server* saw (back-off gaps, zero requests, hop
counts) rather than on what the client says it did.

- `RawServer`: writes arbitrary bytes per path (malformed status lines, broken framing, slowloris …).
- `RouteServer`: a well-behaved HTTP/1.0 server with a route table (redirects, robots.txt variants,
  compression bombs, pagination traps); optionally TLS (`tls_context`).
- `Canary`: a `RouteServer` that only counts hits; nothing should ever reach it.
- `bomb()`, `gzip_chain()`: compressed bodies.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import itertools
import socket
import socketserver
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

LOOPBACK = ("127.0.0.1", "127.0.0.2", "::1")


def _check_loopback(host: str) -> None:
    if host not in LOOPBACK:
        raise ValueError(f"fault servers bind loopback only, not {host}")


class RequestLog:
    """Thread-safe list of {time, end, conn, method, path, host} records, one per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._conn_ids = itertools.count(1)

    def next_conn(self) -> int:
        return next(self._conn_ids)

    def add(self, conn: int, method: str, path: str, host: str = "") -> dict[str, Any]:
        entry = {"time": time.monotonic(), "end": None, "conn": conn, "method": method, "path": path,
                 "host": host}
        with self._lock:
            self._entries.append(entry)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @property
    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def paths(self) -> list[str]:
        return [e["path"] for e in self.entries]

    def times(self, path: str | None = None, prefix: str | None = None) -> list[float]:
        return [e["time"] for e in self.entries
                if (path is None or e["path"] == path) and (prefix is None or e["path"].startswith(prefix))]


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


# -- compressed bodies ---------------------------------------------------------------------------


@functools.cache
def bomb(decompressed_mib: int = 256, wbits: int = 31) -> bytes:
    """`decompressed_mib` MiB of zeros, compressed: gzip (wbits 31) or zlib-wrapped deflate (wbits 15).
    256 MiB become about 260 KB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(1 << 20)
    return b"".join(compressor.compress(zeros) for _ in range(decompressed_mib)) + compressor.flush()


def gzip_chain(body: bytes, times: int) -> bytes:
    for _ in range(times):
        body = gzip.compress(body)
    return body


# -- raw bytes -----------------------------------------------------------------------------------

RawHandler = Callable[[socket.socket], None]


def send_then_close(data: bytes) -> RawHandler:
    return lambda conn: conn.sendall(data)


def slowloris(head: bytes, every: float, max_bytes: int = 200) -> RawHandler:
    """Send the head at once, then one body byte every `every` seconds."""
    def handler(conn: socket.socket) -> None:
        conn.sendall(head)
        for _ in range(max_bytes):
            time.sleep(every)
            conn.sendall(b"x")
    return handler


def never_answer(hold: float = 30.0) -> RawHandler:
    """Accept, read the request, send nothing (until the client gives up or `hold` passes)."""
    def handler(conn: socket.socket) -> None:
        conn.settimeout(hold)
        with contextlib.suppress(OSError):
            while conn.recv(4096):
                pass
    return handler


def endless(head: bytes, total: int = 2 << 30) -> RawHandler:
    """The head, then up to `total` bytes (2 GiB) from one reused buffer, until the client hangs up."""
    def handler(conn: socket.socket) -> None:
        conn.sendall(head)
        block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
        for _ in range(total // len(block)):
            conn.sendall(block)
    return handler


class RawServer:
    """Reads one request head per connection, logs it, then lets the path's handler write anything."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        _check_loopback(host)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.routes: dict[str, RawHandler] = {}
        self.log = RequestLog()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def authority(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.authority}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, self.log.next_conn()), daemon=True).start()

    def _serve(self, conn: socket.socket, conn_id: int) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(30)
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            method, path, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            entry = self.log.add(conn_id, method, path)
            handler = self.routes.get(path, send_then_close(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                                            b"Connection: close\r\n\r\n"))
            try:
                handler(conn)
            finally:
                entry["end"] = time.monotonic()

    def close(self) -> None:
        self._closed = True
        self.sock.close()


# -- a route table over http.server --------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Callable[[str], bytes] = b""  # a callable gets the request path (query included)
    delay: float = 0.0  # seconds before answering

    def content(self, path: str) -> bytes:
        return self.body(path) if callable(self.body) else self.body


def redirect(location: str, status: int = 302) -> Route:
    return Route(status, [("Location", location)], b"moved")


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection: each one resolves and connects anew

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        entry = owner.log.add(self.server.conn_ids.get(id(self.connection), 0), "GET", self.path,
                              self.headers.get("Host", ""))
        try:
            route = owner.route_for(self.path)
            if route.delay:
                time.sleep(route.delay)
            body = route.content(self.path)
            self.send_response(route.status)
            names = {k.lower() for k, _ in route.headers}
            for key, value in route.headers:
                self.send_header(key, value)
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            if "content-type" not in names:
                self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            with contextlib.suppress(OSError):  # a client that stops reading (a bomb in a redirect)
                self.wfile.write(body)
        finally:
            entry["end"] = time.monotonic()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        pass


class _HTTPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: RouteServer
    conn_ids: dict[int, int]

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        if self.owner.tls_context is not None:
            conn = self.owner.tls_context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        self.conn_ids[id(conn)] = self.owner.log.next_conn()
        return conn, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # TLS handshakes that the client rightly aborts, clients that hang up


class RouteServer:
    """HTTP (or HTTPS with `tls_context`) on a loopback address; unknown paths and robots.txt are 404
    unless routed. `prefix_routes` answer every path that starts with a prefix."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, tls_context: ssl.SSLContext | None = None) -> None:
        _check_loopback(host)
        self.host, self.tls_context = host, tls_context
        # A list answers its routes in turn, then keeps answering with the last one.
        self.routes: dict[str, Route | list[Route]] = {}
        self.prefix_routes: dict[str, Route] = {}
        self.log = RequestLog()
        self._lock = threading.Lock()
        server_class = _HTTPServer
        if ":" in host:
            server_class = type("_HTTPServer6", (_HTTPServer,), {"address_family": socket.AF_INET6})
        self.httpd = server_class((host, port), _Handler)
        self.httpd.owner, self.httpd.conn_ids = self, {}
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls_context else 'http'}://{self.authority}"

    def route_for(self, path: str) -> Route:
        bare = path.split("?", 1)[0]
        if path in self.routes or bare in self.routes:
            route = self.routes.get(path) or self.routes[bare]
            if isinstance(route, list):
                with self._lock:
                    return route.pop(0) if len(route) > 1 else route[0]
            return route
        for prefix, route in self.prefix_routes.items():
            if path.startswith(prefix):
                return route
        return Route(404, [], b"not found")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Canary(RouteServer):
    """Counts every request; a test that could reach it asserts `hits == 0`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.prefix_routes["/"] = Route(200, [], b"canary: you should never see this")

    @property
    def hits(self) -> int:
        return len(self.log.entries)


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


def closing_all(servers: Iterable[RawServer | RouteServer]) -> None:
    for server in servers:
        with contextlib.suppress(Exception):
            server.close()
