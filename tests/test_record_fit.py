"""Every real notice of the `fit` half is read as its gold record says (tests/fixtures/real): rules are written
from these notices, so a change that loses one of them fails here by name, not only as a lower figure in
bench/fields. (The `unseen` half is only ever scored, never tested notice by notice.)"""

from __future__ import annotations

import pytest

from bench.fields import REAL, evaluate, real_sets

FIT = real_sets()["fit"]


@pytest.mark.parametrize("record", FIT, ids=lambda r: r["id"])
def test_fit_notice_is_read_as_its_gold_record(record):
    mismatches = evaluate(REAL / "notices", [record]).mismatches
    assert not mismatches, "\n".join(f"{f}: got {got!r}, expected {want!r}" for _, f, got, want in mismatches)
