"""Shard planning: whole months, newest first, stable when items are added or edited."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from gongkai.search.documents import INDEXED_CHARACTERS, indexed_text
from gongkai.search.records import sort_key
from gongkai.search.shards import WEIGHT_UNIT, plan_shards, weight
from tests.search.test_build import doc


def test_shards_hold_whole_months_newest_first() -> None:
    docs = [doc(n, 2015 + n % 7) for n in range(1, 24)]
    shards = plan_shards(docs, max_documents=10)
    assert [(s.language, len(s.documents)) for s in shards] == [("zxx-x-m202102", 3), ("zxx-x-m201712", 10), ("zxx-x-m201503", 10)]
    flat = [d for s in shards for d in s.documents]
    assert flat == sorted(docs, key=lambda d: (d.date, d.index_no), reverse=True)
    months = [{d.date[:7] for d in s.documents} for s in shards]
    assert all(not a & b for a in months for b in months if a is not b)
    assert plan_shards([], 10) == []


def test_a_new_item_changes_only_the_newest_shard() -> None:
    docs = [doc(n, 2015 + n % 7) for n in range(1, 24)]
    before = plan_shards(docs, max_documents=10)
    after = plan_shards([*docs, doc(99, 2022)], max_documents=10)
    assert after[1:] == before[1:]
    assert after[0].language == before[0].language and len(after[0].documents) == len(before[0].documents) + 1


def test_a_month_larger_than_a_shard_is_split() -> None:
    docs = [doc(n, 2021, date=f"2021-06-{1 + n % 28:02d}") for n in range(1, 26)]
    shards = plan_shards(docs, max_documents=10)
    assert [(s.language, len(s.documents)) for s in shards] == [
        ("zxx-x-m202106-p2", 9), ("zxx-x-m202106-p1", 8), ("zxx-x-m202106", 8)
    ]


@given(st.lists(st.integers(0, 3000), max_size=80), st.integers(1, 12))
def test_shards_partition_the_documents_in_date_order(days: list[int], most: int) -> None:
    docs = [doc(n, 2020, date=(date(2020, 1, 1) + timedelta(days=d)).isoformat()) for n, d in enumerate(days)]
    shards = plan_shards(docs, max_documents=most)
    flat = [d for s in shards for d in s.documents]
    assert flat == sorted(docs, key=sort_key, reverse=True)
    assert all(0 < len(s.documents) <= most for s in shards)
    assert len({s.language for s in shards}) == len(shards)
    for s in shards:  # a month is split only when it alone is larger than a shard
        months = {d.date[:7] for d in s.documents}
        others = [d for t in shards if t is not s for d in t.documents if d.date[:7] in months]
        assert not others or (len(months) == 1 and len(others) + len(s.documents) > most)


@given(st.lists(st.integers(0, 60 * WEIGHT_UNIT), min_size=1, max_size=60), st.booleans())
def test_long_documents_make_smaller_shards_of_bounded_weight(sizes: list[int], one_month: bool) -> None:
    """A shard's memory in Pagefind grows with its text: 30 lists of 4.6 MB took 2.7 GB, and 500 fit one shard by
    number. Each shard now weighs at most the limit, or one document more (a document heavier than the limit is
    a shard of its own), holds every document once, and keeps the date order."""
    docs = [doc(n, 2021, size=size, date="2021-06-01" if one_month else f"2021-{1 + n % 12:02d}-01")
            for n, size in enumerate(sizes, 1)]
    shards = plan_shards(docs, max_documents=10)
    flat = [d for s in shards for d in s.documents]
    assert sorted(flat, key=sort_key) == sorted(docs, key=sort_key) and all(s.documents for s in shards)
    for shard in shards:
        weights = [weight(d) for d in shard.documents]
        assert len(weights) == 1 or sum(weights) <= 10 + max(weights), weights


def test_documents_of_ordinary_length_are_counted_as_before() -> None:
    docs = [doc(n, 2021, size=WEIGHT_UNIT - 1, date=f"2021-06-{1 + n % 28:02d}") for n in range(1, 26)]
    assert [len(s.documents) for s in plan_shards(docs, max_documents=10)] == [9, 8, 8]
    heavy = [doc(n, 2021, size=5 * WEIGHT_UNIT, date=f"2021-06-{1 + n % 28:02d}") for n in range(1, 26)]
    assert all(len(s.documents) <= 2 for s in plan_shards(heavy, max_documents=10))


@given(st.lists(st.one_of(st.integers(0, 20_000), st.integers(0, 5_000_000)), min_size=1, max_size=80), st.integers(1, 40))
@example([15_900] * 80, 40).via("the 15,900-character bodies")
def test_a_shards_indexed_text_is_bounded_whatever_its_documents_lengths(sizes: list[int], most: int) -> None:
    """Pagefind's memory grows with a shard's text (≈ 1 KB a character of new bigrams): 120 signed bodies of 15,900
    random Han characters, one shard under a 16,000-character unit, took it 1.97 GB, and 500 would have taken 8 GB.
    The index takes a body up to INDEXED_CHARACTERS, and a shard holds about `most` × 2,000 characters of it (a notice
    has 1,000 – 2,000), or one long document more."""
    docs = [doc(n, 2021, size=size, date=f"2021-{1 + n % 3:02d}-01") for n, size in enumerate(sizes, 1)]
    for shard in plan_shards(docs, max_documents=most):
        indexed = sum(min(d.size, INDEXED_CHARACTERS) for d in shard.documents)
        assert indexed < most * 2_000 + INDEXED_CHARACTERS + 2_000


@given(st.lists(st.tuples(st.integers(0, 60_000), st.sampled_from("一1\n")), max_size=8))
def test_the_indexed_text_is_whole_lines_within_the_bound(runs: list[tuple[int, str]]) -> None:
    """What the index takes of a body: the whole text, or its whole lines within INDEXED_CHARACTERS (no line cut, so
    no prefix of a digit run or of a word the scans never judged)."""
    text = "".join(char * length for length, char in runs)
    taken = indexed_text(text)
    assert text.startswith(taken) and len(taken) <= INDEXED_CHARACTERS
    if taken != text:  # cut at a line break, the last one within the bound (none: nothing of the body)
        start = len(taken) + 1 if text[len(taken)] == "\n" else 0
        assert (taken == "" or text[len(taken)] == "\n") and "\n" not in text[start:INDEXED_CHARACTERS + 1]


def test_the_indexed_text_is_bounded_by_the_markdown_the_shards_were_planned_by():
    """Shards are planned by each body's Markdown length, before its page is rendered: 120 `[TOC]` markers printed
    1.8 KB of Markdown as 110,000 characters of text, weight 1, and 120 such items made one shard of 1 GB in Pagefind.
    The index takes no more of a text than its Markdown's length and BEYOND_MARKDOWN, in whole lines."""
    from gongkai.search.documents import BEYOND_MARKDOWN

    headings = "\n".join(f"第{n}节标题" * 10 for n in range(2000))
    taken = indexed_text(headings, 1_800)
    assert 0 < len(taken) <= 1_800 + BEYOND_MARKDOWN and headings.startswith(taken) and headings[len(taken)] == "\n"
    assert indexed_text(headings[:2_000], 1_800) == headings[:2_000]  # a text a little longer than its Markdown
