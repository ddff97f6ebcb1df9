"""How real pages differ from the corpus (the categories of errors found on real notices from other
provinces and levels), each as a short notice written in that style; every case failed before the parser
read chrome as a layer, the opening's facts one by one, the reading form and the counts' other wordings."""

from __future__ import annotations

import pytest

from crawler.text.record import parse_notice_text

OPENING = ("根据{b}统一部署,2023年3月1日至4月30日,{t}对某局党组进行了巡察。2023年6月2日,{t}向某局党组反馈了巡察意见。")


def opening(team: str = "市委第二巡察组", body: str = "市委") -> str:
    return OPENING.format(b=body, t=team)


CASES = {
    # team and body
    "numbered special team names its team, no topic": (
        opening("市委第三专项巡察组"), {"team": 3, "inspecting_body": "市委", "special_topics": []}),
    "team written 巡察第23组": (opening("区委巡察第23组", "区委"), {"team": 23, "inspecting_body": "区委"}),
    "round in the team's name": (opening("市委第二轮第二巡察组"), {"team": 2, "round": 2}),
    "several teams name no team": (
        "根据区委统一部署,2023年3月1日至4月30日,区委组建4个巡察组对区属学校党组织进行了巡察。2023年6月2日,"
        "区委4个巡察组向被巡察单位党组织反馈了巡察意见。", {"team": None, "inspecting_body": "区委"}),
    "a banner committee's term": (opening("旗委第二巡察组", "十六届旗委"), {"term": 16, "inspecting_body": "旗委"}),
    "an on-site period in two parts ends with the second": (
        "根据省委统一部署,2021年1月10日至2月6日、2月21日至3月24日,省委巡视一组对某市开展了巡视,并于6月25日反馈了巡视意见。",
        {"inspection_start": "2021-01-10", "inspection_end": "2021-03-24", "feedback_on": "2021-06-25"}),
    "team and body kept when the dates are unreadable": (
        "根据市委统一部署,2023111日至12日,市委第三巡察组对市某局党组进行了巡察。",
        {"team": 3, "inspecting_body": "市委", "inspection_start": None, "inspection_end": None}),
    "a team that inspects villages": (
        opening("市委对村巡察第四组"), {"team": 4, "inspecting_body": "市委"}),
    "the opening's team unnumbered, the body's numbered": (
        "根据市委统一部署,2024年9月27日至12月20日,市委第六轮巡察组对某镇下辖7个村(社区)党组织开展巡察。\n"
        "镇党委召开专题会议,传达学习市委对村巡察第二组巡察7个村(社区)党组织情况反馈会议精神。",
        {"team": 2, "round": 6, "inspecting_body": "市委"}),
    "a team named by its modes alone is the deploying committee's": (
        "根据市委统一部署,2020年7月20日至8月19日,市县联动巡察组对某县人民法院党组进行了巡察,并于2020年9月29日反馈了巡察意见。",
        {"inspecting_body": "市委", "team": None, "inspection_kind": "巡察"}),
    "a cross-inspection team of the counties and districts": (
        opening("市委县区交叉巡察五组"), {"team": 5, "inspecting_body": "市委"}),
    "no team and no date: the deployment names the committee": (
        "根据区委巡察工作统一部署,按照党务公开原则和巡察工作有关要求,现将巡察整改进展情况予以公布。\n"
        "一、健全组织领导\n二、巡察反馈问题的整改情况\n对应34个具体问题清单制定了95条具体整改措施。",
        {"inspecting_body": "区委", "inspection_kind": "巡察", "title": None, "problems_total": 34}),
    # term and round
    "第十四届县委 in a title over two lines": (
        "某县医保局党组关于第十四届\n县委机动巡察整改进展情况的通报\n" + opening("县委第一巡察组", "县委"),
        {"title": "某县医保局党组关于第十四届县委机动巡察整改进展情况的通报", "term": 14}),
    "term and round without the committee": (
        "某局党组关于十四届第五轮巡察整改进展情况的通报\n" + opening("区委第三巡察组", "区委"), {"term": 14, "round": 5}),
    "a term's first round written 首轮": (
        "某局党组关于十四届县委首轮巡察整改进展情况的通报\n" + opening("县委第三巡察组", "县委"), {"term": 14, "round": 1}),
    "首轮 in the opening": (
        opening("县委首轮巡察第三巡察组", "县委"), {"round": 1, "team": 3, "inspecting_body": "县委"}),
    # page chrome
    "a teaser of the article before its header is not the opening": (
        "当前位置: 首页 » 国内时事 » 正文\n核心提示:中共某局党组关于市委第二巡察组巡察整改进展情况的通报" + opening()
        + "按照巡察工作有关要求,现将整改进展情况予以公布。一、整改总体情况\n某局党组通报巡察整改进展情况\n"
        "中共某局党组关于市委第二巡察组巡察整改进展情况的通报\n" + opening() + "\n一、整改总体情况",
        {"title": "中共某局党组关于市委第二巡察组巡察整改进展情况的通报", "issuer": "中共某局党组", "team": 2}),
    "a portal's menu of one-word links does not hide the header": (
        "\n|\n".join(["成都", "绵阳", "德阳", "南充", "乐山", "宜宾", "泸州", "自贡", "内江", "广元", "遂宁", "广安", "达州",
                       "眉山", "资阳", "雅安", "巴中", "攀枝花", "凉山", "甘孜", "阿坝"]) + "\n您所在的位置:首页>新闻详情\n"
        "中共某局党组关于巡察整改进展情况的通报\n2022-09-02 08:57:04 来源:某局 编辑:某某\n"
        "根据市委统一部署,市委第五巡察组对某局党组进行了巡察,2021年12月30日,市委巡察组向某局党组反馈了巡察意见。",
        {"published_on": "2022-09-02", "feedback_on": "2021-12-30", "team": 5}),
    "labelled metadata lines": (
        "索引号:11/2023-001\n发文单位:中共某县某局党组\n成文日期:2023-11-20\n"
        "标 题:中共某县某局党组关于县委第四巡察组巡察整改进展情况的通报\n发文时间:2023年11月23日\n"
        + opening("县委第四巡察组", "县委"),
        {"title": "中共某县某局党组关于县委第四巡察组巡察整改进展情况的通报", "issuer": "中共某县某局党组",
         "published_on": "2023-11-23"}),
    "a date after the title on its line": (
        "中共某区某局党组关于巡察集中整改进展情况的通报 2026-02-13\n" + opening("区委第二巡察组", "区委"),
        {"title": "中共某区某局党组关于巡察集中整改进展情况的通报", "published_on": "2026-02-13"}),
    "a breadcrumb as the only title": (
        "首页 > 信息公开 > 中共某区某局党组关于巡察整改进展情况的通报\n" + opening("区委第二巡察组", "区委"),
        {"title": "中共某区某局党组关于巡察整改进展情况的通报"}),
    "a date and time before the site's name": (
        "共青团某省委员会关于巡视整改进展情况的通报\n2022-04-08 10:00 某省纪委监委网站\n"
        + opening("省委第二巡视组", "省委").replace("巡察", "巡视"), {"published_on": "2022-04-08"}),
    "a page header's copy with the site's name before the title": (
        "某市人民政府门户网站 某市交通运输局 政务公告 中共某市交通运输局党组关于巡察整改情况的通报\n"
        "当前位置:首页 > 政务公开 > 政务公告\n中共某市交通运输局党组关于巡察整改情况的通报\n来源:本网 时间:2023-02-09 18:18:56\n"
        + opening(), {"title": "中共某市交通运输局党组关于巡察整改情况的通报", "issuer": "中共某市交通运输局党组",
                      "published_on": "2023-02-09"}),
    "a title broken after its issuer is one title, not its second half": (
        "中共某县某局党组 关于巡察整改情况的通报\n关于巡察整改情况的通报\n" + opening("县委第一巡察组", "县委"),
        {"title": "中共某县某局党组 关于巡察整改情况的通报"}),
    "a header run together with the column's name and the page's date": (
        "党务公开中共某市妇联党组关于巡察整改进展情况的通报发布时间2023年7月28日 来源:某市妇联 阅读7695次"
        + opening("市委巡察三组"),
        {"title": "中共某市妇联党组关于巡察整改进展情况的通报", "issuer": "中共某市妇联党组", "published_on": "2023-07-28",
         "team": 3}),
    "a news headline about a notice is no title": (
        "处罚5569人!某省卫健委通报巡视整改进展\n" + opening("省委第五巡视组", "省委").replace("巡察", "巡视"),
        {"title": None, "issuer": None, "team": 5}),
    # text as copied
    "traditional characters": (
        "發布時間:2023-05-04\n根據區委統一部署,2022年9月16日至10月18日,區委第二巡察組對區文旅體局黨組進行了巡察。"
        "2023年1月17日,區委巡察組向區文旅體局黨組反饋了巡察意見。",
        {"published_on": "2023-05-04", "inspection_kind": "巡察", "inspecting_body": "区委", "team": 2,
         "feedback_on": "2023-01-17"}),
    "年 and 月 lost": (
        "根据市委统一部署,2023612日至85日,市委第三巡察组对市某局党组进行了巡察。914日,巡察组向市某局党组反馈了巡察意见。",
        {"inspection_start": "2023-06-12", "inspection_end": "2023-08-05", "feedback_on": "2023-09-14", "team": 3}),
    # counts
    "the feedback never counted, only its breakdown": (
        opening() + "\n市委巡察组的反馈意见为加强和改进中心各项工作提供了指导和遵循,中心党总支全面认领、认真反思、坚决整改,"
        "逐条梳理细化为15个具体问题、40条整改措施,坚持高标准、严要求。",
        {"problems_total": 15}),
    "problems counted as done in a clause of their own are no total": (
        opening() + "\n针对巡察反馈意见指出的需要整改的问题,真改实改,截至目前,共计18个问题已整改完成。",
        {"problems_total": None, "problems_done": 18}),
    "the feedback's problems 共涉及 aspects and a count": (
        opening() + "\n反馈问题共涉及5个方面22个,已完成20个。", {"problems_total": 22, "problems_done": 20}),
    "the unit's breakdown into a problem list": (
        opening() + "\n对巡察反馈的问题,分解形成79个问题清单,已完成整改70个。", {"problems_total": 79, "problems_done": 70}),
    "a ledger of specific problems": (
        opening() + "\n对照巡察反馈意见,建立了3个方面12项具体问题台账。", {"problems_total": 12}),
    "levels of detail together: the most specific": (
        opening() + "\n对巡察反馈的4大类12个具体问题30个子项问题逐一整改。", {"problems_total": 30}),
    "the feedback's problems said in other words": (
        opening() + "\n局党组对照23个巡察反馈问题,逐项制定整改措施,截至目前已完成整改20个。",
        {"problems_total": 23, "problems_done": 20}),
    "the feedback's opinions counted": (
        opening() + "\n对市委巡察组反馈的5个方面23条意见,局党组照单全收。", {"problems_total": 23}),
    "specific problems refined further: the refined count": (
        opening() + "\n针对反馈的4个方面7项具体问题涉及的17个细化问题,逐一明确责任领导。", {"problems_total": 17}),
    "the breakdown into tasks is not a count of problems": (
        opening() + "\n局党组对照巡察组反馈的4个方面13个问题,逐项细化分解为49项整改任务。", {"problems_total": 13}),
    "problems a secretary took on are not the total": (
        opening() + "\n党组书记领办的23项问题已全部整改。", {"problems_total": None}),
    "a self-check's problems are not the total": (opening() + "\n局党组自查发现的12个问题已整改。", {"problems_total": None}),
    "problems paired with their measures": (
        opening() + "\n二是全面对标对表。深入剖析29个问题,提出117条整改举措,明确整改方向。", {"problems_total": 29}),
    "a completion rate of measures is not of problems": (
        opening() + "\n市委巡察组反馈问题29个,制定整改措施94条,已完成整改94条,整改完成率100%。",
        {"problems_total": 29, "problems_done": None}),
    # special topics
    "a strategy named with its goal is one topic": (
        "根据市委统一部署,2023年3月1日至4月30日,市委第二巡察组对某局党组开展了黄河流域生态保护和高质量发展专项巡察。",
        {"special_topics": ["黄河流域生态保护和高质量发展"]}),
    "a special inspection done alone has its topic": (
        "根据县委统一部署,2023年3月1日至4月30日,县委第一巡察组对某县医保局党组开展了医保基金管理领域专项巡察。",
        {"special_topics": ["医保基金管理领域"]}),
    "a team named by its topic": (
        "根据市委统一部署,2023年5月25日—7月28日,市委乡村振兴领域专项巡察组对市农业农村局党组进行了巡察。",
        {"special_topics": ["乡村振兴领域"], "team": None}),
    "pinyin glosses of a re-posting site": (
        "根據省委統一部署,2022年8月下旬至9月底,省委第五巡視組對省衛(wèi)生健康委黨組開展了營造“三個環(huán)境”專項巡視。",
        {"special_topics": ["营造“三个环境”"], "team": 5}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_real_page_styles(name: str):
    text, expected = CASES[name]
    record = parse_notice_text(text)
    assert {k: record[k] for k in expected} == expected
