"""Where gongkai keeps what it may reuse between runs: the project's `.gongkai-cache/` folder (never through a
link), its files read to a bound, its SQLite tables of one known shape each, and the fingerprint of everything that
shaped an entry (gongkai's code, the libraries' versions, this machine's secret), which every key starts from.

What is kept there: the build's pages and search (build_cache), the bodies' views (body_views), checked items
(item_cache), verified signatures (signature_cache) and compiled templates (template_cache).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sqlite3
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from importlib import metadata
from pathlib import Path

from .machine_secret import machine_secret

CACHE_DIR = ".gongkai-cache"
FORMAT = 2
MAC_BYTES = 32
PACKAGE_DIR = Path(__file__).resolve().parent
# Besides every requirement of gongkai's own distribution (the sanitiser, the readers of attachments, the
# YAML parser, the number checks …: a cached page, view or check is only as current as they are).
DISTRIBUTIONS = (
    "mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions", "pygments", "markupsafe", "pagefind",
    "pagefind-bin", "pagefind-bin-extended",
)


@functools.cache
def _versions() -> str:
    """The version of every library whose output a cache holds, of Python and of its Unicode tables."""
    try:
        required = metadata.requires("gongkai") or []
    except metadata.PackageNotFoundError:
        required = []
    names = {*DISTRIBUTIONS}
    for requirement in required:
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        if match and "extra ==" not in requirement:
            names.add(match[0].lower())
    found = [f"python={sys.version}", f"unicode={unicodedata.unidata_version}"]
    for name in sorted(names):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def _hash_tree(digest, folder: Path, pattern: str = "*") -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def package_digest() -> bytes:
    """gongkai's own code and templates as they are on disk now."""
    digest = hashlib.sha256()
    _hash_tree(digest, PACKAGE_DIR)
    return digest.digest()


# Read once a run (a check and a build ask ≈ 5 times): the code that runs is the code that was read.
_package_digest = functools.cache(package_digest)


def cache_folder(root: Path, *parts: str) -> Path | None:
    """`root/.gongkai-cache/<parts…>` when every folder of it that exists is a real folder (the rest is
    made, as real folders, by whoever writes there first); None (nothing is cached) when one is a
    symlink or not a folder. A content repository may hold anything, a committed `.gongkai-cache` link
    included: caches are written, pruned and swept only inside the project, never through a link."""
    folder = root
    for name in (CACHE_DIR, *parts):
        folder = folder / name
        try:
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                return None
        except OSError:
            return None
    return folder


def read_cache_file(path: Path, limit: int) -> bytes | None:
    """The bytes of a cache file if it is a regular file of at most `limit` bytes (not a link, a
    device or a FIFO: a committed page record linked to /dev/zero must not be read forever)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    info = os.fstat(descriptor)
    # Judged before Python wraps it: a folder committed under the name (which the site's path predicts) made that
    # wrapping raise, and every build stop at its start with an internal error, its site never updated again.
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(descriptor)
        return None
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read(limit + 1)[:limit]


DATABASE_TIMEOUT = 10.0  # seconds another process (the other half of a parallel check) may hold a cache database's lock


def open_cache_database(file: Path, table: str) -> sqlite3.Connection | None:
    """A cache database in write-ahead mode with its one `table` (an SQL column list), or None where it
    cannot be had: a link (sqlite would follow it anywhere), a file or folder that cannot be opened, or a
    database holding anything but that table and its key's index — a committed one with triggers, views
    or a table without its index would run SQL on our writes or scan the whole file on every lookup."""
    if file.is_symlink():
        return None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(file, timeout=DATABASE_TIMEOUT, isolation_level=None)
        connection.execute("PRAGMA trusted_schema=OFF")
        connection.execute("PRAGMA journal_mode=WAL")
        # No flush to the disk at every commit (≈ 0.2 s a build): in write-ahead mode a power cut can lose a cache's
        # last writes, never its consistency, and an entry lost only misses.
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"CREATE TABLE IF NOT EXISTS {table}")
        name = table.split(" ", 1)[0]
        schema = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        if sorted(schema) != [("index", f"sqlite_autoindex_{name}_1", None), ("table", name, f"CREATE TABLE {table}")]:
            connection.close()
            return None
        connection.isolation_level = "DEFERRED"
        return connection
    except (OSError, sqlite3.Error):
        return None


class CacheDatabase:
    """One connection to a cache database for this process, opened at its first use (None where none can be had,
    see `open_cache_database`) and kept: closing the last connection to a write-ahead database checkpoints and
    flushes it to the disk (≈ 10 ms), which a connection for each use paid for each write. A process forked with
    it open opens its own and leaves the parent's alone (SQLite's connections must not cross a fork)."""

    def __init__(self, file: Path | None, table: str) -> None:
        self._file, self._table = file, table
        self._connection: sqlite3.Connection | None = None
        self._opened = False
        self._pid = os.getpid()
        self._inherited: sqlite3.Connection | None = None  # the parent's, never used nor closed here

    def connection(self) -> sqlite3.Connection | None:
        if self._pid != os.getpid():
            self._inherited, self._connection, self._opened = self._connection, None, False
            self._pid = os.getpid()
        if not self._opened:
            self._opened = True
            self._connection = open_cache_database(self._file, self._table) if self._file is not None else None
        return self._connection

    def close(self) -> None:
        """Close the connection (before a fork, at the end of a run); the next use opens it again."""
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection, self._opened = None, False


LOOKUP = 500  # keys asked for in one query (older SQLite builds allow 999 parameters)


def rows_by_key(connection: sqlite3.Connection, table: str, columns: str, keys: Sequence[str]) -> Iterator[tuple]:
    """The rows (`columns`) of a cache `table` whose key is among `keys`, asked `LOOKUP` keys at a time."""
    for start in range(0, len(keys), LOOKUP):
        part = keys[start:start + LOOKUP]
        yield from connection.execute(f"SELECT {columns} FROM {table} WHERE key IN ({','.join('?' * len(part))})", part)


def code_fingerprint(*extra_files: Path, extra_dirs: Iterable[Path] = ()) -> str:
    """gongkai's own code and templates, the library versions, the given files and folders, and this
    machine's cache secret (a fresh random one, so nothing is reused, where none can be kept)."""
    digest = hashlib.sha256(f"gongkai-cache/{FORMAT}/{_versions()}".encode())
    # Keys nobody can compute from the repository: a committed cache never passes for this machine's.
    digest.update(machine_secret() or os.urandom(32))
    digest.update(_package_digest())
    for folder in extra_dirs:
        digest.update(f"dir:{folder.name}".encode())
        _hash_tree(digest, folder)
    for file in extra_files:
        digest.update(f"file:{file.name}".encode())
        digest.update(file.read_bytes() if file.is_file() else b"-")
    return digest.hexdigest()


def key_of(fingerprint: str, *parts: object) -> str:
    """A key for an object built from `parts` (plain data whose repr says all of it)."""
    digest = hashlib.sha256(fingerprint.encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
