"""Load the real notices in ``corpus/`` and separate the notice text from page chrome.

Some corpus files were saved from whole web pages and still carry navigation lines
("欢迎访问…", "当前位置: …", "首页>工作之窗>巡视巡察", "来源:…发布时间:…", "关闭 打印",
"上一篇: …"). Those are dropped; every other non-blank line is kept byte-for-byte, because
tests elsewhere compare extracted text against the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

# Chrome can only appear before the body (site header, breadcrumb, source/date line) or
# after it (print/close buttons, prev/next links); matching only at the edges keeps the
# rules from ever eating a real paragraph.
_HEAD_CHROME = re.compile(r"^\s*(?:欢迎访问|当前位置|首页\s*>|来源[:：].*发布时间)")
_TAIL_CHROME = re.compile(r"^\s*(?:关闭\s*打印|上一篇[:：]|下一篇[:：])")
_CHROME_DATE = re.compile(r"发布时间[:：]\s*(\d{4})-(\d{2})-(\d{2})")

# js01 was saved without its heading. The title shown on the mirror is SYNTHETIC, modelled
# on the signature line ("中共苏州市相城区委员会") and the usual title pattern.
SYNTHETIC_TITLES: dict[str, str] = {
    "js01": "中共苏州市相城区委关于巡视整改进展情况的通报",
}


@dataclass(frozen=True)
class CorpusNotice:
    """One real notice: its id (file stem), title, body lines and any date found in chrome."""

    corpus_id: str
    title: str
    lines: tuple[str, ...]
    chrome_date: date | None = None
    synthetic_title: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _is_blank(line: str) -> bool:
    # str.strip() also removes NBSP and the ideographic space, which pages use as padding.
    return not line.strip()


def parse_notice(corpus_id: str, raw: str) -> CorpusNotice:
    """Split a corpus file into title and body lines, dropping chrome and blank lines."""
    lines = [line for line in raw.splitlines() if not _is_blank(line)]
    chrome = []
    while lines and _HEAD_CHROME.match(lines[0]):
        chrome.append(lines.pop(0))
    synthetic = corpus_id in SYNTHETIC_TITLES
    title = SYNTHETIC_TITLES[corpus_id] if synthetic else lines.pop(0)
    while lines and _HEAD_CHROME.match(lines[0]):
        chrome.append(lines.pop(0))
    while lines and _TAIL_CHROME.match(lines[-1]):
        lines.pop()
    found = next((m for m in map(_CHROME_DATE.search, chrome) if m), None)
    chrome_date = date(*map(int, found.groups())) if found else None
    return CorpusNotice(corpus_id, title, tuple(lines), chrome_date, synthetic)


@cache
def load_corpus() -> dict[str, CorpusNotice]:
    """All corpus notices keyed by id, in file-name order."""
    return {
        path.stem: parse_notice(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(CORPUS_DIR.glob("*.txt"))
    }
