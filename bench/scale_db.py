"""Scale: a database of N notices recombined from the corpus — insert rate, size on disk, search, duplicates.

Usage: ``bench/scale_db [--notices 100000 | --quick] [--window 1000] [--jobs 2] [--rounds 5] [--raw windows|all|none]``.

Documents. Every corpus notice is parsed once (``parse_text``) and cut at its outline into blocks: the
opening (title and the inspection's facts), then for each top-level part (一、二、…) its head and its
first-level items ((一)(二)… or 1. 2. …). Notice i takes the opening and the part heads of one corpus notice
and, for every item slot (part, numbering style, number), the item of a random corpus notice that has that
slot. The opening gets another place (one of ~200 city/county names), shifted years (-5 … +1), another
team and round. So texts are real notice text, distinct, and share vocabulary as real notices do. The
body's other blocks keep the place names of the notice they come from, and the figures in them are not
varied (only the opening is). 2 % of the notices (drawn from a seeded generator; the count is printed)
are near-copies of an earlier one: the same text plus one line saying where it was reposted from,
stored under another site and URL — what ``notice_duplicates`` is there to find.

The document's derived fields are made as ``analyse`` makes them, from the blocks' precomputed parts: the
outline and problems are computed on the composed text (``outline``, ``problems``); tokens, search text,
keyword counts, topic hits, figures and the SimHash's per-bit shingle counts are the sums of the blocks'
(exact but for the two shingles that cross each block boundary).

Writing. The shipped path is ``crawler.db.store.store_notice``, one transaction per notice, with the
workers' login, as the store step calls it. Its rate is measured on windows of ``--window`` notices when
the tables hold 0, 10 %, 50 % and N − window notices; between the windows the notices are written by a
bulk path (bench code, not the product: COPY, 200 notices per transaction, ``--jobs`` processes) that
writes the same rows. What a crawl leaves behind besides — each notice's raw page (zlib HTML, made with
the mirror's page template) in ``raw.pages`` and three done work items (article, parse, store; the store
item's payload is the whole document, as the parse step enqueues it) — is written by COPY, outside the
timed store, for the notices of the windows (``--raw windows``, the default: it nearly doubles the bulk
path's time), for every notice (``--raw all``) or for none; the database size with them for every notice
is then projected from their measured size per notice.

Then: VACUUM (ANALYZE) and ANALYZE times, size on disk per table and index, bytes per notice; the corpus
keyword refresh (``rectify db refresh``); ``search_notices(q, 20)`` for 60+ queries as the analysts' login
(first round cold, then ``--rounds`` rounds: median, p95, per kind); ``notice_duplicates`` (a view over
notice_copies, the links the store step keeps; the bulk path's notices are linked after each bulk, in the
order they were written) and how many copies it finds against the planted ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import random
import re
import statistics
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bench.harness import PASSWORD, article_html, bench_world, corpus_texts, progress, sync
from crawler.db import store
from crawler.db.connect import connect
from crawler.db.dbsetup import analyst_url, refresh_keywords
from crawler.text import segment
from crawler.text.figures import figures_as_dicts
from crawler.text.outline import ENUM_LEVEL, outline
from crawler.text.parse import (
    KEYWORDS_PER_NOTICE,
    PARSER_VERSION,
    _section_row,
    content_hash,
    parse_text,
    search_text,
)
from crawler.text.problems import problems
from crawler.text.similarity import shingle_digests
from crawler.text.tags import _count, _index, taxonomy
from crawler.urls import url_key

DUP_SHARE = 0.02
MIN_POOL = 5  # items of a slot a notice can choose from
BULK_CHUNK = 200
CN = "一二三四五六七八九十"

# (city, county): places the openings are moved to, from every province
PLACES = [(city, county) for city, counties in (
    ("沈阳市", "铁西区 浑南区 苏家屯区 新民市 法库县 辽中区"), ("大连市", "西岗区 旅顺口区 瓦房店市 庄河市 长海县"),
    ("济南市", "历下区 槐荫区 章丘区 平阴县 商河县"), ("青岛市", "市南区 黄岛区 即墨区 胶州市 平度市"),
    ("杭州市", "上城区 西湖区 余杭区 萧山区 桐庐县 淳安县 建德市"), ("宁波市", "海曙区 鄞州区 象山县 宁海县 余姚市 慈溪市"),
    ("南京市", "玄武区 秦淮区 江宁区 六合区 溧水区 高淳区"), ("苏州市", "姑苏区 吴中区 吴江区 常熟市 昆山市 太仓市"),
    ("成都市", "锦江区 青羊区 武侯区 双流区 郫都区 金堂县 大邑县"), ("武汉市", "江岸区 江汉区 洪山区 黄陂区 新洲区"),
    ("长沙市", "芙蓉区 天心区 岳麓区 望城区 长沙县 浏阳市 宁乡市"), ("郑州市", "中原区 二七区 金水区 中牟县 巩义市 登封市"),
    ("石家庄市", "长安区 桥西区 正定县 赞皇县 平山县"), ("太原市", "小店区 迎泽区 清徐县 阳曲县"),
    ("西安市", "雁塔区 未央区 蓝田县 周至县"), ("兰州市", "城关区 七里河区 榆中县 皋兰县"),
    ("昆明市", "五华区 盘龙区 官渡区 呈贡区 宜良县"), ("贵阳市", "南明区 云岩区 花溪区 开阳县 修文县"),
    ("南宁市", "青秀区 兴宁区 武鸣区 横州市 宾阳县"), ("广州市", "越秀区 海珠区 天河区 番禺区 从化区 增城区"),
    ("福州市", "鼓楼区 台江区 仓山区 闽侯县 连江县 福清市"), ("合肥市", "瑶海区 庐阳区 蜀山区 长丰县 肥东县 巢湖市"),
    ("南昌市", "东湖区 青山湖区 南昌县 进贤县"), ("哈尔滨市", "道里区 南岗区 香坊区 宾县 五常市"),
    ("长春市", "南关区 农安县 榆树市 德惠市"), ("呼和浩特市", "回民区 土默特左旗 托克托县"),
    ("乌鲁木齐市", "天山区 沙依巴克区 米东区"), ("银川市", "兴庆区 金凤区 永宁县 贺兰县"), ("西宁市", "城东区 城中区 湟中区"),
    ("海口市", "秀英区 龙华区 琼山区 美兰区"), ("拉萨市", "堆龙德庆区 林周县"), ("重庆市", "渝中区 万州区 涪陵区 綦江区 城口县"),
    ("天津市", "和平区 河西区 滨海新区 蓟州区"), ("北京市", "东城区 海淀区 朝阳区 延庆区 密云区")) for county in counties.split()]

# Queries: what analysts look for (kind, query). Rare and mid-frequency words are added from corpus_idf.
QUERIES: list[tuple[str, str]] = [
    *[("place", q) for q in ("江宁区", "浏阳市", "正定县", "五常市", "淳安县", "苏州市", "沈阳市", "和平区", "康平县",
                             "大连市", "营口市", "番禺区")],
    *[("topic", q) for q in ("营商环境", "乡村振兴", "八项规定", "形式主义", "官僚主义", "意识形态", "选人用人",
                             "主体责任", "信访", "安全生产", "生态环境", "耕地保护", "国有企业", "债务风险",
                             "粮食安全", "巡视整改", "整改", "问题")],
    *[("boolean", q) for q in ("八项规定 & 形式主义", "营商环境 & 问责", "选人用人 | 意识形态", "巡视整改 & 民主生活会",
                               "乡村振兴 & 财政资金", "问题线索 & !信访", "立行立改 & 长效机制", "江宁区 & 营商环境",
                               "国有企业 & (债务风险 | 国有资产)")],
    *[("web syntax", q) for q in ("营商环境 问责", "问题线索 -信访", "选人用人 or 意识形态", "沈阳市 乡村振兴",
                                  "耕地保护 -营商环境")],
    *[("phrase typed as one word", q) for q in ("巡视整改工作", "营商环境问责", "全面从严治党主体责任",
                                                "落实中央八项规定精神", "基层党组织建设", "干部队伍建设")],
    *[("quoted phrase", q) for q in ('"巡视 整改"', '"主体 责任"')],
]


# -- the corpus, cut into blocks -----------------------------------------------------------------------

@dataclass
class Block:
    """A run of whole lines of a corpus notice, with what analyse() derives from its tokens."""

    text: str
    search: str = ""
    bits: list[int] = field(default_factory=list)
    shingles: int = 0
    freq: Counter[str] = field(default_factory=Counter)
    topics: dict[str, Counter[str]] = field(default_factory=dict)
    figures: list[dict[str, Any]] = field(default_factory=list)


def featured(text: str) -> Block:
    words = segment.tokens(text)
    block = Block(text, search=search_text(None, text), figures=figures_as_dicts(text))
    block.bits, block.shingles = bit_counts(words)
    _idf, _median, stop = segment._idf()
    block.freq = Counter(w for w in (x.strip() for x in words)
                         if len(w) >= 2 and w.lower() not in stop and not segment._NUMERIC.fullmatch(w))
    index = _index(words)
    block.topics = {t.id: c for t in taxonomy().topics if (c := _count(words, index, t))}
    return block


def bit_counts(words: list[str]) -> tuple[list[int], int]:
    """For each of the 64 bits, how many of the text's shingles have it set (similarity.simhash's sums)."""
    digests = shingle_digests(words)
    counts = [0] * 64
    for position in range(8):
        per_byte = Counter(digests[7 - position::8])
        for bit in range(8):
            counts[position * 8 + bit] = sum(c for byte, c in per_byte.items() if byte >> bit & 1)
    return counts, len(digests) // 8


def simhash_of(blocks: list[Block]) -> int:
    total = sum(b.shingles for b in blocks)
    value = 0
    for bit in range(64):
        if 2 * sum(b.bits[bit] for b in blocks) > total:
            value |= 1 << bit
    return value - (1 << 64) if value >= 1 << 63 else value


PART = re.compile(r"^\s*[一二三四五六七八九十]{1,3}[、．.]")
CHILD = {"paren_cn": re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]"),
         "num": re.compile(r"^\s*(\d{1,2})[.．、](?!\d)")}


def _number(family: str, numeral: str) -> int:
    return int(numeral) if family == "num" else (CN.index(numeral) + 1 if numeral in CN else
                                                 10 + CN.index(numeral[-1]) + 1 if numeral[0] == "十" else 0)


@dataclass
class Source:
    cid: str
    record: dict[str, Any]
    opening: str
    parts: list[tuple[Block, str | None, list[int]]]  # (head, numbering style of its items, item numbers)
    city: str
    county: str


def cut(cid: str, doc: dict[str, Any], pools: dict[tuple[int, str, int], list[Block]]) -> Source:
    """The notice's opening and part heads, and its items added to the pools of their slots."""
    lines = doc["body_text"].splitlines()
    starts = [k for k, line in enumerate(lines) if PART.match(line)] or [len(lines)]
    parts = []
    for i, (a, b) in enumerate(zip(starts, [*starts[1:], len(lines)], strict=True)):
        body = lines[a:b]
        family, items = None, []  # (number, first line)
        for k, line in enumerate(body[1:], 1):
            for name, pattern in CHILD.items():
                m = pattern.match(line)
                if m and (family in (None, name)) and _number(name, m.group(1)) == len(items) + 1:
                    family = name
                    items.append(k)
                    break
        head_end = items[0] if items else len(body)
        parts.append((featured("\n".join(body[:head_end])), family, list(range(1, len(items) + 1))))
        for j, (k, end) in enumerate(zip(items, [*items[1:], len(body)]), 1):  # noqa: B905 - one more end than items
            pools.setdefault((i, family, j), []).append(featured("\n".join(body[k:end])))
    issuer = re.sub(r"^中共|(?:党?委|委员会|党工委)?(?:[（(].*)?$", "", doc["record"].get("issuer") or "")
    m = re.match(r"^(.+?市)?(.+)$", issuer)
    return Source(cid, doc["record"], "\n".join(lines[:starts[0]]), parts, (m.group(1) or "") if m else "",
                  m.group(2) if m else "")


_SOURCES: list[Source] = []
_POOLS: dict[tuple[int, str, int], list[Block]] = {}
_SITES: list[tuple[str, str, int]] = []  # (site_id, host, run_id)
_SEED = 7


def prepare(seed: int) -> None:
    global _SEED
    _SEED = seed
    sources = [cut(cid, parse_text(text), _POOLS) for cid, text in corpus_texts()]
    # an opening whose items mostly have few alternatives (a numbering no other notice uses) would make
    # near-copies: such notices give their items to the pools but open no notice
    for src in sources:
        slots = [(p, family, j) for p, (_head, family, items) in enumerate(src.parts) for j in items]
        if sum(len(_POOLS[s]) >= MIN_POOL for s in slots) >= 0.8 * len(slots):
            _SOURCES.append(src)


# -- one notice ---------------------------------------------------------------------------------------

def _cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else ("十" if n < 20 else CN[n // 10 - 1] + "十") + (CN[n % 10 - 1] if n % 10 else "")


def _shift(value: str | None, years: int) -> str | None:
    if not value or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return value
    y, m, d = map(int, value.split("-"))
    return dt.date(y + years, m, min(d, 28) if m == 2 else d).isoformat()


def recipe(i: int) -> tuple[int, dict[str, Any]]:
    """(the notice whose text this is, how it is varied): a near-copy returns the earlier notice's recipe."""
    rng = random.Random(_SEED * 1_000_003 + i)
    if i > 0 and rng.random() < DUP_SHARE:
        return recipe(rng.randrange(i))[0], {"copy_of": True, "rng": rng}
    return i, {"rng": rng}


def compose(i: int) -> tuple[str, str, dict[str, Any], bool]:
    """(site_id, url, document, is a planted near-copy) of notice i."""
    base, how = recipe(i)
    rng = random.Random(_SEED * 7_000_003 + base)
    src = _SOURCES[rng.randrange(len(_SOURCES))]
    blocks: list[Block] = []
    for p, (head, family, items) in enumerate(src.parts):
        blocks.append(head)
        blocks += [rng.choice(_POOLS[(p, family, j)]) for j in items]
    city, county = rng.choice(PLACES)
    years, team, rnd = rng.randint(-5, 1), rng.randint(1, 15), rng.randint(1, 6)

    def vary(text: str) -> str:
        if src.county:
            text = text.replace(src.city + src.county, city + county).replace(src.county, county)
        text = re.sub(r"(20[12]\d)年", lambda m: f"{int(m.group(1)) + years}年", text)
        text = re.sub(r"第[一二三四五六七八九十]{1,3}巡视组", f"第{_cn(team)}巡视组", text)
        return re.sub(r"第[一二三四五六七八九十]{1,3}轮", f"第{_cn(rnd)}轮", text)

    record = {**src.record, "title": vary(src.record.get("title") or ""), "issuer": vary(src.record.get("issuer") or ""),
              "team": team if src.record.get("team") else None, "round": rnd if src.record.get("round") else None,
              "evidence": {k: {**v, "text": vary(v.get("text", ""))} for k, v in src.record.get("evidence", {}).items()}}
    for key in ("signed_on", "inspection_start", "inspection_end", "feedback_on"):
        record[key] = _shift(src.record.get(key), years)
    anchor = dt.date.fromisoformat(record.get("feedback_on") or f"{2023 + years}-06-01")
    record["published_on"] = (anchor + dt.timedelta(days=rng.randint(60, 200))).isoformat()
    opening = vary(src.opening)
    site_id, host, _run = _SITES[how["rng"].randrange(len(_SITES))] if how.get("copy_of") else _SITES[rng.randrange(len(_SITES))]
    if how.get("copy_of"):  # reposted elsewhere: one line more
        blocks = [*blocks, featured(f"（本文转自{county}纪委监委网站，发布时间{record['published_on']}）")]
    lead = featured(opening) if opening else None
    parts = ([lead] if lead else []) + blocks
    body = "\n".join(b.text for b in parts)
    sections = [_section_row(k, s) for k, s in enumerate(outline(body))]
    words: Counter[str] = Counter()
    for b in parts:
        words.update(b.freq)  # in place: Counter + Counter copies
    total = sum(words.values()) or 1.0
    idf, median, _stop = segment._idf()
    keywords = sorted(((w, n * idf.get(w, median) / total) for w, n in words.items()), key=lambda x: x[1],
                      reverse=True)[:KEYWORDS_PER_NOTICE]
    title = record["title"]
    doc = {
        "record": record, "source": None, "body_text": body, "content_sha256": content_hash(title, body),
        "sections": sections, "problems": problems(sections),
        "keywords": [{"keyword": w, "weight": round(float(x), 6)} for w, x in keywords],
        "figures": [f for b in parts for f in b.figures],
        "search_text": " ".join(x for x in (search_text(title, ""), *(b.search for b in parts)) if x),
        "search_head": search_text(title, ""), "simhash": simhash_of(parts),
        "tags": _tags(parts, [s["heading"] for s in sections if s["level"] < ENUM_LEVEL]),
        "parser_version": PARSER_VERSION,
    }
    return site_id, f"https://{host}/zz/{i // 1000:03d}/{i:07d}.html", doc, bool(how.get("copy_of"))


def _tags(blocks: list[Block], headings: list[str]) -> list[dict[str, Any]]:
    """topic_tags() from the blocks' topic counts (the same rule: enough hits, or hits in the headings)."""
    tax = taxonomy()
    head_toks = segment.tokens("\n".join(headings))
    head_index = _index(head_toks)
    out = []
    for order, topic in enumerate(tax.topics):
        hits: Counter[str] = Counter()
        for b in blocks:
            hits.update(b.topics.get(topic.id, {}))
        total = sum(hits.values())
        in_heads = sum(_count(head_toks, head_index, topic).values())
        if total >= topic.min_hits or in_heads >= tax.heading_hits:
            out.append((-total, order, {"id": topic.id, "label": topic.label, "hits": total, "heading_hits": in_heads,
                                        "terms": dict(hits.most_common(5))}))
    return [row for *_, row in sorted(out, key=lambda r: (r[0], r[1]))]


# -- writing ------------------------------------------------------------------------------------------

NOTICE_COLS = ("notice_id", "site_id", "url_key", "url", *store.RECORD_COLUMNS, "evidence", "source", "body_text",
               "content_sha256", "parser_version", "page_id")


def _copy(conn: psycopg.Connection[Any], table: str, cols: tuple[str, ...], rows: Any) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


def _ids(conn: psycopg.Connection[Any], sequence: str, n: int) -> list[int]:
    return [r["id"] for r in conn.execute(f"SELECT nextval('{sequence}') AS id FROM generate_series(1, %s)",
                                          (n,)).fetchall()]


def write_pages(conn: psycopg.Connection[Any], docs: list[tuple[str, str, dict[str, Any], bool]]) -> list[int]:
    """Each notice's raw page as the crawl keeps it (zlib HTML); returns the page ids."""
    ids = _ids(conn, "raw.pages_page_id_seq", len(docs))
    rows = []
    for pid, (site_id, url, doc, _dup) in zip(ids, docs, strict=True):
        html = article_html(doc["record"]["title"], doc["body_text"])
        rows.append((pid, site_id, url_key(url), url, url, 200, Jsonb({"content-type": "text/html; charset=utf-8"}),
                     "utf-8", hashlib.sha256(html).hexdigest(), len(html), zlib.compress(html)))
    _copy(conn, "raw.pages", ("page_id", "site_id", "url_key", "url", "final_url", "http_status", "headers", "encoding",
                              "body_sha256", "body_size", "body_zlib"), rows)
    return ids


def _jsonb(value: Any) -> Jsonb:
    return Jsonb(value, dumps=lambda v: json.dumps(v, ensure_ascii=False))  # stored alike, half the bytes sent


def write_items(conn: psycopg.Connection[Any], docs: list[tuple[str, str, dict[str, Any], bool]],
                pages: list[int]) -> None:
    """The three done work items a crawled notice leaves (article, parse, store with the document)."""
    run_of = {s: r for s, _h, r in _SITES}
    rows = []
    for pid, (site_id, url, doc, _dup) in zip(pages, docs, strict=True):
        key, title = url_key(url), doc["record"]["title"]
        rows += [(run_of[site_id], site_id, "article", url, key, None, _jsonb({"list_title": title, "offsite": False}), "new"),
                 (run_of[site_id], site_id, "parse", url, key, pid, _jsonb({"list_title": title}), "new"),
                 (run_of[site_id], site_id, "store", url, key, pid, _jsonb({"doc": doc}), "new")]
    _copy(conn, "raw.work_items", ("run_id", "site_id", "kind", "url", "url_key", "page_id", "payload", "outcome",
                                   "state", "attempts"), (r + ("done", 1) for r in rows))


def write_bulk(conn: psycopg.Connection[Any], docs: list[tuple[str, str, dict[str, Any], bool]], raw: bool) -> None:
    """The rows store_notice writes, by COPY (one transaction): bench code, for the notices between windows."""
    with conn.transaction():
        pages = write_pages(conn, docs) if raw else [None] * len(docs)
        ids = _ids(conn, "notices_notice_id_seq", len(docs))
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS stage AS SELECT " + ", ".join(NOTICE_COLS)
                     + ", ''::text AS st, ''::text AS sh, 0::bigint AS simhash FROM notices LIMIT 0")
        conn.execute("TRUNCATE stage")
        rows, versions = [], []
        for nid, pid, (site_id, url, doc, _dup) in zip(ids, pages, docs, strict=True):
            p = store.notice_params(site_id, url, pid, doc)
            head = " ".join([doc["search_head"], *(k["keyword"] for k in doc["keywords"])])
            rows.append((nid, *[p[c] for c in NOTICE_COLS[1:]], doc["search_text"], head, doc["simhash"]))
            versions.append((nid, 1, p["content_sha256"], p["title"], p["body_text"], Jsonb(doc["record"]), pid))
        _copy(conn, "stage", (*NOTICE_COLS, "st", "sh", "simhash"), rows)
        conn.execute(f"""INSERT INTO notices ({', '.join(NOTICE_COLS)}, version, search_vector, search_head,
                             content_simhash, province)
                         SELECT {', '.join('t.' + c for c in NOTICE_COLS)}, 1, to_tsvector('simple', t.st),
                                to_tsvector('simple', t.sh), t.simhash, s.province
                         FROM stage t JOIN sites s USING (site_id) ORDER BY t.notice_id""")
        _copy(conn, "notice_versions", ("notice_id", "version", "content_sha256", "title", "body_text", "record",
                                        "page_id"), versions)
        items = list(zip(ids, (d for _s, _u, d, _x in docs), strict=True))
        _copy(conn, "notice_sections", ("notice_id", "ordinal", "parent", "level", "path", "marker", "number", "heading",
                                        "body"),
              ((n, s["ordinal"], s["parent"], s["level"], s["path"], s["marker"], s["number"], s["heading"], s["body"])
               for n, d in items for s in d["sections"]))
        _copy(conn, "notice_problems", ("notice_id", "ordinal", "section", "path", "outline", "marker", "kind", "part",
                                        "problem", "aspect", "measures", "status"),
              ((n, p["ordinal"], p["section"], p["path"], p["outline"], p["marker"], p["kind"], p["part"], p["problem"],
                p["aspect"], p["measures"], p["status"]) for n, d in items for p in d["problems"]))
        _copy(conn, "notice_keywords", ("notice_id", "rank", "keyword", "weight"),
              ((n, r + 1, k["keyword"], k["weight"]) for n, d in items for r, k in enumerate(d["keywords"])))
        _copy(conn, "notice_tags", ("notice_id", "tag", "label", "hits"),
              ((n, t["id"], t["label"], t["hits"]) for n, d in items for t in d["tags"]))
        _copy(conn, "notice_figures", ("notice_id", "ordinal", "kind", "value", "unit", "text", "sentence"),
              ((n, k, f["kind"], f["value"], f["unit"], f["text"], f["sentence"]) for n, d in items
               for k, f in enumerate(d["figures"])))
        if raw:
            write_items(conn, docs, pages)


_CONN: psycopg.Connection[Any] | None = None


def _bulk_job(args: tuple[str, int, int, bool]) -> tuple[int, int, float, float]:
    """In a pool process: make notices a … b-1 and write them by the bulk path. (n, planted copies, s making, s writing)."""
    global _CONN
    url, a, b, raw = args
    if _CONN is None:
        _CONN = connect(url)
    t0 = time.perf_counter()
    docs = [compose(i) for i in range(a, b)]
    t1 = time.perf_counter()
    write_bulk(_CONN, docs, raw)
    return len(docs), sum(d[3] for d in docs), t1 - t0, time.perf_counter() - t1


# -- measuring ----------------------------------------------------------------------------------------

def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95 + 0.5) - 1)]


def shipped_window(world: Any, a: int, b: int, raw: bool) -> dict[str, Any]:
    """Notices a … b-1 by store_notice, one transaction each, workers' login; only the store is timed."""
    docs = [compose(i) for i in range(a, b)]
    with connect(world.admin_url) as admin:
        pages = write_pages(admin, docs) if raw else [None] * len(docs)
        admin.commit()
    latencies = []
    with connect(world.worker_url) as conn:
        started = time.perf_counter()
        for pid, (site_id, url, doc, _dup) in zip(pages, docs, strict=True):
            t = time.perf_counter()
            with conn.transaction():
                store.store_notice(conn, site_id=site_id, url=url, page_id=pid, doc=doc)
            latencies.append(time.perf_counter() - t)
        seconds = time.perf_counter() - started
    if raw:
        with connect(world.admin_url) as admin, admin.transaction():
            write_items(admin, docs, pages)
    return {"at": a, "n": b - a, "seconds": seconds, "rate": (b - a) / seconds, "planted": sum(d[3] for d in docs),
            "median_ms": statistics.median(latencies) * 1000, "p95_ms": p95(latencies) * 1000}


def bulk(pool: Any, world: Any, a: int, b: int, raw: bool) -> dict[str, Any]:
    chunks = [(world.admin_url, s, min(s + BULK_CHUNK, b), raw) for s in range(a, b, BULK_CHUNK)]
    started, done, planted, making, writing, last = time.perf_counter(), 0, 0, 0.0, 0.0, time.monotonic()
    for n, dups, m, w in pool.imap(_bulk_job, chunks, chunksize=1):
        done, planted, making, writing = done + n, planted + dups, making + m, writing + w
        if time.monotonic() - last > 30:
            progress(f"  bulk: {a + done:,} notices ({done / (time.perf_counter() - started):.0f}/s)")
            last = time.monotonic()
    seconds = time.perf_counter() - started
    return {"n": b - a, "seconds": seconds, "rate": (b - a) / seconds, "planted": planted, "making": making,
            "writing": writing}


SIZE_TABLES = ("notices", "notice_versions", "notice_sections", "notice_problems", "notice_keywords", "notice_tags",
               "notice_figures", "notice_copies", "raw.pages", "raw.work_items", "corpus_idf")


def sizes(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    tables = {t: conn.execute("""SELECT pg_total_relation_size(c.oid) AS total, pg_relation_size(c.oid) AS heap,
                                        coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast,
                                        pg_indexes_size(c.oid) AS indexes, c.reltuples::bigint AS rows
                                 FROM pg_class c WHERE c.oid = %s::regclass""", (t,)).fetchone() for t in SIZE_TABLES}
    indexes = conn.execute("""SELECT i.indexrelid::regclass::text AS name, pg_relation_size(i.indexrelid) AS size
                              FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace s ON s.oid = c.relnamespace
                              WHERE s.nspname IN ('public', 'raw') ORDER BY 2 DESC LIMIT 14""").fetchall()
    database = conn.execute("SELECT pg_database_size(current_database()) AS n").fetchone()["n"]
    return {"tables": tables, "indexes": indexes, "database": database}


def rare_queries(conn: psycopg.Connection[Any], notices: int, seed: int) -> list[tuple[str, str]]:
    """Words from the stored vocabulary: 5 rare (in 1–20 notices), 5 in 0.1–1 % of notices, 3 in 10–30 %."""
    rng, out = random.Random(seed), []
    for kind, low, high, k in (("rare word", 1, 20, 5), ("uncommon word", notices // 1000, notices // 100, 5),
                               ("common word", notices // 10, notices * 3 // 10, 3)):
        words = [r["word"] for r in conn.execute(
            "SELECT word FROM corpus_idf WHERE notices_with_word BETWEEN %s AND %s AND char_length(word) >= 2"
            " AND word ~ '^[\u4e00-\u9fff]+$' ORDER BY word", (max(1, low), max(1, high))).fetchall()]
        out += [(kind, w) for w in rng.sample(words, min(k, len(words)))]
    return out


def search_times(url: str, queries: list[tuple[str, str]], rounds: int) -> tuple[dict, dict]:
    """(first-round ms per query, later rounds' ms per query) of search_notices(q, 20)."""
    cold: dict[tuple[str, str], float] = {}
    warm: dict[tuple[str, str], list[float]] = {q: [] for q in queries}
    with connect(url) as conn:
        for r in range(rounds + 1):
            for kind, query in queries:
                started = time.perf_counter()
                conn.execute("SELECT * FROM search_notices(%s, 20)", (query,)).fetchall()
                ms = (time.perf_counter() - started) * 1000
                if r == 0:
                    cold[(kind, query)] = ms
                else:
                    warm[(kind, query)].append(ms)
    return cold, warm


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB" if n < 10 * 2**30 else f"{n / 2**30:,.1f} GB"


def link_bulk(world: Any) -> None:
    """The bulk path writes no copy links (notice_copies): link its notices in the order they were stored,
    as the store step would have (bench code; the time is printed, not counted in the store rate)."""
    t = time.perf_counter()
    with world.admin() as admin:
        n = admin.execute("SELECT count(link_notice_copy(notice_id)) AS n FROM (SELECT notice_id FROM notices n "
                          "WHERE NOT EXISTS (SELECT 1 FROM notice_copies c WHERE c.notice_id = n.notice_id) "
                          "ORDER BY notice_id) x").fetchone()["n"]
    progress(f"  copy links of {n:,} notices in {time.perf_counter() - t:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="5,000 notices, windows of 500, 3 rounds")
    ap.add_argument("--window", type=int, default=1000, help="notices per timed store_notice window")
    ap.add_argument("--jobs", type=int, default=2, help="processes of the bulk path")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the search queries after the cold one")
    ap.add_argument("--raw", choices=("windows", "all", "none"), default="windows",
                    help="which notices get their raw page and work items")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dup-timeout", type=int, default=900, help="seconds allowed to the notice_duplicates count")
    args = ap.parse_args(argv)
    n = 5_000 if args.quick else args.notices
    window = min(500 if args.quick else args.window, max(1, n // 10))
    rounds = 3 if args.quick else args.rounds
    t_start = time.perf_counter()
    segment.warm()
    prepare(args.seed)
    progress(f"corpus cut into {len(_SOURCES)} openings, {sum(len(s.parts) for s in _SOURCES)} part heads and "
             f"{sum(len(v) for v in _POOLS.values())} items in {len(_POOLS)} slots")
    windows = sorted({0, n // 10, n // 2, n - window})
    with bench_world("scale") as world:
        sync(world, world.settings(world.env()))
        with world.admin() as admin:
            for site in admin.execute("SELECT site_id, home_url FROM sites ORDER BY site_id").fetchall():
                run = admin.execute("INSERT INTO crawl_runs (site_id, trigger, state) VALUES (%s, 'manual', 'done')"
                                    " RETURNING run_id", (site["site_id"],)).fetchone()["run_id"]
                host = re.sub(r"^https?://|/.*$", "", site["home_url"] or f"{site['site_id']}.bench.test")
                _SITES.append((site["site_id"], host, run))
            settings = {r["name"]: r["setting"] + (r["unit"] or "") for r in admin.execute(
                "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', "
                "'max_wal_size', 'synchronous_commit', 'maintenance_work_mem', 'effective_cache_size')").fetchall()}
            version = admin.execute("SHOW server_version").fetchone()["server_version"]
        ctx = multiprocessing.get_context("fork")  # the pool inherits the prepared corpus
        shipped, bulks, at = [], [], 0
        with ctx.Pool(args.jobs) as pool:
            for start in windows:
                if at < start:
                    progress(f"bulk path: notices {at:,} … {start:,}")
                    bulks.append(bulk(pool, world, at, start, args.raw == "all"))
                    link_bulk(world)
                progress(f"store_notice: notices {start:,} … {start + window:,} (tables hold {start:,})")
                shipped.append(shipped_window(world, start, start + window, args.raw != "none"))
                progress(f"  {shipped[-1]['rate']:.0f} notices/s")
                at = start + window
        load_seconds = time.perf_counter() - t_start
        with world.admin() as admin:
            admin.execute("CHECKPOINT")
            before = sizes(admin)
            progress("corpus keywords refresh, VACUUM (ANALYZE), ANALYZE")
            t = time.perf_counter()
            refresh_keywords(admin)
            refresh = time.perf_counter() - t
            t = time.perf_counter()
            admin.execute("VACUUM (ANALYZE)")
            vacuum = time.perf_counter() - t
            t = time.perf_counter()
            admin.execute("ANALYZE")
            analyze = time.perf_counter() - t
            after = sizes(admin)
            with_raw = admin.execute("SELECT count(*) AS n FROM raw.pages").fetchone()["n"]
            progress(f"refresh {refresh:.0f} s, VACUUM (ANALYZE) {vacuum:.0f} s, ANALYZE {analyze:.0f} s; database "
                     f"{mb(after['database'])}")
            queries = QUERIES + rare_queries(admin, n, args.seed)
        progress(f"searching: {len(queries)} queries × (1 + {rounds}) rounds")
        search_url = analyst_url(world.admin_url, PASSWORD)
        cold, warm = search_times(search_url, queries, rounds)
        progress(f"search_notices: median {statistics.median(t for ts in warm.values() for t in ts):.1f} ms")
        # as the admin with a cap of its own: the analysts' login has statement_timeout 60 s (ops/roles.sql),
        # which the whole view exceeded at 100,000 recombined notices on a loaded machine
        dup_runs, found, dup_one = [], {"n": -1, "exact": -1}, float("nan")
        with connect(world.admin_url) as conn:
            conn.execute(f"SET statement_timeout = '{args.dup_timeout}s'")
            try:
                for _ in range(2):
                    t = time.perf_counter()
                    found = conn.execute("SELECT count(*) AS n, count(*) FILTER (WHERE distance = 0) AS exact "
                                         "FROM notice_duplicates").fetchone()
                    dup_runs.append(time.perf_counter() - t)
                    progress(f"notice_duplicates: {dup_runs[-1]:.1f} s")
                t = time.perf_counter()
                conn.execute("SELECT * FROM notice_duplicates WHERE notice_id = (SELECT max(notice_id) FROM notices)"
                             ).fetchall()
                dup_one = time.perf_counter() - t
            except psycopg.errors.QueryCanceled:
                conn.rollback()
                dup_runs.append(float(args.dup_timeout))
                progress(f"notice_duplicates: not done in {args.dup_timeout} s")
        total_seconds = time.perf_counter() - t_start

    planted = sum(w["planted"] for w in shipped) + sum(b["planted"] for b in bulks)
    print(f"scale_db: {n:,} notices recombined from {len(_SOURCES)} corpus notices ({planted:,} planted near-copies, "
          f"{planted / n:.1%}); raw pages and work items for {with_raw:,} of them (--raw {args.raw})")
    print(f"PostgreSQL {version}; {', '.join(f'{k} {v}' for k, v in sorted(settings.items()))}")
    print(f"bench time {total_seconds / 60:.1f} min (loading {load_seconds / 60:.1f} min)")
    print("\nshipped path — store_notice, 1 transaction per notice, workers' login:")
    print(f"  {'tables hold':>12} {'notices':>8} {'seconds':>8} {'notices/s':>10} {'median ms':>10} {'p95 ms':>8}")
    for w in shipped:
        print(f"  {w['at']:>12,} {w['n']:>8,} {w['seconds']:>8.1f} {w['rate']:>10.1f} {w['median_ms']:>10.1f} {w['p95_ms']:>8.1f}")
    for b in bulks:
        print(f"bulk path (bench code: COPY, {BULK_CHUNK}/txn, {args.jobs} processes, documents made in the same processes):"
              f" {b['n']:,} notices in {b['seconds']:.0f} s = {b['rate']:.0f}/s (making {b['making']:.0f} s, "
              f"writing {b['writing']:.0f} s, summed over processes)")
    print(f"\nsize on disk after VACUUM (ANALYZE): database {mb(after['database'])} = "
          f"{after['database'] / n / 1024:,.1f} KiB per notice (before VACUUM {mb(before['database'])})")
    print(f"  {'table':24} {'total':>10} {'heap':>10} {'toast':>10} {'indexes':>10} {'rows':>12} {'KiB/notice':>10}")
    for t, s in after["tables"].items():
        per = with_raw if t.startswith("raw.") else n
        print(f"  {t:24} {mb(s['total']):>10} {mb(s['heap']):>10} {mb(s['toast']):>10} {mb(s['indexes']):>10} "
              f"{s['rows']:>12,} {s['total'] / max(per, 1) / 1024:>10.1f}" + ("  (per notice with raw rows)" if
                                                                             t.startswith("raw.") else ""))
    raw_bytes = sum(after["tables"][t]["total"] for t in ("raw.pages", "raw.work_items"))
    if 0 < with_raw < n:
        full = after["database"] + raw_bytes / with_raw * (n - with_raw)
        print(f"  with raw page and work items for every notice (projected from the {with_raw:,} that have them): "
              f"database {mb(full)} = {full / n / 1024:,.1f} KiB per notice")
    print("  largest indexes: " + ", ".join(f"{i['name']} {mb(i['size'])}" for i in after["indexes"]))
    print(f"maintenance: VACUUM (ANALYZE) {vacuum:.0f} s, ANALYZE {analyze:.1f} s, "
          f"corpus keywords refresh (rectify db refresh) {refresh:.0f} s")
    every = [t for ts in warm.values() for t in ts]
    plain = [t for (kind, _q), ts in warm.items() if kind != "quoted phrase" for t in ts]
    print(f"\nsearch_notices(q, 20) as the analysts' login, {len(queries)} queries, {rounds} rounds after a cold one:")
    print(f"  all:                   median {statistics.median(every):8.1f} ms   p95 {p95(every):8.1f} ms   "
          f"max {max(every):8.1f} ms")
    print(f"  without quoted phrases median {statistics.median(plain):8.1f} ms   p95 {p95(plain):8.1f} ms")
    print(f"  cold first round:      median {statistics.median(cold.values()):8.1f} ms   p95 {p95(list(cold.values())):8.1f} ms")
    for kind in dict.fromkeys(k for k, _q in queries):
        ts = [t for (k, _q), v in warm.items() if k == kind for t in v]
        slow = max(((q, statistics.median(v)) for (k, q), v in warm.items() if k == kind), key=lambda x: x[1])
        print(f"    {kind:26} median {statistics.median(ts):8.1f} ms   p95 {p95(ts):8.1f} ms   slowest {slow[0]} {slow[1]:.0f} ms")
    print("\nnotice_duplicates (a view over the stored links), whole table: "
          + ", then ".join(f"{x:.2f} s" for x in dup_runs) + (" (cap reached)" if found["n"] < 0 else "")
          + f"; one notice's row {dup_one * 1000:.0f} ms; the analysts' login stops a statement at 60 s")
    print(f"  {found['n']:,} copies found ({found['exact']:,} at distance 0) against {planted:,} planted")
    json.dump({"notices": n, "shipped": shipped, "bulk": bulks, "sizes": {t: dict(s) for t, s in after["tables"].items()},
               "database": after["database"], "vacuum": vacuum, "analyze": analyze, "refresh": refresh,
               "search_median": statistics.median(every), "search_p95": p95(every), "dups": dup_runs,
               "found": found["n"], "planted": planted}, sys.stderr, default=str)
    print(file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
