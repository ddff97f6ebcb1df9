"""WAF interstitials and soft 404s are recognised from their own markup (constructed after real vendors' pages)."""

from __future__ import annotations

import pytest

from crawler.errors import FetchFailed
from crawler.web.anomalies import block_reason, check_page, is_soft_404

SAFEDOG = "<html><head><title>网站防火墙</title></head><body>您的访问可能对网站造成威胁，已被网站管理员设置拦截！<a href='http://www.safedog.cn'>安全狗</a></body></html>"
JSL = "<script>document.cookie=('_')+('_jsl_clearance')+('=1700000000.1|0|abc');location.href=location.pathname+location.search</script>"
CAPTCHA = "<html><body><div id='captchaPage'><img src='https://seccaptcha.haplat.net/x'></div></body></html>"
NOTICE = "<html><body><h1>中共某县委关于巡视整改进展情况的通报</h1>" + "<p>根据省委统一部署，整改工作有序推进。</p>" * 2000 + "</body></html>"


@pytest.mark.parametrize("status, page", [(200, SAFEDOG), (521, JSL), (200, CAPTCHA),
                                          (200, "<script>var x=1;document.cookie='a=b';window.location.reload();</script>"),
                                          (412, "<html></html>")])
def test_interstitials_are_blocks(status, page):
    assert block_reason(status, page)


def test_a_real_notice_is_not_a_block_or_a_404():
    assert block_reason(200, NOTICE) is None and not is_soft_404(200, NOTICE)


def test_soft_404_is_recognised_and_recorded_as_such():
    page = "<html><head><title>404 页面不存在</title></head><body>抱歉，您访问的页面不存在或已被删除</body></html>"
    with pytest.raises(FetchFailed) as info:
        check_page("http://x.gov.cn/a.html", 200, page)
    assert info.value.error_class == "soft_404" and not info.value.retryable


def test_block_is_retryable_so_the_site_is_tried_again_later():
    with pytest.raises(FetchFailed) as info:
        check_page("http://x.gov.cn/a.html", 200, SAFEDOG)
    assert info.value.error_class == "blocked" and info.value.retryable and "安全狗" in str(info.value)
