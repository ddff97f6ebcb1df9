"""URL canonicalisation: the key that decides whether two URLs name the same notice."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only track the visitor; they never select different content.
TRACKING_PARAMS = frozenset({"spm", "from", "source", "share", "isappinstalled", "fbclid", "gclid"})
# Server session ids (Java, PHP, classic ASP): a new one per visit would make every page look new (a trap).
# Only these unambiguous names; a bare `sid` often selects content on these CMSs.
SESSION_PARAMS = frozenset({"jsessionid", "phpsessid"})
PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.I)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith(("utm_", "aspsessionid")) or name in TRACKING_PARAMS or name in SESSION_PARAMS


def url_key(url: str) -> str:
    """The canonical key of a URL: scheme-less, lower-case host without default port, no fragment,
    no tracking parameters, sorted query, no trailing slash.

    http/https are folded together because the commission sites serve the same page on both. The key,
    read back as a URL, keys to itself (the canonical form of some odd paths settles on a second pass).
    """
    first = _key(url)
    return _key("http://" + first) if first else first


def _key(url: str) -> str:
    canonical = canonicalize_url(PATH_SESSION.sub("", url.strip()), keep_fragments=False)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets, so the key reads back as the same URL
        host = f"[{host}]"
    port = parts.port
    if port and port not in DEFAULT_PORTS.values():  # http and https are folded, so are their ports
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    path = parts.path.rstrip("/;") or "/"  # an empty path parameter (";") is no part of the page's address
    return urlunsplit(("", host, path, query, "")).removeprefix("//")


def absolute(base: str, href: str) -> str | None:
    """Resolve a link against its page; None for links that are not web pages (javascript:, mailto:)."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    try:
        resolved = urljoin(base, href)
        if urlsplit(resolved).scheme not in ("http", "https"):
            return None
    except ValueError:  # not a URL at all (an unclosed IPv6 bracket): a link to nowhere
        return None
    return resolved.split("#", 1)[0]


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # an unclosed IPv6 bracket: no host
        return ""


def authority(url: str) -> str:
    """Host, plus the port when it is not the scheme's default: `a.cn` and `a.cn:8080` are different
    origins, so an allowed host never admits another port on it (a redirect to an internal service)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ":?"
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        return f"{host}:?"
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def ip_literal(host: str) -> IPAddress | None:
    """The address a host string names by itself, in every form a resolver accepts: dotted quads, IPv6
    (brackets already stripped by urlsplit) and the legacy inet_aton forms `2130706433`, `0x7f.1`, `127.1`
    that getaddrinfo would turn into 127.0.0.1 without any DNS."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c.isalnum() or c == "." for c in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_internal_address(address: IPAddress) -> bool:
    """Loopback, private, link-local (cloud metadata 169.254.169.254), reserved …: never a government site."""
    mapped = getattr(address, "ipv4_mapped", None)
    return not (mapped or address).is_global


def names_internal_host(url: str) -> bool:
    """Whether the URL's host is, by itself, an internal address or a localhost name."""
    host = host_of(url).rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = ip_literal(host)
    return address is not None and is_internal_address(address)
