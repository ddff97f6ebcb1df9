"""One rate limit per host, shared by every worker process, kept in Redis.

A request to a host may start only when it owns the key `polite:{host}`, which expires after the
host's minimum interval. `SET NX PX` makes the claim atomic across workers and machines, so N
workers together never exceed the site's rate, and different hosts never wait for each other.
"""

from __future__ import annotations

import time

import redis


class HostThrottle:
    def __init__(self, client: redis.Redis, *, prefix: str = "polite:") -> None:
        self.client = client
        self.prefix = prefix

    def wait_turn(self, host: str, min_interval: float, *, max_wait: float = 300.0) -> float:
        """Block until this process may send the next request to `host`; returns seconds waited."""
        if min_interval <= 0:
            return 0.0
        key = self.prefix + host
        ttl_ms = max(1, int(min_interval * 1000))
        started = time.monotonic()
        while not self.client.set(key, "1", nx=True, px=ttl_ms):
            waited = time.monotonic() - started
            if waited > max_wait:
                raise TimeoutError(f"waited {waited:.0f}s for a turn on {host}")
            remaining = self.client.pttl(key)
            time.sleep(max(remaining, 5) / 1000 if remaining > 0 else 0.005)
        return time.monotonic() - started

    def push_back(self, host: str, seconds: float) -> None:
        """Keep every worker off `host` for `seconds` (a 429/503 Retry-After applies to all of them)."""
        if seconds > 0:
            self.client.set(self.prefix + host, "1", px=int(seconds * 1000))
