"""Compiled templates kept from one build to the next (Jinja's bytecode cache): compiling Material's templates
and ours took ≈ 0.2 s of every build, a twentieth of a one-item rebuild at 10,000 items.

What is kept is Python code the build runs, so an entry is read only under an HMAC whose key comes from the
build's fingerprint (cache_store.code_fingerprint: gongkai's code, the theme folder, mkdocs.yml, the libraries'
versions and this machine's secret): a `.gongkai-cache/` committed with the content, or copied from another
machine, plants nothing. Jinja still reads every template's source through the sandbox's loader (links, files
the scans do not read and edits since the check are refused there) and runs an entry only for the very source
it was compiled from (its checksum).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import sqlite3
from collections import OrderedDict
from pathlib import Path

import jinja2

from .cache_store import MAC_BYTES, CacheDatabase

TEMPLATES_FILE = "templates.sqlite"  # in .gongkai-cache/
TABLE = "templates (key TEXT PRIMARY KEY, code BLOB NOT NULL)"  # an HMAC, then Jinja's bytes
# Templates this process compiled or read, by key, the most recent last: the preview's rebuilds read none from the
# disk, and a project's first build compiles only what no build of this process compiled (Material's templates are the
# same file for every project; a key holds its file's path). Bounded in bytes, not in templates: each edit of a template
# adds one, and a template may be large; a build of the fixture site keeps 38 in ≈ 0.3 MB.
KEPT_BYTES = 32 << 20
_kept: OrderedDict[str, bytes] = OrderedDict()
_kept_bytes = 0
# (database, key) of the templates this process knows a database holds: one taken from memory is still written to a
# database that lacks it, for the next process; once per database, not at every rebuild.
_stored: set[tuple[str, str]] = set()


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates in `file` (a cache database), sealed with a key made from `fingerprint`."""

    def __init__(self, file: Path, fingerprint: str) -> None:
        self._database = CacheDatabase(file, TABLE)
        self._file = str(file)
        self._seal = hashlib.sha256(f"{fingerprint}\0compiled-templates".encode()).digest()
        # What every key of this seal begins with: the rows of other seals (gongkai, the theme or mkdocs.yml changed
        # since) can never be read again, and go when this build keeps its first template.
        self._prefix = hashlib.sha256(self._seal).hexdigest()[:16] + ":"
        self._pruned = False

    def _key(self, bucket: jinja2.bccache.Bucket) -> str:
        # The environment's kind and options shape the code it compiles (the sandbox's calls go through it).
        environment = bucket.environment
        flavour = f"{type(environment).__qualname__}|{environment.autoescape}|{sorted(environment.extensions)}|{bucket.key}"
        return self._prefix + hmac.new(self._seal, flavour.encode(), "sha256").hexdigest()

    def _mac(self, key: str, data: bytes) -> bytes:
        return hmac.new(self._seal, key.encode() + b"\0" + data, "sha256").digest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = self._key(bucket)
        if key in _kept:
            _kept.move_to_end(key)
            bucket.bytecode_from_string(_kept[key])  # none if the source changed since: Jinja compares its checksum
            if (self._file, key) not in _stored:
                self._store(key, _kept[key], "INSERT OR IGNORE")
            return
        connection = self._database.connection()
        if connection is None:
            return
        with contextlib.suppress(sqlite3.Error):
            row = connection.execute("SELECT code FROM templates WHERE key = ?", (key,)).fetchone()
            if row is not None and isinstance(row[0], bytes):
                stored = row[0]
                if hmac.compare_digest(stored[:MAC_BYTES], self._mac(key, stored[MAC_BYTES:])):
                    bucket.bytecode_from_string(stored[MAC_BYTES:])
                    _keep(key, stored[MAC_BYTES:])
                    _stored.add((self._file, key))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = self._key(bucket)
        data = bucket.bytecode_to_string()
        _keep(key, data)
        self._store(key, data, "INSERT OR REPLACE")

    def _store(self, key: str, data: bytes, insert: str) -> None:
        connection = self._database.connection()
        if connection is None:
            return
        with contextlib.suppress(sqlite3.Error), connection:
            if not self._pruned:
                self._pruned = True
                connection.execute("DELETE FROM templates WHERE substr(key, 1, ?) != ?", (len(self._prefix), self._prefix))
            connection.execute(f"{insert} INTO templates (key, code) VALUES (?, ?)", (key, self._mac(key, data) + data))
            if len(_stored) > 8192:  # (database, key) pairs: a process that builds many projects (a test run)
                _stored.clear()
            _stored.add((self._file, key))

    def close(self) -> None:
        """Close this process's connection (at the end of a build: its one flush to the disk)."""
        self._database.close()


def _keep(key: str, data: bytes) -> None:
    global _kept_bytes
    _kept_bytes += len(data) - len(_kept.pop(key, b""))
    _kept[key] = data
    while _kept_bytes > KEPT_BYTES:
        _kept_bytes -= len(_kept.popitem(last=False)[1])
