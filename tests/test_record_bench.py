"""The field benchmark reports mismatches and fails below the thresholds."""

from __future__ import annotations

import json

from bench.fields import DEFAULT_GOLD, REAL, evaluate, evaluate_all, main


def test_bench_passes_on_dev_gold(capsys):
    assert main(["--no-speed"]) == 0
    out = capsys.readouterr().out
    assert "OVERALL" in out and "mismatches in dev" not in out and "PASS" in out


def test_bench_scores_dev_fit_and_unseen_side_by_side_and_hides_unseen_mismatches(capsys):
    results = evaluate_all()
    assert set(results) == {"dev", "fit", "unseen"}
    split = json.loads((REAL / "split.json").read_text(encoding="utf-8"))
    assert not set(split["fit"]) & set(split["unseen"])  # a notice is in one half only
    assert max(results["fit"].seen.values()) == len(split["fit"])
    main(["--no-speed"])
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["field", "dev", "(36)", "fit", f"({len(split['fit'])})", "unseen",
                                           f"({len(split['unseen'])})"]
    assert "mismatches in unseen" not in out  # scored, never shown unless asked (--show-unseen)


def test_damaged_field_accepts_also_ok(tmp_path):
    notice = tmp_path / "x1.txt"
    notice.write_text("根据市委统一部署,市委第巡察组于2023614日至915日对市某局党组进行了巡察。", encoding="utf-8")
    row = {"id": "x1", "team": 3, "also_ok": {"team": [None]}}
    assert evaluate(tmp_path, [row]).correct["team"] == 1  # null accepted where the number is lost


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
