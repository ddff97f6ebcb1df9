"""Lists served as data: the JSON a column page's script fetches to fill in a shell page (集约化 platforms,
开普云 and similar portals). The rows are found by their shape, not by one platform's field names: the
largest array of objects that carry a title (Chinese text) and a link; paging by the page parameter the
endpoint's URL already names (pageNo, page, pageIndex, currentPage …), up to the total it announces.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from crawler.urls import absolute

PAGE_PARAMS = ("pageNo", "pageNum", "pageIndex", "currentPage", "curPage", "page", "pageNumber", "p")
SIZE_PARAMS = ("pageSize", "rows", "size", "perPage", "limit", "pagesize")
TOTAL_KEYS = ("total", "totalCount", "totalRecords", "totalElements", "recordCount", "count", "records", "totalNum",
              "post_count")
PAGES_KEYS = ("totalPage", "totalPages", "pageCount", "pages")
TITLE_KEYS = re.compile(r"title|name|bt|biaoti|subject|wjmc", re.I)
URL_KEYS = re.compile(r"url|link|href|path", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")
JSONP = re.compile(r"^[\w$.]+\((?P<body>.*)\)\s*;?\s*$", re.S)


@dataclass
class DataList:
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    total_pages: int | None = None
    next_url: str | None = None


def parse_json(body: str) -> Any:
    """JSON, or JSONP (callback({...})); None when the body is neither."""
    text = body.strip()
    if m := JSONP.match(text):
        text = m["body"]
    try:
        return json.loads(text)
    except ValueError:
        return None


def read_data_list(body: str, url: str, page: int = 1, first_url: str | None = None) -> DataList | None:
    """The list rows of a data endpoint's answer (page `page` of the list whose first page is
    `first_url`), and its next page; None if it holds no list."""
    data = parse_json(body)
    rows = _largest_row_list(data)
    if not rows:
        return None
    links = [link for row in rows if (link := _row_link(row, url))]
    if not links:
        return None
    result = DataList(links=links, total_pages=_total_pages(data, url, len(rows)))
    if result.total_pages and page < result.total_pages:
        result.next_url = page_url(first_url or url, page + 1)
    return result


def _walk(value: Any) -> list[list[dict[str, Any]]]:
    found: list[list[dict[str, Any]]] = []
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            found.append(value)
        for v in value:
            found += _walk(v)
    elif isinstance(value, dict):
        for v in value.values():
            found += _walk(v)
    return found


def _largest_row_list(data: Any) -> list[dict[str, Any]]:
    lists = [rows for rows in _walk(data) if any(_row_link(r, "http://x/") for r in rows[:5])]
    return max(lists, key=len) if lists else []


def _row_link(row: dict[str, Any], base: str) -> tuple[str, str] | None:
    # a row may wrap its fields one level down: {"data": {"title": …, "url": …}}
    row = {**row, **{k: v for inner in row.values() if isinstance(inner, dict) for k, v in inner.items()}}
    titles = [str(v) for k, v in row.items() if isinstance(v, str) and CJK.search(v) and 4 <= len(v) <= 200
              and TITLE_KEYS.search(k)]
    urls = [str(v) for k, v in row.items() if isinstance(v, str) and URL_KEYS.search(k)
            and re.match(r"(?:https?://|/|\./|\.\./|[\w-]+/)", v) and not v.endswith((".jpg", ".png", ".gif"))]
    if not titles or not urls:
        return None
    title = re.sub(r"<[^>]+>", "", titles[0]).strip()
    target = absolute(base, urls[0])
    return (target, title) if target else None


def _number(data: Any, keys: tuple[str, ...]) -> int | None:
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), int | str) and str(data[key]).isdigit():
                return int(data[key])
        for v in data.values():
            if isinstance(v, dict) and (n := _number(v, keys)) is not None:
                return n
    return None


def _total_pages(data: Any, url: str, rows: int) -> int | None:
    if (pages := _number(data, PAGES_KEYS)) is not None:
        return pages
    total = _number(data, TOTAL_KEYS)
    query = dict(parse_qsl(urlsplit(url).query))
    size = next((int(query[k]) for k in SIZE_PARAMS if query.get(k, "").isdigit()), rows)
    return math.ceil(total / size) if total is not None and size else None


def page_url(url: str, page: int) -> str | None:
    """The endpoint's URL for page `page`, by the page parameter its first page's URL names (a first
    page numbered 0 keeps that base); None if it names none."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [k for k, _ in query]
    name = next((p for p in PAGE_PARAMS if p in names), None)
    if name is None:
        return None
    first = next(v for k, v in query if k == name)
    value = page - 1 if first == "0" else page
    query = [(k, str(value) if k == name else v) for k, v in query]
    return parts._replace(query=urlencode(query)).geturl()
