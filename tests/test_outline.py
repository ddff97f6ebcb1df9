"""crawler.text.outline on real notices (crawler/mirror/corpus) and on edge cases."""

import json
import re
from pathlib import Path

import pytest

from crawler.text.outline import ENUM_LEVEL, Section, outline, outline_to_tree

CORPUS = Path(__file__).resolve().parents[1] / "crawler" / "mirror" / "corpus"


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def shape(secs: list[Section]) -> list[tuple[str, int, int, str | int | None]]:
    return [(s.path, s.level, s.number, s.parent) for s in secs]


# Lines quoted from ln04.txt (皇姑区), shortened after the first sentence.
LN04 = """中共沈阳市皇姑区委关于十三届省委第四轮巡视整改落实进展情况的通报
根据省委统一部署和省委巡视工作领导小组工作安排,2023年9月至11月,省委第八巡视组对皇姑区进行了常规巡视。
一、领导班子履行主体责任情况
皇姑区委坚决贯彻落实党中央决策部署和习近平总书记关于巡视工作的重要论述。
(一)主要负责同志高度重视,坚定不移把“两个维护”贯穿巡视整改工作始终。区委书记切实履行第一责任人职责。
(二)提高站位、深化认识,扛牢巡视整改主体责任。区级领导主动认领问题。
二、巡视整改落实情况
(一)关于常规巡视整改落实情况
1.夯实振兴新突破三年行动基础,持续用力争先进位
一是抓项目扩投资,优化项目结构。抓实重点项目建设。
二是抓三产促消费,提振商圈活力。持续开展“皇姑有礼”系列活动。
2.打造数字经济创新发展示范区,大力发展新质生产力
一是提高数字经济发展水平。推进科技型企业提档升级。
(二)关于营商环境专项巡视整改落实情况
1.履行主体责任,打造“政通人和”的经济环境“先手棋”
(1)着力落实中央和省委优化营商环境决策部署
一是提高对优化营商环境建设工作重要性认识。区委常委会专题研究。
(2)进一步落实助企纾困政策
一是深入贯彻稳经济政策。逐条梳理、落实责任。
三、下一步工作打算
"""


def test_real_excerpt_structure() -> None:
    secs = outline(LN04)
    assert shape(secs) == [
        ("1", 1, 1, None),
        ("1.1", 2, 1, 0),
        ("1.2", 2, 2, 0),
        ("2", 1, 2, None),
        ("2.1", 2, 1, 3),
        ("2.1.1", 3, 1, 4),
        ("2.1.1.1", 5, 1, 5),
        ("2.1.1.2", 5, 2, 5),
        ("2.1.2", 3, 2, 4),
        ("2.1.2.1", 5, 1, 8),
        ("2.2", 2, 2, 3),  # （一） restarts under 二、 and continues to （二）
        ("2.2.1", 3, 1, 10),  # 1. restarts under the new （二）
        ("2.2.1.1", 4, 1, 11),
        ("2.2.1.1.1", 5, 1, 12),
        ("2.2.1.2", 4, 2, 11),
        ("2.2.1.2.1", 5, 1, 14),
        ("3", 1, 3, None),
    ]
    assert [s.marker for s in secs[:7]] == ["一、", "(一)", "(二)", "二、", "(一)", "1.", "一是"]


def test_headings_own_line_and_run_in() -> None:
    secs = outline(LN04)
    # heading on its own line: the whole line; the paragraph below is part of the text
    assert secs[0].heading == "领导班子履行主体责任情况"
    assert secs[0].text == "领导班子履行主体责任情况\n皇姑区委坚决贯彻落实党中央决策部署和习近平总书记关于巡视工作的重要论述。"
    # heading running into the paragraph: up to the first 。
    assert secs[1].heading == "主要负责同志高度重视,坚定不移把“两个维护”贯穿巡视整改工作始终"
    assert secs[1].text.endswith("区委书记切实履行第一责任人职责。")
    assert secs[5].heading == "夯实振兴新突破三年行动基础,持续用力争先进位"
    assert secs[6].heading == "抓项目扩投资,优化项目结构"
    assert secs[-1].heading == "下一步工作打算"


def test_text_excludes_children_and_preamble() -> None:
    secs = outline(LN04)
    assert secs[3].text == "巡视整改落实情况"  # 二、 owns only its heading line
    assert all("根据省委统一部署" not in s.text for s in secs)  # the preamble belongs to no section
    assert all("一是" not in s.text for s in secs)


def test_full_width_and_ascii_markers() -> None:
    text = "一、总体情况\n（一）加强领导。内容甲。\n１．第一项。内容乙。\n（１）细项。内容丙。\n（2）细项二。\n2、第二项\n(二）混合括号。\n"
    secs = outline(text)
    assert [(s.level, s.number, s.marker) for s in secs] == [
        (1, 1, "一、"), (2, 1, "（一）"), (3, 1, "１．"), (4, 1, "（１）"), (4, 2, "（2）"),
        (3, 2, "2、"), (2, 2, "(二）"),
    ]
    assert [s.path for s in secs] == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.2", "1.1.2", "1.2"]


def test_large_chinese_numerals_use_cn2an() -> None:
    text = "".join(f"({n})问题{i}\n" for i, n in enumerate(["一", "二", "三", "四", "五", "六", "七", "八", "九",
                                                          "十", "十一", "十二"], 1))
    assert [s.number for s in outline(text)] == list(range(1, 13))


@pytest.mark.parametrize("line", [
    "1.5亿元资金已全部拨付到位。",  # decimal, not item 1
    "2020.1.5召开会议。",  # date
    "2019年12月31日,区委常委会召开专题会议。",  # date at line start (real, js01)
    "12.31前完成整改。",
    "统一是关键。",  # 一是 inside a word
    "(2)没有(1)的第二项。",  # a second item without a first
    "完成率达100.0%。2.5万元已拨付。",  # "2." after 。 but a decimal
])
def test_false_positives_inside_a_section(line: str) -> None:
    text = f"一、标题\n{line}\n"
    secs = outline(text)
    assert len(secs) == 1 and line in secs[0].text


def test_mid_sentence_markers_are_not_sections() -> None:
    # real (js01): "(一)、(二)" inside a title, and "1." inside a sentence
    text = "一、标题\n印发《惠企政策答复汇编(一)、(二)》,并按第1.2条执行,统一是前提,完成率达100.0%。\n"
    secs = outline(text)
    assert len(secs) == 1


def test_enumeration_only_at_clause_start() -> None:
    text = "1.加强监督\n区委明确要求,一是压实责任;二是强化督导。同时统一是非标准。\n"
    secs = outline(text)
    assert [(s.level, s.number, s.heading) for s in secs] == [
        (3, 1, "加强监督"), (ENUM_LEVEL, 1, "压实责任"), (ENUM_LEVEL, 2, "强化督导"),
    ]
    assert secs[0].text == "加强监督\n区委明确要求,"
    assert secs[2].text == "强化督导。同时统一是非标准。"


def test_di_yi_and_shou_xian_enumerations() -> None:
    text = "(一)工作举措\n第一,强化学习。内容。第二,完善制度。\n具体做法:首先,摸清底数;其次,建立台账;最后,对账销号。\n第一时间召开会议。\n"
    secs = outline(text)
    assert [(s.marker, s.number, s.level, s.parent) for s in secs] == [
        ("(一)", 1, 2, None), ("第一,", 1, 5, 0), ("第二,", 2, 5, 0),
        # a new list nests under the innermost open section; 第二 is open because its run (第一) began a line
        ("首先,", 1, 5, 2), ("其次,", 2, 5, 2), ("最后,", 3, 5, 2),
    ]
    # 首先… began mid-line, so it closes at the end of that line; 第一时间 (no comma) is no marker
    assert secs[2].text == "完善制度。\n具体做法:\n第一时间召开会议。"
    assert secs[5].text == "对账销号。"
    assert secs[0].text == "工作举措"


def test_inline_items_nest_under_their_paragraph_real_ln26() -> None:
    secs = outline(read("ln26.txt"))
    yi = next(s for s in secs if s.heading == "针对“结构调整“三篇大文章”方案未印发”问题")
    i = secs.index(yi)
    kids = [s for s in secs if s.parent == i]
    assert [(s.marker, s.level) for s in kids] == [("(1)", 4), ("(2)", 4)]
    grandkids = [s for s in secs if s.parent == secs.index(kids[1])]
    assert [s.number for s in grandkids] == list(range(1, 12))  # "取得以下成效:1.…11." inside (2)
    assert grandkids[0].heading.startswith("改造提升现有装备制造")
    nxt = secs[secs.index(grandkids[-1]) + 1]
    assert (nxt.marker, nxt.parent) == ("二是", yi.parent)  # the next line closes the inline lists


def test_inline_list_closes_at_line_end() -> None:
    text = "1.标题\n一是压实责任。(1)细项甲。(2)细项乙。\n后续说明段落。\n二是强化督导。\n"
    secs = outline(text)
    assert [(s.marker, s.parent) for s in secs] == [("1.", None), ("一是", 0), ("(1)", 1), ("(2)", 1), ("二是", 0)]
    assert secs[3].text == "细项乙。"
    assert secs[1].text == "压实责任。\n后续说明段落。"


def test_numbering_continuing_across_parents_real_js01() -> None:
    secs = outline(read("js01.txt"))
    # js01 numbers its 1. items 1–47 straight through （一）…（十五）
    assert [s.number for s in secs if s.level == 3 and s.path.startswith("2.")] == list(range(1, 48))
    assert [s.heading for s in secs if s.parent is None] == ["整改工作组织情况", "整改落实情况", "下一步整改工作打算"]
    second = [s for s in secs if s.level == 2 and s.path.startswith("2.")]
    assert [s.number for s in second] == list(range(1, 16))


def test_missing_yi_shi_at_line_start_real_ln26() -> None:
    # ln26 "3.政法干警违纪违法问题突出。" is followed by an unnumbered paragraph and then "二是…" with no 一是
    secs = outline(read("ln26.txt"))
    er = next(s for s in secs if s.heading.startswith("针对“2020年1月,某KTV发生斗殴案件"))
    assert (er.marker, er.number) == ("二是", 2)
    assert secs[er.parent].heading == "政法干警违纪违法问题突出"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_corpus_invariants(name: str) -> None:
    text = read(name)
    secs = outline(text)
    roots = [s for s in secs if s.parent is None]
    assert 3 <= len(roots) <= 4
    assert [s.number for s in roots] == list(range(1, len(roots) + 1))
    assert all(s.level == 1 for s in roots)
    assert len({s.path for s in secs}) == len(secs)
    for i, s in enumerate(secs):
        if s.parent is not None:
            assert s.parent < i and s.path.startswith(secs[s.parent].path + ".")
        assert s.heading and len(s.heading) <= len(s.text)
    # nothing lost or duplicated: preamble + markers + own texts hold every non-space character
    first = re.search(rf"(?m)^\s*{re.escape(secs[0].marker)}", text)
    assert first
    covered = len(re.sub(r"\s", "", text[: first.start()])) + sum(len(re.sub(r"\s", "", s.marker + s.text)) for s in secs)
    assert covered == len(re.sub(r"\s", "", text))


def test_no_sections_and_empty() -> None:
    assert outline("") == []
    assert outline("根据省委统一部署,现将巡视整改进展情况予以公布。") == []


def test_section_is_frozen_slotted() -> None:
    s = outline("一、标题\n")[0]
    with pytest.raises(AttributeError):
        s.number = 2  # type: ignore[misc]
    assert not hasattr(s, "__dict__")


def test_outline_to_tree() -> None:
    tree = outline_to_tree(outline(LN04))
    assert [n["heading"] for n in tree] == ["领导班子履行主体责任情况", "巡视整改落实情况", "下一步工作打算"]
    second = tree[1]
    assert [c["marker"] for c in second["children"]] == ["(一)", "(二)"]
    item = second["children"][1]["children"][0]["children"][1]
    assert (item["marker"], item["number"], item["path"]) == ("(2)", 2, "2.2.1.2")
    assert item["children"][0]["text"] == "深入贯彻稳经济政策。逐条梳理、落实责任。"
    assert set(tree[0]) == {"heading", "marker", "number", "level", "path", "text", "children"}
    assert json.loads(json.dumps(tree, ensure_ascii=False)) == tree
