"""The statutory answer period of an application (条例第三十条、第三十三条; 民法典第二百零一条).

- The period is 20 working days (工作日: Monday to Friday, without the State Council's holidays,
  plus the weekend days it declares working days, 调休).
- It runs from the day the application was received, or, when a 补正 was requested, from the day
  the 补正 was received (第三十条); that day itself is not counted (民法典第二百零一条): day 1 is
  the first working day after it, whatever day of the week the receipt fell on.
- A recorded extension (延期) adds 20 more working days, counted on from the original last day.
- `due` is the last day of the period: an answer dated on or before it is in time. The count
  runs through New Year and holidays like any other day; for a year chinesecalendar does not ship
  Monday to Friday are assumed and the deadline says so (`assumed`), because the State Council's
  schedule for it may still move the date.
- While a requested 补正 has not arrived, the period has not started: there is no due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..workdays import WorkCalendar
from .applications import Application

ANSWER_DAYS = 20  # 条例第三十三条第二款
EXTENSION_DAYS = 20  # 同款：延长的期限最长不得超过 20 个工作日
CORRECTION_NOTICE_DAYS = 7  # 条例第三十条：收到申请之日起 7 个工作日内一次性告知补正


@dataclass(frozen=True)
class Deadline:
    start: dt.date | None  # the day the period runs from (not itself counted); None while awaiting a 补正
    due: dt.date | None  # last day of the period, extension included
    original_due: dt.date | None  # without the extension
    extended: bool
    assumed: tuple[int, ...]  # years counted as plain weekdays (chinesecalendar does not know them)

    @property
    def awaiting_correction(self) -> bool:
        return self.start is None


def deadline_of(application: Application, calendar: WorkCalendar) -> Deadline:
    if application.correction_requested is not None and application.correction_received is None:
        return Deadline(None, None, None, application.extension is not None, ())
    start = application.correction_received or application.received
    try:
        original = calendar.add(start, ANSWER_DAYS)
        due = calendar.add(original, EXTENSION_DAYS) if application.extension is not None else original
    except ValueError:  # a date at the end of the calendar (9999): the check reports it as after today
        return Deadline(start, None, None, application.extension is not None, ())
    return Deadline(start, due, original, application.extension is not None, calendar.assumed(start, due))


def correction_notice_due(application: Application, calendar: WorkCalendar) -> dt.date:
    """The last day to ask for a 补正: the 7th working day after receipt (the last date there is at most)."""
    try:
        return calendar.add(application.received, CORRECTION_NOTICE_DAYS)
    except ValueError:
        return dt.date.max


@dataclass(frozen=True)
class Standing:
    """Where an application stands on a given day."""

    deadline: Deadline
    open: bool
    late: bool  # answered after the due date
    overdue: bool  # still open after the due date
    days_left: int | None  # open ones: working days from the day after `today` to `due`; negative once overdue


def standing(application: Application, deadline: Deadline, today: dt.date, calendar: WorkCalendar) -> Standing:
    due = deadline.due
    is_open = application.answered is None
    late = not is_open and due is not None and application.answered is not None and application.answered > due
    overdue = is_open and due is not None and today > due
    days_left = None
    if is_open and due is not None:
        days_left = calendar.count(today, due) if today <= due else -calendar.count(due, today)
    return Standing(deadline, is_open, late, overdue, days_left)
