"""bench/segmentation: word-level scoring of a segmenter against the hand-segmented gold."""

from __future__ import annotations

import json

import pytest

from bench.segmentation import GOLD, differences, load, score, segmentation_scores, spans


def test_spans_are_character_offsets_and_whitespace_is_dropped():
    assert spans(["巡视整改", " ", "工作"]) == {(0, 4), (5, 7)}
    assert spans(["巡视整改 ", "工作"]) == {(0, 4), (5, 7)}  # a space glued to a word is not part of it
    with pytest.raises(ValueError):
        spans(["巡视", "整改"], "巡视整改工作")  # a segmenter may not change the text


def test_score_counts_words_with_the_same_span():
    gold = ["省委", "第三", "巡视组", "反馈", "意见"]
    ours = ["省委", "第三", "巡视组", "反馈意见"]
    s = score([(gold, ours)])
    assert (s.gold, s.predicted, s.correct) == (5, 4, 3)
    assert s.precision == pytest.approx(0.75) and s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert score([(gold, gold)]).f1 == 1.0
    # same words, moved boundary: 巡视 / 整改工作 vs 巡视整改 / 工作 share no span
    assert score([(["巡视整改", "工作"], ["巡视", "整改工作"])]).correct == 0


def test_differences_lists_the_stretches_that_disagree():
    assert differences(["2023年", "9月", "召开", "反馈", "意见"], ["2023", "年", "9月", "召开", "反馈意见"]) == [
        ("2023年", "2023 / 年"), ("反馈 / 意见", "反馈意见")]


def test_gold_split_is_by_notice_and_covers_every_record():
    sides = load()
    assert len(sides["fit"]) + len(sides["unseen"]) >= 200
    assert not {r["notice"] for r in sides["fit"]} & {r["notice"] for r in sides["unseen"]}
    assert all("".join(r["words"]) == r["raw"] for side in sides.values() for r in side)


def test_segmentation_scores_for_bench_tags():
    result = segmentation_scores()
    split = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))
    assert result["sentences"] == {"fit": len(split["fit"]), "unseen": len(split["unseen"])}
    assert {"jieba default", "project (jieba)"} <= set(result["segmenters"])
    assert result["shipped"] in result["segmenters"]
    row = result["segmenters"][result["shipped"]]
    assert result["unseen_f1"] == row["unseen"]["f1"] and result["fit_f1"] == row["fit"]["f1"]
    assert result["met"] == (result["unseen_f1"] >= result["target"] == 0.95)
    for sides in result["segmenters"].values():
        for s in sides.values():
            assert 0.5 < s["f1"] <= 1 and s["correct_words"] <= min(s["gold_words"], s["predicted_words"])
    # both engines of the project cut alike (tests/test_segment.py checks it on the corpus)
    if "project (rjieba)" in result["segmenters"]:
        assert result["segmenters"]["project (rjieba)"] == result["segmenters"]["project (jieba)"]
