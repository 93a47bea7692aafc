"""Item files as read, and as judged by the checks that read only their own file, kept by content hash.

A warm `gongkai check` and a rebuild still read every item file's bytes, but for a file whose bytes
are unchanged the parsed document (front matter with the position of every key and value) and the
problems of reading it come from `.gongkai-cache/items.sqlite` instead of the YAML reader; and the
problems the LOCAL check families (`checks.LOCAL`) found in it come from there too while everything
else those families read is unchanged: the day, catalog.yml (roster, columns), lexicon.yml, the
Markdown options, the limits and the item's attachments (each resolved and hashed again). The rules
that look across items always run over the whole model, so the problems are exactly a cold check's.

Every key is a SHA-256 over this machine's secret (through `cache_store.code_fingerprint`, which also
covers gongkai's code and the library versions), and every stored value carries an HMAC, with the
same secret, of its key and its bytes: an entry is trusted only when this machine wrote it for these
exact inputs, before its bytes are parsed at all. Values are JSON, never pickled: a `.gongkai-cache`
committed to the content repository, or planted, can only miss. An unreadable cache costs the time of
reading again.

A warm run is mostly lookups: the files are read a batch at a time and their entries fetched with one
SELECT a batch, and a document's positions (of keys and values, where numbers and folded lines are)
are decoded only when a rule asks for one (`StoredDocument`): on a warm check, few do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from .attachments import content_hash, resolve
from .cache_store import LOOKUP, CacheDatabase, cache_folder, code_fingerprint, rows_by_key
from .content_files import read_limited
from .digest import attachment_files
from .lexicon.entries import FILE_NAME as LEXICON_FILE
from .loading import Mark, SourceDocument, parse_document
from .machine_secret import machine_secret
from .problems import Problem

FILE = "items.sqlite"
FORMAT = b"gongkai-items/2"
BATCH = 1000  # new entries written in one transaction
LOOKUP_BYTES = 8 << 20  # bytes of item files held before their lookup: files near the size limit make smaller batches
Read = tuple[str, bytes | None, list[Problem]]  # an item file's path in the project, its bytes, the problems of reading it


class ItemCache:
    """Parsed item files and their LOCAL problems in `folder` (`.gongkai-cache/`), bound to `secret`."""

    def __init__(self, folder: Path, secret: bytes, code: str) -> None:
        self._secret = secret
        self._prefix = hashlib.sha256(FORMAT + b"\0" + secret + code.encode()).digest()
        # Values are BLOBs (`_json`), which a TEXT column keeps as they are: the table stays the one earlier versions
        # made, which open_cache_database would otherwise refuse (and the cache stay cold).
        self._database = CacheDatabase(folder / FILE, "entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, mac BLOB NOT NULL)")
        self._new: list[tuple[str, bytes, bytes]] = []  # (key, value, mac) to write at `flush`
        self.documents: dict[str, str] = {}  # item path → the key of the bytes it was read from
        self._problems: dict[str, list[Problem] | None] = {}  # LOCAL problems looked up this run, by key
        self._local_keys: dict[tuple[bytes, str], str] = {}  # (inputs, document key) → `local_key`, this run
        self._others: set[str] = set()  # keys of `lookup` this run

    @classmethod
    def of(cls, root: Path) -> ItemCache | None:
        """The cache of the project at `root`; None where nothing can be kept (no secret, a linked cache folder)."""
        folder = cache_folder(root)
        secret = machine_secret()
        if folder is None or secret is None:
            return None
        return cls(folder, secret, code_fingerprint())

    def read_files(self, files: Iterable[tuple[Path, str]], limit: int) -> Iterator[tuple[SourceDocument | None, list[Problem]]]:
        """`loading.read_document` of each (file, path in the project), in order; the documents of bytes
        read before come from the cache, looked up a batch of files at a time."""
        batch: list[Read] = []
        size = 0
        for file, rel in files:
            data, problems = read_limited(file, rel, limit)
            batch.append((rel, data, problems))
            size += len(data) if data is not None else 0
            if len(batch) >= LOOKUP or size >= LOOKUP_BYTES:
                yield from self._read_batch(batch)
                batch, size = [], 0
        yield from self._read_batch(batch)

    def _read_batch(self, batch: Sequence[Read]) -> Iterator[tuple[SourceDocument | None, list[Problem]]]:
        keys = [self._key(b"document", rel.encode("utf-8", "surrogatepass"), data) if data is not None else ""
                for rel, data, _ in batch]
        stored = self._get_many(key for key in keys if key)
        for (rel, data, problems), key in zip(batch, keys, strict=True):
            if data is None:
                yield None, problems
                continue
            self.documents[rel] = key
            value = stored.get(key)
            loaded = None
            if value is not None:
                with contextlib.suppress(ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError):
                    loaded = _load_document(value, data, rel)
            if loaded is None:
                loaded = parse_document(data, rel)
                stored_as = _dump_document(*loaded)
                if stored_as is not None:
                    self._put(key, stored_as)
            yield loaded

    def local_inputs(self, today: dt.date, content_dir: Path, markdown: str, limits: object, catalog_text: str | None,
                     item_limit: int, beside: str) -> bytes:
        """What every item's LOCAL problems depend on besides its own file and attachments; `beside`: what the site
        prints beside every item's title (mkdocs.yml's site_name in the title bar, read joined with it)."""
        lexicon, refused = read_limited(content_dir / LEXICON_FILE, LEXICON_FILE, item_limit)
        parts = [today.isoformat(), str(content_dir), markdown, repr(limits), repr(catalog_text), repr(beside),
                 hashlib.sha256(lexicon).hexdigest() if lexicon is not None else repr(refused)]
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).digest()

    def local_key(self, inputs: bytes, document: SourceDocument, attachments_dir: Path, limit: int) -> str | None:
        """The key of a document's LOCAL problems (None: its bytes were not read through this cache);
        worked out once a run (a build asks how many are unjudged, then judges them)."""
        read_as = self.documents.get(document.path)
        if read_as is None:
            return None
        known = (inputs, read_as)
        if known in self._local_keys:
            return self._local_keys[known]
        attached = []
        # Every file the review digest hashes (the scans read a subset): however many entries (more than MAX_ATTACHMENTS
        # is GK615, yet a file past them changed after review is GK207 too), a name YAML read as a number included.
        for name in attachment_files(document.meta):
            resolved = resolve(attachments_dir, name, limit)
            attached.append(f"{resolved!r}\0{content_hash(resolved)}")
        key = self._local_keys[known] = self._key(b"local", inputs, read_as.encode(),
                                                  "\0".join(attached).encode("utf-8", "surrogatepass"))
        return key

    def problems(self, keys: Iterable[str]) -> dict[str, list[Problem] | None]:
        """The LOCAL problems kept under each of `keys` (None: none kept), looked up once a run."""
        keys = list(keys)
        wanted = [key for key in dict.fromkeys(keys) if key not in self._problems]
        stored = self._get_many(wanted)
        for key in wanted:
            found = None
            value = stored.get(key)
            if value == b"[]":  # most items: no problem
                found = []
            elif value is not None:
                with contextlib.suppress(ValueError, TypeError):
                    found = load_problems(json.loads(value))
            self._problems[key] = found
        return {key: self._problems[key] for key in keys}

    def lookup(self, kind: bytes, *parts: bytes) -> tuple[str, bytes | None]:
        """(key, the value kept under it) of something other than an item file read from exactly `parts`
        (the lexicon's entries); `keep` a value under that key."""
        key = self._key(kind, *parts)
        self._others.add(key)
        return key, self._get_many([key]).get(key)

    def keep(self, key: str, value: bytes) -> None:
        self._put(key, value)

    def keep_problems(self, key: str, problems: list[Problem]) -> None:
        self._problems[key] = problems
        self._put(key, _json(dump_problems(problems)))

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

    def _mac(self, key: str, value: bytes) -> bytes:
        return hmac.digest(self._secret, key.encode() + b"\0" + value, "sha256")

    def _put(self, key: str, value: bytes) -> None:
        self._new.append((key, value, self._mac(key, value)))
        if len(self._new) >= BATCH:  # a cold read of a large site holds no more than this much JSON at once
            self.flush()

    def _get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The values stored under `keys` that this machine's secret authenticates."""
        wanted = list(dict.fromkeys(keys))
        connection = self._connect() if wanted else None
        found: dict[str, bytes] = {}
        if connection is None:
            return found
        with contextlib.suppress(sqlite3.Error):
            for key, value, mac in rows_by_key(connection, "entries", "key, value, mac", wanted):
                if (isinstance(key, str) and isinstance(value, bytes) and isinstance(mac, bytes)
                        and hmac.compare_digest(mac, self._mac(key, value))):
                    found[key] = value
        return found

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
        used = set(self.documents.values()) | set(self._problems) | self._others
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
        self._database.close()

    def _connect(self) -> sqlite3.Connection | None:
        return self._database.connection()


# ---- JSON of documents and problems (only what `loading` and `problems` make) ------------------

def dump_problems(problems: Iterable[Problem]) -> list[list]:
    return [[p.path, p.line, p.col, p.code, p.severity, p.message] for p in problems]


def load_problems(rows: Any) -> list[Problem]:
    problems = []
    for path, line, col, code, severity, message in rows:
        if not (isinstance(path, str) and type(line) is int and type(col) is int and isinstance(code, str)
                and isinstance(severity, str) and isinstance(message, str)):
            raise TypeError("not a stored problem")
        problems.append(Problem(path, line, col, code, severity, message))
    return problems


def _marks(rows: Any) -> dict[tuple, Mark]:
    return {tuple(path): Mark(line, col) for path, line, col in rows}


def _paths(found: Mapping[tuple, Any] | Iterable[tuple]) -> list:
    return [list(path) for path in found]


def _json(value: object) -> bytes:
    """UTF-8 JSON, stored as a BLOB: read back, it is authenticated and parsed without being decoded first."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _dump_document(document: SourceDocument | None, problems: list[Problem]) -> bytes | None:
    """JSON of the document's front matter and problems, then a line with JSON of its positions (JSON has no
    raw line break: the two parts split at the first), which `StoredDocument` decodes only when asked.
    orjson writes and reads them; None (not kept) for a document it would not read back exactly: an integer
    beyond 64 bits, NaN, a lone surrogate."""
    stored: dict[str, Any] = {"problems": dump_problems(problems), "document": None}
    marks: dict[str, Any] = {}
    if document is not None:
        stored["document"] = {
            "meta": document.meta,
            "body": len(document.text) - len(document.body),  # where the body starts in the text
            "body_line": document.body_line,
        }
        marks = {
            "keys": [[list(path), mark.line, mark.col] for path, mark in document.keys.items()],
            "values": [[list(path), mark.line, mark.col] for path, mark in document.values.items()],
            "numbers": [[list(path), written] for path, written in document.numbers.items()],
            "folded": _paths(document.folded),
        }
    try:
        head, tail = orjson.dumps(stored), orjson.dumps(marks)
    except orjson.JSONEncodeError:
        return None
    return head + b"\n" + tail if _same(orjson.loads(head), stored) and _same(orjson.loads(tail), marks) else None


def _same(read: Any, written: Any) -> bool:
    """Whether JSON read back is what was written, type for type (1e20 is not 10**20, None is not NaN)."""
    if type(read) is not type(written):
        return False
    if isinstance(written, dict):
        return list(read) == list(written) and all(_same(read[key], value) for key, value in written.items())
    if isinstance(written, list):
        return len(read) == len(written) and all(map(_same, read, written))
    return bool(read == written)


def _load_document(value: bytes, data: bytes, rel: str) -> tuple[SourceDocument | None, list[Problem]]:
    """What `_dump_document` stored for `data`; the text is decoded from the bytes again, as the loader does."""
    head, _, marks = value.partition(b"\n")
    stored = orjson.loads(head)
    problems = load_problems(stored["problems"])
    fields = stored["document"]
    if fields is None:
        return None, problems
    crlf = b"\r\n" in data
    text = data.decode("utf-8-sig")
    if crlf:  # else there is nothing to replace: spare the scan of the whole text
        text = text.replace("\r\n", "\n")
    meta, start, body_line = fields["meta"], fields["body"], fields["body_line"]
    if not isinstance(meta, dict) or type(start) is not int or not 0 <= start <= len(text) or type(body_line) is not int:
        raise TypeError("not a stored document")
    document = StoredDocument(rel, text, meta, text[start:], body_line, data.startswith(b"\xef\xbb\xbf"), crlf, marks)
    return document, problems


MARKS = frozenset({"keys", "values", "numbers", "folded"})  # the fields `StoredDocument` decodes when first read


class StoredDocument(SourceDocument):
    """A document read back from the cache. Its positions (`MARKS`) are decoded the first time a rule reads one:
    most documents of a warm check are judged by no rule that points into them."""

    def __init__(self, path: str, text: str, meta: dict[str, Any], body: str, body_line: int, has_bom: bool, crlf: bool,
                 marks: bytes) -> None:
        self.path, self.text, self.meta, self.body, self.body_line = path, text, meta, body, body_line
        self.has_bom, self.crlf = has_bom, crlf
        self._marks = marks

    def __getattr__(self, name: str) -> Any:  # only for an attribute not set yet: the positions, the first time
        if name not in MARKS:
            raise AttributeError(name)
        try:
            stored = orjson.loads(self._marks)
            keys, values = _marks(stored["keys"]), _marks(stored["values"])
            numbers = {tuple(path): written for path, written in stored["numbers"]}
            folded = {tuple(path) for path in stored["folded"]}
        except (ValueError, TypeError, KeyError):  # never written so by us: read the front matter again
            parsed, _ = parse_document(self.text.encode("utf-8", "surrogatepass"), self.path)
            keys, values, numbers, folded = ((parsed.keys, parsed.values, parsed.numbers, parsed.folded)
                                             if parsed is not None else ({}, {}, {}, set()))
        self.keys, self.values, self.numbers, self.folded = keys, values, numbers, folded
        del self._marks
        return getattr(self, name)
