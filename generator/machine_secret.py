"""This machine's cache secret: 32 random bytes in the user's cache folder, never in the project.

Every cache key of the project's `.gongkai-cache/` (rendered bodies' views, pages, search shards)
and every entry of the verified-signature cache is bound to it, so a cache committed to the content
repository, or copied from another machine, can never be taken for this machine's own work: its keys
simply miss, and gongkai renders, checks and verifies again.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .writer import write_whole


def _secret_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gongkai" / "signature-cache.key"


@cache
def machine_secret() -> bytes | None:
    """The secret, made on first use; None where it cannot be kept (then nothing is cached).

    Two processes making it at once each keep their own for this run; their entries then simply miss.
    """
    file = _secret_file()
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError:
        return None
    if len(data) == 32:
        return data
    data = os.urandom(32)
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_whole(file, data, mode=0o600)
    except OSError:
        return None
    return data
