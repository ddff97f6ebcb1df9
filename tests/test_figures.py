"""Figures: each kind of quantitative fact, from real sentences of the corpus (and a few constructed)."""

from __future__ import annotations

from crawler.text.figures import figures


def _one(text: str, kind: str) -> tuple[float, str, str]:
    found = [f for f in figures(text) if f.kind == kind]
    assert len(found) == 1, found
    return found[0].value, found[0].unit, found[0].sentence


def test_discipline_and_cases_filed_from_one_sentence():
    # ln25
    text = "三是加大审查调查力度,对相关人员进行审查调查,发现其他违纪违法问题,立案14件,给予党纪政务处分12人。"
    assert _one(text, "cases_filed")[:2] == (14, "件")
    assert _one(text, "discipline")[:2] == (12, "人")


def test_discipline_after_a_count_of_cases():
    # ln10
    text = "2024年查处违规吃喝、违规收送礼品礼金等享乐主义奢靡之风问题20起,处分20人,通过“康平纪检监察”微信公众号通报典型案件2批10人。"
    value, unit, sentence = _one(text, "discipline")
    assert (value, unit) == (20, "人") and sentence == text


def test_money_is_normalised_to_wan_yuan():
    assert _one("酬问题深入核查,给予“第一种形态”处理,追缴资金23.76万元", "money_recovered")[:2] == (23.76, "万元")  # ln10
    assert _one("共挽回经济损失1.2亿元。", "money_recovered")[0] == 12_000  # constructed
    assert _one("套取的51.5万元惠农补贴全部收缴。", "money_recovered")[0] == 51.5  # ln10
    assert _one("追缴违规发放的补贴资金8600元。", "money_recovered")[0] == 0.86  # constructed


def test_money_not_yet_recovered_is_not_a_recovery():
    assert [f for f in figures("剩余未追缴348.35万元,涉及乡镇已列出整改计划") if f.kind == "money_recovered"] == []


def test_rules_made_with_their_measure_word():
    # ln10, ln22
    assert _one("自纠报告104份,集中整改形成整改报告49份、内控制度文件63个,对发现问题即知即改", "rules_made")[:2] == (63, "个")
    assert _one("制定《永锋望达公司经营业绩考核实施细则》等各项规章制度22个。", "rules_made")[:2] == (22, "个")
    assert _one("建章立制四十项。", "rules_made")[:2] == (40, "项")  # constructed: Chinese numeral


def test_completion_percentages():
    # sd01
    assert _one("目前,已完成整改并长期坚持的问题37个,占比71.2%;", "completion_rate")[0] == 71.2
    assert _one("截至目前，整改完成率达到96.5%。", "completion_rate")[0] == 96.5  # constructed


def test_accountability_in_both_word_orders():
    # constructed: the corpus states accountability without a count
    assert _one("严肃追责问责,问责领导干部15人。", "accountability")[:2] == (15, "人")
    assert _one("对整改不力的，3名干部被问责。", "accountability")[:2] == (3, "名")


def test_a_refund_is_not_a_recovery_and_growth_is_not_completion():
    text = "完成233件应退未退诉讼费案件退返工作,返还诉讼费594笔128万元。固定资产投资同比增长8%。"
    assert figures(text) == []


def test_problem_counts_raised_and_rectified():
    # sd01, js01, pj01, ln44
    assert _one("反馈意见中提出五个方面52项具体问题,实事求是。", "problems_raised")[:2] == (52, "项")
    assert _one("对省委巡视反馈的四个方面、15项、47个突出问题,逐项整改。", "problems_raised")[:2] == (47, "个")
    assert _one("目前,已完成整改并长期坚持的问题37个,占比71.2%;", "problems_rectified")[:2] == (37, "个")
    assert _one("其中7个问题已完成整改。", "problems_rectified")[:2] == (7, "个")
    assert _one("巡视组反馈问题三十项。", "problems_raised")[:2] == (30, "项")  # constructed: Chinese numeral
    # manners of speaking and problems still open are no counts
    assert [f for f in figures("做到发现一个问题、整改一个问题。对反馈的每一个问题建立台账。") if f.kind.startswith("problems_")] == []
    assert [f for f in figures("反馈未整改销号的27个问题。") if f.kind == "problems_raised"] == []
