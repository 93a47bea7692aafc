"""The content checks of `gongkai check`: one module per family, one small rule per code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..problems import Problem
from ..project import Project


def run(project: Project, today: dt.date, only: Iterable[str] | None = None) -> list[Problem]:
    """Every problem of the project (reading problems included), sorted.

    `only` limits the report to those project-relative paths; the whole project is still read,
    because some rules (unique 索引号, 解读 links) look across items.
    """
    problems = list(project.problems)
    if only is not None:
        wanted = set(only)
        problems = [p for p in problems if p.path in wanted]
    return sorted(set(problems))
