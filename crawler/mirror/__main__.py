"""``python -m crawler.mirror [--port P] [--log FILE]``: serve every mirrored host until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading

from .layouts import HOSTS
from .server import MirrorServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.mirror", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--log", metavar="FILE", help="append one JSON line per request to FILE")
    parser.add_argument(
        "--slow-seconds", type=float, default=10.0, help="delay of faults.mirror.test/err/slow.html"
    )
    parser.add_argument("--huge-bytes", type=int, default=12 * 1024 * 1024, help="size of /err/huge.html")
    args = parser.parse_args(argv)

    server = MirrorServer(
        args.port, log_path=args.log, slow_seconds=args.slow_seconds, huge_bytes=args.huge_bytes
    )
    server.start()
    for host, info in HOSTS.items():
        print(f"  {host:22} {info['list_path']}", flush=True)
    # Printed last so a parent process can wait for exactly this line.
    print(f"mirror listening on {server.url}", flush=True)
    done = threading.Event()
    # SIGTERM (e.g. from a test harness) shuts down as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
