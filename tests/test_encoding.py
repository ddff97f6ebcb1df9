from crawler.web.encoding import decode_html

TEXT = "<p>朱镕基 陶喆 € 𠮷 巡视整改</p>"


def test_gbk_without_any_label_is_detected():
    text, encoding = decode_html(TEXT.replace("€ 𠮷 ", "").encode("gbk"), "text/html")
    assert "镕" in text and encoding == "gb18030"


def test_gb2312_label_is_read_as_gb18030():
    text, encoding = decode_html(TEXT.encode("gb18030"), "text/html; charset=gb2312")
    assert text == TEXT and encoding == "gb18030"


def test_utf8_label_on_gbk_bytes_is_not_trusted():
    text, _ = decode_html(TEXT.encode("gb18030"), "text/html; charset=utf-8")
    assert text == TEXT


def test_meta_charset_is_used_when_header_has_none():
    body = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>' + TEXT.encode("gb18030")
    text, encoding = decode_html(body, "text/html")
    assert TEXT in text and encoding == "gb18030"


def test_utf8_page_stays_utf8():
    text, encoding = decode_html(TEXT.encode("utf-8"), "text/html; charset=UTF-8")
    assert text == TEXT and encoding == "utf-8"
