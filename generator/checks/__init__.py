"""The content checks of `gongkai check`: one module per family, one small rule per code.

Each family module declares its rules (`gongkai.rules`) and `check(ctx)`, which yields
Problems. A family never stops at the first problem, and never raises for bad content.
A family that reads nothing but each item's own file declares `LOCAL = True`: the parallel check
runs it before the processes have exchanged their items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..gc_pause import cycle_collection_paused
from ..problems import Problem
from ..progress import Meter
from ..project import Project
from ..settings import Settings
from . import (
    audiences,
    consultations,
    genres,
    identity,
    markup,
    privacy,
    references,
    registers,
    reports,
    review,
    sanity,
    schema,
    secrecy,
    series,
    theme,
    timeliness,
    wording,
)
from .base import CheckContext

FAMILIES_TASK = "families"  # the meter's task
FAMILIES: tuple = (schema, identity, sanity, genres, review, privacy, secrecy, wording, markup, theme, references, timeliness, reports,
                   registers, audiences, consultations, series)


@dataclass(frozen=True)
class Checked:
    problems: list[Problem]  # sorted, without repeats
    files_read: int  # every file read: catalog, items and pages, and the families' own (reports, registers, lexicon)


def collect(project: Project, today: dt.date, settings: Settings | None = None, render_cache: bool = True) -> list[Problem]:
    """Every problem of the project (reading problems included), unsorted."""
    return list(project.problems) + check_families(CheckContext(project, today, settings, render_cache), FAMILIES)


def check_families(context: CheckContext, families: Sequence, meter: Meter | None = None) -> list[Problem]:
    problems: list[Problem] = []
    with cycle_collection_paused():
        for family in families:
            problems.extend(family.check(context))
            if meter is not None:
                meter.advance(FAMILIES_TASK)
    context.flush()
    return problems


def report(problems: Iterable[Problem], only: Iterable[str] | None = None) -> list[Problem]:
    """Sorted, without repeats, limited to the paths in `only` when given."""
    if only is not None:
        wanted = set(only)
        problems = [p for p in problems if p.path in wanted]
    return sorted(set(problems))


def check(
    project: Project, today: dt.date, only: Iterable[str] | None = None, settings: Settings | None = None,
    render_cache: bool = True, meter: Meter | None = None,
) -> Checked:
    """Every problem of the project, and how many files were read.

    `only` limits the report to those project-relative paths; the whole project is still read,
    because some rules (unique 索引号, 解读 links) look across items. `meter` counts the families checked.
    """
    context = CheckContext(project, today, settings, render_cache)
    if meter is not None:
        meter.start(FAMILIES_TASK, "检查规则（类）", len(FAMILIES), step=len(FAMILIES))
    problems = list(project.problems) + check_families(context, FAMILIES, meter)
    if meter is not None:
        meter.finish(FAMILIES_TASK)
    return Checked(report(problems, only), project.files_read + len(context.files_read))


def run(
    project: Project, today: dt.date, only: Iterable[str] | None = None, settings: Settings | None = None,
    render_cache: bool = True,
) -> list[Problem]:
    """Every problem of the project, sorted (`check` without the count)."""
    return check(project, today, only, settings, render_cache).problems
