#!/usr/bin/env bash
# Sets up gongkai, builds the sample site and serves it on http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/gongkai check
.venv/bin/gongkai build
echo "==> serving site/ at http://127.0.0.1:${PORT:-8000}/  (Ctrl+C to stop)"
exec .venv/bin/python -m http.server --bind 127.0.0.1 --directory site "${PORT:-8000}"
