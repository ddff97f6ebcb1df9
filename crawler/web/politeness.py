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

import redis


# Delete the lock only if we still own it (it may have expired and been taken by another worker).
class HostBusy(Exception):
    """The host is held or backed off for longer than the caller is willing to wait."""

    def __init__(self, message: str, retry_in: float = 0.2) -> None:
        super().__init__(message)
        self.retry_in = retry_in  # seconds after which the host is likely free again


RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class HostThrottle:
    def __init__(self, client: redis.Redis, *, prefix: str = "polite:", lock_prefix: str = "conn:") -> None:
        self.client = client
        self.prefix = prefix
        self.lock_prefix = lock_prefix
        self._release = client.register_script(RELEASE)

    @contextmanager
    def turn(self, host: str, min_interval: float, *, max_wait: float = 300.0,
             hold_seconds: float = 120.0) -> Iterator[float]:
        """Hold `host` for one request: wait for its connection slot and its gap; yields seconds waited."""
        token = uuid.uuid4().hex
        started = time.monotonic()
        lock = self.lock_prefix + host
        while not self.client.set(lock, token, nx=True, px=max(1, int(hold_seconds * 1000))):
            self._give_up_after(started, max_wait, host)
            time.sleep(0.01)
        taken = False
        try:
            self.wait_turn(host, min_interval, max_wait=max(0.0, max_wait - (time.monotonic() - started)))
            taken = True
            yield time.monotonic() - started
        finally:
            # The gap runs again from the end of this request, so requests *arrive* at least the gap apart
            # (a gap counted from when the slot was claimed lets two arrivals come closer than that).
            # Only a turn that was taken re-arms it: an attempt handed back (HostBusy) made no request, and
            # re-arming there pushed the host's next free moment a full gap further on every bounce, so a
            # host with several waiting items could starve for good.
            if taken and min_interval > 0 and not self._pushed_back(host, min_interval):
                self.client.set(self.prefix + host, "1", px=max(1, int(min_interval * 1000)))
            self._release(keys=[lock], args=[token])

    def _pushed_back(self, host: str, min_interval: float) -> bool:
        """A Retry-After or WAF back-off set during the request must not be shortened to the plain gap."""
        return self.client.pttl(self.prefix + host) > min_interval * 1000

    def wait_turn(self, host: str, min_interval: float, *, max_wait: float = 300.0) -> float:
        """Block until the gap since the last request to `host` has passed, and claim the next gap."""
        key = self.prefix + host
        ttl_ms = max(1, int(min_interval * 1000))
        started = time.monotonic()
        if min_interval <= 0:
            remaining = self.client.pttl(key)  # a push_back still applies with no gap configured
            if remaining > max_wait * 1000:
                raise HostBusy(f"{host} is backed off for {remaining / 1000:.1f}s more", retry_in=remaining / 1000)
            if remaining > 0:
                time.sleep(remaining / 1000)
            return time.monotonic() - started
        while not self.client.set(key, "1", nx=True, px=ttl_ms):
            remaining = self.client.pttl(key)
            if remaining > (max_wait - (time.monotonic() - started)) * 1000:
                raise HostBusy(f"{host} is backed off for {remaining / 1000:.1f}s more", retry_in=remaining / 1000)
            time.sleep(max(remaining, 5) / 1000 if remaining > 0 else 0.005)
        return time.monotonic() - started

    def push_back(self, host: str, seconds: float) -> None:
        """Keep every worker off `host` for `seconds` (a 429/503 Retry-After or a WAF applies to all of them)."""
        if seconds > 0:
            self.client.set(self.prefix + host, "1", px=int(seconds * 1000))

    @staticmethod
    def _give_up_after(started: float, max_wait: float, host: str) -> None:
        if time.monotonic() - started > max_wait:
            raise HostBusy(f"waited {max_wait:.1f}s for a connection slot on {host}", retry_in=0.2)
