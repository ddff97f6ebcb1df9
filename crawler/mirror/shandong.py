"""www.sdjj.gov.cn — Shandong commission, TRS WCM with ``.htm`` pages (served over http).

Column ``/gzzc/xsxc/`` (工作之窗 > 巡视巡察): ``index.htm``, ``index_1.htm``, ``index_2.htm`` …,
ten items per page in ``ul#mycarousel li h3 a`` with relative hrefs (``./YYYYMM/t….htm``).
The static pager ``div.flip`` has 首页 / ``&lt;`` (previous) / ``&gt;`` (next) / 尾页; the last
page has no ``&gt;`` link, which is how 2018 crawlers knew to stop. Articles use the 2018
template (h2, div.head p span ×2, div.TRS_Editor).
"""

from __future__ import annotations

from .pages import Article, Site, esc, paragraphs

COLUMN = "/gzzc/xsxc/"
PER_PAGE = 10
BREADCRUMB = "首页>工作之窗>巡视巡察"


def page_file(page: int) -> str:
    """File name of list page ``page`` (1-based)."""
    return "index.htm" if page == 1 else f"index_{page - 1}.htm"


class ShandongSite(Site):
    host = "www.sdjj.gov.cn"
    scheme = "http"
    site_hint = "shandong"
    site_name = "山东省纪委监委网站"
    column_name = "巡视巡察"
    list_path = COLUMN + "index.htm"
    id_base = 11_230_011
    id_step = 113

    def article_path(self, article: Article) -> str:
        return f"{COLUMN}{article.published:%Y%m}/t{article.published:%Y%m%d}_{article.article_id}.htm"

    def _frame(self, title: str, inner: str) -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f"<title>{esc(title)}</title></head><body>\n"
            f'<div class="top"><a href="/">{esc(self.site_name)}</a></div>\n'
            f'<div class="position"><a href="/">首页</a>&gt;<a href="/gzzc/">工作之窗</a>&gt;<a href="{self.list_path}">{esc(self.column_name)}</a></div>\n'
            f"{inner}\n"
            '<div class="foot">中共山东省纪律检查委员会 山东省监察委员会 版权所有</div>\n</body></html>\n'
        )

    def render_article(self, article: Article) -> str:
        inner = (
            f'<div class="main">\n<h2>{esc(article.title)}</h2>\n'
            f'<div class="head"><p><span>来源：{esc(self.site_name)}</span>'
            f"<span>发布时间：{article.published:%Y-%m-%d %H:%M}</span></p></div>\n"
            f'<div class="TRS_Editor">\n{paragraphs(article.lines)}</div>\n</div>'
        )
        return self._frame(article.title, inner)

    def _flip(self, page: int, total: int) -> str:
        links = [f'<a href="{page_file(1)}">首页</a>']
        if page > 1:
            links.append(f'<a href="{page_file(page - 1)}">&lt;</a>')
        if page < total:
            links.append(f'<a href="{page_file(page + 1)}">&gt;</a>')
        links.append(f'<a href="{page_file(total)}">尾页</a>')
        return f'<div class="flip">{"".join(links)}<span>{page}/{total}</span></div>'

    def render_lists(self) -> dict[str, str]:
        items = self.newest_first()
        total = max(1, -(-len(items) // PER_PAGE))
        lists = {}
        for page in range(1, total + 1):
            chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
            lis = "".join(
                f'<li><h3><a href=".{a.path.removeprefix(COLUMN.rstrip("/"))}">{esc(a.title)}</a></h3>'
                f"<span>{a.published:%Y-%m-%d}</span></li>\n"
                for a in chunk
            )
            inner = f'<div class="list"><ul id="mycarousel">\n{lis}</ul>\n{self._flip(page, total)}</div>'
            lists[COLUMN + page_file(page)] = self._frame(f"{self.column_name}-{self.site_name}", inner)
        return lists
