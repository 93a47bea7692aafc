"""This machine's cache secret: 32 random bytes in the user's cache folder, never in the project.

Every cache key of the project's `.gongkai-cache/` (rendered bodies' views, pages, search shards)
and every entry of the verified-signature cache is bound to it, so a cache committed to the content
repository, or copied from another machine, can never be taken for this machine's own work: its keys
simply miss, and gongkai renders, checks and verifies again.

That holds only while nobody who commits can supply the secret too. The cache folder is the user's
(`XDG_CACHE_HOME`, else `~/.cache`), but a CI job may point it, or HOME, into the checkout to keep
caches between jobs: a `.cache/gongkai/signature-cache.key` committed there would then be the secret,
and a committed cache signed with it would be read as this machine's checked work (signatures
verified, items checked). So a secret is never taken from, or made in, the checkout gongkai runs in
(the git work tree around the current folder, or the current folder itself), nor read through a link.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .writer import write_whole


def _secret_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gongkai" / "signature-cache.key"


def _in_the_checkout(file: Path) -> bool:
    """Whether `file` lies in the git work tree around the current folder, or in the site around it (the
    nearest folder upwards with a mkdocs.yml); True when that cannot be told."""
    try:
        here = Path(os.path.realpath(Path.cwd()))
        where = Path(os.path.realpath(file.parent)) / file.name
    except OSError:
        return True
    for marker in (".git", "mkdocs.yml"):
        top = next((folder for folder in (here, *here.parents) if os.path.lexists(folder / marker)), None)
        if top is not None and where.is_relative_to(top):
            return True
    return False


def _read(file: Path) -> bytes:
    """Up to 33 bytes of `file`, never through a link or from a FIFO; b"" when it is not there."""
    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return b""
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read(33)


@cache
def machine_secret() -> bytes | None:
    """The secret, made on first use; None where it cannot be kept (then nothing is cached).

    Two processes making it at once each keep their own for this run; their entries then simply miss.
    """
    file = _secret_file()
    if _in_the_checkout(file):
        return None  # anyone who commits could supply it: nothing is cached
    try:
        data = _read(file)
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
