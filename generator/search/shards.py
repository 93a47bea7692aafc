"""Split the documents into shards that Pagefind indexes one at a time.

Pagefind holds a whole index in memory while building it (≈0.7 MB per notice with bigram tokens),
so a large site is indexed in pieces. Each shard is a run of whole years in newest-first order (a
year larger than a shard is cut into consecutive pieces), so the browser gets the date order of all
results by concatenating the shards' date-sorted lists, and a 年份 filter skips other shards.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Iterable

from .documents import SearchDocument
from .records import sort_key

DEFAULT_MAX_SHARD_DOCUMENTS = 1500


@dataclass(frozen=True)
class Shard:
    language: str  # the Pagefind language the shard is indexed as; names its files
    documents: tuple[SearchDocument, ...]  # newest first

    @property
    def years(self) -> list[str]:
        return sorted({doc.year for doc in self.documents}, reverse=True)


def shard_language(number: int) -> str:
    # `zxx` (no linguistic content): Pagefind neither segments nor stems it; the private-use
    # suffix gives every shard its own file names inside one bundle.
    return f"zxx-x-s{number}"


def plan_shards(docs: Iterable[SearchDocument], max_documents: int = DEFAULT_MAX_SHARD_DOCUMENTS) -> list[Shard]:
    if max_documents < 1:
        raise ValueError("max_documents must be positive")
    newest_first = sorted(docs, key=sort_key, reverse=True)
    groups: list[list[SearchDocument]] = []
    current: list[SearchDocument] = []
    for _, year_docs in groupby(newest_first, key=lambda doc: doc.year):
        year = list(year_docs)
        if current and len(current) + len(year) > max_documents:
            groups.append(current)
            current = []
        while len(year) > max_documents:
            groups.append(year[:max_documents])
            year = year[max_documents:]
        current.extend(year)
    if current:
        groups.append(current)
    return [Shard(shard_language(n), tuple(group)) for n, group in enumerate(groups)]
