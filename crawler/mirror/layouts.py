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

The hosts added later (CCDI, Guangdong, Beijing, Gansu and two Gansu unit portals) carry
SYNTHETIC notices (synthetic.py) with their expected records; see each host's module.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from . import faults
from .beijing import BeijingSite, beijing_articles
from .ccdi import CcdiSite, ccdi_articles
from .filler import JIANGSU, LIAONING, SHANDONG, make_filler, spread
from .gansu import build_gansu
from .guangdong import GuangdongSite, guangdong_articles
from .jiangsu import JiangsuSite
from .liaoning import LiaoningSite
from .notices import CorpusNotice, load_corpus
from .pages import Article, Site
from .shandong import ShandongSite
from .zoo import zoo_sites

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
        CcdiSite(ccdi_articles()),
        GuangdongSite(guangdong_articles()),
        BeijingSite(beijing_articles()),
        *build_gansu(),
        faults.FaultsSite(ok, slow_seconds=slow_seconds, huge_bytes=huge_bytes),
        *zoo_sites(),  # the CMS zoo (crawler/mirror/zoo/): test hosts *.zoo-*.test
    ]
    return {site.host: site for site in sites}


def describe_article(site: Site, article: Article) -> dict[str, Any]:
    return {
        "host": site.host,
        "url": site.absolute_url(article.path),
        "path": article.path,
        "corpus_id": article.corpus_id,
        "notice_id": article.corpus_id or article.synthetic_id,
        "site_hint": site.site_hint or None,
        "title": article.title,
        "published_on": f"{article.published:%Y-%m-%d}",
        "published_at": f"{article.published:%Y-%m-%d %H:%M}",
        "is_notice": article.is_notice,
        "expected": dict(article.expected) if article.expected is not None else None,
    }


def _describe_host(site: Site) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "scheme": site.scheme,
        "site_name": site.site_name,
        "site_hint": site.site_hint or None,
        "list_path": site.list_path,
        "list_url": site.absolute_url(site.list_path),
        "notices": [describe_article(site, a) for a in site.newest_first() if a.is_notice],
        "article_count": len(site.articles),
    }
    if isinstance(site, faults.FaultsSite):
        entry["faults"] = dict(faults.FAULTS)
    return entry


# The hosts holding the 36 real corpus notices (what mirrored_notices() returns by default).
REAL_HOSTS = ("www.lnsjjjc.gov.cn", "www.sdjj.gov.cn", "www.jssjw.gov.cn")
# The hosts holding SYNTHETIC notices (with expected records): CCDI, Guangdong, Beijing, Gansu and
# the two Gansu unit portals its 集中公布 pages link to.
SYNTHETIC_HOSTS = (
    "www.ccdi.gov.cn",
    "www.gdjct.gd.gov.cn",
    "www.bjsupervision.gov.cn",
    "www.gsjw.gov.cn",
    "www.lzcgq.gov.cn",
    "www.tianzhu.gov.cn",
)

# host -> {scheme, site_name, list_path, list_url, notices: [...], article_count[, faults]}.
HOSTS: dict[str, dict[str, Any]] = {host: _describe_host(site) for host, site in build_sites().items()}


def mirrored_notices(
    include_faults: bool = False, *, include_synthetic: bool = False, hosts: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """The notices the mirror serves, one dict per article URL, newest first per host.

    By default only the 36 real corpus notices on the three ``REAL_HOSTS`` (each corpus file
    exactly once); ``include_faults`` adds the faults host's good page, a duplicate of
    ``FAULT_OK_CORPUS_ID``; ``include_synthetic`` adds every synthetic notice (``SYNTHETIC_HOSTS``);
    ``hosts`` picks exactly those hosts instead (any mirrored host).

    Keys: host, url (real scheme + host + path), path, corpus_id (None for synthetic notices),
    notice_id (corpus id, or the synthetic id such as "ccdi03", "gs07"), site_hint (the crawler's
    site id: liaoning/shandong/jiangsu/ccdi/guangdong/beijing/gansu; the Gansu unit portals say
    "gansu"; None on the faults host), title, published_on (ISO date), published_at
    ("YYYY-MM-DD HH:MM", Beijing time), is_notice, expected (synthetic notices: the record they were
    built from — title, issuer, signed_on, inspection_kind, inspecting_body, term, round, team,
    inspection_start, inspection_end, feedback_on, special_topics, problems_total, problems_done,
    contact_phone, contact_email; None for corpus notices, whose records are in the gold file).
    """
    if hosts is not None:
        chosen = list(hosts)
    else:
        chosen = list(REAL_HOSTS)
        if include_faults:
            chosen.append(faults.HOST)
        if include_synthetic:
            chosen += SYNTHETIC_HOSTS
    return [_copy(n) for host in chosen for n in HOSTS[host]["notices"]]


def _copy(notice: dict[str, Any]) -> dict[str, Any]:
    copy = dict(notice)
    if copy["expected"] is not None:
        copy["expected"] = dict(copy["expected"], special_topics=list(copy["expected"]["special_topics"]))
    return copy


def mirrored_articles(host: str) -> list[dict[str, Any]]:
    """All articles of a host's column (notices and filler), newest first."""
    site = build_sites()[host]
    return [describe_article(site, a) for a in site.newest_first()]
