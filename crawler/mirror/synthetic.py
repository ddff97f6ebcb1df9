"""SYNTHETIC rectification notices for the hosts that have no real notice in ``corpus/``.

The texts are generated deterministically (seeded ``random.Random``) from the language of the
real corpus notices: the opening paragraph (根据…统一部署，YYYY年M月D日至M月D日，X第N巡视组对…进行了
常规巡视…，M月D日…向…反馈了巡视意见。…现将巡视整改进展情况予以公布。), sections 一、/（一）/1., the
problem counts (反馈意见指出的N个方面M个问题 / 已完成整改K个), the contact line and the signature.
Every unit, company and person named here is FICTIONAL (示范市, 某某集团, 张某某); phone numbers and
e-mail addresses are made up too.

Each notice is built from a ``NoticeSpec`` and carries its EXPECTED record (``expected()``, the
keys of docs/SPEC.md minus published_on) by construction, following the SPEC's rules: issuer is
the signature line when there is one, else the title's part before 关于; term/round only when the
text names them; a year left out of a date is the one that keeps the dates running forward;
special checks (专项检查) are not special inspections; a count of aspects alone is no problem count.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .pages import Article

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals, as notices write them (十三, 二十, 二十五)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def cn_date(d: date, with_year: bool = True) -> str:
    return (f"{d.year}年" if with_year else "") + f"{d.month}月{d.day}日"


@dataclass
class NoticeSpec:
    """What a synthetic notice says; ``render`` turns it into a title and paragraphs.

    org_title   the title's part before 关于 (中共示范市委)
    target      what was inspected, in the opening paragraph (示范市 / 示范市东城区委)
    recipient   who got the feedback (示范市委)
    short       how the body refers to the issuer (市委)
    signature   the 落款 line, or None (then issuer = org_title and there is no date line)
    """

    org_title: str
    target: str
    recipient: str
    short: str
    kind: str  # 巡视 | 巡察
    body: str  # 中央 | 省委 | 市委 | 区委 | 县委
    team: int
    start: date
    end: date
    feedback: date
    signed: date | None
    signature: str | None
    term: int | None = None
    round: int | None = None
    topics: list[str] = field(default_factory=list)
    aspects: int = 4
    total: int | None = None
    done: int | None = None
    phone: str | None = None
    email: str | None = None
    feedback_with_year: bool = True
    title_variant: int = 0
    seed: int = 0

    # -- derived --------------------------------------------------------------------------------
    @property
    def lead(self) -> str:
        return {"中央": "党中央", "省委": "省委", "市委": "市委", "区委": "区委", "县委": "县委"}[self.body]

    @property
    def team_name(self) -> str:
        return f"{self.body}第{cn_number(self.team)}{self.kind}组"

    @property
    def title(self) -> str:
        scope = (f"{cn_number(self.term)}届" if self.term else "") + self.body
        scope += f"第{cn_number(self.round)}轮" if self.round else ""
        tail = ("整改进展情况的通报", "整改落实进展情况的通报", "集中整改进展情况的通报")[
            self.title_variant % 3
        ]
        return f"{self.org_title}关于{scope}{self.kind}{tail}"

    @property
    def issuer(self) -> str:
        return self.signature or self.org_title

    def expected(self) -> dict[str, Any]:
        iso = date.isoformat
        return {
            "title": self.title,
            "issuer": self.issuer,
            "signed_on": iso(self.signed) if self.signed and self.signature else None,
            "inspection_kind": self.kind,
            "inspecting_body": self.body,
            "term": self.term,
            "round": self.round,
            "team": self.team,
            "inspection_start": iso(self.start),
            "inspection_end": iso(self.end),
            "feedback_on": iso(self.feedback),
            "special_topics": list(self.topics),
            "problems_total": self.total,
            "problems_done": self.done,
            "contact_phone": self.phone,
            "contact_email": self.email,
        }

    # -- text -----------------------------------------------------------------------------------
    def render(self) -> tuple[str, list[str]]:
        rng = random.Random(self.seed)
        lines = [self._opening(rng)]
        lines += self._section_one(rng)
        lines += self._section_two(rng)
        lines += self._section_three(rng)
        lines.append(self._closing(rng))
        if self.signature:
            lines.append(self.signature)
            assert self.signed is not None
            lines.append(cn_date(self.signed))
        return self.title, lines

    def _opening(self, rng: random.Random) -> str:
        k = self.kind
        same_year = self.end.year == self.start.year
        period = f"{cn_date(self.start)}至{cn_date(self.end, with_year=not same_year or rng.random() < 0.3)}"
        what = f"常规{k}"
        if self.topics:
            what += "".join(f"和{t}专项{k}" for t in self.topics)
        leader = (
            self.lead if rng.random() < 0.6 else f"{self.lead}和{self.lead.removeprefix('党')}{k}工作领导小组"
        )
        feedback = cn_date(self.feedback, with_year=self.feedback_with_year)
        rule = rng.choice(
            (
                f"按照党务公开原则和{k}工作有关要求",
                f"按照《{'巡视' if k == '巡视' else '巡察'}工作条例》有关要求",
                f"根据{k}工作有关要求",
            )
        )
        verb = rng.choice(("进行了", "开展了"))
        return (
            f"根据{leader}统一部署，{period}，{self.team_name}对{self.target}{verb}{what}。"
            f"{feedback}，{self.body}{k}组向{self.recipient}反馈了{k}意见。"
            f"{rule}，现将{k}整改进展情况予以公布。"
        )

    def _section_one(self, rng: random.Random) -> list[str]:
        k, s = self.kind, self.short
        meeting = self.feedback.replace(day=min(self.feedback.day + rng.randint(1, 5), 28))
        lines = [
            f"一、提高政治站位，扛牢{k}整改政治责任",
            f"{s}把抓好{self.body}{k}反馈意见整改落实作为重大政治任务，坚持以习近平新时代中国特色社会主义思想为指导，"
            f"切实把思想和行动统一到党中央决策部署上来。",
            f"（一）加强组织领导。{s}成立{k}整改工作领导小组，由主要负责同志任组长，"
            f"班子成员任副组长，领导小组下设办公室，负责整改日常工作。",
            f"（二）细化整改措施。{cn_date(meeting, with_year=False)}，{s}召开专题会议，研究制定整改方案，"
            f"逐项明确责任领导、责任单位和完成时限，建立问题清单、任务清单、责任清单，对账销号。",
        ]
        if rng.random() < 0.5:
            lines.append(
                f"（三）强化督促检查。把{k}整改纳入全面从严治党主体责任检查和年度考核，"
                f"对整改不力、敷衍整改的严肃问责，确保件件有着落、事事有回音。"
            )
        return lines

    def _counts(self, rng: random.Random) -> str:
        k = self.kind
        fmt = cn_number if rng.random() < 0.35 else str
        aspects = fmt(self.aspects)
        if self.total is None:
            return f"对{self.body}{k}组反馈的{aspects}个方面问题，逐条逐项研究整改措施，目前整改工作正在有序推进。"
        counted = f"{self.body}{k}组反馈意见指出的{aspects}个方面{fmt(self.total)}个问题"
        if self.done is None:
            return f"对{counted}，逐条制定整改措施，目前整改工作取得阶段性成效。"
        rest = self.total - self.done
        tail = f"，其余{fmt(rest)}个问题已取得阶段性成效，正在持续推进" if rest else "，全部完成整改"
        return f"截至目前，{counted}，已完成整改{fmt(self.done)}个{tail}。"

    def _section_two(self, rng: random.Random) -> list[str]:
        k = self.kind
        lines = [f"二、坚持问题导向，扎实推进{k}反馈问题整改", self._counts(rng)]
        topics = [
            ("贯彻落实党中央决策部署和上级工作要求", ("推动高质量发展举措不够有力", "重点任务落实存在差距")),
            ("落实全面从严治党“两个责任”", ("主体责任压力传导逐级递减", "违反中央八项规定精神问题仍有发生")),
            ("落实新时代党的组织路线", ("基层党组织建设存在薄弱环节", "干部队伍建设统筹不够")),
            ("落实意识形态工作责任制", ("理论学习中心组学习不够深入", "阵地管理存在漏洞")),
        ]
        for i, (area, problems) in enumerate(rng.sample(topics, 3)):
            lines.append(f"（{cn_number(i + 1)}）关于{area}方面的问题")
            for j, problem in enumerate(problems):
                lines.append(
                    f"{j + 1}.关于{problem}的问题。"
                    + rng.choice(
                        (
                            "制定专项整改方案，明确整改目标和时限，建立健全长效工作机制，相关问题已整改到位。",
                            "开展专项治理，举一反三查找同类问题，完善制度规定3项，持续巩固整改成效。",
                            "召开专题会议研究部署，压实责任单位整改责任，定期调度整改进度，目前正在持续推进。",
                        )
                    )
                )
        if self.topics:
            topic = self.topics[0]
            lines.append(f"（{cn_number(4)}）关于{topic}专项{k}反馈问题")
            lines.append(
                f"1.关于{topic}工作推进不够有力的问题。出台专项工作方案，建立问题台账，完善工作机制，整改工作取得阶段性成效。"
            )
        if rng.random() < 0.5:
            # A special CHECK (专项检查) is not a special inspection (SPEC): no topic comes from it.
            lines.append(
                "同步推进选人用人专项检查和意识形态工作责任制落实情况专项检查反馈问题整改，相关问题已纳入整改台账一体推进。"
            )
        return lines

    def _section_three(self, rng: random.Random) -> list[str]:
        k, s = self.kind, self.short
        return [
            "三、巩固深化整改成果，建立健全长效机制",
            f"下一步，{s}将坚持目标不变、标准不降、力度不减，对已完成的整改事项适时组织“回头看”，"
            f"对需要长期坚持的整改事项紧盯不放、持续推进，以{k}整改实效推动各项事业高质量发展。",
        ]

    def _closing(self, rng: random.Random) -> str:
        k = self.kind
        text = f"欢迎广大干部群众对{k}整改落实情况进行监督。"
        contacts = []
        if self.phone:
            contacts.append(f"联系电话：{self.phone}")
        if rng.random() < 0.4:
            contacts.append(f"邮政信箱：{self.target.removesuffix('委')}{k}整改工作领导小组办公室")
        if self.email:
            contacts.append(f"电子邮箱：{self.email}")
        if contacts:
            text += "如有意见建议，请及时向我们反映。" + "；".join(contacts) + "。"
        return text


def make_article_lines(spec: NoticeSpec) -> tuple[str, list[str], dict[str, Any]]:
    """(title, body lines, expected record) of one synthetic notice."""
    title, lines = spec.render()
    return title, lines, spec.expected()


def random_phone(rng: random.Random, area: str) -> str:
    # Made-up numbers in the format notices print (0931-8xxxxxx); 555 marks them as fake.
    return f"{area}-555{rng.randint(1000, 9999)}"


def random_email(rng: random.Random, local: str, domain: str) -> str:
    return f"{local}{rng.randint(10, 99)}@{domain}"


@dataclass(frozen=True)
class Unit:
    """An inspected organisation: title prefix, how the opening names it, feedback recipient,
    how the body refers to it, and its signature (the 落款, often the full 委员会 form)."""

    org_title: str
    target: str
    recipient: str
    short: str
    signature: str


def spec_for(
    rng: random.Random,
    unit: Unit,
    *,
    published: date,
    kind: str,
    body: str,
    team: int,
    term: int | None,
    round: int | None,
    area: str,
    domain: str,
    topics: tuple[str, ...] = ("营商环境", "乡村振兴"),
) -> NoticeSpec:
    """A varied spec whose dates run backwards from the publication date: signed 1-6 days
    before publication, feedback 3-5 months before that, a 6-10 week inspection before that."""
    signed = published - timedelta(days=rng.randint(1, 6))
    feedback = signed - timedelta(days=rng.randint(90, 150))
    end = feedback - timedelta(days=rng.randint(25, 60))
    start = end - timedelta(days=rng.randint(42, 70))
    has_signature = rng.random() < 0.75
    total = rng.randint(18, 64) if rng.random() < 0.7 else None
    done = None
    if total is not None and rng.random() < 0.8:
        done = total - rng.randint(0, max(1, total // 5))
    return NoticeSpec(
        org_title=unit.org_title,
        target=unit.target,
        recipient=unit.recipient,
        short=unit.short,
        kind=kind,
        body=body,
        team=team,
        start=start,
        end=end,
        feedback=feedback,
        signed=signed,
        signature=unit.signature if has_signature else None,
        term=term,
        round=round,
        topics=[rng.choice(topics)] if rng.random() < 0.3 else [],
        aspects=rng.randint(3, 5),
        total=total,
        done=done,
        phone=random_phone(rng, area) if rng.random() < 0.6 else None,
        email=random_email(rng, "xszg", domain) if rng.random() < 0.45 else None,
        feedback_with_year=rng.random() < 0.5,
        title_variant=rng.randrange(3),
        seed=rng.randrange(1 << 30),
    )


def notice_article(spec: NoticeSpec, published: datetime, synthetic_id: str) -> Article:
    """The Article of a synthetic notice, with its expected record attached."""
    title, lines, expected = make_article_lines(spec)
    assert spec.signed is None or spec.signed <= published.date()
    return Article(title, lines, published, expected=expected, synthetic_id=synthetic_id)


def news_articles(items: list[tuple[str, str]], dates: list[datetime]) -> list[Article]:
    """Filler news (not notices): (title, one-paragraph body) per date."""
    return [Article(title, [body], when) for (title, body), when in zip(items, dates, strict=True)]
