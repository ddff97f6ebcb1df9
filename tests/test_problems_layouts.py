"""notice_problems rows for notice layouts the corpus does not have (constructed notices in tests/fixtures/problems,
written in the genre's language: county 巡察, run-in paragraphs, reports on handed-over case leads, quotes, status).
"""

from __future__ import annotations

import pytest

from crawler.text.parse import parse_text
from crawler.text.problems import _names_problem, _status, problems
from tests.conftest import FIXTURES

CASES = FIXTURES / "problems"


def _rows(name: str) -> list[dict]:
    return problems(parse_text((CASES / f"{name}.txt").read_text(encoding="utf-8"))["sections"])


def _names(name: str) -> list[str]:
    return [r["problem"] for r in _rows(name)]


def test_shortcomings_stated_without_guan_yu_are_problems():
    rows = _rows("county_xuncha")
    assert [r["problem"] for r in rows] == [
        "学习贯彻习近平新时代中国特色社会主义思想不够深入", "落实乡村振兴战略推进缓慢", "“三会一课”制度落实打折扣",
        "发展党员程序违规", "党费收缴管理混乱", "违规发放补贴", "村级财务管理不规范", "公车私用"]
    assert all(r["kind"] == "problem" for r in rows)
    assert rows[5]["aspect"] == "全面从严治党不力" and rows[5]["outline"] == "二/（三）/1"


def test_reports_on_handed_over_leads_are_no_problems_but_a_problem_about_leads_is():
    names = _names("leads_reports")
    assert "问题线索和信访举报处置不及时" in names
    assert not any("交办" in n or "转交" in n or "信访举报件" in n for n in names)
    assert len(names) == 6


def test_run_in_paragraphs_right_under_a_part_and_back_references():
    rows = _rows("run_in_paragraphs")
    assert [(r["problem"], r["status"]) for r in rows[:3]] == [
        ("招商引资项目落地率低", None), ("老旧小区改造推进缓慢", "ongoing"), ("违规使用公务用车", "done")]
    assert all(r["outline"] == "二" and r["marker"] == "" for r in rows[:3])
    assert not any(n.startswith(("上述", "巡视反馈")) for n in (r["problem"] for r in rows))


def test_quotes_suffixes_and_cut_headings():
    names = _names("quotes_and_status")
    assert names[0] == "个别单位违规发放津补贴"  # 针对“…；…”: the quote runs past the heading
    assert "‘三重一大’决策制度执行不严格" in names  # enclosing quotes dropped, inner ones kept
    assert "党风廉政建设" in names  # 关于党风廉政建设方面存在的问题
    assert "违规收送礼品礼金" in names  # straight quotes
    assert "落实‘第一议题’制度不到位" in names  # …问题的整改进展情况
    assert "背街小巷环境脏乱差" in names  # …”等问题


def test_the_leadership_part_is_no_rectification_part():
    rows = _rows("part_titles")  # "一、坚持问题导向，压实整改责任" is the committee's own work
    assert {r["part"] for r in rows} == {"巡视反馈问题整改落实情况"}


def test_numbered_measures_under_a_problem_are_its_measures():
    rows = _rows("measures_under_a_problem")
    assert [(r["problem"], r["kind"]) for r in rows] == [("金融风险处置不到位", "problem")]
    assert "补强地方金融监管薄弱环节" in rows[0]["measures"]


@pytest.mark.parametrize("heading, names", [
    ("推动全面振兴新突破三年行动不力", True),          # ln26
    ("领导班子建设有弱项", True),
    ("推动国有资本做强做优做大力度不足", True),
    ("补齐思政课专职教师队伍短板", False),            # a measure whose object is a shortcoming
    ("消除场馆安全隐患", False),                      # ln01
    ("加强薄弱学科建设", False),
    ("深入贯彻落实习近平新时代中国特色社会主义思想和党的二十大精神", False),
])
def test_what_names_a_problem(heading, names):
    assert _names_problem(heading) is names


@pytest.mark.parametrize("text, status", [
    ("已于2024年6月底完成整改。", "done"),
    ("开展专项整治，已经完成整改。", "done"),
    ("全部问题均已整改到位。", "done"),
    ("明确责任人和整改完成时限。", None),
    ("整改完成率达到95%。", None),
    ("对尚未整改完成的问题挂账督办。", "ongoing"),
    ("已完成初稿，正在征求意见。", None),
    ("已基本完成整改。", "ongoing"),
    ("其余8件正在办理中。", "ongoing"),
])
def test_status_from_the_words_of_the_measures(text, status):
    assert _status(text) == status
