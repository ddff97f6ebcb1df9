"""www.gdjct.gd.gov.cn — 广东省纪委监委 (南粤清风网), Guangdong gov-cloud CMS (https, UTF-8).

Column 巡视整改 ``/swxsnew/xszg82/`` (evidence: sites.md, Guangdong row, column M). List pages
``index.html`` then ``index_2.html``, ``index_3.html`` — gov-cloud numbering starts at 2 (G, as on
other gd.gov.cn sites). Each page but the last has a static ``<a class="next" href="index_2.html">
下一页</a>``. Items ``<li><a href="https://www.gdjct.gd.gov.cn/swxsnew/xszg82/content/post_ID.html"
title="FULL TITLE">TITLE, cut with … when long</a><span>YYYY-MM-DD</span></li>`` — absolute hrefs
and no date in the URL (``/{column}/content/post_{id}.html`` is evidenced).

The ARTICLE MARKUP IS A GUESS (G): nothing of the current site was captured. We use a plausible
gov-cloud layout: ``div.article > h1.article-title``, ``div.article-info`` (来源 / 发布时间 spans),
``div.article-content p``.

Notices are SYNTHETIC (synthetic.py): 十三届省委第X轮巡视 of fictional Guangdong cities, counties
and provincial units.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from .filler import spread
from .pages import Article, Site, esc, paragraphs
from .synthetic import Unit, news_articles, notice_article, spec_for

HOST = "www.gdjct.gd.gov.cn"
COLUMN = "/swxsnew/xszg82/"
PER_PAGE = 6
TITLE_CHARS = 28  # longer titles are cut in the list (full title in the a@title attribute)

_UNITS = (
    Unit("中共示范市委", "示范市", "示范市委", "市委", "中共示范市委员会"),
    Unit("中共南岭市委", "南岭市", "南岭市委", "市委", "中共南岭市委员会"),
    Unit("中共示范市东湖区委", "示范市东湖区", "东湖区委", "区委", "中共示范市东湖区委员会"),
    Unit("中共南岭市西江区委", "南岭市西江区", "西江区委", "区委", "中共南岭市西江区委员会"),
    Unit("中共海丰示范县委", "海丰示范县", "县委", "县委", "中共海丰示范县委员会"),
    Unit("中共北山县委", "北山县", "北山县委", "县委", "中共北山县委员会"),
    Unit(
        "中共广东某某投资集团有限公司委员会",
        "广东某某投资集团有限公司",
        "集团党委",
        "集团党委",
        "中共广东某某投资集团有限公司委员会",
    ),
    Unit("中共广东省示范厅党组", "省示范厅", "厅党组", "厅党组", "中共广东省示范厅党组"),
    Unit(
        "中共广东示范职业技术大学委员会",
        "广东示范职业技术大学",
        "学校党委",
        "学校党委",
        "中共广东示范职业技术大学委员会",
    ),
    Unit("中共东湾市委", "东湾市", "东湾市委", "市委", "中共东湾市委员会"),
    Unit("中共青溪县委", "青溪县", "青溪县委", "县委", "中共青溪县委员会"),
)
# (round or None, publication window start, count). None: the title names no round or term.
_ROUNDS = (
    (3, date(2023, 5, 4), 3),
    (4, date(2023, 11, 6), 3),
    (5, date(2024, 6, 3), 3),
    (None, date(2024, 9, 2), 2),
)

_NEWS = (
    ("省委巡视组向示范市反馈巡视情况", "根据省委统一部署，省委第二巡视组近日向示范市委反馈巡视情况。"),
    ("十三届省委第六轮巡视完成进驻", "根据省委统一部署，十三届省委第六轮巡视的巡视组近日完成进驻。"),
    ("省委巡视工作领导小组召开会议", "省委巡视工作领导小组近日召开会议，听取十三届省委第五轮巡视情况汇报。"),
    (
        "十三届省委第五轮巡视整改进展情况开始公布",
        "近日，十三届省委第五轮巡视被巡视党组织整改进展情况陆续公布。",
    ),
)


def guangdong_articles() -> list[Article]:
    rng = random.Random("guangdong")
    articles: list[Article] = []
    units = list(_UNITS)
    rng.shuffle(units)
    n = 0
    for round_no, start, count in _ROUNDS:
        for _ in range(count):
            published = datetime.combine(start + timedelta(days=rng.randint(0, 20)), datetime.min.time())
            published = published.replace(hour=rng.randint(9, 18), minute=rng.randrange(0, 60, 5))
            spec = spec_for(
                rng,
                units[n],
                published=published.date(),
                kind="巡视",
                body="省委",
                team=rng.randint(1, 12),
                term=13 if round_no else None,
                round=round_no,
                area="020",
                domain="gdshifan.gov.cn",
            )
            n += 1
            articles.append(notice_article(spec, published, f"gd{n:02d}"))
    dates = spread(datetime(2023, 4, 10), datetime(2024, 10, 8), len(_NEWS), rng)
    return articles + news_articles(list(_NEWS), dates)


def page_file(page: int) -> str:
    """Gov-cloud list file of 1-based page ``page``: index.html, index_2.html, index_3.html …"""
    return "index.html" if page == 1 else f"index_{page}.html"


def list_text(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


class GuangdongSite(Site):
    host = HOST
    scheme = "https"
    site_hint = "guangdong"
    site_name = "广东省纪委监委"
    column_name = "巡视整改"
    list_path = COLUMN + "index.html"
    home_nav = (
        ("首页", "/"),
        ("要闻", "/yw/"),
        ("审查调查", "/scdc/"),
        ("巡视巡察", COLUMN),
        ("党纪法规", "/djfg/"),
        ("廉洁文化", "/ljwh/"),
    )
    id_base = 158_031
    id_step = 23

    def article_path(self, article: Article) -> str:
        return f"{COLUMN}content/post_{article.article_id}.html"

    def _frame(self, title: str, inner: str) -> str:
        nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in self.home_nav)
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title></head><body>\n"
            f'<div class="header"><div class="logo"><a href="/">南粤清风网</a></div><ul class="nav">{nav}</ul></div>\n'
            f"{inner}\n"
            '<div class="footer">主办：中共广东省纪律检查委员会 广东省监察委员会</div>\n</body></html>\n'
        )

    def render_article(self, article: Article) -> str:
        # GUESSED layout (G): the current site's article markup is unknown.
        inner = (
            f'<div class="location">当前位置：<a href="/">首页</a> &gt; 省委巡视 &gt; '
            f'<a href="{COLUMN}">{esc(self.column_name)}</a></div>\n'
            f'<div class="article"><h1 class="article-title">{esc(article.title)}</h1>\n'
            f'<div class="article-info"><span>来源：广东省纪委监委</span>'
            f"<span>发布时间：{article.published:%Y-%m-%d %H:%M:%S}</span></div>\n"
            f'<div class="article-content">\n{paragraphs(article.lines)}</div></div>'
        )
        return self._frame(f"{article.title}-南粤清风网", inner)

    def render_lists(self) -> dict[str, str]:
        items = self.listed_newest_first()
        total = max(1, -(-len(items) // PER_PAGE))
        lists = {}
        for page in range(1, total + 1):
            chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
            lis = "".join(
                f'<li><a href="{self.absolute_url(a.path)}" title="{esc(a.title)}" target="_blank">'
                f"{esc(list_text(a.title))}</a><span>{a.published:%Y-%m-%d}</span></li>\n"
                for a in chunk
            )
            pager = [f'<a href="{page_file(1)}">首页</a>']
            if page > 1:
                pager.append(f'<a class="prev" href="{page_file(page - 1)}">上一页</a>')
            if page < total:
                pager.append(f'<a class="next" href="{page_file(page + 1)}">下一页</a>')
            pager.append(f'<a href="{page_file(total)}">尾页</a>')
            inner = (
                f'<div class="location">当前位置：<a href="/">首页</a> &gt; 省委巡视 &gt; '
                f"{esc(self.column_name)}</div>\n"
                f'<div class="list"><ul>\n{lis}</ul></div>\n<div class="pagination">{"".join(pager)}</div>'
            )
            lists[COLUMN + page_file(page)] = self._frame(f"{self.column_name}-南粤清风网", inner)
        return lists
