"""The field benchmark reports mismatches and fails below the thresholds."""

from __future__ import annotations

import json

from bench.fields import DEFAULT_GOLD, main


def test_bench_passes_on_dev_gold(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "OVERALL" in out and "mismatches: 0" in out and "PASS" in out


def test_bench_lists_every_mismatch_and_fails(tmp_path, capsys):
    rows = [json.loads(line) for line in DEFAULT_GOLD.read_text(encoding="utf-8").splitlines()[:2]]
    rows[0]["team"] = 99
    rows[1]["special_topics"] = ["乡村振兴"]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main(["--gold", str(gold)]) == 1
    out = capsys.readouterr().out
    assert f"{rows[0]['id']}\tteam\tgot=" in out and "expected=99" in out
    assert 'expected=["乡村振兴"]' in out
    assert "FAIL" in out
