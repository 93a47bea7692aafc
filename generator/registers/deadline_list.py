"""`gongkai applications`: every application of the register with its statutory due date.

Text for the office (open applications first, soonest due first), JSON for other tools: a list
of objects with at least `path`, `due` (YYYY-MM-DD, null while a requested 补正 has not arrived)
and `open`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from ..problems import printable, printable_json
from ..workdays import WorkCalendar
from .applications import Application
from .deadlines import Standing, deadline_of, standing

FORMATS = ("text", "json")


@dataclass(frozen=True)
class Row:
    application: Application
    state: Standing


def as_of(application: Application, day: dt.date) -> Application | None:
    """The application as it stood on `day` (`gongkai applications --today`): a 补正, an extension or an answer
    recorded with a later date had not happened yet; None when it was received after `day`."""
    if application.received > day:
        return None

    def by(date: dt.date | None) -> dt.date | None:
        return date if date is not None and date <= day else None

    answered = by(application.answered)
    return replace(application, correction_requested=by(application.correction_requested),
                   correction_received=by(application.correction_received), extension=by(application.extension),
                   answered=answered, outcome=application.outcome if answered is not None else None)


def rows(applications: list[Application], today: dt.date) -> list[Row]:
    """Every application received by `today`, as it stood that day (the register's dates after it not yet come)."""
    calendar = WorkCalendar()
    standing_then = [then for application in sorted(applications, key=lambda application: application.path)
                     if (then := as_of(application, today)) is not None]
    return [Row(application, standing(application, deadline_of(application, calendar), today, calendar))
            for application in standing_then]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def as_data(row: Row) -> dict[str, Any]:
    application, state, deadline = row.application, row.state, row.state.deadline
    return {
        "path": application.path,
        "received": _iso(application.received),
        "applicant": application.applicant,
        "channel": application.channel,
        "start": _iso(deadline.start),
        "due": _iso(deadline.due),
        "original_due": _iso(deadline.original_due),
        "extended": deadline.extended,
        "awaiting_correction": deadline.awaiting_correction,
        "open": state.open,
        "answered": _iso(application.answered),
        "outcome": application.outcome,
        "days_left": state.days_left,
        "overdue": state.overdue,
        "late": state.late,
        "weekdays_assumed_for": list(deadline.assumed),
    }


def render_json(found: list[Row]) -> str:
    return printable_json([as_data(row) for row in found], indent=2)


def _line(row: Row) -> str:
    application, state, deadline = row.application, row.state, row.state.deadline
    # A file's name as written: one holding an ESC sequence, a C1 control or a bidirectional mark (the check
    # refuses it, GK030, but the register still lists it) would act on the office's terminal.
    parts = [printable(application.path), f"收到 {application.received}"]
    if application.correction_requested is not None:
        parts.append(f"补正 {application.correction_received or '待补正'}")
    if deadline.extended:
        parts.append("已延期")
    parts.append(f"期限 {deadline.due}" if deadline.due else "期限 自收到补正之日起计算")
    if state.open:
        if state.overdue:
            parts.append(f"已逾期 {-(state.days_left or 0)} 个工作日")
        elif state.days_left is not None:
            parts.append("今天到期" if state.days_left == 0 else f"剩余 {state.days_left} 个工作日")
    else:
        parts.append(f"答复 {application.answered}" + ("（逾期）" if state.late else ""))
    if deadline.assumed:
        parts.append(f"※{'、'.join(map(str, deadline.assumed))} 年按周一至周五计算")
    return "  ".join(parts)


def render_text(found: list[Row], today: dt.date) -> str:
    open_rows = sorted((row for row in found if row.state.open),
                       key=lambda row: (row.state.deadline.due or dt.date.max, row.application.path))
    closed = [row for row in found if not row.state.open]
    lines = [f"依申请公开登记：共 {len(found)} 件（截至 {today}）"]
    if open_rows:
        lines += ["", f"办理中 {len(open_rows)} 件："] + [f"  {_line(row)}" for row in open_rows]
    if closed:
        lines += ["", f"已答复 {len(closed)} 件："] + [f"  {_line(row)}" for row in closed]
    overdue = sum(row.state.overdue for row in found)
    late = sum(row.state.late for row in found)
    lines += ["", f"逾期未答复 {overdue} 件，逾期答复 {late} 件。"]
    lines.append("答复期限：自收到申请（或补正）的次日起第 20 个工作日，延期的再加 20 个工作日；工作日含调休上班日，不含法定节假日。")
    if any(row.state.deadline.assumed for row in found):
        lines.append("※ 标注的年份 chinesecalendar 尚未收录节假日安排，暂按周一至周五计算，国务院公布安排后期限可能变化。")
    return "\n".join(lines)
