#!/usr/bin/env bash
# Create .venv (if missing) and install the project into it (again whenever pyproject.toml changed).
# Sourced by ops/run and ops/test; needs only python3 (3.11+) on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "rectify needs Python 3.11 or newer as '$PY' (set PYTHON=...)" >&2
  exit 2
fi
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
STAMP="$ROOT/.venv/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)-${EXTRAS:-base}"
if [ ! -f "$STAMP" ]; then
  echo "installing rectify into .venv (log: .venv/pip.log) ..." >&2
  if ! { "$ROOT/.venv/bin/python" -m pip install --upgrade pip \
         && "$ROOT/.venv/bin/python" -m pip install -e "$ROOT${EXTRAS:+[$EXTRAS]}"; } > "$ROOT/.venv/pip.log" 2>&1; then
    tail -n 30 "$ROOT/.venv/pip.log" >&2
    echo "pip install failed; full log in .venv/pip.log" >&2
    exit 1
  fi
  rm -f "$ROOT"/.venv/.installed-*
  touch "$STAMP"
fi
# The test extras also want promtool and prometheus (Debian's package, unpacked into .venv/bin, no root).
case ",${EXTRAS:-}," in
  *,test,*) bash "$ROOT/ops/monitoring-tools.sh" "$ROOT/.venv" ;;
esac
