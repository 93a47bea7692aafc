"""content/reports/<year>.yml → ReportInput: shape, types and the arithmetic within one file.

Never raises for bad content: every finding becomes a Problem at the line (and column) of the
offending key, and unusable cells are kept as None so that the remaining rules still run.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..hints import close_name, known_names
from ..loading import SourceDocument, read_yaml_file
from ..model import Catalog
from ..problems import Problem
from ..rules import Rule
from ..values import finite_number
from . import codes
from .layout import (
    APPEAL_COLUMNS,
    APPEAL_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    CARRIED_FORWARD,
    CARRIED_OVER,
    FIGURES,
    GRANTED,
    NEW,
    OUTCOME_COLUMNS,
    PARTIAL,
    RESULT_GROUPS,
    RESULT_ROWS,
    RESULTS_HEADER,
    RESULTS_TOTAL,
    SECTION_ACTIVE,
    SECTION_APPEALS,
    SECTION_APPLICATIONS,
    SECTION_OTHER,
    SECTION_OVERVIEW,
    SECTION_PROBLEMS,
    TOTAL_COLUMN,
    Column,
    Figure,
    appeal_label,
)
from .model import format_amount

Key = tuple[Any, ...]
Cells = dict[str, int | None]

TEXTS = {"overview": SECTION_OVERVIEW, "problems": SECTION_PROBLEMS, "other_matters": SECTION_OTHER}
TOP_LEVEL = {
    "overview": SECTION_OVERVIEW,
    "active_disclosure": SECTION_ACTIVE,
    "applications": SECTION_APPLICATIONS,
    "review_litigation": SECTION_APPEALS,
    "problems": SECTION_PROBLEMS,
    "other_matters": SECTION_OTHER,
}
ACTIVE_KEYS = {
    **{figure.key: figure.label for figure in FIGURES},
    "repealed": "本年废止、失效的规章和行政规范性文件（索引号）",
    "repealed_earlier": "本年以前废止、失效而当年没有年报数据的文件（索引号）",
}
REPEAL_LISTS = ("repealed", "repealed_earlier")  # optional: most years repeal nothing
# Tables 三 and 四: optional in a year the 依申请公开 register covers (they are counted from it).
REGISTER_SECTIONS = ("applications", "review_litigation")
# Nine digits: more than any office handles or collects (万元) in a year. A longer figure is a slip or a
# paste, and printed as it is it would overflow the tables of every format of the report.
MAX_FIGURE = 999_999_999
BREAKDOWN_KEYS = {"total": "合计", "by_department": "各股室（发布机构）分项"}


@dataclass
class ReportInput:
    """What the office entered for one year; None marks a cell that was missing or unusable."""

    year: int
    path: str
    document: SourceDocument
    texts: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int | Decimal | None] = field(default_factory=dict)
    repealed: list[tuple[str, Key]] = field(default_factory=list)  # (索引号, where it is written)
    repealed_earlier: list[tuple[str, Key]] = field(default_factory=list)
    applications: dict[str, Cells] = field(default_factory=dict)  # Row.key → column → value
    appeals: dict[str, Cells] = field(default_factory=dict)
    # True when tables 三 and 四 are counted from the register (then `applications` and `appeals`
    # hold the counts; what the office typed, if anything, is compared with them and kept here)
    counted: bool = False
    typed_applications: dict[str, Cells] = field(default_factory=dict)
    typed_appeals: dict[str, Cells] = field(default_factory=dict)

    def where(self, *key: Any) -> tuple[int, int]:
        """Line and column of the key at `key`, or of its nearest ancestor that exists."""
        return locate(self.document, key)


def locate(document: SourceDocument, key: Key) -> tuple[int, int]:
    while key:
        mark = document.keys.get(key)
        if mark is not None:
            return mark.line, mark.col
        key = key[:-1]
    return 1, 1


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def suggest(word: str, known: dict[str, str]) -> tuple[str, str] | None:
    """(key, hint) for a mistyped key; a Chinese label written instead of its key maps back to it."""
    for key, label in known.items():
        if word in (label, _NUMBERING.sub("", label)):
            return key, f"：键要用英文，“{word}”请写作 `{key}`"
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return (close[0], f"：是不是 `{close[0]}`（{known[close[0]]}）？") if close else None


class _Reader:
    def __init__(self, document: SourceDocument, catalog: Catalog | None) -> None:
        self.document = document
        self.catalog = catalog
        self.problems: list[Problem] = []

    def error(self, rule: Rule, key: Key, message: str) -> None:
        line, col = locate(self.document, key)
        self.problems.append(rule.at(self.document.path, line, message, col))

    def mapping(self, value: Any, key: Key, what: str, example: str) -> dict | None:
        if isinstance(value, dict):
            return value
        shown = "空" if value is None else f"“{value}”"
        self.error(codes.STRUCTURE, key, f"{what}应当是“键: 值”形式的映射，现在是{shown}：例如 {example}")
        return None

    def keys(self, data: dict, key: Key, known: dict[str, str], what: str, optional: tuple[str, ...] = ()) -> None:
        suggested = set()
        for name in data:
            if str(name) not in known:
                found = suggest(str(name), known)
                hint = found[1] if found else "：请删除或改正它（可用的键见 docs/年度报告数据格式.md）"
                suggested.add(found[0] if found else "")
                self.error(codes.UNKNOWN_KEY, key + (name,), f"{what}中有未知的键 `{name}`{hint}")
        for name, label in known.items():
            if name not in data and name not in optional and name not in suggested:  # a typo is reported once
                register = not key and name in REGISTER_SECTIONS
                counted = "；或建立依申请公开登记（content/applications/），有登记的年份表三、表四由登记计算" if register else ""
                self.error(codes.MISSING_KEY, key, f"{what}缺少“{label}”（`{name}`）：请补上这一项{counted}")

    def count(self, value: Any, key: Key, what: str) -> int | None:
        """A non-negative integer, or None with a problem that says what to write instead."""
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 <= value <= MAX_FIGURE:
                return value
            if value > MAX_FIGURE:
                self.error(codes.BAD_COUNT, key, f"{what}超过 {MAX_FIGURE}：一年的件数不会有这样多，请核对后填写实际件数")
            else:
                self.error(codes.BAD_COUNT, key, f"{what}是 {value}，不能为负数：请填写 0 或正整数")
        elif isinstance(value, str) and value.strip().isdecimal() and len(value.strip().lstrip("0")) > len(str(MAX_FIGURE)):
            self.error(codes.BAD_COUNT, key, f"{what}超过 {MAX_FIGURE}：一年的件数不会有这样多，请核对后填写实际件数")
        elif isinstance(value, str) and (number := _written_number(value)) is not None and "." not in number:
            self.error(codes.BAD_COUNT, key, f"{what}写成了文字“{value}”：{_AS_NUMBER}{number}")
        elif value is None:
            self.error(codes.BAD_COUNT, key, f"{what}没有填写：没有就填 0")
        elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
            self.error(codes.BAD_COUNT, key, f"{what}是 {value}：件数必须是整数，请写成 {int(value)}")
        else:
            self.error(codes.BAD_COUNT, key, f"{what}是“{value}”：必须是 0 或正整数")
        return None

    def amount(self, value: Any, key: Key, what: str) -> Decimal | None:
        """A non-negative amount (万元); decimals allowed."""
        if finite_number(value):
            if value > MAX_FIGURE:
                self.error(codes.BAD_AMOUNT, key, f"{what}超过 {MAX_FIGURE} 万元：请核对，金额以万元为单位填写，例如 1.25")
                return None
            if value >= 0:
                return Decimal(str(value))
            self.error(codes.BAD_AMOUNT, key, f"{what}是 {value}，不能为负数：没有收费就填 0")
            return None
        if value is None:
            self.error(codes.BAD_AMOUNT, key, f"{what}没有填写：没有收费就填 0")
        elif isinstance(value, str) and (number := _written_number(value)) is not None and len(number) <= len(str(MAX_FIGURE)) + 3:
            self.error(codes.BAD_AMOUNT, key, f"{what}写成了文字“{value}”：{_AS_NUMBER}{number}")
        elif isinstance(value, str):
            self.error(codes.BAD_AMOUNT, key, f"{what}写成了文字“{value}”：请去掉引号和单位，直接写以万元计的数字，例如 1.25")
        else:
            self.error(codes.BAD_AMOUNT, key, f"{what}是“{value}”：必须是以万元计的非负数，例如 1.25")
        return None


# A figure YAML leaves as text though it holds only digits: quoted, full-width (１２), with a leading zero (017,
# which YAML 1.1 would read as octal: the project reads it as the text it shows) or in another script's digits.
# The message gives the number to write, in the one form that reads as it: quoting it back was no fix.
_AS_NUMBER = "请不加引号、用半角数字、不以 0 开头，写作 "
_DIGITS = re.compile(r"(\d{1,60})(?:\.(\d{1,60}))?")


def _written_number(value: str) -> str | None:
    """The ASCII number `value` writes with digits of any script (`１２` → 12, `017` → 17, `0１0.50` → 10.5)."""
    found = _DIGITS.fullmatch(value.strip())
    if found is None:
        return None
    whole = str(int(found[1]))
    fraction = str(int(found[2][::-1]))[::-1].rstrip("0") if found[2] else ""
    return f"{whole}.{fraction}" if fraction else whole


def parse_input(
    file: Path, rel_path: str, year: int, catalog: Catalog | None, *, counted: bool = False, limit: int
) -> tuple[ReportInput | None, list[Problem]]:
    """Read and validate one year's input. None only when the file cannot be read at all.

    `counted`: the register covers the year, so tables 三 and 四 may be left out of the file."""
    data, document, problems = read_yaml_file(file, rel_path, limit)
    if document is None or any(p.is_error for p in problems):
        return None, problems
    reader = _Reader(document, catalog)
    report = ReportInput(year, rel_path, document)
    top = reader.mapping(data, (), "年度报告数据文件", "`overview: ……`（见 docs/年度报告数据格式.md）")
    if top is not None:
        reader.keys(top, (), TOP_LEVEL, "年度报告数据文件", optional=REGISTER_SECTIONS if counted else ())
        _texts(reader, top, report)
        if "active_disclosure" in top:  # a missing section is reported by `keys` above
            _active(reader, top["active_disclosure"], report)
        if "applications" in top:
            _applications(reader, top["applications"], report)
        if "review_litigation" in top:
            _appeals(reader, top["review_litigation"], report)
    return report, problems + reader.problems


def _texts(reader: _Reader, top: dict, report: ReportInput) -> None:
    for key, label in TEXTS.items():
        if key not in top:
            continue
        value = top[key]
        if isinstance(value, str) and value.strip():
            report.texts[key] = value.strip()
        else:
            reader.error(codes.EMPTY_TEXT, (key,), f"“{label}”没有填写：请用 `{key}: |` 开头，在下面缩进两格写正文")


# ---- 表二 ---------------------------------------------------------------------------------


def _active(reader: _Reader, value: Any, report: ReportInput) -> None:
    data = reader.mapping(value, ("active_disclosure",), f"“{SECTION_ACTIVE}”", "`licensing: 86`")
    if data is None:
        return
    reader.keys(data, ("active_disclosure",), ACTIVE_KEYS, f"“{SECTION_ACTIVE}”", optional=REPEAL_LISTS)
    for figure in FIGURES:
        if figure.key in data:
            report.figures[figure.key] = _figure(reader, figure, data[figure.key], ("active_disclosure", figure.key))
    for name in REPEAL_LISTS:
        getattr(report, name).extend(_index_nos(reader, data.get(name), ("active_disclosure", name)))


def _number(reader: _Reader, figure: Figure, value: Any, key: Key, what: str) -> int | Decimal | None:
    return reader.amount(value, key, what) if figure.is_amount else reader.count(value, key, what)


def _figure(reader: _Reader, figure: Figure, value: Any, key: Key) -> int | Decimal | None:
    """A plain number, or {total, by_department} whose parts must add up to the total."""
    what = f"“{figure.label}”（{figure.header}）"
    if not isinstance(value, dict):
        return _number(reader, figure, value, key, what)
    reader.keys(value, key, BREAKDOWN_KEYS, what)
    total = _number(reader, figure, value.get("total"), key + ("total",), f"{what}的合计") if "total" in value else None
    if "by_department" not in value:
        return total
    example = "`{规划建设股: 52, 房地产市场监管股: 34}`"
    parts = reader.mapping(value["by_department"], key + ("by_department",), f"{what}的各股室分项", example)
    if parts is None:
        return total
    numbers: list[int | Decimal | None] = []
    for name, raw in parts.items():
        here = key + ("by_department", name)
        if reader.catalog is not None and reader.catalog.department(str(name)) is None:
            known = {d.name: d.slug for d in reader.catalog.departments}
            close = close_name(str(name), list(known))
            choices = known_names(list(known), "catalog.yml 的 departments")
            hint = f"，是不是“{close}”？" if close else f"；catalog.yml 中的股室有：{choices}"
            reader.error(codes.UNKNOWN_DEPARTMENT, here, f"{what}的分项“{name}”不是 catalog.yml 中的发布机构{hint}")
        numbers.append(_number(reader, figure, raw, here, f"{what}中“{name}”的数"))
    given = [number for number in numbers if number is not None]
    summed = sum(given, Decimal(0)) if len(given) == len(numbers) else None  # None: a part's own problem is reported
    if total is not None and summed is not None and summed != total:
        shown = " + ".join(f"{name} {format_amount(n)}" for name, n in zip(parts, given, strict=True)) or "（无分项）"
        reader.error(
            codes.BREAKDOWN_TOTAL, key + ("total",),
            f"{what}的合计填了 {format_amount(total)}，但各股室分项之和为 {shown} = {format_amount(summed)}：请核对合计或分项",
        )
    return total


def _index_nos(reader: _Reader, value: Any, key: Key) -> list[tuple[str, Key]]:
    """A list of 索引号 (None and [] both mean none)."""
    if value is None:
        return []
    name = key[-1]
    if not isinstance(value, list):
        reader.error(codes.STRUCTURE, key, f"“{name}”应当是索引号列表，例如 `{name}: [11131122MB1534702N/2021-00003]`；没有就写 `[]`")
        return []
    found = []
    for index, entry in enumerate(value):
        if isinstance(entry, str) and entry.strip():
            found.append((entry.strip(), key + (index,)))
        else:
            reader.error(codes.STRUCTURE, key + (index,), f"“{name}”的第 {index + 1} 项“{entry}”不是索引号：请写文件的索引号")
    return found


# ---- 表三 ---------------------------------------------------------------------------------

_ROW_EXAMPLE = ("`{natural_person: 3, enterprise: 1, research: 0, public_interest: 0, legal_service: 0, other: 0, total: 4}`，"
                "整行为 0 时可只写 0")


def _row(reader: _Reader, value: Any, key: Key, what: str, columns: tuple[Column, ...]) -> Cells:
    """One table row: a mapping of every column, or the shorthand 0 for an all-zero row."""
    if value == 0 and isinstance(value, int) and not isinstance(value, bool):
        return {column.key: 0 for column in columns}
    if not isinstance(value, dict):
        if isinstance(value, int) and not isinstance(value, bool):
            message = f"{what}只写了一个数 {value}：整行只写一个数时只能写 0；否则请逐列填写，例如 {_ROW_EXAMPLE}"
        else:
            message = f"{what}应当逐列填写，例如 {_ROW_EXAMPLE}"
        reader.error(codes.STRUCTURE, key, message)
        return {column.key: None for column in columns}
    known = {column.key: column.label for column in columns}
    reader.keys(value, key, known, what)
    return {
        column.key: reader.count(value[column.key], key + (column.key,), f"{what}的“{column.label}”")
        if column.key in value else None
        for column in columns
    }


def _applications(reader: _Reader, value: Any, report: ReportInput) -> None:
    data = reader.mapping(value, ("applications",), f"“{SECTION_APPLICATIONS}”", "`new: {natural_person: 3, …}`")
    if data is None:
        return
    top_rows = {
        NEW.path[0]: NEW.label,
        CARRIED_OVER.path[0]: CARRIED_OVER.label,
        "results": RESULTS_HEADER,
        CARRIED_FORWARD.path[0]: CARRIED_FORWARD.label,
    }
    reader.keys(data, ("applications",), top_rows, "表三")
    results = data.get("results")
    if "results" in data:
        results = reader.mapping(results, ("applications", "results"), f"“{RESULTS_HEADER}”", "`granted: {natural_person: 3, …}`")
    if isinstance(results, dict):
        known = {
            GRANTED.path[-1]: GRANTED.label,
            PARTIAL.path[-1]: PARTIAL.label,
            **{group.key: group.label for group in RESULT_GROUPS},
            RESULTS_TOTAL.path[-1]: RESULTS_TOTAL.label,
        }
        reader.keys(results, ("applications", "results"), known, f"“{RESULTS_HEADER}”")
        for group in RESULT_GROUPS:
            if group.key in results:
                sub = reader.mapping(results[group.key], ("applications", "results", group.key), f"“{group.label}”",
                                     f"`{group.rows[0].path[-1]}: 0`")
                if sub is not None:
                    reader.keys(sub, ("applications", "results", group.key), {r.path[-1]: r.label for r in group.rows}, f"“{group.label}”")
    for row in APPLICATION_ROWS:
        raw, present = _lookup(data, row.path)
        key = ("applications", *row.path)
        if present:
            report.applications[row.key] = _row(reader, raw, key, f"表三“{row.full_label}”", APPLICATION_COLUMNS)
        else:
            report.applications[row.key] = {column.key: None for column in APPLICATION_COLUMNS}
    _table3_arithmetic(reader, report)


def _lookup(data: dict, path: tuple[str, ...]) -> tuple[Any, bool]:
    here: Any = data
    for part in path:
        if not isinstance(here, dict) or part not in here:
            return None, False
        here = here[part]
    return here, True


def _sum(values: list[int | None]) -> int | None:
    """The sum, or None when a cell is unusable (its own problem is already reported)."""
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _table3_arithmetic(reader: _Reader, report: ReportInput) -> None:
    rows = report.applications
    for row in APPLICATION_ROWS:
        cells = rows[row.key]
        parts = [cells[c.key] for c in APPLICANT_COLUMNS]
        summed, total = _sum(parts), cells[TOTAL_COLUMN.key]
        if total is not None and summed is not None and summed != total:
            shown = "+".join(str(p) for p in parts)
            reader.error(
                codes.ROW_TOTAL, ("applications", *row.path, TOTAL_COLUMN.key),
                f"表三“{row.full_label}”一行：各类申请人 {shown} = {summed}，“总计”却填了 {total}：请核对这一行",
            )
    for column in APPLICATION_COLUMNS:
        total = rows[RESULTS_TOTAL.key][column.key]
        results = _sum([rows[r.key][column.key] for r in RESULT_ROWS])
        if total is not None and results is not None and results != total:
            reader.error(
                codes.RESULTS_TOTAL, ("applications", *RESULTS_TOTAL.path, column.key),
                f"表三“（七）总计”的“{column.label}”列填了 {total}，但（一）至（六）各项办理结果之和为 {results}：请核对这一列",
            )
        new, over, done, forward = (rows[r.key][column.key] for r in (NEW, CARRIED_OVER, RESULTS_TOTAL, CARRIED_FORWARD))
        came, went = _sum([new, over]), _sum([done, forward])
        if came is not None and went is not None and came != went:
            reader.error(
                codes.BALANCE, ("applications", *CARRIED_FORWARD.path, column.key),
                f"表三“{column.label}”列不平衡：本年新收 {new} + 上年结转 {over} = {came}，"
                f"但办理结果总计 {done} + 结转下年度继续办理 {forward} = {went}：两边应当相等，请核对这四个数",
            )


# ---- 表四 ---------------------------------------------------------------------------------


def _appeals(reader: _Reader, value: Any, report: ReportInput) -> None:
    example = "`review: {upheld: 0, corrected: 0, other: 0, pending: 0, total: 0}`"
    data = reader.mapping(value, ("review_litigation",), f"“{SECTION_APPEALS}”", example)
    if data is None:
        return
    reader.keys(data, ("review_litigation",), {row.key: appeal_label(row) for row in APPEAL_ROWS}, "表四")
    for row in APPEAL_ROWS:
        key = ("review_litigation", row.key)
        what = f"表四“{appeal_label(row)}”"
        cells: Cells = _row(reader, data[row.key], key, what, APPEAL_COLUMNS) if row.key in data else {c.key: None for c in APPEAL_COLUMNS}
        report.appeals[row.key] = cells
        summed, total = _sum([cells[c.key] for c in OUTCOME_COLUMNS]), cells[TOTAL_COLUMN.key]
        if total is not None and summed is not None and summed != total:
            shown = " + ".join(f"{c.label} {cells[c.key]}" for c in OUTCOME_COLUMNS)
            reader.error(
                codes.APPEAL_TOTAL, key + (TOTAL_COLUMN.key,),
                f"{what}：{shown} = {summed}，“总计”却填了 {total}：请核对这一行",
            )
