"""办结率 = 办结 ÷ (received − 取消) cannot exceed 100 %: it is counted from one partition of the entries."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.registers.supervision import CANCELLED, DONE, OPEN, SOURCES, STATUSES, Entry
from gongkai.registers.tally import Tally, percent, tally

DAY = dt.date(2025, 12, 31)


@st.composite
def entries(draw) -> list[Entry]:
    found = []
    for number in range(draw(st.integers(0, 60))):
        received = draw(st.dates(dt.date(2025, 1, 1), DAY))
        status = draw(st.sampled_from(STATUSES))
        closed = draw(st.dates(received, dt.date(2026, 3, 1))) if status != OPEN else None
        found.append(Entry(f"e{number}.yml", draw(st.sampled_from(SOURCES)), received, received + dt.timedelta(days=7),
                           "办公室", status, closed))
    return found


@settings(max_examples=150, deadline=None)
@given(entries(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 6, 30)))
def test_the_rate_is_between_zero_and_one_and_one_only_when_nothing_is_open(found, day):
    counted = tally(found, day)
    assert counted.received == len(found)
    if counted.rate is None:
        assert counted.done + counted.open == 0
        assert percent(counted.rate) == "—"
        return
    assert 0 <= counted.rate <= 1
    assert (counted.rate == 1) == (counted.open == 0)
    shown = percent(counted.rate)
    assert float(shown.rstrip("%")) <= 100
    assert (shown == "100.00%") == (counted.open == 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_no_tally_shows_more_than_one_hundred_percent(done, open_, cancelled):
    shown = percent(Tally(done, open_, cancelled).rate)
    assert shown == "—" or float(shown.rstrip("%")) <= 100


def test_the_seed_reports_impossible_rate_cannot_be_produced():
    # The 政务督查报告: 945 cases received, 1445 handled (earlier years' included) → "100.17 %".
    # Counted from the year's own entries, the handled ones are a part of the received ones.
    with pytest.raises(ValueError):
        Tally(done=1445, open=945 - 1445, cancelled=0)
    assert percent(Tally(done=945, open=0).rate) == "100.00%"


def test_percent_rounds_down():
    assert percent(Fraction(9999, 10000)) == "99.99%"
    assert percent(Fraction(99999, 100000)) == "99.99%"  # never rounded up to 100.00 %
    assert percent(Fraction(1, 3)) == "33.33%"
    assert percent(Fraction(0)) == "0.00%"


def test_cancelled_entries_leave_the_denominator():
    assert tally([
        Entry("a", "其他", DAY, DAY, "办公室", DONE, DAY),
        Entry("b", "其他", DAY, DAY, "办公室", CANCELLED, DAY),
        Entry("c", "其他", DAY, DAY, "办公室", OPEN),
    ], DAY).rate == Fraction(1, 2)


def test_an_entry_closed_after_the_day_counts_as_open_on_it():
    entry = Entry("a", "其他", dt.date(2025, 12, 20), dt.date(2025, 12, 30), "办公室", DONE, dt.date(2026, 1, 5))
    assert tally([entry], DAY) == Tally(open=1)
    assert tally([entry], dt.date(2026, 1, 5)) == Tally(done=1)
