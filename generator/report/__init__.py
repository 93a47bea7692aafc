"""政府信息公开工作年度报告: inputs from content/reports/<year>.yml, counts from the items,
rendered as Markdown, JSON, CSV or an HTML fragment for the site.

    available_years(project) -> list[int]
    build_report(project, year, today) -> AnnualReport        # raises ReportError
    render_html(report) -> str                                # <article> fragment; CSS: report_css()
    render_report(project, year, fmt, today) -> str           # fmt: markdown | json | csv | html
"""

from .build import FORMATS, ReportError, available_years, build_report, render_report
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
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_report",
    "report_css",
]
