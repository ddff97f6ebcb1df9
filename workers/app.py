"""The Celery application: Redis transport, one queue per stage, settings for at-least-once work.

Celery only carries work-item ids; PostgreSQL holds the state (see crawler/db/workqueue.py). Hence
acks_late + prefetch 1 (a message is acked only after its work committed), no result backend, and
a visibility timeout longer than the hard time limit so Redis does not redeliver running work.
"""

from __future__ import annotations

from celery import Celery
from celery.signals import beat_init
from kombu import Queue

from crawler.settings import Settings
from workers.schedule import beat_schedule
from workers.watchdog import start_in_beat

QUEUES = ("crawl", "parse", "store", "control")


def make_app(settings: Settings) -> Celery:
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: start workers through `rectify up`, or set it")
    app = Celery("rectify", broker=settings.redis_url, include=["workers.tasks"])
    visibility = max(900, settings.time_limit * 3)
    app.conf.update(
        task_queues=[Queue(name) for name in QUEUES],
        task_default_queue="control",
        task_acks_late=True,
        task_reject_on_worker_lost=True,  # a killed child's message is redelivered; PG attempts bound it
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_soft_time_limit=settings.soft_time_limit,
        task_time_limit=settings.time_limit,
        # A stalled Redis must not hang a publisher: time out, retry briefly, then give up loudly (the item
        # stays queued in PostgreSQL and the sweep publishes it again).
        broker_transport_options={"visibility_timeout": visibility, "socket_timeout": 5, "socket_connect_timeout": 5},
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 1, "interval_max": 2},
        broker_connection_retry_on_startup=True,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_hijack_root_logger=False,
        timezone="Asia/Shanghai",  # site schedules are written in the sites' own time
        beat_schedule=beat_schedule(settings),
    )
    return app


app = make_app(Settings.from_env())
beat_init.connect(start_in_beat, weak=False)  # the analysts' limits, enforced from beat's process
