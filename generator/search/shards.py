"""Split the documents into shards that Pagefind indexes one at a time.

Pagefind holds a whole index in memory while building it (≈0.5 MB per notice with bigram tokens),
so a large site is indexed in pieces of at most `max_documents`. A shard is a run of consecutive
calendar months (a month with more documents than that is split by date): the browser searches
shards newest first and shows the first page of results as soon as the newest shards have filled
it, and the date order of all results is the concatenation of the shards' date-sorted lists.

Boundaries are packed from the oldest month on and shards are named after their first month, so
a new item, or an edit, changes only the shard it falls in: the other shards keep their names and
documents, and an incremental build reuses their Pagefind output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from .documents import SearchDocument
from .records import sort_key

# An edit re-indexes its whole shard (≈ 1.2 s of Pagefind CPU at 500 documents, 2.5 s at 1,000), while a
# full build costs the same CPU at either size; a query's first page needs about one shard either way.
DEFAULT_MAX_SHARD_DOCUMENTS = 500


@dataclass(frozen=True)
class Shard:
    language: str  # the Pagefind language the shard is indexed as; names its files
    documents: tuple[SearchDocument, ...]  # newest first

    @property
    def years(self) -> list[str]:
        return sorted({doc.year for doc in self.documents}, reverse=True)


def shard_language(month: str, part: int = 0) -> str:
    """`zxx` (no linguistic content): Pagefind neither segments nor stems it; the private-use
    subtags (at most 8 letters or digits each) give every shard its own file names in one bundle."""
    name = f"zxx-x-m{month.replace('-', '')}"
    return f"{name}-p{part}" if part else name


def plan_shards(docs: Iterable[SearchDocument], max_documents: int = DEFAULT_MAX_SHARD_DOCUMENTS) -> list[Shard]:
    """Shards newest first, each documents newest first."""
    if max_documents < 1:
        raise ValueError("max_documents must be positive")
    oldest_first = sorted(docs, key=sort_key)
    pieces: list[tuple[str, list[SearchDocument]]] = []  # (language, documents), oldest first
    current: list[SearchDocument] = []
    current_month = ""
    for month, group in groupby(oldest_first, key=lambda doc: doc.date[:7]):
        month_docs = list(group)
        if len(month_docs) > max_documents:
            if current:
                pieces.append((shard_language(current_month), current))
                current = []
            count = -(-len(month_docs) // max_documents)  # ceiling
            bounds = [len(month_docs) * n // count for n in range(count + 1)]
            pieces += [(shard_language(month, n), month_docs[bounds[n] : bounds[n + 1]]) for n in range(count)]
            continue
        if current and len(current) + len(month_docs) > max_documents:
            pieces.append((shard_language(current_month), current))
            current = []
        if not current:
            current_month = month
        current.extend(month_docs)
    if current:
        pieces.append((shard_language(current_month), current))
    return [Shard(language, tuple(reversed(documents))) for language, documents in reversed(pieces)]
