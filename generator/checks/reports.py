"""Family `reports` (GK8xx): the annual-report inputs in content/reports/<year>.yml.

Shape and types, the arithmetic of the national tables (every sum the office writes down is
re-added), last year's 结转 against this year's, and the documents listed as repealed. The
rules are declared in `gongkai.report.codes` because `gongkai report` refuses on the same errors.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..problems import Problem
from ..report.validation import load_inputs, report_files
from .base import CheckContext


def check(ctx: CheckContext) -> Iterable[Problem]:
    ctx.files_read.update(ctx.project.rel(file) for file in report_files(ctx.project))
    _, problems = load_inputs(ctx.project, ctx.today)
    return problems
