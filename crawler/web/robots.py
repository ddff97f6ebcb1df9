"""robots.txt, parsed with Protego and cached in Redis for every worker.

Policy (RFC 9309 §2.3.1):
- 2xx: parsed leniently by Protego (garbage lines are ignored); only the first MAX_ROBOTS_BYTES count.
- 4xx, including 401/403: no restrictions, as RFC 9309 says and Nutch and StormCrawler do. A 403 on
  robots.txt is not taken as a WAF block (that is judged on the pages themselves).
- 5xx, timeouts, broken connections, more than MAX_REDIRECTS redirects or a redirect off the site's
  allowed hosts: `robots_unavailable` (retryable),
  "don't crawl yet": no page of the host is requested until robots.txt is readable. Not cached.
- A disallowed URL fails with `robots_disallowed` and is never fetched.
- Crawl-delay is the minimum gap between our requests to the host; one above MAX_CRAWL_DELAY fails with
  `crawl_delay_too_large` (the host is skipped, as Nutch and StormCrawler do) rather than tying up a
  worker for minutes per page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import redis
from protego import Protego

from crawler.errors import FetchFailed

CACHE_SECONDS = 6 * 3600
MAX_ROBOTS_BYTES = 512 * 1024  # Google's limit; the rest of a larger file is ignored
MAX_CRAWL_DELAY = 30.0  # seconds


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
        """Raise if robots.txt forbids `url` or asks for an unreasonable Crawl-delay; return its
        Crawl-delay for us, if any."""
        rules = self.rules(url, download)
        if not rules.can_fetch(url, user_agent):
            raise FetchFailed(f"robots.txt of {urlsplit(url).netloc} disallows {url}", error_class="robots_disallowed")
        delay = rules.crawl_delay(user_agent)
        if delay is not None and delay > MAX_CRAWL_DELAY:
            raise FetchFailed(f"robots.txt of {urlsplit(url).netloc} asks for Crawl-delay {delay:g}s, over our "
                              f"{MAX_CRAWL_DELAY:g}s cap; host skipped", error_class="crawl_delay_too_large")
        return delay
