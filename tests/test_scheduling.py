"""Scheduling (reliability matrix B): two beats firing the same slot make one run."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.conftest import FIXTURES, PROJECT_ROOT, Worker, wait_until


def _beat(env: dict[str, str], schedule_file, log):  # noqa: ANN001, ANN202
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.app", "beat", "-s", str(schedule_file),
                             "--loglevel", "INFO"], env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)


def test_two_beats_firing_the_same_slot_make_one_run(env, db, settings, tmp_path):
    beat_env = {**env, "RECTIFY_BUILTIN_SITES": "0", "RECTIFY_SITES_DIRS": str(FIXTURES / "beat_sites"),
                "RECTIFY_SWEEP_SECONDS": "2", "RECTIFY_KEYWORDS_REFRESH": "* * * * *"}
    from crawler.db.store import store_notice, sync_sites
    from crawler.sites import load_sites
    from crawler.text.parse import parse_file

    sync_sites(db, load_sites([FIXTURES / "beat_sites"]))
    with db.transaction():  # a notice stored before the beat's keyword refresh fires
        store_notice(db, site_id="beatsite", url="http://beat.test/stored.html", page_id=None,
                     doc=parse_file(PROJECT_ROOT / "crawler" / "mirror" / "corpus" / "js01.txt"))
    stored = db.execute("SELECT notice_id FROM notices").fetchone()["notice_id"]
    at_store = db.execute("SELECT keyword, weight FROM notice_keywords WHERE notice_id = %s ORDER BY rank",
                          [stored]).fetchall()
    worker = Worker(beat_env, tmp_path / "w.log").start()
    logs = [open(tmp_path / f"beat{i}.log", "wb") for i in (1, 2)]  # noqa: SIM115 - closed below
    beats = [_beat(beat_env, tmp_path / f"schedule{i}", log) for i, log in enumerate(logs, 1)]
    try:
        wait_until(lambda: db.execute("SELECT count(*) AS n FROM crawl_runs WHERE trigger = 'schedule'").fetchone()["n"] > 0,
                   75, "no scheduled run within a minute")
        time.sleep(2)  # both beats have fired this slot by now
    finally:
        for beat in beats:
            beat.terminate()
            beat.wait(10)
        for log in logs:
            log.close()
    wait_until(lambda: db.execute("SELECT count(*) AS n FROM crawl_runs WHERE state = 'running'").fetchone()["n"] == 0,
               60, "the scheduled run never ended")
    worker.stop()
    sent = sum((tmp_path / f"beat{i}.log").read_text(errors="replace").count("Sending due task crawl-beatsite")
               for i in (1, 2))
    runs = db.execute("SELECT site_id, slot, state FROM crawl_runs WHERE trigger = 'schedule'").fetchall()
    assert sent >= 2, "both beats should have published the crawl"
    assert len(runs) == 1 and runs[0]["site_id"] == "beatsite" and runs[0]["state"] == "done", runs
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 2
    # the beat's daily keyword refresh (here every minute) ran as the worker login through the owner's function
    assert any("Sending due task refresh-corpus-keywords" in (tmp_path / f"beat{i}.log").read_text(errors="replace")
               for i in (1, 2))
    # ranked again with the collection: corpus_idf filled, the weights no longer the parse stage's
    wait_until(lambda: db.execute("SELECT count(*) AS n FROM corpus_idf").fetchone()["n"] > 0
               and db.execute("SELECT keyword, weight FROM notice_keywords WHERE notice_id = %s ORDER BY rank",
                              [stored]).fetchall() not in ([], at_store), 30, "keywords not refreshed")
