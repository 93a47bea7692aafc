"""Split the documents into shards that Pagefind indexes one at a time.

Pagefind holds a whole index in memory while building it, and that memory grows with the words of its text
(≈ 0.5 MB per notice with bigram tokens; ≈ 1 KB per character of text that is all new bigrams: 120 bodies of 15,900
random Han characters, 1.9 million characters, took Pagefind 1.97 GB), so a large site is indexed in pieces of at most
`max_documents` — counting a document of `WEIGHT_UNIT` characters or more as one for each such run of them, up to the
`INDEXED_CHARACTERS` the index takes of a body. A shard's text is then about `max_documents` × `WEIGHT_UNIT`
characters at most (≈ 1 million: ≈ 1 GB of Pagefind at worst) however long its documents are, while shards of
notices (1,000 – 2,000 characters) are counted by their number as before.

A shard is a run of consecutive calendar months (a month with more documents than that is split by
date): the browser searches shards newest first and shows the first page of results as soon as the
newest shards have filled it, and the date order of all results is the concatenation of the shards' date-sorted lists.

Boundaries are packed from the oldest month on and shards are named after their first month, so
a new item, or an edit, changes only the shard it falls in: the other shards keep their names and
documents, and an incremental build reuses their Pagefind output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from .documents import INDEXED_CHARACTERS, SearchDocument
from .records import sort_key

# An edit re-indexes its whole shard (≈ 1.2 s of Pagefind CPU at 500 documents, 2.5 s at 1,000), while a
# full build costs the same CPU at either size; a query's first page needs about one shard either way.
DEFAULT_MAX_SHARD_DOCUMENTS = 500
WEIGHT_UNIT = 2_000  # characters of Markdown a document counts as one for (a notice has ≈ 1,500)


def weight(doc: SearchDocument) -> int:
    return 1 + min(doc.size, INDEXED_CHARACTERS) // WEIGHT_UNIT


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
    current_weight = 0
    for month, group in groupby(oldest_first, key=lambda doc: doc.date[:7]):
        month_docs = list(group)
        month_weight = sum(map(weight, month_docs))
        if month_weight > max_documents:
            if current:
                pieces.append((shard_language(current_month), current))
                current, current_weight = [], 0
            bounds = _split(month_docs, month_weight, max_documents)
            pieces += [(shard_language(month, n), month_docs[bounds[n] : bounds[n + 1]]) for n in range(len(bounds) - 1)]
            continue
        if current and current_weight + month_weight > max_documents:
            pieces.append((shard_language(current_month), current))
            current, current_weight = [], 0
        if not current:
            current_month = month
        current.extend(month_docs)
        current_weight += month_weight
    if current:
        pieces.append((shard_language(current_month), current))
    return [Shard(language, tuple(reversed(documents))) for language, documents in reversed(pieces)]


def _split(docs: list[SearchDocument], total: int, max_weight: int) -> list[int]:
    """Bounds cutting `docs` (of weight `total`) into the fewest parts of about equal weight, each at most
    `max_weight` where its documents allow (one heavier document is a part of its own); each part holds one
    document or more. Documents of weight one are cut as evenly as by their number."""
    bounds = [0]
    count = -(-total // max_weight)  # ceiling
    reached, end = 0, 0
    for n in range(1, count):
        target = total * n // count
        while end < len(docs) - (count - n) and (end == bounds[-1] or reached + weight(docs[end]) <= target):
            reached += weight(docs[end])
            end += 1
        bounds.append(end)
    bounds.append(len(docs))
    return [bound for index, bound in enumerate(bounds) if index == 0 or bound > bounds[index - 1]]
