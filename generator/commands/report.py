"""`gongkai report`: the 政府信息公开工作年度报告 of a year, after the problems that bear on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..problems import Problem
from ..report import AnnualReport, ReportError, checked_report, render
from ..settings import Settings
from . import Refused, site_project


class ReportRefused(Refused):
    """No report: the message says why; `problems` (the year's GK8xx problems) are shown first."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Report:
    report: AnnualReport
    content: str | bytes  # bytes for docx
    problems: list[Problem]  # the warnings that bear on the year


def annual_report(settings: Settings, year: int, format_: str, today: dt.date) -> Report:
    project = site_project(settings)
    try:
        annual, problems = checked_report(project, year, today)
    except ReportError as exc:
        raise ReportRefused(str(exc), exc.problems) from None
    return Report(annual, render(annual, format_), problems)
