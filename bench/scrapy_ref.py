"""The reference crawler of bench/crawl_rate: a Scrapy spider over the same hosts, pages, robots and rate.

Run by bench/crawl_rate in its own process (``python -m bench.scrapy_ref --hosts 8 --rate 2 --proxy URL``):
each host's list page, then every notice page it links to, obeying robots.txt, one request per host at a
time and DOWNLOAD_DELAY = 1/r plus the same margin our politeness adds (crawler/web/politeness.py), not
randomised. The mirror is reached as an HTTP proxy (it serves absolute-form requests by their host). The
notice pages are read (their title taken) and nothing is stored: Scrapy is the bound on fetching, not on
the whole pipeline. Prints one JSON line: requests, seconds, CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.web.politeness import GAP_MARGIN


class NoticeSpider(scrapy.Spider):
    name = "notices"

    def __init__(self, hosts: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [f"http://h{h}.bench.test/list/index.html" for h in range(1, hosts + 1)]
        self.pages = 0

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        yield from response.follow_all(css="ul.list a", callback=self.parse_notice)

    def parse_notice(self, response: scrapy.http.Response) -> Iterator[dict[str, Any]]:
        self.pages += 1
        yield {"url": response.url, "title": response.css("title::text").get()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hosts", type=int, default=8)
    ap.add_argument("--rate", type=float, default=2.0)
    ap.add_argument("--proxy", required=True, help="the mirror's URL")
    args = ap.parse_args(argv)
    os.environ["http_proxy"] = args.proxy  # read by Scrapy's HttpProxyMiddleware, robots.txt requests included
    process = CrawlerProcess(settings={
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 1 / args.rate + GAP_MARGIN,
        # not randomised (the setting's name changed in Scrapy 2.14)
        **({"DOWNLOAD_DELAY_JITTER": 0} if _version() >= (2, 14) else {"RANDOMIZE_DOWNLOAD_DELAY": False}),
        "CONCURRENT_REQUESTS": 16 * args.hosts,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "USER_AGENT": "rectify-bench-scrapy",
    })
    crawler = process.create_crawler(NoticeSpider)
    marks: dict[str, float] = {}
    # CPU from the spider's start to its end: Scrapy's and Twisted's imports and set-up are not per request.
    def opened(**_: Any) -> None:
        marks["cpu0"] = _cpu()

    def closed(**_: Any) -> None:
        marks["cpu1"] = _cpu()

    # (Scrapy holds signal handlers by weak reference: these two live as long as main does.)
    crawler.signals.connect(opened, signal=scrapy.signals.spider_opened)
    crawler.signals.connect(closed, signal=scrapy.signals.spider_closed)
    process.crawl(crawler, hosts=args.hosts)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"cpu": marks["cpu1"] - marks["cpu0"], "pages": crawler.spider.pages,
                      "requests": stats.get("downloader/request_count", 0)}))
    return 0


def _version() -> tuple[int, ...]:
    return tuple(int(p) for p in scrapy.__version__.split(".")[:2])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
