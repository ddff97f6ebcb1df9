"""Republished copies are linked to the earliest stored notice within 3 bits as they are stored
(notice_copies, read through the notice_duplicates view), kept right when texts change, when two copies
are stored at once, and filled in for notices stored before the links were kept."""

from __future__ import annotations

import threading
from typing import Any

from crawler.db.connect import connect
from crawler.db.roles import apply_schema_as_owner
from crawler.db.store import store_notice
from crawler.text.parse import parse_text
from tests.conftest import PROJECT_ROOT

BASE = "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_{}.htm"


def _doc(simhash: int, name: str = "sd01") -> dict[str, Any]:
    doc = parse_text((PROJECT_ROOT / f"crawler/mirror/corpus/{name}.txt").read_text())
    simhash &= (1 << 64) - 1
    doc["simhash"] = simhash - (1 << 64) if simhash >= 1 << 63 else simhash  # stored as a signed bigint
    return doc


def _store(conn: Any, n: int, simhash: int, name: str = "sd01") -> str:
    with conn.transaction():
        return store_notice(conn, site_id="shandong", url=BASE.format(n), page_id=None, doc=_doc(simhash, name))


def _links(db: Any) -> set[tuple[str, str, int]]:
    return {(r["url"][-6:-4], r["canonical_url"][-6:-4], r["distance"])
            for r in db.execute("SELECT url, canonical_url, distance FROM notice_duplicates")}


H = 0x0123_4567_89AB_CDEF  # any 64-bit value; copies flip a few bits of it, in different bands


def test_a_copy_links_to_the_earliest_near_notice_and_a_far_one_to_none(db):
    _store(db, 10, H)
    _store(db, 11, H ^ 0b101)                    # 2 bits: a copy of 10
    _store(db, 12, H ^ (1 << 40) ^ (1 << 63))    # 2 bits from 10, 4 from 11: a copy of 10 (the earliest)
    _store(db, 13, H ^ 0b1111)                   # 4 bits from 10: not a copy of 10, 2 bits from 11
    _store(db, 14, ~H)                           # far from all
    assert _links(db) == {("11", "10", 2), ("12", "10", 2), ("13", "11", 2)}
    _store(db, 15, H | (1 << 63))                # the sign bit: stored as a negative bigint
    assert ("15", "10", 1) in _links(db)


def test_storing_again_changes_nothing_and_a_changed_text_moves_its_links(db):
    _store(db, 10, H)
    _store(db, 11, H ^ 0b11)
    _store(db, 12, H ^ 0b110)                    # a copy of 10 (2 bits) and of 11 (2 bits): 10 is earlier
    before = _links(db)
    assert before == {("11", "10", 2), ("12", "10", 2)}
    _store(db, 11, H ^ 0b11)                     # the same again
    assert _links(db) == before
    _store(db, 10, ~H, name="ln01")              # 10's text changes to something far away
    assert _links(db) == {("12", "11", 2)}       # 11 is now the earliest near 12; 11 itself copies nothing
    _store(db, 10, H, name="sd01")               # and back: 10 is the earliest again
    assert _links(db) == before


def test_two_copies_stored_at_once_are_linked_whichever_commits_first(db, admin_url):
    # The notice whose transaction starts first is the earlier one (first_seen_at), even if it commits second.
    with connect(admin_url) as first, connect(admin_url) as second:
        first.execute("SELECT now()")  # the first transaction begins (psycopg opens it implicitly)
        _store(second, 21, H ^ 0b1)    # the second stores and commits meanwhile
        store_notice(first, site_id="shandong", url=BASE.format(20), page_id=None, doc=_doc(H))
        first.commit()
    assert _links(db) == {("21", "20", 1)}


def test_a_store_waits_for_another_linking_and_then_sees_it(db, admin_url):
    done = threading.Event()
    with connect(admin_url) as first:
        store_notice(first, site_id="shandong", url=BASE.format(30), page_id=None, doc=_doc(H))  # not committed

        def second() -> None:
            with connect(admin_url) as conn:
                _store(conn, 31, H ^ 0b1)
            done.set()

        worker = threading.Thread(target=second)
        worker.start()
        assert not done.wait(1.0)  # held at the link table's lock until the first commits
        first.commit()
        worker.join(30)
    assert done.is_set() and _links(db) == {("31", "30", 1)}


def test_links_of_notices_stored_before_links_were_kept_are_filled_in(db):
    _store(db, 40, H)
    _store(db, 41, H ^ 0b1)
    _store(db, 42, H ^ (1 << 50))
    expected = _links(db)
    db.execute("DROP TABLE notice_copies CASCADE")  # the view goes with it; the upgrade makes both again
    with db.transaction():
        apply_schema_as_owner(db)
    assert _links(db) == expected == {("41", "40", 1), ("42", "40", 1)}
