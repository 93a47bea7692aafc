"""表述错误 (检查指标：严重表述错误；错别字), from the lexicon findings of `gongkai check`."""

from __future__ import annotations

from collections.abc import Iterator

from ...checks import wording
from ..model import DEDUCT, VETO, AuditContext, Finding, Indicator


def _url_of(ctx: AuditContext, path: str) -> str:
    for item in ctx.project.items:
        if item.path == path:
            return ctx.item_url(item) if item.is_published(ctx.today) else ""
    return ""


def _findings(ctx: AuditContext, indicator: Indicator, codes: tuple[str, ...]) -> Iterator[Finding]:
    for problem in ctx.problems:
        if problem.code in codes:
            yield indicator.finding(problem.message, path=problem.path, line=problem.line, url=_url_of(ctx, problem.path))


def _serious(ctx: AuditContext) -> Iterator[Finding]:
    return _findings(ctx, SERIOUS, (wording.FORBIDDEN.code, wording.WRONG_TITLE.code))


def _typos(ctx: AuditContext) -> Iterator[Finding]:
    return _findings(ctx, TYPOS, (wording.REPLACE.code,))


SERIOUS = Indicator(
    "serious-wording", "严重表述错误",
    "出现严重表述错误（如领导人姓名、职务写错，固定政治表述、涉台涉外表述错误），即单项否决", VETO,
    "按提示改正；领导的任职记录在 content/lexicon.yml 的 people 中，有变动及时更新",
    _serious, order=30,
)
TYPOS = Indicator(
    "typos", "错别字和不规范表述", "网站内容存在错别字、不规范表述", DEDUCT,
    "按提示改为正确写法；经审查确属正确用法的，在条目的 lexicon_allow 中登记",
    _typos, order=70,
)
