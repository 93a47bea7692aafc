"""The report's entry points: which years exist, build one year's report, render it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from ..problems import Problem, format_text
from ..project import Project
from . import codes
from .compute import document_counts, proactive_counts, public_items
from .inputs import ReportInput
from .layout import NORMATIVE, REGULATION
from .model import AnnualReport
from .validation import load_inputs, report_files, year_of

FORMATS = ("markdown", "json", "csv", "html", "docx")
T = TypeVar("T")
REPORT_FAMILY_PREFIX = "GK8"  # the annual report's inputs and registers (rules.REPORTS, rules.REGISTERS)


class ReportError(Exception):
    """Why a report cannot be produced, in Chinese, for the user; `problems` are to be shown first."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def available_years(project: Project) -> list[int]:
    """Years that have a content/reports/<year>.yml (whether or not it passes the check)."""
    return sorted(year for file in report_files(project) if (year := year_of(file)) is not None)


def published_years(project: Project, today: dt.date) -> list[int]:
    """The years whose report the site shows on `today`: those that are over. A year's report counts
    the whole year (统计期限 1 月 1 日至 12 月 31 日), so one drafted before the year ends would state
    counts that are not yet true; it appears with the first build of the next year."""
    return [year for year in available_years(project) if year < today.year]


def require_input(project: Project, year: int) -> None:
    """ReportError unless content/reports/<year>.yml exists as a file of its own."""
    file = project.reports_dir / f"{year}.yml"
    if file.is_symlink() or (file.exists() and not file.is_file()):  # a dangling link was "no data" for the year
        raise ReportError(f"{project.rel(file)} 不是普通文件（符号链接或文件夹）：年度报告数据必须是 content/reports/ 中的真实文件，"
                          "请换成真实的文件后重新运行（`gongkai check` 会指出同一问题）")
    if not file.is_file():
        years = available_years(project)
        have = f"现有：{'、'.join(map(str, years))} 年" if years else "目前还没有任何年份的数据"
        raise ReportError(
            f"没有 {year} 年的年度报告数据：请按 docs/年度报告数据格式.md 建立 {project.rel(file)}（{have}）"
        )


def year_problems(problems: list[Problem], project: Project, year: int) -> list[Problem]:
    """The GK8xx problems among `problems` (a full check's) that bear on `year`'s report, sorted.

    A problem bears on the year when it is in that year's input; in the next year's input about
    the carry-over (either file may hold the wrong number); in an earlier year's repeal list (it
    decides this year's 现行有效件数); on an item published by the end of the year (GK822: a
    document whose repeal year is unknown still counts as 现行有效); in a register file, when it is
    an application answered late that year (GK842 stays with the year's report; a register mistake
    that touches the year's counts is GK847, in the year's input); or in any other file the report
    reads that belongs to no single year (a misnamed report file).
    """
    from ..registers.codes import ANSWERED_LATE
    from ..registers.loading import load_registers

    registers = load_registers(project)
    answered = {application.path: application.answered for application in registers.applications}
    published = {item.path: item.published for item in project.items}
    reports = project.rel(project.reports_dir) + "/"
    by_year = {codes.CARRY_OVER.code: year + 1}
    earlier = {codes.REPEALED_REFERENCE.code, codes.REPEALED_TWICE.code}

    def bears_on_year(problem: Problem) -> bool:
        if problem.path in registers.files:
            day = answered.get(problem.path)
            return problem.code == ANSWERED_LATE.code and day is not None and day.year == year
        if problem.path in published:
            date = published[problem.path]
            return date is None or date.year <= year
        if problem.path.startswith(reports) and (file_year := year_of(project.root / problem.path)) is not None:
            return (
                file_year == year or by_year.get(problem.code) == file_year
                or (problem.code in earlier and file_year < year)
            )
        return True

    return sorted(p for p in problems if p.code.startswith(REPORT_FAMILY_PREFIX) and bears_on_year(p))


def checked_report(project: Project, year: int, today: dt.date) -> tuple[AnnualReport, list[Problem]]:
    """The report for `year` and the GK8xx warnings that bear on it (a full check decides);
    ReportError, carrying every problem found, when any of them is an error."""
    from ..checks import collect  # the checks import this package's rules

    require_input(project, year)
    problems = year_problems(collect(project, today), project, year)
    errors = [p for p in problems if p.is_error]
    if errors:
        files = " ".join(sorted({p.path for p in errors}))
        raise ReportError(
            f"以上 {len(errors)} 个错误影响 {year} 年年报的数字，年报没有生成：请按提示改正后重新运行"
            f"（`gongkai check {files}` 可再次查看这些问题）",
            problems,
        )
    return build_report(project, year, today), problems


def build_report(project: Project, year: int, today: dt.date) -> AnnualReport:
    """The report for `year`; ReportError when its input is missing or has errors."""
    require_input(project, year)
    rel = project.rel(project.reports_dir / f"{year}.yml")
    if project.catalog is None:
        raise ReportError("content/catalog.yml 有错误，无法确定机构名称和公开目录：请先运行 `gongkai check` 并改正")
    inputs, problems = load_inputs(project, today)
    # A repealed document listed while it is taken down (a problem naming its target) is left uncounted: the build's
    # gate (rules.blocking) decided whether that stops the site.
    errors = sorted(p for p in problems if p.is_error and p.path == rel and not p.targets)
    if errors or year not in inputs:
        shown = format_text(errors[:5]) + ("\n……" if len(errors) > 5 else "")
        raise ReportError(
            f"{rel} 有 {len(errors)} 处错误，无法生成年报。请先运行 `gongkai check {rel}` 查看并改正：\n{shown}"
        )
    return assemble_report(project, inputs, year, today)


def assemble_report(project: Project, inputs: dict[int, ReportInput], year: int, today: dt.date) -> AnnualReport:
    """The report for `year` of inputs loaded already (load_inputs); KeyError or ValueError where one has a gap."""
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
        figures=_complete(entered.figures),
        applications={key: _complete(cells) for key, cells in entered.applications.items()},
        appeals={key: _complete(cells) for key, cells in entered.appeals.items()},
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


def render(report: AnnualReport, fmt: str) -> str | bytes:
    """`report` as markdown, json, csv, html (an embeddable fragment) or docx (bytes). Text ends
    without the final newline, which the printer adds (so a CSV on stdout has no blank last row)."""
    from .data import render_csv, render_json
    from .html import render_html
    from .markdown import render_markdown

    if fmt == "docx":
        from .docx import render_docx

        return render_docx(report)
    renderers = {"markdown": render_markdown, "json": render_json, "csv": render_csv, "html": render_html}
    if fmt not in renderers:
        raise ReportError(f"不支持的格式“{fmt}”：可选 {'、'.join(FORMATS)}")
    return renderers[fmt](report).rstrip("\n")


def render_report(project: Project, year: int, fmt: str, today: dt.date) -> str | bytes:
    """The report for `year` in `fmt` (see `render`), without the warnings."""
    return render(build_report(project, year, today), fmt)


def _complete(cells: Mapping[str, T | None]) -> dict[str, T]:
    """The cells of an input without errors: the check has found every one of them filled in."""
    missing = [key for key, value in cells.items() if value is None]
    if missing:
        raise ReportError(f"年报数据缺少 {'、'.join(missing)}：请先运行 `gongkai check` 并改正")
    return {key: value for key, value in cells.items() if value is not None}
