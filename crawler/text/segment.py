"""Chinese word segmentation for notices: one jieba per process, with the domain dictionary.

* Standard: PKU's segmentation guideline with the domain's fixed phrases as single words, as written down in
  tests/fixtures/segmentation/README.md and scored by ``bench/segmentation`` (word-level F1 against 240
  hand-segmented sentences of real notices).  ``tokens`` is the engine's cut with the dictionaries below,
  brought to that standard by ``_conventions``: numbers, dates and codes one word each (2023年 / 9月,
  358.97%, 0535-6891160) and a number apart from its measure word (30 / 年, 十四 / 届); jieba's phrase entries
  cut into their words (领导小组 → 领导 / 小组: data/compounds.txt, built by crawler/text/compounds.py);
  one-character prefixes, organ and meeting suffixes as the guideline has them (副 / 组长, 科学 / 技术局, 推进会).
* Dictionaries: data/userdict.txt, the words of the field (巡视整改, 两个维护, 中央八项规定精神, numbered formulas
  such as 四不两直, organs such as 卫健委), whole in every output; data/phrases.txt, the field's phrases (整改/落实,
  问题/线索 …), words in the engine's dictionary so the search index (``search_tokens``, jieba's
  cut_for_search) holds them whole as well as their parts, while ``tokens`` cuts them at the ``/``.
* Engine: rjieba (jieba-rs, the same algorithm and dictionary in Rust) when installed, else jieba. With HMM
  off and our user dictionary both give identical tokens on the whole corpus (a test checks it; the bench
  reports it); rjieba cuts ~16x faster and loads in 0.1 s. RECTIFY_SEGMENTER=jieba forces jieba.
* Keywords are TF-IDF over the dictionary tokens (phrases whole) with jieba's IDF table (read from its file; jieba.analyse is not
  needed), ranked exactly as jieba.analyse.extract_tags ranks them.

* The tokenizer is a private ``jieba.Tokenizer`` (not the global ``jieba.dt``) built once, lazily, under a
  lock, so threads share it and nobody else's ``add_word`` leaks in.  Workers call ``warm()`` at start
  (before forking when they can: children then share the tables copy-on-write).  Measured: ~0.6 s and
  ~95 MB RSS for the tokenizer alone, ~1.2 s and ~300 MB with POS and TF-IDF (jieba.analyse imports
  jieba.posseg and its HMM tables); ``warm(analyse=False)`` for processes that only need ``tokens``.
* HMM is off everywhere, for determinism: with it, jieba glues characters found in no dictionary into
  "new words" from character statistics (日至 in "21日至11月", 及省 in "部署及省、市"), and whether it
  does depends on the neighbouring characters, so one phrase cuts differently in two notices.  Off, every
  multi-character token is a dictionary word, counts compare across documents, and rjieba gives the same
  tokens should we swap engines (design/segmentation.md: 100% identical vs 99.94% with HMM).
* jieba logs to stderr at the first cut: its logger is set to WARNING, and loading runs with warnings
  muted (jieba imports ``pkg_resources``, deprecated in recent setuptools, and leaves files unclosed,
  which ``-W default`` reports).  The prefix-dict cache goes to ``tempfile.gettempdir()``, which exists.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
USERDICT = DATA / "userdict.txt"
PHRASES = DATA / "phrases.txt"
STOPWORDS = DATA / "stopwords.txt"

# numbers, years, dates, percentages and amounts: never keywords (2023年, 100%, 3.5亿元, 第四轮, 12月)
_NUMERIC = re.compile(
    r"第?[\d０-９.．%％‰,，\-—~～/]+(?:[年月日号个项条件次人名家户元万亿千百十余多轮届批]+)?"
    r"|第?[〇零一二三四五六七八九十百千万两]+(?:[年月日号个项条件次人名家户轮届批方面是]+)?"
)

# jieba.analyse's built-in English stop words, kept so rankings match extract_tags exactly.
JIEBA_STOP_WORDS = frozenset((
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on", "with", "can",
    "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not", "one", "has", "or", "that"))

_lock = threading.RLock()  # re-entrant: building one table may build another (POS needs the tokenizer)
_state: dict[str, Any] = {}


@contextmanager
def _quiet() -> Iterator[None]:
    """Mute warnings while jieba loads: pkg_resources deprecation, files it opens and never closes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _once(name: str, build: Callable[[], Any]) -> Any:
    """Build a jieba table the first time it is asked for, once per process, even with threads racing."""
    value = _state.get(name)
    if value is None:
        with _lock:
            value = _state.get(name)
            if value is None:
                with _quiet():
                    value = build()
                _state[name] = value
    return value


def _build_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()
    tok.initialize()
    with USERDICT.open("rb") as f:  # jieba leaves a path it opens unclosed
        tok.load_userdict(f)
    for phrase, _parts, freq, tag in _phrases():
        tok.add_word(phrase, freq, tag)
    return tok


def _build_posseg() -> Any:
    import jieba.posseg

    pos = jieba.posseg.POSTokenizer(_tokenizer())
    pos.lcut("预热", HMM=False)  # moves the user words' tags in now, not racing in a later cut
    return pos


class _KeywordCut:
    """What jieba.analyse sees as its tokenizer: our dictionary tokens, HMM off, numbers and dates dropped."""

    def __init__(self, tok: Any) -> None:
        self._tok = tok

    def cut(self, sentence: str, *_args: Any, **_kwargs: Any) -> Any:
        return (w for w in self._tok.cut(sentence, HMM=False) if not _NUMERIC.fullmatch(w))


def _build_tfidf() -> Any:
    import jieba.analyse

    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = _KeywordCut(_tokenizer())
    tfidf.set_stop_words(str(STOPWORDS))
    return tfidf


def _user_words() -> list[tuple[str, int | None, str | None]]:
    """(word, freq, tag) from data/userdict.txt, jieba's format."""
    words = []
    for line in USERDICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
            words.append((parts[0], freq, tag))
    return words


def _phrases() -> list[tuple[str, tuple[str, ...], int, str]]:
    """(phrase, its words, freq, tag) from data/phrases.txt: ``整改/落实 50000 vn``."""
    out = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            words, freq, tag = line.split()
            out.append(("".join(words.split("/")), tuple(words.split("/")), int(freq), tag))
    return out


def _build_rjieba() -> Any:
    import rjieba

    engine = rjieba.Jieba()
    for word, freq, tag in _user_words():
        engine.add_word(word, freq, tag)
    for phrase, _parts, freq, tag in _phrases():
        engine.add_word(phrase, freq, tag)
    return engine


def _build_idf() -> tuple[dict[str, float], float, frozenset[str]]:
    """jieba's IDF table, its median (the IDF of unseen words) and the stop words, as extract_tags uses them."""
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.submodule_search_locations, "jieba is a dependency"
    idf_file = Path(next(iter(spec.submodule_search_locations))) / "analyse" / "idf.txt"
    idf = {}
    for line in idf_file.read_text(encoding="utf-8").splitlines():
        word, freq = line.strip().split(" ")
        idf[word] = float(freq)
    median = sorted(idf.values())[len(idf) // 2]
    stop = JIEBA_STOP_WORDS | frozenset(STOPWORDS.read_text(encoding="utf-8").split())
    return idf, median, stop


# --- PKU's conventions over the dictionary's cut -------------------------------------------------------------
# The hand-segmented sentences of tests/fixtures/segmentation (README there) follow PKU's guideline with the
# domain's fixed phrases as words; jieba's dictionary differs from it in regular ways, which these rules undo:
# * numbers, dates and codes are cut apart by jieba (2023 / 年, 358 / . / 97 / %, 0535 / - / 6891160): they are
#   one word each (2023年, 9月, 21日, 358.97%, 179万, 第23, a phone number, an e-mail address), while a number
#   and its measure word are two (30 / 年, 一 / 个, 十四 / 届, 第二 / 轮);
# * jieba's phrase entries are split into their words (领导小组 → 领导 / 小组, data/compounds.txt, see
#   crawler/text/compounds.py), and so are a one-character prefix and a word (副 / 组长, 市 / 政协, 全 / 过程,
#   不 / 到位, 每 / 季度) and a name (习 / 近平);
# * a two-character word and a one-character organ, meeting or affix are one word (技术局, 推进会, 躺平式,
#   长效性, 办结率), and a place keeps 区委/市委/县委 together (清河门 / 区委, not 清河门区 / 委).
# User-dictionary words (the domain's phrases) are never split.

_DIGITS = "0-9０-９"
_PATTERNS = re.compile(
    rf"(?=[A-Za-z{_DIGITS}第])(?:"  # the first characters they can start with: lets re skip the rest fast (10x)
    rf"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail
    rf"|https?://[A-Za-z0-9./?=&_%#:~+-]+"  # URL
    rf"|\d{{3,4}}-\d{{7,8}}(?:-\d{{1,4}})?"  # phone number with area code (and extension)
    rf"|[{_DIGITS}]{{4}}年度?"  # year
    rf"|(?:1[0-2]|0?[1-9]|１[０-２]|０?[１-９])月(?!份)"  # month (a run of digits is read whole: never 2112月)
    rf"|[{_DIGITS}]+日"  # day (a date damaged in copying, 2024717日, stays one word)
    rf"|第[{_DIGITS}]+"  # ordinal
    rf"|[{_DIGITS}]+(?:[.．][{_DIGITS}]+)*(?:[%％‰]|[万亿]+)?"  # number, percentage, 179万, 487.1亿
    ")")
_CN_NUMERAL = "〇零一二两三四五六七八九十百千万亿"
_NUMBER_MEASURE = re.compile(
    rf"(第?[{_CN_NUMERAL}]+)(个|项|件|次|类|户|年|届|轮|组|名|人|条|家|批|种|位|份|套|座|所|篇|场|天|周|期|处|笔|"
    rf"支|本|台|辆|间|张|亩|章|节|岁|元|方面|季度|小时|分钟|个月)")
_PREFIX_ANY = frozenset("副每相按")  # 副 / 组长, 每 / 季度, 相 / 结合, 按 / 计划: the prefix is a word
_PREFIX_KEEP = frozenset({
    "各级", "各类", "各项", "各种", "各自", "各位", "各地", "各界", "各方", "各样", "各个", "全方位", "全天候", "全世界",
    "有利于", "有助于", "有限公司", "不得不", "不由得", "不见得", "不敢当", "不作为", "不定期", "相对论"})
_LEVELS = frozenset("省市县区镇乡旗局委")  # 市 / 政协, 区 / 政府, 局 / 党组
_ORGAN_WORDS = frozenset({"政府", "政协", "人大", "纪委", "监委", "党委", "党组", "党工委", "法院", "检察院", "人民政府",
                          "人民法院", "人民检察院", "委员会", "常委会"})
_ORGAN_ENDS = frozenset("局厅委办院府协联")
_SUFFIXES = frozenset("局厅部委馆室会组性化型式度率员者")  # 2 characters + one of these: one word (办 is mostly 办件)
# after a verb, an organ character before these is the level of what follows (召开 / 厅 / 党组 / 会议, 成立 / 局 /
# 巡察整改), after a noun its suffix (科学 / 技术局 / 党组)
_LEVEL_OF_NEXT = ("党委", "党组", "党工委", "领导", "机关", "班子", "办公室", "室", "属", "直属", "系统", "巡视", "巡察",
                  "年度", "主要")
_NOT_BEFORE_SUFFIX = frozenset({  # 是否 / 会, 马上 / 办: adverbs before 会 (will) and 办 (do)
    "是否", "可能", "一定", "肯定", "也许", "或许", "必然", "自然", "同样", "仍然", "依然", "经常", "往往", "总是",
    "马上", "立即", "尽快", "及时", "随时", "一起", "怎么", "如何", "这样", "那样", "不仅", "并且", "而且", "还是",
    "才能", "就是", "也是", "都是", "不是", "还会", "工作", "问题", "干部", "群众"})
_REDUPLICATED = frozenset("件事人条项个家户村年月天处桩")  # 件件, 事事: a reduplicated measure word is one word
_NUMBER = re.compile(rf"[{_DIGITS}.．%％‰万亿]+|[{_CN_NUMERAL}]+")
_NAMES = {"习近平": ("习", "近平")}  # PKU cuts a Han name into surname and given name
_HAN2 = re.compile(r"[\u4e00-\u9fff]{2}")


def _build_rules() -> tuple[frozenset[str], dict[str, str]]:
    """The user-dictionary words and {compound: its words joined by spaces} (strings: a third of the memory)."""
    from crawler.text.compounds import COMPOUNDS

    user = frozenset(w for w, _, _ in _user_words())
    table = {}
    for line in COMPOUNDS.read_text(encoding="utf-8").splitlines():
        word, _, parts = line.partition(" ")
        if word not in user:
            table[word] = parts
    table.update((phrase, " ".join(parts)) for phrase, parts, _, _ in _phrases())
    return user, table


def _rules() -> tuple[frozenset[str], dict[str, str]]:
    return _once("rules", _build_rules)


_split_cache: dict[str, tuple[str, ...]] = {}


def _split(word: str) -> tuple[str, ...]:
    """`_split_word`, remembered (a notice's tokens repeat: 98 % of calls are hits)."""
    parts = _split_cache.get(word)
    if parts is None:
        parts = _split_word(word)
        if len(_split_cache) < 1 << 17:
            _split_cache[word] = parts
    return parts


def _split_word(word: str) -> tuple[str, ...]:
    """The words of one dictionary token under PKU's conventions (most tokens: itself)."""
    user, compounds = _rules()
    if len(word) < 2 or word in user or word in _PREFIX_KEEP:
        return (word,)
    if word in compounds:
        return tuple(p for part in compounds[word].split() for p in _split(part))
    if word in _NAMES:
        return _NAMES[word]
    m = _NUMBER_MEASURE.fullmatch(word)
    if m:
        return (m.group(1), m.group(2))
    head, rest = word[0], word[1:]
    if len(word) >= 3 and (head in _PREFIX_ANY or head in "各全有不" or head in _LEVELS) and _is_word(rest):
        if head in _LEVELS and rest not in _ORGAN_WORDS and rest[-1] not in _ORGAN_ENDS:
            return (word,)
        return (head, *_split(rest))
    if len(word) == 2 and head in "每各" and word not in _PREFIX_KEEP:
        return (head, rest)  # 每 / 人, 各 / 县
    return (word,)


def _conventions(text: str, words: list[str]) -> list[str]:
    """``words`` (a cut of ``text``) brought to PKU's conventions: see the comment above."""
    spans = {m.start(): m.end() for m in _PATTERNS.finditer(text)}
    out: list[str] = []
    pos, i, n = 0, 0, len(words)
    rest = ""  # the part of a token left over where a pattern ended inside it (179 / 万美元 → 179万 / 美元)
    while i < n or rest:
        word = rest or words[i]
        if rest:
            rest = ""
        else:
            i += 1
        end = spans.get(pos) if spans else None
        if end is not None and pos + len(word) <= end:  # a number, date or code: one word
            stop = pos + len(word)
            while i < n and stop + len(words[i]) <= end:
                stop += len(words[i])
                i += 1
            if stop < end and i < n:  # the pattern ends inside the next token
                rest = words[i][end - stop:]
                i += 1
                stop = end
            out.append(text[pos:stop])
            pos = stop
            continue
        pos += len(word)
        if len(word) > 1:
            parts = _split(word)
            if len(parts) > 1:
                out.extend(parts)
            elif word[0] in "余多" and out and _is_number(out[-1]) and len(_split(word[1:])) == 1:
                out.extend((word[0], word[1:]))  # 140 / 余 / 人次
            else:
                out.append(word)
            continue
        if out:
            prev = out[-1]
            if word in _SUFFIXES and prev not in _NOT_BEFORE_SUFFIX and not (
                    word in "局厅部委馆室" and i < n and words[i].startswith(_LEVEL_OF_NEXT) and _is_verb(prev)):
                if _HAN2.fullmatch(prev):
                    out[-1] = prev + word  # 技术 / 局 → 技术局, 推进 / 会 → 推进会, 躺平 / 式 → 躺平式
                    continue
                if (len(prev) == 4 and word in _ORGAN_ENDS and prev not in _rules()[0]
                        and _is_word(prev[:2]) and _is_word(prev[2:])):
                    out[-1:] = [prev[:2], prev[2:] + word]  # 科学技术 / 局 → 科学 / 技术局
                    continue
            if word == "委" and len(prev) >= 3 and prev[-1] in "省市县区旗镇":
                out[-1:] = [prev[:-1], prev[-1] + word]  # 清河门区 / 委 → 清河门 / 区委
                continue
            if word == "议" and len(prev) >= 3 and prev[-1] == "会":
                out[-1:] = [prev[:-1], "会议"]  # 党组会 / 议 → 党组 / 会议
                continue
            if word == prev and word in _REDUPLICATED:
                out[-1] = prev + word  # 件 / 件 → 件件
                continue
        out.append(word)
    return out


def _is_verb(word: str) -> bool:
    """A verb, adverb, pronoun or function word by the dictionary's tag (召开, 其他, 明确): no organ name before."""
    pairs = _tag(word)
    return len(pairs) == 1 and pairs[0][1] in ("v", "r", "d", "ad", "p", "c")


def _is_number(word: str) -> bool:
    return bool(_NUMBER.fullmatch(word))


def engine_name() -> str:
    if os.environ.get("RECTIFY_SEGMENTER", "").lower() == "jieba" or importlib.util.find_spec("rjieba") is None:
        return "jieba"
    return "rjieba"


def _tokenizer() -> Any:
    return _once("tok", _build_tokenizer)


def _rjieba() -> Any:
    return _once("rjieba", _build_rjieba)


def _idf() -> tuple[dict[str, float], float, frozenset[str]]:
    return _once("idf", _build_idf)


def _posseg() -> Any:
    return _once("pos", _build_posseg)


def _tfidf() -> Any:
    return _once("tfidf", _build_tfidf)


def warm(*, analyse: bool = True) -> None:
    """Load the dictionary and the conventions' tables now, and unless ``analyse=False`` the POS tables and IDF."""
    _rules()
    if engine_name() == "rjieba":
        _rjieba()
        if analyse:
            _idf()
        return
    _tokenizer()
    if analyse:
        _posseg()
        _idf()


def _cut(text: str) -> list[str]:
    """The engine's own cut: dictionary words, HMM off."""
    if engine_name() == "rjieba":
        return _rjieba().cut(text, False)
    return _tokenizer().lcut(text, HMM=False)


def _is_word(word: str) -> bool:
    if engine_name() == "rjieba":
        return bool(_rjieba().has_word(word))
    return _tokenizer().FREQ.get(word, 0) > 0


def dictionary_tokens(text: str) -> list[str]:
    """The engine's own cut (HMM off, our dictionaries): every dictionary entry whole, jieba's phrase entries
    (领导小组, 数字经济) and the field's phrases (整改落实) included.  Keywords are ranked over these: a phrase
    tells one notice from another better than its words do."""
    return _cut(text)


def tokens(text: str, dictionary_cut: list[str] | None = None) -> list[str]:
    """The words of ``text``: the dictionary's cut brought to PKU's conventions (see `_conventions`).
    ``dictionary_cut``: `dictionary_tokens(text)` when the caller has it already (a notice is cut once)."""
    return _conventions(text, _cut(text) if dictionary_cut is None else dictionary_cut)


def search_tokens(text: str) -> list[str]:
    """Tokens for the full-text index: the words, plus the shorter dictionary words inside long ones
    (营商环境 → 营商, 环境, 营商环境), so a search for a part of a compound still finds it."""
    if engine_name() == "rjieba":
        return _rjieba().cut_for_search(text, False)
    return _tokenizer().lcut_for_search(text, HMM=False)


def _tag(text: str) -> list[tuple[str, str]]:
    if engine_name() == "rjieba":
        return [(word, flag) for word, flag in _rjieba().tag(text, False)]
    return [(p.word, p.flag) for p in _posseg().lcut(text, HMM=False)]


def _flag(word: str) -> str:
    """The part of speech of a word the conventions made: the dictionary's, else m (number), t (date), n."""
    pairs = _tag(word)
    if len(pairs) == 1:
        return pairs[0][1]
    if _PATTERNS.fullmatch(word):
        return "t" if word[-1] in "年月日度" else "m"
    return "n"


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, flag) pairs for the words of `tokens`; user-dictionary words carry the flag given in userdict.txt,
    a word the conventions cut or glued the dictionary's flag for it alone (else m, t or n)."""
    pairs = _tag(text)
    flags, pos = {}, 0
    for word, flag in pairs:
        flags[pos, pos + len(word)] = flag
        pos += len(word)
    out, pos = [], 0
    for word in _conventions(text, [w for w, _ in pairs]):
        flag = flags.get((pos, pos + len(word)))
        out.append((word, flag if flag is not None else _flag(word)))
        pos += len(word)
    return out


def keywords_from_tokens(words: list[str], k: int = 20) -> list[tuple[str, float]]:
    """The same TF-IDF ranking as `keywords`, from `dictionary_tokens` already cut (a notice is segmented once)."""
    idf, median, stop = _idf()
    freq: dict[str, float] = {}
    for word in words:
        word = word.strip()
        if len(word) < 2 or word.lower() in stop or _NUMERIC.fullmatch(word):
            continue
        freq[word] = freq.get(word, 0.0) + 1.0
    total = sum(freq.values()) or 1.0
    scores = {w: n * idf.get(w, median) / total for w, n in freq.items()}
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)[:k]


def keywords(text: str, k: int = 20) -> list[tuple[str, float]]:
    """Top-k TF-IDF keywords over `dictionary_tokens` (jieba's IDF table, domain stop words, no numbers/dates)."""
    return keywords_from_tokens(dictionary_tokens(text), k)


def jieba_keywords(text: str, k: int = 20) -> list[tuple[str, float]]:
    """jieba.analyse.extract_tags over our tokens: the reference `keywords` is checked against."""
    return [(w, float(s)) for w, s in _tfidf().extract_tags(text, topK=k, withWeight=True)]
