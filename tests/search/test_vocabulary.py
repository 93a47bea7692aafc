"""The vocabulary: which shards hold each token, in buckets the browser finds by hashing the token."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.tokens import GAP, text_tokens
from gongkai.search.vocabulary import (
    TOKENS_PER_BUCKET,
    VocabularyTable,
    bucket_count,
    bucket_of,
    shard_ranges,
    vocabulary_of,
)


def parse(ranges: str) -> set[int]:
    out: set[int] = set()
    for part in filter(None, ranges.split(",")):
        start, _, end = part.partition("-")
        out.update(range(int(start), int(end or start) + 1))
    return out


@given(st.sets(st.integers(0, 300)))
def test_shard_ranges_name_exactly_the_shards(shards: set[int]) -> None:
    text = shard_ranges(sum(1 << n for n in shards))
    assert parse(text) == shards
    assert "--" not in text and not text.startswith(",")


def test_shard_ranges_are_short_for_runs() -> None:
    assert shard_ranges(0b1011) == "0-1,3"
    assert shard_ranges((1 << 120) - 1) == "0-119"


def test_a_shard_vocabulary_has_its_tokens_and_the_prefix_keys_of_its_characters() -> None:
    vocabulary = vocabulary_of(text_tokens("农村危房改造\n2021年C级"))
    assert {"农村", "危房", "造", "2021", "年", "c", "级"} <= vocabulary
    assert {"农*", "危*", "造*", "年*", "级*"} <= vocabulary
    assert GAP not in vocabulary and "c*" not in vocabulary and "2*" not in vocabulary


@given(st.integers(0, 100_000))
def test_buckets_hold_about_the_planned_number_of_tokens(tokens: int) -> None:
    count = bucket_count(tokens)
    assert count & (count - 1) == 0  # a power of two
    assert count * TOKENS_PER_BUCKET >= tokens and (count == 1 or count * TOKENS_PER_BUCKET < 2 * tokens)


@given(st.lists(st.sets(st.text(min_size=1, max_size=4).filter(lambda t: "\t" not in t and "\n" not in t), max_size=20), max_size=6))
def test_every_token_is_in_the_bucket_its_hash_names(shards: list[set[str]]) -> None:
    table = VocabularyTable()
    for number, vocabulary in enumerate(shards):
        table.add(number, vocabulary)
    count = bucket_count(len(table.shards))
    found: dict[str, set[int]] = {}
    for number, text in table.buckets().items():
        assert number < count
        for line in filter(None, text.decode("utf-8").split("\n")):  # as engine.js reads it
            token, ranges = line.split("\t")
            assert bucket_of(token, count) == number
            found[token] = parse(ranges)
    assert found == {t: {n for n, v in enumerate(shards) if t in v} for t in set().union(*shards)}
