"""Shared parts of the zoo sites: a column-aware ``Site``, notice and news makers, page encoding.

Every zoo site is a fictional commission (or government) website in one CMS family. Its articles
(notices and news) each belong to one column (``extra["col"]``); ``notice_col`` is the column that
holds the rectification notices. The notices are SYNTHETIC (``synthetic.py``: seeded, fictional units,
each with its expected record); everything else is news, some of it deliberately notice-like.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..filler import spread
from ..pages import ALLOW_ALL_ROBOTS, EPOCH_2020, Article, Page, Response, Site, esc
from ..synthetic import Unit, notice_article, spec_for


@dataclass(frozen=True)
class Column:
    key: str  # internal name, e.g. "xszg"
    name: str  # shown name, e.g. 巡视整改
    cid: int  # the CMS's numeric id (catid, columnid, tree id …)


# Look-alike headlines that are NOT rectification notices (SPEC: news about inspections, meetings,
# checks, 回头看 notes, policy documents). Bodies name no team, feedback date or problem count.
LOOKALIKES: dict[str, tuple[str, str]] = {
    "feedback": (
        "{body}第二{kind}组向示范区委反馈{kind}情况",
        "近日，{body}{kind}组向示范区委反馈{kind}情况，指出存在的问题，提出整改意见建议。",
    ),
    "mobilise": (
        "{body}新一轮{kind}工作动员部署会召开",
        "会议对新一轮{kind}工作进行动员部署，要求各{kind}组牢牢把握政治{kind}定位。",
    ),
    "check": (
        "{body}{kind}整改落实情况专项检查工作启动",
        "近日，纪委监委抽调人员组成检查组，对部分单位{kind}整改落实情况开展专项检查，督促压实整改责任。",
    ),
    "lookback": (
        "关于开展{kind}整改“回头看”工作情况的说明",
        "为巩固{kind}整改成果，将对已完成的整改事项组织开展“回头看”，重点检查整改措施是否落实到位、是否存在反弹回潮。",
    ),
    "policy": (
        "关于加强{kind}整改和成果运用的意见",
        "为深入贯彻落实{kind}工作条例，进一步加强{kind}整改和成果运用，现提出如下意见。一、总体要求。二、压实整改责任。三、强化成果运用。",
    ),
    "start": (
        "{body}{kind}整改进展情况开始公布",
        "近日，被{kind}党组织的整改进展情况陆续向社会公布，接受干部群众监督。",
    ),
    "meeting": (
        "示范区召开{kind}整改工作推进会",
        "会议听取{kind}整改工作进展情况汇报，部署下一阶段整改工作。",
    ),
}

# Ordinary news of a commission website (the bulk of every column).
PLAIN_NEWS: tuple[tuple[str, str], ...] = (
    ("纪委监委召开常委会会议", "近日，纪委监委召开常委会会议，传达学习上级有关会议精神，研究部署近期重点工作。"),
    ("纪检监察干部业务培训班举办", "纪检监察干部业务培训班近日举办，围绕监督检查、审查调查等内容开展专题培训。"),
    ("通报3起违反中央八项规定精神典型问题", "纪委监委对近期查处的3起违反中央八项规定精神典型问题进行公开通报。"),
    ("深化整治群众身边不正之风和腐败问题", "各级纪检监察机关聚焦群众急难愁盼，持续开展专项整治。"),
    ("以案促改推动标本兼治", "纪委监委督促案发单位召开警示教育会，深化以案促改、以案促治。"),
    ("节前廉洁提醒", "节日将至，纪委监委发出廉洁提醒，严防“四风”问题反弹回潮。"),
    ("某局原副局长张某某接受纪律审查和监察调查", "某局原副局长张某某涉嫌严重违纪违法，目前正接受纪律审查和监察调查。"),
    ("持续深化作风建设", "纪委监委把作风建设作为日常监督的重要内容，持续纠治形式主义、官僚主义。"),
    ("开展警示教育月活动", "纪委监委组织开展警示教育月活动，观看警示教育片，参观廉政教育基地。"),
    ("强化政治监督 护航高质量发展", "纪检监察机关紧扣中心工作强化政治监督，推动各项决策部署落地见效。"),
    ("基层监督工作推进会召开", "会议总结基层监督工作，部署推动监督下沉落地。"),
    ("清廉机关建设经验交流会举行", "会议交流清廉机关建设经验做法，推进清廉单元建设。"),
    ("召开年轻干部廉政教育座谈会", "座谈会上，年轻干部交流学习体会，筑牢拒腐防变思想防线。"),
    ("信访举报工作情况通报", "纪委监委通报近期信访举报工作情况，持续提升办理质效。"),
    ("开展党纪学习教育专题读书班", "读书班围绕党纪学习教育开展专题学习研讨。"),
    ("纪委监委召开全会", "全会总结上一年度纪检监察工作，部署本年度任务。"),
    ("深化运用监督执纪“四种形态”", "纪检监察机关精准运用“四种形态”，抓早抓小、防微杜渐。"),
    ("加强对“一把手”和领导班子监督", "纪委监委持续加强对“一把手”和领导班子的监督，推动压实主体责任。"),
)


def lookalikes(keys: Iterable[str], *, kind: str, body: str) -> list[tuple[str, str]]:
    return [(t.format(kind=kind, body=body), b.format(kind=kind, body=body)) for t, b in (LOOKALIKES[k] for k in keys)]


def news(items: Sequence[tuple[str, str]], start: datetime, end: datetime, col: str, seed: str) -> list[Article]:
    """One news article per item, dated evenly from start to end, in column ``col``."""
    rng = random.Random(seed)
    out = []
    for (title, body), when in zip(items, spread(start, end, len(items), rng), strict=True):
        out.append(Article(title, [body, "（来源：纪委监委）"], when, extra={"col": col}))
    return out


def plain_news(count: int, start: datetime, end: datetime, col: str, seed: str, offset: int = 0) -> list[Article]:
    items = [PLAIN_NEWS[(offset + i) % len(PLAIN_NEWS)] for i in range(count)]
    return news(items, start, end, col, seed)


def notices(
    units: Sequence[Unit],
    dates: Sequence[datetime],
    *,
    prefix: str,
    col: str,
    kind: str,
    body: str,
    term: int | None,
    round: int | None,
    area: str,
    domain: str,
    seed: str,
) -> list[Article]:
    """Synthetic notices (with expected records), one per unit, published on ``dates``."""
    rng = random.Random(seed)
    out = []
    for i, (unit, when) in enumerate(zip(units, dates, strict=True)):
        spec = spec_for(rng, unit, published=when.date(), kind=kind, body=body, team=rng.randint(1, 6),
                        term=term, round=round, area=area, domain=domain)
        article = notice_article(spec, when, f"{prefix}{i + 1:02d}")
        article.extra["col"] = col
        out.append(article)
    return out


class ZooSite(Site):
    """A zoo host. Subclasses give ``columns``, ``notice_col``, ``build_articles``, ``article_path``,
    ``render_article``, ``render_home`` and ``render_column(col) -> {path: html}``; ``extra_pages`` adds
    channel pages, frames, data islands. ``encoding`` is how pages are encoded (GBK sites label it only
    in <meta> when ``header_charset`` is False)."""

    scheme = "http"
    family = ""
    site_id = ""
    level = "city"
    encoding = "utf-8"
    header_charset = True
    columns: tuple[Column, ...] = ()
    notice_col = ""
    per_page = 5

    def __init__(self) -> None:
        self.site_hint = self.site_id
        super().__init__(self.build_articles())

    # -- content ------------------------------------------------------------------------------
    def build_articles(self) -> list[Article]:
        raise NotImplementedError

    def col(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def col_of(self, article: Article) -> Column:
        return self.col(article.extra.get("col", self.notice_col))

    def items(self, key: str) -> list[Article]:
        """The listed articles of a column, newest first."""
        return [a for a in self.listed_newest_first() if a.extra.get("col", self.notice_col) == key]

    def pages_of(self, key: str) -> list[list[Article]]:
        items = self.items(key)
        return [items[i : i + self.per_page] for i in range(0, len(items), self.per_page)] or [[]]

    @property
    def list_path(self) -> str:  # type: ignore[override]
        return next(iter(self.render_column(self.notice_col)))

    # -- rendering ----------------------------------------------------------------------------
    def render_column(self, key: str) -> dict[str, str]:
        raise NotImplementedError

    def extra_pages(self) -> dict[str, str]:
        return {}

    def render_lists(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for column in self.columns:
            out.update(self.render_column(column.key))
        return out

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.encoding}" if self.header_charset else "text/html"

    def encode(self, html: str) -> bytes:
        return html.encode(self.encoding, "xmlcharrefreplace")

    def article_page(self, article: Article) -> Page:
        return Page(self.encode(self.render_article(article)), self.content_type, article.last_modified)

    def list_pages(self) -> dict[str, Page]:
        newest = max((a.last_modified for a in self.articles), default=EPOCH_2020)
        html = {**self.render_lists(), **self.extra_pages()}
        return {path: Page(self.encode(body), self.content_type, newest) for path, body in html.items()}

    def pages(self) -> dict[str, Page]:
        pages = {
            "/": Page(self.encode(self.render_home()), self.content_type),
            "/robots.txt": Page(ALLOW_ALL_ROBOTS.encode("ascii"), "text/plain; charset=utf-8"),
        }
        pages.update(self.list_pages())
        pages.update({a.path: self.article_page(a) for a in self.articles})
        return pages

    def newest(self) -> datetime:
        return max(a.last_modified for a in self.articles)

    def json_response(self, data: Any) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return Response(200, body, "application/json;charset=UTF-8", last_modified=self.newest())

    def companions(self) -> list[Site]:
        """Other hosts this site needs (a portal whose home page links here); none by default."""
        return []

    # -- what a crawl must store --------------------------------------------------------------
    def notice_urls(self) -> set[str]:
        return {self.absolute_url(a.path) for a in self.articles if a.is_notice}


def page_html(title: str, body: str, *, charset: str = "utf-8", head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">'
        f"<title>{esc(title)}</title>{head}</head><body>\n{body}\n</body></html>\n"
    )
