"""Item files as read, and as judged by the checks that read only their own file, kept by content hash.

A warm `gongkai check` and a rebuild still read every item file's bytes, but for a file whose bytes
are unchanged the parsed document (front matter with the position of every key and value) and the
problems of reading it come from `.gongkai-cache/items.sqlite` instead of the YAML reader; and the
problems the LOCAL check families (`checks.LOCAL`) found in it come from there too while everything
else those families read is unchanged: the day, catalog.yml (roster, columns), lexicon.yml, the
Markdown options, the limits and the item's attachments (each resolved and hashed again). The rules
that look across items always run over the whole model, so the problems are exactly a cold check's.

Every key is a SHA-256 over this machine's secret (through `build_cache.code_fingerprint`, which also
covers gongkai's code and the library versions), and every stored value carries an HMAC, with the
same secret, of its key and its bytes: an entry is trusted only when this machine wrote it for these
exact inputs, before its bytes are parsed at all. Values are JSON, never pickled: a `.gongkai-cache`
committed to the content repository, or planted, can only miss. An unreadable cache costs the time of
reading again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .attachments import content_hash, resolve
from .build_cache import cache_folder, code_fingerprint, open_cache_database
from .content_files import read_limited
from .lexicon.entries import FILE_NAME as LEXICON_FILE
from .loading import Mark, SourceDocument, parse_document
from .machine_secret import machine_secret
from .problems import Problem

FILE = "items.sqlite"
FORMAT = b"gongkai-items/1"
BATCH = 1000  # new entries written in one transaction


class ItemCache:
    """Parsed item files and their LOCAL problems in `folder` (`.gongkai-cache/`), bound to `secret`."""

    def __init__(self, folder: Path, secret: bytes, code: str) -> None:
        self._file = folder / FILE
        self._secret = secret
        self._prefix = hashlib.sha256(FORMAT + b"\0" + secret + code.encode()).digest()
        self._connection: sqlite3.Connection | None = None
        self._opened = False
        self._pid = os.getpid()  # a connection is never used across a fork: the child opens its own
        self._inherited: sqlite3.Connection | None = None
        self._new: list[tuple[str, str, bytes]] = []  # (key, value, mac) to write at `flush`
        self.documents: dict[str, str] = {}  # item path → the key of the bytes it was read from
        self._problems: dict[str, list[Problem] | None] = {}  # LOCAL problems looked up this run, by key

    @classmethod
    def of(cls, root: Path) -> ItemCache | None:
        """The cache of the project at `root`; None where nothing can be kept (no secret, a linked cache folder)."""
        folder = cache_folder(root)
        secret = machine_secret()
        if folder is None or secret is None:
            return None
        return cls(folder, secret, code_fingerprint())

    def read_file(self, file: Path, rel: str, limit: int) -> tuple[SourceDocument | None, list[Problem]]:
        """`loading.read_document`, from the cache when the file's bytes were read before at `rel`."""
        data, problems = read_limited(file, rel, limit)
        if data is None:
            return None, problems
        return self.read(rel, data)

    def read(self, rel: str, data: bytes) -> tuple[SourceDocument | None, list[Problem]]:
        """`loading.parse_document(data, rel)`, from the cache when these bytes were read before at `rel`."""
        key = self._key(b"document", rel.encode("utf-8", "surrogatepass"), data)
        self.documents[rel] = key
        stored = self._get(key)
        if stored is not None:
            with contextlib.suppress(ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError):
                return _load_document(stored, data, rel)
        document, problems = parse_document(data, rel)
        self._put(key, _dump_document(document, problems))
        return document, problems

    def local_inputs(self, today: dt.date, content_dir: Path, markdown: str, limits: object, catalog_text: str | None,
                     item_limit: int) -> bytes:
        """What every item's LOCAL problems depend on besides its own file and attachments."""
        lexicon, refused = read_limited(content_dir / LEXICON_FILE, LEXICON_FILE, item_limit)
        parts = [today.isoformat(), str(content_dir), markdown, repr(limits), repr(catalog_text),
                 hashlib.sha256(lexicon).hexdigest() if lexicon is not None else repr(refused)]
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).digest()

    def local_key(self, inputs: bytes, document: SourceDocument, attachments_dir: Path, limit: int) -> str | None:
        """The key of a document's LOCAL problems (None: its bytes were not read through this cache)."""
        read_as = self.documents.get(document.path)
        if read_as is None:
            return None
        attached = []
        entries = document.meta.get("attachments")
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and "file" in entry:
                resolved = resolve(attachments_dir, entry["file"], limit)
                attached.append(f"{resolved!r}\0{content_hash(resolved)}")
        return self._key(b"local", inputs, read_as.encode(), "\0".join(attached).encode("utf-8", "surrogatepass"))

    def problems(self, key: str) -> list[Problem] | None:
        """The LOCAL problems kept under `key` (looked up once per run: `unjudged` counts, then the check takes)."""
        if key in self._problems:
            return self._problems[key]
        found = None
        stored = self._get(key)
        if stored is not None:
            with contextlib.suppress(ValueError, TypeError):
                found = _load_problems(json.loads(stored))
        self._problems[key] = found
        return found

    def keep_problems(self, key: str, problems: list[Problem]) -> None:
        self._problems[key] = problems
        self._put(key, json.dumps(_dump_problems(problems), ensure_ascii=False))

    def flush(self) -> None:
        """Write this run's new entries in one transaction."""
        new, self._new = self._new, []
        connection = self._connect()
        if connection is None or not new:
            return
        with contextlib.suppress(sqlite3.Error), connection:
            connection.executemany("INSERT OR REPLACE INTO entries (key, value, mac) VALUES (?, ?, ?)", new)

    def _key(self, kind: bytes, *parts: bytes) -> str:
        digest = hashlib.sha256(self._prefix + kind)
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _mac(self, key: str, value: str) -> bytes:
        return hmac.digest(self._secret, f"{key}\0{value}".encode("utf-8", "surrogatepass"), "sha256")

    def _put(self, key: str, value: str) -> None:
        self._new.append((key, value, self._mac(key, value)))
        if len(self._new) >= BATCH:  # a cold read of a large site holds no more than this much JSON at once
            self.flush()

    def _get(self, key: str) -> str | None:
        """The value stored under `key`, if this machine's secret authenticates it."""
        connection = self._connect()
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value, mac FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[0], str) or not isinstance(row[1], bytes):
            return None
        return row[0] if hmac.compare_digest(row[1], self._mac(key, row[0])) else None

    def documents_kept(self) -> int:
        """How many entries the cache holds (documents and problems; 0 when it cannot be read)."""
        connection = self._connect()
        if connection is None:
            return 0
        try:
            return int(connection.execute("SELECT count(*) FROM entries").fetchone()[0]) // 2
        except sqlite3.Error:
            return 0

    def prune(self) -> None:
        """Forget the entries this run did not use once they outnumber those it did (edits, other days and
        code updates leave theirs behind). Only for a run that read and judged the whole project here."""
        used = set(self.documents.values()) | set(self._problems)
        connection = self._connect()
        if connection is None or not used:
            return
        with contextlib.suppress(sqlite3.Error), connection:
            if connection.execute("SELECT count(*) FROM entries").fetchone()[0] <= 2 * len(used):
                return
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            connection.execute("DELETE FROM used")
            connection.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((key,) for key in used))
            connection.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)")

    def close(self) -> None:
        """Close the connection (before a fork); the next use opens it again."""
        if self._connection is not None:
            self._connection.close()
        self._connection, self._opened = None, False

    def _connect(self) -> sqlite3.Connection | None:
        if self._pid != os.getpid():  # forked with it open: leave the parent's connection alone (never closed here)
            self._inherited, self._connection, self._opened = self._connection, None, False
            self._pid = os.getpid()
        if not self._opened:
            self._opened = True
            self._connection = open_cache_database(self._file, "entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL)")
        return self._connection


# ---- JSON of documents and problems (only what `loading` and `problems` make) ------------------

def _dump_problems(problems: Iterable[Problem]) -> list[list]:
    return [[p.path, p.line, p.col, p.code, p.severity, p.message] for p in problems]


def _load_problems(rows: Any) -> list[Problem]:
    problems = []
    for path, line, col, code, severity, message in rows:
        if not (isinstance(path, str) and type(line) is int and type(col) is int and isinstance(code, str)
                and isinstance(severity, str) and isinstance(message, str)):
            raise TypeError("not a stored problem")
        problems.append(Problem(path, line, col, code, severity, message))
    return problems


def _paths(found: Mapping[tuple, Any] | Iterable[tuple]) -> list:
    return [list(path) for path in found]


def _dump_document(document: SourceDocument | None, problems: list[Problem]) -> str:
    stored: dict[str, Any] = {"problems": _dump_problems(problems), "document": None}
    if document is not None:
        stored["document"] = {
            "meta": document.meta,
            "body": len(document.text) - len(document.body),  # where the body starts in the text
            "body_line": document.body_line,
            "keys": [[list(path), mark.line, mark.col] for path, mark in document.keys.items()],
            "values": [[list(path), mark.line, mark.col] for path, mark in document.values.items()],
            "numbers": [[list(path), written] for path, written in document.numbers.items()],
            "folded": _paths(document.folded),
        }
    return json.dumps(stored, ensure_ascii=False)


def _marks(rows: Any) -> dict[tuple, Mark]:
    return {tuple(path): Mark(line, col) for path, line, col in rows}


def _load_document(value: str, data: bytes, rel: str) -> tuple[SourceDocument | None, list[Problem]]:
    """What `_dump_document` stored for `data`; the text is decoded from the bytes again, as the loader does."""
    stored = json.loads(value)
    problems = _load_problems(stored["problems"])
    fields = stored["document"]
    if fields is None:
        return None, problems
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    meta, start, body_line = fields["meta"], fields["body"], fields["body_line"]
    if not isinstance(meta, dict) or type(start) is not int or not 0 <= start <= len(text) or type(body_line) is not int:
        raise TypeError("not a stored document")
    numbers = {tuple(path): written for path, written in fields["numbers"]}
    document = SourceDocument(
        path=rel, text=text, meta=meta, body=text[start:], body_line=body_line,
        keys=_marks(fields["keys"]), values=_marks(fields["values"]),
        has_bom=data.startswith(b"\xef\xbb\xbf"), crlf=b"\r\n" in data,
        numbers=numbers, folded={tuple(path) for path in fields["folded"]},
    )
    return document, problems
