"""One holder per host: a host's crawl work is fetched by one chain of turns, not by a crowd of items.

Every list or article item of a host waits in PostgreSQL (raw.work_items, due order). A host has at most
one live *chain*: a token in Redis (`chain:{host}`) and one Celery message carrying it. The message runs
one turn (claim the host's next due item, fetch it, write what it found) and sends the next message with
a countdown equal to what is left of the host's gap, so it arrives when the host's turn has come. A waiting
item costs nothing (no message, no bounce, no claim), and a request costs one claim, one fetch, one write.

A chain ends when its host has nothing due. Starting a chain is a no-op while one is alive, so whoever
queues crawl work may ask for one. The token fences duplicates: a message whose token is no longer the
host's (its chain expired and another was started) stops at once. A chain whose message is lost (a killed
worker, a Redis restart) expires after its TTL; the sweep then starts a new one for every host with work
due (`hosts_waiting`). Politeness itself stays with crawler/web/politeness.py: a chain only makes the
wait free, the turn is still taken there, shared by every worker and tool.
"""

from __future__ import annotations

import uuid

import redis

# Renew the TTL only while the token is still the host's.
KEEP = ("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) "
        "else return 0 end")
END = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class HostChains:
    def __init__(self, client: redis.Redis, *, prefix: str = "chain:") -> None:
        self.client = client
        self.prefix = prefix
        self._keep = client.register_script(KEEP)
        self._end = client.register_script(END)

    def start(self, host: str, ttl: float, *, force: bool = False) -> str | None:
        """A new chain for `host` (its token), or None when one is alive. `force`: in place of a live one,
        whose next message then stops at its token (a restarted worker lost its chains' messages)."""
        token = uuid.uuid4().hex
        ok = self.client.set(self.prefix + host, token, nx=not force, px=_ms(ttl))
        return token if ok else None

    def keep(self, host: str, token: str, ttl: float) -> bool:
        """Is `token` still the host's chain? If so it lives `ttl` seconds more."""
        return bool(self._keep(keys=[self.prefix + host], args=[token, _ms(ttl)]))

    def end(self, host: str, token: str) -> None:
        self._end(keys=[self.prefix + host], args=[token])

    def alive(self, host: str) -> bool:
        return bool(self.client.exists(self.prefix + host))


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
