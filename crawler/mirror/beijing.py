"""www.bjsupervision.gov.cn — 北京市纪委监委 (北京纪检监察网), TRS (http only, UTF-8).

Column 巡视巡察反馈（市委巡视+区委巡察） ``/zt/shejswxc/xsfk/`` (evidence: sites.md, Beijing row, M):
``index.html``, ``index_1.html`` … with the page count only in
``<div class="page"><script>createPageHTML(N, cur, "index", "html");</script></div>`` as on CCDI
(the index_N numbering is inferred there, not verified page by page). Items
``<li><a href="./lzbj/YYYYMM/tYYYYMMDD_ID.html" title="…">…</a><span>YYYY-MM-DD</span></li>``;
articles ``/zt/shejswxc/xsfk/lzbj/YYYYMM/tYYYYMMDD_ID.html`` with the 2019 markup (L):
``div.detail > h1``, ``span.detail-span`` ("来源 | 北京市纪委监委 YYYY-MM-DD"), ``div.TRS_Editor p``.

The list mixes 巡视 notices (市委巡视 of districts and municipal units: inspecting body 市委) and
巡察 notices (区委巡察 of streets and district departments: inspecting body 区委), all SYNTHETIC
(synthetic.py) with fictional names, plus filler news.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from .filler import spread
from .pages import Article, Site, esc, paragraphs
from .synthetic import Unit, news_articles, notice_article, spec_for

HOST = "www.bjsupervision.gov.cn"
COLUMN = "/zt/shejswxc/xsfk/"
SUBDIR = "lzbj/"
PER_PAGE = 10

_XUNSHI = (
    Unit("中共北京市示范区委", "示范区", "示范区委", "区委", "中共北京市示范区委员会"),
    Unit("中共北京市东坊区委", "东坊区", "东坊区委", "区委", "中共北京市东坊区委员会"),
    Unit("中共北京市西山区委", "西山区", "西山区委", "区委", "中共北京市西山区委员会"),
    Unit("中共北京市示范局党组", "市示范局", "局党组", "局党组", "中共北京市示范局党组"),
    Unit(
        "中共北京某某控股集团有限责任公司委员会",
        "北京某某控股集团有限责任公司",
        "集团党委",
        "集团党委",
        "中共北京某某控股集团有限责任公司委员会",
    ),
    Unit("中共北京示范学院委员会", "北京示范学院", "学院党委", "学院党委", "中共北京示范学院委员会"),
    Unit("中共北京市某某委员会党组", "市某某委员会", "委党组", "委党组", "中共北京市某某委员会党组"),
    Unit("中共北京市北苑区委", "北苑区", "北苑区委", "区委", "中共北京市北苑区委员会"),
    Unit("中共北京市南湖区委", "南湖区", "南湖区委", "区委", "中共北京市南湖区委员会"),
)
_XUNCHA = (
    Unit(
        "中共示范区东湖街道工作委员会",
        "东湖街道党工委",
        "街道党工委",
        "街道党工委",
        "中共北京市示范区东湖街道工作委员会",
    ),
    Unit(
        "中共示范区西苑街道工作委员会",
        "西苑街道党工委",
        "街道党工委",
        "街道党工委",
        "中共北京市示范区西苑街道工作委员会",
    ),
    Unit(
        "中共东坊区市场监督管理局党组",
        "区市场监督管理局党组",
        "局党组",
        "局党组",
        "中共北京市东坊区市场监督管理局党组",
    ),
    Unit("中共东坊区某某镇委员会", "某某镇党委", "镇党委", "镇党委", "中共北京市东坊区某某镇委员会"),
    Unit("中共西山区教育委员会", "区教委", "区教委党委", "区教委", "中共北京市西山区教育委员会"),
    Unit(
        "中共西山区卫生健康委员会党组",
        "区卫生健康委党组",
        "委党组",
        "委党组",
        "中共北京市西山区卫生健康委员会党组",
    ),
    Unit(
        "中共北苑区北湖街道工作委员会",
        "北湖街道党工委",
        "街道党工委",
        "街道党工委",
        "中共北京市北苑区北湖街道工作委员会",
    ),
)

_NEWS = (
    ("十三届市委第四轮巡视完成进驻", "根据市委统一部署，十三届市委第四轮巡视的巡视组近日完成进驻。"),
    ("市委巡视组向示范区委反馈巡视情况", "根据市委统一部署，市委第三巡视组近日向示范区委反馈巡视情况。"),
    ("示范区委第五轮巡察工作动员部署会召开", "示范区委第五轮巡察工作动员部署会近日召开。"),
    ("市委巡视工作领导小组召开会议", "市委巡视工作领导小组近日召开会议，研究巡视整改监督工作。"),
    (
        "十三届市委第三轮巡视整改进展情况开始公布",
        "近日，十三届市委第三轮巡视被巡视党组织整改进展情况陆续公布。",
    ),
    ("推进巡视巡察上下联动 提升监督质效", "本市各区坚持巡视巡察上下联动，不断提升巡察工作质量。"),
)


def beijing_articles() -> list[Article]:
    rng = random.Random("beijing")
    articles: list[Article] = []
    starts = [date(2023, 3, 6) + timedelta(days=61 * i) for i in range(len(_XUNSHI) + len(_XUNCHA))]
    kinds = [("巡视", u) for u in _XUNSHI] + [("巡察", u) for u in _XUNCHA]
    rng.shuffle(kinds)
    for n, ((kind, unit), start) in enumerate(zip(kinds, starts, strict=True), 1):
        published = datetime.combine(start + timedelta(days=rng.randint(0, 30)), datetime.min.time())
        published = published.replace(hour=rng.randint(9, 18), minute=rng.randrange(0, 60, 5))
        if kind == "巡视":
            # 十三届市委 rounds advance with time; some titles leave the term or the round out.
            round_no = 1 + (published.year - 2023) * 2 + (published.month > 6)
            style = rng.random()
            term = 13 if style < 0.7 else None
            rnd = round_no if style < 0.85 else None
            body, team = "市委", rng.randint(1, 14)
        else:
            term = None
            rnd = rng.randint(2, 8) if rng.random() < 0.7 else None
            body, team = "区委", rng.randint(1, 5)
        spec = spec_for(
            rng,
            unit,
            published=published.date(),
            kind=kind,
            body=body,
            team=team,
            term=term,
            round=rnd,
            area="010",
            domain="bjshifan.gov.cn",
        )
        articles.append(notice_article(spec, published, f"bj{n:02d}"))
    dates = spread(datetime(2023, 4, 3), datetime(2025, 8, 28), len(_NEWS), rng)
    return articles + news_articles(list(_NEWS), dates)


def page_file(page: int) -> str:
    """TRS list file of 0-based page ``page``."""
    return "index.html" if page == 0 else f"index_{page}.html"


class BeijingSite(Site):
    host = HOST
    scheme = "http"
    site_hint = "beijing"
    site_name = "北京市纪委监委"
    column_name = "巡视巡察反馈"
    list_path = COLUMN + "index.html"
    home_nav = (
        ("首页", "/"),
        ("要闻", "/ywyl/"),
        ("审查调查", "/scdc/"),
        ("巡视巡察", COLUMN),
        ("党纪法规", "/djfg/"),
        ("廉政文化", "/lzwh/"),
    )
    id_base = 86_017
    id_step = 11

    def article_path(self, article: Article) -> str:
        p = article.published
        return f"{COLUMN}{SUBDIR}{p:%Y%m}/t{p:%Y%m%d}_{article.article_id}.html"

    def _frame(self, title: str, inner: str) -> str:
        nav = "".join(f'<a href="{href}">{esc(text)}</a>' for text, href in self.home_nav)
        return (
            '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f"<title>{esc(title)}</title></head><body>\n"
            f'<div class="head"><a href="/">北京纪检监察网</a><div class="nav">{nav}</div></div>\n'
            f"{inner}\n"
            '<div class="foot">中共北京市纪律检查委员会 北京市监察委员会 主办</div>\n</body></html>\n'
        )

    def render_article(self, article: Article) -> str:
        inner = (
            f'<div class="position"><a href="/">首页</a> &gt; <a href="{COLUMN}">{esc(self.column_name)}</a></div>\n'
            f'<div class="detail"><h1>{esc(article.title)}</h1>'
            f'<span class="detail-span">来源 | {esc(self.site_name)} {article.published:%Y-%m-%d}</span>\n'
            f'<div class="TRS_Editor">\n{paragraphs(article.lines)}</div></div>'
        )
        return self._frame(f"{article.title}_北京纪检监察网", inner)

    def render_lists(self) -> dict[str, str]:
        items = self.listed_newest_first()
        total = max(1, -(-len(items) // PER_PAGE))
        lists = {}
        for page in range(total):
            chunk = items[page * PER_PAGE : (page + 1) * PER_PAGE]
            lis = "".join(
                f'<li><a href=".{a.path.removeprefix(COLUMN.rstrip("/"))}" title="{esc(a.title)}" target="_blank">'
                f"{esc(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>\n"
                for a in chunk
            )
            inner = (
                f'<div class="position"><a href="/">首页</a> &gt; 巡视巡察反馈（市委巡视+区委巡察）</div>\n'
                f'<div class="list"><ul>\n{lis}</ul>\n'
                '<div class="page"><script type="text/javascript">'
                f'createPageHTML({total}, {page}, "index", "html");</script></div></div>'
            )
            lists[COLUMN + page_file(page)] = self._frame(
                "巡视巡察反馈（市委巡视+区委巡察）_北京纪检监察网", inner
            )
        return lists
