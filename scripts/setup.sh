#!/usr/bin/env bash
# Sets up everything gongkai needs on a fresh Debian machine; safe to run again (it skips what is done).
#   scripts/setup.sh          Python environment (.venv) with gongkai installed
#   scripts/setup.sh --test   also the test tools: Debian chromium + CJK fonts, axe-core from npm
#   scripts/setup.sh --bench  what scripts/bench.py needs: the test tools (its search phase drives Chromium with
#                             Playwright) and what it compares against besides MkDocs and Pagefind: Debian hugo
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_bench=0
[ "${1:-}" = "--test" ] && want_test=1
[ "${1:-}" = "--bench" ] && want_bench=1 && want_test=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "gongkai needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2
  exit 1
fi

# Reinstall only when the dependency list or the set of modules changed since the last set-up:
# the strict editable install links each module of generator/ into build/ as the package `gongkai`.
stamp=.venv/.gongkai-installed
extras=$([ $want_test -eq 1 ] && echo "[test]" || echo "")
modules=$(cd generator && find . -type f ! -path '*/__pycache__/*' | LC_ALL=C sort | sha256sum | cut -d' ' -f1)
fingerprint="$(sha256sum pyproject.toml | cut -d' ' -f1)-$modules$extras"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$python" -m venv .venv
fi
if [ ! -f "$stamp" ] || ! grep -qxF "$fingerprint" "$stamp"; then
  echo "==> installing gongkai$extras into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # setuptools announces every editable install with a notice; it is expected here, not a problem.
  PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install --quiet --config-settings editable_mode=strict -e ".$extras"
  echo "$fingerprint" >> "$stamp"
fi
# gongkai's modules as bytecode, as installing a wheel leaves them: pip compiles no editable install, and where
# PYTHONDONTWRITEBYTECODE is set (CI machines) every command compiled ≈ 200 modules again (≈ 0.2 s a start).
# Checked against each module's source when imported: an edited module is compiled afresh, never run stale.
.venv/bin/python -m compileall -q --invalidation-mode checked-hash \
  "$(.venv/bin/python -c 'import gongkai, os; print(os.path.dirname(gongkai.__file__))')" >/dev/null

if [ $want_test -eq 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ -f package-lock.json ] && [ ! -f node_modules/.package-lock.json -o package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> installing npm test packages"
    npm ci --no-audit --no-fund --silent
  fi
fi

if [ $want_bench -eq 1 ] && ! command -v hugo >/dev/null; then
  echo "==> installing Debian package: hugo"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends hugo >/dev/null
fi
