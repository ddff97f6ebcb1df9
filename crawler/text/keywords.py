"""Keywords that tell one notice from another.

A notice's *terms* are the whole words of its body text (jieba tokens with the domain dictionary: never the
search index's sub-words), with three kinds of phrase put back together where the segmenter cut them:
- names: a place or unit cut into pieces and its suffix (徐/庄/镇 → 徐庄镇, 金普/新区 → 金普新区, 葫芦套/村 →
  葫芦套村, 区/住建局 → 区住建局) and a chain of places (沈阳市/皇姑区 → 沈阳市皇姑区);
- runs of single characters that are no function word (专/班 → 专班, 包/保 → 包保): a word the dictionary
  lacks;
- short names in quotes, when the notice quotes them more than once (“三篇大文章”, “一件事一次办”).
Each occurrence counts once, for the longest term that covers it, and a term the text holds only inside longer
terms is dropped (no fragments: 京市 only in 北京市).  Only the notice's own text counts: from its title or opening
on (what is above is the page), no chrome or metadata line (来源/发布时间/字号/索引号 …, see
crawler.text.record.chrome), nothing after 相关阅读/上一篇, no contact block or document number (徐发〔2023〕7号);
latin and digit tokens (URLs, e-mail addresses), placeholders (某某, XX, ××) and a short list of page words are
never terms.

Weights: (1 + ln tf) × prior × idf.  idf = ln((N + a + 1) / (df + a·p + 1)) pools the stored collection (N
notices, df of them hold the term) with M real notices shipped in data/keyword_df.tsv (p of them hold it; built by
``python -m crawler.text.keywords build``), which count as a = M·50/(50 + N) notices: all of them for an empty
collection, fewer as it grows.  A term more than half of the notices hold (of the collection once it has 30, else
of the shipped ones) is no keyword.  prior halves verbs, adjectives, adverbs and times, and scales down words
common in general Chinese.  At parse time N = 0; the keyword refresh (crawler.db.keywords) ranks every notice again
with the collection.
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, groupby
from pathlib import Path

from crawler.text import segment
from crawler.text.record.chrome import RELATED_LINE, is_chrome

DATA = Path(__file__).resolve().parent.parent / "data"
DOMAIN_DF = DATA / "keyword_df.tsv"
KEYWORDS_PER_NOTICE = 20

CJK = re.compile(r"^[\u4e00-\u9fff]+$")
# Placeholders of anonymised or template text: 某某, 某村, XX局, ××, ＊＊, ○○.
PLACEHOLDER = re.compile(r"某|[XxＸｘ×＊*○〇]{2,}")
# Characters that are words of grammar, numbers or measure: a run of single characters holding one is no
# word the dictionary lacks (对各, 并于, 日至, 个村), and a name is not extended over one.
FUNCTION_CHARS = frozenset(
    "的了和与及或并对向在于由把被将以为从自至到按经是有无不未已均都也还又再更最很各全本该此其每某我你他她它"
    "这那之而且等个项件名人次年月日号上下中内外前后里间时多少要会能可应需让使给同跟共如若则就才仅即来去出进"
    "一二三四五六七八九十百千万亿两几第余近约超达占计总共同样"
)
# The last piece of a place or unit name: what turns the pieces before it into a name.
NAME_SUFFIXES = frozenset((
    "省", "市", "区", "县", "旗", "盟", "州", "镇", "乡", "村", "屯", "街道", "社区", "新区", "开发区", "高新区",
    "经开区", "园区", "产业园", "示范区", "自贸区", "管委会", "街", "路", "湾", "岛", "港", "河", "湖", "山",
    "局", "委", "办", "厅", "院", "所", "站", "队", "中心", "公司", "集团", "银行", "医院", "学校", "大学", "学院",
    "中学", "小学", "幼儿园", "卫生院", "项目", "工程", "小区", "广场", "公园", "水库", "工业园", "基地",
))
# Tokens that end a place name and may start a longer one (沈阳市 皇姑区): places by their last character.
PLACE_END = re.compile(r"(?:省|市|区|县|旗|盟|州|镇|乡|街道)$")
# Words of the page around a notice, never of its text.
CHROME_WORDS = frozenset((
    "首页", "当前位置", "您的位置", "来源", "发布时间", "发布日期", "浏览", "浏览量", "浏览次数", "点击", "点击数",
    "阅读", "阅读量", "字号", "字体", "字体大小", "打印", "打印本页", "关闭", "关闭窗口", "分享", "分享到", "收藏",
    "责任编辑", "编辑", "附件", "下载", "扫一扫", "二维码", "微信", "微博", "上一篇", "下一篇", "相关阅读",
    "相关新闻", "网站", "主办", "承办", "版权所有", "备案", "技术支持", "网站地图", "联系我们", "索引号", "主题分类",
    "发布机构", "成文日期", "效力状态", "文号",
))
# Lines of page metadata is_chrome leaves (有效性: 有效 发文日期: …) and the closing's contact block.
METADATA = re.compile(r"(?:日期|时间|有效性|索引号|文\s*号|发文单位|主题分类|发布机构|今天是)\s*[:：]")
CONTACT = re.compile(r"联系电话|联系方式|电子邮箱|邮政信箱|通信地址|邮寄地址|邮编|来信请寄|信访举报")
QUOTED = re.compile(r"[“\"「]([\u4e00-\u9fff]{3,10})[”\"」]")
_WORD = re.compile(r"[\u4e00-\u9fff]")


def body_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Character spans of the lines that are the notice's own text: from `start` (the title line, where the
    parser found it: what is above it is the page), no chrome line, nothing after a related-links line."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        if end > start:
            if RELATED_LINE.match(line):
                break
            if line.strip() and not is_chrome(line) and not METADATA.search(line) and not CONTACT.search(line):
                spans.append((max(pos, start), end))
        pos = end
    return spans


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    return frozenset(segment.STOPWORDS.read_text(encoding="utf-8").split())


def _is_word(token: str) -> bool:
    return bool(CJK.match(token))


@lru_cache(maxsize=32768)
def _clean(term: str) -> bool:
    """Whether a term may be a keyword at all."""
    return (len(term) >= 2 and bool(CJK.match(term)) and not PLACEHOLDER.search(term)
            and term not in CHROME_WORDS and term not in _stop() and not segment._NUMERIC.fullmatch(term)
            and not BROKEN.search(term))


# A dictionary word that is a word and a particle (检查和, 和省): no keyword.
BROKEN = re.compile(r"^.{2,}[和与及或的]$|^[和与及或并对在]..+$")
# A document number (咸纪发〔2022〕7号, 民发[2023]3号): its prefix is no word of the text.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号")


def _units(tokens: Sequence[str]) -> list[str]:
    """The tokens with pieces joined: runs of single characters (no function word among them) become one
    unit, and a name's pieces join its suffix (徐 庄 镇 → 徐庄镇; 金普 新区 → 金普新区; 沈阳市 皇姑区)."""
    units: list[str] = []
    run = ""
    for tok in tokens:
        if len(tok) == 1 and tok not in FUNCTION_CHARS:
            run += tok
            continue
        if run:
            units.append(run)
            run = ""
        units.append(tok)
    if run:
        units.append(run)
    out: list[str] = []
    for unit in units:
        prev = out[-1] if out else ""
        if unit in NAME_SUFFIXES and _name_piece(prev):
            out[-1] = prev + unit
        elif len(unit) >= 3 and len(prev) >= 3 and PLACE_END.search(unit) and PLACE_END.search(prev) \
                and _name_piece(prev[:-1]):
            out[-1] = prev + unit  # 沈阳市 皇姑区
        else:
            out.append(unit)
    return out


@lru_cache(maxsize=16384)
def _name_piece(unit: str) -> bool:
    """A unit that can be the first part of a name: a place or proper name by the dictionary's tag, a word
    the dictionary lacks (a joined run), or a place name itself."""
    if len(unit) < 2 or not _is_word(unit) or unit in _stop():
        return False
    if PLACE_END.search(unit):
        return True
    tags = segment.tagged(unit)
    if len(tags) != 1:
        return True  # not one dictionary word: a name the dictionary lacks
    return tags[0][1] in ("ns", "nr", "nz", "nt", "nrt", "nrfg", "j")


# Parts of speech that rarely say what a notice is about (verbs, adjectives, adverbs, times: 砥砺, 亲自, 当晚):
# their weight is halved, not dropped (the dictionary tags 信访 and 供暖 as verbs).
WEAK_TAGS = frozenset(("v", "a", "ad", "d", "t", "i", "r", "p", "c", "u", "m", "q", "f", "vd", "an", "z"))


@lru_cache(maxsize=16384)
def _prior(term: str) -> float:
    """How much a term can say about one notice, whatever the collection: halved for verbs, adjectives,
    adverbs and times; scaled down for words common in general Chinese (jieba's IDF, learned from general text,
    against its median, the IDF of a word it never saw: 大家 0.41, 文化 0.43, 公安局 0.66, 沈河区 1)."""
    tags = segment.tagged(term)
    pos = 0.5 if len(tags) == 1 and tags[0][1] in WEAK_TAGS else 1.0
    general, median, _ = segment._idf()
    return pos * min(1.0, general.get(term, median) / median)


def _stream_units(toks: Sequence[str], spans: list[tuple[int, int]]) -> Iterator[str]:
    """The clean units of the body spans: _units over each clause (word tokens between anything that is no
    word), in one pass (a notice has ten thousand tokens)."""
    starts = list(accumulate(map(len, toks), initial=0))
    function, suffixes, place_end, name_piece, clean, word = (FUNCTION_CHARS, NAME_SUFFIXES, PLACE_END.search,
                                                              _name_piece, _clean, _word_token)
    for a, b in spans:
        run = pending = ""
        for tok in (*toks[bisect_left(starts, a):bisect_left(starts, b)], "。"):
            if len(tok) == 1 and "\u4e00" <= tok <= "\u9fff" and tok not in function:
                run += tok
                continue
            for unit in ((run, tok) if run else (tok,)):
                if len(unit) > 1 and not word(unit) or len(unit) == 1 and not "\u4e00" <= unit <= "\u9fff":
                    if pending and clean(pending):  # no word: the clause ends
                        yield pending
                    pending = ""
                elif pending and ((unit in suffixes and name_piece(pending))
                                  or (len(unit) >= 3 and len(pending) >= 3 and place_end(unit)
                                      and place_end(pending) and name_piece(pending[:-1]))):
                    pending += unit
                else:
                    if pending and clean(pending):
                        yield pending
                    pending = unit
            run = ""


def _clauses(toks: Sequence[str], spans: list[tuple[int, int]]) -> list[list[str]]:
    """The word tokens of the body spans, cut into clauses at anything that is no word."""
    starts = list(accumulate(map(len, toks), initial=0))
    clauses: list[list[str]] = []
    for a, b in spans:
        window = toks[bisect_left(starts, a):bisect_left(starts, b)]
        clauses.extend(list(group) for is_word, group in groupby(window, key=_word_token) if is_word)
    return clauses


@lru_cache(maxsize=32768)  # the same few thousand tokens recur; the caches here are bounded (no growth)
def _word_token(token: str) -> bool:
    return bool(CJK.match(token))


def terms(text: str, tokens: Sequence[str] | None = None, start: int = 0) -> Counter[str]:
    """The notice's terms with their counts (each occurrence counted for the longest term covering it);
    a term whose every occurrence in the text lies inside longer terms is none (no fragments)."""
    toks = list(tokens) if tokens is not None else segment.tokens(text)
    spans = _without(body_spans(text, start), [m.span() for m in DOC_NUMBER.finditer(text)])
    counts: Counter[str] = Counter(_stream_units(toks, spans))
    body = "\n".join(text[a:b] for a, b in spans)
    quoted = Counter(m.group(1) for m in QUOTED.finditer(body))
    for name, n in quoted.items():
        if n >= 2 and _clean(name) and name not in counts:
            counts[name] = n
            for part in _units(segment.tokens(name)):  # its words, counted inside it, are counted here now
                if part in counts:
                    counts[part] -= n
                    if counts[part] <= 0:
                        del counts[part]
    return _without_fragments(counts, body)


def _without(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with the holes cut out (both sorted, holes inside the text)."""
    out = []
    for a, b in spans:
        for h0, h1 in holes:
            if h1 <= a or h0 >= b:
                continue
            if h0 > a:
                out.append((a, h0))
            a = max(a, h1)
        if a < b:
            out.append((a, b))
    return out


def is_fragment(word: str, words: Iterable[str], text: str) -> bool:
    """Whether the text holds `word` only inside occurrences of longer ones of `words` (京市 only in 北京市)."""
    covered: set[int] = set()
    for longer in words:
        if longer != word and word in longer:
            offsets = [i for i in range(len(longer)) if longer.startswith(word, i)]
            at = text.find(longer)
            while at >= 0:
                covered.update(at + o for o in offsets)
                at = text.find(longer, at + 1)
    at = text.find(word)
    while at >= 0:
        if at not in covered:
            return False
        at = text.find(word, at + 1)
    return True


def _without_fragments(counts: Counter[str], body: str) -> Counter[str]:
    """Drop each term that the text holds only inside longer terms (京市 only in 北京市, 西岭 only in 西岭省)."""
    inside: dict[str, list[str]] = {}
    for term in counts:
        for i in range(len(term)):
            for j in range(i + 2, len(term) + (i > 0)):
                part = term[i:j]
                if part != term and part in counts:
                    inside.setdefault(part, []).append(term)
    for part, longer in inside.items():
        around = [(term, o) for term in set(longer) for o in range(len(term)) if term.startswith(part, o)]
        at = body.find(part)
        while at >= 0:  # is this occurrence inside one of a longer term? (most parts stand alone early on)
            if not any(at >= o and body.startswith(term, at - o) for term, o in around):
                break
            at = body.find(part, at + 1)
        else:
            del counts[part]
    return counts


@lru_cache(maxsize=1)
def domain_df() -> tuple[int, dict[str, int]]:
    """(M, {term: notices of the shipped real corpus holding it}) from data/keyword_df.tsv."""
    if not DOMAIN_DF.exists():
        return 0, {}
    lines = DOMAIN_DF.read_text(encoding="utf-8").splitlines()
    m = int(lines[0].split("\t")[1])
    table = {}
    for line in lines[1:]:
        term, n = line.split("\t")
        table[term] = int(n)
    return m, table


# How far the shipped notices count: as M notices for an empty collection, less as the collection grows
# (M·C/(C + N) notices: 47 of the 136 for a collection of 93, 7 for 1,000).
PRIOR_C = 50
# A collection this large decides alone which words are in more than half of the notices.
MIN_COLLECTION = 30
GENERIC_SHARE = 0.5


def idf(term: str, df: int = 0, n: int = 0) -> float | None:
    """ln((N + a + 1) / (df + a·p + 1)), where p is the share of the shipped notices holding the term and a
    the weight of the shipped notices; None for a generic term: one that more than half of the notices
    hold (of the collection, once it has MIN_COLLECTION notices; else of the shipped ones)."""
    m, table = domain_df()
    p = table.get(term, 0) / m if m else 0.0
    share = df / n if n >= MIN_COLLECTION else p
    if share > GENERIC_SHARE:
        return None
    a = m * PRIOR_C / (PRIOR_C + n)
    return math.log((n + a + 1) / (df + a * p + 1))


def rank(counts: Mapping[str, int], df: Mapping[str, int] | None = None, n: int = 0,
         k: int = KEYWORDS_PER_NOTICE) -> list[tuple[str, float]]:
    """The k strongest terms, (term, weight), by (1 + ln tf) × idf over the collection (df: notices holding
    each term, n: notices) pooled with the shipped notices; generic terms are left out."""
    df = df or {}
    m, table = domain_df()  # idf() inlined: thousands of terms a notice
    a = m * PRIOR_C / (PRIOR_C + n)
    log, prior, whole = math.log, _prior, n + a + 1
    scored = []
    for term, tf in counts.items():
        if tf <= 0:
            continue
        p, d = (table.get(term, 0) / m if m else 0.0), df.get(term, 0)
        if (d / n if n >= MIN_COLLECTION else p) > GENERIC_SHARE:
            continue
        weight = log(whole / (d + a * p + 1))
        if weight > 0:
            scored.append((term, (1 + log(tf)) * prior(term) * weight))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:k]


def keywords(text: str, tokens: Sequence[str] | None = None, k: int = KEYWORDS_PER_NOTICE) -> list[tuple[str, float]]:
    return rank(terms(text, tokens), k=k)


def build_df(texts: Iterable[tuple[str, int]]) -> tuple[int, Counter[str]]:
    """(M, df) over notices given as (body text, start of the notice's own text): df counts the notices whose
    own text holds each term anywhere (inside a longer word too, as the collection's corpus_idf counts a
    word inside a compound), for every term of any of them and the dictionary words inside those terms."""
    bodies, vocabulary = [], set()
    for text, start in texts:
        bodies.append("\n".join(text[a:b] for a, b in body_spans(text, start)))
        for term in terms(text, start=start):
            vocabulary.add(term)
            vocabulary.update(w for w in segment.search_tokens(term) if _clean(w))
    df: Counter[str] = Counter()
    for term in vocabulary:
        df[term] = sum(term in body for body in bodies)
    return len(bodies), df


def write_df(m: int, df: Mapping[str, int], path: Path = DOMAIN_DF) -> None:
    rows = sorted(((t, n) for t, n in df.items() if n >= 2), key=lambda r: (-r[1], r[0]))
    path.write_text(f"#notices\t{m}\n" + "".join(f"{t}\t{n}\n" for t, n in rows), encoding="utf-8")


def main(argv: list[str]) -> int:
    """python -m crawler.text.keywords build DIR…: the shipped table from the .txt notices under DIRs."""
    if len(argv) < 2 or argv[0] != "build":
        print("usage: python -m crawler.text.keywords build DIR [DIR …]", file=sys.stderr)
        return 2
    from crawler.text.parse import parse_text, text_start

    seen, texts = set(), []
    for folder in argv[1:]:
        for path in sorted(Path(folder).glob("*.txt")):
            doc = parse_text(path.read_text(encoding="utf-8"))
            if doc["content_sha256"] not in seen:
                seen.add(doc["content_sha256"])
                texts.append((doc["body_text"], text_start(doc["record"])))
    m, df = build_df(texts)
    write_df(m, df)
    print(f"{DOMAIN_DF}: {m} notices, {sum(n >= 2 for n in df.values())} terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
