"""Shard planning: whole months, newest first, stable when items are added or edited."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.records import sort_key
from gongkai.search.shards import plan_shards
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
