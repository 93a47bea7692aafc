"""Publications per column over the last 12 months, week by week: a calendar heat map in SVG.

One row per column of the 公开目录 and one cell per week, so a column that went quiet for two weeks
shows as a gap. Plain SVG with a title per cell and a table of the same numbers by month beside it:
no script, readable without colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from ..project import Project

WEEKS = 53
CELL, GAP, LABEL_WIDTH, HEADER = 13, 3, 190, 22
# Light to dark; the first is "none". Each step differs enough for people with weak colour vision.
COLOURS = ("#ebedf0", "#b7dfb9", "#6fbf73", "#2e8b3e", "#14532d")


@dataclass(frozen=True)
class Row:
    name: str  # 一级 / 二级
    weeks: tuple[int, ...]
    months: tuple[int, ...]


@dataclass(frozen=True)
class HeatMap:
    start: dt.date  # Monday of the first week
    today: dt.date
    rows: tuple[Row, ...]

    @property
    def month_starts(self) -> tuple[dt.date, ...]:
        """The first day of each of the 12 months shown in the table, oldest first."""
        months = []
        year, month = self.today.year, self.today.month
        for _ in range(12):
            months.append(dt.date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return tuple(reversed(months))


def build_heatmap(project: Project, today: dt.date) -> HeatMap:
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS - 1)
    catalog = project.catalog
    leaves = catalog.categories if catalog else ()
    weekly = {leaf.slug: [0] * WEEKS for leaf in leaves}
    monthly = {leaf.slug: [0] * 12 for leaf in leaves}
    first_month = (today.year * 12 + today.month - 1) - 11
    for item in project.published_items(today):
        if item.category is None or item.published is None or item.category.slug not in weekly:
            continue
        week = (item.published - start).days // 7
        if 0 <= week < WEEKS:
            weekly[item.category.slug][week] += 1
        month = item.published.year * 12 + item.published.month - 1 - first_month
        if 0 <= month < 12:
            monthly[item.category.slug][month] += 1
    rows = tuple(Row(f"{leaf.group} / {leaf.name}", tuple(weekly[leaf.slug]), tuple(monthly[leaf.slug])) for leaf in leaves)
    return HeatMap(start, today, rows)


def _colour(count: int) -> str:
    return COLOURS[min(count, 4) if count < 3 else (3 if count < 5 else 4)]


def render_svg(heatmap: HeatMap) -> str:
    width = LABEL_WIDTH + WEEKS * (CELL + GAP)
    height = HEADER + len(heatmap.rows) * (CELL + GAP) + 30
    total = sum(sum(row.weeks) for row in heatmap.rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="heatmap-title heatmap-desc" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="heatmap">',
        '<title id="heatmap-title">近 12 个月各栏目每周发布信息条数</title>',
        f'<desc id="heatmap-desc">{heatmap.start} 至 {heatmap.today}，{len(heatmap.rows)} 个栏目共发布 {total} 条；'
        "每格一周，颜色越深发布越多，空白格表示该周没有发布。各月数字见下方表格。</desc>",
    ]
    previous_month = 0
    for week in range(WEEKS):
        day = heatmap.start + dt.timedelta(weeks=week)
        if day.month != previous_month:
            previous_month = day.month
            x = LABEL_WIDTH + week * (CELL + GAP)
            parts.append(f'<text x="{x}" y="14" class="month">{day.month}月</text>')
    for index, row in enumerate(heatmap.rows):
        y = HEADER + index * (CELL + GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + CELL - 2}" text-anchor="end" class="label">{escape(row.name)}</text>')
        for week, count in enumerate(row.weeks):
            first = heatmap.start + dt.timedelta(weeks=week)
            last = min(first + dt.timedelta(days=6), heatmap.today)
            x = LABEL_WIDTH + week * (CELL + GAP)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" fill="{_colour(count)}">'
                f"<title>{escape(row.name)}：{first} 至 {last} 发布 {count} 条</title></rect>"
            )
    legend_y = HEADER + len(heatmap.rows) * (CELL + GAP) + 10
    parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{legend_y + CELL - 2}" text-anchor="end" class="label">每周条数</text>')
    for step, (label, colour) in enumerate(zip(("0", "1", "2", "3–4", "5+"), COLOURS, strict=True)):
        x = LABEL_WIDTH + step * 52
        parts.append(f'<rect x="{x}" y="{legend_y}" width="{CELL}" height="{CELL}" rx="2" fill="{colour}"/>')
        parts.append(f'<text x="{x + CELL + 4}" y="{legend_y + CELL - 2}" class="label">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_table(heatmap: HeatMap) -> str:
    """The same publications by month, as a table (for screen readers and for print)."""
    months = heatmap.month_starts
    head = "".join(f'<th scope="col">{month.year}年{month.month}月</th>' for month in months)
    body = "".join(
        f'<tr><th scope="row">{escape(row.name)}</th>' + "".join(f"<td>{count}</td>" for count in row.months)
        + f"<td>{sum(row.months)}</td></tr>"
        for row in heatmap.rows
    )
    return (f'<table class="months"><caption>近 12 个月各栏目每月发布条数</caption>'
            f'<thead><tr><th scope="col">栏目</th>{head}<th scope="col">合计</th></tr></thead><tbody>{body}</tbody></table>')
