"""The example queries of ops/queries/ (listed in the README) run as the analyst against the crawled mirror."""

from __future__ import annotations

import csv
import io
import json

import psycopg
from psycopg.rows import dict_row

from crawler.mirror import mirrored_notices
from tests.conftest import PROJECT_ROOT, rectify

QUERIES = PROJECT_ROOT / "ops" / "queries"
RAN: set[str] = set()


def _run(url: str, name: str) -> list[dict]:
    RAN.add(name)
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute((QUERIES / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


def test_example_queries_answer_their_questions(worker, env, db, databases, mirror):
    assert rectify(env, "crawl", "liaoning", "shandong", "jiangsu", "faults").returncode == 0
    notice = next(n for n in mirrored_notices() if n["host"] == "www.sdjj.gov.cn")
    original = db.execute("SELECT body_text FROM notices WHERE site_id = 'shandong'").fetchone()["body_text"]
    mirror.edit_notice(notice["host"], notice["path"], original + "\n此通报已更新。")
    assert rectify(env, "crawl", "--full", "shandong").returncode == 0
    jiangsu = next(n for n in mirrored_notices() if n["host"] == "www.jssjw.gov.cn")
    mirror.remove_page(jiangsu["host"], jiangsu["path"])  # taken down upstream
    assert rectify(env, "crawl", "--full", "jiangsu").returncode == 0
    analyst = databases["analyst"]

    below = _run(analyst, "rectified_below_80_percent")
    expected = db.execute("SELECT count(*) AS n FROM notices WHERE term = 13 AND round = 4 AND problems_total > 0 "
                          "AND problems_done < 0.8 * problems_total").fetchone()["n"]
    assert len(below) == expected and all(r["percent_done"] < 80 for r in below)

    both = _run(analyst, "business_environment_and_accountability")
    assert both and all("营商环境" in r["snippet"] or "问责" in r["snippet"] for r in both)

    changed = _run(analyst, "changed_since_first_published")  # the takedown's event is no change of text
    assert [(r["version"], r["diff_summary"].startswith("1 line(s) added")) for r in changed] == [(2, True)]

    taken_down = _run(analyst, "taken_down")
    assert [(r["site_id"], r["title"], r["answer"], r["restored_at"]) for r in taken_down] == [
        ("jiangsu", jiangsu["title"], "HTTP 404 Not Found", None)]

    copies = _run(analyst, "republished_copies")
    assert [{r["site_id"], r["canonical_site_id"]} for r in copies] == [{"faults", "liaoning"}]  # one pair

    laishan = [(r["aspect"][:8], r["problems"]) for r in _run(analyst, "problems_by_aspect") if r["site_id"] == "shandong"]
    assert laishan == [("贯彻落实中央重大", 12), ("落实全面从严治党", 10), ("党的建设抓得不实", 10), ("贯彻落实党的群众", 14)]  # 46 headings in all

    # every Liaoning notice of the crawl is a 营商环境 special inspection (its first-ranked topic); the 2019
    # Jiangsu and the Shandong notice are none
    main = _run(analyst, "notices_by_main_topic")
    specials = db.execute("SELECT count(*) AS n FROM notices WHERE '营商环境' = ANY(special_topics)").fetchone()["n"]
    assert specials > 0 and len([r for r in main if r["special"]]) == specials
    assert all(r["rank"] == 1 for r in main if r["special"]) and {r["site_id"] for r in main} <= {"liaoning", "faults"}
    by_topic = {r["topic"]: r for r in _run(analyst, "problems_by_topic")}
    assert by_topic["business_env"]["problems"] == max(r["problems"] for r in by_topic.values())
    assert by_topic["business_env"]["mean_score"] > 0.9 and "personnel" in by_topic

    figures = {r["site_id"]: r for r in _run(analyst, "discipline_figures_by_site")}
    assert figures["liaoning"]["people_disciplined"] > 0 and figures["liaoning"]["cases_filed"] > 0
    assert {q.stem for q in QUERIES.glob("*.sql")} == RAN  # every example in the folder runs here


def test_export_writes_csv_and_jsonl(worker, env, db):
    assert rectify(env, "crawl", "shandong", "jiangsu").returncode == 0
    result = rectify(env, "export", "--format", "csv")
    assert result.returncode == 0 and "exported 2 notice(s)" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["site_id"] for r in rows} == {"shandong", "jiangsu"} and rows[0]["province"] in ("山东", "江苏")
    jsonl = rectify(env, "export", "--format", "jsonl", "--site", "shandong", "--since", "2020-01-01").stdout
    records = [json.loads(line) for line in jsonl.splitlines()]
    assert len(records) == 1 and records[0]["team"] == 8 and records[0]["problems_total"] == 52

    problems = rectify(env, "export", "--table", "problems", "--site", "shandong")
    assert problems.returncode == 0 and "exported 46 problems row(s)" in problems.stderr
    laishan = list(csv.DictReader(io.StringIO(problems.stdout)))
    assert (laishan[0]["outline"], laishan[0]["problem"], laishan[0]["site_id"]) == ("二/(一)/1/(1)", "中心区位优势发挥不足", "shandong")
    assert [int(r["ordinal"]) for r in laishan] == list(range(46))
    figures = rectify(env, "export", "--table", "figures", "--format", "jsonl", "--site", "shandong").stdout
    facts = {(f["kind"], f["value"]) for f in map(json.loads, figures.splitlines())}
    assert {("problems_raised", 52.0), ("problems_rectified", 37.0), ("completion_rate", 71.2)} <= facts


def test_export_writes_parquet(worker, env, db, tmp_path):
    import pyarrow.parquet as pq

    assert rectify(env, "crawl", "shandong").returncode == 0
    out = tmp_path / "notices.parquet"
    assert rectify(env, "export", "--format", "parquet", "--out", str(out)).returncode == 0
    table = pq.read_table(out)
    assert table.num_rows == 1 and table.column("problems_total").to_pylist() == [52]
    assert table.column("special_topics").to_pylist() == [[]]
    figures = tmp_path / "figures.parquet"
    assert rectify(env, "export", "--table", "figures", "--format", "parquet", "--out", str(figures)).returncode == 0
    values = pq.read_table(figures).to_pylist()
    assert {"kind": "problems_raised", "value": 52.0} in [{"kind": v["kind"], "value": v["value"]} for v in values]
