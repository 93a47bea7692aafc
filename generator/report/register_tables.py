"""Tables 三 and 四 counted from the 依申请公开 register, as the 2021 national template counts.

- An application counts in 本年新收 of the year it was received, under its applicant's column.
- One received in an earlier year and not answered by 31 December of the year before is 上年结转;
  so this year's 上年结转 is last year's 结转下年度 by construction (the same applications).
- One answered within the year counts under its outcome row and （七）总计.
- One received by 31 December and not answered by then is 结转下年度继续办理.
Every application in play in a year is in exactly one of 新收 / 上年结转 and exactly one of the
results / 结转下年度, so each column balances (新收 + 上年结转 = 总计 + 结转下年度) by construction.

Table 四 counts a 行政复议 or 行政诉讼 in the year it was filed, under its result as known on
31 December of that year (a case decided later was then 尚未审结).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..registers.applications import Application
from .layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    CARRIED_FORWARD,
    CARRIED_OVER,
    NEW,
    RESULTS_TOTAL,
    TOTAL_COLUMN,
)

Cell = tuple[str, str]  # (row key, column key)


@dataclass
class CountedTable:
    """A table's cells and, for each cell, the register files counted in it."""

    cells: dict[str, dict[str, int]]
    files: dict[Cell, list[str]] = field(default_factory=dict)

    def add(self, row: str, column: str, path: str) -> None:
        for col in (column, TOTAL_COLUMN.key):
            self.cells[row][col] += 1
            self.files.setdefault((row, col), []).append(path)


def _empty(rows: Iterable[str], columns: Iterable[str]) -> CountedTable:
    columns = tuple(columns)
    return CountedTable({row: {column: 0 for column in columns} for row in rows})


def application_table(applications: Iterable[Application], year: int) -> CountedTable:
    """Table 三 of `year`: rows as layout.APPLICATION_ROWS, columns as APPLICATION_COLUMNS."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = _empty((row.key for row in APPLICATION_ROWS), (column.key for column in APPLICATION_COLUMNS))
    for application in applications:
        if application.received > end or (application.answered is not None and application.answered < start):
            continue  # not in play this year: received later, or answered before it began
        came = NEW.key if application.received >= start else CARRIED_OVER.key
        table.add(came, application.applicant, application.path)
        if application.answered is not None and application.answered <= end:
            assert application.row is not None  # an answered application has an outcome (GK840)
            table.add(application.row, application.applicant, application.path)
            table.add(RESULTS_TOTAL.key, application.applicant, application.path)
        else:
            table.add(CARRIED_FORWARD.key, application.applicant, application.path)
    return table


def appeal_table(applications: Iterable[Application], year: int) -> CountedTable:
    """Table 四 of `year`: 行政复议, 行政诉讼 (direct / after review) filed in the year, by result."""
    end = dt.date(year, 12, 31)
    table = _empty((row.key for row in APPEAL_ROWS), (column.key for column in APPEAL_COLUMNS))
    for application in applications:
        review, litigation = application.review, application.litigation
        if review is not None and review.filed.year == year:
            table.add("review", review.result_at(end), application.path)
        if litigation is not None and litigation.filed.year == year:
            row = "litigation_after_review" if litigation.after_review else "litigation_direct"
            table.add(row, litigation.result_at(end), application.path)
    return table
