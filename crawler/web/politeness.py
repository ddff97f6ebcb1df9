"""Politeness per host, shared by every worker process, kept in Redis.

Two rules, both enforced across all workers and machines: at most one request to a host at a time
(`conn:{host}`, a lock held until the response body is read), and a minimum gap between the starts of
two requests to a host (`polite:{host}`, a key that expires after the gap). Different hosts never wait
for each other. A lock left by a killed worker expires after `hold_seconds`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis


class HostBusy(Exception):
    """The host is held or backed off for longer than the caller is willing to wait."""

    def __init__(self, message: str, retry_in: float = 0.2) -> None:
        super().__init__(message)
        self.retry_in = retry_in  # seconds after which the host is likely free again


# At the end of a turn: make the gap last `ARGV[2]` ms more if it would end sooner (the request went out
# later than the turn was taken), then delete the lock if we still own it (it may have expired and been
# taken by another worker).
RELEASE = """
local extend = tonumber(ARGV[2])
if extend > 0 and redis.call('pttl', KEYS[2]) < extend then redis.call('set', KEYS[2], '1', 'PX', extend) end
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""

# One round trip per attempt at a turn: 0 when the turn is taken (the connection lock set, the gap started
# now, at the request's start); else the milliseconds left on the host's gap or back-off, or -1 when
# another request to the host is still in flight.
TAKE = """
local gap = redis.call('pttl', KEYS[2])
if gap > 0 then return gap end
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
if tonumber(ARGV[3]) > 0 then redis.call('set', KEYS[2], '1', 'PX', ARGV[3]) end
return 0
"""

# Added to every gap: a request *arrives* a few milliseconds after its turn is taken, and unevenly; without
# the margin two arrivals could come closer than the gap, and r + 1 requests fall in one 1 s window.
GAP_MARGIN = 0.01


@dataclass
class Turn:
    """A taken turn. The caller sets `sent_at` (time.monotonic()) when its request went out: the gap then
    runs from that moment if it is later than when the turn was taken (a thread kept off the CPU between
    the two would otherwise let two requests arrive closer than the gap)."""

    waited: float
    sent_at: float | None = None


class HostThrottle:
    def __init__(self, client: redis.Redis, *, prefix: str = "polite:", lock_prefix: str = "conn:") -> None:
        self.client = client
        self.prefix = prefix
        self.lock_prefix = lock_prefix
        self._release = client.register_script(RELEASE)
        self._take = client.register_script(TAKE)

    @contextmanager
    def turn(self, host: str, min_interval: float, *, max_wait: float = 300.0,
             hold_seconds: float = 120.0) -> Iterator[Turn]:
        """Hold `host` for one request: its connection slot, and the gap that starts now (the gap is
        counted from the start of a request, so the host sees at most one request per gap however long
        each takes). Yields the seconds waited; HostBusy when the turn is not free within `max_wait`.
        An attempt that does not get the turn changes nothing (handed back, it must not push the gap)."""
        token = uuid.uuid4().hex
        started = time.monotonic()
        lock = self.lock_prefix + host
        gap_ms = int((min_interval + GAP_MARGIN) * 1000) if min_interval > 0 else 0
        hold_ms = max(1, int(hold_seconds * 1000))
        while (left_ms := int(self._take(keys=[lock, self.prefix + host], args=[token, hold_ms, gap_ms]))) != 0:
            waited = time.monotonic() - started
            if left_ms > 0 and left_ms / 1000 > max_wait - waited:
                raise HostBusy(f"{host} is backed off for {left_ms / 1000:.2f}s more", retry_in=left_ms / 1000)
            if left_ms < 0 and waited > max_wait:
                raise HostBusy(f"waited {max_wait:.2f}s for a connection slot on {host}", retry_in=0.2)
            time.sleep(left_ms / 1000 if left_ms > 0 else 0.01)
        turn = Turn(time.monotonic() - started)
        try:
            yield turn
        finally:
            extend_ms = 0
            if turn.sent_at is not None and gap_ms:
                extend_ms = int(gap_ms - (time.monotonic() - turn.sent_at) * 1000)
            self._release(keys=[lock, self.prefix + host], args=[token, extend_ms])

    def free_in(self, host: str) -> float:
        """Seconds until the host's gap or back-off ends (0 when a request may start now)."""
        return max(0, self.client.pttl(self.prefix + host)) / 1000

    def push_back(self, host: str, seconds: float) -> None:
        """Keep every worker off `host` for `seconds` (a 429/503 Retry-After or a WAF applies to all of them)."""
        if seconds > 0:
            self.client.set(self.prefix + host, "1", px=int(seconds * 1000))
