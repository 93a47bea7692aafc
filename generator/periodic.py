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
from .periods import LAST_YEAR, Period, parse_due, parse_period, period_of

ON_TIME, LATE, MISSING, PENDING = "按时", "逾期", "未发布", "未到期"


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


def due_of(series: Series, period: Period) -> tuple[dt.date, str]:
    """The due date of `period` and the rule that gave it."""
    approvals = dict(series.approved)
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
    reach `audience` (by default the readers of the series' column)."""
    column = catalog.category(series.column)
    if audience is None:
        audience = column.audience if column is not None else AUDIENCE_PARTY
    by_period = counted_items(series, items)
    start = parse_period(series.start, series.every) if series.start else None
    end = parse_period(series.end, series.every) if series.end else None
    latest_item = max(by_period, default=None)
    firsts = [period for period in (start, min(by_period, default=None)) if period is not None]
    period = min(firsts) if firsts else _latest_due(series, today)
    records: list[PeriodRecord] = []
    while period is not None and period.year <= LAST_YEAR and (end is None or period <= end):
        due, rule = due_of(series, period)
        if due >= today and (latest_item is None or period > latest_item):
            break
        found = by_period.get(period, [])
        if found or start is None or period >= start:  # before `start`, only periods that have an item
            reached = sorted(((reach_date(item, audience), item) for item in found),
                             key=lambda pair: (pair[0] or dt.date.max, pair[1].index_no))
            first = reached[0][0] if reached else None
            published = first if first is not None and first <= today else None
            records.append(PeriodRecord(period, due, rule, tuple(item for _, item in reached), published,
                                        published is None and due < today))
        period = period.next()
    return records


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
