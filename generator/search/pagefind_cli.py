"""Run the Pagefind binary (from the `pagefind[bin]` PyPI package) on a directory of records."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import memory_budget

# Pagefind packs the index into chunks of ≈20,000 word positions and a browser downloads a
# whole chunk for each word of a query. Bigram words have long posting lists, so small chunks
# cut the bytes per query about four-fold. The setting is undocumented ("unstable"): should a
# later Pagefind ignore it, search works the same with larger downloads.
INDEX_CHUNK_SIZE = 4000


class PagefindError(RuntimeError):
    pass


@dataclass(frozen=True)
class PagefindRun:
    peak_rss_bytes: int  # 0 where the platform cannot tell


@functools.cache
def pagefind_binary() -> str:
    """The binary `python -m pagefind` would run, found once: started directly, a shard's run spares starting a
    Python interpreter (≈ 0.1 s) to find it each time. Found where the `pagefind` package looks (its
    `service.get_executable`: PAGEFIND_BINARY_PATH, the extended binary's package, the binary's package, the PATH)
    without importing that module, which imports asyncio first (≈ 0.05 s of a rebuild's index before Pagefind starts)."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    found = Path(override) if override else _packaged_binary()
    if found is None:
        raise PagefindError("找不到 Pagefind 程序：请运行 scripts/setup.sh 重新安装依赖")
    return str(found.resolve().absolute())


def _packaged_binary() -> Path | None:
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        if importlib.util.find_spec(package) is not None:
            return Path(importlib.import_module(package).get_executable())
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


def run_pagefind(site: Path, output: Path, meanwhile: Callable[[], object] | None = None) -> PagefindRun:
    """Index every HTML file under `site` into the bundle directory `output`; `meanwhile` is called
    while Pagefind runs (should it raise, Pagefind is stopped).

    Runs in an empty working directory so that no stray pagefind.yml/json/toml is picked up.
    """
    with tempfile.TemporaryDirectory(prefix="gongkai-pagefind-cwd-") as cwd, tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [pagefind_binary(), "--site", str(site.resolve()), "--output-path", str(output.resolve()), "--quiet"],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)},
        )
        memory_budget.release(proc.pid)  # started by the index's thread while a page's template renders
        peak = 0
        if meanwhile is not None:
            try:
                meanwhile()
            except BaseException:
                proc.kill()
                proc.wait()
                raise
        if hasattr(os, "wait4"):
            # This child's own peak memory.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # Windows: no per-child rusage
            proc.wait()
        if proc.returncode != 0:
            log.seek(0)
            tail = log.read()[-4000:].decode("utf-8", "replace")
            raise PagefindError(f"pagefind exited with {proc.returncode}:\n{tail}")
    return PagefindRun(peak_rss_bytes=peak)
