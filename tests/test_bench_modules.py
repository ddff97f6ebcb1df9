"""Every benchmark module imports (a bench that cannot start is found here, not when someone needs its
figures), and bench/scale_db's SimHash made from per-block bit counts is the product's SimHash."""

from __future__ import annotations

import importlib
import random
import re

import pytest

from crawler.settings import PROJECT_ROOT
from crawler.text.similarity import simhash

MODULES = sorted(p.stem for p in (PROJECT_ROOT / "bench").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name: str):
    importlib.import_module(f"bench.{name}")


def test_scale_db_bit_counts_give_the_products_simhash():
    from bench.scale_db import bit_counts

    rng = random.Random(3)
    vocabulary = ["巡视", "整改", "问题", "党组", "反馈", "意见", "落实", "责任", "制度", "监督", " ", "12", "。"]
    for length in (1, 2, 3, 50, 5000):
        words = [rng.choice(vocabulary) for _ in range(length)]
        counts, total = bit_counts(words)
        value = sum(1 << b for b in range(64) if 2 * counts[b] > total)
        assert (value - (1 << 64) if value >= 1 << 63 else value) == simhash(words), length


def test_scale_db_sizes_tables_the_schema_has():
    """A table the bench sizes and the schema dropped ends a two-hour run at its size step."""
    from bench.scale_db import SIZE_TABLES

    schema = (PROJECT_ROOT / "schema.sql").read_text(encoding="utf-8")
    for table in SIZE_TABLES:
        assert re.search(rf"CREATE (?:TABLE|MATERIALIZED VIEW)(?: IF NOT EXISTS)? {re.escape(table)} ", schema), table
