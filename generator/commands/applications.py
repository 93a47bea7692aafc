"""`gongkai applications`: the 依申请公开 register with each application's statutory due date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..problems import Problem
from ..registers.deadline_list import Row, rows
from ..registers.loading import load_registers
from ..settings import Settings
from . import site_project


@dataclass(frozen=True)
class Listed:
    rows: list[Row]
    problems: list[Problem]  # the errors of the files left out (their deadline cannot be computed)


def applications(settings: Settings, today: dt.date) -> Listed:
    project = site_project(settings)
    registers = load_registers(project)
    found = [*registers.problems, *project.problems]  # the latter: files the walk of content/ could not read
    left_out = sorted(p for p in found if p.is_error and p.path in registers.untimed)
    return Listed(rows(registers.timed(), today), left_out)
