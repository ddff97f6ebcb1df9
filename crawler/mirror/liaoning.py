"""www.lnsjjjc.gov.cn — Liaoning commission, "network" CMS (nen.com.cn family).

Column ``/network/xsxc/``: the first list page is ``indexHome.shtml``; the page count is only
in inline JS (``var pages = 'N';``) and page p>=2 is ``index{N-(p-1)}.shtml`` — reverse
numbering, so with N=5 the chain is indexHome, index4, index3, index2, index1. Ten items
per page, newest first. Articles live at ``/network/xsxc/YYYY/MM/DD/{9-digit id}.shtml``
with the 2018 template (h1, div.infoLine, div.content p).
"""

from __future__ import annotations

from .pages import Article, Site, esc, paragraphs

COLUMN = "/network/xsxc/"
PER_PAGE = 10


def page_file(page: int, total: int) -> str:
    """File name of list page ``page`` (1-based) out of ``total`` under reverse numbering."""
    return "indexHome.shtml" if page == 1 else f"index{total - (page - 1)}.shtml"


class LiaoningSite(Site):
    host = "www.lnsjjjc.gov.cn"
    scheme = "https"
    site_hint = "liaoning"
    site_name = "辽宁省纪委监委网站"
    column_name = "巡视巡察"
    list_path = COLUMN + "indexHome.shtml"
    id_base = 10_120_001  # 9 digits with the leading zero, like 010026037 (2018)
    id_step = 37

    def article_path(self, article: Article) -> str:
        return f"{COLUMN}{article.published:%Y/%m/%d}/{article.article_id:09d}.shtml"

    def _frame(self, title: str, inner: str) -> str:
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title></head><body>\n"
            f'<div class="header"><a href="/">{esc(self.site_name)}</a>'
            f'<div class="nav"><a href="/">首页</a><a href="{self.list_path}">{esc(self.column_name)}</a></div></div>\n'
            f"{inner}\n"
            '<div class="footer">主办：中共辽宁省纪律检查委员会 辽宁省监察委员会</div>\n</body></html>\n'
        )

    def render_article(self, article: Article) -> str:
        stamp = f"{article.published:%Y-%m-%d %H:%M}"
        inner = (
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{self.list_path}">{esc(self.column_name)}</a></div>\n'
            f'<div class="article">\n<h1>{esc(article.title)}</h1>\n'
            f'<div class="infoLine">发布时间：{stamp}&nbsp;&nbsp;&nbsp;&nbsp;来源：{esc(self.site_name)}</div>\n'
            f'<div class="content">\n{paragraphs(article.lines)}</div>\n</div>'
        )
        return self._frame(f"{article.title}_{self.site_name}", inner)

    def _pager(self, page: int, total: int) -> str:
        # The real pager is drawn by JS from `var pages`; the static links mirror what it draws.
        links = [f'<a href="{page_file(1, total)}">首页</a>']
        if page > 1:
            links.append(f'<a href="{page_file(page - 1, total)}">上一页</a>')
        if page < total:
            links.append(f'<a href="{page_file(page + 1, total)}">下一页</a>')
        links.append(f'<a href="{page_file(total, total)}">尾页</a>')
        return (
            f"<div class=\"page\"><script type=\"text/javascript\">var pages = '{total}'; var currentPage = '{page}';</script>"
            f"{''.join(links)}<span>共{total}页</span></div>"
        )

    def render_lists(self) -> dict[str, str]:
        items = self.newest_first()
        total = max(1, -(-len(items) // PER_PAGE))
        lists = {}
        for page in range(1, total + 1):
            chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
            lis = "".join(
                f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>\n'
                for a in chunk
            )
            inner = (
                f'<div class="position">当前位置：<a href="/">首页</a> &gt; {esc(self.column_name)}</div>\n'
                f'<div class="sftit"><ul>\n{lis}</ul></div>\n{self._pager(page, total)}'
            )
            lists[COLUMN + page_file(page, total)] = self._frame(
                f"{self.column_name}_{self.site_name}", inner
            )
        return lists
