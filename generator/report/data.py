"""AnnualReport → JSON (one document) and CSV (one tidy row per number)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..problems import printable_json
from ..spreadsheet import csv_text
from .layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    BY_CATEGORY_HEADER,
    BY_DEPARTMENT_HEADER,
    COUNT_HEADER,
    DOCUMENT_COLUMNS,
    FIGURES,
    NORMATIVE,
    PROACTIVE_HEADER,
    REGULATION,
    SECTION_ACTIVE,
    SECTION_APPEALS,
    SECTION_APPLICATIONS,
    appeal_label,
)
from .model import AnnualReport, DocumentCounts, format_amount

CSV_HEADER = ("年度", "栏目", "项目", "指标", "数值")


def _number(value: int | Decimal) -> int | float:
    return value if isinstance(value, int) else float(value)


def as_data(report: AnnualReport) -> dict[str, Any]:
    """The report as plain JSON-ready data; keys are the YAML keys, labels come along for readers."""
    def documents(counts: DocumentCounts) -> dict[str, int]:
        return {"made": counts.made, "repealed": counts.repealed, "valid": counts.valid}

    return {
        "year": report.year,
        "org": report.org_name,
        "title": report.title,
        "overview": report.overview,
        "proactive_total": report.proactive_total,
        "by_category": dict(report.by_category),
        "by_department": dict(report.by_department),
        "active_disclosure": {
            REGULATION.key: documents(report.regulations),
            NORMATIVE.key: documents(report.normative_documents),
            **{figure.key: _number(report.figures[figure.key]) for figure in FIGURES},
        },
        "applications": {
            "columns": [{"key": c.key, "label": c.label} for c in APPLICATION_COLUMNS],
            "rows": [
                {"key": row.key, "label": row.full_label, "values": dict(report.applications[row.key])}
                for row in APPLICATION_ROWS
            ],
        },
        "review_litigation": {row.key: dict(report.appeals[row.key]) for row in APPEAL_ROWS},
        "problems": report.main_problems,
        "other_matters": report.other_matters,
    }


def render_json(report: AnnualReport) -> str:
    return printable_json(as_data(report), indent=2)


def csv_rows(report: AnnualReport) -> list[tuple[object, ...]]:
    """Every number of the report as (年度, 栏目, 项目, 指标, 数值); the text sections are left out."""
    year = report.year
    rows: list[tuple[object, ...]] = []
    for label, counts in ((REGULATION.label, report.regulations), (NORMATIVE.label, report.normative_documents)):
        for column in DOCUMENT_COLUMNS:
            rows.append((year, SECTION_ACTIVE, label, column.label, getattr(counts, column.key)))
    for figure in FIGURES:
        rows.append((year, SECTION_ACTIVE, figure.label, figure.header, format_amount(report.figures[figure.key])))
    rows.append((year, PROACTIVE_HEADER, "合计", COUNT_HEADER, report.proactive_total))
    for name, count in report.by_category:
        rows.append((year, f"{PROACTIVE_HEADER}（{BY_CATEGORY_HEADER}）", name, COUNT_HEADER, count))
    for name, count in report.by_department:
        rows.append((year, f"{PROACTIVE_HEADER}（{BY_DEPARTMENT_HEADER}）", name, COUNT_HEADER, count))
    for row in APPLICATION_ROWS:
        for column in APPLICATION_COLUMNS:
            rows.append((year, SECTION_APPLICATIONS, row.full_label, column.label, report.applications[row.key][column.key]))
    for appeal in APPEAL_ROWS:
        for column in APPEAL_COLUMNS:
            rows.append((year, SECTION_APPEALS, appeal_label(appeal), column.label, report.appeals[appeal.key][column.key]))
    return rows


def render_csv(report: AnnualReport) -> str:
    return csv_text(CSV_HEADER, csv_rows(report))
