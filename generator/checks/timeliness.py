"""Timeliness checks (GK7xx, warnings): 条例第二十六条's 20 working days, 党务公开's three working days after
approval, 解读与文件同步发布, and categories that stay empty (空白栏目) or stop being updated (栏目长期不更新)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..fields import label
from ..loading import SourceDocument
from ..model import PUBLIC, Catalog, Item
from ..problems import Problem
from ..roster import Roster, roster_of
from ..rules import TIMELINESS, WARNING
from ..workdays import WorkCalendar
from .base import CheckContext

WORKING_DAYS_LIMIT = 20
PARTY_WORKING_DAYS = 3  # 党务公开: “公开事项一般应在审核批准后三个工作日内完成公开程序”

LATE = TIMELINESS.rule(
    "GK701", WARNING,
    "发布日期比成文日期晚 20 个工作日以上（条例第二十六条）",
    "主动公开的信息应自形成之日起 20 个工作日内公开：核对两个日期，今后及时发布",
)
INTERPRETATION_LATE = TIMELINESS.rule(
    "GK702", WARNING,
    "解读晚于所解读的文件发布（应同步发布）",
    "政策解读应与文件同步起草、同步审签、同步发布：核对两者的发布日期",
)
PARTY_LATE = TIMELINESS.rule(
    "GK705", WARNING,
    "党务公开事项在审核批准（最后一级审查签署）后 3 个工作日以上才发布",
    "党务公开事项一般应在审核批准后三个工作日内完成公开：核对发布日期和审查日期，今后及时发布",
)
EMPTY_CATEGORY = TIMELINESS.rule(
    "GK703", WARNING,
    "空白栏目：公开目录中的二级栏目没有任何已发布的信息",
    "发布该栏目的信息；确实没有的，在栏目中发布一条说明，或从 catalog.yml 中删除该栏目",
)
STALE_CATEGORY = TIMELINESS.rule(
    "GK704", WARNING,
    "栏目长期不更新：最近一条信息早于 stale_after_days 规定的天数",
    "及时发布新信息；若该栏目本来就更新得少，调大 catalog.yml 中的 stale_after_days",
)


def check(ctx: CheckContext) -> Iterator[Problem]:
    project = ctx.project
    calendar = WorkCalendar()
    roster = roster_of(project.catalog)
    for item, doc in ctx.sources():
        if item.disclosure != PUBLIC or not item.published:
            continue
        if item.category is not None and item.category.party:
            yield from _party_late(item, doc, roster, calendar)
        if item.written and (item.published - item.written).days > WORKING_DAYS_LIMIT:
            days = calendar.count(item.written, item.published)
            if days > WORKING_DAYS_LIMIT:
                assumed = calendar.assumed(item.written + dt.timedelta(days=1), item.published)
                basis = "（该年份的法定节假日安排未知，按周一至周五计算）" if assumed else ""
                yield LATE.at(doc.path, doc.line_of("published"),
                              f"{label('published')} {item.published} 比{label('written')} {item.written} "
                              f"晚 {days} 个工作日{basis}：主动公开的信息应在形成之日起 20 个工作日内公开"
                              "（条例第二十六条），请核对日期并及时发布")
        policy = project.item_by_index_no(item.interprets) if item.interprets else None
        if policy is not None and policy is not item and policy.published and item.published > policy.published:
            yield INTERPRETATION_LATE.at(doc.path, doc.line_of("published"),
                          f"本解读的{label('published')} {item.published} 晚于所解读的文件（{policy.path}，"
                          f"{policy.published}）{(item.published - policy.published).days} 天：解读应与文件同步发布")
    if project.catalog is not None and project.catalog_document is not None:
        yield from _categories(ctx, project.catalog, project.catalog_document)


def _party_late(item: Item, doc: SourceDocument, roster: Roster, calendar: WorkCalendar) -> Iterator[Problem]:
    """党务公开: published more than three working days after the last level signed it (审核批准). A sign-off
    after publication (an item edited or withdrawn later and reviewed again) counts no working days."""
    last = roster.levels[-1]
    entry = item.review.entry(last.key)
    approved = entry.date if entry is not None else None
    if approved is None or item.published is None:
        return
    days = calendar.count(approved, item.published)
    if days > PARTY_WORKING_DAYS:
        assumed = calendar.assumed(approved + dt.timedelta(days=1), item.published)
        basis = "（该年份的法定节假日安排未知，按周一至周五计算）" if assumed else ""
        yield PARTY_LATE.at(doc.path, doc.line_of("published"),
                            f"{label('published')} {item.published} 比{last.name}（审核批准）日期 {approved} "
                            f"晚 {days} 个工作日{basis}：党务公开事项一般应在审核批准后三个工作日内完成公开，"
                            "请核对日期并及时发布")


def _category_lines(doc: SourceDocument) -> dict[str, int]:
    """Line of each leaf in catalog.yml, by slug."""
    lines: dict[str, int] = {}
    groups = doc.meta.get("categories")
    for gi, group in enumerate(groups if isinstance(groups, list) else []):
        children = group.get("children") if isinstance(group, dict) else None
        for ci, leaf in enumerate(children if isinstance(children, list) else []):
            if isinstance(leaf, dict):
                lines[str(leaf.get("slug", "")).strip()] = doc.line_of("categories", gi, "children", ci)
    return lines


def _categories(ctx: CheckContext, catalog: Catalog, document: SourceDocument) -> Iterator[Problem]:
    newest: dict[str, dt.date] = {}
    for item in ctx.project.items:
        # A column is judged by what its own readers see (a 党内 column: members-only items too).
        if (item.category is not None and item.published and item.withdrawn is None
                and item.is_published(ctx.today, item.category.audience)):
            slug = item.category.slug
            if slug not in newest or item.published > newest[slug]:
                newest[slug] = item.published
    lines = _category_lines(document)
    path = document.path
    for leaf in catalog.categories:
        line = lines.get(leaf.slug, 1)
        latest = newest.get(leaf.slug)
        if latest is None:
            yield EMPTY_CATEGORY.at(path, line,
                          f"空白栏目：“{leaf.group} / {leaf.name}”还没有已发布的信息；请发布该栏目的信息，"
                          "或在栏目中说明暂无相关信息，或从公开目录中删除该栏目")
        elif leaf.stale_after_days and (ctx.today - latest).days > leaf.stale_after_days:
            yield STALE_CATEGORY.at(path, line,
                          f"栏目长期不更新：“{leaf.group} / {leaf.name}”最近一条信息发布于 {latest}，"
                          f"已超过 {leaf.stale_after_days} 天（stale_after_days）；请及时发布新信息，"
                          "或按实际更新周期调大 stale_after_days")
