"""Which corpus notice is mirrored where, on which date, among which filler — and ``HOSTS``.

Dates are partly SYNTHETIC (the corpus has none for most notices):

* ln*.txt (Liaoning, 2024): every two days from 2024-10-08 in file order — after the
  January 2024 feedback and after the latest event the texts mention (ln35: 2024-09-27).
* pj01.txt (Panjin 巡察): 2020-11-18, two days after its signature date 2020-11-16 (a
  September date would precede the signature).
* sd01.txt: 2020-08-03, the date in its own page chrome ("发布时间:2020-08-03").
* js01.txt: 2020-04-30, three days after its signature date; its title is synthetic too
  (see ``notices.SYNTHETIC_TITLES``).

Column sizes are chosen so pagination is exercised: Liaoning 47 items (5 list pages,
reverse-numbered), Shandong 25 items (3 list pages, sd01 on page 2), Jiangsu 60 records
(js01 is record 50, reachable only through the dataproxy).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from . import faults
from .filler import JIANGSU, LIAONING, SHANDONG, make_filler, spread
from .jiangsu import JiangsuSite
from .liaoning import LiaoningSite
from .notices import CorpusNotice, load_corpus
from .pages import Article, Site
from .shandong import ShandongSite

# The good page on the faults host is a cross-post of this Liaoning notice (same title and date),
# the "same article, several URLs" case a crawler must de-duplicate.
FAULT_OK_CORPUS_ID = "ln02"


def _notice(notice: CorpusNotice, published: datetime) -> Article:
    return Article(notice.title, list(notice.lines), published, corpus_id=notice.corpus_id)


def _dates(seed: str, *ranges: tuple[datetime, datetime, int]) -> list[datetime]:
    rng = random.Random(seed)
    return [d for start, end, count in ranges for d in spread(start, end, count, rng)]


def liaoning_articles() -> list[Article]:
    corpus = load_corpus()
    first = datetime(2024, 10, 8, 9, 0)
    ln_ids = [cid for cid in corpus if cid.startswith("ln")]
    notices = [
        _notice(corpus[cid], first + timedelta(days=2 * i, minutes=(47 * i) % 480))
        for i, cid in enumerate(ln_ids)
    ]
    notices.append(_notice(corpus["pj01"], datetime(2020, 11, 18, 10, 30)))
    dates = _dates("liaoning", (datetime(2024, 6, 3), datetime(2024, 12, 27), 13))
    return notices + make_filler(LIAONING, dates, seed="liaoning")


def shandong_articles() -> list[Article]:
    notice = load_corpus()["sd01"]
    assert notice.chrome_date is not None
    published = datetime.combine(notice.chrome_date, datetime.min.time()).replace(hour=9, minute=30)
    dates = _dates(
        "shandong",
        (datetime(2020, 8, 6), datetime(2020, 10, 29), 14),
        (datetime(2020, 5, 8), datetime(2020, 7, 29), 10),
    )
    return [_notice(notice, published), *make_filler(SHANDONG, dates, seed="shandong")]


def jiangsu_articles() -> list[Article]:
    dates = _dates(
        "jiangsu",
        (datetime(2020, 5, 6), datetime(2020, 9, 28), 49),
        (datetime(2020, 3, 2), datetime(2020, 4, 28), 10),
    )
    notice = _notice(load_corpus()["js01"], datetime(2020, 4, 30, 10, 0))
    return [notice, *make_filler(JIANGSU, dates, seed="jiangsu")]


def build_sites(slow_seconds: float = 10.0, huge_bytes: int = 12 * 1024 * 1024) -> dict[str, Site]:
    """Fresh, mutable site objects for every virtual host (each server gets its own)."""
    liaoning = LiaoningSite(liaoning_articles())
    ok_source = next(a for a in liaoning.articles if a.corpus_id == FAULT_OK_CORPUS_ID)
    ok = Article(ok_source.title, list(ok_source.lines), ok_source.published, corpus_id=FAULT_OK_CORPUS_ID)
    sites: list[Site] = [
        liaoning,
        ShandongSite(shandong_articles()),
        JiangsuSite(jiangsu_articles()),
        faults.FaultsSite(ok, slow_seconds=slow_seconds, huge_bytes=huge_bytes),
    ]
    return {site.host: site for site in sites}


def describe_article(site: Site, article: Article) -> dict[str, Any]:
    return {
        "host": site.host,
        "url": site.absolute_url(article.path),
        "path": article.path,
        "corpus_id": article.corpus_id,
        "title": article.title,
        "published_on": f"{article.published:%Y-%m-%d}",
        "published_at": f"{article.published:%Y-%m-%d %H:%M}",
        "is_notice": article.is_notice,
    }


def _describe_host(site: Site) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "scheme": site.scheme,
        "site_name": site.site_name,
        "list_path": site.list_path,
        "list_url": site.absolute_url(site.list_path),
        "notices": [describe_article(site, a) for a in site.newest_first() if a.is_notice],
        "article_count": len(site.articles),
    }
    if isinstance(site, faults.FaultsSite):
        entry["faults"] = dict(faults.FAULTS)
    return entry


REAL_HOSTS = ("www.lnsjjjc.gov.cn", "www.sdjj.gov.cn", "www.jssjw.gov.cn")

# host -> {scheme, site_name, list_path, list_url, notices: [...], article_count[, faults]}.
HOSTS: dict[str, dict[str, Any]] = {host: _describe_host(site) for host, site in build_sites().items()}


def mirrored_notices(include_faults: bool = False) -> list[dict[str, Any]]:
    """Every corpus notice the mirror serves, one dict per article URL.

    Keys: host, url (real scheme + host + path), path, corpus_id, title, published_on
    (ISO date), published_at ("YYYY-MM-DD HH:MM", Beijing time), is_notice. The three real
    hosts hold each corpus file exactly once; ``include_faults`` adds the faults host's
    good page, a duplicate of ``FAULT_OK_CORPUS_ID``.
    """
    hosts = [*REAL_HOSTS, faults.HOST] if include_faults else list(REAL_HOSTS)
    return [dict(n) for host in hosts for n in HOSTS[host]["notices"]]


def mirrored_articles(host: str) -> list[dict[str, Any]]:
    """All articles of a host's column (notices and filler), newest first."""
    site = build_sites()[host]
    return [describe_article(site, a) for a in site.newest_first()]
