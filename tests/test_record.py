"""Tests for crawler.text.record.parse_notice_text, field by field.

Sentences marked "corpus" are quoted from the notices in crawler/mirror/corpus (file id given);
sentences marked "constructed" are phrasings written for these tests from the same language
(other provinces, central inspections, county 巡察, Chinese numerals, missing years …).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crawler.text.record import FIELDS, parse_notice_text, quality_checks

CORPUS = Path(__file__).resolve().parent.parent / "crawler" / "mirror" / "corpus"


def notice(nid: str) -> dict:
    return parse_notice_text((CORPUS / f"{nid}.txt").read_text(encoding="utf-8"))


def parse(*paragraphs: str, **kw: str) -> dict:
    return parse_notice_text("\n".join(paragraphs), **kw)


# Opening paragraphs used as context for body sentences.
LN_OPENING = (  # corpus ln02
    "根据省委和省委巡视工作领导小组统一部署,2023年9月20日至11月30日,省委第三巡视组对沈阳市沈河区进行了常规巡视和"
    "营商环境专项巡视。2024年1月7日,省委巡视组向沈阳市沈河区反馈了巡视意见。按照《巡视工作条例》有关要求,"
    "现将巡视整改情况予以公开。"
)
SD_OPENING = (  # corpus sd01
    "根据省委统一部署,2019年9月18日至12月10日,省委第八巡视组对烟台市莱山区开展了巡视。2020年3月24日,"
    "省委巡视组向莱山区委反馈了巡视意见。按照党务公开原则和巡视工作有关要求,现将巡视整改情况予以公布。"
)
PJ_OPENING = (  # corpus pj01: a city committee's 巡察
    "根据市委和市委巡察工作领导小组统一部署,2020年4月20日至6月19日,市委第二巡察组对新区党工委进行了常规巡察。"
    "7月28日,市委巡察组向新区党工委反馈了巡察意见。按照党务公开原则和巡察工作有关要求,现将巡察整改进展情况予以公布。"
)


def test_record_has_exactly_the_spec_keys_plus_quality_and_evidence():
    rec = notice("ln01")
    assert set(rec) == set(FIELDS) | {"quality", "evidence"}
    assert rec["quality"] == []


def test_empty_text_gives_empty_record():
    rec = parse_notice_text("")
    assert all(rec[k] is None for k in FIELDS if k != "special_topics")
    assert rec["special_topics"] == [] and rec["quality"] == []


# --- title --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, title",
    [
        ("ln01", "中共沈阳市和平区委关于十三届省委第四轮巡视第三巡视组巡视反馈意见整改落实情况的通报"),
        ("sd01", "中共烟台市莱山区委关于巡视整改进展情况的通报"),  # after "首页>工作之窗>巡视巡察"
        ("pj01", "中共盘锦辽东湾新区工作委员会 关于市委巡察整改情况的通报"),  # after portal chrome lines
        ("ln47", "中共葫芦岛市连山区委关于十三届省委第四轮整改进展情况的通报"),  # no 巡视 in the title
        ("ln14", "中共甘井子区委关于省委巡视整改落实进展情况的通报(社会公开)"),
        ("js01", None),  # the text starts with the opening paragraph
    ],
)
def test_title_from_corpus(nid, title):
    assert notice(nid)["title"] == title


def test_title_argument_wins_over_text():
    rec = parse(
        "中共某县委关于巡视整改进展情况的通报", SD_OPENING, title="中共某某县委关于巡视整改情况的通报"
    )
    assert rec["title"] == "中共某某县委关于巡视整改情况的通报"
    assert rec["issuer"] == "中共某某县委"


def test_title_broken_after_issuer_constructed():
    rec = parse("中共某县委", "关于十四届省委第二轮巡视整改进展情况的通报", SD_OPENING)
    assert rec["title"] == "中共某县委关于十四届省委第二轮巡视整改进展情况的通报"


def test_title_broken_under_a_site_name_takes_no_issuer_from_it_constructed():
    rec = parse("樾溪新闻网", "关于县委巡察反馈意见整改情况的通报", SD_OPENING)
    assert rec["title"] == "关于县委巡察反馈意见整改情况的通报"


def test_title_as_a_document_stores_file_name_constructed():
    rec = parse("原创力文档", "中共某街道工作委员会关于市委巡察整改情况的通报.docx", "上传时间：2020-06-03　浏览量：52", SD_OPENING)
    assert rec["title"] == "中共某街道工作委员会关于市委巡察整改情况的通报"
    assert rec["issuer"] == "中共某街道工作委员会"
    assert rec["published_on"] == "2020-06-03"


def test_title_with_a_year_is_not_the_opening_constructed():
    rec = parse(
        "中共某县委关于2023年省委第三巡视组巡视反馈意见整改情况的通报",
        "根据省委统一部署,2023年4月至6月,省委第三巡视组对某县进行了巡视,并于2023年7月15日反馈了巡视意见。",
    )
    assert rec["title"] == "中共某县委关于2023年省委第三巡视组巡视反馈意见整改情况的通报"
    assert rec["feedback_on"] == "2023-07-15"


def test_opening_sentence_is_not_a_title():
    assert parse(SD_OPENING)["title"] is None


# --- issuer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, issuer",
    [
        ("sd01", "中共烟台市莱山区委"),  # signature line
        ("js01", "中共苏州市相城区委员会"),  # signature, no title
        ("pj01", "中共盘锦辽东湾新区工作委员会"),  # signature before "关闭 打印 上一篇"
        ("ln17", "金州区委(金普新区党工委)"),  # title part before 关于
        ("ln35", "中共营口市站前区党委"),
    ],
)
def test_issuer_from_corpus(nid, issuer):
    assert notice(nid)["issuer"] == issuer


@pytest.mark.parametrize(
    "title, issuer",
    [
        ("中共某县委巡视整改进展情况的通报", "中共某县委"),  # constructed: no 关于
        ("中共某市委员会十三届省委第四轮巡视整改进展情况的通报", "中共某市委员会"),  # constructed
        ("巡视整改进展情况的通报", None),
    ],
)
def test_issuer_from_title_without_guanyu(title, issuer):
    assert parse(title, SD_OPENING)["issuer"] == issuer


def test_issuer_party_group_signature_constructed():
    rec = parse(
        "中共某某集团有限公司党组关于巡视整改进展情况的通报",
        "根据中央统一部署,2021年5月8日至7月10日,中央第十一巡视组对某某集团有限公司党组进行了常规巡视,"
        "8月30日向某某集团有限公司党组反馈了巡视意见。",
        "中共某某集团有限公司党组",
        "2022年1月5日",
    )
    assert rec["issuer"] == "中共某某集团有限公司党组"
    assert rec["signed_on"] == "2022-01-05"


# --- signed_on ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, signed", [("sd01", "2020-07-31"), ("js01", "2020-04-27"), ("pj01", "2020-11-16"), ("ln01", None)]
)
def test_signed_on_from_corpus(nid, signed):
    assert notice(nid)["signed_on"] == signed


def test_signed_on_chinese_numerals_and_trailing_note_constructed():
    rec = parse(SD_OPENING, "正文。", "中共某市委员会", "二〇二一年六月三十日", "(此件公开发布)")
    assert rec["signed_on"] == "2021-06-30"
    assert rec["issuer"] == "中共某市委员会"


def test_date_inside_body_is_not_a_signature():
    rec = parse(LN_OPENING, "2024年1月10日召开区委常委会会议,传达学习省委书记讲话精神。")
    assert rec["signed_on"] is None


# --- published_on -------------------------------------------------------------------------


def test_published_on_from_source_line_corpus():
    # corpus sd01: "来源:山东省纪委监委网站发布时间:2020-08-03"
    assert notice("sd01")["published_on"] == "2020-08-03"
    assert notice("ln01")["published_on"] is None


def test_published_on_argument_wins():
    assert notice("js01")["published_on"] is None
    text = (CORPUS / "sd01.txt").read_text(encoding="utf-8")
    assert parse_notice_text(text, published_on="2020-08-04")["published_on"] == "2020-08-04"


def test_published_on_date_on_next_line_constructed():
    # portal layout where the value sits in its own element: "发布时间：" / "2024-12-31 07:00"
    rec = parse("发布时间：", "  2024-12-31 07:00", SD_OPENING)
    assert rec["published_on"] == "2024-12-31"


def test_published_on_full_width_constructed():
    assert parse("来源：某县纪委监委  发布日期：2021年03月09日", SD_OPENING)["published_on"] == "2021-03-09"


# --- inspection_kind, inspecting_body, team -----------------------------------------------


@pytest.mark.parametrize(
    "nid, kind, body, team",
    [
        ("sd01", "巡视", "省委", 8),
        ("pj01", "巡察", "市委", 2),  # city committee 巡察
        ("ln10", "巡视", "省委", 16),  # 省委第十六巡视组
        ("ln34", "巡视", "省委", 11),
        ("ln01", "巡视", "省委", 3),
    ],
)
def test_kind_body_team_from_corpus(nid, kind, body, team):
    rec = notice(nid)
    assert (rec["inspection_kind"], rec["inspecting_body"], rec["team"]) == (kind, body, team)


@pytest.mark.parametrize(
    "opening, kind, body, team",
    [
        (
            "根据中央统一部署,2021年5月8日至7月10日,中央第十一巡视组对吉林省进行了巡视,8月30日向吉林省委反馈了巡视意见。",
            "巡视",
            "中央",
            11,
        ),
        (
            "根据县委统一部署,2021年3月15日至5月20日,县委第二巡察组对县水利局党组进行了常规巡察。",
            "巡察",
            "县委",
            2,
        ),
        (
            "根据区委统一部署,2022年4月6日至5月30日,区委第三巡察组对某街道党工委开展了巡察“回头看”。",
            "巡察",
            "区委",
            3,
        ),
        (
            "根据自治区党委统一部署,2022年3月1日至4月30日,自治区党委第五巡视组对某市进行了巡视。",
            "巡视",
            "省委",
            5,
        ),
        ("根据中央统一部署,2021年10月至12月,中央巡视组对某部党组进行了常规巡视。", "巡视", "中央", None),
        (
            "根据市委统一部署,2021年4月6日至5月30日,市委巡察三组对市某局党组进行了常规巡察。",
            "巡察",
            "市委",
            3,
        ),
        # a district committee written 区党委 (as corpus ln35's issuer) running 巡察 is a 区委
        (
            "根据区委统一部署,2022年4月6日至5月30日,站前区党委第三巡察组对某街道党工委进行了常规巡察。",
            "巡察",
            "区委",
            3,
        ),
    ],
)
def test_kind_body_team_constructed(opening, kind, body, team):
    rec = parse(opening)
    assert (rec["inspection_kind"], rec["inspecting_body"], rec["team"]) == (kind, body, team)


def test_team_from_title_when_opening_names_none_constructed():
    rec = parse(
        "中共某区委关于十三届省委第四轮巡视第三巡视组巡视反馈意见整改落实情况的通报",
        "根据省委统一部署,省委巡视组于2023年9月21日至11月30日对某区进行了巡视,并于2024年1月7日反馈了巡视意见。",
    )
    assert (rec["inspecting_body"], rec["team"]) == ("省委", 3)
    assert rec["feedback_on"] == "2024-01-07"


# --- term and round -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, term, round_",
    [
        ("ln01", 13, 4),  # title: 十三届省委第四轮巡视第三巡视组
        ("ln47", 13, 4),  # title: 十三届省委第四轮整改
        ("ln14", 13, 4),  # body: 听取十三届省委第四轮巡视情况汇报时的重要讲话精神
        ("ln31", 13, 4),  # body: 十三届省委第四轮巡视古塔区委反馈会议
        ("ln22", 13, 4),  # body: 《关于十三届省委第四轮巡视第七巡视组对望花区常规巡视反馈意见整改工作方案》
        ("ln43", 13, 3),  # body: 十三届省委第三轮巡视 (as written)
        ("ln02", None, None),
        ("ln10", None, None),  # 十八届县委第三至第五轮巡察 is the county's own 巡察
        ("ln37", None, None),  # 二十届中央第三轮巡视动员部署会议 is a central round
        ("sd01", None, None),
    ],
)
def test_term_round_from_corpus(nid, term, round_):
    rec = notice(nid)
    assert (rec["term"], rec["round"]) == (term, round_)


def test_party_congress_is_not_a_term():
    # corpus ln04: "区委把抓好巡视整改工作与贯彻党的二十大和二十届二中、三中全会精神结合起来"
    rec = parse(LN_OPENING, "区委把抓好巡视整改工作与贯彻党的二十大和二十届二中、三中全会精神结合起来。")
    assert rec["term"] is None


def test_earlier_dated_inspection_is_not_this_term():
    # corpus ln01 body, without its title: an earlier (2022) inspection is named
    rec = parse(
        LN_OPENING,
        "和平区委坚持把此轮巡视反馈的问题,主动与2018年中央巡视、2022年十三届省委常规巡视及营商环境专项巡视等反馈问题相结合。",
    )
    assert rec["term"] is None


@pytest.mark.parametrize(
    "title, opening, term, round_",
    [
        (
            "中共某省委关于十九届中央第八轮巡视整改进展情况的通报",
            "根据中央统一部署,2021年10月12日至12月12日,中央第七巡视组对某省进行了巡视。",
            19,
            8,
        ),
        ("中共某县委关于十届省委第六轮巡视整改进展情况的通报", SD_OPENING, 10, 6),
        ("中共某县委关于省委第二轮巡视整改进展情况的通报", SD_OPENING, None, 2),
        (
            "中共某局党组关于十五届县委第三轮巡察整改情况的通报",
            "根据县委统一部署,2022年4月6日至5月30日,县委第一巡察组对县某局党组进行了常规巡察。",
            15,
            3,
        ),
    ],
)
def test_term_round_constructed(title, opening, term, round_):
    rec = parse(title, opening)
    assert (rec["term"], rec["round"]) == (term, round_)


# --- inspection_start, inspection_end, feedback_on ----------------------------------------


@pytest.mark.parametrize(
    "nid, start, end, feedback",
    [
        (
            "ln35",
            "2023-09-22",
            "2023-11-30",
            "2024-01-12",
        ),  # "…11月30日…。1月12日,省委巡视组…反馈" (year left out)
        ("js01", "2019-08-05", "2019-09-24", "2019-12-30"),  # "2019年8月5日至9月24日 … 12月30日"
        ("ln16", "2023-09-22", "2023-11-30", "2024-01-09"),  # "2023年9月22日—11月30日"
        ("ln43", "2023-09-20", "2023-11-30", "2024-01-09"),  # "2023年9月20日至2023年11月30日"
        ("ln01", "2023-09-21", "2023-11-30", "2024-01-07"),  # "并于2024年1月7日向和平区委反馈了巡视意见"
        ("pj01", "2020-04-20", "2020-06-19", "2020-07-28"),
        ("sd01", "2019-09-18", "2019-12-10", "2020-03-24"),
    ],
)
def test_dates_from_corpus(nid, start, end, feedback):
    rec = notice(nid)
    assert (rec["inspection_start"], rec["inspection_end"], rec["feedback_on"]) == (start, end, feedback)


def test_other_feedback_in_opening_is_not_the_feedback():
    # corpus ln35: "9月27日,省纪委办公厅向营口市站前区反馈了审核意见" comes after the real feedback
    rec = parse(
        "根据省委统一部署,2023年9月22日至11月30日,省委第十一巡视组对营口市站前区进行了常规巡视。"
        "9月27日,省纪委办公厅向营口市站前区反馈了审核意见。"
    )
    assert rec["feedback_on"] is None


def test_later_meeting_is_not_the_feedback_constructed():
    rec = parse(
        "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对某区进行了巡视。"
        "2024年1月12日,区委召开巡视反馈意见整改工作部署会。"
    )
    assert rec["feedback_on"] is None


def test_later_meeting_is_not_the_feedback_corpus():
    # corpus pj01 body: "7月29日下午,巡察反馈当日,新区党工委即召开碰头会" — the opening says 7月28日
    assert notice("pj01")["feedback_on"] == "2020-07-28"


@pytest.mark.parametrize(
    "opening, start, end, feedback",
    [
        # constructed: Chinese numerals everywhere, full-width punctuation
        (
            "根据省委统一部署，二〇二〇年九月七日至十一月十日，省委第五巡视组对某市进行了巡视。"
            "二〇二一年一月十三日，省委巡视组向某市委反馈了巡视意见。",
            "2020-09-07",
            "2020-11-10",
            "2021-01-13",
        ),
        # constructed: the start's year left out, inferred backwards from the feedback
        (
            "根据省委统一部署，9月5日至10月30日，省委第三巡视组对某区进行了巡视。2020年1月6日，省委巡视组向某区委反馈了巡视意见。",
            "2019-09-05",
            "2019-10-30",
            "2020-01-06",
        ),
        # constructed: the end written as a day only
        (
            "根据市委统一部署，2022年9月5日至28日，市委第一巡察组对某镇党委开展了巡察，10月9日，市委巡察组向某镇党委反馈了巡察意见。",
            "2022-09-05",
            "2022-09-28",
            "2022-10-09",
        ),
        # constructed: "于 … 至 …", feedback with the date after the verb
        (
            "省委第二巡视组于2022年3月28日至5月31日对某县进行了常规巡视,巡视反馈会于2022年7月25日召开。",
            "2022-03-28",
            "2022-05-31",
            "2022-07-25",
        ),
        # constructed: only months given — no day, no date
        ("根据中央统一部署,2021年10月至12月,中央第七巡视组对某省进行了巡视。", None, None, None),
        # constructed: 从…开始至…结束
        (
            "根据县委统一部署,从2023年9月11日开始至10月27日结束,县委第一巡察组对某局党组开展了巡察。2023年12月5日反馈了巡察意见。",
            "2023-09-11",
            "2023-10-27",
            "2023-12-05",
        ),
        # constructed: dotted dates joined by a hyphen, the end's year left out or written
        (
            "根据县委统一部署,2024.3.25-5.24,县委第一巡察组对某局党组开展了巡察。2024.6.27反馈了巡察意见。",
            "2024-03-25",
            "2024-05-24",
            "2024-06-27",
        ),
        (
            "根据县委统一部署,2024.3.25-2024.5.24,县委第一巡察组对某局党组开展了巡察。2024.6.27反馈了巡察意见。",
            "2024-03-25",
            "2024-05-24",
            "2024-06-27",
        ),
    ],
)
def test_dates_constructed(opening, start, end, feedback):
    rec = parse(opening)
    assert (rec["inspection_start"], rec["inspection_end"], rec["feedback_on"]) == (start, end, feedback)


def test_feedback_in_the_next_paragraph_constructed():
    rec = parse(
        "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对某县进行了常规巡视。",
        "2024年1月7日,省委巡视组向某县委反馈了巡视意见。",
    )
    assert rec["feedback_on"] == "2024-01-07"


def test_year_left_out_of_everything_uses_signature_constructed():
    rec = parse(
        "根据省委统一部署,9月5日至10月30日,省委第三巡视组对某区进行了巡视,12月6日反馈了巡视意见。",
        "正文。",
        "中共某区委",
        "2020年4月30日",
    )
    # the feedback is the latest 12月6日 before the signature: 2019
    assert (rec["inspection_start"], rec["feedback_on"]) == ("2019-09-05", "2019-12-06")
    assert rec["quality"] == []


# --- special_topics -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, topics",
    [
        ("ln01", ["营商环境"]),  # "进行了常规巡视和营商环境专项巡视"
        ("ln07", ["营商环境"]),  # "进行了常规巡视和营商专项巡视" — 营商 is 营商环境
        ("ln17", ["营商环境"]),  # "进行了常规+营商环境专项巡视"
        ("ln26", ["营商环境"]),  # body's "选人用人、意识形态、巡察工作等专项巡视" are checks
        ("sd01", []),  # "意识形态和选人用人专项检查反馈意见" are special checks
        ("pj01", []),
        ("js01", []),
    ],
)
def test_special_topics_from_corpus(nid, topics):
    assert notice(nid)["special_topics"] == topics


@pytest.mark.parametrize(
    "opening, body, topics",
    [
        # constructed: two topics in one list
        (
            "根据省委统一部署,2022年3月1日至4月30日,省委第三巡视组对某县进行了常规巡视和乡村振兴、营商环境专项巡视。",
            "",
            ["乡村振兴", "营商环境"],
        ),
        # constructed: only a special inspection (central, 回头看)
        (
            "根据中央统一部署,2019年10月11日至11月10日,中央第三巡视组对某省开展了脱贫攻坚专项巡视“回头看”。",
            "",
            ["脱贫攻坚"],
        ),
        # constructed: the opening names only the regular inspection, the body reports the special one
        (
            "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对某区进行了常规巡视。",
            "区委同步抓好营商环境专项巡视反馈意见整改,制定整改方案。",
            ["营商环境"],
        ),
        # constructed: a 回头看 alongside a special inspection is not a topic
        (
            "根据省委统一部署,2023年4月10日至6月10日,省委第三巡视组对某县开展了巡视“回头看”和营商环境专项巡视。",
            "",
            ["营商环境"],
        ),
        # constructed: a special check alongside is not a special inspection
        (
            "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对某区进行了常规巡视,同步开展选人用人专项检查。",
            "",
            [],
        ),
        # constructed: the topic as what the special inspection takes for its theme or focus
        (
            "根据县委统一部署,2024年3月25日至5月24日,县委第一巡察组对某局党组开展了以安全生产为主题的专项巡察。",
            "",
            ["安全生产"],
        ),
        (
            "根据县委统一部署,2024年3月25日至5月24日,县委第一巡察组对某局党组开展了聚焦乡村振兴的专项巡察。",
            "",
            ["乡村振兴"],
        ),
        # constructed: the body names the topic after the committee that ran the special inspection
        (
            "根据县委统一部署,2023年10月9日至11月24日,县委第五巡察组对某乡党委进行了巡察。",
            "对照县委农村饮水安全专项巡察反馈的6个问题,维修更换供水管网3.2公里。",
            ["农村饮水安全"],
        ),
        # constructed: straight quotes inside a topic are kept like curly ones
        (
            '根据省委统一部署,2022年8月22日至9月30日,省委第五巡视组对某市开展了营造"三个环境"专项巡视。',
            "",
            ['营造"三个环境"'],
        ),
        # constructed: the field or the kind of work a special inspection is done on, not the unit
        (
            "根据省委统一部署,2023年3月1日至4月30日,省委第二巡视组对某市进行了常规巡视,并对该市生态环境保护工作开展了专项巡视。",
            "",
            ["生态环境保护工作"],
        ),
        # constructed: a field's funds and their use, with the whole city before them
        (
            "根据市委统一部署,2022年8月下旬至10月下旬,市委第四巡察组对全市农业农村领域乡村振兴资金管理使用开展了专项巡察。",
            "",
            ["农业农村领域乡村振兴资金管理使用"],
        ),
        (
            "根据县委统一部署,2023年4月10日至5月30日,县委第二巡察组对教育领域资金使用开展了专项巡察。",
            "",
            ["教育领域资金使用"],
        ),
        # constructed: the body names the special inspection beside the regular one, or in a heading after 关于
        (
            "根据县委统一部署,2023年10月9日至11月24日,县委第五巡察组对某乡党委进行了巡察。",
            "县委巡察组反馈的常规巡察问题19个、惠民惠农资金专项巡察问题6个已全部建立台账。",
            ["惠民惠农资金"],
        ),
        (
            "根据县委统一部署,2023年10月9日至11月24日,县委第五巡察组对某乡党委进行了巡察。",
            "（二）关于耕地保护专项巡察反馈问题的整改情况\n复耕撂荒地420亩。",
            ["耕地保护"],
        ),
        # constructed: another committee's special inspection named in the body is not this one's
        (
            "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对某市进行了常规巡视。",
            "持续抓好中央脱贫攻坚专项巡视问题整改,巩固拓展脱贫攻坚成果。",
            [],
        ),
        # constructed: an earlier, dated special inspection named in the body does not count
        (
            "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对某区进行了常规巡视。",
            "把此轮巡视反馈问题与2019年省委脱贫攻坚专项巡视反馈问题一并整改。",
            [],
        ),
    ],
)
def test_special_topics_constructed(opening, body, topics):
    assert parse(opening, body)["special_topics"] == topics


# --- problems_total -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, total",
    [
        ("sd01", 52),  # "反馈意见中提出五个方面52项具体问题"
        ("js01", 47),  # "省委巡视反馈的四个方面、15项、47个突出问题"
        ("ln14", 28),  # "反馈意见中指出的九个方面主要问题、28个具体问题"
        ("ln35", 39),  # "省委巡视反馈意见中提出的13个主要问题、39项具体问题"
        ("ln26", 61),  # "省委第八巡视组指出的“9+8”个方面61个问题"
        ("pj01", 30),  # "第二巡察组反馈意见整改落实方案》…对梳理出来的4个方面30个问题"
        ("ln40", None),  # "常规巡视反馈的8个方面25个具体问题,营商专项巡视反馈的8个方面20个具体问题" — no sum
        ("ln41", None),  # "聚焦省委常规巡视反馈的十个方面问题" — aspects only
        ("ln37", None),  # "常规巡视反馈的8个方面和营商环境专项巡视反馈的8个方面重点问题"
        ("ln47", None),  # "对反馈指出的“9+1”项具体问题" — sum not stated
        (
            "ln44",
            None,
        ),  # "十一届区委第五轮、第六轮巡察反馈问题梳理出3个方面11个共性问题" — another inspection
        ("ln34", None),  # "巡视反馈“非粮化”137个问题点位" — sites, not problems
        ("ln43", None),  # "制定整改措施367条" — measures
    ],
)
def test_problems_total_from_corpus(nid, total):
    assert notice(nid)["problems_total"] == total


@pytest.mark.parametrize(
    "opening, body, total",
    [
        (
            SD_OPENING,
            "截至目前,中央巡视反馈的54个问题中,已完成整改47个。",
            None,
        ),  # central count in a provincial notice
        (
            "根据中央统一部署,2021年5月8日至7月10日,中央第十一巡视组对某省进行了巡视,8月30日向某省委反馈了巡视意见。",
            "截至2022年2月底,中央巡视反馈的54个问题中,已完成整改47个,取得阶段性成效7个。",
            54,
        ),
        (SD_OPENING, "省委巡视组共反馈问题4个方面27个,区委逐条制定整改措施。", 27),
        (SD_OPENING, "巡视反馈问题共45个,截至目前已完成整改40个。", 45),
        (SD_OPENING, "对照省委巡视组反馈意见中指出的四个方面五十二个具体问题,逐项整改。", 52),
        (
            LN_OPENING,
            "对常规巡视反馈的8个方面25个问题和营商环境专项巡视反馈的8个方面20个问题,共计45个问题,逐项整改。",
            45,
        ),
        (SD_OPENING, "将巡视反馈的4个方面主要问题分解为23项具体整改任务。", None),  # tasks, not problems
        (SD_OPENING, "区委第三轮巡察发现问题235个,已整改230个。", None),  # the district's own 巡察
        (SD_OPENING, "将上轮省委巡视指出的3个问题一并纳入整改。", None),  # an earlier round
        (PJ_OPENING, "对市委巡察组反馈的3个方面16个问题,逐条制定整改措施42条。", 16),
        (PJ_OPENING, "市委巡察组反馈的问题共3大类15个,逐条整改。", 15),
        (
            LN_OPENING,
            "省委常规巡视反馈问题30个,营商环境专项巡视反馈问题12个,均制定了整改方案。",
            None,
        ),  # no sum
        (PJ_OPENING, "对市委巡察组反馈的4类问题,逐条整改。", None),  # categories only
        (SD_OPENING, "区委巡视整改工作领导小组对照省委巡视组反馈的5个方面30个问题,逐项制定措施。", 30),
    ],
)
def test_problems_total_constructed(opening, body, total):
    assert parse(opening, body)["problems_total"] == total


# --- problems_done ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, done",
    [
        ("sd01", 37),  # "已完成整改并长期坚持的问题37个" — not the 15 with 阶段性成效
        ("pj01", 22),  # "对市委第二巡察组反馈的30个主要问题,已完成整改22个,取得阶段性成果8个"
        ("ln41", None),  # "省委巡视反馈未整改销号的27个问题已整改销号26个" — leftovers of another round
        ("ln47", None),  # "针对49个未分红项目…已完成整改25个" — projects
        ("ln26", None),  # "累计发现各类问题1067项,已完成整改1036项" — a self-check
        ("js01", None),
    ],
)
def test_problems_done_from_corpus(nid, done):
    assert notice(nid)["problems_done"] == done


@pytest.mark.parametrize(
    "opening, body, total, done",
    [
        (
            PJ_OPENING,
            "截至目前,巡察反馈的697个问题,完成整改688个,基本完成并持续整改问题4个,未完成5个,总体完成率98.71%。",
            697,
            688,
        ),
        (PJ_OPENING, "对市委巡察组反馈的“5+3”个方面31个问题,已全部整改到位。", 31, 31),
        (SD_OPENING, "对省委巡视组反馈的52个问题,整改完成率100%。", 52, 52),
        (SD_OPENING, "省委巡视组反馈的40个问题中,已完成36个,其余正在推进。", 40, 36),
        (SD_OPENING, "对省委巡视反馈的三个方面十八项具体问题,已整改到位十五项。", 18, 15),
        (SD_OPENING, "省委巡视反馈的4个方面20个问题,其中16个问题已完成整改,4个问题取得阶段性成效。", 20, 16),
        (SD_OPENING, "省委巡视反馈的20个问题,尚未完成整改的问题3个。", 20, None),
        (SD_OPENING, "省委巡视组指出的问题共涉及4个方面25个,已整改完毕20个。", 25, 20),
        (SD_OPENING, "截至目前,中央巡视反馈的54个问题中,已完成整改47个。", None, None),  # not this inspection
        # like corpus ln47's "省委向市委主要领导、区委主要领导反馈的3个重点问题": fed back to a leader in person
        (SD_OPENING, "省委巡视组向区委主要负责同志反馈的3个重点问题,已全部整改到位。", None, None),
        # tenth review: 细分为 子问题 is the unit's breakdown; the done count of the total's own level
        (PJ_OPENING, "将市委巡察组反馈的问题归纳为4大类15个具体问题,并进一步细分为47个子问题。截至目前,47个子问题中已完成整改43个。", 47, 43),
        (PJ_OPENING, "对照反馈的4个方面12项问题,细化为41个具体问题。\n截至目前,12项问题中已完成整改9项,41个具体问题已整改到位37个。",
         41, 37),
        # a sum that adds the unit's own self-check problems is not the feedback's; timing classes are its parts
        (PJ_OPENING, "对照市委巡察组反馈的19个问题,举一反三查摆出自查问题7个,共计26个问题。反馈的19个问题已完成整改17个。", 19, 17),
        (PJ_OPENING, "巡察反馈的问题中,立行立改问题6个,限期整改问题21个,共计27个。", 27, None),
        # done stated only for a timing class of the total; an overall done count wins over it
        (PJ_OPENING, "巡察反馈问题23个(其中立行立改9个、限期整改14个)。\n立行立改的9个问题已全部完成整改,限期整改的14个问题正在推进。",
         23, 9),
        (PJ_OPENING, "巡察反馈问题23个(其中立行立改9个、限期整改14个)。\n立行立改的9个问题已全部完成整改。截至目前,已完成整改20个。",
         23, 20),
        # labels; a round's count over several units before this unit's own
        (PJ_OPENING, "整改进展情况如下:\n(一)巡察反馈问题:3个方面22个;\n(二)已完成整改:19个;\n(三)正在整改:3个。", 22, 19),
        (PJ_OPENING, "本轮巡察对8个单位党组织开展了常规巡察,共发现问题136个。其中,市委第二巡察组向新区党工委反馈问题18个。已整改16个。",
         18, 16),
        # the count told only with its progress; two such counts are parts, no total
        (PJ_OPENING, "截至目前,整改完成率90.3%(31个问题中已完成28个),其余问题正在推进。", 31, 28),
        (PJ_OPENING, "截至目前,镇本级的21个问题中已完成19个,村级的9个问题中已完成8个。", None, None),
        # a table of the feedback's problems with a 合计 row, cells on a line or one a line; not a self-check's
        (PJ_OPENING, "巡察反馈问题整改情况如下表:\n序号 问题类别 问题数 已整改 整改中\n1 党的领导方面 6 5 1\n"
         "2 党的建设方面 5 5 0\n合计 11 10 1", 11, 10),
        (PJ_OPENING, "巡察反馈问题整改情况如下表:\n序号\n问题类别\n问题数\n已整改\n1\n党的领导方面\n6\n5\n"
         "2\n党的建设方面\n5\n5\n合计\n11\n10", 11, 10),
        (PJ_OPENING, "对照巡察反馈举一反三开展自查,自查问题整改情况如下表:\n序号 问题数 已整改\n1 6 5\n合计 6 5", None, None),
        # the count right after the noun inside a chain; 已落实整改 and bare 整改完毕 as done
        (PJ_OPENING, "巡察组共反馈4个方面问题20条,新区党工委逐条制定措施。目前已完成整改18条。", 20, 18),
        (PJ_OPENING, "市委巡察组反馈问题25个,已落实整改22个,3个正在推进。", 25, 22),
        (PJ_OPENING, "市委巡察组反馈问题25个,整改完毕22个,正在整改3个。", 25, 22),
        # what the team found (发现, fixes on the spot included) yields to what it fed back in the same sentence
        (PJ_OPENING, "巡察期间,市委第二巡察组共发现问题32个,其中立行立改问题6个,向新区党工委反馈问题26个。已完成整改24个。",
         26, 24),
        # a count right after the noun that counts units, not problems
        (SD_OPENING, "省委巡视反馈的问题涉及28个部门,共4个方面25个问题,已完成整改22个。", 25, 22),
    ],
)
def test_problems_done_constructed(opening, body, total, done):
    rec = parse(opening, body)
    assert (rec["problems_total"], rec["problems_done"]) == (total, done)


def test_done_counts_given_respectively_are_no_overall_count_constructed():
    opening = ("根据区委统一部署,2024年5月13日至7月12日,区委第四巡察组对某镇党委开展了常规巡察,同步开展了乡村振兴领域专项巡察。"
               "2024年8月20日,区委第四巡察组向某镇党委反馈了巡察意见。")
    body = ("巡察组反馈常规巡察问题20个、乡村振兴领域专项巡察问题8个。\n"
            "截至目前,常规巡察反馈问题和专项巡察反馈问题分别已完成整改18个和7个。")
    rec = parse(opening, body)
    assert (rec["problems_total"], rec["problems_done"]) == (None, None)


# --- contacts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nid, phone, email",
    [
        ("sd01", "0535-6891160", "lsqwbdck@163.com"),  # 邮政信箱 in between is a postal address
        ("pj01", "0427-3410198", "LDWXC2020@163.COM"),  # "联系方式:电话:0427-3410198;电子邮箱:…"
        ("js01", "0512-66830056", "xcxcb@szxc.gov.cn"),
        ("ln01", None, None),  # no contact line
    ],
)
def test_contacts_from_corpus(nid, phone, email):
    rec = notice(nid)
    assert (rec["contact_phone"], rec["contact_email"]) == (phone, email)


def test_contacts_full_width_constructed():
    rec = parse(
        SD_OPENING,
        "正文。",
        "欢迎广大干部群众对巡视整改落实情况进行监督。如有意见建议，请及时向我们反映。"
        "联系电话：0931－8928706；邮政信箱：某市某路1号；电子信箱：gsxszgb@163.com。",
    )
    assert rec["contact_phone"] == "0931－8928706"  # as written
    assert rec["contact_email"] == "gsxszgb@163.com"


def test_phone_written_with_wei_constructed():
    rec = parse(SD_OPENING, "正文。", "正文。", "欢迎广大干部群众监督。联系电话为0371-62231234。")
    assert rec["contact_phone"] == "0371-62231234"


def test_phone_in_the_body_is_not_a_contact_constructed():
    rec = parse(SD_OPENING, "主动公布投诉举报电话:0535-1234567,接受社会监督。", "正文。", "正文。")
    assert rec["contact_phone"] is None


def test_postal_box_only_is_no_email_constructed():
    rec = parse(SD_OPENING, "正文。", "欢迎监督。邮政信箱:某市某路24号区委督查室,邮政编码:264003。")
    assert (rec["contact_phone"], rec["contact_email"]) == (None, None)


# --- quality ------------------------------------------------------------------------------


def _rec(**kw) -> dict:
    base = dict.fromkeys(FIELDS)
    base["special_topics"] = []
    base.update(kw)
    return base


@pytest.mark.parametrize(
    "fields, failed",
    [
        ({"problems_total": 10, "problems_done": 12}, ["problems_done>problems_total"]),
        ({"team": 0}, ["team<=0"]),
        ({"round": -1}, ["round<=0"]),
        (
            {"inspection_start": "2023-11-30", "inspection_end": "2023-09-21"},
            ["inspection_start>inspection_end"],
        ),
        ({"inspection_end": "2024-01-07", "feedback_on": "2023-12-01"}, ["inspection_end>feedback_on"]),
        ({"feedback_on": "2024-01-07", "signed_on": "2023-12-01"}, ["feedback_on>signed_on"]),
        ({"feedback_on": "2024-01-07", "published_on": "2023-12-01"}, ["feedback_on>published_on"]),
        ({"signed_on": "1999-12-31"}, ["signed_on_out_of_range"]),
        ({"published_on": "2099-01-01"}, ["published_on_out_of_range"]),
        (
            {
                "problems_total": 10,
                "problems_done": 10,
                "team": 3,
                "signed_on": "2024-06-01",
                "inspection_start": "2023-09-21",
                "inspection_end": "2023-11-30",
                "feedback_on": "2024-01-07",
            },
            [],
        ),
    ],
)
def test_quality_checks(fields, failed):
    assert quality_checks(_rec(**fields), today=dt.date(2026, 1, 1)) == failed


def test_quality_is_filled_by_the_parser_constructed():
    rec = parse(SD_OPENING, "正文。", "中共某区委", "2020年3月1日")  # signed before the feedback
    assert "feedback_on>signed_on" in rec["quality"]


def test_whole_corpus_passes_quality():
    for path in sorted(CORPUS.glob("*.txt")):
        assert parse_notice_text(path.read_text(encoding="utf-8"))["quality"] == [], path.stem
