"""Build the search bundle: one Pagefind run per shard, merged into <site>/pagefind/.

Every shard is indexed as its own Pagefind language, so all shards share one bundle directory
(one pagefind.js, one worker, one wasm file fetched once by the browser) while their index files
keep distinct names. Next to Pagefind's index, gongkai writes under `gongkai/` what results show,
their facets and the vocabulary that tells which shards can contain a query; `gongkai-search.json`
lists the shards (newest first) and the facet values. See README.md here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import hashlib
import html
import json
import operator
import os
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ..build_cache import link_or_copy
from ..cache_store import code_fingerprint, key_of, read_cache_file
from ..progress import Meter
from . import delta
from .data_files import gzipped, json_bytes, write_data
from .delta import DELTA_LANGUAGE
from .documents import IndexStats, SearchDocument
from .pagefind_cli import PagefindError, pagefind_binary, run_pagefind
from .pagefind_format import FormatError
from .records import FACET_FIELDS, check_url, document_data, index_tokens, record_html, record_path, sort_key
from .shards import DEFAULT_MAX_SHARD_DOCUMENTS, Shard, plan_shards
from .staging import Staging
from .vocabulary import (
    VocabularyTable,
    bucket_count,
    read_vocabulary,
    record_keys,
    shard_ranges,
    vocabulary_of,
    write_vocabulary,
)

BUNDLE_DIR = "pagefind"
MANIFEST = "gongkai-search.json"
MANIFEST_FORMAT = 2
# gongkai's own files inside the bundle, each gzip'd JSON or text (see README.md here):
DATA_DIR = "gongkai"
DATA_SUFFIX = ".gkz"
DOCUMENTS = "doc"  # doc/<Pagefind result id>.gkz: what a result shows (document_data)
FACETS = "facets"  # facets/<shard>.gkz: 主题分类/发布机构/年份 of every result id of a shard
LISTS = "list"  # list/<shard>.gkz: {result id: [url, title, date, digest of its DOCUMENTS file]}, for window.gongkaiSearch
ORDER = "order"  # order/<shard>.gkz: [[result id, sort key], …] in date order, to merge the delta's hits in
VOCABULARY = "vocabulary"  # vocabulary/<bucket>.gkz: token → shards (vocabulary.py)
# Kept with a shard's Pagefind output in the build cache, not published: its lookup keys, and the
# identity (inode, size, modification time) of each of its files when it was stored.
SHARD_VOCABULARY = "vocabulary.txt"
SHARD_FILES = "files.json"
SHARD_FILES_LIMIT = 16 << 20  # bytes; ≈ 60 a file, a shard of 500 documents has ≈ 700
# records/<language>/: the record pages a shard was last indexed from, kept in the cache so that
# indexing the shard again writes only its changed documents' records (`_write_records`);
# records/<language>.json: each one's path and key, in order, and the identity of each file.
RECORDS = "records"
RECORDS_LIMIT = 16 << 20  # bytes; ≈ 220 a record, a shard of 500 documents ≈ 110 KB
# Of Pagefind's output only the search API is used; its UI scripts and styles are left out, and
# so are its fragments (a result's data comes from DOCUMENTS).
SHARDS = "shards"  # the meter's task
SHARED_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")
# A shard's documents → the same documents with their final texts (see build_index).
Complete = Callable[[tuple[SearchDocument, ...]], Iterable[SearchDocument]]


def build_index(
    docs: Iterable[SearchDocument],
    site_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    max_shard_documents: int = DEFAULT_MAX_SHARD_DOCUMENTS,
    cache: Path | None = None,
    meter: Meter | None = None,
    complete: Complete | None = None,
    lanes: Callable[[], int] | None = None,
    text_keys: Mapping[str, str] | None = None,
    staging: Staging | None = None,
    ready: Callable[[], None] | None = None,
    max_delta_changes: int = delta.MAX_CHANGES,
) -> IndexStats:
    """Index `docs` (public items only: the caller decides what is published) into site_dir/pagefind/.

    Replaces any previous bundle there; on failure the previous bundle is left as it was.
    Shards (shards.py) are indexed one (or, see `lanes`, two) at a time, so memory is bounded by
    `max_shard_documents` (≈0.5 MB of Pagefind memory per document), not by the site.
    With `cache`, a shard whose documents are unchanged since a build that used the same cache
    reuses its output from there instead of running Pagefind (same bytes); the cache then
    keeps this build's shards only. `meter` counts the shards done (indexed or reused).
    `complete`: given a shard's documents, returns them with their final texts, waiting until
    they are known (the pages are still being rendered): shards are planned from the documents'
    dates, so the newest shard is indexed while older items are still being rendered. `lanes`: how
    many shards Pagefind may index at once (asked before each run; at most 2, by default 1), so a
    caller whose other work is done can let two run side by side. `text_keys`: for a document's
    URL, a key of everything its text is a function of; a shard whose documents all have one is
    looked up in `cache` by them, before (and instead of) completing its texts. `staging`: where the
    bundle is put together (staging.py; by default a fresh folder in `site_dir`), consumed;
    `ready` is called (and may wait) before the bundle is moved into `site_dir`. `max_delta_changes`:
    a shard of the cache that differs from this build's by at most that many documents is kept, and
    they go into the delta shard (delta.py; 0: never).
    """
    started = time.perf_counter()
    documents = list(docs)
    _check_urls(documents)
    shards = plan_shards(documents, max_shard_documents)
    site_dir = Path(site_dir)
    staging = staging or Staging.make(site_dir)
    try:
        entry, peak, table, homes = _index_shards(shards, staging, progress, cache, meter, complete, lanes, text_keys,
                                                  max_delta_changes, delta.Room(max_shard_documents))
        if entry is not None:
            staging.write("pagefind-entry.json", json_bytes(entry))
        staging.finish()
        manifest = _manifest(shards, entry.get("version") if entry else None, bucket_count(len(table.shards)), homes)
        manifest["build"] = _build_id(staging.folder) if entry is not None else "empty"
        staging.write(MANIFEST, json_bytes(manifest))
        if ready is not None:
            ready()
        _replace_dir(staging.folder, site_dir / BUNDLE_DIR)
    except BaseException:
        staging.discard()
        raise
    sizes = staging.sizes.values()  # every file of the bundle was placed there: no walk of ≈ 14,000 files
    return IndexStats(
        documents=len(documents),
        shards=len(shards),
        bytes=sum(sizes),
        files=len(sizes),
        seconds=time.perf_counter() - started,
        peak_rss_bytes=peak,
    )


def _index_shards(
    shards: list[Shard], staging: Staging, progress: Callable[[str], None] | None, cache: Path | None = None,
    meter: Meter | None = None, complete: Complete | None = None, lanes: Callable[[], int] | None = None,
    text_keys: Mapping[str, str] | None = None, max_delta_changes: int = delta.MAX_CHANGES,
    room: delta.Room | None = None,
) -> tuple[dict | None, int, VocabularyTable, dict[str, str]]:
    """Run Pagefind on each shard (or take its output from `cache`) and move the output into `staging`,
    with the vocabulary of all shards (written once every shard's is known: while the last runs).

    Each shard is first completed (`complete`; the list then holds the completed shards). Up to
    `lanes()` Pagefind runs at once (asked before each run; one without it). Returns the merged
    pagefind-entry.json data (None without shards), the peak memory, the vocabulary of all shards and
    the home shard of each document of the delta shard (delta.py), appended to `shards` if there is one.
    """
    if meter is not None:
        meter.start(SHARDS, "搜索索引（分片）", len(shards), step=max(len(shards), 1))  # plain: the lines above
    gate = _Lanes(lanes or (lambda: 1))
    if cache is not None:  # the work folder on the cache's file system: a shard's records are renamed into it
        cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".work-" if cache is not None else "gongkai-search-", dir=cache) as work_dir, \
            ThreadPoolExecutor(_MAX_LANES) as runners:
        runners.submit(pagefind_binary)  # found (an import) while the first shard is prepared
        works = [Path(work_dir) / shard.language for shard in shards]
        keys = [_keyed(shard, cache, text_keys) for shard in shards]
        # Shards whose output the cache cannot hold are prepared first, in order (the newest first: the
        # order their pages are rendered in); the others, looked up by their keys, after them.
        order = sorted(range(len(shards)), key=lambda number: _stored(cache, keys[number]))
        runs: dict[Future, int] = {}
        entry: dict | None = None
        table = VocabularyTable()

        def collect(run: Future) -> None:
            """Move a shard's output into the staging bundle."""
            nonlocal entry
            number = runs.pop(run)
            shard, work = shards[number], works[number]
            _key, bundle, files = run.result()
            entry = _merged(entry, _collect(bundle, staging, shard.language, with_shared_files=number == 0, files=files))
            shutil.rmtree(work, ignore_errors=True)

        cached: list[tuple[int, Path, dict[str, list[int]]]] = []  # shards the cache holds: linked at once
        keep = {RECORDS}  # what the cache is to hold: this build's shards
        changes: dict[str, delta.Change] = {}  # the shards kept as their bases without some documents
        homes: dict[str, str] = {}

        def start(number: int, prepared: _Prepared, homes: Mapping[str, str] | None = None) -> None:
            """Link the prepared shard from the cache, or start Pagefind on it."""
            shard, key, counts, records, files, incomplete, found = prepared
            shards[number] = shard
            if key is not None:
                keep.add(key)
            if found is not None:
                keep.add(found.base.key)
                changes[shard.language] = found
            if files is not None:
                assert cache is not None and key is not None
                cached.append((number, cache / key, files))
                if meter is not None and homes is None:
                    meter.advance(SHARDS)
                return
            vocabulary: Future[set[str]] = Future()  # made here while Pagefind starts
            try:
                runs[runners.submit(_index_shard, number, len(order), shard, works[number], key, vocabulary, counts,
                                    records, cache, gate, progress if homes is None else None,
                                    meter if homes is None else None, complete if incomplete else None, homes)] = number
                vocabulary.set_result(vocabulary_of(counts))
            finally:
                if not vocabulary.done():  # given up (an error, Ctrl+C): the run must not wait for it
                    vocabulary.set_exception(IndexingStopped())
            table.add(number, vocabulary.result())

        # The next shard is completed, keyed and its records written while Pagefind indexes this one,
        # and the shards done meanwhile (the cached ones at once) are collected.
        pending = _in_background(_prepare, shards[order[0]], works[order[0]], cache, complete, text_keys,
                                 keys[order[0]], max_delta_changes, room) if shards else None
        for position, number in enumerate(order):
            assert pending is not None
            while not pending.done():
                for run in wait([pending, *runs], return_when=FIRST_COMPLETED).done:
                    if run is not pending:
                        collect(run)
            prepared = pending.result()
            if position + 1 < len(order):
                following = order[position + 1]
                pending = _in_background(_prepare, shards[following], works[following], cache, complete, text_keys,
                                         keys[following], max_delta_changes, room)
            start(number, prepared)
        added = tuple(sorted((doc for found in changes.values() for doc in found.added), key=sort_key, reverse=True))
        if added:  # the documents the kept bases lack, indexed into the delta shard (delta.py)
            homes.update(delta.homes(changes))
            delta_shard = Shard(DELTA_LANGUAGE, added)
            shards.append(delta_shard)
            works.append(Path(work_dir) / DELTA_LANGUAGE)
            if progress:
                progress(f"搜索索引：增量分片，{len(added)} 篇（{len(changes)} 片沿用缓存，去除了其中的旧版本）")
            delta_key = _keyed(delta_shard, cache, text_keys)
            if delta_key is not None:
                delta_key = key_of(_code(), "search-delta", delta_key, sorted(homes.items()))
            start(len(shards) - 1, _prepare(delta_shard, works[-1], cache, complete, text_keys, delta_key), homes)
        if cached:  # linked while Pagefind indexes the delta (a rebuild's texts of it are given before it starts)
            assert cache is not None
            entry = _merged(entry, _link_cached(shards, cached, staging, table, cache))
        # Every shard's vocabulary is known: the lookup table is written while Pagefind runs.
        buckets = table.buckets()
        for bucket in range(bucket_count(len(table.shards)) if shards else 0):
            staging.write(f"{DATA_DIR}/{VOCABULARY}/{bucket}{DATA_SUFFIX}", gzipped(buckets.get(bucket, b"")))
        staging.drop_left()  # what the shards indexed now replace of an old bundle
        if cache is not None:  # the earlier output of a shard indexed again, removed while Pagefind runs
            _prune(cache, keep, temporary=False)
        for run in as_completed(list(runs)):
            collect(run)
    if meter is not None:
        meter.finish(SHARDS)
    if cache is not None:
        _prune(cache, keep)
        kept = _records_folder(cache)
        if kept is not None:
            _prune_records(kept, {shard.language for shard in shards})
    return entry, gate.peak, table, homes


class IndexingStopped(Exception):
    """The index was given up while a shard's run waited for what the indexing thread makes for it."""


_MAX_LANES = 2  # Pagefind runs at once at most (≈ 0.5 GB each)
T = TypeVar("T")


def _in_background(function: Callable[..., T], *args: object) -> Future[T]:
    """`function(*args)` in a daemon thread: preparing a shard may wait for texts that never come
    when the build is interrupted (Ctrl+C), and a daemon thread does not keep the interpreter from
    exiting (a ThreadPoolExecutor's would)."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True).start()
    return future


class _Lanes:
    """How many Pagefind runs may go at once: `limit()`, asked whenever one wants to start."""

    def __init__(self, limit: Callable[[], int]) -> None:
        self.limit = limit
        self.running = 0
        self.peak = 0  # the largest memory of one run
        self._changed = threading.Condition()

    def ran(self, peak: int) -> None:
        with self._changed:
            self.peak = max(self.peak, peak)

    @contextmanager
    def lane(self) -> Iterator[None]:
        with self._changed:
            while self.running >= max(1, min(self.limit(), _MAX_LANES)):
                self._changed.wait(0.2)  # the limit may rise without notice
            self.running += 1
        try:
            yield
        finally:
            with self._changed:
                self.running -= 1
                self._changed.notify_all()


def _index_shard(number: int, count: int, shard: Shard, work: Path, key: str | None, vocabulary: Future[set[str]],
                 counts: Counter[str], records: list[list[str]] | None, cache: Path | None, gate: _Lanes,
                 progress: Callable[[str], None] | None, meter: Meter | None,
                 complete: Complete | None = None,
                 homes: Mapping[str, str] | None = None) -> tuple[str | None, Path, dict[str, list[int]] | None]:
    """The shard's cache key, the folder of its output, work/bundle, made by Pagefind from the
    records `_prepare` wrote (`counts`: their tokens, `_write_records`; `vocabulary`: the shard's, made
    from them), and kept in the cache (and the records too where `records` gives their keys), and there
    the identity of each file. `complete`: the shard is completed while Pagefind runs (`_prepare`)."""
    bundle = work / "bundle"
    with gate.lane():
        if progress:
            progress(f"搜索索引：第 {number + 1}/{count} 片，{len(shard.documents)} 篇（{'、'.join(shard.years)} 年）")
        shown: dict[str, bytes] = {}

        def meanwhile() -> None:
            whole = Shard(shard.language, tuple(complete(shard.documents))) if complete is not None else shard
            shown.update(_shown_data(whole))

        peak = run_pagefind(work / RECORDS, bundle, meanwhile=meanwhile).peak_rss_bytes
    gate.ran(peak)
    _write_shard_data(bundle, shard, vocabulary.result(), shown, homes)
    files = None
    if cache is not None and key is not None:
        files = _store(bundle, cache, key)
        kept = _records_folder(cache)
        if records is not None and kept is not None:
            _keep_records(work / RECORDS, kept, shard.language, records, counts, key)
    if meter is not None:
        meter.advance(SHARDS)
    return key, bundle, files


def _stored(cache: Path | None, key: str | None) -> bool:
    """Whether the cache may hold a shard's output under `key` (`_cached` tells whether it does)."""
    return cache is not None and key is not None and os.path.isdir(cache / key)


def _keyed(shard: Shard, cache: Path | None, text_keys: Mapping[str, str] | None) -> str | None:
    """The shard's key in `cache` by its documents' text keys, where every one has a text key."""
    if cache is None or text_keys is None or not all(doc.url in text_keys for doc in shard.documents):
        return None
    return _shard_key(shard, text_keys)


_Prepared = tuple[Shard, str | None, Counter[str], list[list[str]] | None, dict[str, list[int]] | None, bool,
                  delta.Change | None]


def _prepare(shard: Shard, work: Path, cache: Path | None, complete: Complete | None,
             text_keys: Mapping[str, str] | None, key: str | None, max_delta_changes: int = 0,
             room: delta.Room | None = None) -> _Prepared:
    """The shard, its cache key (None without a cache), unless the cache holds its output the counts
    of its tokens once its records are written under `work` (`_write_records`), and the path and key
    of each record where they are to be kept (`_keep_records`); where the cache holds its output, the
    identity of each of its files there (`_cached`); and whether the shard is still to be completed.
    `key`: the shard's key by its text keys (`_keyed`). `max_delta_changes`: see build_index; `room`: what the
    delta shard may still take (delta.Room; the shards are prepared one at a time, in order).

    The shard is completed here unless the cache holds its output or the records it was last indexed
    from are kept there: then only the documents whose records are written again are completed
    here, the others while Pagefind runs (`_index_shard`: what their results show), so Pagefind
    waits for the texts of the edited documents only."""
    keyed = key is not None
    if key is not None and cache is not None and (files := _cached(cache / key)) is not None:
        return shard, key, Counter(), None, files, False, None
    folder = _records_folder(cache) if keyed else None
    if keyed and text_keys is not None and folder is not None:
        records = [[str(record_path(doc)), _record_key(shard.language, doc, text_keys[doc.url])]
                   for doc in shard.documents]
        assert cache is not None
        if max_delta_changes and (stripped := _stripped(shard, work, cache, folder, records, max_delta_changes, room)):
            found, stripped_key, files = stripped
            return Shard(shard.language, found.kept), stripped_key, Counter(), None, files, False, found
        counts, written, whole = _write_records(shard, work, folder / shard.language, records, complete)
        if whole is not None:
            shard = whole
        if all(doc.text for doc in written):
            return shard, key, counts, records, None, whole is None and complete is not None, None
        # A text that never came (or an empty body): indexed as it is, never kept under its key.
        return shard, None, counts, None, None, whole is None and complete is not None, None
    if complete is not None:
        shard = Shard(shard.language, tuple(complete(shard.documents)))
    if keyed and not all(doc.text for doc in shard.documents):
        key = None  # a text that never came (or an empty body): indexed as it is, never kept under its key
    elif cache is not None and not keyed:
        key = _shard_key(shard, None)
        if (files := _cached(cache / key)) is not None:
            return shard, key, Counter(), None, files, False, None
    return shard, key, _write_records(shard, work)[0], None, None, False, None


def _shard_key(shard: Shard, text_keys: Mapping[str, str] | None) -> str:
    """Pagefind's output is a function of the shard's records, which this package's code makes
    from the documents: hash the code, the Pagefind version and the documents, each document's
    text by its key where `text_keys` has them."""
    if text_keys is None:
        return key_of(_code(), "search-shard", shard.language, shard.documents)
    documents = tuple((_without_text(doc), text_keys[doc.url]) for doc in shard.documents)
    return key_of(_code(), "search-shard-keyed", shard.language, documents)


def _record_key(language: str, doc: SearchDocument, text_key: str) -> str:
    """A record page is a function of this package's code, the shard's language and the document,
    its text known by its key."""
    return key_of(_code(), "search-record", language, _without_text(doc), text_key)


# A document's fields but its text, as a tuple: a third of the time of a copy without the text (a
# shard key of 10,000 documents is hashed before Pagefind starts on a rebuild's changed shard).
_without_text = operator.attrgetter(*(field.name for field in dataclasses.fields(SearchDocument) if field.name != "text"))


def _code() -> str:
    global _CODE
    if _CODE is None:
        _CODE = code_fingerprint()
    return _CODE


_CODE: str | None = None


def _link_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(path, destination)


def _store(bundle: Path, cache: Path, key: str) -> dict[str, list[int]]:
    """Keep a shard's Pagefind output (hard links, so no copy) under its key, with the identity of each
    file (returned)."""
    temporary = cache / f".{key}.new"
    shutil.rmtree(temporary, ignore_errors=True)
    _link_tree(bundle, temporary)
    files = _identities(temporary)
    assert files is not None  # just made: plain folders and files
    (temporary / SHARD_FILES).write_bytes(json_bytes(files))
    if (cache / key).exists():
        shutil.rmtree(temporary)
    else:
        os.rename(temporary, cache / key)
    return files


def _cached(folder: Path) -> dict[str, list[int]] | None:
    """The identity of each file of the shard the cache holds at `folder` (`_identities`) if it is exactly
    as it was stored: the same files, each still that very file; else None. Each is a hard link of a
    published file, so a deploy script or editor writing into site/pagefind/ in place writes into the
    cache; a file replaced, added, linked elsewhere or a FIFO is an edit too. Such a shard is removed
    and indexed again: a stat of each file, and a read of its small entry only (a build that filled the disk left one
    empty, recorded as it was, and every later build failed on it)."""
    recorded = read_cache_file(folder / SHARD_FILES, SHARD_FILES_LIMIT)
    files = _identities(folder, skip=SHARD_FILES) if recorded is not None else None
    try:
        intact = (files is not None and json.loads(recorded or b"") == files
                  and isinstance(json.loads((folder / "pagefind-entry.json").read_bytes()), dict))
    except (OSError, ValueError):
        intact = False
    if intact:
        return files
    if os.path.lexists(folder):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(folder)
    return None


def _identities(folder: Path, skip: str = "") -> dict[str, list[int]] | None:
    """Every file under `folder` (but `skip`) by its relative path: [inode, size, modification time]; None
    where it holds anything but real folders and regular files, or cannot be read."""
    found: dict[str, list[int]] = {}
    stack = [""]
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        while stack:
            relative = stack.pop()
            with os.scandir(os.path.join(folder, relative)) as entries:
                for entry in entries:
                    name = f"{relative}/{entry.name}" if relative else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(name)
                    elif entry.is_file(follow_symlinks=False) and name != skip:
                        info = entry.stat(follow_symlinks=False)
                        found[name] = [info.st_ino, info.st_size, info.st_mtime_ns]
                    elif name != skip:
                        return None
    except OSError:
        return None
    return found


def _prune(cache: Path, keep: set[str], temporary: bool = True) -> None:
    """Remove from the shard cache all but `keep` (and, unless `temporary`, the work folders in use: .*)."""
    if cache.is_dir():
        for path in cache.iterdir():
            if path.name not in keep and (temporary or not path.name.startswith(".")):
                shutil.rmtree(path, ignore_errors=True)


def _check_urls(documents: list[SearchDocument]) -> None:
    for doc in documents:
        check_url(doc.url)
    duplicates = [url for url, count in Counter(doc.url for doc in documents).items() if count > 1]
    if duplicates:
        raise ValueError(f"search documents share URLs: {', '.join(sorted(duplicates)[:5])}")


def _write_records(shard: Shard, work: Path, kept: Path | None = None, records: list[list[str]] | None = None,
                   complete: Complete | None = None) -> tuple[Counter[str], list[SearchDocument], Shard | None]:
    """Write the shard's record pages under work/records; return how often each lookup key (a token or a
    pair: `record_keys`) occurs in them (the shard's vocabulary is their keys: `vocabulary_of`), the
    documents written, completed (`complete`) first, and the shard completed where every document was
    written (else None).

    `kept`: the records the shard was last indexed from (`_keep_records`), taken as work/records
    when they are the same pages in the same order, every file as it was kept; then only the
    records whose key (`records`) changed are written again, and the counts kept with them lose the
    keys of each such record's old page and gain its new page's: the others are neither read nor
    written. A folder of the same pages keeps the order in which the file system lists them, which
    is the order Pagefind numbers them in: the bundle is byte for byte the one fresh records give."""
    folder = work / RECORDS
    found = _kept_records(kept, [path for path, _key in records]) if kept is not None and records is not None else None
    if kept is not None and os.path.lexists(kept):
        work.mkdir(parents=True, exist_ok=True)
        os.rename(kept, folder if found is not None else work / "stale-records")  # removed with `work`
    keys, counts = found if found is not None else (None, Counter[str]())
    if keys is None or records is None:
        written = list(shard.documents)
    else:
        written = [doc for doc, (path, key) in zip(shard.documents, records, strict=True) if keys.get(path) != key]
    if complete is not None and written:
        written = list(complete(tuple(written)))
    if keys is None:
        folder.mkdir(parents=True, exist_ok=True)
    for doc in written:
        path = folder / record_path(doc)
        if keys is not None:
            counts.subtract(record_keys([html.unescape(token) for token in _record_tokens(path)]))
        pairs: list[str] = []
        doc_tokens = index_tokens(doc, pairs)
        counts.update(doc_tokens)
        counts.update(pairs)
        path.write_text(record_html(doc, shard.language, doc_tokens), encoding="utf-8")
    if keys is not None:
        return +counts, written, None  # +: without the tokens no record has any more
    return counts, written, Shard(shard.language, tuple(written))


def _record_tokens(path: Path) -> list[str]:
    """The tokens of a record page (record_html), as they are written there: escaped."""
    page = path.read_text(encoding="utf-8")
    start = page.index(_BODY_START) + len(_BODY_START)
    return page[start:page.index("</main>", start)].split(" ")


_BODY_START = "<main data-pagefind-body>"


def _kept_records(kept: Path, paths: list[str]) -> tuple[dict[str, str], Counter[str]] | None:
    """The key of each record kept at `kept`, by its path, and how often each token occurs in them, if
    they are `paths` in that order and each file is still the very file kept (a cache folder may be
    committed or written into: a stat of each, never a read); else None."""
    data = _records_manifest(kept)
    if data is None or [path for path, _key in data["records"]] != paths:
        return None
    return {path: key for path, key in data["records"]}, Counter(data["tokens"])


def _records_manifest(kept: Path) -> dict | None:
    """The manifest of the records kept at `kept` (`_keep_records`) if it is well formed and each of its
    files is still the very file kept; else None."""
    recorded = read_cache_file(kept.with_name(f"{kept.name}.json"), RECORDS_LIMIT)
    try:
        data = json.loads(recorded) if recorded is not None else None
        if (not isinstance(data, dict) or data["files"] != _identities(kept)
                or set(data["files"]) != {path for path, _key in data["records"]}):
            return None
        tokens = data["tokens"]
        if not isinstance(tokens, dict) or not all(type(count) is int and count > 0 for count in tokens.values()):
            return None
        return data
    except (ValueError, TypeError, KeyError):
        return None


def _seal(language: str, key: str, records: list[list[str]], tokens: Mapping[str, int]) -> str:
    """Binds a records manifest's output key to its records and token counts under this machine's cache
    secret (in `_code()`): a manifest committed or planted with a key of its choosing never names a base."""
    content = hashlib.sha256(json_bytes({"records": records, "tokens": tokens})).hexdigest()
    return key_of(_code(), "search-base", language, key, content)


def _base(records: Path, language: str, cache: Path) -> delta.Base | None:
    """The base of the shard `language` in the cache (delta.py): the output its kept records were
    indexed into, if the manifest is sealed by this machine (`_seal`) and the cache still holds both as
    they were stored."""
    data = _records_manifest(records / language)
    key = data.get("key") if data is not None else None
    if data is None or not isinstance(key, str) or not _KEY.fullmatch(key):
        return None
    if data.get("seal") != _seal(language, key, data["records"], data["tokens"]) or _cached(cache / key) is None:
        return None
    return delta.Base(key, {path: record_key for path, record_key in data["records"]}, Counter(data["tokens"]))


_KEY = re.compile("[0-9a-f]{64}")


def _stripped(shard: Shard, work: Path, cache: Path, records: Path, keys: list[list[str]],
              limit: int, room: delta.Room | None = None) -> tuple[delta.Change, str, dict[str, list[int]]] | None:
    """Where `shard` differs from its base by few documents (delta.change): the change, the key of the
    base's output without the documents that went, and the identity of each of its files in the cache
    (made now unless the cache holds it: delta.strip). None where the shard is to be indexed again."""
    base = _base(records, shard.language, cache)
    found = delta.change(shard, base, keys, limit, room) if base is not None else None
    if base is None or found is None:
        return None
    key = key_of(_code(), "search-stripped", shard.language, base.key, found.removed)
    files = _cached(cache / key)
    if files is None:
        bundle = work / "stripped"
        try:
            vocabulary = delta.strip(cache / base.key, bundle, shard.language, records / shard.language, found.removed,
                                     DATA_DIR, DATA_SUFFIX, base.tokens)
            write_vocabulary(bundle / SHARD_VOCABULARY, vocabulary)
            for name in SHARED_FILES:
                os.link(cache / base.key / name, bundle / name)
        except (FormatError, OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(work, ignore_errors=True)
            return None
        files = _store(bundle, cache, key)
        shutil.rmtree(work, ignore_errors=True)
    return found, key, files


def _records_folder(cache: Path | None) -> Path | None:
    """cache/records unless it is a link or not a folder (a committed cache): nothing is kept through it."""
    if cache is None:
        return None
    folder = cache / RECORDS
    return None if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()) else folder


def _keep_records(folder: Path, records: Path, language: str, keys: list[list[str]], counts: Counter[str],
                  key: str) -> None:
    """Keep a shard's records (renamed from the work folder) as records/<language>, with their keys, the
    identity of each file, how often each token occurs in them (`counts`) and the key of the shard's
    output they were indexed into (its base for the delta: delta.py)."""
    manifest = records / f"{language}.json"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(manifest)
    target = records / language
    if os.path.lexists(target):  # not taken by `_write_records`: not a folder of ours
        return
    records.mkdir(exist_ok=True)
    try:
        os.rename(folder, target)
    except OSError:
        return
    files = _identities(target)
    if files is not None:
        manifest.write_bytes(json_bytes({"records": keys, "files": files, "tokens": counts, "key": key,
                                          "seal": _seal(language, key, keys, counts)}))


def _prune_records(records: Path, languages: set[str]) -> None:
    """Remove the kept records of shards this build does not have (and any stray entry)."""
    if not records.is_dir():
        return
    for path in records.iterdir():
        if path.name not in languages and path.name.removesuffix(".json") not in languages:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(path)


def _pagefind_url(doc: SearchDocument) -> str:
    return f"/{record_path(doc)}"


def _shown_data(shard: Shard) -> dict[str, bytes]:
    """What each result of the shard shows (its DOCUMENTS file), by its Pagefind URL: made while
    Pagefind indexes the shard, since only the file's name needs Pagefind's output."""
    return {_pagefind_url(doc): gzipped(json_bytes(document_data(doc))) for doc in shard.documents}


def _write_shard_data(bundle: Path, shard: Shard, vocabulary: set[str], shown: dict[str, bytes],
                      homes: Mapping[str, str] | None = None) -> None:
    """Replace Pagefind's fragments with gongkai's files for the shard: per result id, what it
    shows (DOCUMENTS, `shown` by Pagefind URL: _shown_data), its facets (FACETS), its URL, title
    and date (LISTS), and the ids in date order with their sort keys (ORDER). `homes`: the delta
    shard's, each document's home shard by URL (delta.py), a column "home" of its facets."""
    by_url = {_pagefind_url(doc): doc for doc in shard.documents}
    urls: dict[str, str] = {}
    ids: dict[str, SearchDocument] = {}
    fragments = sorted((bundle / "fragment").glob("*.pf_fragment"))
    for path in fragments:
        # A fragment is gzip'd "pagefind_dcd" + JSON.
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        ids[path.stem] = by_url[data["url"]]
        urls[path.stem] = data["url"]
    if len(ids) != len(shard.documents):
        raise PagefindError(f"Pagefind indexed {len(ids)} of {len(shard.documents)} documents in {shard.language}")
    data_dir = bundle / DATA_DIR
    (data_dir / DOCUMENTS).mkdir(parents=True)
    for path in fragments:
        # Each fragment becomes its result's file (renamed, then written over), not removed: ext4 without a
        # journal passes over every inode freed in the last minutes, one by one, to make each new file, so
        # 10,000 fragments removed slowed every file the build (and the next rebuild) made after them.
        shown_file = data_dir / DOCUMENTS / f"{path.stem}{DATA_SUFFIX}"
        os.rename(path, shown_file)
        shown_file.write_bytes(shown[urls[path.stem]])
    shutil.rmtree(bundle / "fragment")
    order = sorted(ids)
    facets: dict[str, object] = {"ids": order}
    for field in FACET_FIELDS:
        values = sorted({getattr(doc, field) for doc in shard.documents})
        position = {value: n for n, value in enumerate(values)}
        facets[field] = {"values": values, "of": [position[getattr(ids[i], field)] for i in order]}
    if homes is not None:
        facets["home"] = [homes[ids[i].url] for i in order]
    write_data(data_dir / FACETS / f"{shard.language}{DATA_SUFFIX}", json_bytes(facets))
    # Each result's file is named by its result id, which hashes its tokens only: its row carries a digest of the
    # file's bytes, so that the build id (which hashes this file) changes with a text whose punctuation, width or
    # case alone changed (the same name, other bytes: a browser that cached it kept the old text).
    listed = {i: [ids[i].url, ids[i].title, ids[i].date, hashlib.sha256(shown[urls[i]]).hexdigest()[:16]] for i in order}
    write_data(data_dir / LISTS / f"{shard.language}{DATA_SUFFIX}", json_bytes(listed))
    ordered = sorted(([i, sort_key(ids[i])] for i in order), key=operator.itemgetter(1))
    write_data(data_dir / ORDER / f"{shard.language}{DATA_SUFFIX}", json_bytes(ordered))
    write_vocabulary(bundle / SHARD_VOCABULARY, vocabulary)


def _merged(entry: dict | None, shard_entry: dict) -> dict:
    if entry is None:
        return shard_entry
    entry["languages"].update(shard_entry["languages"])
    return entry


def _entry(bundle: Path, language: str) -> dict:
    """A shard's Pagefind entry data (its pagefind-entry.json), which must name its language only."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    if set(entry.get("languages", {})) != {language}:
        raise PagefindError(f"expected one index for {language}, Pagefind wrote {sorted(entry.get('languages', {}))}")
    return entry


def _collect(bundle: Path, staging: Staging, language: str, *, with_shared_files: bool,
             files: dict[str, list[int]] | None = None) -> dict:
    """Move one shard's fresh output into the staging bundle; return its Pagefind entry data. `files`:
    the identity of each file of the output by its relative path (`_store`), which gives its size."""
    sizes = {relative.replace("/", os.sep): size for relative, (_inode, size, _modified) in files.items()} if files else {}
    entry = _entry(bundle, language)
    if with_shared_files:
        for name in SHARED_FILES:
            staging.copy(bundle / name, name)
    for meta in bundle.glob("pagefind.*.pf_meta"):
        staging.move(str(meta), meta.name, sizes.get(meta.name))
    for folder in _PUBLISHED_FOLDERS:
        for parent, _folders, names in os.walk(bundle / folder):
            relative = os.path.relpath(parent, bundle)
            for name in names:
                path = os.path.join(relative, name)
                staging.move(os.path.join(parent, name), path, sizes.get(path))
    return entry


# Where a shard's published files are in its output: these folders, and its pagefind.*.pf_meta.
_PUBLISHED_FOLDERS = ("index", f"{DATA_DIR}/{DOCUMENTS}", f"{DATA_DIR}/{FACETS}", f"{DATA_DIR}/{LISTS}",
                      f"{DATA_DIR}/{ORDER}")
_PUBLISHED_PREFIXES = tuple(f"{folder}/" for folder in _PUBLISHED_FOLDERS)


def _link_cached(shards: list[Shard], cached: list[tuple[int, Path, dict[str, list[int]]]], staging: Staging,
                 table: VocabularyTable, cache: Path) -> dict:
    """Link the output of the shards the cache holds (number, folder, the identity of each of its files:
    `_cached`) into the staging bundle, all by one process (Staging.link_all), and add their
    vocabularies to `table`; return their merged Pagefind entry data."""
    entry: dict | None = None
    files: list[tuple[str, str, int, int]] = []
    for number, folder, identities in cached:
        table.add(number, read_vocabulary(folder / SHARD_VOCABULARY))
        entry = _merged(entry, _entry(folder, shards[number].language))
        if number == 0:
            for name in SHARED_FILES:
                staging.copy(folder / name, name)
        prefix = f"{folder}{os.sep}"
        for relative, (inode, size, _modified) in identities.items():
            if relative.startswith(_PUBLISHED_PREFIXES) or (
                    "/" not in relative and relative.startswith("pagefind.") and relative.endswith(".pf_meta")):
                if os.sep != "/":
                    relative = relative.replace("/", os.sep)
                files.append((prefix + relative, relative, inode, size))
    staging.link_all(files, os.stat(cache).st_dev)
    assert entry is not None  # `cached` is not empty
    return entry


def _build_id(staging: Path) -> str:
    """Changes whenever the bundle does. The page adds it to the URLs of Pagefind's entry file and
    of gongkai's files, whose names stay the same across builds, so that browsers may cache them.
    Index chunks and metadata are named by their content, and a result's DOCUMENTS file changes
    only with its id (which hashes its tokens) or with its list entry (a digest of its bytes), so
    those are left out of the hash."""
    skipped = {("index",), (DATA_DIR, DOCUMENTS)}
    hashed: list[tuple[str, ...]] = []  # relative paths as their parts: the order of sorted Paths
    for folder, folders, names in os.walk(staging):
        parent = Path(folder).relative_to(staging).parts
        # ≈ 14,000 files of a 10,000-item site in these, neither listed, read nor sorted
        folders[:] = [name for name in folders if (*parent, name) not in skipped]
        for name in names:
            if name != MANIFEST and os.path.isfile(os.path.join(folder, name)):
                hashed.append((*parent, name))
    digest = hashlib.sha256()
    for parts in sorted(hashed):
        data = Path(staging, *parts).read_bytes()
        digest.update("/".join(parts).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def _manifest(shards: list[Shard], pagefind_version: str | None, buckets: int,
              homes: Mapping[str, str] | None = None) -> dict:
    """The manifest of the bundle; the delta shard, if any, is the last of `shards`, `homes` the home shard of
    each of its documents by URL (the others are listed as the documents they and the delta's documents of
    theirs hold: as a full build lists them)."""
    docs = [doc for shard in shards for doc in shard.documents]
    regular = [shard for shard in shards if shard.language != DELTA_LANGUAGE]
    deltas = shards[len(regular):]
    coming: dict[str, list[SearchDocument]] = {}
    for doc in deltas[0].documents if deltas else ():
        coming.setdefault((homes or {})[doc.url], []).append(doc)
    listed = [sorted((*shard.documents, *coming.get(shard.language, ())), key=sort_key, reverse=True)
              for shard in regular]

    def facet(field: str) -> list[list]:
        """[value, documents, shards that have it] for every value; years newest first, others most used first."""
        counts = Counter(getattr(doc, field) for doc in docs if getattr(doc, field))
        order = sorted(counts, reverse=True) if field == "year" else sorted(counts, key=lambda v: (-counts[v], v))
        having: dict[str, int] = {}
        for number, shard in enumerate(shards):
            for value in {getattr(doc, field) for doc in shard.documents}:
                having[value] = having.get(value, 0) | 1 << number
        return [[value, counts[value], shard_ranges(having[value])] for value in order]

    return {
        "format": MANIFEST_FORMAT,
        "pagefind": pagefind_version,
        "data": f"{DATA_DIR}/",
        "suffix": DATA_SUFFIX,
        "documents": len(docs),
        "vocabulary": buckets,
        "shards": [
            {
                "language": shard.language,
                "documents": len(held),
                "years": sorted({doc.year for doc in held}, reverse=True),
                "newest": held[0].date,
                "oldest": held[-1].date,
            }
            for shard, held in zip(regular, listed, strict=True)
        ],
        "facets": {field: facet(field) for field in FACET_FIELDS},
        **({"delta": {"language": deltas[0].language, "number": len(regular), "documents": len(deltas[0].documents)}}
           if deltas else {}),
    }


def _replace_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
