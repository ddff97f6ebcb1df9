from crawler.urls import absolute, url_key


def test_url_variants_collapse_to_one_key():
    variants = [
        "https://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_1.htm",
        "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_1.htm",
        "http://WWW.SDJJ.gov.cn:80/gzzc/xsxc/202008/t20200803_1.htm#top",
        "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_1.htm?utm_source=wx&spm=1.2",
        "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_1.htm/",
    ]
    assert len({url_key(v) for v in variants}) == 1


def test_different_pages_keep_different_keys():
    assert url_key("http://a.cn/x?id=1") != url_key("http://a.cn/x?id=2")
    assert url_key("http://a.cn:8080/x") != url_key("http://a.cn/x")


def test_relative_links_resolve_and_non_pages_are_dropped():
    base = "http://www.sdjj.gov.cn/gzzc/xsxc/index.htm"
    assert absolute(base, "./202008/t1.htm") == "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t1.htm"
    assert absolute(base, "../../a.htm#x") == "http://www.sdjj.gov.cn/a.htm"
    assert absolute(base, "javascript:void(0)") is None
    assert absolute(base, "mailto:a@b.cn") is None


def test_another_port_on_an_allowed_host_is_another_origin():
    from crawler.urls import authority

    assert authority("https://www.ccdi.gov.cn:443/x") == authority("https://WWW.ccdi.gov.cn/x") == "www.ccdi.gov.cn"
    assert authority("http://www.ccdi.gov.cn:19001/admin") == "www.ccdi.gov.cn:19001"
    assert authority("http://www.ccdi.gov.cn:abc/") == "www.ccdi.gov.cn:?"
