"""The vocabulary: which shards hold each token, in buckets the browser finds by hashing the token."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.tokens import GAP, HAN_CLASS, query_terms, text_tokens
from gongkai.search.vocabulary import (
    TOKENS_PER_BUCKET,
    VocabularyTable,
    bucket_count,
    bucket_of,
    record_keys,
    shard_ranges,
    vocabulary_of,
    word_pairs,
)

# Han with an astral one, words of letters and digits in several scripts, punctuation, line breaks.
TEXTS = st.text(alphabet="危房改造〇𠀀年号函ab9７é١ßカ𐌰〔〕、。. -\n", max_size=60)


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


def test_a_shard_vocabulary_has_its_tokens_pairs_and_the_prefix_keys_of_its_characters() -> None:
    vocabulary = vocabulary_of(record_keys(text_tokens("农村危房改造\n2021年C级")))
    assert {"农村", "危房", "造", "2021", "年", "c", "级"} <= vocabulary
    assert {"农*", "危*", "造*", "年*", "级*"} <= vocabulary
    assert {"2021 年", "年 c", "c 级"} <= vocabulary
    assert not {key for key in vocabulary_of(record_keys(text_tokens("电话0311-85680510")))
                if " " in key} - {"话 0311"}  # an eight-digit word is rare enough by itself
    assert GAP not in vocabulary and "c*" not in vocabulary and "2*" not in vocabulary
    assert "造 2021" not in vocabulary and "造 ¶" not in vocabulary  # no pair across a line break
    assert not {key for key in vocabulary if " " in key and key[-1] == "*"}  # no prefix key of a pair


def _is_han(token: str) -> bool:
    return re.fullmatch(f"[{HAN_CLASS}]+", token) is not None


@given(TEXTS)
def test_pairs_are_the_neighbours_of_every_word(text: str) -> None:
    tokens = text_tokens(text)
    expected = [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)
                if GAP not in (a, b) and not (_is_han(a) and _is_han(b)) and len(a) <= 4 and len(b) <= 4]
    assert word_pairs(tokens) == expected
    made: list[str] = []
    assert text_tokens(text, made) == tokens
    assert made == expected  # the build's pairs, found as it makes the tokens


@given(TEXTS, st.data())
def test_a_text_matching_a_query_has_every_pair_of_its_chains(text: str, data: st.DataObject) -> None:
    """The browser opens only the shards that have a query's pairs: a text in which Pagefind finds a chain of the
    query (its tokens at consecutive positions) has all of them."""
    line = data.draw(st.sampled_from(text.splitlines() or [""]))
    start = data.draw(st.integers(0, len(line)))
    query = line[start:data.draw(st.integers(start, len(line)))]
    tokens = text_tokens(text)
    keys = set(record_keys(tokens))
    for term in query_terms(query):
        n = len(term.tokens)
        if term.kind == "chain" and any(tuple(tokens[at:at + n]) == term.tokens for at in range(len(tokens))):
            assert set(word_pairs(term.tokens)) <= keys, (text, query)

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
