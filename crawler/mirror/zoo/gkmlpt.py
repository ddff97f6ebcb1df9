"""www.zoo-gkml.test — 示范市东山区人民政府, the Guangdong 政府网站集约化平台's 政府信息公开平台
(gkmlpt) (http, UTF-8).

Path: home nav 政务公开 ``/gkmlpt/index`` — a SHELL whose column tree is only JSON in
``window._CONFIG = {SID: '755999', TREE: [{id, name, parent, post_count}, …]}`` and whose lists are
drawn by script from ``/gkmlpt/api/all/{column_id}?page={p}&sid={SID}``; the home page's 重点领域 box
also links ``/gkmlpt/index#2981`` (the column 巡察整改 is only a URL fragment). No HTML page lists a
notice.

JSON (as the real platform answers): ``{"classify": {"id", "name", "parent", "post_count",
"theme_count"}, "articles": [{"id", "title", "date" (Unix seconds), "publisher", "classify_main_name",
"url" (absolute), "identifier"}]}``; 5 per page here. Articles
``/gkmlpt/content/{id//1000000}/{id//1000}/post_{id}.html`` with ``window._CONFIG.DETAIL`` (JSON) and a
server-rendered ``div.classify`` table (索引号 / 发布机构 / 成文日期 / 发布日期) + ``div.article-content``
(the HTML layout is OUR GUESS).
"""

from __future__ import annotations

import json
from datetime import datetime

from ..pages import BEIJING, Article, Response, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "示范市东山区人民政府"
SID = "755999"
UNITS = (
    Unit("中共示范市东山区发展和改革局党组", "区发展和改革局", "区发展和改革局党组", "局党组", "中共示范市东山区发展和改革局党组"),
    Unit("中共示范市东山区南岭镇委员会", "南岭镇", "南岭镇党委", "镇党委", "中共示范市东山区南岭镇委员会"),
    Unit("中共示范市东山区民政局党组", "区民政局", "区民政局党组", "局党组", "中共示范市东山区民政局党组"),
    Unit("中共示范市东山区人民法院党组", "区人民法院", "区人民法院党组", "院党组", "中共示范市东山区人民法院党组"),
)
API = "/gkmlpt/api/all/"


class GkmlptSite(ZooSite):
    host = "www.zoo-gkml.test"
    family = "集约化平台 gkmlpt"
    site_id = "zoo_gkmlpt"
    level = "district"
    site_name = NAME
    columns = (Column("xczg", "巡察整改", 2981), Column("xcdt", "巡察工作动态", 2982), Column("tzgg", "通知公告", 2975))
    notice_col = "xczg"
    id_base = 3_255_101
    id_step = 17

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 12, 5, 11, 0), datetime(2025, 9, 19, 16, 0), datetime(2025, 7, 7, 9, 0),
                 datetime(2025, 3, 31, 15, 0)]
        out = notices(UNITS, dates, prefix="gk", col="xczg", kind="巡察", body="区委", term=None, round=3,
                      area="0758", domain="zoo-gkml.test", seed="zoo-gkmlpt")
        out += news(lookalikes(("policy", "check"), kind="巡察", body="区委"),
                    datetime(2025, 4, 15), datetime(2025, 10, 15), "xczg", "zoo-gk-1")
        out += plain_news(3, datetime(2025, 1, 10), datetime(2025, 12, 12), "xczg", "zoo-gk-2", offset=13)
        out += news(lookalikes(("feedback", "mobilise", "start"), kind="巡察", body="区委"),
                    datetime(2025, 2, 1), datetime(2025, 11, 1), "xcdt", "zoo-gk-3")
        out += plain_news(2, datetime(2025, 5, 1), datetime(2025, 8, 1), "tzgg", "zoo-gk-4", offset=3)
        return out

    def article_path(self, article: Article) -> str:
        i = article.article_id
        return f"/gkmlpt/content/{i // 1_000_000}/{i // 1000}/post_{i}.html"

    def _identifier(self, a: Article) -> str:
        return f"11440000MB2C9{self.col_of(a).cid}/{a.published:%Y}-{a.article_id % 100000:05d}"

    def _row(self, a: Article) -> dict[str, object]:
        return {"id": a.article_id, "title": a.title, "date": int(a.published.replace(tzinfo=BEIJING).timestamp()),
                "publisher": NAME if a.expected is None else a.expected["issuer"],
                "classify_main_name": self.col_of(a).name, "url": self.absolute_url(a.path),
                "identifier": self._identifier(a)}

    def _tree(self) -> list[dict[str, object]]:
        tree: list[dict[str, object]] = [{"id": 2970, "name": "党务公开", "parent": 0, "post_count": 0}]
        tree += [{"id": c.cid, "name": c.name, "parent": 2970 if c.key != "tzgg" else 0, "post_count": len(self.items(c.key))}
                 for c in self.columns]
        return tree

    def _frame(self, title: str, inner: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in
                      (("首页", "/"), ("政务公开", "/gkmlpt/index"), ("政务服务", "/zwfw/"), ("互动交流", "/hdjl/")))
        return page_html(title, f'<div class="header"><div class="logo">{NAME}</div><ul class="nav">{nav}</ul></div>\n{inner}\n'
                                '<div class="footer">主办：示范市东山区人民政府办公室</div>', head=head)

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.items("tzgg")[:2])
        return self._frame(NAME, f'<div class="tzgg"><h3>通知公告</h3><ul>{lis}</ul></div>\n'
                                 '<div class="zdly"><h3>重点领域信息公开</h3><ul><li><a href="/gkmlpt/index#2975">通知公告</a></li>'
                                 '<li><a href="/gkmlpt/index#2981">巡察整改</a></li></ul></div>')

    def render_column(self, key: str) -> dict[str, str]:
        return {}

    @property
    def list_path(self) -> str:  # type: ignore[override]
        return "/gkmlpt/index#2981"

    def extra_pages(self) -> dict[str, str]:
        config = json.dumps({"APP_URL": "", "SID": SID, "TREE": self._tree()}, ensure_ascii=False)
        head = f"<script>window._CONFIG = {config};</script>"
        body = ('<div id="app"><div class="gkml-loading">正在加载……</div></div>\n'
                '<script src="/gkmlpt/static/js/chunk-vendors.js"></script>\n'
                '<script src="/gkmlpt/static/js/chunk-common.js"></script>\n'
                '<script src="/gkmlpt/static/js/app.js"></script>')
        return {"/gkmlpt/index": self._frame(f"政府信息公开平台-{NAME}", body, head)}

    def render_article(self, article: Article) -> str:
        col, p = self.col_of(article), article.published
        issuer = NAME if article.expected is None else article.expected["issuer"]
        detail = json.dumps({"id": article.article_id, "title": article.title, "classify_main_name": col.name,
                             "identifier": self._identifier(article), "publisher": issuer,
                             "date": int(p.replace(tzinfo=BEIJING).timestamp())}, ensure_ascii=False)
        head = f"<script>window._CONFIG = {{SID: '{SID}', DETAIL: {detail}}};</script>"
        inner = (
            '<div class="content-container"><div class="classify"><table>'
            f"<tr><td>索引号：</td><td>{self._identifier(article)}</td><td>分类：</td><td>{col.name}</td></tr>"
            f"<tr><td>发布机构：</td><td>{esc(issuer)}</td><td>成文日期：</td><td>{p:%Y-%m-%d}</td></tr>"
            f'<tr><td>名称：</td><td colspan="3">{esc(article.title)}</td></tr>'
            f"<tr><td>文号：</td><td></td><td>发布日期：</td><td>{p:%Y-%m-%d}</td></tr></table></div>\n"
            f'<div class="content"><h1 class="title">{esc(article.title)}</h1>\n'
            f'<div class="article-content">\n{paragraphs(article.lines)}</div></div></div>'
        )
        return self._frame(f"{article.title}-{NAME}", inner, head)

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if not path.startswith(API) or method not in ("GET", "HEAD"):
            return None
        try:
            cid, page = int(path.removeprefix(API)), max(1, int(params.get("page") or 1))
        except ValueError:
            return None
        col = next((c for c in self.columns if c.cid == cid), None)
        if col is None and cid != 0:
            return None
        items = self.items(col.key) if col else self.listed_newest_first()
        chunk = items[(page - 1) * self.per_page : page * self.per_page]
        classify = {"id": cid, "name": col.name if col else "全部", "parent": 2970 if col else 0,
                    "post_count": len(items), "theme_count": len(items)}
        return self.json_response({"classify": classify, "articles": [self._row(a) for a in chunk]})
