"""Which shards can contain a query: every index token, with the set of shards that have it.

The browser looks a query's tokens up here before it opens any shard, and searches only the shards
that have all of them: a query found nowhere costs one or two small files, and a rare word does not
open every shard. The table is split into buckets by a hash of the token (FNV-1a of its UTF-8
bytes, mirrored in `assets/gongkai-search/engine.js`), so a query fetches one bucket per token.

A bucket is gzip'd text, one `token<TAB>shards` line per token, sorted; shards are numbered in
the manifest's newest-first order and written as ranges (`0-3,7`). A single Han character is
also listed as `字*`, the key of the prefix lookup a one-character query makes.

Two consecutive tokens of which one is a word (letters or digits) of at most four characters are listed as one key
too, joined by a space (`2016 36`, `2021 年`): a 文号 or a date is made of tokens every shard has (`2016`, `36`, `号`),
so its tokens alone would open every shard, where the pair opens only those that have them side by side. Pairs of
two Han tokens are not listed: there are as many as there are trigrams of the text, and the numbers are where a rare
phrase hides among common tokens; nor are longer words (a phone number, a serial), rare enough by themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from .tokens import GAP, HAN_CLASS, PAIR_MARK, PAIRED_WORD

PREFIX_MARK = "*"
# About this many tokens a bucket: a few KB compressed.
TOKENS_PER_BUCKET = 256
_HAN = re.compile(f"[{HAN_CLASS}]")


def record_keys(tokens: Sequence[str]) -> list[str]:
    """The lookup keys a record's tokens (gaps included) give: the tokens and their pairs (`word_pairs`)."""
    return [*tokens, *word_pairs(tokens)]


def word_pairs(tokens: Sequence[str]) -> list[str]:
    """Every two consecutive tokens (gaps included) of which one is a word, neither longer than PAIRED_WORD, as pair
    keys; none across a gap. The build finds them as it makes the tokens (`tokens.line_tokens`); this reads them
    from a record's tokens."""
    return [f"{before}{PAIR_MARK}{after}" for before, after in zip(tokens, tokens[1:], strict=False)
            if GAP not in (before, after) and not (_HAN.match(before) and _HAN.match(after))
            and len(before) <= PAIRED_WORD and len(after) <= PAIRED_WORD]


def vocabulary_of(keys: Iterable[str]) -> set[str]:
    """The lookup keys of a shard's tokens and pairs (`record_keys`): those and the prefix key of every Han
    character."""
    found = set(keys)
    found.discard(GAP)
    prefixes = {f"{key[0]}{PREFIX_MARK}" for key in found if _HAN.match(key)}  # a pair's is its first token's
    return found | prefixes


def bucket_of(token: str, buckets: int) -> int:
    """FNV-1a (32 bit) of the UTF-8 bytes, modulo the number of buckets."""
    value = 0x811C9DC5
    for byte in token.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def bucket_count(tokens: int) -> int:
    """A power of two, so that buckets hold about TOKENS_PER_BUCKET tokens."""
    count = 1
    while count * TOKENS_PER_BUCKET < tokens:
        count *= 2
    return count


def shard_ranges(mask: int) -> str:
    """Bit n set → shard n, as ranges: 0b1011 → "0-1,3"."""
    parts = []
    n = 0
    while mask >> n:
        if not (mask >> n) & 1:
            n += 1
            continue
        start = n
        while (mask >> (n + 1)) & 1:
            n += 1
        parts.append(str(start) if start == n else f"{start}-{n}")
        n += 1
    return ",".join(parts)


class VocabularyTable:
    """Token → shard bit mask, filled shard by shard, written as buckets."""

    def __init__(self) -> None:
        self.shards: dict[str, int] = {}

    def add(self, shard_number: int, vocabulary: Iterable[str]) -> None:
        bit = 1 << shard_number
        shards = self.shards
        for token in vocabulary:
            shards[token] = shards.get(token, 0) | bit

    def buckets(self) -> dict[int, bytes]:
        """{bucket number: uncompressed bucket text}; the number of buckets is bucket_count(len)."""
        count = bucket_count(len(self.shards))
        lines: dict[int, list[str]] = {}
        for token in sorted(self.shards):
            lines.setdefault(bucket_of(token, count), []).append(f"{token}\t{shard_ranges(self.shards[token])}\n")
        return {number: "".join(text).encode("utf-8") for number, text in lines.items()}


def read_vocabulary(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n") if path.stat().st_size else []


def write_vocabulary(path: Path, vocabulary: set[str]) -> None:
    path.write_text("\n".join(sorted(vocabulary)), encoding="utf-8")
