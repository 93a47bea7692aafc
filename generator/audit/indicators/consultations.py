"""意见征集 without its 采纳情况: the consultation closed and no 反馈 followed in time (`gongkai check` GK710)."""

from __future__ import annotations

from collections.abc import Iterator

from ...checks.consultations import FEEDBACK_MISSING
from ..model import DEDUCT, AuditContext, Finding, Indicator


def _missing(ctx: AuditContext) -> Iterator[Finding]:
    urls = {item.path: ctx.item_url(item) for item in ctx.published()}
    for problem in ctx.problems:
        if problem.code == FEEDBACK_MISSING.code:
            yield FEEDBACK.finding(problem.message, path=problem.path, line=problem.line, url=urls.get(problem.path, ""))


FEEDBACK = Indicator(
    "consultation-feedback", "意见征集未反馈",
    "征集调查类栏目应公开征集结果；意见征集结束后未公开意见采纳情况的，扣分", DEDUCT,
    "发布一条采纳情况反馈（feedback_for 写征集公告的索引号）：收到多少意见、采纳与否及理由；期限见栏目的 feedback_days",
    _missing, order=75,
)
