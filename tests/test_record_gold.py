"""Field accuracy of the parser on the hand-checked gold records (computed by bench.fields)."""

from __future__ import annotations

from bench.fields import MIN_FIELD, MIN_OVERALL, evaluate, report


def test_gold_field_accuracy():
    result = evaluate()
    assert sum(result.seen.values()) > 0
    detail = report(result)
    assert result.overall() >= MIN_OVERALL, detail
    low = {f: a for f, a in result.field_accuracy().items() if a < MIN_FIELD}
    assert not low, detail


def test_thresholds_are_the_agreed_ones():
    assert (MIN_OVERALL, MIN_FIELD) == (0.99, 0.97)
