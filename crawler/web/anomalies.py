"""Pages that are not what they claim: WAF/anti-bot interstitials and soft 404s.

Government sites put WAFs in front (安全狗 SafeDog, 云锁 Yunsuo, 创宇盾 / 加速乐 (Knownsec), 瑞数-style
412 cookie challenges, CCDI's image captcha). Their pages come back as 200/412/521 HTML that must never be
stored as a notice: they are recorded as `blocked` (the site is backed off) or `soft_404`.
"""

from __future__ import annotations

import re

from crawler.errors import FetchFailed

# Markers seen in the interstitials of the WAF products Chinese government sites use.
WAF_MARKERS: dict[str, tuple[str, ...]] = {
    "安全狗 (SafeDog)": ("safedog", "安全狗", "网站防火墙"),
    "云锁 (Yunsuo)": ("yunsuo_session_verify", "云锁"),
    "创宇盾 (Knownsec)": ("创宇盾", "365cyd", "jiasule", "__jsl_clearance"),
    "image captcha": ("captchaPage", "seccaptcha.haplat.net", "comImageValidate"),
}
# A small page whose script sets a cookie and reloads itself is a JS challenge, whatever the vendor.
JS_CHALLENGE = re.compile(r"document\.cookie\s*=.{0,400}?(location\.(reload|href|replace)|window\.location)", re.S | re.I)
CHALLENGE_STATUSES = frozenset({403, 412, 418, 420, 468, 521, 567})
SOFT_404 = re.compile(r"页面不存在|页面已被删除|页面已删除|找不到(该|您要的)?页面|您访问的页面不存在|page not found|404 not found", re.I)
SMALL_PAGE = 20_000  # interstitials and error pages are small; real notices are not


HREF = re.compile(r"""\shref\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def block_reason(status: int, text: str) -> str | None:
    """Why this answer is a WAF/anti-bot page, or None. Link targets are not read: a list page that
    links to a page named safedog.html is not itself a SafeDog page."""
    if len(text) > SMALL_PAGE and status < 400:
        return None
    text = HREF.sub(" ", text)
    for product, markers in WAF_MARKERS.items():
        hit = next((m for m in markers if m.lower() in text.lower()), None)
        if hit:
            return f"{product} interstitial (marker {hit!r})"
    if JS_CHALLENGE.search(text):
        return f"JavaScript cookie challenge (HTTP {status})"
    if status in CHALLENGE_STATUSES:
        return f"HTTP {status}, the status anti-bot gateways answer with"
    return None


def is_soft_404(status: int, text: str) -> bool:
    """A 200 page that says the page does not exist."""
    if status != 200 or len(text) > SMALL_PAGE:
        return False
    head = text[:3000]
    return bool(SOFT_404.search(head)) or bool(re.search(r"<title>[^<]*404[^<]*</title>", head, re.I))


def check_page(url: str, status: int, text: str) -> None:
    """Raise FetchFailed (blocked / soft_404) for an anomalous page; return quietly otherwise."""
    reason = block_reason(status, text)
    if reason:
        raise FetchFailed(f"blocked at {url}: {reason}", error_class="blocked", retryable=True, http_status=status)
    if is_soft_404(status, text):
        raise FetchFailed(f"{url} answers 200 but says the page does not exist (soft 404)", error_class="soft_404",
                          http_status=status)
