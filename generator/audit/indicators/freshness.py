"""网站与栏目更新 (检查指标：首页不更新、栏目不更新、应更新但长期未更新的栏目、空白栏目)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ...model import AUDIENCE_PUBLIC, Category
from ..model import DEDUCT, VETO, AuditContext, Finding, Indicator

HOME_DAYS = 14
NEWS_DAYS = 14  # 动态要闻类
NOTICE_MONTHS = 6  # 通知公告、政策文件类
LONG_MONTHS = 12  # 人事、规划计划类
STALE_VETO_COUNT = 10
BLANK_VETO_COUNT = 5


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day where that day does not exist)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def newest_by_column(ctx: AuditContext) -> dict[str, dt.date]:
    """The newest date of each column as the public site shows it (`Item.public_since`: a 先党内、后党外 item's
    public_from, not the day members got it); withdrawn items do not count as updates."""
    newest: dict[str, dt.date] = {}
    for item in ctx.published():
        if item.withdrawn is None and item.category is not None and (day := item.public_since) is not None:
            slug = item.category.slug
            if slug not in newest or day > newest[slug]:
                newest[slug] = day
    return newest


def _column(leaf: Category) -> str:
    return f"“{leaf.group} / {leaf.name}”"


def _catalog_line(ctx: AuditContext, leaf: Category) -> tuple[str, int]:
    document = ctx.project.catalog_document
    if document is None:
        return "", 0
    groups = document.meta.get("categories")
    for gi, group in enumerate(groups if isinstance(groups, list) else []):
        children = group.get("children") if isinstance(group, dict) else None
        for ci, child in enumerate(children if isinstance(children, list) else []):
            if isinstance(child, dict) and str(child.get("slug", "")).strip() == leaf.slug:
                return document.path, document.line_of("categories", gi, "children", ci)
    return document.path, 0


def _home(ctx: AuditContext) -> Iterator[Finding]:
    newest = max((item.public_since for item in ctx.published() if item.withdrawn is None and item.public_since), default=None)
    if newest is None:
        yield HOME.finding("首页没有任何已发布的信息")
    elif (ctx.today - newest).days > HOME_DAYS:
        yield HOME.finding(f"首页最新一条信息发布于 {newest}，距今 {(ctx.today - newest).days} 天，超过 {HOME_DAYS} 天没有更新")


def _limit(ctx: AuditContext, leaf: Category) -> tuple[dt.date, str] | None:
    """(the oldest date that still counts as up to date, how the limit reads) of a column, or None."""
    if leaf.update_class == "动态要闻":
        return ctx.today - dt.timedelta(days=NEWS_DAYS), f"动态要闻类栏目 {NEWS_DAYS} 天"
    if leaf.update_class in ("通知公告", "政策文件"):
        return months_before(ctx.today, NOTICE_MONTHS), f"{leaf.update_class}类栏目 {NOTICE_MONTHS} 个月"
    if leaf.update_class in ("人事", "规划计划"):
        return months_before(ctx.today, LONG_MONTHS), f"{leaf.update_class}类栏目 {LONG_MONTHS} 个月"
    if leaf.stale_after_days:
        return ctx.today - dt.timedelta(days=leaf.stale_after_days), f"stale_after_days 规定的 {leaf.stale_after_days} 天"
    return None


def _stale_columns(ctx: AuditContext, veto: bool) -> Iterator[Finding]:
    """Columns past their limit: the 动态/通知公告/政策文件 classes veto, the others cost points."""
    newest = newest_by_column(ctx)
    catalog = ctx.project.catalog
    for leaf in catalog.categories if catalog else ():
        latest, limit = newest.get(leaf.slug), _limit(ctx, leaf)
        if latest is None or limit is None or latest >= limit[0]:
            continue
        if veto != (leaf.update_class in ("动态要闻", "通知公告", "政策文件")):
            continue
        path, line = _catalog_line(ctx, leaf)
        indicator = COLUMN_NOT_UPDATED if veto else COLUMN_STALE
        yield indicator.finding(f"栏目{_column(leaf)}最近一条信息发布于 {latest}，距今 {(ctx.today - latest).days} 天，"
                                f"超过{limit[1]}未更新", path=path, line=line)


def _many_stale(ctx: AuditContext) -> Iterator[Finding]:
    stale = list(_stale_columns(ctx, veto=False))
    if len(stale) >= STALE_VETO_COUNT:
        yield MANY_STALE.finding(f"应更新但长期未更新的栏目共 {len(stale)} 个（达到 {STALE_VETO_COUNT} 个即单项否决）",
                                 details=tuple(finding.message for finding in stale))


def _blank_columns(ctx: AuditContext) -> list[Category]:
    newest = newest_by_column(ctx)
    catalog = ctx.project.catalog
    # A 党内 column is on the public site only once it has a public item: then it is not blank.
    return [leaf for leaf in (catalog.categories if catalog else ()) if leaf.slug not in newest and leaf.audience == AUDIENCE_PUBLIC]


def _blank(ctx: AuditContext) -> Iterator[Finding]:
    for leaf in _blank_columns(ctx):
        path, line = _catalog_line(ctx, leaf)
        yield BLANK.finding(f"栏目{_column(leaf)}没有任何已发布的信息", path=path, line=line)


def _many_blank(ctx: AuditContext) -> Iterator[Finding]:
    blank = _blank_columns(ctx)
    if len(blank) >= BLANK_VETO_COUNT:
        names = "、".join(leaf.name for leaf in blank)
        yield MANY_BLANK.finding(f"空白栏目共 {len(blank)} 个（达到 {BLANK_VETO_COUNT} 个即单项否决）：{names}")


HOME = Indicator(
    "home-not-updated", "首页不更新", "监测 2 周，首页无信息更新的，即单项否决", VETO,
    "及时发布新信息；首页列出最新发布的信息，发布一条即是更新", _home, order=10,
)
COLUMN_NOT_UPDATED = Indicator(
    "column-not-updated", "栏目不更新",
    "动态、要闻类栏目超过 2 周未更新，通知公告、政策文件类栏目超过 6 个月未更新，即单项否决", VETO,
    "在该栏目发布新信息；栏目类别在 catalog.yml 栏目的 update_class 中声明，声明有误的请改正",
    lambda ctx: _stale_columns(ctx, veto=True), order=20,
)
COLUMN_STALE = Indicator(
    "column-stale", "应更新但长期未更新的栏目",
    "人事、规划计划类栏目超过 1 年未更新，其他栏目超过 catalog.yml 中 stale_after_days 规定的天数未更新", DEDUCT,
    "在该栏目发布新信息；确实更新得少的栏目，按实际周期调大 stale_after_days",
    lambda ctx: _stale_columns(ctx, veto=False), order=60,
)
MANY_STALE = Indicator(
    "columns-stale-10", "应更新但长期未更新的栏目过多", "应更新但长期未更新的栏目数量超过（含）10 个，即单项否决", VETO,
    "逐个更新这些栏目；已不再使用的栏目从 catalog.yml 中删除", _many_stale, order=21,
)
BLANK = Indicator(
    "blank-column", "空白栏目", "栏目没有任何内容（开设后从未发布信息）", DEDUCT,
    "发布该栏目的信息；确实没有的，发布一条说明，或从 catalog.yml 中删除该栏目", _blank, order=61,
)
MANY_BLANK = Indicator(
    "blank-columns-5", "空白栏目过多", "空白栏目数量超过（含）5 个，即单项否决", VETO,
    "为这些栏目发布信息，或从 catalog.yml 中删除不用的栏目", _many_blank, order=22,
)
