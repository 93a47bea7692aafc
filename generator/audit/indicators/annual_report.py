"""政府信息公开工作年度报告: due by 31 January (条例第五十条) and published on the site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ...report import available_years
from ..history import DATED
from ..model import DEDUCT, AuditContext, Finding, Indicator

DUE_MONTH, DUE_DAY = 1, 31


def due_year(today: dt.date) -> int:
    """The latest year whose report must be out by `today`."""
    return today.year - 1 if today > dt.date(today.year, DUE_MONTH, DUE_DAY) else today.year - 2


def _annual(ctx: AuditContext) -> Iterator[Finding]:
    year = due_year(ctx.today)
    deadline = dt.date(year + 1, DUE_MONTH, DUE_DAY)
    file = ctx.project.reports_dir / f"{year}.yml"
    rel = ctx.project.rel(file)
    if year not in available_years(ctx.project):
        yield REPORT.finding(f"{year} 年政府信息公开工作年度报告应在 {deadline} 前公布，网站上没有（缺少 {rel}）", path=rel)
        return
    added = ctx.history.first_added(file)
    if added is not None and added.kind == DATED and added.date > deadline:
        yield REPORT.finding(f"{year} 年年度报告的数据于 {added.date}（提交 {added.commit}）才提交，晚于 {deadline} 的期限",
                             path=rel)


REPORT = Indicator(
    "annual-report", "年度报告未按时公布",
    "每年 1 月 31 日前公布本行政机关上一年度政府信息公开工作年度报告（《政府信息公开条例》第五十条）", DEDUCT,
    "按 docs/年度报告数据格式.md 建立 content/reports/<年份>.yml，构建后年报页面即在网站上", _annual, order=80,
)
