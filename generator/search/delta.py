"""A rebuild's delta shard: few documents changed → the cached shards stay, the changes go into one small shard.

A shard indexed by Pagefind with the cache is its *base*: its output stays in the cache under its key,
its record pages and their keys under records/<language> (build.py). When a later build's shard of
the same language differs from its base by at most `MAX_CHANGES` documents (edited, added, removed,
withdrawn, or moved in or out by a date change), it is not indexed again:

- the base's documents that are no longer there as they were (the old copies of edited ones, the
  removed ones) leave it: `strip` writes the base's output without them, Pagefind's postings taken
  out of its index chunks (pagefind_format.strip_pages) and gongkai's files (doc/, facets/, list/,
  order/ and the shard's vocabulary) written without them, so nothing of their text stays in the
  bundle; the stripped output is kept in the cache under a key of the base and the removed records,
  so an item edited again, or other items of other shards, reuse it as it is;
- the documents the base does not have as they are (the new copies, the added ones) are indexed by
  Pagefind into the *delta shard* (`DELTA_LANGUAGE`), each with its home: the shard it belongs to
  by its date. The page searches the delta with the others and merges its hits by sort key into
  its home shard's hits (engine.js), so results, order, totals and facet counts are a full build's.

A shard whose changes exceed MAX_CHANGES is indexed by Pagefind again (folds back): it becomes its own
new base and its documents leave the delta. A build without the cache (a full build) never has a delta.
"""

from __future__ import annotations

import gzip
import html
import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import pagefind_format
from .data_files import json_bytes, write_data
from .documents import SearchDocument
from .records import record_path_of
from .shards import Shard, weight
from .tokens import GAP
from .vocabulary import record_keys, vocabulary_of

DELTA_LANGUAGE = "zxx-x-delta"
# At most this many documents of a shard (removed + added) go through the delta; beyond, the
# shard is indexed again. Stripping costs about the same for 1 or 25 removed pages (≈ 0.3 s for a
# shard of 500), while Pagefind indexes 25 documents in ≈ 0.05 s.
MAX_CHANGES = 25


@dataclass(frozen=True)
class Base:
    """A shard's base in the cache: the key of its output, and its records (path → record key)."""

    key: str
    records: dict[str, str]
    tokens: Counter[str]


@dataclass(frozen=True)
class Change:
    """How a shard differs from its base: the base's record paths that go, the documents that come."""

    base: Base
    removed: tuple[str, ...]
    added: tuple[SearchDocument, ...]
    kept: tuple[SearchDocument, ...]  # the shard's documents the base has as they are, newest first


class Room:
    """What the delta shard may still take, by the weight shards.py gives documents: Pagefind indexes it as one shard,
    so it is bounded as a shard is. 25 changes in each of 20 shards would otherwise make a delta of 500 documents,
    and of 500 long ones as many characters as 100 shards of notices."""

    def __init__(self, most: int) -> None:
        self.left = most

    def take(self, documents: tuple[SearchDocument, ...]) -> bool:
        """Whether `documents` fit; if so, they are counted in."""
        needed = sum(map(weight, documents))
        if needed > self.left:
            return False
        self.left -= needed
        return True


def change(shard: Shard, base: Base, records: list[list[str]], limit: int = MAX_CHANGES,
           room: Room | None = None) -> Change | None:
    """How `shard` (its records: [path, key] of each document) differs from `base`, if by at most
    `limit` documents and not by all the base's, and its new documents fit the delta's `room`."""
    now = {path: key for path, key in records}
    removed = tuple(path for path, key in base.records.items() if now.get(path) != key)
    added = tuple(doc for doc, (path, key) in zip(shard.documents, records, strict=True)
                  if base.records.get(path) != key)
    if not removed and not added:
        return None
    if len(removed) + len(added) > limit or len(removed) >= len(base.records):
        return None
    added_urls = {doc.url for doc in added}
    kept = tuple(doc for doc in shard.documents if doc.url not in added_urls)
    if not kept or (room is not None and not room.take(added)):
        return None
    return Change(base, removed, added, kept)


def read_tokens(records: Path, path: str) -> list[str]:
    """The tokens of a kept record page (record_html), unescaped, gaps included."""
    page = (records / path).read_text(encoding="utf-8")
    start = page.index(_BODY_START) + len(_BODY_START)
    return html.unescape(page[start:page.index("</main>", start)]).split(" ")


_BODY_START = "<main data-pagefind-body>"


def strip(source: Path, target: Path, language: str, records: Path, removed: tuple[str, ...],
          data_dir: str, suffix: str, tokens: Counter[str]) -> set[str]:
    """Write into `target` the shard output at `source` without the documents whose records (under
    `records`) are `removed`; return the vocabulary left (`tokens`: how often the base's records
    have each). Raises FormatError where Pagefind's part cannot be rewritten (the shard is then
    indexed again), OSError where a kept file is gone."""
    listed = _read_json(source / data_dir / "list" / f"{language}{suffix}")
    by_path = {str(record_path_of(url)): result_id for result_id, (url, *_shown) in listed.items()}
    meta = pagefind_format.read_meta(source, language)
    number = {page[0]: n for n, page in enumerate(meta[1])}
    gone: set[str] = set()
    pages: dict[int, list[str]] = {}
    left = Counter(tokens)
    for path in removed:
        result_id = by_path.get(path)
        if result_id is None or result_id not in number:
            raise pagefind_format.FormatError(f"{path} not in the base")
        words = read_tokens(records, path)
        left.subtract(record_keys(words))
        pages[number[result_id]] = [word for word in words if word != GAP]
        gone.add(result_id)
    pagefind_format.strip_pages(source, target, language, pages)
    data = target / data_dir
    (data / "doc").mkdir(parents=True)
    for name in os.listdir(source / data_dir / "doc"):
        if name.removesuffix(suffix) not in gone:
            os.link(source / data_dir / "doc" / name, data / "doc" / name)
    _write_json(data / "list" / f"{language}{suffix}", {key: value for key, value in listed.items() if key not in gone})
    facets = _read_json(source / data_dir / "facets" / f"{language}{suffix}")
    _write_json(data / "facets" / f"{language}{suffix}", without_rows(facets, gone))
    order = _read_json(source / data_dir / "order" / f"{language}{suffix}")
    _write_json(data / "order" / f"{language}{suffix}", [pair for pair in order if pair[0] not in gone])
    return vocabulary_of(token for token, count in left.items() if count > 0)


def without_rows(facets: dict, gone: set[str]) -> dict:
    """A facets table (build._write_shard_data) without the result ids `gone`, and without the
    values no row has any more."""
    rows = [n for n, result_id in enumerate(facets["ids"]) if result_id not in gone]
    out: dict[str, object] = {"ids": [facets["ids"][n] for n in rows]}
    for field, column in facets.items():
        if field == "ids":
            continue
        if isinstance(column, dict) and "values" in column:
            used = sorted({column["of"][n] for n in rows})
            position = {old: new for new, old in enumerate(used)}
            out[field] = {"values": [column["values"][n] for n in used], "of": [position[column["of"][n]] for n in rows]}
        else:
            out[field] = [column[n] for n in rows]
    return out


def _read_json(path: Path) -> Any:
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError) as exc:
        raise pagefind_format.FormatError(f"{path.name}: {exc}") from exc


def _write_json(path: Path, data: object) -> None:
    write_data(path, json_bytes(data))


def homes(changes: Mapping[str, Change]) -> dict[str, str]:
    """The home shard (language) of every added document, by URL."""
    return {doc.url: language for language, found in changes.items() for doc in found.added}
