#!/usr/bin/env bash
# promtool and prometheus for the monitoring tests (tests/test_monitoring.py), into .venv/bin, without root:
# `apt-get download` fetches Debian's `prometheus` package as any user and `dpkg-deb -x` unpacks it in a
# temp folder; nothing is installed system-wide and no service is started. Sourced by ops/bootstrap.sh for
# the test extras; never fails the set-up: where it cannot fetch (no apt, no package lists and no root to
# run `apt-get update`), it says so and those tests skip, naming this script.
# Usage: ops/monitoring-tools.sh [VENV]   (default: .venv beside ops/)
set -uo pipefail
VENV="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv}"
if [ -x "$VENV/bin/promtool" ] && [ -x "$VENV/bin/prometheus" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "monitoring tools: no apt-get/dpkg-deb here; install promtool (Debian: prometheus) on PATH, or the rule tests skip" >&2
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fetch() { (cd "$work" && apt-get download -q prometheus) >>"$VENV/tools.log" 2>&1; }
if ! fetch; then
  if [ "$(id -u)" = 0 ]; then  # a new machine may have no package lists yet
    apt-get update -qq >>"$VENV/tools.log" 2>&1
    fetch
  fi
fi
deb="$(ls "$work"/prometheus_*.deb 2>/dev/null | head -n 1)"
if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$work/x" >>"$VENV/tools.log" 2>&1; then
  echo "monitoring tools: could not fetch Debian's prometheus package (log: $VENV/tools.log); the rule tests skip" >&2
  exit 0
fi
install -m 0755 "$work/x/usr/bin/promtool" "$work/x/usr/bin/prometheus" "$VENV/bin/"
echo "monitoring tools: $("$VENV/bin/promtool" --version 2>&1 | head -n 1) in $VENV/bin" >&2
