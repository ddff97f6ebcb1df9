"""Property-based tests (Hypothesis) over the pure parts that read what the web gives: the record parser,
URL canonicalisation and encoding detection. Any input gives an answer, never an exception, in bounded
time. (The search query parser's property is in test_search_any_query.py: it needs the database.)"""

from __future__ import annotations

import contextlib
import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.text.parse import parse_text
from crawler.text.record import parse_notice_text
from crawler.urls import absolute, authority, host_of, names_internal_host, url_key
from crawler.web.encoding import decode_html

SPEC_KEYS = {"title", "issuer", "signed_on", "published_on", "inspection_kind", "inspecting_body", "term", "round",
             "team", "inspection_start", "inspection_end", "feedback_on", "special_topics", "problems_total",
             "problems_done", "contact_phone", "contact_email"}
SECONDS_PER_EXAMPLE = 5.0  # generous: a parse of a few kB takes milliseconds

# Pieces notices are made of, so examples reach deep into the parser, not only its first refusal.
FRAGMENTS = ["关于", "巡视", "巡察", "整改", "进展情况", "的通报", "中共", "省委", "市委", "县委", "第", "一", "二", "三", "十",
             "轮", "届", "组", "巡视组", "巡察组", "对", "党组", "党委", "进行了", "反馈", "意见", "年", "月", "日", "至", "2023",
             "12", "31", "0", "个", "问题", "已整改", "完成", "联系电话", "0531-12345678", "邮箱", "a@b.cn", "：", ":",
             "，", "。", "、", "（", "）", "(", ")", "\n", " ", "\u3000", "\t", "一、", "（一）", "1.", "根据", "统一部署",
             "專項", "巡視", "萬", "〇", "二〇二三", "✓", "\ufffd", "\x00", "\u200b"]
notice_like = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)
any_text = notice_like | st.text(max_size=300)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cites_hold(record: dict, text: str) -> None:
    for field, cite in record["evidence"].items():
        if cite.get("start") is None:
            assert cite.get("from") == "page", field
            continue
        assert 0 <= cite["start"] <= cite["end"] <= len(text), field
        assert text[cite["start"]:cite["end"]] == cite["text"], field


@FAST
@given(any_text)
@example("关于十四届省委第一轮巡视整改进展情况的通报\n2023年2月30日至13月1日，省委第99999999999999999999巡视组进行了巡视。")
@example("年" * 2000)
@example("第" * 500 + "组")
def test_parse_notice_text_gives_a_record_for_any_text(text):
    started = time.monotonic()
    record = parse_notice_text(text)
    assert time.monotonic() - started < SECONDS_PER_EXAMPLE
    assert set(record) >= SPEC_KEYS
    cites_hold(record, text)


@FAST
@given(any_text)
def test_parse_text_gives_a_document_for_any_text(text):
    started = time.monotonic()
    doc = parse_text(text)
    assert time.monotonic() - started < SECONDS_PER_EXAMPLE
    assert set(doc["record"]) >= SPEC_KEYS
    cites_hold(doc["record"], doc["body_text"])


# -- URLs ---------------------------------------------------------------------------------------------

hosts = st.sampled_from(["www.sdjj.gov.cn", "WWW.SDJJ.GOV.CN", "www.sdjj.gov.cn.", "xn--fiqs8s.cn", "中国.cn",
                         "127.0.0.1", "[::1]", "a.b", "0x7f.1", "2130706433", "localhost", ""])
ports = st.sampled_from(["", ":80", ":443", ":8080", ":0", ":65535"])
segments = st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="?#"),
                            max_size=8), max_size=4).map("/".join)
queries = st.lists(st.tuples(st.sampled_from(["id", "utm_source", "spm", "page", "JSESSIONID", "a b", "x"]),
                             st.text(max_size=6)), max_size=4)
fragments = st.text(max_size=6)


@st.composite
def urls(draw) -> str:
    from urllib.parse import quote, urlencode

    query = urlencode(draw(queries))
    path = quote(draw(segments), safe="/;=") if draw(st.booleans()) else draw(segments)
    return (f"{draw(st.sampled_from(['http', 'https', 'HTTP']))}://{draw(hosts)}{draw(ports)}/{path}"
            + (f"?{query}" if query else "") + (f"#{draw(fragments)}" if draw(st.booleans()) else ""))


@FAST
@given(urls())
def test_url_key_is_a_fixed_point(url):
    key = url_key(url)
    assert "#" not in key and not key.startswith(("http:", "https:"))
    assert url_key("http://" + key) == key
    assert url_key("https://" + key) == key  # http and https are one page


@FAST
@given(st.text(max_size=200))
@example("http://a:99999/")
@example("http://[::1/")
@example("http://a:port/")
def test_url_functions_take_any_string(text):
    # urlsplit refuses some strings (an invalid IPv6 literal, a port out of range): a clear refusal
    with contextlib.suppress(ValueError):
        url_key(text)
    assert host_of(text) == host_of(text).lower()
    names_internal_host(text)
    authority(text)
    resolved = absolute("http://www.sdjj.gov.cn/a/b.htm", text)
    assert resolved is None or (resolved.startswith(("http://", "https://")) and "#" not in resolved)


# -- encodings ----------------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=400), st.sampled_from([None, "text/html", "text/html; charset=gbk",
                                                  "text/html; charset=utf-8", "text/html; charset=nonsense"]))
@example(b"\xef\xbb\xbf\xff\xfe", None)
@example(b'<meta charset="x-unknown">\xd6\xd0', None)
def test_decode_html_decodes_any_bytes(body, content_type):
    text, encoding = decode_html(body, content_type)
    assert isinstance(text, str) and isinstance(encoding, str)


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="<\ufeff"), max_size=200))
def test_utf8_text_comes_back_as_written(text):
    decoded, encoding = decode_html(text.encode("utf-8"), None)
    assert decoded == text


@FAST
@given(st.text(alphabet=st.sampled_from(list("巡视整改进展情况通报中共省委第一轮组年月日问题，。、（）")), min_size=1, max_size=200))
def test_gbk_text_comes_back_as_written_when_labelled(text):
    for content_type in ("text/html; charset=gbk", "text/html; charset=gb2312"):
        decoded, _ = decode_html(text.encode("gbk"), content_type)
        assert decoded == text
    decoded, _ = decode_html(f'<meta charset="gbk">{text}'.encode("gbk"), None)
    assert decoded.endswith(text)
