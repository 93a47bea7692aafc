"""Build the search bundle: one Pagefind run per shard, merged into <site>/pagefind/.

Every shard is indexed as its own Pagefind language, so all shards share one bundle directory
(one pagefind.js, one worker, one wasm file fetched once by the browser) while their index and
fragment files keep distinct names. `gongkai-search.json` tells the search page which
shards exist, which years each holds, and the facet values.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .documents import IndexStats, SearchDocument
from .pagefind_cli import PagefindError, run_pagefind
from .records import FACET_FIELDS, facet_token, record_html, record_path
from .shards import DEFAULT_MAX_SHARD_DOCUMENTS, Shard, plan_shards

BUNDLE_DIR = "pagefind"
MANIFEST = "gongkai-search.json"
# Per shard, {result id: [url, title, date]}: lets window.gongkaiSearch list thousands of results
# without one fragment download each. The search page's own lists use the fragments.
LIST_PREFIX = "gongkai-list."
MANIFEST_FORMAT = 1
# Of Pagefind's output only the search API is used; its UI scripts and styles are left out.
SHARED_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")
SHARD_DIRS = ("index", "fragment")


def build_index(
    docs: Iterable[SearchDocument],
    site_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    max_shard_documents: int = DEFAULT_MAX_SHARD_DOCUMENTS,
    cache: Path | None = None,
) -> IndexStats:
    """Index `docs` (public items only: the caller decides what is published) into site_dir/pagefind/.

    Replaces any previous bundle there; on failure the previous bundle is left as it was.
    With `cache`, a shard whose documents are unchanged since a build that used the same cache
    reuses Pagefind's output from there instead of running Pagefind (same bytes); the cache then
    keeps this build's shards only.
    """
    started = time.perf_counter()
    documents = list(docs)
    _check_urls(documents)
    shards = plan_shards(documents, max_shard_documents)
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=site_dir))
    try:
        entry, peak = _index_shards(shards, staging, progress, cache)
        build_id = "empty"
        if entry is not None:
            build_id = hashlib.sha256(_write_json(staging / "pagefind-entry.json", entry)).hexdigest()[:16]
        _write_json(staging / MANIFEST, _manifest(shards, entry and entry.get("version"), build_id))
        _replace_dir(staging, site_dir / BUNDLE_DIR)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [p for p in (site_dir / BUNDLE_DIR).rglob("*") if p.is_file()]
    return IndexStats(
        documents=len(documents),
        shards=len(shards),
        bytes=sum(p.stat().st_size for p in files),
        files=len(files),
        seconds=time.perf_counter() - started,
        peak_rss_bytes=peak,
    )


def _index_shards(
    shards: list[Shard], staging: Path, progress: Callable[[str], None] | None, cache: Path | None = None
) -> tuple[dict | None, int]:
    """Run Pagefind on each shard (or take its output from `cache`) and move the output into `staging`.

    Returns the merged pagefind-entry.json data (None without shards) and the peak memory.
    """
    entry: dict | None = None
    peak = 0
    keys = [_shard_key(shard) for shard in shards] if cache is not None else [None] * len(shards)
    cached = [key is not None and cache is not None and (cache / key).is_dir() for key in keys]
    todo = [number for number in range(len(shards)) if not cached[number]]
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as work_dir, ThreadPoolExecutor(1) as writer:
        works = [Path(work_dir) / shard.language for shard in shards]
        pending = writer.submit(_write_records, shards[todo[0]], works[todo[0]] / "records") if todo else None
        for number, (shard, work) in enumerate(zip(shards, works)):
            if cached[number]:
                assert cache is not None and keys[number] is not None
                _link_tree(cache / keys[number], work / "bundle")
            else:
                if progress:
                    progress(f"搜索索引：第 {number + 1}/{len(shards)} 片，{len(shard.documents)} 篇（{'、'.join(shard.years)} 年）")
                assert pending is not None
                pending.result()
                # The next shard's records are written while Pagefind indexes this one.
                following = [n for n in todo if n > number]
                if following:
                    pending = writer.submit(_write_records, shards[following[0]], works[following[0]] / "records")
                peak = max(peak, run_pagefind(work / "records", work / "bundle").peak_rss_bytes)
                if cache is not None and keys[number] is not None:
                    _store(work / "bundle", cache, keys[number])
            _write_json(staging / f"{LIST_PREFIX}{shard.language}.json", _result_list(work / "bundle", shard))
            shard_entry = _collect(work / "bundle", staging, shard.language, with_shared_files=number == 0)
            if entry is None:
                entry = shard_entry
            else:
                entry["languages"].update(shard_entry["languages"])
            shutil.rmtree(work)
    if cache is not None:
        _prune(cache, {key for key in keys if key is not None})
    return entry, peak


def _shard_key(shard: Shard) -> str:
    """Pagefind's output is a function of the shard's records, which this package's code makes
    from the documents: hash the code, the Pagefind version and the documents."""
    from ..build_cache import code_fingerprint, key_of

    global _CODE
    if _CODE is None:
        _CODE = code_fingerprint()
    return key_of(_CODE, "search-shard", shard.language, shard.documents)


_CODE: str | None = None


def _link_tree(source: Path, target: Path) -> None:
    from ..build_cache import link_or_copy

    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(path, destination)


def _store(bundle: Path, cache: Path, key: str) -> None:
    """Keep a shard's Pagefind output (hard links, so no copy) under its key."""
    temporary = cache / f".{key}.new"
    shutil.rmtree(temporary, ignore_errors=True)
    _link_tree(bundle, temporary)
    if (cache / key).exists():
        shutil.rmtree(temporary)
    else:
        os.rename(temporary, cache / key)


def _prune(cache: Path, keep: set[str]) -> None:
    if cache.is_dir():
        for path in cache.iterdir():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _check_urls(documents: list[SearchDocument]) -> None:
    for doc in documents:
        record_path(doc)  # raises for a URL outside the site
    duplicates = [url for url, count in Counter(doc.url for doc in documents).items() if count > 1]
    if duplicates:
        raise ValueError(f"search documents share URLs: {', '.join(sorted(duplicates)[:5])}")


def _write_records(shard: Shard, records: Path) -> None:
    for doc in shard.documents:
        path = records / record_path(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_html(doc, shard.language), encoding="utf-8")


def _pagefind_url(doc: SearchDocument) -> str:
    path = record_path(doc)
    return f"/{path.parent}/" if path.name == "index.html" else f"/{path}"


def _result_list(bundle: Path, shard: Shard) -> dict[str, list[str]]:
    by_url = {_pagefind_url(doc): doc for doc in shard.documents}
    listed: dict[str, list[str]] = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        # A fragment is gzip'd "pagefind_dcd" + JSON.
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        doc = by_url[data["url"]]
        listed[path.stem] = [doc.url, doc.title, doc.date]
    if len(listed) != len(shard.documents):
        raise PagefindError(f"Pagefind indexed {len(listed)} of {len(shard.documents)} documents in {shard.language}")
    return listed


def _collect(bundle: Path, staging: Path, language: str, *, with_shared_files: bool) -> dict:
    """Move one shard's Pagefind output into the staging bundle; return its entry data."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    if set(entry.get("languages", {})) != {language}:
        raise PagefindError(f"expected one index for {language}, Pagefind wrote {sorted(entry.get('languages', {}))}")
    if with_shared_files:
        for name in SHARED_FILES:
            shutil.copyfile(bundle / name, staging / name)
    for meta in bundle.glob("pagefind.*.pf_meta"):
        meta.rename(staging / meta.name)
    for name in SHARD_DIRS:
        if (bundle / name).is_dir():
            (staging / name).mkdir(exist_ok=True)
            for path in (bundle / name).iterdir():
                path.rename(staging / name / path.name)
    return entry


def _manifest(shards: list[Shard], pagefind_version: str | None, build_id: str) -> dict:
    docs = [doc for shard in shards for doc in shard.documents]

    def facet(field: str) -> list[list]:
        """[value, documents, index word] for every value; years newest first, others most used first."""
        counts = Counter(getattr(doc, field) for doc in docs if getattr(doc, field))
        order = sorted(counts, reverse=True) if field == "year" else sorted(counts, key=lambda v: (-counts[v], v))
        return [[value, counts[value], facet_token(field, value)] for value in order]

    return {
        "format": MANIFEST_FORMAT,
        "pagefind": pagefind_version,
        # Changes with the index; the page passes it to Pagefind so its entry file can be cached.
        "build": build_id,
        "lists": LIST_PREFIX,
        "documents": len(docs),
        "shards": [
            {
                "language": shard.language,
                "years": shard.years,
                "documents": len(shard.documents),
                # Per value, how many of the shard's documents have it: lets the page skip
                # shards without the value and skip the lookup when all have it.
                "facets": {
                    field: dict(sorted(Counter(getattr(doc, field) for doc in shard.documents).items()))
                    for field in FACET_FIELDS
                },
            }
            for shard in shards
        ],
        "facets": {field: facet(field) for field in FACET_FIELDS},
    }


def _write_json(path: Path, data: dict) -> bytes:
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    path.write_bytes(encoded)
    return encoded


def _replace_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
