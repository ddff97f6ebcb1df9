"""Chinese word segmentation for notices: one jieba per process, with the domain dictionary.

* Engine: rjieba (jieba-rs, the same algorithm and dictionary in Rust) when installed, else jieba. With HMM
  off and our user dictionary both give identical tokens on the whole corpus (a test checks it; the bench
  reports it); rjieba cuts ~16x faster and loads in 0.1 s. RECTIFY_SEGMENTER=jieba forces jieba.
* Keywords are TF-IDF over our tokens with jieba's IDF table (read from its file; jieba.analyse is not
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
STOPWORDS = DATA / "stopwords.txt"

# numbers, years, dates, percentages and amounts: never keywords (2023年, 100%, 3.5亿元, 第四轮, 12月)
_NUMERIC = re.compile(
    r"[\d０-９.．%％‰,，\-—~～/]+(?:[年月日号个项条件次人名家户元万亿千百十余多轮届批]+)?"
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
    return tok


def _build_posseg() -> Any:
    import jieba.posseg

    pos = jieba.posseg.POSTokenizer(_tokenizer())
    pos.lcut("预热", HMM=False)  # moves the user words' tags in now, not racing in a later cut
    return pos


class _KeywordCut:
    """What jieba.analyse sees as its tokenizer: our tokens, HMM off, numbers and dates dropped."""

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


def _build_rjieba() -> Any:
    import rjieba

    engine = rjieba.Jieba()
    for word, freq, tag in _user_words():
        engine.add_word(word, freq, tag)
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
    """Load the dictionary now, and unless ``analyse=False`` the POS tables and IDF too."""
    if engine_name() == "rjieba":
        _rjieba()
        if analyse:
            _idf()
        return
    _tokenizer()
    if analyse:
        _posseg()
        _idf()


def tokens(text: str) -> list[str]:
    if engine_name() == "rjieba":
        return _rjieba().cut(text, False)
    return _tokenizer().lcut(text, HMM=False)


def search_tokens(text: str) -> list[str]:
    """Tokens for the full-text index: the words, plus the shorter dictionary words inside long ones
    (营商环境 → 营商, 环境, 营商环境), so a search for a part of a compound still finds it."""
    if engine_name() == "rjieba":
        return _rjieba().cut_for_search(text, False)
    return _tokenizer().lcut_for_search(text, HMM=False)


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, flag) pairs; user-dictionary words carry the flag given in userdict.txt."""
    if engine_name() == "rjieba":
        return [(word, flag) for word, flag in _rjieba().tag(text, False)]
    return [(p.word, p.flag) for p in _posseg().lcut(text, HMM=False)]


def keywords_from_tokens(words: list[str], k: int = 20) -> list[tuple[str, float]]:
    """The same TF-IDF ranking as `keywords`, from tokens already cut (a notice is segmented once)."""
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
    """Top-k TF-IDF keywords (jieba's IDF table, domain stop words, no numbers/dates)."""
    return keywords_from_tokens(tokens(text), k)


def jieba_keywords(text: str, k: int = 20) -> list[tuple[str, float]]:
    """jieba.analyse.extract_tags over our tokens: the reference `keywords` is checked against."""
    return [(w, float(s)) for w, s in _tfidf().extract_tags(text, topK=k, withWeight=True)]
