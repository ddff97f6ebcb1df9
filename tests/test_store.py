"""Storage is idempotent: a replay changes nothing; changed text makes a version; NUL bytes are dropped."""

from __future__ import annotations

from crawler.db.store import store_notice
from crawler.text.parse import parse_text
from tests.conftest import PROJECT_ROOT

URL = "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_1.htm"


def _doc(text: str | None = None) -> dict:
    return parse_text(text or (PROJECT_ROOT / "crawler/mirror/corpus/sd01.txt").read_text())


def _counts(db) -> tuple:  # noqa: ANN001
    return tuple(db.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"]
                 for t in ("notices", "notice_versions", "notice_sections", "notice_keywords", "notice_tags",
                           "notice_figures"))


def test_storing_the_same_document_twice_changes_nothing(db):
    doc = _doc()
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc) == "new"
    before = _counts(db), db.execute("SELECT updated_at FROM notices").fetchone()
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL + "?utm_source=x", page_id=None, doc=doc) == "unchanged"
    assert (_counts(db), db.execute("SELECT updated_at FROM notices").fetchone()) == before
    assert before[0][0] == 1 and before[0][2] > 5 and before[0][5] >= 1  # sd01 states 占比71.2%


def test_changed_text_is_a_new_version_of_the_same_notice(db):
    doc = _doc()
    with db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc)
    edited = _doc(doc["body_text"] + "\n以上为更新内容。")
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL, page_id=None, doc=edited) == "changed"
    row = db.execute("SELECT version, body_text FROM notices").fetchone()
    assert row["version"] == 2 and row["body_text"].endswith("以上为更新内容。")
    assert _counts(db)[:2] == (1, 2)


def test_nul_bytes_are_stripped(db):
    doc = _doc()
    doc["body_text"] = doc["body_text"].replace("根据", "根\x00据", 1)
    with db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc)
    assert "\x00" not in db.execute("SELECT body_text FROM notices").fetchone()["body_text"]
