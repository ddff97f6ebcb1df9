"""Storage stage: one parsed notice document → normalised rows, in one transaction.

Keyed by canonical URL; the content hash decides between new, changed (a new version), unchanged,
and reparsed (same text, newer parser). Replaying the same document changes nothing.
Takedowns: a notice whose page is gone is marked withdrawn (never deleted) and restored when it is back,
each with an event row in notice_versions.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from psycopg.types.json import Jsonb

from crawler.db.connect import fetch_one, q
from crawler.db.workqueue import Conn
from crawler.urls import url_key

RECORD_COLUMNS = ("title", "issuer", "signed_on", "published_on", "inspection_kind", "inspecting_body", "term",
                  "round", "team", "inspection_start", "inspection_end", "feedback_on", "special_topics",
                  "problems_total", "problems_done", "contact_phone", "contact_email", "quality")


def strip_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; pages sometimes contain it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_nul(v) for k, v in value.items()}
    return value


def notice_params(site_id: str, url: str, page_id: int | None, doc: dict[str, Any]) -> dict[str, Any]:
    record = doc["record"]
    params = {col: record.get(col) for col in RECORD_COLUMNS}
    params["special_topics"] = record.get("special_topics") or []
    params["quality"] = record.get("quality") or []
    params["evidence"] = Jsonb(strip_nul(record.get("evidence") or {}))
    params.update(site_id=site_id, url=url, url_key=url_key(url), page_id=page_id, source=doc.get("source"),
                  body_text=doc["body_text"], content_sha256=doc["content_sha256"],
                  parser_version=doc["parser_version"],
                  # the search columns: the full-text vectors of these texts, and the SimHash
                  search_text=doc.get("search_text", ""),
                  search_head=" ".join([doc.get("search_head", ""), *(k["keyword"] for k in doc["keywords"])]),
                  simhash=doc.get("simhash"), keyword_terms=Jsonb(doc.get("keyword_terms") or {}))
    return strip_nul(params)


def store_notice(conn: Conn, *, site_id: str, url: str, page_id: int | None, doc: dict[str, Any]) -> str:
    """Write the notice; returns new, changed, unchanged or reparsed. Call inside a transaction (a failure
    raises, and rolling that transaction back undoes everything written here).

    Statements that need no answer go out in pipeline mode, without waiting for each other: a new notice
    is one INSERT awaited for its id, then its first version and one INSERT per child table."""
    params = notice_params(site_id, url, page_id, doc)
    with conn.pipeline():
        inserted = fetch_one(conn, "insert_notice", params)
        if inserted:
            _write_version(conn, inserted["notice_id"], 1, params, doc)
            _write_children(conn, inserted["notice_id"], doc, fresh=True)
            _relink_copies(conn, inserted["notice_id"])
            return "new"
        current = fetch_one(conn, "lock_notice", params)  # row lock: concurrent stores of one notice queue here
        notice_id = current["notice_id"]
        if current["content_sha256"] == params["content_sha256"]:
            if current["parser_version"] == params["parser_version"] and current["page_id"] == page_id:
                return "unchanged"
            params.update(notice_id=notice_id, version=current["version"])
            conn.execute(q("update_notice"), params)
            _write_version(conn, notice_id, current["version"], params, doc)
            _write_children(conn, notice_id, doc)
            _relink_copies(conn, notice_id)
            return "reparsed" if current["parser_version"] != params["parser_version"] else "unchanged"
        known = fetch_one(conn, "version_of_content", {"notice_id": notice_id,
                                                       "content_sha256": params["content_sha256"]})
        version = known["version"] if known else fetch_one(conn, "next_version", {"notice_id": notice_id})["version"]
        params.update(notice_id=notice_id, version=version)
        conn.execute(q("update_notice"), params)
        _write_version(conn, notice_id, version, params, doc)
        _write_children(conn, notice_id, doc)
        _relink_copies(conn, notice_id)
        return "changed"


def _relink_copies(conn: Conn, notice_id: int) -> None:
    """Last in the store's transaction: the copy links take a table lock held until commit (schema.sql)."""
    conn.execute(q("relink_copies"), {"notice_id": notice_id})


def withdraw_notice(conn: Conn, *, url: str, http_status: int | None, answer: str) -> bool | None:
    """A known notice's page is gone (404, 410, soft 404): mark the notice withdrawn and write a withdrawn
    event, once. True when marked now, False when it already was, None when no notice has this URL.
    Nothing is deleted. Call inside a transaction."""
    key = url_key(url)
    if not fetch_one(conn, "known_notice", {"url_key": key}):
        return None
    marked = fetch_one(conn, "withdraw_notice", {"url_key": key})
    if marked:
        _write_event(conn, marked, "withdrawn", page_id=None, http_status=http_status, answer=answer)
    return bool(marked)


def restore_notice(conn: Conn, *, url: str, page_id: int, http_status: int | None, answer: str,
                   same_page: bool = False) -> bool:
    """The page of a withdrawn notice answers again with the notice: clear withdrawn_at and write a restored
    event. `same_page`: only if the notice was parsed from `page_id` (a 304 or an identical body says the
    page is what it was, which must have been the notice). True when restored; False (and nothing written)
    when the notice was not withdrawn. Call inside a transaction."""
    restored = fetch_one(conn, "restore_notice", {"url_key": url_key(url), "page_id": page_id,
                                                  "same_page": same_page})
    if restored:
        _write_event(conn, restored, "restored", page_id=page_id, http_status=http_status, answer=answer)
    return bool(restored)


def _write_event(conn: Conn, notice: dict[str, Any], event: str, *, page_id: int | None, http_status: int | None,
                 answer: str) -> None:
    conn.execute(q("insert_event"), {"notice_id": notice["notice_id"], "event": event, "title": notice["title"],
                                     "page_id": page_id, "http_status": http_status, "answer": answer})


def diff_summary(before: str, after: str) -> str:
    """What changed between two versions of a notice's text, in one line."""
    old, new = before.splitlines(), after.splitlines()
    diff = [d for d in difflib.ndiff(old, new) if d[:2] in ("+ ", "- ")]
    added, removed = sum(d.startswith("+ ") for d in diff), sum(d.startswith("- ") for d in diff)
    first = next((d for d in diff), "")
    where = f"; first change: {first[:2]}{first[2:82]}" if first else ""
    return f"{added} line(s) added, {removed} removed{where}"


def _write_version(conn: Conn, notice_id: int, version: int, params: dict[str, Any], doc: dict[str, Any]) -> None:
    # version 1 has no earlier version to differ from: no need to ask
    previous = fetch_one(conn, "previous_version_text", {"notice_id": notice_id, "version": version}) \
        if version > 1 else None
    conn.execute(q("upsert_version"), {
        "diff_summary": diff_summary(previous["body_text"], params["body_text"]) if previous else None,
        "notice_id": notice_id, "version": version, "content_sha256": params["content_sha256"],
        "title": params["title"], "body_text": params["body_text"], "record": Jsonb(strip_nul(doc["record"])),
        "page_id": params["page_id"]})


def numeric_text(value: Any) -> str | None:
    """A number as PostgreSQL stores it in a numeric column when given as a single parameter: a float goes
    through float8 to numeric, which keeps 15 significant digits (float8_numeric); an int is exact."""
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return f"{value:.15g}"  # NaN gives 'nan', which numeric reads as NaN
    return None if value is None else str(value)


def child_rows(notice_id: int, doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(query, parameters) of each child table that has rows: the notice id and one list per column."""
    def columns(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, Any]:
        return {name: [row[name] for row in rows] for name in names}

    sections, keywords, tags = strip_nul(doc["sections"]), doc["keywords"], doc["tags"]
    problems, figures = strip_nul(doc.get("problems", [])), strip_nul(doc.get("figures", []))
    tables = [
        ("insert_sections", sections, columns(sections, ("ordinal", "parent", "level", "path", "marker", "number",
                                                         "heading", "body"))),
        ("insert_keywords", keywords, {"rank": list(range(1, len(keywords) + 1)),
                                       "keyword": [k["keyword"] for k in keywords],
                                       "weight": [None if k["weight"] is None else float(k["weight"])
                                                  for k in keywords]}),
        ("insert_tags", tags, {"tag": [t["id"] for t in tags], "label": [t["label"] for t in tags],
                               "hits": [t["hits"] for t in tags], "rank": [t.get("rank") for t in tags],
                               "share": [t.get("share") for t in tags],
                               "special": [bool(t.get("special", False)) for t in tags]}),
        ("insert_problems", problems, {**columns(problems, ("ordinal", "section", "path", "outline", "marker", "kind",
                                                            "part", "problem", "aspect", "measures", "status")),
                                       "topic": [p.get("topic") for p in problems],
                                       "topic_score": [p.get("topic_score") for p in problems]}),
        ("insert_figures", figures, {"ordinal": list(range(len(figures))), **columns(figures, ("kind", "unit", "text",
                                                                                              "sentence")),
                                     "value": [numeric_text(f["value"]) for f in figures]}),
    ]
    return [(name, {"notice_id": notice_id, **params}) for name, rows, params in tables if rows]


def _write_children(conn: Conn, notice_id: int, doc: dict[str, Any], *, fresh: bool = False) -> None:
    """Sections, keywords, tags, problems and figures are replaced wholesale: they describe the current
    version. One INSERT per table (a notice has ~160 sections)."""
    rows = child_rows(notice_id, doc)
    for name in () if fresh else ("delete_sections", "delete_keywords", "delete_tags", "delete_figures",
                                  "delete_problems"):  # a notice inserted just now has no children yet
        conn.execute(q(name), {"notice_id": notice_id})
    for name, params in rows:
        conn.execute(q(name), params)


def sync_sites(conn: Conn, sites: dict[str, Any]) -> None:
    """Mirror the site definition files into the sites table (the files are the source of truth)."""
    with conn.transaction():
        for site in sites.values():
            conn.execute(q("upsert_site"), {
                "site_id": site.id, "name": site.name, "province": site.province, "level": site.level,
                "home_url": site.home_url, "enabled": site.enabled, "confidence": site.confidence,
                "disabled_reason": site.disabled_reason, "definition": Jsonb(site.raw)})
