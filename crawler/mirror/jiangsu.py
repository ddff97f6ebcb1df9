"""www.jssjw.gov.cn — Jiangsu commission, Hanweb (大汉) CMS.

Column ``/col/col437/index.html``. The list is not in the DOM: records sit as CDATA inside
``<script type="text/xml"><datastore>…</datastore></script>``, and the page carries only the
first 45 records (3 pages of 15, as Hanweb does) plus ``<totalrecord>``. Later records come
from ``POST /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`` (GET with
the same query also works; parameters may also come form-encoded in a POST body), which
answers an XML ``datastore`` with the records ``startrecord..endrecord`` (1-based, inclusive).
Articles: ``/art/YYYY/M/D/art_437_{id}.html`` (no zero padding).
"""

from __future__ import annotations

from datetime import datetime

from .pages import Article, Response, Site, esc, paragraphs

COLUMN_ID = 437
UNIT_ID = 1234
LIST_PATH = f"/col/col{COLUMN_ID}/index.html"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
PER_PAGE = 15
FIRST_BATCH = 3 * PER_PAGE
WEBNAME = "江苏省纪委监委"


def _cdata(text: str) -> str:
    # "]]>" cannot occur inside CDATA; split it across two sections as XML requires.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class JiangsuSite(Site):
    host = "www.jssjw.gov.cn"
    scheme = "https"
    site_hint = "jiangsu"
    site_name = "江苏省纪委监委"
    column_name = "巡视巡察"
    list_path = LIST_PATH
    id_base = 80_101
    id_step = 7

    def article_path(self, article: Article) -> str:
        p = article.published
        return f"/art/{p.year}/{p.month}/{p.day}/art_{COLUMN_ID}_{article.article_id}.html"

    def record(self, article: Article) -> str:
        title = esc(article.title)
        li = (
            f'<li><a href="{article.path}" class="bt_link" title="{title}" target="_blank">{title}</a>'
            f"<span>{article.published:%Y-%m-%d}</span></li>"
        )
        return f"<record>{_cdata(li)}</record>"

    def render_article(self, article: Article) -> str:
        title = esc(article.title)
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{article.published:%Y-%m-%d %H:%M}">'
            f'<meta name="ContentSource" content="{esc(self.site_name)}">'
            f"<title>{title}</title></head><body>\n"
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{LIST_PATH}">{esc(self.column_name)}</a></div>\n'
            f'<div class="article"><h1 class="title">{title}</h1>'
            f'<div class="info"><span>发布日期：{article.published:%Y-%m-%d}</span><span>来源：{esc(self.site_name)}</span></div>\n'
            f'<div id="zoom">\n{paragraphs(article.lines)}</div></div>\n'
            "</body></html>\n"
        )

    def render_lists(self) -> dict[str, str]:
        items = self.newest_first()
        nextgroup = _cdata(
            f'<a href="{DATAPROXY}?page=1&webid=1&path=/&columnid={COLUMN_ID}&unitid={UNIT_ID}'
            f'&webname={WEBNAME}&permissiontype=0"></a>'
        )
        records = "\n".join(self.record(a) for a in items[:FIRST_BATCH])
        datastore = (
            f"<datastore><nextgroup>{nextgroup}</nextgroup><totalrecord>{len(items)}</totalrecord>"
            f"<recordset>\n{records}\n</recordset></datastore>"
        )
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{esc(self.column_name)} {esc(self.site_name)}</title></head><body>\n"
            f'<div class="nav"><a href="/">首页</a><a href="{LIST_PATH}">{esc(self.column_name)}</a></div>\n'
            f'<div id="{UNIT_ID}"><script type="text/xml">{datastore}</script>\n'
            '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n'
            f'<script type="text/javascript">var pageSize = {PER_PAGE}; var totalRecord = {len(items)};</script></div>\n'
            "</body></html>\n"
        )
        return {LIST_PATH: page}

    def dataproxy(self, params: dict[str, str]) -> Response:
        items = self.newest_first()
        if params.get("columnid", str(COLUMN_ID)) != str(COLUMN_ID):
            items = []
        per_page = _int(params.get("perpage"), PER_PAGE)
        start = max(1, _int(params.get("startrecord"), 1))
        end = _int(params.get("endrecord"), start + FIRST_BATCH - 1)
        chosen = items[start - 1 : max(end, start - 1)]
        records = "\n".join(self.record(a) for a in chosen)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<datastore><totalrecord>{len(items)}</totalrecord><perpage>{per_page}</perpage>"
            f"<recordset>\n{records}\n</recordset></datastore>\n"
        )
        return Response(
            200, xml.encode("utf-8"), "text/xml; charset=utf-8", last_modified=self.newest_modified()
        )

    def newest_modified(self) -> datetime:
        return max(a.last_modified for a in self.articles)

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path == DATAPROXY and method in ("GET", "HEAD", "POST"):
            return self.dataproxy(params)
        return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
