"""All of content/reports/ at once: file names, each file, and the rules that look across files
(this year's 上年结转 against last year's 结转下年度; the 索引号 listed as repealed)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import VALID, Item
from ..problems import Problem, listed
from ..project import Project
from ..registers import codes as register_codes
from . import codes
from .compute import document_kind
from .inputs import ReportInput, parse_input
from .layout import APPEAL_COLUMNS, APPEAL_ROWS, APPLICATION_COLUMNS, APPLICATION_ROWS, CARRIED_FORWARD, CARRIED_OVER, appeal_label

if TYPE_CHECKING:
    from ..registers.loading import Registers

YEAR_FILE = re.compile(r"^(?P<year>[0-9]{4})\.yml$")  # ASCII digits: ２０２５.yml beside 2025.yml was a second 2025
FIRST_YEAR = 2008  # 《政府信息公开条例》施行之年
# The unknown 索引号 of the repeal lists that get a “did you mean” hint, and the documents a hint may compare with.
MAX_REPEAL_HINTS = 20
MAX_REPEAL_CANDIDATES = 2_000


def report_files(project: Project) -> list[Path]:
    folder = project.reports_dir
    if not folder.is_dir():
        return []
    return sorted(file for file in folder.iterdir() if file.is_file() and file.suffix.lower() in (".yml", ".yaml"))


def year_of(file: Path) -> int | None:
    found = YEAR_FILE.match(file.name)
    return int(found["year"]) if found else None


def report_day(year: int | None, today: dt.date) -> dt.date:
    """The date a year's report speaks of: the last day of its 统计期限. A leader named in the 2024 report is judged
    in 2024, not on the day of the check (a successor recorded in the lexicon made the true title an error and
    the false one pass). A file of no year a report may be made of is judged today."""
    if year is None or not FIRST_YEAR <= year <= today.year:
        return today
    return dt.date(year, 12, 31)


# The reports read, by id() of their project and the day, dropped with it (a Project is a dataclass, not hashable).
_READ: dict[tuple[int, dt.date], tuple[dict[int, ReportInput], list[Problem]]] = {}


def load_inputs(project: Project, today: dt.date) -> tuple[dict[int, ReportInput], list[Problem]]:
    """Every year's input that could be read, and every problem of content/reports/; read once a loaded project
    and day, as the registers are, so the annual report a build publishes is the one its check judged (a file
    edited in between is not read again)."""
    key = (id(project), today)
    if key not in _READ:
        _READ[key] = read_inputs(project, today)
        weakref.finalize(project, _READ.pop, key, None)
    inputs, problems = _READ[key]
    return dict(inputs), list(problems)


def read_inputs(project: Project, today: dt.date) -> tuple[dict[int, ReportInput], list[Problem]]:
    """`load_inputs` read from the files now."""
    # Imported here: the register reads the template's rows from this package.
    from ..registers.loading import load_registers

    registers = load_registers(project)
    inputs: dict[int, ReportInput] = {}
    problems: list[Problem] = []
    for file in report_files(project):
        rel = project.rel(file)
        year = year_of(file)
        if year is None:
            stem = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", file.stem))[:4] or "2025"
            problems.append(codes.FILE_NAME.at(rel, 1,
                f"年度报告数据文件必须以年份命名：请把 {file.name} 改名为 {stem}.yml 这样的“四位年份.yml”",
            ))
            continue
        if not FIRST_YEAR <= year <= today.year:
            problems.append(codes.FILE_NAME.at(rel, 1,
                f"{year} 不是可以编写年度报告的年份：应在 {FIRST_YEAR} 年（《条例》施行）至今年（{today.year}）之间，请检查文件名",
            ))
        parsed, found = parse_input(file, rel, year, project.catalog, counted=registers.covers(year),
                                    limit=project.limits.item_bytes)
        problems.extend(found)
        if parsed is not None:
            inputs[year] = parsed
            if registers.covers(year):
                problems.extend(_count_from_register(parsed, registers))
    problems.extend(_carry_over(inputs))
    problems.extend(_repealed(project, inputs, today))
    return inputs, problems


def _count_from_register(report: ReportInput, registers: Registers) -> list[Problem]:
    """Tables 三 and 四 of a year the register covers: counted, and compared with what was typed."""
    from .register_tables import CountedTable, appeal_table, application_table

    problems = []
    uncounted = registers.uncounted_for(report.year)
    if uncounted:
        shown = listed(uncounted, "个文件")
        problems.append(register_codes.REGISTER_UNUSABLE.at(report.path, 1,
            f"{report.year} 年的表三、表四由依申请公开登记统计，但登记中 {shown} 有错误：请先改正（`gongkai check content/applications`）",
        ))
    counted = application_table(registers.counted(), report.year)
    appeals = appeal_table(registers.counted(), report.year)

    def compare(section: str, typed: dict, table: CountedTable, rows, columns, rule, what) -> None:
        if section not in report.document.meta:
            return
        for row_key, path, label in rows:
            for column in columns:
                value, count = typed.get(row_key, {}).get(column.key), table.cells[row_key][column.key]
                if value is None or value == count:
                    continue
                files = table.files.get((row_key, column.key), [])
                named = listed(files, "件") if files else "没有申请"
                line, col = report.where(section, *path, column.key)
                problems.append(rule.at(report.path, line,
                    f"{what}“{label}”的“{column.label}”列填了 {value}，但依申请公开登记统计为 {count}（{named}）："
                    f"有登记的年份{what}由登记计算，请删去 {section} 一节，或核对登记和这个数",
                    col,
                ))

    compare("applications", report.applications, counted, [(r.key, r.path, r.full_label) for r in APPLICATION_ROWS],
            APPLICATION_COLUMNS, register_codes.TABLE_THREE_DIFFERS, "表三")
    compare("review_litigation", report.appeals, appeals, [(r.key, (r.key,), appeal_label(r)) for r in APPEAL_ROWS],
            APPEAL_COLUMNS, register_codes.TABLE_FOUR_DIFFERS, "表四")
    report.typed_applications, report.typed_appeals = report.applications, report.appeals
    report.applications = {row: dict(cells) for row, cells in counted.cells.items()}
    report.appeals = {row: dict(cells) for row, cells in appeals.cells.items()}
    report.counted = True
    return problems


def _carry_over(inputs: dict[int, ReportInput]) -> list[Problem]:
    """This year's 上年结转 must equal last year's 结转下年度继续办理, column by column."""
    problems = []
    for year, this in sorted(inputs.items()):
        last = inputs.get(year - 1)
        if last is None:
            continue
        over = this.applications.get(CARRIED_OVER.key, {})
        forward = last.applications.get(CARRIED_FORWARD.key, {})
        for column in APPLICATION_COLUMNS:
            now, before = over.get(column.key), forward.get(column.key)
            if now is None or before is None or now == before:
                continue
            line, col = this.where("applications", *CARRIED_OVER.path, column.key)
            before_line, _ = last.where("applications", *CARRIED_FORWARD.path, column.key)
            written = "由依申请公开登记统计为" if this.counted else "填了"
            written_before = "由登记统计" if last.counted else f"第 {before_line} 行"
            problems.append(codes.CARRY_OVER.at(this.path, line,
                f"表三“上年结转政府信息公开申请数量”的“{column.label}”列{written} {now}，"
                f"但 {last.path} {written_before}“结转下年度继续办理”的“{column.label}”列为 {before}：两者应当相等，请核对"
                + ("（上一年收到、年底仍未答复的申请是否都已登记）" if this.counted and not last.counted else ""),
                col,
            ))
    return problems


def _reference_problem(number: str, year: int, by_index_no: dict[str, Item], today: dt.date,
                       hinted: list[str] | None) -> str | None:
    """Why a listed 索引号 cannot be a 规章/规范性文件 repealed in (or, for repealed_earlier, by) `year`;
    a 索引号 that names no item is compared with `hinted` (None: no hint)."""
    item = by_index_no.get(number)
    if item is None:
        close = difflib.get_close_matches(number, hinted, n=1, cutoff=0.8) if hinted and len(number) <= 100 else []
        hint = f"，是不是 {close[0]}？" if close else "：请核对索引号。"
        return (f"废止文件列表中的索引号 {number} 没有对应的条目{hint}条目文件已删除的，请同时从列表删去"
                "（要撤下已公开的条目，请把它的 disclosure 改为“不予公开”，不要删除文件）")
    where = f"索引号 {number}（{item.path}）"
    if not item.is_published(today):
        return f"{where}不是已公开的条目（主动公开且发布日期不晚于今天），不计入年报：请核对"
    if document_kind(item) is None:
        return f"{where}的体裁是“{item.genre or '未填写'}”，不是规章或行政规范性文件：请从列表删除，或改正条目的 genre"
    if item.validity == VALID:
        return f"{where}的有效性仍为“有效”：请把条目的 validity 改为“废止”或“失效”，或从列表删除"
    if item.published is not None and item.published.year > year:
        return f"{where}发布于 {item.published}，不可能在 {year} 年或以前废止：请列入废止当年的年报数据"
    return None


def _repealed(project: Project, inputs: dict[int, ReportInput], today: dt.date) -> list[Problem]:
    """The 索引号 under `repealed` must be public 规章/规范性文件 marked 废止/失效, each listed once."""
    problems = []
    by_index_no = {item.index_no: item for item in project.items if item.index_no}
    # A hint compares the number with every document that may be listed: only the first few unknown numbers
    # get one (60,000 listed numbers in one file, each compared with 150 items, cost a check 232 s).
    documents = [item.index_no for item in by_index_no.values() if item.is_published(today) and document_kind(item)]
    hints_left = MAX_REPEAL_HINTS if len(documents) <= MAX_REPEAL_CANDIDATES else 0
    first_listed: dict[str, tuple[str, int]] = {}
    for year, report in sorted(inputs.items()):
        entries = [(n, k, year) for n, k in report.repealed] + [(n, k, year - 1) for n, k in report.repealed_earlier]
        for number, key, latest in entries:
            line, col = report.where(*key)
            unknown = number not in by_index_no
            message = _reference_problem(number, latest, by_index_no, today, documents if unknown and hints_left else None)
            hints_left -= unknown and hints_left > 0
            if message:
                # Naming the item lets a takedown (GK226) through: the list is wrong only while the item is off the site.
                item = by_index_no.get(number)
                targets = (item.path,) if item is not None and not item.is_published(today) else ()
                problems.append(codes.REPEALED_REFERENCE.at(report.path, line, message, col, targets=targets))
            if number in first_listed:
                first_path, first_line = first_listed[number]
                problems.append(codes.REPEALED_TWICE.at(report.path, line,
                    f"索引号 {number} 已在 {first_path} 第 {first_line} 行列为废止：同一文件只能在废止当年列出一次",
                    col,
                ))
            else:
                first_listed[number] = (report.path, line)
    if inputs:
        problems.extend(_unlisted(project, set(first_listed), today))
    return problems


def _unlisted(project: Project, repealed: set[str], today: dt.date) -> list[Problem]:
    """Warn about 废止/失效 documents that no report lists: their year of repeal is unknown."""
    problems = []
    for item in project.items:
        if (
            item.is_published(today) and document_kind(item) is not None and item.validity != VALID
            and item.index_no not in repealed
        ):
            document = project.documents.get(item.path)
            problems.append(codes.UNLISTED_REPEAL.at(item.path, document.line_of("validity") if document else 1,
                f"有效性为“{item.validity}”，但没有列入任何年度报告数据的废止文件列表，年报仍把它算作现行有效："
                f"请在废止（失效）当年的 content/reports/<年份>.yml 的 active_disclosure.repealed 中写上索引号 "
                f"{item.index_no}（当年的年报数据还没建立时，建立后再写）；早于所有年报数据年份的，写在 repealed_earlier 中",
            ))
    return problems
