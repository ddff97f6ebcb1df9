"""The connection layer under crawler/web/fetch.py: checked and pinned addresses, a hard deadline per
request, and the low-level reading of what a server sent (redirects, framing, encodings)."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Iterator

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.models import REDIRECT_STATI
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HeaderParsingError, InvalidChunkLength, NameResolutionError, ReadTimeoutError

from crawler.errors import FetchFailed
from crawler.urls import is_internal_address


class AddressGuard:
    """Mixed into urllib3's connections: resolve the host once, refuse internal addresses, and connect to
    the validated address itself, so a second DNS answer (rebinding) can never be used unchecked."""

    trusted: frozenset[str] = frozenset()
    host: str
    port: int
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        addresses = self._checked_addresses()
        name, last_error = self._dns_host, None
        for address in addresses:
            # urllib3 connects to _dns_host; it is restored before the TLS handshake, which checks the name.
            self._dns_host = address
            try:
                return super()._new_conn()  # type: ignore[misc]
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
                last_error = exc
            finally:
                self._dns_host = name
        raise last_error  # type: ignore[misc]

    def _checked_addresses(self) -> list[str]:
        try:
            infos = socket.getaddrinfo(self._dns_host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        allowed = [a for a in found if self._allowed(a)]
        if not allowed:
            raise FetchFailed(f"{self.host} resolves to {', '.join(found)}, an internal address; not connecting",
                              error_class="blocked_address")
        return allowed

    def _allowed(self, address: str) -> bool:
        if self.host in self.trusted or address in self.trusted:
            return True
        return not is_internal_address(ipaddress.ip_address(address.split("%", 1)[0]))

    def getresponse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Register the socket with this thread's request deadline before blocking on the answer."""
        deadline = getattr(ACTIVE, "deadline", None)
        if deadline is not None:
            deadline.sent_at = deadline.sent_at or time.monotonic()  # the request is out (politeness)
            deadline.watch(self.sock)  # type: ignore[attr-defined]
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class GuardedAdapter(HTTPAdapter):
    """requests adapter whose direct connections go through `AddressGuard`. Connections through a
    configured proxy are not guarded: the proxy is the operator's and it resolves the target itself."""

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        trusted_set = frozenset(trusted)
        http_conn = type("GuardedHTTPConnection", (AddressGuard, HTTPConnection), {"trusted": trusted_set})
        https_conn = type("GuardedHTTPSConnection", (AddressGuard, HTTPSConnection), {"trusted": trusted_set})
        self._pools = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pools)


class Deadline:
    """A wall-clock limit on one request. Socket timeouts apply per read, so a server that sends one
    byte every few seconds never trips them; at the deadline this shuts the sockets down, which makes
    the blocked read return at once."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self.sent_at: float | None = None  # when the request had gone out (time.monotonic())
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        # The plain-socket method, so an SSL socket's state is left to the reading thread.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def __enter__(self) -> Deadline:
        ACTIVE.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        ACTIVE.deadline = None


ACTIVE = threading.local()  # the deadline of the request this thread is making


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests → urllib3 → http.client nest several deep)."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])


def is_malformed(exc: BaseException) -> bool:
    """Broken HTTP from the server, as opposed to a lost connection (RemoteDisconnected, IncompleteRead)."""
    for cause in causes(exc):
        if isinstance(cause, InvalidChunkLength | HeaderParsingError):
            return True
        if isinstance(cause, http.client.HTTPException) and not isinstance(
                cause, http.client.RemoteDisconnected | http.client.IncompleteRead):
            return True
    return False


def take_redirect(response: requests.Response, *args: object, **kwargs: object) -> requests.Response:
    """Response hook: move a redirect's Location out of requests' sight. Even with allow_redirects=False,
    requests resolves the next hop itself (Session.send → resolve_redirects): it reads the whole body,
    decompressed (a gzip bomb in a 302), and crashes with a bare ValueError on a Location such as
    `http://[::1`. We follow redirects ourselves and never need their bodies."""
    if response.status_code in REDIRECT_STATI and "location" in response.headers:
        response.raw.close()
        response.redirect_location = response.headers.pop("location")  # type: ignore[attr-defined]
    return response


def redirect_location(raw: requests.Response) -> str | None:
    """The redirect target as sent; a UTF-8 Location that http.client decoded as Latin-1 is repaired."""
    location = getattr(raw, "redirect_location", None)
    if location is None:
        return None
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location


def is_read_timeout(exc: BaseException) -> bool:
    return any(isinstance(c, ReadTimeoutError | TimeoutError) for c in causes(exc))


def content_length_ok(value: str | None) -> bool:
    """Absent, or one non-negative integer (possibly repeated, as "42, 42")."""
    if value is None:
        return True
    parts = {p.strip() for p in value.split(",")}
    return len(parts) == 1 and parts.pop().isdigit()


def content_encodings(headers: dict[str, str]) -> list[str]:
    return [e for e in (p.strip().lower() for p in headers.get("content-encoding", "").split(","))
            if e and e != "identity"]


