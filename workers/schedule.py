"""The beat schedule, built from the site definitions: a crawl and a deep crawl per site, plus the sweep
and the daily refresh of the corpus keywords."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from crawler.settings import Settings
from crawler.sites import load_sites


def cron(expression: str) -> crontab:
    """A five-field cron expression (minute hour day-of-month month day-of-week) as a Celery crontab."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"cron expression needs 5 fields, got {expression!r}")
    minute, hour, day_of_month, month, day_of_week = fields
    return crontab(minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month, day_of_week=day_of_week)


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {
        "sweep-expired-leases": {"task": "workers.tasks.sweep", "schedule": settings.sweep_seconds,
                                 "options": {"queue": "control"}},
    }
    if settings.keywords_refresh:
        schedule["refresh-corpus-keywords"] = {"task": "workers.tasks.refresh_keywords",
                                               "schedule": cron(settings.keywords_refresh),
                                               "options": {"queue": "control"}}
    for site in load_sites(settings.sites_dirs).values():
        if not site.enabled:
            continue
        for name, expression, full in ((f"crawl-{site.id}", site.schedule, False),
                                       (f"deep-crawl-{site.id}", site.full_schedule, True)):
            schedule[name] = {"task": "workers.tasks.scheduled_crawl", "schedule": cron(expression),
                              "args": (site.id, full), "options": {"queue": "control"}}
    return schedule
