"""`gongkai supervision [YEAR]`: the year's 督办件 by source and status, 办结率, overdue ones.

A year is counted as it stood on its 31 December (or today, while it runs): a 督办件 closed in
January counts as 办理中 in the year before. 办结率 comes from `tally`, so it cannot exceed 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..problems import printable, printable_json
from ..spreadsheet import csv_text
from .supervision import DONE, SOURCES, Entry
from .tally import Tally, cutoff, percent, tally

FORMATS = ("text", "json", "csv")
CSV_HEADER = ("年度", "来源", "收到", "已办结", "办理中", "已取消", "办结率")


@dataclass(frozen=True)
class YearSummary:
    year: int
    day: dt.date  # the day the year is counted on
    by_source: tuple[tuple[str, Tally], ...]  # every source, in the register's order
    total: Tally
    overdue: tuple[Entry, ...]  # open on `day` although their deadline had passed
    closed_late: int  # closed, but after their deadline


def summarize(entries: Iterable[Entry], year: int, today: dt.date) -> YearSummary:
    day = cutoff(year, today)
    of_year = sorted((entry for entry in entries if entry.received.year == year and entry.received <= day),
                     key=lambda entry: entry.path)
    by_source = tuple((source, tally((e for e in of_year if e.source == source), day)) for source in SOURCES)
    return YearSummary(
        year=year,
        day=day,
        by_source=by_source,
        total=tally(of_year, day),
        overdue=tuple(entry for entry in of_year if entry.overdue_at(day)),
        closed_late=sum(1 for e in of_year if e.status_at(day) == DONE and e.closed is not None and e.closed > e.deadline),
    )


def _counts(counted: Tally) -> dict[str, Any]:
    return {"received": counted.received, "done": counted.done, "open": counted.open, "cancelled": counted.cancelled,
            "rate": percent(counted.rate) if counted.rate is not None else None}


def render_json(summary: YearSummary) -> str:
    data = {
        "year": summary.year,
        "as_of": summary.day.isoformat(),
        "total": _counts(summary.total),
        "by_source": {source: _counts(counted) for source, counted in summary.by_source},
        "overdue": [
            {"path": e.path, "source": e.source, "received": e.received.isoformat(), "deadline": e.deadline.isoformat(),
             "department": e.department, "days_overdue": (summary.day - e.deadline).days}
            for e in summary.overdue
        ],
        "closed_late": summary.closed_late,
    }
    return printable_json(data, indent=2)


def render_csv(summary: YearSummary) -> str:
    rows = ((summary.year, source, counted.received, counted.done, counted.open, counted.cancelled, percent(counted.rate))
            for source, counted in (*summary.by_source, ("合计", summary.total)))
    return csv_text(CSV_HEADER, rows)


def render_text(summary: YearSummary) -> str:
    total = summary.total
    lines = [f"{summary.year} 年督查督办登记（截至 {summary.day}）", ""]
    lines.append(f"{'来源':<8}\t收到\t已办结\t办理中\t已取消\t办结率")
    for source, counted in summary.by_source:
        if counted.received:
            lines.append(f"{source:<8}\t{counted.received}\t{counted.done}\t{counted.open}\t{counted.cancelled}\t{percent(counted.rate)}")
    lines.append(f"{'合计':<8}\t{total.received}\t{total.done}\t{total.open}\t{total.cancelled}\t{percent(total.rate)}")
    lines += ["", "办结率 = 已办结 ÷（收到 − 已取消），只统计本年收到的督办件，向下取整，不会超过 100%。"]
    if summary.overdue:
        lines += ["", f"逾期未办结 {len(summary.overdue)} 件："]
        lines += [f"  {printable(e.path)}  {e.source}  期限 {e.deadline}  逾期 {(summary.day - e.deadline).days} 天  承办：{e.department}"
                  for e in summary.overdue]  # a file's name as written (see deadline_list._line)
    else:
        lines += ["", "没有逾期未办结的督办件。"]
    if summary.closed_late:
        lines.append(f"超过期限才办结 {summary.closed_late} 件。")
    return "\n".join(lines)
