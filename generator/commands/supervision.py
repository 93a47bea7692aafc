"""`gongkai supervision`: a year's 督办件 counted by source and status, with the overdue ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..problems import Problem
from ..registers.loading import load_registers
from ..registers.supervision_summary import YearSummary, summarize
from ..settings import Settings
from . import Refused, site_project


@dataclass(frozen=True)
class Summarised:
    summary: YearSummary
    problems: list[Problem]  # the errors of the files left out


def supervision(settings: Settings, year: int | None, today: dt.date) -> Summarised:
    if year is not None and not 1000 <= year <= 9999:
        raise Refused(f"年份“{year}”不对：请写四位年份，例如 2025")
    if year is not None and today.year < year:  # nothing of that year is received yet: every count would be 0
        raise Refused(f"统计截至 {today}，早于 {year} 年：请把 --today 设为 {year} 年内或之后的日期，或不写 --today（默认今天）")
    project = site_project(settings)
    registers = load_registers(project)
    found = [*registers.problems, *project.problems]  # the latter: files the walk of content/ could not read
    left_out = sorted(p for p in found if p.is_error and p.path in registers.unusable_entries)
    return Summarised(summarize(registers.supervision, year or today.year, today), left_out)
