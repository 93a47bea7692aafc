"""Periodic disclosures (定期公开): an item's series and period (GK160–GK163), and the series on
the day of the check: missing, late and doubled periods (GK720–GK722, warnings with the due date)."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog_options import SERIES_BOUNDS
from ..fields import label
from ..hints import close_name, known_names
from ..loading import SourceDocument
from ..model import Catalog, Item
from ..periodic import LATE, MAX_WALKED, PeriodRecord, schedule, walked_window
from ..periods import EVERY_LABELS, PERIOD_FORMS, parse_period, period_at
from ..problems import Problem
from ..rules import ERROR, SCHEMA, TIMELINESS, WARNING
from .base import CheckContext
from .schema import WRONG_TYPE

UNKNOWN_SERIES = SCHEMA.rule(
    "GK160", ERROR,
    "定期公开系列（series）不在 catalog.yml 的 series 中",
    "填写 catalog.yml 中某个系列的名称（name），或先在 catalog.yml 中登记该系列",
)
BAD_PERIOD = SCHEMA.rule(
    "GK161", ERROR,
    "期别（period）缺失或不符合系列的周期，或填写了期别却没有写 series",
    "series 和 period 一起填写；期别按系列周期写成 2026、2026H1、2026Q3、2026-03 或 2026W09",
)
WRONG_COLUMN = SCHEMA.rule(
    "GK162", ERROR,
    "条目的主题分类与其定期公开系列的栏目不一致",
    "把主题分类改为系列所在的栏目，或核对 series 是否填错",
)
MISSING_PERIOD = TIMELINESS.rule(
    "GK720", WARNING,
    "定期公开缺期：某一期已过应发布日期仍未发布",
    "尽快发布该期（series、period 写明系列和期别）；确实不再公开的，在 catalog.yml 中给系列写 end",
)
LATE_PERIOD = TIMELINESS.rule(
    "GK721", WARNING,
    "定期公开逾期：该期晚于应发布日期发布",
    "今后按时发布（应发布日期由 catalog.yml 中系列的 due 规定）；已发布的不必改动",
)
DOUBLE_PERIOD = TIMELINESS.rule(
    "GK722", WARNING,
    "同一期定期公开有两条以上条目",
    "核对期别是否填错；若是更正，撤回（withdrawn）旧条目，只保留一条",
)


# Missing periods listed one by one per series, the latest; the earlier ones are one warning. A weekly series started
# in 1949 (or an item of period 1949W01) missed 4,000 periods: 300 such series wrote 1.2 million warnings (300 MB,
# 1.6 GB of memory, minutes).
MAX_MISSING_LISTED = 60  # more than a year of a weekly series


def check(ctx: CheckContext) -> Iterator[Problem]:
    catalog = ctx.project.catalog
    if catalog is None:
        return
    for item, doc in ctx.sources():
        yield from _fields(item, doc, catalog)
    for series in catalog.series:
        start = parse_period(series.start, series.every) if series.start else None
        low = walked_window(series.every, ctx.today)[0]
        if start is not None and start.index < low:
            earliest = period_at(low, series.every)
            catalog_path = ctx.project.catalog_document.path if ctx.project.catalog_document else "content/catalog.yml"
            yield SERIES_BOUNDS.at(catalog_path, series.line,
                                   f"定期公开“{series.name}”的起始期 start“{series.start}”早于今天之前 {MAX_WALKED} 期"
                                   f"（{earliest}）：gongkai 只逐期核对这 {MAX_WALKED} 期，更早的缺期无法报告。请把 start 改为该系列"
                                   f"实际开始公开的期别（不早于 {earliest}）；更早各期已有的条目照常计入")
        records = schedule(series, catalog, ctx.project.items, ctx.today)
        missing = [record for record in records if record.missing]
        earlier = missing[:-MAX_MISSING_LISTED]
        if earlier:
            yield _earlier_missing(ctx, series.name, series.line, earlier)
        summed = {record.period for record in earlier}
        for record in records:
            yield from _record(ctx, series.name, series.line, record, listed=record.period not in summed)


def _earlier_missing(ctx: CheckContext, name: str, line: int, earlier: list[PeriodRecord]) -> Problem:
    catalog_path = ctx.project.catalog_document.path if ctx.project.catalog_document else "content/catalog.yml"
    first, last = earlier[0], earlier[-1]
    return MISSING_PERIOD.at(catalog_path, line,
                             f"定期公开“{name}”另有 {len(earlier)} 期未发布，从{first.period.label}（{first.period}，应发布日期 "
                             f"{first.due}）到{last.period.label}（{last.period}，应发布日期 {last.due}）；其后各期逐一列出。"
                             "请补发；系列起始期（start）写早了的请改正，确实不再公开的给系列写 end")


def _fields(item: Item, doc: SourceDocument, catalog: Catalog) -> Iterator[Problem]:
    if "series" not in doc.meta and "period" not in doc.meta:
        return
    for key in ("series", "period"):
        if isinstance(doc.meta.get(key), (dict, list, bool)):
            yield WRONG_TYPE.at(doc.path, doc.line_of(key), f"{label(key)}应是一段文字，例如 series: 供水水质检测结果、period: 2026Q3")
            return
    if not item.series:
        yield BAD_PERIOD.at(doc.path, doc.line_of("period"),
                    f"填写了{label('period')}，但没有写{label('series')}：请写明本条属于 catalog.yml 中哪个定期公开系列")
        return
    series = catalog.series_named(item.series)
    if series is None:
        names = [known.name for known in catalog.series]
        close = close_name(item.series, names)
        hint = f"是否想写“{close}”？" if close else (f"已登记的系列：{known_names(names, 'catalog.yml 的 series')}" if names
                                                else "catalog.yml 中还没有 series")
        yield UNKNOWN_SERIES.at(doc.path, doc.line_of("series"),
                    f"{label('series')}“{item.series}”不在 catalog.yml 的 series 中：{hint}", doc.value_col("series"))
        return
    form = f"{EVERY_LABELS[series.every]}系列的期别写成 {PERIOD_FORMS[series.every]}"
    if not item.period:
        yield BAD_PERIOD.at(doc.path, doc.line_of("series"),
                    f"本条属于定期公开系列“{series.name}”，但缺少{label('period')}：{form}")
    elif parse_period(item.period, series.every) is None:
        yield BAD_PERIOD.at(doc.path, doc.line_of("period"),
                    f"{label('period')}“{item.period}”不是系列“{series.name}”的期别：{form}", doc.value_col("period"))
    if item.category is not None and item.category.slug != series.column:
        column = catalog.category(series.column)
        yield WRONG_COLUMN.at(doc.path, doc.line_of("category"),
                    f"本条属于定期公开系列“{series.name}”，该系列在栏目“{column.name if column else series.column}”，"
                    f"而本条的{label('category')}是“{item.category.name}”：请改为系列所在栏目，或核对 series")


def _record(ctx: CheckContext, name: str, line: int, record: PeriodRecord, *, listed: bool = True) -> Iterator[Problem]:
    period = f"{record.period.label}（{record.period}）"
    if record.missing and listed:
        catalog_path = ctx.project.catalog_document.path if ctx.project.catalog_document else "content/catalog.yml"
        overdue = (ctx.today - record.due).days
        scheduled = [item for item in record.items if item.published and item.published > ctx.today]
        later = f"；已有条目定于 {scheduled[0].published} 发布（{scheduled[0].path}）" if scheduled else ""
        yield MISSING_PERIOD.at(catalog_path, line,
                      f"定期公开“{name}”{period}未发布：应发布日期 {record.due}（{record.rule}），已逾期 {overdue} 天{later}"
                      f"；请发布该期，条目中写 series: {name}、period: {record.period}")
    if record.state == LATE:
        first = record.items[0]
        doc = ctx.project.documents.get(first.path)
        if doc is not None:
            yield LATE_PERIOD.at(first.path, doc.line_of("published"),
                      f"本条是定期公开“{name}”{period}，{record.published} 公开，晚于应发布日期 {record.due}"
                      f"（{record.rule}）{record.days_late} 天")
    for extra in record.items[1:]:
        doc = ctx.project.documents.get(extra.path)
        if doc is not None:
            yield DOUBLE_PERIOD.at(extra.path, doc.line_of("period"),
                      f"定期公开“{name}”{period}已有 {record.items[0].path}（{record.items[0].index_no}）："
                      "同一期只应有一条；请核对期别，若是更正请撤回旧条目")
