"""crawler.text.segment: domain dictionary, determinism, quiet start-up, keywords."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.text import segment

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "crawler" / "mirror" / "corpus"

# (term, a sentence quoted from the corpus that contains it)
REAL = [
    ("巡视组", "2024年1月8日,省委巡视组向太子河区委反馈了巡视意见"),
    ("巡察组", "制定了《关于提高问题线索质量的工作提示》,要求各巡察组做好前期情况搜集,提高巡察发现问题线索的数量和质量"),
    ("以案促改", "形成以案促改工作流程图和审批流程图,更好发挥纪检监察机关监督保障执行、促进完善发展作用"),
    ("主体责任", "扎实履行主体责任,对巡视反馈问题紧盯不放、一抓到底,推动整改工作走深走实、见行见效"),
    ("一岗双责", "二是按照“党政同责、一岗双责、齐抓共管、失职追责”和“三个必须”要求,牢牢拧紧安全生产“责任链条”"),
    ("民主生活会", "各派驻纪检监察组列席各单位民主生活会、“三重一大”会议,推动党组主体责任、班子成员“一岗双责”落实到位"),
    ("营商环境", "按照《细则》要求,由东洲区数据局对监督员进行考核,有效发挥监督员对营商环境的监督作用"),
    ("八项规定", "(七)违反“八项规定”精神屡禁不止"),
    ("中央八项规定精神", "三是组织全区党政机关干部学习《中国共产党纪律处分条例》和中央八项规定精神"),
    ("第一议题", "严格贯彻落实“第一议题”制度,学习党的二十大精神"),
    ("形式主义", "持续加固中央八项规定堤坝,重拳整治形式主义、官僚主义,深挖彻查“四风”问题及背后的腐败问题"),
    ("官僚主义", "持续加固中央八项规定堤坝,重拳整治形式主义、官僚主义,深挖彻查“四风”问题及背后的腐败问题"),
    ("选人用人", "将因私出国(境)管理工作开展情况纳入县委第六轮、第七轮巡察选人用人专项检查重点内容"),
    ("立行立改", "区委明确要求,坚持边巡边改、立行立改、即知即改,把问题整改贯穿接受巡视监督全过程"),
    ("对账销号", "建立整改落实工作台账,细化问题清单、任务清单和责任清单,对账销号,确保不留死角,整改到位"),
    ("巡视整改", "(四)做好“后半篇文章”,在成果转化上再发力,不断巩固拓展巡视整改成效"),
    ("巡察整改", "制定巡察整改工作指引,指导被巡察党组织规范开展整改工作,压实被巡察党组织整改主体责任"),
    ("全面从严治党", "(二)落实全面从严治党政治责任不够有力,严的基调、严的措施、严的氛围没有一贯到底"),
    ("意识形态", "一是召开区委理论学习中心组(扩大)学习会议,组织县级领导干部深入学习了相关文件,提高意识形态工作重视程度"),
    ("两个维护", "(一)主要负责同志高度重视,坚定不移把“两个维护”贯穿巡视整改工作始终"),
    ("四个意识", "一是进一步增强“四个意识”,提高政治站位"),
    ("四个自信", "以实际行动增强“四个意识”、坚定“四个自信”、做到“两个维护”"),
    ("回头看", "针对已经完成整改的问题,适时组织开展“回头看”,持续巩固整改成果,坚决防止问题反弹"),
    ("举一反三", "坚持从对党忠诚的高度狠抓整改落实,举一反三、深挖细查,全力推进各项后续整改任务,确保问题清仓见底、整改到位"),
    ("建章立制", "出台《关于推动巡察工作高质量发展的实施方案》,通过建章立制压实工作责任,保障长效落实"),
    ("党风廉政建设", "将区委常委会每半年听取区委班子成员履行管党治党及党风廉政建设工作汇报纳入常委会年度议题安排"),
]


def userdict() -> list[list[str]]:
    return [ln.split() for ln in segment.USERDICT.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.parametrize(("term", "sentence"), REAL, ids=[t for t, _ in REAL])
def test_domain_term_is_one_token_in_real_sentence(term: str, sentence: str) -> None:
    toks = segment.tokens(sentence)
    assert term in toks
    assert "".join(toks) == sentence


def test_userdict_format_and_every_word_whole() -> None:
    rows = userdict()
    assert len(rows) >= 28
    for row in rows:
        assert len(row) == 3 and row[1].isdigit() and re.fullmatch(r"[a-z]+", row[2]), row
        assert segment.tokens(row[0]) == [row[0]]
    assert len({r[0] for r in rows}) == len(rows)
    assert {t for t, _ in REAL} <= {r[0] for r in rows}


def test_phrases_are_whole_for_search_and_cut_into_their_words() -> None:
    rows = [ln.split() for ln in segment.PHRASES.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len(rows) >= 40
    user = {row[0] for row in userdict()}
    for words, freq, tag in rows:
        parts = words.split("/")
        phrase = "".join(parts)
        assert len(parts) >= 2 and freq.isdigit() and re.fullmatch(r"[a-z]+", tag), words
        assert phrase not in user
        assert segment.tokens(phrase) == parts  # PKU: a phrase is its words
        found = segment.search_tokens(phrase)  # the index holds the phrase and its words
        assert phrase in found and {p for p in parts if len(p) > 1} <= set(found), words


def test_exact_segmentation_of_a_real_sentence() -> None:
    # js01: "2月23日,区委常委会召开省委巡视整改专题民主生活会" (shortened); PKU's guideline with the domain's
    # phrases whole: jieba's phrase entries 认真学习, 反馈意见 are two words each
    assert segment.tokens("区委常委会召开省委巡视整改专题民主生活会,认真学习研讨巡视反馈意见") == [
        "区委", "常委会", "召开", "省委", "巡视整改", "专题", "民主生活会", ",", "认真", "学习", "研讨", "巡视", "反馈", "意见",
    ]


# (text, its words) for each rule of segment._conventions (tests/fixtures/segmentation/README.md: the standard)
CONVENTIONS = [
    ("2023年9月21日至11月30日", ["2023年", "9月", "21日", "至", "11月", "30日"]),  # dates: one word a part
    ("2019年度完成30年来", ["2019年度", "完成", "30", "年", "来"]),  # a year is a date, 30 年 a count
    ("9月份", ["9", "月份"]),
    ("投资487.1亿元,增长358.97%,引进外资179万美元", ["投资", "487.1亿", "元", ",", "增长", "358.97%", ",", "引进", "外资",
                                                   "179万", "美元"]),  # a number keeps its %, 万, 亿
    ("电话0535-6891160,邮箱lsqwbdck@163.com", ["电话", "0535-6891160", ",", "邮箱", "lsqwbdck@163.com"]),
    ("巡察第23组", ["巡察", "第23", "组"]),
    ("十四届市委第四轮巡察", ["十四", "届", "市委", "第四", "轮", "巡察"]),  # a number and its measure word: two
    ("一件一件抓,件件有着落", ["一", "件", "一", "件", "抓", ",", "件件", "有", "着落"]),
    ("140余人次", ["140", "余", "人次"]),
    ("领导小组高度重视", ["领导", "小组", "高度", "重视"]),  # jieba's phrase entries: their words
    ("中国共产党党的领导", ["中国", "共产党", "党", "的", "领导"]),
    ("统筹兼顾社会主义", ["统筹兼顾", "社会主义"]),  # an idiom, a lexicalised word: whole
    ("市政协副组长全过程每季度", ["市", "政协", "副", "组长", "全", "过程", "每", "季度"]),  # a one-character prefix
    ("科学技术局农业农村局卫生健康委", ["科学", "技术局", "农业", "农村局", "卫生", "健康委"]),  # the organ on the last word
    ("召开推进会和党组会议", ["召开", "推进会", "和", "党组", "会议"]),
    ("躺平式长效性办结率", ["躺平式", "长效性", "办结率"]),
    ("清河门区委", ["清河门", "区委"]),
    ("召开厅党组会议", ["召开", "厅", "党组", "会议"]),  # after a verb the organ character is the level of 党组
    ("朔州市科学技术局党组", ["朔州市", "科学", "技术局", "党组"]),  # after a noun it ends the organ's name
    ("超期办件", ["超期", "办件"]),
    ("十九届四中全会", ["十九", "届", "四中全会"]),
    ("习近平总书记", ["习", "近平", "总书记"]),
]


@pytest.mark.parametrize(("text", "words"), CONVENTIONS, ids=[t for t, _ in CONVENTIONS])
def test_conventions(text: str, words: list[str]) -> None:
    assert segment.tokens(text) == words


def test_compound_table_is_current_and_spares_the_domain_words() -> None:
    from crawler.text import compounds

    assert compounds.COMPOUNDS.read_text(encoding="utf-8") == compounds.build()  # python -m crawler.text.compounds
    table = compounds.load()
    assert table["领导小组"] == ("领导", "小组") and "社会主义" not in table and "统筹兼顾" not in table
    user = {row[0] for row in userdict()}
    assert all(segment.tokens(word) == [word] for word in user & set(table))  # listed, but ours: whole


def test_hmm_off_invents_no_words() -> None:
    # real (ln26): with the HMM on jieba glues 日至 and 及省 from character statistics; off, only dictionary words
    assert "日至" not in segment.tokens("2023年9月21日至11月30日")
    assert "及省" not in segment.tokens("全力确保党中央决策部署及省、市工作要求在溪湖落地落实落到位")
    assert segment.tokens("2023年9月21日至11月30日") == ["2023年", "9月", "21日", "至", "11月", "30日"]


def test_tagged_uses_the_user_dictionary_flags() -> None:
    pairs = segment.tagged("坚定不移把“两个维护”贯穿巡视整改工作始终,持续优化营商环境")
    flags = dict(pairs)
    assert flags["两个维护"] == "nz"
    assert flags["巡视整改"] == "vn"
    assert flags["营商环境"] == "n"
    assert [w for w, _ in pairs] == segment.tokens("坚定不移把“两个维护”贯穿巡视整改工作始终,持续优化营商环境")
    text = "2023年9月召开推进会,市政协副主席到科学技术局调研"
    pairs = segment.tagged(text)
    assert [w for w, _ in pairs] == segment.tokens(text)
    want = {"2023年": "t", "9月": "t", "推进会": "n", "政协": "j", "技术局": "n"}  # glued or cut by the conventions
    assert {w: f for w, f in pairs if w in want} == want


def test_keywords_on_a_real_notice_skip_generic_words_and_numbers() -> None:
    text = (CORPUS / "ln04.txt").read_text(encoding="utf-8")
    kws = segment.keywords(text, k=20)
    words = [w for w, _ in kws]
    assert len(kws) == 20
    assert "营商环境" in words and "皇姑区" in words
    stop = set(segment.STOPWORDS.read_text(encoding="utf-8").split())
    assert {"整改", "工作", "问题", "巡视整改", "落实"} <= stop
    assert not stop & set(words)
    assert not [w for w in words if re.search(r"\d|^第?[一二三四五六七八九十]+[年月日个项是]?$", w)]
    weights = [s for _, s in kws]
    assert weights == sorted(weights, reverse=True) and all(s > 0 for s in weights)
    assert len(segment.keywords(text, k=5)) == 5


def test_keywords_keep_the_dictionary_s_phrases_whole() -> None:
    # the words (tokens) follow PKU's guideline; keywords rank the dictionary's cut, where phrases are whole
    text = "持续发展数字经济,开展警示教育,发展数字经济"
    assert segment.tokens(text)[:3] == ["持续", "发展", "数字"]
    assert {"数字经济", "警示教育"} <= {w for w, _ in segment.keywords(text, 5)}
    assert segment.tokens(text, segment.dictionary_tokens(text)) == segment.tokens(text)


def test_keywords_drop_years_and_amounts() -> None:
    kws = dict(segment.keywords("2023年完成投资11.38亿元,2024年完成投资6.6亿元,小金库问题2起,小金库", k=10))
    assert "小金库" in kws
    assert not [w for w in kws if re.search(r"\d", w)]


def test_first_load_is_silent_and_uses_a_temp_cache(tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import threading
        from crawler.text import segment
        out = []
        ts = [threading.Thread(target=lambda: out.append(segment.tokens("优化营商环境"))) for _ in range(8)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        segment.warm()
        print(len(out), out[0], segment.tagged("营商环境")[0][1], segment.keywords("小金库小金库", 1)[0][0])
    """)
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONWARNINGS": "default", "RECTIFY_SEGMENTER": "jieba"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.strip() == "8 ['优化', '营商环境'] n 小金库"
    assert (tmp_path / "jieba.cache").is_file()  # the prefix-dict cache went to the (fresh) temp dir


def test_one_tokenizer_per_process() -> None:
    segment.warm()
    key = "rjieba" if segment.engine_name() == "rjieba" else "tok"
    tok = segment._state[key]
    segment.tokens("巡视整改")
    segment.warm()
    assert segment._state[key] is tok
    if key == "tok":
        assert segment._state["pos"].tokenizer is tok


def test_rjieba_gives_jieba_s_tokens_on_every_notice() -> None:
    """The faster engine is only used because it cuts exactly as jieba does with our dictionary (and then the
    same conventions apply)."""
    if segment.engine_name() != "rjieba":
        pytest.skip("rjieba is not installed")
    jieba_tok = segment._tokenizer()
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert segment._cut(text) == jieba_tok.lcut(text, HMM=False), path.name
        assert segment.tokens(text) == segment._conventions(text, jieba_tok.lcut(text, HMM=False)), path.name


def test_first_load_is_silent_with_the_default_engine() -> None:
    code = "from crawler.text import segment\nsegment.warm()\nprint(segment.engine_name(), segment.tokens('对账销号'))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.strip().endswith("['对账销号']")


def test_warm_without_analyse_loads_only_the_tokenizer() -> None:
    code = ("import sys\nfrom crawler.text import segment\nsegment.warm(analyse=False)\n"
            "print('jieba.posseg' in sys.modules, 'jieba.analyse' in sys.modules, segment.tokens('对账销号'))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stderr, proc.stdout.strip()) == (0, "", "False False ['对账销号']")


def test_keywords_from_tokens_equal_keywords_from_text():
    """The parse stage segments once and ranks keywords from the dictionary's cut: same result as jieba's own path."""
    from crawler.text.segment import dictionary_tokens, keywords_from_tokens

    for path in sorted(CORPUS.glob("*.txt"))[:6]:
        text = path.read_text(encoding="utf-8")
        ours, jiebas = keywords_from_tokens(dictionary_tokens(text), 20), segment.jieba_keywords(text, 20)
        assert [w for w, _ in ours] == [w for w, _ in jiebas]
        assert [x for _, x in ours] == pytest.approx([x for _, x in jiebas], rel=1e-12)
