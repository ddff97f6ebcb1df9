import hashlib
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.text.segment import tokens
from crawler.text.similarity import CHUNK, distance, simhash
from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"


def _text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def reference_simhash(words_in: list[str]) -> int:
    """The definition, written plainly (the implementation before it was batched): stored fingerprints are
    compared with new ones, so the fast one must give exactly these."""
    words = [t for t in words_in if t.strip()]
    digests = [hashlib.blake2b("\x1f".join(words[i:i + 3]).encode("utf-8"), digest_size=8).digest()
               for i in range(max(1, len(words) - 2))]
    ones = Counter(b for d in digests for b in range(64) if int.from_bytes(d, "big") >> b & 1)
    value = sum(1 << b for b, n in ones.items() if 2 * n > len(digests))
    return value - (1 << 64) if value >= 1 << 63 else value


def test_a_republished_notice_is_near_its_original_and_far_from_others():
    original = _text("ln02")
    republished = "欢迎访问某某区人民政府网站\n当前位置：首页 > 通知公告\n" + original.replace("。", "。", 1) + "\n（来源：区委办公室）"
    a, b = simhash(tokens(original)), simhash(tokens(republished))
    assert distance(a, b) <= 3
    others = [distance(a, simhash(tokens(_text(n)))) for n in ("ln01", "ln04", "sd01", "js01")]
    assert min(others) > 10


def test_simhash_fits_a_signed_bigint():
    value = simhash(tokens(_text("sd01")))
    assert -(2 ** 63) <= value < 2 ** 63


def test_fingerprints_of_every_corpus_notice_are_those_of_the_definition():
    every = []
    for path in sorted(CORPUS.glob("*.txt")):
        words = tokens(path.read_text(encoding="utf-8"))
        every += words
        assert simhash(words) == reference_simhash(words), path.name
    # a text of several batches, and the batch edges (a shingle across two batches)
    for n in (len(every), CHUNK + 1, CHUNK + 2, CHUNK + 3, 2 * CHUNK + 2):
        assert simhash(every[:n]) == reference_simhash(every[:n]), n


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\u3000", "\t\n", "巡视", "整改", "问题", "，", "a", "x\x1fy", "é", "😀",
                                 "2024年"]), max_size=30))
def test_fingerprints_of_short_and_odd_token_lists_are_those_of_the_definition(words):
    assert simhash(words) == reference_simhash(words)
