"""www.ccdi.gov.cn — 中央纪委国家监委网站, TRS WCM (https, UTF-8).

Structure per /work/shared/sites/sites.md (CCDI rows, confidence H for markup):

* ``/`` home with the nav bar (首页, 要闻 /yaowenn/, 审查调查 /scdcn/, 巡视巡察 /xsxcn/, 党纪法规 /djfg/,
  国际合作 /gjhzn/ …); only 巡视巡察 leads anywhere on the mirror, the rest are 404 decoys.
* ``/xsxcn`` (no slash) answers 302 to ``https://www.ccdi.gov.cn/xsxcn/`` (the real site 302s on the
  first hit), and so does every other served directory without its slash.
* ``/xsxcn/`` is the 巡视巡察 CHANNEL page, not a notice list: sub-column tabs 中央巡视 ``/xsxcn/zyxs/``,
  巡视整改 ``/xsxcn/xszg/``, 巡察工作 ``/xsxcn/xcgz/`` plus a few headline links. The sub-column
  paths are OUR GUESS (G): sites.md could not find the real sub-column holding the notices.
* ``/xsxcn/xszg/`` = ``index.html``, then ``index_1.html``, ``index_2.html`` … (TRS numbering); the page
  count is only in ``<div class="page"><script>createPageHTML(N, cur, "index", "html");</script></div>``
  (N total pages, cur 0-based), no static next link. Ten items per page in ``ul.list_news_dl2 li``:
  ``<a href="./YYYYMM/tYYYYMMDD_ID.html" target="_blank">`` + ``<span class="more">YYYY-MM-DD</span>``.
* Articles ``/xsxcn/xszg/YYYYMM/tYYYYMMDD_ID.html`` in Template A, copied from the real page
  tests/fixtures/html/ccdi_t20241226_396659_full.html (head meta, ``div.other_Location``,
  ``div.Article_61 > h2.tit``, ``h3.daty > div.daty_con > em.e.e1 / em.e.e2``, ``div.content p``,
  ``createPageHTML_ZW``, hidden ``div#NewsArticleID``).

The notices are SYNTHETIC (see synthetic.py): central-inspection rectification notices of
fictional provinces, central SOEs, agencies and universities, 二十届中央第一至四轮.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from .filler import spread
from .pages import Article, Page, Response, Site, esc
from .synthetic import Unit, news_articles, notice_article, spec_for

HOST = "www.ccdi.gov.cn"
CHANNEL = "/xsxcn/"
COLUMN = "/xsxcn/xszg/"
PER_PAGE = 10
SITE_NAME = "中央纪委国家监委网站"

# (text, href) of the real nav bar (the real one draws images; the mirror uses the link texts).
NAV = (
    ("首页", "/"),
    ("要闻", "/yaowenn/"),
    ("审查调查", "/scdcn/"),
    ("巡视巡察", "/xsxcn/"),
    ("党纪法规", "/djfg/"),
    ("国际合作", "/gjhzn/"),
    ("信息公开", "/xxgkn/"),
    ("理论学习", "/llxx/"),
    ("廉史文化", "/lswhn/wenhua/"),
)
# Sub-columns of the channel: (dir, name). Paths are a guess (G), see the module docstring.
SUBCOLUMNS = (("zyxs", "中央巡视"), ("xszg", "巡视整改"), ("xcgz", "巡察工作"))

_UNITS = (
    Unit("中共示范省委", "示范省", "示范省委", "省委", "中共示范省委"),
    Unit("中共东川省委", "东川省", "东川省委", "省委", "中共东川省委"),
    Unit("中共西岭省委", "西岭省", "西岭省委", "省委", "中共西岭省委"),
    Unit("中共南江省委", "南江省", "南江省委", "省委", "中共南江省委"),
    Unit("中共北原省委", "北原省", "北原省委", "省委", "中共北原省委"),
    Unit("中共云泽省委", "云泽省", "云泽省委", "省委", "中共云泽省委"),
    Unit(
        "中共中国某某能源集团有限公司党组",
        "中国某某能源集团有限公司",
        "集团公司党组",
        "集团公司党组",
        "中共中国某某能源集团有限公司党组",
    ),
    Unit(
        "中共某某建设集团有限公司党组",
        "某某建设集团有限公司",
        "集团公司党组",
        "集团公司党组",
        "中共某某建设集团有限公司党组",
    ),
    Unit(
        "中共某某航运集团有限公司党委",
        "某某航运集团有限公司",
        "集团公司党委",
        "集团公司党委",
        "中共某某航运集团有限公司委员会",
    ),
    Unit("中共国家示范局党组", "国家示范局", "局党组", "局党组", "中共国家示范局党组"),
    Unit("中共某某部党组", "某某部", "部党组", "部党组", "中共某某部党组"),
    Unit("中共示范大学委员会", "示范大学", "学校党委", "学校党委", "中共示范大学委员会"),
    Unit("中共某某科技大学委员会", "某某科技大学", "学校党委", "学校党委", "中共某某科技大学委员会"),
    Unit(
        "中共某某银行股份有限公司委员会",
        "某某银行股份有限公司",
        "银行党委",
        "银行党委",
        "中共某某银行股份有限公司委员会",
    ),
)

# (round, publication month start) of 二十届中央 rounds and how many notices each has here.
_ROUNDS = (
    (1, date(2023, 7, 3), 4),
    (2, date(2024, 1, 8), 5),
    (3, date(2024, 7, 8), 5),
    (4, date(2025, 1, 6), 5),
)

_NEWS = (
    (
        "中央第三巡视组向示范省委反馈巡视情况",
        "根据党中央统一部署，中央第三巡视组近日向示范省委反馈巡视情况。",
    ),
    ("二十届中央第四轮巡视完成进驻", "根据党中央统一部署，二十届中央第四轮巡视的15个巡视组近日完成进驻。"),
    (
        "二十届中央第三轮巡视整改进展情况开始公布",
        "近日，二十届中央第三轮巡视被巡视党组织的整改进展情况陆续向社会公布。",
    ),
    ("中央巡视工作领导小组召开会议", "中央巡视工作领导小组近日召开会议，研究部署下一轮巡视工作。"),
    ("二十届中央第二轮巡视反馈情况综述", "二十届中央第二轮巡视反馈情况综述：以巡视整改实效推动高质量发展。"),
    ("以巡视整改实效推动高质量发展", "巡视整改是巡视工作的“后半篇文章”，必须坚持问题导向，推动解决问题。"),
)
_SIDE_NEWS = {
    "zyxs": (
        (
            "中央第六巡视组向某某部党组反馈巡视情况",
            "根据党中央统一部署，中央第六巡视组近日向某某部党组反馈巡视情况。",
        ),
        ("二十届中央第五轮巡视完成进驻", "二十届中央第五轮巡视的巡视组近日完成进驻，开展常规巡视。"),
        ("中央第一巡视组巡视东川省工作动员会召开", "中央第一巡视组巡视东川省工作动员会近日召开。"),
    ),
    "xcgz": (
        ("推动巡察工作高质量发展", "各地市县巡察机构坚持政治巡察定位，不断提高巡察质量。"),
        ("扎实推进巡视巡察上下联动", "巡视巡察上下联动格局不断完善，监督合力持续增强。"),
    ),
}


def ccdi_articles() -> list[Article]:
    rng = random.Random("ccdi")
    articles: list[Article] = []
    units = list(_UNITS)
    rng.shuffle(units)
    n = 0
    for round_no, month, count in _ROUNDS:
        teams = rng.sample(range(1, 16), count)
        for i in range(count):
            unit = units[n % len(units)]
            published = datetime.combine(month + timedelta(days=rng.randint(0, 25)), datetime.min.time())
            published = published.replace(hour=rng.randint(8, 19), minute=rng.randrange(0, 60, 5))
            spec = spec_for(
                rng,
                unit,
                published=published.date(),
                kind="巡视",
                body="中央",
                team=teams[i],
                term=20,
                round=round_no,
                area="010",
                domain="shifan.gov.cn",
            )
            n += 1
            articles.append(notice_article(spec, published, f"ccdi{n:02d}"))
    dates = spread(datetime(2023, 5, 4), datetime(2025, 2, 20), len(_NEWS), rng)
    return articles + news_articles(list(_NEWS), dates)


def page_file(page: int) -> str:
    """TRS list file of 0-based page ``page``: index.html, index_1.html, …"""
    return "index.html" if page == 0 else f"index_{page}.html"


class CcdiSite(Site):
    host = HOST
    scheme = "https"
    site_hint = "ccdi"
    site_name = SITE_NAME
    column_name = "巡视整改"
    list_path = COLUMN + "index.html"
    home_nav = NAV
    id_base = 371_203
    id_step = 137

    def __init__(self, articles: list[Article]) -> None:
        super().__init__(articles)
        # Side columns of the channel (news only, never notices): their own articles and list page.
        rng = random.Random("ccdi-side")
        self.side: dict[str, list[Article]] = {}
        next_id = 360_001
        for sub, items in _SIDE_NEWS.items():
            dates = spread(datetime(2024, 3, 1), datetime(2025, 3, 1), len(items), rng)
            side = news_articles(list(items), dates)
            for article in side:
                article.article_id = next_id
                next_id += 97
                article.path = self._path(f"/xsxcn/{sub}/", article)
            self.side[sub] = sorted(side, key=lambda a: a.published, reverse=True)

    @staticmethod
    def _path(column: str, article: Article) -> str:
        return f"{column}{article.published:%Y%m}/t{article.published:%Y%m%d}_{article.article_id}.html"

    def article_path(self, article: Article) -> str:
        return self._path(COLUMN, article)

    # -- templates -------------------------------------------------------------------------------
    def _head(self, title: str, column: str, article: Article | None = None) -> str:
        meta = ""
        if article is not None:
            meta = (
                f'<meta name="ArticleTitle" content="{esc(article.title)}">\n'
                f'<meta name="PubDate" content="{article.published:%Y-%m-%d %H:%M} ">\n'
                f'<meta name="ContentSource" content="{SITE_NAME}">\n'
            )
        return (
            "<!DOCTYPE html>\n<html><head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="{HOST}">\n'
            '<meta name="SiteIDCode" content="CA330000000604648580001">\n'
            f'<meta name="ColumnName" content="{esc(column)}">\n<meta name="ColumnType" content="{esc(column)}">\n'
            f"{meta}"
            f"<title>\n        \t{esc(title)}\n        </title>\n"
            '<script type="text/javascript" src="/images/jquery.js"></script>\n'
            "</head>\n"
        )

    def _header(self) -> str:
        nav = "".join(
            f'<span><a href="{href}" target="_blank">{esc(text)}</a></span>\n' for text, href in NAV
        )
        return (
            '<body class="other_bg min_body other_body">\n<header class="other_header fixed">\n'
            '<div class="top"><div class="top_warp"><a href="/">返回首页</a>'
            '<a href="/bqsmn/202004/t20200426_17825.html" target="_blank">版权声明</a></div>'
            '<div class="search"><form name="searchFrom" action="/was5/web/search" method="post">'
            '<input name="channelid" value="298814" type="hidden"><input type="text" name="searchword"></form></div></div>\n'
            f'<div class="nav_bg"><nav>\n{nav}</nav></div>\n</header>\n<div class="clear"></div>\n'
        )

    _FOOTER = (
        '<footer class="in_footer fixed"><div class="footer_warp"><div class="foot_con">'
        "<span>©中共中央纪律检查委员会 中华人民共和国国家监察委员会 版权所有</span>"
        '<span><a href="/gywmn/201412/t20141201_17827.html" target="_blank">关于我们</a></span>'
        "</div></div></footer>\n"
    )

    @staticmethod
    def _location(*crumbs: tuple[str, str | None]) -> str:
        parts = "&nbsp;&nbsp;&gt;&nbsp;".join(
            f'<a href="{href}">{esc(text)}</a>' if href else esc(text) for text, href in crumbs
        )
        return f'<div class="other_Location fixed">\n    <div class="fl"> \n        <span>\n            {parts}\n        </span>\n    </div>\n</div>\n'

    def _render(self, article: Article, column: str) -> str:
        stem = article.path.rsplit("/", 1)[-1].removesuffix(".html")
        body = "".join(
            '<p style="text-align: justify; font-family: 微软雅黑, &quot;Microsoft YaHei&quot;; '
            f'font-size: 16px; line-height: 2em;">　　{esc(line)}</p>'
            for line in article.lines
        )
        location = self._location(("首页", "../../../"), ("巡视巡察", "../../"), (column, "../"))
        return (
            self._head(f"{article.title}————{column}——{SITE_NAME}", column, article)
            + self._header()
            + '<section class="main fixed">\n'
            + location
            + '<div class="flater_tab">\n<div class="Article_61">\n'
            f'<h2 class="tit">\n                        {esc(article.title)}\n                    </h2>\n'
            '<h3 class="daty">\n<div class="daty_con">\n'
            f'<em class="e e1">来源：{SITE_NAME}</em>\n'
            f'<em class="e e2">发布时间：\n                               \n                         '
            f"{article.published:%Y-%m-%d %H:%M}\n                        </em>\n"
            '<em class="e e3"><div class="share_box"><span class="share">分享<b></b></span></div></em>\n'
            "</div>\n</h3>\n"
            f'<div class="content">\n{body}\n</div>\n</div>\n<div class="clear"></div>\n'
            '<div class="page">\n<script type="text/javascript">\n'
            f'    createPageHTML_ZW(1, 0, "{stem}", "html");\t\n</script>\n</div>\n</div>\n</section>\n'
            + self._FOOTER
            + f'<div id="NewsArticleID" style="display:none;">{article.article_id}</div>\n'
            f'<div id="NewsArticleTitle" style="display:none;">{esc(article.title)}</div>\n'
            "<script>var file_appendix=''; var link_appendix='';</script>\n"
            "</body></html>\n"
        )

    def render_article(self, article: Article) -> str:
        return self._render(article, self.column_name)

    def _list_page(self, column: str, items: list[Article], page: int, total: int, base: str) -> str:
        lis = "".join(
            f'<li><a href=".{a.path.removeprefix(base.rstrip("/"))}" target="_blank">{esc(a.title)}</a>'
            f'<span class="more">{a.published:%Y-%m-%d}</span></li>\n'
            for a in items
        )
        return (
            self._head(f"{column}——巡视巡察——{SITE_NAME}", column)
            + self._header()
            + '<section class="main fixed">\n'
            + self._location(("首页", "../../"), ("巡视巡察", "../"), (column, None))
            + f'<div class="other_center">\n<ul class="list_news_dl2">\n{lis}</ul>\n'
            '<div class="page">\n<script type="text/javascript">'
            f'createPageHTML({total}, {page}, "index", "html");</script>\n</div>\n</div>\n</section>\n'
            + self._FOOTER
            + "</body></html>\n"
        )

    def render_lists(self) -> dict[str, str]:
        items = self.listed_newest_first()
        total = max(1, -(-len(items) // PER_PAGE))
        return {
            COLUMN + page_file(page): self._list_page(
                self.column_name, items[page * PER_PAGE : (page + 1) * PER_PAGE], page, total, COLUMN
            )
            for page in range(total)
        }

    def render_channel(self) -> str:
        tabs = "".join(f'<a href="./{sub}/">{name}</a>' for sub, name in SUBCOLUMNS)
        heads = self.listed_newest_first()[:3] + self.side["zyxs"][:2]
        lis = "".join(
            f'<li><div class="title"><a href=".{a.path.removeprefix("/xsxcn")}" target="_blank">{esc(a.title)}</a></div>'
            f'<div class="more">{a.published:%Y-%m-%d}</div></li>\n'
            for a in heads
        )
        return (
            self._head(f"巡视巡察——{SITE_NAME}", "巡视巡察")
            + self._header()
            + '<section class="main fixed">\n'
            + self._location(("首页", "../"), ("巡视巡察", None))
            + f'<div class="tith2 fixed">{tabs}</div>\n'
            f'<div class="other_center"><ul class="list_news_dl fixed">\n{lis}</ul></div>\n</section>\n'
            + self._FOOTER
            + "</body></html>\n"
        )

    def render_home(self) -> str:
        # Headlines are ordinary news (中央巡视 side column); notices are reached through the channel.
        heads = self.side["zyxs"][:2]
        lis = "".join(f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a></li>' for a in heads)
        return (
            self._head(SITE_NAME, "首页")
            + self._header()
            + f'<section class="main fixed"><div class="toutiao"><ul>{lis}</ul></div></section>\n'
            + self._FOOTER
            + "</body></html>\n"
        )

    def pages(self) -> dict[str, Page]:
        pages = super().pages()
        newest = max(a.last_modified for a in self.articles)
        pages[CHANNEL + "index.html"] = Page(self.render_channel().encode("utf-8"), last_modified=newest)
        names = dict(SUBCOLUMNS)
        for sub, items in self.side.items():
            column = f"/xsxcn/{sub}/"
            body = self._list_page(names[sub], items, 0, 1, column)
            pages[column + "index.html"] = Page(body.encode("utf-8"), last_modified=items[0].last_modified)
            for article in items:
                html = self._render(article, names[sub])
                pages[article.path] = Page(html.encode("utf-8"), last_modified=article.last_modified)
        return pages

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        # A served directory asked for without its slash: 302 to the slash form, as the real site
        # does for /xsxcn (TRS/nginx answer with an absolute Location).
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1] and path + "/" in _DIRS:
            target = f"{self.scheme}://{self.host}{path}/"
            body = f'<html><body><a href="{target}">302 Found</a></body></html>'.encode()
            return Response(302, body, headers=[("Location", target)], conditional=False)
        return None


_DIRS = {"/xsxcn/", "/xsxcn/xszg/", "/xsxcn/zyxs/", "/xsxcn/xcgz/"}
