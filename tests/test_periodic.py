"""A series on a given day: which periods are expected, when each is due, published, late or missing."""

from __future__ import annotations

import dataclasses
import datetime as dt

from gongkai.model import AUDIENCE_PARTY, Catalog, Category, CategoryGroup, Department, Item, Review, Series, Withdrawal
from gongkai.periodic import LATE, MISSING, ON_TIME, PENDING, schedule

D = dt.date
WATER = Category("市政服务", "utility", "重点领域", "focus")
PARTY = Category("党内制度", "party-rules", "党务公开", "party", audience=AUDIENCE_PARTY, party=True)
CATALOG = Catalog("测试县住房和城乡建设局", "11131122MB1534702N", (Department("办公室", "office"),),
                  (CategoryGroup("重点领域", "focus", (WATER,)), CategoryGroup("党务公开", "party", (PARTY,), party=True)))
QUARTERLY = Series("供水水质检测结果", "water", "utility", "quarter", "次月底", start="2025Q1")


def item(period: str, published: D, serial: int, series: Series = QUARTERLY, **changes) -> Item:
    made = Item(f"content/items/{published.year}/{serial}.md", f"第{period}期", f"11131122MB1534702N/{published.year}-{serial:05d}",
                WATER, Department("办公室", "office"), published, "主动公开", Review(), "正文", series=series.name, period=period)
    return dataclasses.replace(made, **changes)


def states(series: Series, items: list[Item], today: D, audience: str | None = None) -> list[tuple[str, D, str]]:
    return [(str(r.period), r.due, r.state) for r in schedule(series, CATALOG, items, today, audience)]


def test_on_time_late_missing_and_not_yet_due():
    items = [item("2025Q1", D(2025, 4, 30), 1), item("2025Q2", D(2025, 8, 1), 2), item("2025Q4", D(2026, 1, 20), 3)]
    assert states(QUARTERLY, items, D(2026, 2, 1)) == [
        ("2025Q1", D(2025, 4, 30), ON_TIME),  # on the due date is on time
        ("2025Q2", D(2025, 7, 31), LATE),
        ("2025Q3", D(2025, 10, 31), MISSING),
        ("2025Q4", D(2026, 1, 31), ON_TIME),
    ]  # 2026Q1 is due 2026-04-30: not expected yet


def test_a_period_is_missing_only_once_its_due_date_has_passed():
    assert states(QUARTERLY, [], D(2025, 4, 30)) == []
    assert states(QUARTERLY, [], D(2025, 5, 1)) == [("2025Q1", D(2025, 4, 30), MISSING)]


def test_a_scheduled_item_is_not_published_before_its_day():
    records = schedule(QUARTERLY, CATALOG, [item("2025Q1", D(2025, 5, 20), 1)], D(2025, 5, 10))
    assert [(r.state, r.published, len(r.items)) for r in records] == [(MISSING, None, 1)]


def test_withdrawn_and_unpublished_items_do_not_count():
    items = [item("2025Q1", D(2025, 4, 10), 1, withdrawn=Withdrawal(D(2025, 4, 12), "有误")),
             item("2025Q1", D(2025, 4, 11), 2, disclosure="依申请公开")]
    assert states(QUARTERLY, items, D(2025, 5, 1)) == [("2025Q1", D(2025, 4, 30), MISSING)]


def test_two_items_for_one_period_are_both_kept_first_published_first():
    records = schedule(QUARTERLY, CATALOG, [item("2025Q1", D(2025, 4, 20), 2), item("2025Q1", D(2025, 4, 10), 1)], D(2025, 5, 1))
    assert [i.published for i in records[0].items] == [D(2025, 4, 10), D(2025, 4, 20)]
    assert records[0].published == D(2025, 4, 10)


def test_without_start_the_first_item_starts_the_series_and_earlier_items_before_start_still_show():
    unstarted = dataclasses.replace(QUARTERLY, start="")
    assert [p for p, _, _ in states(unstarted, [item("2025Q3", D(2025, 10, 20), 1)], D(2026, 2, 1))] == ["2025Q3", "2025Q4"]
    before = [item("2023Q2", D(2023, 7, 20), 1), item("2025Q1", D(2025, 4, 20), 2)]
    assert [p for p, _, _ in states(QUARTERLY, before, D(2025, 6, 1))] == ["2023Q2", "2025Q1"]  # no gap rows before start


def test_without_start_or_items_the_latest_due_period_is_missing():
    assert states(dataclasses.replace(QUARTERLY, start=""), [], D(2026, 2, 1)) == [("2025Q4", D(2026, 1, 31), MISSING)]
    monthly = Series("月报", "monthly", "utility", "month", "次月10日")
    assert states(monthly, [], D(2027, 1, 11)) == [("2026-12", D(2027, 1, 10), MISSING)]


def test_end_stops_a_series():
    ended = dataclasses.replace(QUARTERLY, end="2025Q2")
    assert [p for p, _, _ in states(ended, [], D(2026, 6, 1))] == ["2025Q1", "2025Q2"]


def test_an_early_item_for_a_later_period_is_listed_as_published():
    budget = Series("部门预算", "budget", "utility", "year", "当年3月底", start="2026")
    assert states(budget, [item("2027", D(2026, 12, 20), 1, series=budget)], D(2026, 12, 31)) == [
        ("2026", D(2026, 3, 31), MISSING), ("2027", D(2027, 3, 31), ON_TIME),
    ]


def test_due_days_count_from_the_recorded_approval_else_the_due_rule():
    budget = Series("部门预算", "budget", "utility", "year", "当年3月底", due_days=20, start="2025",
                    approved=(("2025", D(2025, 2, 7)),))
    records = schedule(budget, CATALOG, [item("2025", D(2025, 3, 1), 1, series=budget)], D(2026, 4, 2))
    assert [(str(r.period), r.due, r.state, r.rule) for r in records] == [
        ("2025", D(2025, 2, 27), LATE, "批复（2025-02-07）后 20 天"),
        ("2026", D(2026, 3, 31), MISSING, "当年3月底（未登记批复日期）"),
    ]
    assert records[0].days_late == 2


def test_a_party_column_counts_from_publication_and_the_public_from_public_from():
    party_series = Series("党费收缴情况", "dues", "party-rules", "quarter", "次月底", start="2025Q1")
    members_first = item("2025Q1", D(2025, 4, 20), 1, series=party_series, category=PARTY, audience=AUDIENCE_PARTY,
                         public_from=D(2025, 5, 10))
    assert states(party_series, [members_first], D(2025, 6, 1)) == [("2025Q1", D(2025, 4, 30), ON_TIME)]
    # The public site's table counts it from the day the public got it.
    assert states(party_series, [members_first], D(2025, 6, 1), audience="公众") == [("2025Q1", D(2025, 4, 30), LATE)]


def test_a_period_beyond_the_last_year_is_never_counted_to():
    weekly = Series("周报", "weekly", "utility", "week", "期末后7天", start="2100W50")
    assert [p for p, _, _ in states(weekly, [], D(9999, 12, 31))][-1] == "2100W52"


def test_pending_is_the_state_of_a_period_not_due_and_not_published():
    records = schedule(QUARTERLY, CATALOG, [item("2025Q3", D(2025, 6, 1), 1)], D(2025, 6, 2))
    assert [r.state for r in records] == [MISSING, PENDING, ON_TIME]


def test_periods_far_from_today_are_walked_only_where_an_item_names_them():
    """A weekly series from 1949 and an item of 2100W01: the schedule walks 1,500 periods before today's and three
    years after it, and outside them only the periods its items name (4,000 and 4,000 more before)."""
    weekly = Series("周报", "weekly", "utility", "week", "期末后7天", start="1949W01")
    items = [item("1950W02", D(2021, 1, 8), 1, series=weekly), item("2100W01", D(2021, 1, 8), 2, series=weekly)]
    records = schedule(weekly, CATALOG, items, D(2022, 4, 1))
    periods = [str(record.period) for record in records]
    assert periods[0] == "1950W02" and periods[1] == "1993W26" and periods[-1] == "2100W01"
    assert periods[-2] < "2025W20" and len(records) < 1500 + 160 + 3
    assert records[-1].items and records[0].items


def test_every_period_index_leads_back_to_its_period():
    from gongkai.periods import EVERY, period_at, period_of

    for every in EVERY:
        for day in (D(1949, 1, 1), D(1976, 12, 31), D(2026, 1, 1), D(2100, 12, 31)):
            period = period_of(day, every)
            assert period_at(period.index, every) == period
            assert period_at(period.index + 1, every) == period.next()
