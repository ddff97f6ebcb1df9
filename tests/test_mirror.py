"""The local mirror: virtual hosts, pagination chains, conditional GET, request log and faults."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup
from protego import Protego

from crawler.mirror import HOSTS, MirrorServer, mirrored_notices
from crawler.mirror.faults import OFFSITE_TARGET
from crawler.mirror.notices import CORPUS_DIR, load_corpus, parse_notice

LN, SD, JS, FAULTS = "www.lnsjjjc.gov.cn", "www.sdjj.gov.cn", "www.jssjw.gov.cn", "faults.mirror.test"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(slow_seconds=0.2, huge_bytes=300_000) as srv:
        yield srv


def get(server: MirrorServer, host: str, path: str, **kwargs: object) -> requests.Response:
    headers = {"Host": host, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return requests.get(server.url + path, headers=headers, timeout=kwargs.pop("timeout", 5), **kwargs)  # type: ignore[arg-type]


def notices_of(host: str) -> dict[str, dict]:
    return {n["path"]: n for n in mirrored_notices() if n["host"] == host}


# -- corpus and HOSTS --------------------------------------------------------------------------


def test_chrome_is_stripped_and_notice_lines_kept() -> None:
    corpus = load_corpus()
    sd = corpus["sd01"]
    assert sd.title == "中共烟台市莱山区委关于巡视整改进展情况的通报"
    assert sd.chrome_date is not None and sd.chrome_date.isoformat() == "2020-08-03"
    assert sd.lines[0].startswith("  根据省委统一部署")  # leading spaces kept exactly
    assert sd.lines[-1] == "2020年7月31日"
    pj = corpus["pj01"]
    assert pj.title == "中共盘锦辽东湾新区工作委员会 关于市委巡察整改情况的通报"
    assert pj.lines[-1] == "2020年11月16日"
    joined = pj.text + sd.text
    for chrome in ("欢迎访问", "当前位置", "首页>", "来源:山东", "关闭 打印", "上一篇", "下一篇"):
        assert chrome not in joined
    js = corpus["js01"]
    assert js.synthetic_title and js.lines[0].startswith("根据省委统一部署")
    # Every non-chrome line survives byte-for-byte.
    raw = (CORPUS_DIR / "ln14.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in raw if line.strip()] == [corpus["ln14"].title, *corpus["ln14"].lines]


def test_tail_chrome_only_at_the_edges() -> None:
    notice = parse_notice("x", "当前位置: 首页\n标题\n正文提到上一篇: 不算\n\n关闭 打印\n上一篇: a\n")
    assert notice.title == "标题" and notice.lines == ("正文提到上一篇: 不算",)


def test_every_corpus_notice_is_mirrored_exactly_once() -> None:
    notices = mirrored_notices()
    assert sorted(n["corpus_id"] for n in notices) == sorted(load_corpus())
    assert len({n["url"] for n in notices}) == len(notices)
    for n in notices:
        scheme = "http" if n["host"] == SD else "https"
        assert n["url"] == f"{scheme}://{n['host']}{n['path']}"
        datetime.strptime(n["published_on"], "%Y-%m-%d")
    assert {n["host"] for n in notices} == {LN, SD, JS}
    assert [n["corpus_id"] for n in mirrored_notices(include_faults=True) if n["host"] == FAULTS] == ["ln02"]
    assert HOSTS[JS]["list_url"] == "https://www.jssjw.gov.cn/col/col437/index.html"


# -- pagination chains ---------------------------------------------------------------------------


def test_liaoning_reverse_numbered_pages_reach_every_notice(server: MirrorServer) -> None:
    first = get(server, LN, "/network/xsxc/indexHome.shtml")
    assert first.status_code == 200 and 'charset="utf-8"' in first.text
    total = int(re.search(r"var pages = '(\d+)';", first.text).group(1))
    assert total == 5
    files = ["indexHome.shtml"] + [f"index{total - (p - 1)}.shtml" for p in range(2, total + 1)]
    assert files == ["indexHome.shtml", "index4.shtml", "index3.shtml", "index2.shtml", "index1.shtml"]
    found, dates = [], []
    for name in files:
        soup = BeautifulSoup(get(server, LN, "/network/xsxc/" + name).text, "lxml")
        items = soup.select("div.sftit li")
        assert len(items) == (10 if name != "index1.shtml" else 7)
        found += [li.a["href"] for li in items]
        dates += [li.span.get_text() for li in items]
    assert dates == sorted(dates, reverse=True)  # newest first across the whole chain
    assert set(notices_of(LN)) <= set(found)
    assert get(server, LN, "/network/xsxc/index5.shtml").status_code == 404
    assert re.fullmatch(r"/network/xsxc/\d{4}/\d{2}/\d{2}/\d{9}\.shtml", found[0])


def test_shandong_next_links_reach_every_notice(server: MirrorServer) -> None:
    url, pages, found = "/gzzc/xsxc/index.htm", [], []
    while url:
        pages.append(url)
        soup = BeautifulSoup(get(server, SD, url).text, "lxml")
        found += [urljoin(url, a["href"]) for a in soup.select("ul#mycarousel li h3 a")]
        nxt = [a for a in soup.select("div.flip a") if a.get_text() == ">"]
        url = urljoin(url, nxt[0]["href"]) if nxt else ""
    assert pages == ["/gzzc/xsxc/index.htm", "/gzzc/xsxc/index_1.htm", "/gzzc/xsxc/index_2.htm"]
    assert set(notices_of(SD)) <= set(found) and len(found) == 25
    assert found.index(next(iter(notices_of(SD)))) >= 10  # the notice is on page 2


def test_jiangsu_first_page_then_dataproxy(server: MirrorServer) -> None:
    page = get(server, JS, "/col/col437/index.html").text
    record_re = re.compile(r'<record><!\[CDATA\[<li><a href="([^"]+)" class="bt_link" title="([^"]+)"')
    first = record_re.findall(page)
    assert len(first) == 45
    assert int(re.search(r"<totalrecord>(\d+)</totalrecord>", page).group(1)) == 60
    assert "/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=437" in page
    query = "/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    posted = requests.post(server.url + query, headers={"Host": JS}, data={"columnid": "437"}, timeout=5)
    assert posted.status_code == 200 and posted.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    rest = record_re.findall(posted.text)
    assert len(rest) == 15
    assert record_re.findall(get(server, JS, query).text) == rest  # GET works too
    hrefs = [href for href, _ in first + rest]
    (notice_path,) = notices_of(JS)
    assert notice_path not in [h for h, _ in first] and notice_path in hrefs
    assert len(set(hrefs)) == 60
    form = {"startrecord": "1", "endrecord": "15", "perpage": "15"}
    posted = requests.post(
        server.url + "/module/web/jpage/dataproxy.jsp", headers={"Host": JS}, data=form, timeout=5
    )
    assert record_re.findall(posted.text) == first[:15]


def test_article_pages_carry_title_date_and_every_line(server: MirrorServer) -> None:
    corpus = load_corpus()
    selectors = {
        LN: ("h1", "div.infoLine", "div.content p"),
        SD: ("h2", "div.head", "div.TRS_Editor p"),
        JS: ("h1.title", "div.info", "div#zoom p"),
    }
    for n in mirrored_notices():
        resp = get(server, n["host"], n["path"])
        assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/html; charset=utf-8"
        soup = BeautifulSoup(resp.content, "lxml")
        title_sel, date_sel, body_sel = selectors[n["host"]]
        assert soup.select_one(title_sel).get_text() == n["title"]
        assert n["published_on"] in soup.select_one(date_sel).get_text()
        assert [p.get_text() for p in soup.select(body_sel)] == list(corpus[n["corpus_id"]].lines)


# -- HTTP behaviour --------------------------------------------------------------------------------


def test_conditional_get_and_head(server: MirrorServer) -> None:
    path = next(iter(notices_of(SD)))
    first = get(server, SD, path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and modified == "Mon, 03 Aug 2020 01:30:00 GMT"  # 09:30 Beijing
    again = get(server, SD, path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert get(server, SD, path, headers={"If-Modified-Since": modified}).status_code == 304
    assert (
        get(server, SD, path, headers={"If-Modified-Since": "Sat, 01 Aug 2020 00:00:00 GMT"}).status_code
        == 200
    )
    # If-None-Match wins over a matching If-Modified-Since.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert get(server, SD, path, headers=both).status_code == 200
    assert get(server, SD, "/gzzc/xsxc/index.htm", headers={"If-None-Match": "*"}).status_code == 304
    head = requests.head(server.url + path, headers={"Host": SD}, timeout=5)
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"] == etag


def test_edit_notice_changes_etag_and_body() -> None:
    with MirrorServer() as srv:
        path = next(iter(notices_of(JS)))
        before = get(srv, JS, path)
        new_etag = srv.edit_notice(JS, path, "第一段更正后的内容。\n\n第二段。")
        after = get(srv, JS, path, headers={"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200 and after.headers["ETag"] == new_etag != before.headers["ETag"]
        assert "第一段更正后的内容。" in after.text and "根据省委统一部署" not in after.text
        assert (
            get(srv, JS, path, headers={"If-Modified-Since": before.headers["Last-Modified"]}).status_code
            == 200
        )
        with pytest.raises(KeyError):
            srv.edit_notice(JS, "/no/such.html", "x")
        srv.edit_notice(JS, path, "正文。", title="中共苏州市相城区委关于巡视整改进展情况的通报（更正）")
        assert (
            "（更正）"
            in get(srv, JS, "/col/col437/index.html").text
            + get(srv, JS, "/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=60").text
        )


def test_add_article_shifts_the_list() -> None:
    with MirrorServer() as srv:
        added = srv.add_article(
            LN, "中共测试区委关于省委巡视整改落实进展情况的通报", "正文。", datetime(2025, 1, 6, 9, 0)
        )
        assert re.fullmatch(r"/network/xsxc/2025/01/06/\d{9}\.shtml", added["path"])
        first = get(srv, LN, "/network/xsxc/indexHome.shtml").text
        assert "var pages = '5';" in first and added["path"] in first
        assert get(srv, LN, added["path"]).status_code == 200
        srv.add_article(LN, "省纪委监委召开会议", "正文。", datetime(2025, 1, 7, 9, 0))
        srv.add_article(LN, "省纪委监委召开会议", "正文。", datetime(2025, 1, 8, 9, 0))
        srv.add_article(LN, "省纪委监委召开会议", "正文。", datetime(2025, 1, 9, 9, 0))
        assert "var pages = '6';" in get(srv, LN, "/network/xsxc/indexHome.shtml").text
        assert get(srv, LN, "/network/xsxc/index1.shtml").text.count("<li>") == 1


def test_hosts_robots_and_set_page(server: MirrorServer) -> None:
    assert get(server, "unknown.example.org", "/").status_code == 404
    assert requests.get(server.url + "/", timeout=5).status_code == 404  # Host: 127.0.0.1:PORT
    assert get(server, f"{LN}:443", "/network/xsxc/indexHome.shtml").status_code == 200
    assert get(server, SD, "/gzzc/xsxc/").url.endswith("/gzzc/xsxc/")  # directory index
    assert 'ul id="mycarousel"' in get(server, SD, "/gzzc/xsxc/").text
    # Absolute-form targets (the mirror used as an HTTP proxy) pick the host from the URL.
    proxied = requests.get(HOSTS[SD]["list_url"], proxies={"http": server.url}, timeout=5)
    assert proxied.status_code == 200 and "mycarousel" in proxied.text
    for host in (LN, SD, JS):
        robots = Protego.parse(get(server, host, "/robots.txt").text)
        assert robots.can_fetch(HOSTS[host]["list_url"], "rectify-bot")
    robots = Protego.parse(get(server, FAULTS, "/robots.txt").text)
    assert not robots.can_fetch("http://faults.mirror.test/private/secret.html", "rectify-bot")
    assert robots.can_fetch("http://faults.mirror.test/err/gbk.html", "rectify-bot")
    server.set_page(SD, "/gzzc/xsxc/extra.htm", "<p>新增</p>".encode(), "text/html; charset=utf-8")
    assert get(server, SD, "/gzzc/xsxc/extra.htm").text == "<p>新增</p>"
    server.set_page("new.example.org", "/a", b"ok", "text/plain")
    assert get(server, "new.example.org", "/a").content == b"ok"
    server.remove_page(SD, "/gzzc/xsxc/extra.htm")
    assert get(server, SD, "/gzzc/xsxc/extra.htm").status_code == 404
    assert (
        requests.post(server.url + "/gzzc/xsxc/index.htm", headers={"Host": SD}, timeout=5).status_code == 405
    )


def test_request_log_and_jsonl(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with MirrorServer(log_path=log) as srv:
        with requests.Session() as session:
            for _ in range(2):
                session.get(
                    srv.url + "/gzzc/xsxc/index.htm?x=1", headers={"Host": SD, "User-Agent": "t/1"}, timeout=5
                )
        session_ports = {e["client_port"] for e in srv.requests}
        get(srv, "nowhere.test", "/x")
        entries = srv.requests
        assert [(e["host"], e["method"], e["path"], e["status"]) for e in entries] == [
            (SD, "GET", "/gzzc/xsxc/index.htm?x=1", 200),
            (SD, "GET", "/gzzc/xsxc/index.htm?x=1", 200),
            ("nowhere.test", "GET", "/x", 404),
        ]
        assert len(session_ports) == 1  # keep-alive: one connection for the session
        assert entries[0]["bytes"] > 1000 and entries[0]["user_agent"] == "t/1"
        assert entries[0]["time"] <= entries[1]["time"] <= time.monotonic()
        assert [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] == entries
        srv.clear_log()
        assert srv.requests == []
        # The entry is logged before the response completes, so it is there as soon as the client returns.
        for count in range(1, 21):
            get(srv, JS, "/robots.txt")
            assert len(srv.requests) == count


# -- faults ------------------------------------------------------------------------------------------


def test_fault_list_links_every_fault(server: MirrorServer) -> None:
    soup = BeautifulSoup(get(server, FAULTS, "/list/index.html").text, "lxml")
    hrefs = [a["href"] for a in soup.select("ul.list li a")]
    assert all("整改" in a.get_text() and a.get_text().endswith("通报") for a in soup.select("ul.list li a"))
    # The anti-bot pages hang off a second list (tests/test_mirror_sites.py); together they link every fault.
    blocked = BeautifulSoup(get(server, FAULTS, "/list/blocked.html").text, "lxml")
    blocked_hrefs = [a["href"] for a in blocked.select("ul.list li a")]
    assert not set(hrefs) & set(blocked_hrefs)
    assert set(hrefs) | set(blocked_hrefs) == set(HOSTS[FAULTS]["faults"])
    assert not any(h.startswith("/block/") for h in hrefs) and "/err/soft404.html" not in hrefs
    ok = get(server, FAULTS, "/ok/1.html")
    assert ok.status_code == 200 and load_corpus()["ln02"].lines[0] in ok.text


def test_error_slow_and_offsite(server: MirrorServer) -> None:
    assert get(server, FAULTS, "/err/500.html").status_code == 500
    with pytest.raises(requests.exceptions.ReadTimeout):
        get(server, FAULTS, "/err/slow.html", timeout=0.05)
    started = time.monotonic()
    slow = get(server, FAULTS, "/err/slow.html")
    assert slow.status_code == 200 and time.monotonic() - started >= 0.2
    redirect = get(server, FAULTS, "/err/offsite.html", allow_redirects=False)
    assert redirect.status_code == 302 and redirect.headers["Location"] == OFFSITE_TARGET


def test_broken_page(server: MirrorServer) -> None:
    resp = get(server, FAULTS, "/err/broken.html")
    assert resp.status_code == 200
    raw = resp.content
    assert b"\x00" in raw and b"\xff\xfe" in raw and not raw.rstrip().endswith(b"</html>")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    soup = BeautifulSoup(raw, "lxml")  # a lenient parser still recovers the title
    assert soup.h1.get_text().endswith("巡视整改落实进展情况的通报")


def test_gbk_page_without_charset(server: MirrorServer) -> None:
    resp = get(server, FAULTS, "/err/gbk.html")
    assert resp.headers["Content-Type"] == "text/html"
    raw = resp.content
    assert b"charset" not in raw.lower()
    assert "镕".encode("gbk") in raw and "喆".encode("gbk") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")
    text = raw.decode("gbk")
    assert "中共镕城县委关于省委巡视整改进展情况的通报" in text and "王喆" in text


def test_gb18030_page_labelled_gb2312(server: MirrorServer) -> None:
    resp = get(server, FAULTS, "/err/gb18030.html")
    assert resp.headers["Content-Type"] == "text/html; charset=gb2312"
    raw = resp.content
    for wrong in ("gb2312", "gbk"):
        with pytest.raises(UnicodeDecodeError):
            raw.decode(wrong)
    text = raw.decode("gb18030")
    assert "𠮷" in text and "€" in text and "𠮷".encode("gb18030") in raw


def test_huge_page_is_streamed_without_length(server: MirrorServer) -> None:
    with requests.get(
        server.url + "/err/huge.html", headers={"Host": FAULTS}, stream=True, timeout=5
    ) as resp:
        assert "Content-Length" not in resp.headers and resp.headers["Transfer-Encoding"] == "chunked"
        assert sum(len(chunk) for chunk in resp.iter_content(65536)) == 300_000
    # A client that stops early does not break the server.
    with requests.get(
        server.url + "/err/huge.html", headers={"Host": FAULTS}, stream=True, timeout=5
    ) as resp:
        next(resp.iter_content(1024))
    assert get(server, FAULTS, "/list/index.html").status_code == 200


def test_stop_does_not_wait_for_slow_requests() -> None:
    srv = MirrorServer(slow_seconds=30).start()
    with requests.Session() as session:
        session.get(srv.url + "/robots.txt", headers={"Host": LN}, timeout=5)  # idle keep-alive connection
        started = time.monotonic()
        srv.stop()
        assert time.monotonic() - started < 2


def test_command_line_entry_point(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.mirror", "--port", "0", "--log", str(log)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while not line.startswith("mirror listening on "):
            line = proc.stdout.readline()
            assert line, "mirror exited before listening"
        url = line.split()[-1]
        assert requests.get(url + "/gzzc/xsxc/index.htm", headers={"Host": SD}, timeout=5).status_code == 200
        assert json.loads(log.read_text(encoding="utf-8").splitlines()[0])["host"] == SD
    finally:
        proc.terminate()
        proc.wait(timeout=5)
