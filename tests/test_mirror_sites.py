"""The mirror's later hosts (CCDI, Guangdong, Beijing, Gansu + unit portals), home-page navs and
anti-bot pages: each list is walked by its documented pagination and must reach every notice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup

from crawler.mirror import HOSTS, SYNTHETIC_HOSTS, MirrorServer, mirrored_notices
from crawler.mirror.faults import BLOCK_PAGES, BLOCKED_TITLES, FAULTS
from crawler.mirror.synthetic import cn_number
from crawler.text.record import FIELDS

CCDI, GD, BJ, GS = "www.ccdi.gov.cn", "www.gdjct.gd.gov.cn", "www.bjsupervision.gov.cn", "www.gsjw.gov.cn"
PORTALS = ("www.lzcgq.gov.cn", "www.tianzhu.gov.cn")
FAULTS_HOST = "faults.mirror.test"
HINTS = {
    "www.lnsjjjc.gov.cn": "liaoning",
    "www.sdjj.gov.cn": "shandong",
    "www.jssjw.gov.cn": "jiangsu",
    CCDI: "ccdi",
    GD: "guangdong",
    BJ: "beijing",
    GS: "gansu",
    PORTALS[0]: "gansu",
    PORTALS[1]: "gansu",
}
CREATE_PAGE = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"index",\s*"html"\)')
# The SPEC fields a synthetic notice's expected record carries (all but published_on, which is the page's).
EXPECTED_KEYS = set(FIELDS) - {"published_on"}


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(slow_seconds=0.2, huge_bytes=1000) as srv:
        yield srv


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def fetch(
    session: requests.Session, server: MirrorServer, host: str, path: str, **kw: object
) -> requests.Response:
    headers = {"Host": host, **kw.pop("headers", {})}  # type: ignore[dict-item]
    return session.get(server.url + path, headers=headers, timeout=5, allow_redirects=False, **kw)  # type: ignore[arg-type]


def soup_of(resp: requests.Response) -> BeautifulSoup:
    assert resp.status_code == 200, resp.url
    return BeautifulSoup(resp.content, "lxml")


def notice_paths(*hosts: str) -> set[tuple[str, str]]:
    return {(n["host"], n["path"]) for n in mirrored_notices(hosts=hosts)}


def nav_link(soup: BeautifulSoup, text: str) -> str:
    (link,) = [a for a in soup.select("a") if a.get_text(strip=True) == text and a.get("href") != "/"]
    return link["href"]


# -- mirrored_notices ------------------------------------------------------------------------------


def test_mirrored_notices_keys_hints_and_expected() -> None:
    default = mirrored_notices()
    assert len(default) == 36 and {n["host"] for n in default} == set(HINTS) - set(SYNTHETIC_HOSTS)
    everything = mirrored_notices(include_synthetic=True)
    assert {n["host"] for n in everything} == set(HINTS)
    assert len({n["url"] for n in everything}) == len(everything)
    counts = {h: len(mirrored_notices(hosts=[h])) for h in SYNTHETIC_HOSTS}
    assert counts == {CCDI: 19, GD: 11, BJ: 16, GS: 9, PORTALS[0]: 1, PORTALS[1]: 1}
    for n in everything:
        assert n["site_hint"] == HINTS[n["host"]]
        assert n["url"] == f"{HOSTS[n['host']]['scheme']}://{n['host']}{n['path']}"
        if n["corpus_id"]:
            assert n["expected"] is None and n["notice_id"] == n["corpus_id"]
            continue
        e = n["expected"]
        assert set(e) == EXPECTED_KEYS and e["title"] == n["title"] and n["notice_id"]
        assert e["inspection_start"] < e["inspection_end"] < e["feedback_on"] <= n["published_on"]
        assert e["signed_on"] is None or e["feedback_on"] < e["signed_on"] <= n["published_on"]
        assert e["problems_done"] is None or e["problems_done"] <= e["problems_total"]
        body = e["inspecting_body"]
        assert body == {"ccdi": "中央", "guangdong": "省委", "gansu": "省委"}.get(n["site_hint"], body)
        assert e["inspection_kind"] == ("巡察" if body == "区委" else "巡视")
    bj = {n["expected"]["inspection_kind"] for n in mirrored_notices(hosts=[BJ])}
    assert bj == {"巡视", "巡察"}
    # Each call returns fresh copies.
    everything[-1]["expected"]["special_topics"].append("x")
    assert "x" not in mirrored_notices(include_synthetic=True)[-1]["expected"]["special_topics"]


def test_synthetic_text_states_its_expected_values(server: MirrorServer, session: requests.Session) -> None:
    """The page text says what ``expected`` claims (checked on the rendered pages of every host)."""
    body_selector = {
        CCDI: "div.content p",
        GD: "div.article-content p",
        BJ: "div.TRS_Editor p",
        GS: "div.content p",
        PORTALS[0]: "div#zoom p",
        PORTALS[1]: "div#zoom p",
    }
    for n in mirrored_notices(hosts=SYNTHETIC_HOSTS):
        e = n["expected"]
        paras = [
            p.get_text().strip()
            for p in soup_of(fetch(session, server, n["host"], n["path"])).select(body_selector[n["host"]])
        ]
        text = "\n".join(paras)
        team = f"{e['inspecting_body']}第{cn_number(e['team'])}{e['inspection_kind']}组"
        assert paras[0].startswith("根据") and team in paras[0] and "反馈了" in paras[0]
        assert ("专项" + e["inspection_kind"] in paras[0]) == bool(e["special_topics"])
        if e["signed_on"]:
            y, m, d = map(int, e["signed_on"].split("-"))
            assert paras[-2:] == [e["issuer"], f"{y}年{m}月{d}日"]
        else:
            assert e["issuer"] == e["title"].split("关于")[0] and paras[-1].startswith("欢迎")
        for key, label in (("contact_phone", "联系电话："), ("contact_email", "电子邮箱：")):
            assert (label in text) == (e[key] is not None) and (e[key] is None or label + e[key] in text)
        if e["problems_total"] is not None:
            assert any(f"{f(e['problems_total'])}个问题" in text for f in (str, cn_number))
        if e["problems_done"] is not None:
            assert any(f"已完成整改{f(e['problems_done'])}个" in text for f in (str, cn_number))
        assert "已完成整改" in text or e["problems_done"] is None


# -- CCDI -------------------------------------------------------------------------------------------


def test_ccdi_home_channel_redirect_and_trs_pages(server: MirrorServer, session: requests.Session) -> None:
    home = soup_of(fetch(session, server, CCDI, "/"))
    texts = [a.get_text(strip=True) for a in home.select("nav a")]
    assert {"首页", "要闻", "审查调查", "巡视巡察", "党纪法规", "国际合作"} <= set(texts)
    channel_path = nav_link(home.select_one("nav"), "巡视巡察")
    assert channel_path == "/xsxcn/"
    moved = fetch(session, server, CCDI, "/xsxcn")
    assert moved.status_code == 302 and moved.headers["Location"] == "https://www.ccdi.gov.cn/xsxcn/"
    channel = soup_of(fetch(session, server, CCDI, channel_path))
    assert channel.select_one("ul.list_news_dl2") is None and CREATE_PAGE.search(str(channel)) is None
    tabs = {a.get_text(): urljoin(channel_path, a["href"]) for a in channel.select("div.tith2 a")}
    assert tabs == {"中央巡视": "/xsxcn/zyxs/", "巡视整改": "/xsxcn/xszg/", "巡察工作": "/xsxcn/xcgz/"}
    for side in ("/xsxcn/zyxs/", "/xsxcn/xcgz/"):
        for a in soup_of(fetch(session, server, CCDI, side)).select("ul.list_news_dl2 li a"):
            assert soup_of(fetch(session, server, CCDI, urljoin(side, a["href"]))).select_one("h2.tit")

    column = tabs["巡视整改"]
    first = fetch(session, server, CCDI, column)
    assert first.text == fetch(session, server, CCDI, column + "index.html").text
    total, cur = map(int, CREATE_PAGE.search(first.text).groups())
    assert (total, cur) == (3, 0)
    files = ["index.html"] + [f"index_{i}.html" for i in range(1, total)]
    found, dates = [], []
    for i, name in enumerate(files):
        page = fetch(session, server, CCDI, column + name)
        assert CREATE_PAGE.search(page.text).groups() == (str(total), str(i))
        assert "下一页" not in page.text  # no static next link: the pager is drawn by JS
        for li in soup_of(page).select("ul.list_news_dl2 li"):
            assert li.a["target"] == "_blank" and li.a["href"].startswith("./")
            found.append(urljoin(column + name, li.a["href"]))
            dates.append(li.select_one("span.more").get_text())
    assert len(found) == 25 and dates == sorted(dates, reverse=True)
    assert fetch(session, server, CCDI, column + f"index_{total}.html").status_code == 404
    assert notice_paths(CCDI) <= {(CCDI, p) for p in found}

    for n in mirrored_notices(hosts=[CCDI])[:4]:
        assert re.fullmatch(r"/xsxcn/xszg/(\d{6})/t(\d{8})_(\d+)\.html", n["path"])
        soup = soup_of(fetch(session, server, CCDI, n["path"]))
        assert soup.select_one('meta[name="ArticleTitle"]')["content"] == n["title"]
        assert soup.select_one('meta[name="PubDate"]')["content"].strip() == n["published_at"]
        assert soup.select_one("div.other_Location").get_text().split() == [
            "首页",
            ">",
            "巡视巡察",
            ">",
            "巡视整改",
        ]
        assert soup.select_one("div.Article_61 > h2.tit").get_text(strip=True) == n["title"]
        assert soup.select_one("h3.daty > div.daty_con > em.e.e1").get_text() == "来源：中央纪委国家监委网站"
        assert " ".join(soup.select_one("em.e.e2").get_text().split()) == "发布时间： " + n["published_at"]
        assert soup.select_one("div#NewsArticleID").get_text() == n["path"].rsplit("_", 1)[1].removesuffix(
            ".html"
        )
        assert "createPageHTML_ZW(1, 0, " in str(soup)


# -- Guangdong --------------------------------------------------------------------------------------


def test_guangdong_next_links_and_absolute_hrefs(server: MirrorServer, session: requests.Session) -> None:
    url, pages, found = HOSTS[GD]["list_url"], [], []
    assert url == "https://www.gdjct.gd.gov.cn/swxsnew/xszg82/index.html"
    path = urlsplit(url).path
    assert fetch(session, server, GD, "/swxsnew/xszg82/").text == fetch(session, server, GD, path).text
    while path:
        pages.append(path)
        soup = soup_of(fetch(session, server, GD, path))
        for li in soup.select("div.list li"):
            href, full, shown = li.a["href"], li.a["title"], li.a.get_text()
            assert href.startswith("https://www.gdjct.gd.gov.cn/swxsnew/xszg82/content/post_")
            assert shown == full or (shown.endswith("…") and full.startswith(shown[:-1]))
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", li.span.get_text())
            found.append((urlsplit(href).hostname, urlsplit(href).path, full))
        nxt = soup.select("a.next")
        assert [a.get_text() for a in nxt] in ([], ["下一页"])
        path = urljoin(path, nxt[0]["href"]) if nxt else ""
    assert pages == [
        "/swxsnew/xszg82/index.html",
        "/swxsnew/xszg82/index_2.html",
        "/swxsnew/xszg82/index_3.html",
    ]
    assert fetch(session, server, GD, "/swxsnew/xszg82/index_1.html").status_code == 404
    assert len(found) == 15 and any(f[2] != f[2][:27] + "…" and len(f[2]) > 28 for f in found)
    assert notice_paths(GD) <= {(h, p) for h, p, _ in found}
    titles = {p: t for _, p, t in found}
    for n in mirrored_notices(hosts=[GD])[:3]:
        soup = soup_of(fetch(session, server, GD, n["path"]))
        assert soup.select_one("div.article > h1.article-title").get_text() == titles[n["path"]] == n["title"]
        assert f"发布时间：{n['published_at']}:00" in soup.select_one("div.article-info").get_text()


# -- Beijing ----------------------------------------------------------------------------------------


def test_beijing_createpagehtml_and_both_kinds(server: MirrorServer, session: requests.Session) -> None:
    column = "/zt/shejswxc/xsfk/"
    first = fetch(session, server, BJ, column)
    total, cur = map(int, CREATE_PAGE.search(first.text).groups())
    assert (total, cur) == (3, 0)
    found = []
    for i in range(total):
        name = "index.html" if i == 0 else f"index_{i}.html"
        page = fetch(session, server, BJ, column + name)
        assert CREATE_PAGE.search(page.text).groups() == (str(total), str(i))
        for li in soup_of(page).select("li"):
            assert re.fullmatch(r"\./lzbj/\d{6}/t\d{8}_\d+\.html", li.a["href"]) and li.a["title"]
            found.append(urljoin(column + name, li.a["href"]))
    assert len(found) == 22 and notice_paths(BJ) <= {(BJ, p) for p in found}
    kinds = set()
    for n in mirrored_notices(hosts=[BJ]):
        kinds.add((n["expected"]["inspection_kind"], n["expected"]["inspecting_body"]))
    assert kinds == {("巡视", "市委"), ("巡察", "区委")}
    n = mirrored_notices(hosts=[BJ])[0]
    soup = soup_of(fetch(session, server, BJ, n["path"]))
    assert soup.select_one("div.detail > h1").get_text() == n["title"]
    assert soup.select_one("span.detail-span").get_text() == f"来源 | 北京市纪委监委 {n['published_on']}"
    assert soup.select("div.TRS_Editor p")[0].get_text().startswith("根据")


# -- Gansu ------------------------------------------------------------------------------------------


def test_gansu_lists_index_pages_and_unit_portals(server: MirrorServer, session: requests.Session) -> None:
    home = soup_of(fetch(session, server, GS, "/"))
    path = nav_link(home, "巡视巡察")
    assert path == "/category/xsxc" and {"首页", "要闻动态", "审查调查"} <= {
        a.get_text() for a in home.select("a")
    }
    pages, items = [], []
    while path:
        pages.append(path)
        soup = soup_of(fetch(session, server, GS, path))
        items += [(a.get_text(), a["href"]) for a in soup.select("div.list li a")]
        nxt = [a for a in soup.select("a") if a.get_text() == "下一页"]
        path = nxt[0]["href"] if nxt else ""
    assert pages == ["/category/xsxc", "/category/xsxc/page/2"] and len(items) == 14
    indexes = [(t, h) for t, h in items if t.endswith("集中公布")]
    assert [t for t, _ in indexes] == [
        "十四届省委第四轮巡视整改进展情况集中公布",
        "十四届省委第三轮巡视整改进展情况集中公布",
    ]
    assert items.index(indexes[1]) >= 10  # the older round is on page 2
    assert not notice_paths(GS) & {(GS, h) for _, h in items}  # notices are reached only via 集中公布

    reached: set[tuple[str, str]] = set()
    for title, href in indexes:
        soup = soup_of(fetch(session, server, GS, href))
        paras = [p.get_text() for p in soup.select("div.content p")]
        round_cn = title.removeprefix("十四届省委第").split("轮")[0]
        assert (
            paras[0]
            == f"现在甘肃纪检监察网集中公布十四届省委第{round_cn}轮巡视整改进展情况，接受干部群众监督。"
        )
        assert paras[-2] == "中共甘肃省委巡视工作领导小组办公室" and re.fullmatch(
            r"\d{4}年\d{1,2}月\d{1,2}日", paras[-1]
        )
        assert all(re.match(r"省委第[一二三四五六七八九十]+巡视组：", p) for p in paras[1:-2])
        for a in soup.select("div.content a"):
            assert "通报" not in a.get_text() and "整改" not in a.get_text()  # the unit name only
            url = urljoin(f"http://{GS}{href}", a["href"])
            host, target = urlsplit(url).hostname, urlsplit(url).path
            notice = soup_of(fetch(session, server, host, target))
            if host == GS:
                assert notice.select_one("h1.title") and notice.select_one("div.info").get_text().startswith(
                    "发布时间："
                )
                assert notice.select("div.content p")
            else:
                assert host in PORTALS and notice.h1 and notice.select("div#zoom p")
                assert "发布日期：" in notice.select_one("div.info").get_text()
            reached.add((host, target))
    assert reached == notice_paths(GS, *PORTALS)
    assert {h for h, _ in reached} == {GS, *PORTALS}
    for portal in PORTALS:
        home = soup_of(fetch(session, server, portal, "/"))
        hrefs = {urljoin("/", a["href"]) for a in home.select("a")}
        assert hrefs and not notice_paths(portal) & {(portal, h) for h in hrefs}


# -- home pages of the older hosts ----------------------------------------------------------------------


def test_every_host_home_has_a_nav_with_decoys(server: MirrorServer, session: requests.Session) -> None:
    for host in ("www.lnsjjjc.gov.cn", "www.sdjj.gov.cn", "www.jssjw.gov.cn", GD, BJ, GS):
        soup = soup_of(fetch(session, server, host, "/"))
        texts = [a.get_text(strip=True) for a in soup.select("a")]
        assert "巡视巡察" in texts and "首页" in texts and "审查调查" in texts and "党纪法规" in texts
        column = urljoin("/", nav_link(soup, "巡视巡察"))
        assert fetch(session, server, host, column).status_code == 200
        if host in ("www.lnsjjjc.gov.cn", "www.sdjj.gov.cn", "www.jssjw.gov.cn"):
            assert column == HOSTS[host]["list_path"]  # column URLs unchanged


# -- HTTP behaviour on the new pages ------------------------------------------------------------------


def test_conditional_get_on_new_pages(server: MirrorServer, session: requests.Session) -> None:
    samples = [
        (CCDI, "/xsxcn/xszg/index_1.html"),
        (GD, "/swxsnew/xszg82/index_2.html"),
        (BJ, "/zt/shejswxc/xsfk/"),
        (GS, "/category/xsxc/page/2"),
        (CCDI, "/xsxcn/"),
    ]
    samples += [(n["host"], n["path"]) for n in mirrored_notices(hosts=SYNTHETIC_HOSTS)[::5]]
    for host, path in samples:
        first = fetch(session, server, host, path)
        assert first.status_code == 200 and first.headers["Content-Type"] == "text/html; charset=utf-8"
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert fetch(session, server, host, path, headers={"If-None-Match": etag}).status_code == 304
        assert fetch(session, server, host, path, headers={"If-Modified-Since": modified}).status_code == 304
        assert fetch(session, server, host, path, headers={"If-None-Match": '"x"'}).status_code == 200


# -- anomaly pages --------------------------------------------------------------------------------------


def test_blocked_list_and_anti_bot_pages(server: MirrorServer, session: requests.Session) -> None:
    soup = soup_of(fetch(session, server, FAULTS_HOST, "/list/blocked.html"))
    links = {a["href"]: a.get_text() for a in soup.select("ul.list li a")}
    assert links == BLOCKED_TITLES and set(links) <= set(FAULTS)
    assert all(
        t.endswith("整改进展情况的通报") or t.endswith("整改落实进展情况的通报") for t in links.values()
    )
    markers = {
        "/block/safedog.html": (200, ("safedog", "安全狗", "您的访问可能对网站造成威胁", "网站防火墙")),
        "/block/yunsuo.html": (200, ("yunsuo_session_verify", "云锁")),
        "/block/yundun.html": (200, ("创宇盾", "365cyd")),
        "/block/412.html": (412, ("document.cookie", "location.reload()")),
        "/block/521.html": (521, ("document.cookie=('__jsl_clearance=", "location.href")),
        "/block/captcha.html": (200, ("captchaPage", "seccaptcha.haplat.net", "comImageValidate")),
        "/err/soft404.html": (200, ("<title>404 页面不存在</title>", "抱歉，您访问的页面不存在或已被删除")),
    }
    assert set(markers) == set(BLOCK_PAGES) == set(BLOCKED_TITLES)
    for path, (status, needles) in markers.items():
        resp = fetch(session, server, FAULTS_HOST, path)
        assert resp.status_code == status, path
        assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
        text = resp.content.decode("utf-8")
        assert all(needle in text for needle in needles), path
        assert "ETag" not in resp.headers  # challenge pages are never cacheable
        assert "根据" not in text and "整改" not in text  # nothing notice-like to parse
    assert "__jsluid_h=" in fetch(session, server, FAULTS_HOST, "/block/521.html").headers["Set-Cookie"]
