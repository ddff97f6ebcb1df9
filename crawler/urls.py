"""URL canonicalisation: the key that decides whether two URLs name the same notice."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only track the visitor; they never select different content.
TRACKING_PARAMS = frozenset({"spm", "from", "source", "share", "isappinstalled", "fbclid", "gclid"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    return name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMS


def url_key(url: str) -> str:
    """The canonical key of a URL: scheme-less, lower-case host without default port, no fragment,
    no tracking parameters, sorted query, no trailing slash.

    http/https are folded together because the commission sites serve the same page on both.
    """
    canonical = canonicalize_url(url.strip(), keep_fragments=False)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and port != DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, query, "")).removeprefix("//")


def absolute(base: str, href: str) -> str | None:
    """Resolve a link against its page; None for links that are not web pages (javascript:, mailto:)."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    resolved = urljoin(base, href)
    if urlsplit(resolved).scheme not in ("http", "https"):
        return None
    return resolved.split("#", 1)[0]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def authority(url: str) -> str:
    """Host, plus the port when it is not the scheme's default: `a.cn` and `a.cn:8080` are different
    origins, so an allowed host never admits another port on it (a redirect to an internal service)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        return f"{host}:?"
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"
