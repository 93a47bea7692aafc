#!/usr/bin/env bash
# Sets up gongkai, builds the sample site and serves it on http://127.0.0.1:8000/
#   scripts/run.sh           build site/ (check → MkDocs → search index), then serve it as a static site
#   scripts/run.sh --live    the editors' preview instead (gongkai serve: every item from memory, with review banners and live reload)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
port=${PORT:-8000}
if [ "${1:-}" = "--live" ]; then
  exec .venv/bin/gongkai serve --dev-addr "127.0.0.1:$port"
fi
.venv/bin/gongkai build
echo "==> serving site/ at http://127.0.0.1:$port/  (Ctrl+C to stop)"
exec .venv/bin/python -m http.server --bind 127.0.0.1 --directory site "$port"
