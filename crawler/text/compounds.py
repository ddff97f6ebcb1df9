"""The phrases of jieba's dictionary that the project's segmenter splits into their words: data/compounds.txt.

jieba's dictionary (its dict.txt, 349,046 entries) holds many phrases as single words: most of its ~70,000 entries
of four or more characters with frequency 3 or less come from phrase lists (领导小组, 高度重视, 贯彻落实, 联系电话,
党的建设 …), and names of organisations are whole (中国共产党).  With the HMM off jieba prefers any dictionary word to its parts, so these come out glued.
The segmenter follows PKU's guideline (tests/fixtures/segmentation/README.md): a phrase whose halves are words
is two words, an organisation name is cut into its words, while idioms, set phrases and lexicalised words are
one.  jieba's own frequencies and tags tell them apart well enough: an entry of four or more Han characters is
split when

* it can be cut into dictionary words of two or more characters each (领导小组 = 领导 + 小组; 标本兼治 cannot: 兼治
  is no word), and
* it is a phrase-list entry (frequency 3 or less), or an organisation (tag ``nt``: 中国共产党 → 中国 / 共产党), or a
  rare word (frequency below 1,000) that jieba does not tag as an idiom or set phrase (``i``, ``l``: 统筹兼顾
  stays; 服务水平, 领导班子, 党委书记 are split; 社会主义 13,995 and 有限公司 6,278 stay), and
* it is not a place name (``ns``: 沙河口区), a number (``m``: numbers are the segmenter's rules), or an -ism
  (…主义: 形式主义).

Phrase-list entries X的Y whose sides are words are split around 的 (党的领导 → 党 / 的 / 领导).  The parts are
jieba's own choice among the possible cuts (the largest product of their frequencies, as its DAG does), and
a part that is itself split is split in turn.

    python -m crawler.text.compounds      # rewrites crawler/data/compounds.txt (tests check it is current)

Each line of the file: the entry, then its parts, separated by spaces.  The user dictionary
(data/userdict.txt) wins over this table: a domain word listed there is never split.
"""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
COMPOUNDS = DATA / "compounds.txt"
RARE = 1000  # below this frequency a non-idiom entry made of words is a phrase
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def jieba_dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.submodule_search_locations, "jieba is a dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _read(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    freq, tag = {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            freq[parts[0]], tag[parts[0]] = int(parts[1]), parts[2]
    return freq, tag


def _best_cut(word: str, freq: dict[str, int]) -> list[str] | None:
    """The most probable cut of ``word`` into two or more dictionary words of 2+ characters, or None."""
    n = len(word)
    best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
    for i in range(n):
        if i not in best:
            continue
        for j in range(i + 2, n + 1):
            part = word[i:j]
            if (i, j) != (0, n) and freq.get(part, 0) > 0:
                score = best[i][0] + math.log(freq[part])
                if j not in best or score > best[j][0]:
                    best[j] = (score, best[i][1] + [part])
    return best[n][1] if n in best else None


def _de_cut(word: str, freq: dict[str, int]) -> list[str] | None:
    """X的Y → X / 的 / Y when X and Y are dictionary words."""
    for i in range(1, len(word) - 1):
        if word[i] == "的" and freq.get(word[:i], 0) > 0 and freq.get(word[i + 1:], 0) > 0:
            return [word[:i], "的", word[i + 1:]]
    return None


def splits(freq: dict[str, int], tag: dict[str, str]) -> dict[str, list[str]]:
    """{entry: parts} for every entry of the dictionary that the rule above splits."""
    table: dict[str, list[str]] = {}
    for word, f in freq.items():
        t = tag.get(word, "")
        if len(word) < 4 or not _HAN.fullmatch(word) or t in ("ns", "m") or word.endswith("主义"):
            continue
        if not (f <= 3 or t == "nt" or (f < RARE and t not in ("i", "l"))):
            continue
        parts = _best_cut(word, freq) or (_de_cut(word, freq) if f <= 3 else None)
        if parts:
            table[word] = parts
    # a part that is itself split is split in turn (中国科学院计算技术研究所 → 中国 / 科学院 / …)
    def expand(parts: list[str], depth: int = 0) -> list[str]:
        out = []
        for p in parts:
            out.extend(expand(table[p], depth + 1) if p in table and depth < 8 else [p])
        return out
    return {word: expand(parts) for word, parts in table.items()}


def build(dictionary: Path | None = None) -> str:
    freq, tag = _read(dictionary or jieba_dictionary())
    table = splits(freq, tag)
    return "".join(f"{word} {' '.join(parts)}\n" for word, parts in sorted(table.items()))


def load(path: Path = COMPOUNDS) -> dict[str, tuple[str, ...]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, *parts = line.split()
        table[word] = tuple(parts)
    return table


def main() -> int:
    text = build()
    COMPOUNDS.write_text(text, encoding="utf-8")
    print(f"{COMPOUNDS}: {text.count(chr(10)):,} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
