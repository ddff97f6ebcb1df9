"""The CMS zoo: one mirrored site per Chinese government CMS family, each given to the crawler by its
home page alone (tests/fixtures/zoo_sites/<id>.toml), with the column at a different depth and under a
different name on each. See crawler/mirror/README.md (zoo table) for what makes each one hard.

``zoo_sites()`` builds fresh site objects (the mirror registers them like its other hosts);
``expected_notice_urls(site_id)`` is the set of notice URLs a crawl of that site must store, and nothing
else; ``HELD_OUT`` are sites the tests do not crawl (kept for a final check of the rewritten discovery).
"""

from __future__ import annotations

from ..pages import Site
from .base import ZooSite
from .dede import DedeSite
from .gkmlpt import GkmlptSite
from .hanweb import HanwebSite
from .heldout import AspNetSite, OnclickSite, ZtSite
from .kaipu import KaipuSite
from .phpcms import PhpcmsSite
from .powereasy import PowerEasySite
from .siteserver import SiteServerSite
from .trs import TrsSite
from .vsb import VsbSite

SITE_CLASSES: tuple[type[ZooSite], ...] = (
    TrsSite, HanwebSite, DedeSite, PhpcmsSite, VsbSite, PowerEasySite, SiteServerSite, KaipuSite, GkmlptSite,
    AspNetSite, OnclickSite, ZtSite,
)

# Held out from tests/test_zoo.py: site id -> what makes it hard.
HELD_OUT: dict[str, str] = {
    "zoo_aspnet": "ASP.NET WebForms list: pages 2+ exist only as __doPostBack POSTs carrying __VIEWSTATE/"
                  "__EVENTTARGET (no URL per page); the column 巡察公告 hangs under 通知公告 in the nav",
    "zoo_onclick": "政府信息公开目录 table (索引号/名称/发布机构/生成日期) whose title cells have no href, only "
                   "onclick=\"openArticle('123')\"; the unit's catalogue is picked from a <select> drop-down",
    "zoo_zt": "the column is a 专题 on another host (zt.zoo-zt.test, in allowed_hosts) linked from a home-page "
              "image banner; its list grows by a '加载更多' button fed by a JSONP endpoint (callback=…)",
}


def zoo_sites() -> list[Site]:
    """Fresh site objects for every zoo host (a site's companions, such as zoo_zt's portal, included)."""
    sites: list[Site] = []
    for cls in SITE_CLASSES:
        site = cls()
        sites += [site, *site.companions()]
    return sites


def zoo_site_ids(include_held_out: bool = False) -> list[str]:
    return [cls.site_id for cls in SITE_CLASSES if include_held_out or cls.site_id not in HELD_OUT]


def expected_notice_urls(site_id: str) -> set[str]:
    """The notice URLs (scheme://host/path…) a crawl of ``site_id`` must store, and nothing else."""
    for cls in SITE_CLASSES:
        if cls.site_id == site_id:
            return cls().notice_urls()
    raise KeyError(f"no zoo site {site_id!r}")


__all__ = ["HELD_OUT", "SITE_CLASSES", "ZooSite", "expected_notice_urls", "zoo_site_ids", "zoo_sites"]
