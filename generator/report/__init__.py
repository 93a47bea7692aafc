"""政府信息公开工作年度报告: inputs from content/reports/<year>.yml, counts from the items,
rendered as Markdown, JSON, CSV, a Word document or an HTML fragment for the site.

    available_years(project) -> list[int]
    published_years(project, today) -> list[int]          # the years the site shows: those that are over
    build_report(project, year, today) -> AnnualReport        # raises ReportError
    render_html(report) -> str                                # <article> fragment; CSS: report_css()
    checked_report(project, year, today) -> (AnnualReport, [Problem])  # + the GK8xx problems of the year
    render(report, fmt) -> str | bytes                        # fmt: markdown | json | csv | html | docx
    render_report(project, year, fmt, today) -> str | bytes
"""

from .build import (
    FORMATS,
    ReportError,
    available_years,
    build_report,
    checked_report,
    published_years,
    render,
    render_report,
    year_problems,
)
from .data import as_data, render_csv, render_json
from .html import render_html, report_css
from .markdown import render_markdown
from .model import AnnualReport, DocumentCounts

__all__ = [
    "FORMATS",
    "AnnualReport",
    "DocumentCounts",
    "ReportError",
    "as_data",
    "available_years",
    "build_report",
    "checked_report",
    "published_years",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_report",
    "report_css",
    "year_problems",
]
