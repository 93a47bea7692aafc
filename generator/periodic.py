"""A periodic series on a given day: each period's due date, its publication, and whether it is late.

Which periods are expected: from the series' `start` (else the earliest period any of its items
names; else only the latest period already due) to its `end` (else on), every period whose due
date has passed, and any later period that already has an item. An item counts for its period
from the day it reaches the series' column's readers (a 党内 column: its publication; any other:
the day it reaches the public), if it is 主动公开 and not withdrawn.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import AUDIENCE_PARTY, PUBLIC, Catalog, Item, Series
from .periods import LAST_YEAR, Period, parse_due, parse_period, period_at, period_of
from .values import LATEST

ON_TIME, LATE, MISSING, PENDING = "按时", "逾期", "未发布", "未到期"
# Periods before today's that a schedule walks one by one: 1,500 weeks reach back to 1997, months to 1901.
# 300 weekly series started in 1949 (4,000 periods each) cost a check 13 s and a build 45 s.
MAX_WALKED = 1500


@dataclass(frozen=True)
class PeriodRecord:
    period: Period
    due: dt.date
    rule: str  # how `due` was found, e.g. 次月底; 批复（2026-02-10）后 20 天
    items: tuple[Item, ...]  # the items that count for this period, first published first
    published: dt.date | None  # the day the first of them reached the column's readers, if on or before today
    missing: bool  # nothing published and the due date has passed

    @property
    def state(self) -> str:
        if self.published is not None:
            return ON_TIME if self.published <= self.due else LATE
        return MISSING if self.missing else PENDING

    @property
    def days_late(self) -> int:
        return (self.published - self.due).days if self.published is not None else 0


def due_of(series: Series, period: Period, approvals: dict[str, dt.date] | None = None) -> tuple[dt.date, str]:
    """The due date of `period` and the rule that gave it (`approvals`: `dict(series.approved)`, if at hand)."""
    approvals = dict(series.approved) if approvals is None else approvals
    if series.due_days is not None and str(period) in approvals:
        approved = approvals[str(period)]
        return approved + dt.timedelta(days=series.due_days), f"批复（{approved}）后 {series.due_days} 天"
    rule = parse_due(series.due)
    assert rule is not None, "the catalog refuses a series whose rule does not parse"
    note = "（未登记批复日期）" if series.due_days is not None else ""
    return rule.date(period), f"{series.due}{note}"


def reach_date(item: Item, audience: str) -> dt.date | None:
    """The day `item` reaches readers of `audience`, if it ever does."""
    if audience == AUDIENCE_PARTY:
        return item.published
    return item.public_since


def counted_items(series: Series, items: Iterable[Item]) -> dict[Period, list[Item]]:
    """The 主动公开, not withdrawn items of the series with a valid period, by period."""
    found: dict[Period, list[Item]] = defaultdict(list)
    for item in items:
        if item.series != series.name or item.disclosure != PUBLIC or item.withdrawn is not None:
            continue
        period = parse_period(item.period, series.every)
        if period is not None:
            found[period].append(item)
    return found


def schedule(series: Series, catalog: Catalog, items: Iterable[Item], today: dt.date,
             audience: str | None = None) -> list[PeriodRecord]:
    """Every expected period of `series` on `today`, oldest first, with items counted from the day they
    reach `audience` (by default the readers of the series' column).

    Periods are walked one by one only from MAX_WALKED periods before today's to about three years after it;
    outside that window only the periods an item names are counted, so a series started in 1949 or an item of
    period 2100W01 costs what its items cost (the check refuses a `start` before the window: GK906)."""
    column = catalog.category(series.column)
    if audience is None:
        audience = column.audience if column is not None else AUDIENCE_PARTY
    by_period = counted_items(series, items)
    start = parse_period(series.start, series.every) if series.start else None
    end = parse_period(series.end, series.every) if series.end else None
    latest_item = max(by_period, default=None)
    firsts = [period for period in (start, min(by_period, default=None)) if period is not None]
    first = min(firsts) if firsts else _latest_due(series, today)
    if first is None:
        return []
    low, high = walked_window(series.every, today)
    approvals = dict(series.approved)
    records: list[PeriodRecord] = []

    def visit(period: Period) -> bool:
        """Record `period` if it is expected; False when the schedule ends before it."""
        due, rule = due_of(series, period, approvals)
        if due >= today and (latest_item is None or period > latest_item):
            return False
        found = by_period.get(period, [])
        if found or start is None or period >= start:  # before `start`, only periods that have an item
            reached = sorted(((reach_date(item, audience), item) for item in found),
                             key=lambda pair: (pair[0] or dt.date.max, pair[1].index_no))
            first_day = reached[0][0] if reached else None
            published = first_day if first_day is not None and first_day <= today else None
            records.append(PeriodRecord(period, due, rule, tuple(item for _, item in reached), published,
                                        published is None and due < today))
        return True

    def expected(period: Period) -> bool:
        return period.year <= LAST_YEAR and (end is None or period <= end)

    named = sorted(by_period)
    for period in named:  # long before today: only the periods an item names
        if period.index < low and expected(period):
            visit(period)
    index = max(first.index, low)
    while index <= high:
        period = period_at(index, series.every)
        if not expected(period) or not visit(period):
            break
        index += 1
    else:
        for period in named:  # long after today: only the periods an item names
            if period.index > high and expected(period):
                visit(period)
    return records


def walked_window(every: str, today: dt.date) -> tuple[int, int]:
    """The `Period.index` of the first and the last period `schedule` walks one by one on `today`."""
    day = min(today, LATEST)
    now = period_of(day, every).index
    later = period_of(min(day + dt.timedelta(days=3 * 366), LATEST), every).index
    return now - MAX_WALKED, later


def _latest_due(series: Series, today: dt.date) -> Period | None:
    """Without a start or any item: the latest period whose due date has passed (at least that one is missing)."""
    period = period_of(min(today, dt.date(LAST_YEAR, 12, 31)), series.every)
    for _ in range(60):  # a due rule lies at most a little over a year after its period
        if due_of(series, period)[0] < today:
            return period
        period = _previous(period)
    return None


def _previous(period: Period) -> Period:
    return period_of(period.first_day - dt.timedelta(days=1), period.every)
