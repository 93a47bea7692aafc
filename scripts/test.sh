#!/usr/bin/env bash
# Sets up everything the tests need, then runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
echo "==> ruff"
.venv/bin/ruff check generator tests scripts
# mypy (≈ 12 s of one core from a fresh clone) runs beside the tests' first minute, when the workers start and
# Chromium is read from the disk and the cores are a third busy; its verdict is told, and counted, at the end.
mypy_log=$(mktemp)
.venv/bin/mypy > "$mypy_log" 2>&1 &
mypy_pid=$!
# Three workers on two cores: a third of a worker's time is spent waiting (Chromium, served pages, builds' child
# processes); measured 10 min 13 s with three against 11 min 21 s with two, and 80 % of both cores busy against 63 %.
# The tests write and read back thousands of small sites: on a memory file system (/dev/shm) when it has room, the
# suite spent a quarter less time waiting for the disk (tests/commands/test_build.py 139 s against 105 s). Folders
# of failed tests stay there for pytest's last three runs; the rest go as each test ends (pyproject.toml).
# /dev/shm is writable by every user: the folder is used only when it is this user's own, not a link planted there.
memory=/dev/shm/gongkai-tests-$(id -u)
if [[ -z "${TMPDIR:-}" ]] && [[ "$(stat -f -c %T /dev/shm 2>/dev/null)" == tmpfs ]] \
    && (( $(df --output=avail -k /dev/shm | tail -1) > 8 * 1024 * 1024 )) \
    && { [[ -e "$memory" || -L "$memory" ]] || mkdir -m 700 "$memory"; } \
    && [[ -d "$memory" && ! -L "$memory" && -O "$memory" ]]; then
  export TMPDIR=$memory
  echo "==> temporary folders in $TMPDIR"
fi
# Where PYTHONDONTWRITEBYTECODE is set (CI machines) pytest keeps no test module with its asserts rewritten: each worker
# rewrote and compiled all of them again, 24 s of CPU a worker to collect against 6 s with them kept in __pycache__.
# Kept against each file's time and size: an edited test is rewritten afresh, never run stale.
unset PYTHONDONTWRITEBYTECODE
# Chromium, the fonts and Playwright's driver read into the page cache in the background while the first tests run:
# read by each worker's first browser launch under the suite's load, page by page, a cold launch took 35 s to more than
# Playwright's 180 s (the browser tests then all failed); read whole, 450 MB take ≈ 8 s of the disk and no CPU to speak of.
find /usr/lib/chromium /usr/share/fonts .venv/lib/python3*/site-packages/playwright/driver -type f \
  -exec cat {} + >/dev/null 2>&1 &
status=0
.venv/bin/python -m pytest -n 3 --dist loadgroup "$@" || status=$?
echo "==> mypy"
if ! wait "$mypy_pid" && [[ $status -eq 0 ]]; then
  status=1
fi
cat "$mypy_log"
rm -f "$mypy_log"
exit "$status"
