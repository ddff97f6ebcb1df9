"""Cross-field checks of a record: the `quality` list names what does not fit together."""

from __future__ import annotations

import datetime as dt

DATE_FIELDS = ("signed_on", "published_on", "inspection_start", "inspection_end", "feedback_on")
# Dates before this are misreadings: notices are published online from the 2000s on.
EARLIEST = dt.date(2000, 1, 1)


def as_date(value: str | None) -> dt.date | None:
    """ISO date of a value; page metadata may carry a time after the date ("2024-12-31 07:00")."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def quality_checks(rec: dict, today: dt.date | None = None) -> list[str]:
    """Names of failed cross-field checks; an empty list when the record is consistent."""
    latest = (today or dt.date.today()) + dt.timedelta(days=365)
    failed = []
    total, done = rec.get("problems_total"), rec.get("problems_done")
    if total is not None and done is not None and done > total:
        failed.append("problems_done>problems_total")
    for key in ("team", "round", "term", "problems_total"):
        if rec.get(key) is not None and rec[key] <= 0:
            failed.append(f"{key}<=0")
    dates = {k: as_date(rec.get(k)) for k in DATE_FIELDS}
    for key, d in dates.items():
        if d and not (EARLIEST <= d <= latest):
            failed.append(f"{key}_out_of_range")
    # The inspection is on site, then feeds back, then the notice is signed and published.
    order = [k for k in ("inspection_start", "inspection_end", "feedback_on") if dates[k]]
    for a, b in zip(order, order[1:], strict=False):
        if dates[a] > dates[b]:
            failed.append(f"{a}>{b}")
    for key in ("signed_on", "published_on"):
        if order and dates[key] and dates[order[-1]] > dates[key]:
            failed.append(f"{order[-1]}>{key}")
    return failed
