"""The publication heat map: counts per week and month, and an SVG that is well-formed and escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from gongkai.audit.heatmap import WEEKS, build_heatmap, render_svg, render_table
from gongkai.project import load_project

TODAY = dt.date(2024, 6, 30)  # a Sunday


def test_counts_per_week_and_month(site):
    for number, day in enumerate(("2024-06-24", "2024-06-30", "2024-06-23", "2023-07-01", "2023-05-01")):
        site.item(f"2024/{number}.md", category="动态信息", published=day, written=None)
    site.item("2024/later.md", category="动态信息", published="2024-07-05", written=None)  # scheduled: not counted
    heatmap = build_heatmap(load_project(site.root), TODAY)
    news = next(row for row in heatmap.rows if row.name == "工作动态 / 动态信息")
    assert heatmap.start == dt.date(2023, 6, 26) and len(news.weeks) == WEEKS  # Monday, 52 weeks before this week's
    assert news.weeks[-1] == 2 and news.weeks[-2] == 1 and news.weeks[0] == 1 and sum(news.weeks) == 4
    assert news.months[-1] == 3 and news.months[0] == 1 and sum(news.months) == 4
    assert heatmap.month_starts[0] == dt.date(2023, 7, 1) and heatmap.month_starts[-1] == dt.date(2024, 6, 1)


def test_svg_is_well_formed_accessible_and_escaped(site):
    (site.content / "catalog.yml").write_text(
        (site.content / "catalog.yml").read_text(encoding="utf-8").replace("动态信息", "动态<script>&信息"),
        encoding="utf-8")
    heatmap = build_heatmap(load_project(site.root), TODAY)
    svg = ET.fromstring(render_svg(heatmap))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "heatmap-title heatmap-desc"
    assert "<script>" not in render_svg(heatmap) and "动态&lt;script&gt;&amp;信息" in render_svg(heatmap)
    assert "<script>" not in render_table(heatmap)
    ET.fromstring(render_table(heatmap))
