"""The report's entry points: which years exist, build one year's report, render it."""

from __future__ import annotations

import datetime as dt

from ..problems import format_text
from ..project import Project
from .compute import document_counts, proactive_counts, public_items
from .inputs import ReportInput
from .layout import NORMATIVE, REGULATION
from .model import AnnualReport
from .validation import load_inputs, report_files, year_of

FORMATS = ("markdown", "json", "csv", "html")


class ReportError(Exception):
    """Why a report cannot be produced, in Chinese, for the user."""


def available_years(project: Project) -> list[int]:
    """Years that have a content/reports/<year>.yml (whether or not it passes the check)."""
    return sorted(year for file in report_files(project) if (year := year_of(file)) is not None)


def build_report(project: Project, year: int, today: dt.date) -> AnnualReport:
    """The report for `year`; ReportError when its input is missing or has errors."""
    file = project.reports_dir / f"{year}.yml"
    rel = project.rel(file)
    if not file.is_file():
        years = available_years(project)
        have = f"现有：{'、'.join(map(str, years))} 年" if years else "目前还没有任何年份的数据"
        raise ReportError(
            f"没有 {year} 年的年度报告数据：请按 docs/年度报告数据格式.md 建立 {rel}（{have}）"
        )
    if project.catalog is None:
        raise ReportError("content/catalog.yml 有错误，无法确定机构名称和公开目录：请先运行 `gongkai check` 并改正")
    inputs, problems = load_inputs(project, today)
    errors = sorted(p for p in problems if p.is_error and p.path == rel)
    if errors or year not in inputs:
        shown = format_text(errors[:5]) + ("\n……" if len(errors) > 5 else "")
        raise ReportError(
            f"{rel} 有 {len(errors)} 处错误，无法生成年报。请先运行 `gongkai check {rel}` 查看并改正：\n{shown}"
        )
    return _assemble(project, inputs, year, today)


def _assemble(project: Project, inputs: dict[int, ReportInput], year: int, today: dt.date) -> AnnualReport:
    entered = inputs[year]
    items = public_items(project, today)
    repeal_years = repeal_years_of(inputs)
    counts = document_counts(items, year, [number for number, _ in entered.repealed], repeal_years)
    total, by_category, by_department = proactive_counts(project, items, year)
    assert project.catalog is not None
    return AnnualReport(
        year=year,
        org_name=project.catalog.org_name,
        overview=entered.texts["overview"],
        regulations=counts[REGULATION.key],
        normative_documents=counts[NORMATIVE.key],
        figures=dict(entered.figures),  # type: ignore[arg-type]  # complete: the file has no errors
        applications={key: dict(cells) for key, cells in entered.applications.items()},  # type: ignore[misc]
        appeals={key: dict(cells) for key, cells in entered.appeals.items()},  # type: ignore[misc]
        main_problems=entered.texts["problems"],
        other_matters=entered.texts["other_matters"],
        proactive_total=total,
        by_category=by_category,
        by_department=by_department,
    )


def repeal_years_of(inputs: dict[int, ReportInput]) -> dict[str, int]:
    """索引号 → year of repeal; repealed_earlier means “by the year before”. Earliest listing wins."""
    years: dict[str, int] = {}
    for year in sorted(inputs, reverse=True):
        years.update({number: year - 1 for number, _ in inputs[year].repealed_earlier})
        years.update({number: year for number, _ in inputs[year].repealed})
    return years


def render_report(project: Project, year: int, fmt: str, today: dt.date) -> str:
    """The report for `year` as markdown, json, csv or html (an embeddable fragment), for printing:
    without the final newline, which the printer adds (so a CSV on stdout has no blank last row)."""
    from .data import render_csv, render_json
    from .html import render_html
    from .markdown import render_markdown

    renderers = {"markdown": render_markdown, "json": render_json, "csv": render_csv, "html": render_html}
    if fmt not in renderers:
        raise ReportError(f"不支持的格式“{fmt}”：可选 {'、'.join(FORMATS)}")
    return renderers[fmt](build_report(project, year, today)).rstrip("\n")
