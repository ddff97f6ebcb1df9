"""robots.txt, parsed with Protego and cached in Redis for every worker.

Policy (RFC 9309): 4xx means no restrictions; 5xx or no answer means "don't crawl yet" (the item is
retried later); a disallowed URL fails with `robots_disallowed` and is never fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import redis
from protego import Protego

from crawler.errors import FetchFailed

CACHE_SECONDS = 6 * 3600
MAX_ROBOTS_BYTES = 512 * 1024


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


Download = Callable[[str], tuple[int, str]]


class RobotsCache:
    """The caller passes `download(robots_url) -> (status, text)`, so this module does no HTTP itself."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def rules(self, url: str, download: Download) -> Protego:
        key = "robots:" + robots_url(url)
        cached = self.client.get(key)
        if cached is None:
            text = self._download(robots_url(url), download)
            self.client.set(key, text.encode("utf-8"), ex=CACHE_SECONDS)
        else:
            text = cached.decode("utf-8")
        return Protego.parse(text)

    def _download(self, url: str, download: Download) -> str:
        status, text = download(url)
        if 400 <= status < 500:
            return ""
        if status >= 500:
            raise FetchFailed(f"robots.txt answered {status}; not crawling until it is readable",
                              error_class="robots_unavailable", retryable=True, http_status=status)
        return text[:MAX_ROBOTS_BYTES]

    def check(self, url: str, user_agent: str, download: Download) -> float | None:
        """Raise if robots.txt forbids `url`; return its Crawl-delay for us, if any."""
        rules = self.rules(url, download)
        if not rules.can_fetch(url, user_agent):
            raise FetchFailed(f"robots.txt of {urlsplit(url).netloc} disallows {url}", error_class="robots_disallowed")
        return rules.crawl_delay(user_agent)
