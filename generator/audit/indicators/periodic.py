"""定期公开 overdue: a period of a catalog series past its due date and not published (`gongkai check` GK720)."""

from __future__ import annotations

from collections.abc import Iterator

from ...checks.series import MISSING_PERIOD
from ..model import DEDUCT, AuditContext, Finding, Indicator


def _overdue(ctx: AuditContext) -> Iterator[Finding]:
    for problem in ctx.problems:
        if problem.code == MISSING_PERIOD.code:
            yield OVERDUE.finding(problem.message, path=problem.path, line=problem.line)


OVERDUE = Indicator(
    "periodic-overdue", "定期公开信息逾期未公开",
    "应定期公开的信息（如季度、年度数据，预决算）未在规定时限内公开的，扣分", DEDUCT,
    "发布逾期的那一期（条目写 series 和 period）；规定时限见 catalog.yml 中该系列的 due 或 due_days",
    _overdue, order=76,
)
