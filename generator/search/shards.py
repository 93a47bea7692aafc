"""Split the documents into shards that Pagefind indexes one at a time.

Pagefind holds a whole index in memory while building it (≈0.6 MB per notice with bigram tokens),
so a large site is indexed in pieces of at most `max_documents`. Shards are consecutive runs of the
newest-first order, of nearly equal size: the browser gets the date order of all results by
concatenating the shards' date-sorted lists, and a 年份 filter skips shards without that year.
Every shard costs the browser one more index chunk per query token, so there are as few as the
memory bound allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .documents import SearchDocument
from .records import sort_key

DEFAULT_MAX_SHARD_DOCUMENTS = 1000


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
    count = -(-len(newest_first) // max_documents)  # ceiling
    bounds = [len(newest_first) * n // count for n in range(count + 1)] if count else []
    return [
        Shard(shard_language(n), tuple(newest_first[bounds[n] : bounds[n + 1]])) for n in range(count)
    ]
