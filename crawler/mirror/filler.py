"""Deterministic "ordinary commission news" that shares the column with the notices.

Real 巡视巡察 columns mix rectification notices with meeting reports, inspection-team
arrivals, disciplinary decisions and look-alike headlines (反馈巡视情况, 整改进展情况开始公布).
The filler makes pagination real and gives the crawler's notice classifier negatives.
All names are anonymised (张某某) so no real person is named; a seeded RNG keeps the
output identical from run to run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from .pages import Article

_NUMERALS = "一二三四五六七八九十"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
# (office, head's title): the post must fit the office ("委员会" is led by a 主任, "局" by a 局长).
_OFFICES = (
    ("发展和改革委员会", "主任"),
    ("自然资源局", "局长"),
    ("住房和城乡建设局", "局长"),
    ("交通运输局", "局长"),
    ("国有资产监督管理委员会", "主任"),
    ("农业农村局", "局长"),
)

# (title template, body templates). Placeholders: prov (省/市 short name), city, office, post,
# person, n (team/round numeral), year.
_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "{prov}纪委监委召开常委会会议",
        (
            "近日，{prov}纪委监委召开常委会会议，传达学习中央纪委国家监委有关会议精神，研究部署下一阶段工作。",
            "会议强调，要坚定不移推进全面从严治党，一体推进不敢腐、不能腐、不想腐。",
        ),
    ),
    (
        "{city}{office}原{post}{person}严重违纪违法被开除党籍",
        (
            "经{prov}纪委监委批准，{prov}纪委监委对{city}{office}原{post}{person}严重违纪违法问题进行了立案审查调查。",
            "经查，{person}丧失理想信念，违反中央八项规定精神，利用职务上的便利为他人谋取利益并收受财物。",
            "依据有关规定，经研究决定，给予{person}开除党籍处分；收缴其违纪违法所得。",
        ),
    ),
    (
        "{prov}委第{n}巡视组完成进驻",
        (
            "根据{prov}委统一部署，{prov}委第{n}巡视组近日完成进驻。",
            "巡视期间设立专门值班电话和邮政信箱，受理反映被巡视党组织领导班子及其成员问题的来信来电。",
        ),
    ),
    (
        "{prov}委第{n}轮巡视工作动员部署会召开",
        (
            "近日，{prov}委第{n}轮巡视工作动员部署会召开，对本轮巡视工作进行动员部署。",
            "会议要求，各巡视组要牢牢把握政治巡视定位，精准发现问题，推动解决问题。",
        ),
    ),
    (
        "{city}纪委监委通报{n}起违反中央八项规定精神典型问题",
        (
            "为进一步严明纪律要求，{city}纪委监委对近期查处的{n}起违反中央八项规定精神典型问题进行公开通报。",
            "各级党组织要引以为戒，持之以恒纠治“四风”。",
        ),
    ),
    (
        "{prov}委巡视组向{city}反馈巡视情况",
        (
            "根据{prov}委统一部署，{prov}委第{n}巡视组近日向{city}反馈巡视情况。",
            "反馈会议指出，要压实整改主体责任，确保巡视反馈问题逐项整改到位。",
        ),
    ),
    (
        "{city}{office}{post}{person}接受纪律审查和监察调查",
        ("{city}{office}{post}{person}涉嫌严重违纪违法，目前正接受{prov}纪委监委纪律审查和监察调查。",),
    ),
    (
        "{prov}纪委监委举办纪检监察干部业务培训班",
        ("近日，{prov}纪委监委举办纪检监察干部业务培训班，围绕审查调查、案件审理等内容开展专题培训。",),
    ),
    (
        "{year}年{prov}委第{n}轮巡视整改进展情况开始公布",
        (
            "近日，{prov}委第{n}轮巡视被巡视党组织整改进展情况陆续向社会公布，接受干部群众监督。",
            "各被巡视党组织的通报全文见本栏目。",
        ),
    ),
)


@dataclass(frozen=True)
class Region:
    """Local names the templates are filled with."""

    prov: str
    cities: tuple[str, ...]


LIAONING = Region(
    "省", ("沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市")
)
SHANDONG = Region(
    "省", ("济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市", "泰安市", "威海市")
)
JIANGSU = Region(
    "省",
    ("南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市", "淮安市", "盐城市", "扬州市"),
)


def _numeral(rng: random.Random) -> str:
    return _NUMERALS[rng.randrange(len(_NUMERALS))]


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "某" + rng.choice(("", "某"))


def spread(start: datetime, end: datetime, count: int, rng: random.Random) -> list[datetime]:
    """``count`` dates spread evenly from ``start`` to ``end``, each at a random office hour."""
    if count <= 0:
        return []
    span = (end - start).days
    days = [start + timedelta(days=round(span * i / max(count - 1, 1))) for i in range(count)]
    return [d.replace(hour=rng.randint(8, 17), minute=rng.randrange(0, 60, 5)) for d in days]


def make_filler(region: Region, dates: list[datetime], seed: str) -> list[Article]:
    """One filler article per date; the template cycles so every kind appears."""
    rng = random.Random(seed)
    articles = []
    for index, published in enumerate(dates):
        title_tpl, body_tpls = _TEMPLATES[(index * 4 + rng.randrange(2)) % len(_TEMPLATES)]
        office, post = rng.choice(_OFFICES)
        fields = {
            "prov": region.prov,
            "city": rng.choice(region.cities),
            "office": office,
            "post": rng.choice(("", "副")) + post,
            "person": _person(rng),
            "n": _numeral(rng),
            "year": str(published.year),
        }
        title = title_tpl.format(**fields)
        lines = [body.format(**fields) for body in body_tpls]
        articles.append(Article(title=title, lines=lines, published=published))
    return articles
