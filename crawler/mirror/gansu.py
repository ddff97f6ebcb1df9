"""www.gsjw.gov.cn — 甘肃省纪委监委 (甘肃纪检监察网), http, UTF-8 — plus two unit portals.

Evidence (sites.md, Gansu row): the site publishes one "集中公布" page per inspection round, worded
"现在甘肃纪检监察网集中公布十四届省委第四轮巡视整改进展情况，接受干部群众监督。" and signed
"中共甘肃省委巡视工作领导小组办公室 2025年7月31日", followed by the units grouped by team
("省委第一巡视组：兰州市城关区…"), each unit name presumably linking to its notice (M). Everything
else here is a GUESS (G):

* ``/`` has a nav bar whose 巡视巡察 link goes to the list ``/category/xsxc`` (a 2018 crawler saw
  ``/category/jlsc``). Static pages, ten items each, ``<a class="next" href="/category/xsxc/page/2">下一页
  </a>`` on every page but the last. The list mixes news with the 集中公布 items; the notices
  themselves are NOT listed, they are reached only through the 集中公布 pages.
* Articles (news, 集中公布 pages and notices) ``/content/YYYY/MM/DD/{id}.html``: ``h1.title``,
  ``div.info`` ("发布时间：YYYY-MM-DD 来源：…"), ``div.content p``. On a 集中公布 page the unit links are
  ``<a href="/content/2025/07/31/12346.html">兰州市城关区</a>`` — the link text is only the unit name.
* Some unit links point to the notice on the inspected unit's OWN portal, a separate host
  (``PORTALS``: www.lzcgq.gov.cn, www.tianzhu.gov.cn — fictional portals on the mirror) with its
  own layout (``h1``, "发布日期：…", ``div#zoom``). Their home pages link to other pages; a crawler
  must fetch only the linked notice page there.

All notices are SYNTHETIC (synthetic.py); apart from the two portal units named in the task's
example, the units are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .filler import spread
from .pages import Article, Site, esc, paragraphs
from .synthetic import Unit, cn_date, cn_number, news_articles, notice_article, spec_for

HOST = "www.gsjw.gov.cn"
LIST_PATH = "/category/xsxc"
PER_PAGE = 10
OFFICE = "中共甘肃省委巡视工作领导小组办公室"


@dataclass(frozen=True)
class GansuUnit:
    """A unit on a 集中公布 page: link text, notice unit, and the portal host holding its notice
    (None: the notice is on www.gsjw.gov.cn)."""

    name: str
    unit: Unit
    portal: str | None = None


def _u(name: str, org: str, short: str, signature: str, portal: str | None = None) -> GansuUnit:
    return GansuUnit(name, Unit(org, name, org.removeprefix("中共"), short, signature), portal)


# (round, 集中公布 date, {team: [units]}).
ROUNDS: tuple[tuple[int, date, dict[int, list[GansuUnit]]], ...] = (
    (
        4,
        date(2025, 7, 31),
        {
            1: [
                _u(
                    "兰州市城关区", "中共兰州市城关区委", "区委", "中共兰州市城关区委员会", "www.lzcgq.gov.cn"
                ),
                _u("示范市安宁区", "中共示范市安宁区委", "区委", "中共示范市安宁区委员会"),
            ],
            2: [
                _u("陇东示范县", "中共陇东示范县委", "县委", "中共陇东示范县委员会"),
                _u("河西示范市", "中共河西示范市委", "市委", "中共河西示范市委员会"),
            ],
            3: [
                _u(
                    "甘肃某某集团有限责任公司",
                    "中共甘肃某某集团有限责任公司委员会",
                    "集团党委",
                    "中共甘肃某某集团有限责任公司委员会",
                ),
                _u("省示范厅", "中共甘肃省示范厅党组", "厅党组", "中共甘肃省示范厅党组"),
            ],
        },
    ),
    (
        3,
        date(2025, 3, 28),
        {
            1: [
                _u(
                    "天祝藏族自治县",
                    "中共天祝藏族自治县委",
                    "县委",
                    "中共天祝藏族自治县委员会",
                    "www.tianzhu.gov.cn",
                ),
                _u("祁连示范县", "中共祁连示范县委", "县委", "中共祁连示范县委员会"),
            ],
            4: [
                _u("陇南示范区", "中共陇南示范区委", "区委", "中共陇南示范区委员会"),
                _u("甘肃示范大学", "中共甘肃示范大学委员会", "学校党委", "中共甘肃示范大学委员会"),
                _u("黄河示范县", "中共黄河示范县委", "县委", "中共黄河示范县委员会"),
            ],
        },
    ),
)

_NEWS = (
    ("省纪委监委召开常委会会议", "近日，省纪委监委召开常委会会议，研究部署近期重点工作。"),
    ("十四届省委第五轮巡视完成进驻", "根据省委统一部署，十四届省委第五轮巡视的巡视组近日完成进驻。"),
    (
        "省委巡视组向河西示范市反馈巡视情况",
        "根据省委统一部署，省委第二巡视组近日向河西示范市委反馈巡视情况。",
    ),
    ("省委巡视工作领导小组召开会议", "省委巡视工作领导小组近日召开会议，研究巡视整改监督工作。"),
    ("扎实做好巡视“后半篇文章”", "各被巡视党组织认真落实整改主体责任，推动巡视整改走深走实。"),
    ("十四届省委第四轮巡视反馈情况综述", "十四届省委第四轮巡视反馈工作近日全部完成。"),
    ("全省巡察工作推进会召开", "全省巡察工作推进会近日召开，部署推进市县巡察工作。"),
    ("十四届省委第五轮巡视工作动员部署会召开", "十四届省委第五轮巡视工作动员部署会近日召开。"),
    ("省纪委监委通报3起违反中央八项规定精神典型问题", "省纪委监委对近期查处的3起典型问题进行公开通报。"),
    ("十四届省委第三轮巡视完成反馈", "十四届省委第三轮巡视的巡视组近日完成反馈。"),
    ("全省纪检监察干部业务培训班举办", "全省纪检监察干部业务培训班近日举办。"),
    ("省委巡视组进驻示范大学开展巡视", "根据省委统一部署，省委巡视组近日进驻示范大学开展巡视。"),
)


def _gansu_notices(rng: random.Random) -> tuple[list[Article], list[tuple[str, Article]]]:
    """(集中公布 pages and gsjw notices, [(portal host, notice)])."""
    articles: list[Article] = []
    portal: list[tuple[str, Article]] = []
    n = 0
    for round_no, day, teams in ROUNDS:
        index = Article(
            f"十四届省委第{cn_number(round_no)}轮巡视整改进展情况集中公布",
            [],
            datetime.combine(day, datetime.min.time()).replace(hour=9, minute=0),
        )
        groups: list[tuple[int, list[tuple[str, Article]]]] = []
        minute = 0
        for team, units in teams.items():
            linked: list[tuple[str, Article]] = []
            for gu in units:
                n += 1
                minute += 5
                published = index.published + timedelta(minutes=minute)
                spec = spec_for(
                    rng,
                    gu.unit,
                    published=day,
                    kind="巡视",
                    body="省委",
                    team=team,
                    term=14 if rng.random() < 0.8 else None,
                    round=round_no,
                    area="0931",
                    domain="gsshifan.gov.cn",
                )
                notice = notice_article(spec, published, f"gs{n:02d}")
                notice.listed = False
                notice.extra["source"] = spec.org_title
                if gu.portal:
                    portal.append((gu.portal, notice))
                else:
                    articles.append(notice)
                linked.append((gu.name, notice))
            groups.append((team, linked))
        index.extra["round"] = round_no
        index.extra["groups"] = groups
        articles.append(index)
    return articles, portal


def gansu_articles() -> tuple[list[Article], list[tuple[str, Article]]]:
    rng = random.Random("gansu")
    notices, portal = _gansu_notices(rng)
    # Ten list items are newer than the round-3 page, so it sits on list page 2.
    dates = spread(datetime(2025, 4, 8), datetime(2025, 11, 10), 9, rng) + spread(
        datetime(2025, 1, 6), datetime(2025, 3, 10), 3, rng
    )
    return notices + news_articles(list(_NEWS), dates), portal


def page_path(page: int) -> str:
    return LIST_PATH if page == 1 else f"{LIST_PATH}/page/{page}"


class GansuSite(Site):
    host = HOST
    scheme = "http"
    site_hint = "gansu"
    site_name = "甘肃纪检监察网"
    column_name = "巡视巡察"
    list_path = LIST_PATH
    home_nav = (
        ("首页", "/"),
        ("要闻动态", "/category/ywdt"),
        ("审查调查", "/category/jlsc"),
        ("巡视巡察", LIST_PATH),
        ("党纪法规", "/category/djfg"),
        ("宣传教育", "/category/xcjy"),
    )
    id_base = 12_201
    id_step = 1

    def article_path(self, article: Article) -> str:
        return f"/content/{article.published:%Y/%m/%d}/{article.article_id}.html"

    def _frame(self, title: str, inner: str) -> str:
        nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in self.home_nav)
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title></head><body>\n"
            f'<div class="header"><a href="/">{esc(self.site_name)}</a><ul class="nav">{nav}</ul></div>\n'
            f"{inner}\n"
            '<div class="footer">中共甘肃省纪律检查委员会 甘肃省监察委员会 主办</div>\n</body></html>\n'
        )

    def _index_body(self, article: Article) -> str:
        groups = article.extra["groups"]
        lines = [
            f"<p>现在甘肃纪检监察网集中公布十四届省委第{cn_number(article.extra['round'])}轮巡视整改进展情况，"
            "接受干部群众监督。</p>"
        ]
        for team, linked in groups:
            links = "　".join(
                f'<a href="{esc(notice_url(self, notice))}" target="_blank">{esc(name)}</a>'
                for name, notice in linked
            )
            lines.append(f"<p>省委第{cn_number(team)}巡视组：{links}</p>")
        lines.append(f'<p style="text-align: right;">{OFFICE}</p>')
        lines.append(f'<p style="text-align: right;">{cn_date(article.published.date())}</p>')
        return "\n".join(lines) + "\n"

    def render_article(self, article: Article) -> str:
        source = article.extra.get("source", "甘肃省纪委监委")
        body = self._index_body(article) if "groups" in article.extra else paragraphs(article.lines)
        inner = (
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{LIST_PATH}">巡视巡察</a></div>\n'
            f'<div class="article"><h1 class="title">{esc(article.title)}</h1>\n'
            f'<div class="info">发布时间：{article.published:%Y-%m-%d} 来源：{esc(source)}</div>\n'
            f'<div class="content">\n{body}</div></div>'
        )
        return self._frame(f"{article.title}-{self.site_name}", inner)

    def render_lists(self) -> dict[str, str]:
        items = self.listed_newest_first()
        total = max(1, -(-len(items) // PER_PAGE))
        lists = {}
        for page in range(1, total + 1):
            chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
            lis = "".join(
                f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>\n'
                for a in chunk
            )
            pager = ""
            if page > 1:
                pager += f'<a class="prev" href="{page_path(page - 1)}">上一页</a>'
            if page < total:
                pager += f'<a class="next" href="{page_path(page + 1)}">下一页</a>'
            inner = (
                f'<div class="position">当前位置：<a href="/">首页</a> &gt; 巡视巡察</div>\n'
                f'<div class="list"><ul>\n{lis}</ul></div>\n<div class="pages">{pager}</div>'
            )
            lists[page_path(page)] = self._frame(f"巡视巡察-{self.site_name}", inner)
        return lists


def notice_url(site: GansuSite, notice: Article) -> str:
    """Where a 集中公布 link points: a path on gsjw, or the absolute URL on the unit's portal."""
    portal = notice.extra.get("portal")
    return f"http://{portal}{notice.path}" if portal else notice.path


class PortalSite(Site):
    """A county/district government portal holding one notice of its own (fictional on the mirror).

    Layout: ``h1``, ``div.info`` "发布日期：YYYY-MM-DD 来源：…", ``div#zoom p``. The home page links to
    a news list and a news page (served), never to the notice: only the 集中公布 link leads there.
    """

    scheme = "http"
    site_hint = "gansu"
    column_name = "通知公告"
    id_step = 3

    def __init__(self, host: str, site_name: str, notice: Article, id_base: int) -> None:
        self.host = host
        self.site_name = site_name
        self.id_base = id_base
        self.list_path = "/xwzx/tzgg/"
        news = Article(
            f"{site_name.removesuffix('人民政府')}召开巡视整改工作推进会",
            ["近日，召开巡视整改工作推进会，听取整改工作进展情况汇报，部署下一阶段工作。"],
            notice.published - timedelta(days=20),
        )
        super().__init__([news, notice])
        notice.extra["portal"] = host

    def article_path(self, article: Article) -> str:
        p = article.published
        return f"/xwzx/tzgg/{p:%Y%m}/t{p:%Y%m%d}_{article.article_id}.html"

    def render_article(self, article: Article) -> str:
        source = article.extra.get("source", self.site_name)
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{esc(article.title)}</title></head><body>\n"
            f'<div class="top"><a href="/">{esc(self.site_name)}</a></div>\n'
            f"<h1>{esc(article.title)}</h1>\n"
            f'<div class="info">发布日期：{article.published:%Y-%m-%d} 来源：{esc(source)}</div>\n'
            f'<div id="zoom">\n{paragraphs(article.lines)}</div>\n</body></html>\n'
        )

    def render_lists(self) -> dict[str, str]:
        # The portal's news list shows only its ordinary news, not the notice.
        lis = "".join(
            f'<li><a href="{a.path}">{esc(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>'
            for a in self.newest_first()
            if a.expected is None
        )
        return {
            self.list_path + "index.html": '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>通知公告</title></head><body><ul>{lis}</ul></body></html>\n"
        }

    def render_home(self) -> str:
        news = "".join(
            f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.articles if a.expected is None
        )
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{esc(self.site_name)}</title></head><body>\n"
            '<div class="nav"><a href="/">首页</a><a href="/xwzx/tzgg/">通知公告</a><a href="/zwgk/">政务公开</a>'
            '<a href="/bsfw/">办事服务</a></div>\n'
            f'<ul class="news">{news}</ul>\n'
            "</body></html>\n"
        )


PORTAL_NAMES = {"www.lzcgq.gov.cn": "兰州市城关区人民政府", "www.tianzhu.gov.cn": "天祝藏族自治县人民政府"}


def build_gansu() -> list[Site]:
    """The Gansu commission host and the unit portals its 集中公布 pages link to."""
    articles, portal = gansu_articles()
    portals = [
        PortalSite(host, PORTAL_NAMES[host], notice, id_base=4_501 + 1_000 * i)
        for i, (host, notice) in enumerate(portal)
    ]
    # The portals set notice.extra["portal"], which the 集中公布 pages (rendered later) link through.
    return [GansuSite(articles), *portals]
