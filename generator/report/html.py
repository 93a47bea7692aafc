"""AnnualReport → an HTML fragment for the site's per-year page, laid out like the national template.

Merged headers use rowspan/colspan as on the paper form; header cells carry `scope` so screen
readers can name a number's row and column; numbers carry class `num` (right-aligned by
report.css, which also holds the print layout).
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from itertools import groupby

from .layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICANT_COLUMNS,
    APPLICANT_HEADER,
    ARTICLE_20_1,
    BALANCE_NOTE,
    BY_CATEGORY_HEADER,
    BY_DEPARTMENT_HEADER,
    CARRIED_FORWARD,
    CARRIED_OVER,
    CONTENT_HEADER,
    COUNT_HEADER,
    DOCUMENT_COLUMNS,
    FIGURES,
    GRANTED,
    LITIGATION_HEADER,
    NEW,
    NORMATIVE,
    ORGANISATION_HEADER,
    PARTIAL,
    PROACTIVE_HEADER,
    REGULATION,
    RESULT_GROUPS,
    RESULT_ROWS,
    RESULTS_HEADER,
    RESULTS_TOTAL,
    REVIEW_HEADER,
    SECTION_ACTIVE,
    SECTION_APPEALS,
    SECTION_APPLICATIONS,
    SECTION_OTHER,
    SECTION_OVERVIEW,
    SECTION_PROBLEMS,
    TOTAL_COLUMN,
    Row,
)
from .markdown import PREAMBLE, paragraphs
from .model import AnnualReport, format_amount

SUBHEAD = "gk-report-subhead"  # header rows inside a tbody (table 二's 第二十条 groups)


def report_css() -> str:
    """The stylesheet the site should load on report pages (screen and print)."""
    return files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def _th(text: str, scope: str, *, rowspan: int = 1, colspan: int = 1, cls: str = "") -> str:
    attrs = f' scope="{scope}"'
    attrs += f' rowspan="{rowspan}"' if rowspan > 1 else ""
    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
    attrs += f' class="{cls}"' if cls else ""
    return f"<th{attrs}>{escape(text)}</th>"


def _num(value: object, colspan: int = 1) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td class="num"{span}>{escape(str(value))}</td>'


def _text_section(anchor: str, title: str, text: str) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(text).split("\n\n"))
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{body}</section>'


def render_html(report: AnnualReport) -> str:
    """The whole report as an `<article>` fragment; the page supplies `report.title` as its heading."""
    parts = [
        '<article class="gk-report" lang="zh-CN">',
        f'<p class="gk-report-preamble">{escape(PREAMBLE + report.period)}</p>',
        _text_section("overview", SECTION_OVERVIEW, report.overview),
        f'<section id="active-disclosure"><h2>{escape(SECTION_ACTIVE)}</h2>',
        _active_table(report),
        _counts(report),
        "</section>",
        f'<section id="applications"><h2>{escape(SECTION_APPLICATIONS)}</h2>',
        _applications_table(report),
        "</section>",
        f'<section id="review-litigation"><h2>{escape(SECTION_APPEALS)}</h2>',
        _appeals_table(report),
        "</section>",
        _text_section("problems", SECTION_PROBLEMS, report.main_problems),
        _text_section("other-matters", SECTION_OTHER, report.other_matters),
        "</article>",
    ]
    return "\n".join(parts) + "\n"


def _active_table(report: AnnualReport) -> str:
    width = 1 + len(DOCUMENT_COLUMNS)
    out = [
        '<table class="gk-report-table">',
        f"<caption>{report.year}年主动公开政府信息情况</caption>",
        "<thead>",
        f"<tr>{_th(ARTICLE_20_1, 'colgroup', colspan=width)}</tr>",
        "<tr>" + _th(CONTENT_HEADER, "col") + "".join(_th(c.label, "col") for c in DOCUMENT_COLUMNS) + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for label, counts in ((REGULATION.label, report.regulations), (NORMATIVE.label, report.normative_documents)):
        out.append(f"<tr>{_th(label, 'row')}{_num(counts.made)}{_num(counts.repealed)}{_num(counts.valid)}</tr>")
    out.append("</tbody>")
    for article, group in groupby(FIGURES, key=lambda figure: figure.article):
        figures = list(group)  # 第二十条第（六）项 holds two rows
        out += [
            "<tbody>",
            f"<tr>{_th(article, 'colgroup', colspan=width, cls=SUBHEAD)}</tr>",
            f"<tr>{_th(CONTENT_HEADER, 'col', cls=SUBHEAD)}{_th(figures[0].header, 'col', colspan=width - 1, cls=SUBHEAD)}</tr>",
            *(
                f"<tr>{_th(f.label, 'row')}{_num(format_amount(report.figures[f.key]), width - 1)}</tr>"
                for f in figures
            ),
            "</tbody>",
        ]
    out.append("</table>")
    return "\n".join(out)


def _counts(report: AnnualReport) -> str:
    out = [f'<p>本年主动公开政府信息 <span class="num">{report.proactive_total}</span> 条，按主题分类和发布机构统计如下。</p>']
    subject = PROACTIVE_HEADER.removeprefix("本年")
    for header, pairs in ((BY_CATEGORY_HEADER, report.by_category), (BY_DEPARTMENT_HEADER, report.by_department)):
        out += [
            '<table class="gk-report-table gk-report-counts">',
            f"<caption>{escape(f'{report.year}年{subject}（{header}）')}</caption>",
            f"<thead><tr>{_th(header.removeprefix('按'), 'col')}{_th(COUNT_HEADER, 'col')}</tr></thead>",
            "<tbody>",
            *(f"<tr>{_th(name, 'row')}{_num(count)}</tr>" for name, count in pairs),
            "</tbody>",
            f"<tfoot><tr>{_th('合计', 'row')}{_num(report.proactive_total)}</tr></tfoot>",
            "</table>",
        ]
    return "\n".join(out)


def _cells(report: AnnualReport, row: Row) -> str:
    values = report.applications[row.key]
    return "".join(_num(values[c.key]) for c in (*APPLICANT_COLUMNS, TOTAL_COLUMN))


def _applications_table(report: AnnualReport) -> str:
    organisations = len(APPLICANT_COLUMNS) - 1
    out = [
        '<table class="gk-report-table gk-report-applications">',
        f"<caption>{report.year}年收到和处理政府信息公开申请情况</caption>",
        "<thead>",
        "<tr>" + _th(BALANCE_NOTE, "col", rowspan=3, colspan=3, cls="gk-report-note")
        + _th(APPLICANT_HEADER, "colgroup", colspan=len(APPLICANT_COLUMNS) + 1) + "</tr>",
        "<tr>" + _th(APPLICANT_COLUMNS[0].label, "col", rowspan=2)
        + _th(ORGANISATION_HEADER, "colgroup", colspan=organisations)
        + _th(TOTAL_COLUMN.label, "col", rowspan=2) + "</tr>",
        "<tr>" + "".join(_th(c.label, "col") for c in APPLICANT_COLUMNS[1:]) + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for row in (NEW, CARRIED_OVER):
        out.append(f"<tr>{_th(row.label, 'row', colspan=3)}{_cells(report, row)}</tr>")
    results_head = _th(RESULTS_HEADER, "rowgroup", rowspan=len(RESULT_ROWS) + 1)
    out.append(f"<tr>{results_head}{_th(GRANTED.label, 'row', colspan=2)}{_cells(report, GRANTED)}</tr>")
    out.append(f"<tr>{_th(PARTIAL.label, 'row', colspan=2)}{_cells(report, PARTIAL)}</tr>")
    for group in RESULT_GROUPS:
        for index, row in enumerate(group.rows):
            head = _th(group.label, "rowgroup", rowspan=len(group.rows)) if index == 0 else ""
            out.append(f"<tr>{head}{_th(row.label, 'row')}{_cells(report, row)}</tr>")
    out.append(f"<tr>{_th(RESULTS_TOTAL.label, 'row', colspan=2)}{_cells(report, RESULTS_TOTAL)}</tr>")
    out.append(f"<tr>{_th(CARRIED_FORWARD.label, 'row', colspan=3)}{_cells(report, CARRIED_FORWARD)}</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _appeals_table(report: AnnualReport) -> str:
    width = len(APPEAL_COLUMNS)
    review, *litigation = APPEAL_ROWS
    out = [
        '<table class="gk-report-table gk-report-appeals">',
        f"<caption>{report.year}年政府信息公开行政复议、行政诉讼情况</caption>",
        "<thead>",
        f"<tr>{_th(REVIEW_HEADER, 'colgroup', colspan=width)}{_th(LITIGATION_HEADER, 'colgroup', colspan=width * len(litigation))}</tr>",
        "<tr>" + "".join(_th(c.label, "col", rowspan=2) for c in APPEAL_COLUMNS)
        + "".join(_th(kind.label, "colgroup", colspan=width) for kind in litigation) + "</tr>",
        "<tr>" + "".join(_th(c.label, "col") for _ in litigation for c in APPEAL_COLUMNS) + "</tr>",
        "</thead>",
        "<tbody>",
        "<tr>" + "".join(_num(report.appeals[row.key][c.key]) for row in APPEAL_ROWS for c in APPEAL_COLUMNS) + "</tr>",
        "</tbody>",
        "</table>",
    ]
    return "\n".join(out)
