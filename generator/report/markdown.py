"""AnnualReport → Markdown, section by section in the national order.

Markdown tables have one header row, so table 三's merged headers are flattened
(“法人或其他组织：商业企业”) and table 四 is turned on its side (one row per kind of case).

Every text is written as text (markdown_text.escape): the clerk's paragraphs, the catalog's names in the
tables and the title reach whatever renders this file (a portal, an editor's preview), and a line such as
`<img src=x onerror=…>`, `[链接](javascript:…)` or `![](https://…)` there would be markup, not what the office wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from ..markdown_text import escape
from .layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    ARTICLE_20_1,
    BALANCE_NOTE,
    BY_CATEGORY_HEADER,
    BY_DEPARTMENT_HEADER,
    CONTENT_HEADER,
    COUNT_HEADER,
    DOCUMENT_COLUMNS,
    FIGURES,
    NORMATIVE,
    ORGANISATION_HEADER,
    REGULATION,
    RESULT_ROWS,
    RESULTS_HEADER,
    SECTION_ACTIVE,
    SECTION_APPEALS,
    SECTION_APPLICATIONS,
    SECTION_OTHER,
    SECTION_OVERVIEW,
    SECTION_PROBLEMS,
    TOTAL_COLUMN,
    appeal_label,
)
from .model import AnnualReport, format_amount

PREAMBLE = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作"
    "年度报告格式》（国办公开办函〔2021〕30号）编制。"
)


def paragraphs(text: str) -> str:
    """The clerk's text with one paragraph per non-empty line, separated by blank lines."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _text(text: str) -> str:
    """The clerk's text as Markdown paragraphs that show it as written."""
    return "\n\n".join(escape(paragraph) for paragraph in paragraphs(text).split("\n\n") if paragraph)


def _cell(text: object) -> str:
    return escape(" ".join(str(text).split("\n")))


def _table(header: list[str], rows: Sequence[Sequence[object]], numeric_from: int = 1) -> list[str]:
    align = ["---" if i < numeric_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in rows]
    return lines


def render_markdown(report: AnnualReport) -> str:
    out = [f"# {escape(report.title)}", "", escape(PREAMBLE + report.period), ""]
    out += [f"## {SECTION_OVERVIEW}", "", _text(report.overview), ""]
    out += [f"## {SECTION_ACTIVE}", ""] + _active(report)
    out += [f"## {SECTION_APPLICATIONS}", "", BALANCE_NOTE, ""] + _applications(report) + [""]
    out += [f"## {SECTION_APPEALS}", ""] + _appeals(report) + [""]
    out += [f"## {SECTION_PROBLEMS}", "", _text(report.main_problems), ""]
    out += [f"## {SECTION_OTHER}", "", _text(report.other_matters)]
    return "\n".join(out) + "\n"


def _active(report: AnnualReport) -> list[str]:
    out = [f"**{ARTICLE_20_1}**", ""]
    documents = [(REGULATION.label, report.regulations), (NORMATIVE.label, report.normative_documents)]
    out += _table(
        [CONTENT_HEADER, *(c.label for c in DOCUMENT_COLUMNS)],
        [[label, counts.made, counts.repealed, counts.valid] for label, counts in documents],
    )
    for article, group in groupby(FIGURES, key=lambda figure: figure.article):
        figures = list(group)  # 第二十条第（六）项 holds two rows
        rows = [[f.label, format_amount(report.figures[f.key])] for f in figures]
        out += ["", f"**{article}**", ""] + _table([CONTENT_HEADER, figures[0].header], rows)
    out += ["", f"本年主动公开政府信息 {report.proactive_total} 条，按主题分类和发布机构统计如下。", ""]
    for header, pairs in ((BY_CATEGORY_HEADER, report.by_category), (BY_DEPARTMENT_HEADER, report.by_department)):
        counts: list[list[object]] = [[name, count] for name, count in pairs]
        out += _table([header.removeprefix("按"), COUNT_HEADER], [*counts, ["合计", report.proactive_total]]) + [""]
    return out


def _applications(report: AnnualReport) -> list[str]:
    columns = [c.label if c.key == "natural_person" else f"{ORGANISATION_HEADER}：{c.label}" for c in APPLICANT_COLUMNS]
    header = ["项目", *columns, TOTAL_COLUMN.label]
    rows: list[list[object]] = []
    for row in APPLICATION_ROWS:
        if row == RESULT_ROWS[0]:
            rows.append([RESULTS_HEADER, *[""] * (len(header) - 1)])
        cells = report.applications[row.key]
        rows.append([row.full_label, *(cells[c.key] for c in (*APPLICANT_COLUMNS, TOTAL_COLUMN))])
    return _table(header, rows)


def _appeals(report: AnnualReport) -> list[str]:
    rows = []
    for row in APPEAL_ROWS:
        rows.append([appeal_label(row), *(report.appeals[row.key][c.key] for c in APPEAL_COLUMNS)])
    return _table(["类别", *(c.label for c in APPEAL_COLUMNS)], rows)
