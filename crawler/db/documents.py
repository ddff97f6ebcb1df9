"""The parsed document between the parse and the store step, passed by id (raw.documents).

The parse step writes the document under the id of the store item it queues, in the transaction that
queues that item and completes the parse item; the store step takes it by its own id in the transaction
that stores the notice. So a work item (and its Celery message) carries ids only, each step is one
transaction, and running a step twice changes nothing: a parse step that is lost before it commits wrote
nothing, a store step that rolls back leaves the document for its next attempt.

The document travels as UTF-8 JSON (the same JSON round trip the jsonb payload made) in a bytea column
stored as it comes: PostgreSQL neither builds jsonb from it nor compresses it, which was most of the
parse step's database work (9.6 → 2.4 ms of PostgreSQL CPU per step; compressing here with zlib level 1
would save space but cost the worker ~2.5 ms more than it saves PostgreSQL). It lives only until its
store step commits. orjson writes and reads the same JSON as the standard library, 4 × faster to write
(a notice's document is ~260 KB: 1.8 → 0.4 ms) and 1.6 × to read.
"""

from __future__ import annotations

from typing import Any

import orjson

from crawler.db.connect import q
from crawler.db.workqueue import Conn


def encode(doc: dict[str, Any]) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS)  # int keys become strings, as json.dumps does


def decode(body: bytes) -> dict[str, Any]:
    return orjson.loads(body)


def save(conn: Conn, item_id: int, doc: dict[str, Any]) -> None:
    """Keep `doc` for store item `item_id`. Call in the transaction that queues that item."""
    conn.execute(q("insert_document"), {"item_id": item_id, "body": encode(doc)})


def take(conn: Conn, item_id: int) -> dict[str, Any] | None:
    """The document of store item `item_id`, deleted when the calling transaction commits; None if there
    is none. Call in the transaction that stores it."""
    row = conn.execute(q("take_document"), {"item_id": item_id}, binary=True).fetchone()  # bytes, not hex text
    return decode(row["body"]) if row else None
