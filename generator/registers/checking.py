"""The rules of both registers that depend on the day of the check or on the rest of the site:
dates in the future, files under the wrong year, statutory deadlines, overdue 督办件, the
建议提案 答复 items, and the privacy scan (registers record applicants by type only, so a personal
number anywhere in a register file — comments included — is an error, as in an item)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from ..checks import pii
from ..checks.base import front_matter_strings
from ..checks.privacy import CODES as PII_RULES
from ..checks.published import CROWDED_TEXT, FINDINGS
from ..loading import SourceDocument
from ..model import PUBLIC
from ..problems import Problem
from ..project import Project
from ..text_lines import position
from ..values import shown
from ..workdays import WorkCalendar
from . import codes
from .applications import Application
from .deadlines import Deadline, correction_notice_due, deadline_of, standing
from .loading import Registers
from .supervision import DONE, PROPOSAL_COLUMN, Entry


def check_registers(project: Project, registers: Registers, today: dt.date) -> list[Problem]:
    calendar = WorkCalendar()
    problems = list(registers.problems)
    for application in registers.applications:
        problems.extend(_application(application, registers, today, calendar))
    for entry in registers.supervision:
        problems.extend(_entry(entry, registers, project, today))
    for document in registers.documents.values():
        problems.extend(_personal_numbers(document, today))
    return problems


def _at(registers: Registers, path: str, rule, key: tuple, message: str) -> Problem:
    document = registers.documents.get(path)
    mark = None
    while document is not None and key and mark is None:
        mark = document.values.get(key) or document.keys.get(key)
        key = key[:-1]
    return rule.at(path, mark.line if mark else 1, message, mark.col if mark else 1)


def assumed_note(deadline: Deadline) -> str:
    """How a deadline was counted when a year's holidays are unknown (empty otherwise)."""
    if not deadline.assumed:
        return ""
    years = "、".join(map(str, deadline.assumed))
    return f"（{years} 年的节假日安排 chinesecalendar 尚未收录，按周一至周五计算，国务院公布安排后可能变化）"


def describe(deadline: Deadline) -> str:
    """“答复期限为 2025-04-15（自 2025-03-10 的次日起 20 个工作日，延期 20 个工作日）”."""
    assert deadline.start is not None and deadline.due is not None
    extended = "，延期 20 个工作日" if deadline.extended else ""
    return f"答复期限为 {deadline.due}（自 {deadline.start} 的次日起 20 个工作日{extended}）{assumed_note(deadline)}"


def _application(application: Application, registers: Registers, today: dt.date, calendar: WorkCalendar) -> Iterator[Problem]:
    path = application.path
    dates = {
        ("received",): application.received,
        ("correction", "requested"): application.correction_requested,
        ("correction", "received"): application.correction_received,
        ("extension", "date"): application.extension,
        ("answered",): application.answered,
    }
    for name, appeal in (("review", application.review), ("litigation", application.litigation)):
        if appeal is not None:
            dates[(name, "filed")], dates[(name, "decided")] = appeal.filed, appeal.decided
    future = [(key, day) for key, day in dates.items() if day is not None and day > today]
    for key, day in future:
        yield _at(registers, path, codes.DATE_ORDER, key,
                  f"`{'.'.join(key)}` 的日期 {day} 晚于今天（{today}）：登记已经发生的事，请核对日期")
    yield from _misfiled(application, registers)
    if not future and path not in registers.untimed:  # a mistyped date would give a wrong deadline
        yield from _deadline(application, registers, today, calendar)


def _misfiled(application: Application, registers: Registers) -> Iterator[Problem]:
    folder, received = registers.files.get(application.path), application.received
    if folder == received.year:
        return
    if folder is None:
        message = f"申请没有放在年份文件夹中：请移到 content/applications/{received.year}/"
    elif folder > received.year and folder == registers.first_year:
        if application.open_at(dt.date(folder - 1, 12, 31)):
            return  # the register's first year also holds the applications carried over into it
        message = (f"申请收到于 {received}，在登记的第一年（{folder} 年）开始前已经答复，不计入任何由登记统计的年报："
                   f"请移到 content/applications/{received.year}/，或删除")
    else:
        message = f"申请收到于 {received}，却放在 {folder} 年的文件夹中：请移到 content/applications/{received.year}/（统计只看收到日期）"
    yield _at(registers, application.path, codes.MISFILED, ("received",), message)


def _deadline(application: Application, registers: Registers, today: dt.date, calendar: WorkCalendar) -> Iterator[Problem]:
    path = application.path
    if application.correction_requested is not None:
        notice_due = correction_notice_due(application, calendar)
        if application.correction_requested > notice_due:
            yield _at(registers, path, codes.LATE_CORRECTION_NOTICE, ("correction", "requested"),
                      f"{application.received} 收到的申请，{application.correction_requested} 才告知补正，"
                      f"晚于第 7 个工作日（{notice_due}）：条例第三十条要求 7 个工作日内一次性告知")
    deadline = deadline_of(application, calendar)
    if deadline.due is None:
        return  # awaiting the 补正: the period has not begun
    if application.extension is not None and deadline.original_due is not None and application.extension > deadline.original_due:
        yield _at(registers, path, codes.LATE_EXTENSION, ("extension", "date"),
                  f"延期决定日期 {application.extension} 晚于原答复期限 {deadline.original_due}：延期须在原 20 个工作日内决定并告知申请人")
    state = standing(application, deadline, today, calendar)
    if state.late and application.answered is not None:
        late_by = calendar.count(deadline.due, application.answered)
        yield _at(registers, path, codes.ANSWERED_LATE, ("answered",),
                  f"{application.answered} 才答复，逾期 {late_by} 个工作日：{describe(deadline)}；"
                  "逾期答复无法更正，这条警告会保留，请在该年年报“存在的主要问题”中说明")
    elif state.overdue:
        yield _at(registers, path, codes.OVERDUE, ("received",),
                  f"申请尚未答复，已超过法定期限 {-(state.days_left or 0)} 个工作日：{describe(deadline)}；"
                  "请立即答复并登记 answered 和 outcome")


def _entry(entry: Entry, registers: Registers, project: Project, today: dt.date) -> Iterator[Problem]:
    path = entry.path
    for key, day in ((("received",), entry.received), (("closed",), entry.closed)):
        if day is not None and day > today:
            yield _at(registers, path, codes.DATE_ORDER, key, f"`{key[0]}` 的日期 {day} 晚于今天（{today}）：请核对日期")
    folder = registers.files.get(path)
    if folder != entry.received.year:
        where = f"放在 {folder} 年的文件夹中" if folder is not None else "没有放在年份文件夹中"
        yield _at(registers, path, codes.MISFILED, ("received",),
                  f"督办件收到于 {entry.received}，却{where}：请移到 content/supervision/{entry.received.year}/（统计只看收到日期）")
    if entry.overdue_at(today):
        yield _at(registers, path, codes.SUPERVISION_OVERDUE, ("deadline",),
                  f"{entry.source}督办件的办理期限 {entry.deadline} 已过，仍在办理中（承办科室：{entry.department}）：请督促办结并登记")
    yield from _reply(entry, registers, project, today)


def _reply(entry: Entry, registers: Registers, project: Project, today: dt.date) -> Iterator[Problem]:
    item = project.item_by_index_no(entry.reply) if entry.reply else None
    if entry.reply and item is None:
        yield _at(registers, entry.path, codes.BAD_REPLY, ("reply",),
                  f"答复条目（reply）的索引号 {shown(entry.reply)} 没有对应的条目：请核对索引号")
        return
    if item is not None and (item.category is None or item.category.name != PROPOSAL_COLUMN):
        yield _at(registers, entry.path, codes.BAD_REPLY, ("reply",),
                  f"答复条目 {entry.reply}（{item.path}）不在“{PROPOSAL_COLUMN}”栏目中：请核对索引号，或把答复条目放入该栏目")
        return
    public = item is not None and item.disclosure == PUBLIC and item.is_published(today) and item.withdrawn is None
    if entry.publish_reply and entry.status_at(today) == DONE and not public:
        if item is None:
            why = "没有登记答复条目（reply）"
        else:
            why = f"答复条目 {entry.reply}（{item.path}）还没有公开（公开属性须为主动公开，发布日期不晚于今天，且未撤回）"
        yield _at(registers, entry.path, codes.REPLY_UNPUBLISHED, ("publish_reply",),
                  f"{entry.source}已于 {entry.closed} 办结，要求公开答复，但{why}")


def _personal_numbers(document: SourceDocument, today: dt.date) -> Iterator[Problem]:
    """At most FINDINGS of `_numbers`, then one GK314, as for an item's body: a register of 300,000 mobile numbers
    printed 300,000 errors (59 MB, a CI log lost in them)."""
    for count, problem in enumerate(_numbers(document, today)):
        if count == FINDINGS:
            yield CROWDED_TEXT.at(document.path, problem.line, f"登记文件中查出的个人信息超过 {FINDINGS} 处，只列出了前 {FINDINGS} 处："
                                                              f"{CROWDED_TEXT.fix}", problem.col)
            return
        yield problem


def _numbers(document: SourceDocument, today: dt.date) -> Iterator[Problem]:
    """The numbers of the file as written, then those only its values as read hold (a YAML escape "13\\x39…", a folded
    block's lines joined), at the value's line."""
    text = document.text
    found: Counter[str] = Counter()
    for finding in pii.find(text, today):
        found[finding.number] += 1
        line, col = position(text, finding.start)
        yield _personal_number(document, finding, line, col)
    if not isinstance(document.meta, dict):
        return
    for path, value in front_matter_strings(document.meta, skip=()):
        for finding in pii.find(value, today):
            if found[finding.number]:
                found[finding.number] -= 1
                continue
            yield _personal_number(document, finding, document.value_line(*path), document.value_col(*path))


def _personal_number(document: SourceDocument, finding: pii.Finding, line: int, col: int) -> Problem:
    return PII_RULES[finding.kind].at(
        document.path, line,
        f"登记中有{pii.KIND_LABELS[finding.kind]} {finding.masked}：登记不记录申请人、来件人的证件号码、手机号码和银行卡号，请删除",
        col)
