"""Pagefind's runtime — its JavaScript and WebAssembly — as the installed binary writes it.

The preview serves the search of the last build from site/, and site/ may come from the repository (a
committed `site/pagefind/pagefind.js` ran at the preview's address, read the list of drafts and 不予公开
items, and sent it away). What runs there is taken from here instead: made by indexing one page into a
temporary folder, the same bytes every build's bundle holds (tested against a real build).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from .build import SHARED_FILES
from .pagefind_cli import PagefindError, run_pagefind

RUNTIME_SUFFIXES = frozenset((".js", ".pagefind"))  # what a browser runs: scripts and WebAssembly
_PAGE = '<!doctype html><html lang="zxx-x-runtime"><body><main data-pagefind-body><p>gongkai</p></main></body></html>'


def is_runtime(name: str) -> bool:
    return Path(name).suffix.lower() in RUNTIME_SUFFIXES


@functools.cache
def pagefind_runtime() -> dict[str, bytes]:
    """File name → bytes of the runtime files a build publishes (`SHARED_FILES`), as the installed Pagefind writes
    them; empty if it cannot run."""
    with tempfile.TemporaryDirectory(prefix="gongkai-pagefind-runtime-") as folder:
        site, output = Path(folder, "site"), Path(folder, "bundle")
        site.mkdir()
        (site / "index.html").write_text(_PAGE, encoding="utf-8")
        try:
            run_pagefind(site, output)
        except (PagefindError, OSError):
            return {}
        return {name: (output / name).read_bytes() for name in SHARED_FILES if (output / name).is_file()}
