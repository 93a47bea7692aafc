"""The statutory answer period: 20 working days from the day after receipt (or after the 补正
arrived), 20 more with a recorded extension; the due dates below are counted by hand on the
State Council's published holiday schedules."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.registers.applications import Application
from gongkai.registers.deadlines import correction_notice_due, deadline_of, standing
from gongkai.workdays import WorkCalendar
from tests.registers.register_helpers import write_application

D = dt.date
GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")


def application(received: dt.date, **fields) -> Application:
    return Application("content/applications/x.yml", received, "网络", "natural_person", "测试", **fields)


@pytest.mark.parametrize(("received", "due"), [
    # Mon 10 Mar 2025: day 1 is Tue 11 Mar; 清明 4 Apr (Fri) is not counted → 20th is Tue 8 Apr.
    (D(2025, 3, 10), D(2025, 4, 8)),
    # Received on a Saturday: the period still starts the next day, day 1 is Mon 10 Mar → Mon 7 Apr.
    (D(2025, 3, 8), D(2025, 4, 7)),
    # Fri 26 Sep 2025: Sun 28 Sep (调休) is day 1; 1–8 Oct off; Sat 11 Oct (调休) counts → Thu 30 Oct.
    (D(2025, 9, 26), D(2025, 10, 30)),
    # Mon 19 Aug 2024: the 20th working day is Sat 14 Sep, a 调休 working day before 中秋.
    (D(2024, 8, 19), D(2024, 9, 14)),
    # Fri 24 Jan 2025: Sun 26 Jan (调休) is day 1; 春节 28 Jan–4 Feb off; Sat 8 Feb counts → Thu 27 Feb.
    (D(2025, 1, 24), D(2025, 2, 27)),
    # Mon 8 Dec 2025 across New Year: 1–3 Jan 2026 off, Sun 4 Jan (调休) counts → Tue 6 Jan 2026.
    (D(2025, 12, 8), D(2026, 1, 6)),
    # Fri 2 Feb 2024: Sun 4 Feb and Sun 18 Feb (调休) count, 10–17 Feb off → Wed 6 Mar.
    (D(2024, 2, 2), D(2024, 3, 6)),
])
def test_twenty_working_days_from_the_day_after_receipt(received, due):
    deadline = deadline_of(application(received), WorkCalendar())
    assert (deadline.start, deadline.due, deadline.extended, deadline.assumed) == (received, due, False, ())


def test_a_correction_restarts_the_period_from_its_receipt():
    # Received 3 Mar, 补正 asked 5 Mar and received Mon 10 Mar: the period runs as if received on 10 Mar.
    deadline = deadline_of(application(D(2025, 3, 3), correction_requested=D(2025, 3, 5), correction_received=D(2025, 3, 10)),
                           WorkCalendar())
    assert (deadline.start, deadline.due) == (D(2025, 3, 10), D(2025, 4, 8))


def test_no_due_date_while_a_requested_correction_has_not_arrived():
    deadline = deadline_of(application(D(2025, 3, 3), correction_requested=D(2025, 3, 5)), WorkCalendar())
    assert deadline.awaiting_correction and deadline.due is None
    state = standing(application(D(2025, 3, 3), correction_requested=D(2025, 3, 5)), deadline, D(2026, 1, 1), WorkCalendar())
    assert state.open and not state.overdue and state.days_left is None


def test_an_extension_adds_twenty_working_days_after_the_original_last_day():
    # 补正 received 10 Mar → original due 8 Apr; then 9 Apr … (27 Apr, a Sunday, is a 调休 working day;
    # 劳动节 1–5 May off) → the 20th more is Thu 8 May.
    deadline = deadline_of(application(D(2025, 3, 3), correction_requested=D(2025, 3, 5), correction_received=D(2025, 3, 10),
                                       extension=D(2025, 3, 28)), WorkCalendar())
    assert (deadline.original_due, deadline.due, deadline.extended) == (D(2025, 4, 8), D(2025, 5, 8), True)


def test_an_extension_across_new_year():
    # Original due Tue 6 Jan 2026 (above); then 7–9 Jan, 12–16, 19–23, 26–30 Jan, 2–3 Feb → Tue 3 Feb 2026.
    deadline = deadline_of(application(D(2025, 12, 8), extension=D(2025, 12, 30)), WorkCalendar())
    assert (deadline.original_due, deadline.due) == (D(2026, 1, 6), D(2026, 2, 3))


def first_unknown_year() -> int:
    calendar = WorkCalendar()
    return next(year for year in range(2020, 2200) if not calendar.known(year))


def test_a_year_without_a_published_schedule_counts_weekdays_and_says_so():
    year = first_unknown_year()
    received = D(year - 1, 12, 15)
    deadline = deadline_of(application(received), WorkCalendar())
    assert deadline.assumed == (year,)
    # Independently: the known year's working days first, then plain weekdays.
    import chinese_calendar

    day, left = received, 20
    while left:
        day += dt.timedelta(days=1)
        left -= chinese_calendar.is_workday(day) if day.year < year else day.weekday() < 5
    assert deadline.due == day


def test_correction_notice_is_due_on_the_seventh_working_day():
    # Fri 26 Sep 2025: 28, 29, 30 Sep, 9, 10, 11 (Sat, 调休), 13 Oct.
    assert correction_notice_due(application(D(2025, 9, 26)), WorkCalendar()) == D(2025, 10, 13)


@pytest.mark.parametrize(("today", "left", "overdue"), [
    (D(2025, 4, 7), 1, False),   # the day before the due date (Mon → Tue 8 Apr)
    (D(2025, 4, 8), 0, False),   # the due date itself: still in time
    (D(2025, 4, 9), -1, True),
    (D(2025, 4, 3), 2, False),   # Thu 3 Apr: 4 Apr is 清明, so 7 and 8 Apr are left
])
def test_working_days_left(today, left, overdue):
    app = application(D(2025, 3, 10))
    calendar = WorkCalendar()
    state = standing(app, deadline_of(app, calendar), today, calendar)
    assert (state.days_left, state.overdue) == (left, overdue)


def test_answered_on_the_due_date_is_in_time_and_the_day_after_is_late():
    calendar = WorkCalendar()
    on_time, late = application(D(2025, 3, 10), answered=D(2025, 4, 8), outcome="granted"), application(
        D(2025, 3, 10), answered=D(2025, 4, 9), outcome="granted")
    assert not standing(on_time, deadline_of(on_time, calendar), D(2026, 1, 1), calendar).late
    assert standing(late, deadline_of(late, calendar), D(2026, 1, 1), calendar).late


@settings(max_examples=80, deadline=None)
@given(st.dates(D(2004, 1, 1), D(2028, 12, 31)), st.booleans(), st.integers(0, 30))
def test_due_is_a_working_day_exactly_twenty_or_forty_after_the_start(received, extended, correction_after):
    calendar = WorkCalendar()
    correction = received + dt.timedelta(days=correction_after) if correction_after else None
    app = application(received, correction_requested=correction, correction_received=correction,
                      extension=received if extended else None)
    deadline = deadline_of(app, calendar)
    assert deadline.start == (correction or received)
    assert deadline.due is not None and calendar.is_workday(deadline.due)
    assert calendar.count(deadline.start, deadline.due) == (40 if extended else 20)


def test_gongkai_applications_prints_every_due_date(site):
    write_application(site.root, "2025-001", received=D(2025, 9, 26))
    write_application(site.root, "2025-002", received=D(2025, 12, 8), extension={"date": D(2025, 12, 30), "reason": "需征求第三方意见"})
    write_application(site.root, "2025-003", received=D(2025, 3, 3), correction={"requested": D(2025, 3, 5), "received": D(2025, 3, 10)},
                      answered=D(2025, 4, 15), outcome="partial")
    write_application(site.root, "2025-004", received=D(2025, 3, 3), correction={"requested": D(2025, 3, 5)})
    result = subprocess.run([GONGKAI, "applications", "--format", "json", "--today", "2025-10-29"], cwd=site.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {row["path"].rsplit("/", 1)[-1]: row for row in json.loads(result.stdout)}
    assert {name: (row["due"], row["open"]) for name, row in rows.items()} == {
        "2025-001.yml": ("2025-10-30", True),
        "2025-003.yml": ("2025-04-08", False),
        "2025-004.yml": (None, True),
    }  # 2025-002 was received after that day (its due date: the test below)
    assert rows["2025-001.yml"]["days_left"] == 1 and rows["2025-004.yml"]["awaiting_correction"]
    text = subprocess.run([GONGKAI, "applications", "--today", "2025-10-29"], cwd=site.root, capture_output=True, text=True, timeout=120)
    assert "content/applications/2025/2025-001.yml" in text.stdout and "剩余 1 个工作日" in text.stdout


def test_gongkai_applications_says_when_weekdays_were_assumed(site):
    year = first_unknown_year()
    write_application(site.root, "late-in-year", received=D(year - 1, 12, 20))
    result = subprocess.run([GONGKAI, "applications", "--today", f"{year - 1}-12-21"], cwd=site.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and f"{year} 年按周一至周五计算" in result.stdout


def test_gongkai_applications_lists_the_good_files_and_fails_on_a_broken_one(site):
    write_application(site.root, "2025-001")
    write_application(site.root, "2025-002", channel="电话")  # a mistake the deadline does not depend on
    write_application(site.root, "2025-003", correction={"requested": "2025-03-05", "received": "2025-02-30"})
    result = subprocess.run([GONGKAI, "applications", "--format", "json"], cwd=site.root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert [row["path"].rsplit("/", 1)[-1] for row in json.loads(result.stdout)] == ["2025-001.yml", "2025-002.yml"]
    assert "content/applications/2025/2025-003.yml:5:" in result.stderr and "GK833" in result.stderr
    assert "2025-002.yml" not in result.stderr and "Traceback" not in result.stderr


def test_gongkai_applications_today_shows_each_application_as_it_stood_that_day():
    """`--today D` shows the register as of D (as `gongkai supervision --today` does): an answer, an extension or a
    补正 dated after D had not happened yet, and an application received after D is not listed."""
    from gongkai.registers.deadline_list import render_text, rows

    answered_later = Application("2025/2025-016.yml", dt.date(2025, 12, 8), "网络", "natural_person", "x",
                                 extension=dt.date(2025, 12, 30), answered=dt.date(2026, 1, 27), outcome="partial")
    corrected_later = Application("2025/2025-017.yml", dt.date(2025, 12, 15), "网络", "natural_person", "x",
                                  correction_requested=dt.date(2025, 12, 17), correction_received=dt.date(2026, 1, 9))
    received_later = Application("2026/2026-001.yml", dt.date(2026, 1, 12), "网络", "natural_person", "x")
    day = dt.date(2026, 1, 5)
    found = {row.application.path: row for row in rows([answered_later, corrected_later, received_later], day)}
    assert set(found) == {"2025/2025-016.yml", "2025/2025-017.yml"}
    state = found["2025/2025-016.yml"].state
    assert state.open and not state.late and state.days_left == 21 and state.deadline.due == dt.date(2026, 2, 3)
    assert found["2025/2025-017.yml"].state.deadline.awaiting_correction
    text = render_text(list(found.values()), day)
    assert "共 2 件" in text and "办理中 2 件" in text and "剩余 21 个工作日" in text and "答复 2026-01-27" not in text
    # the rows as of the day after everything: the recorded facts as they are
    later = {row.application.path: row for row in rows([answered_later, corrected_later], dt.date(2026, 2, 1))}
    assert not later["2025/2025-016.yml"].state.open
    assert later["2025/2025-017.yml"].state.deadline.start == dt.date(2026, 1, 9)
