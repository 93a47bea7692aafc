"""The register rules that depend on the day of the check or on the rest of the site."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.problems import format_text
from tests.registers.register_helpers import write_application, write_entry

D = dt.date


def found(site, path, today):
    return [(p.code, p.severity) for p in site.check(today) if p.path == site.rel(path)]


def test_unanswered_past_the_due_date_is_an_error(site):
    # Received Mon 10 Mar 2025, due Tue 8 Apr 2025.
    path = write_application(site.root, received=D(2025, 3, 10))
    assert found(site, path, D(2025, 4, 8)) == []
    problems = [p for p in site.check(D(2025, 4, 10)) if p.path == site.rel(path)]
    assert [(p.code, p.severity) for p in problems] == [("GK841", "error")]
    assert "2025-04-08" in problems[0].message and "2 个工作日" in problems[0].message


def test_an_extension_moves_the_error(site):
    path = write_application(site.root, received=D(2025, 3, 10), extension={"date": D(2025, 3, 28), "reason": "需征求第三方意见"})
    assert found(site, path, D(2025, 5, 6)) == []


def test_awaiting_a_correction_is_not_overdue(site):
    path = write_application(site.root, received=D(2025, 3, 3), correction={"requested": D(2025, 3, 5)})
    assert found(site, path, D(2025, 12, 1)) == []


def test_answered_late_is_a_warning_that_stays(site):
    path = write_application(site.root, received=D(2025, 8, 11), answered=D(2025, 9, 10), outcome="granted")
    for today in (D(2025, 9, 10), D(2026, 6, 1), D(2030, 1, 1)):
        problems = [p for p in site.check(today) if p.path == site.rel(path)]
        assert [(p.code, p.severity) for p in problems] == [("GK842", "warning")]
    assert "逾期 2 个工作日" in problems[0].message and "2025-09-08" in problems[0].message


def test_the_late_answer_stays_with_the_years_report(site):
    from gongkai import checks
    from gongkai.project import load_project
    from gongkai.report import year_problems

    write_application(site.root, received=D(2025, 8, 11), answered=D(2025, 9, 10), outcome="granted")
    write_application(site.root, "2025-002", received=D(2025, 8, 11), answered=D(2025, 9, 8), outcome="granted")
    write_application(site.root, "2025-003", received=D(2025, 3, 3))  # overdue: an error, but not about the report
    write_entry(site.root, status="办理中", closed=None)  # overdue 督办件: not about the report either
    project = load_project(site.root)
    problems = checks.collect(project, D(2026, 3, 1))
    assert {p.code for p in problems} >= {"GK841", "GK842", "GK852"}
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in year_problems(problems, project, 2025)] == [("2025-001.yml", "GK842")]
    assert year_problems(problems, project, 2026) == []


def test_late_notice_of_correction_and_late_extension_are_warnings(site):
    # Received Fri 26 Sep 2025: the 7th working day is Mon 13 Oct; due Thu 30 Oct.
    path = write_application(site.root, received=D(2025, 9, 26), correction={"requested": D(2025, 10, 14), "received": D(2025, 10, 15)},
                             extension={"date": D(2025, 11, 20), "reason": "需征求第三方意见"}, answered=D(2025, 11, 21), outcome="granted")
    codes = sorted(p.code for p in site.check(D(2026, 1, 1)) if p.path == site.rel(path))
    assert codes == ["GK843", "GK844"]  # 补正 from 15 Oct: original due 12 Nov, extension decided 20 Nov


def test_dates_after_today_are_errors(site):
    path = write_application(site.root, received=D(2025, 3, 10), answered=D(2025, 3, 20), outcome="granted")
    assert [code for code, _ in found(site, path, D(2025, 3, 15))] == ["GK835"]
    assert [code for code, _ in found(site, path, D(2025, 3, 9))] == ["GK835", "GK835"]


def test_a_file_under_the_wrong_year_is_a_warning(site):
    path = write_application(site.root, "2024-099", folder="2025", received=D(2025, 3, 10), answered=D(2025, 3, 20), outcome="granted")
    other = write_application(site.root, "2025-001", folder="2024", received=D(2025, 4, 10), answered=D(2025, 4, 20), outcome="granted")
    assert found(site, path, D(2026, 1, 1)) == []
    assert found(site, other, D(2026, 1, 1)) == [("GK836", "warning")]


def test_the_first_year_may_hold_what_was_carried_into_it(site):
    carried = write_application(site.root, "2024-019", folder="2025", received=D(2024, 12, 20), answered=D(2025, 1, 10), outcome="granted")
    closed_before = write_application(site.root, "2024-018", folder="2025", received=D(2024, 11, 20), answered=D(2024, 12, 10),
                                      outcome="granted")
    assert found(site, carried, D(2026, 1, 1)) == []
    problems = [p for p in site.check(D(2026, 1, 1)) if p.path == site.rel(closed_before)]
    assert [p.code for p in problems] == ["GK836"] and "不计入任何由登记统计的年报" in problems[0].message


def test_personal_numbers_anywhere_in_a_register_file_are_errors(site):
    path = write_application(site.root, request="申请人张某（身份证号110101199003074514，电话13912345678）申请公开补助名单",
                             answered=D(2025, 3, 20), outcome="granted")
    with path.open("a", encoding="utf-8") as file:
        file.write("# 联系人手机 13812345678\n")
    problems = [p for p in site.check(D(2026, 1, 1)) if p.path == site.rel(path)]
    assert sorted(p.code for p in problems) == ["GK301", "GK303", "GK303"]
    assert all("110101199003074514" not in p.message and "13912345678" not in p.message for p in problems)
    assert {p.line for p in problems} == {4, 7}  # the request, and the comment after answered and outcome



@pytest.mark.parametrize("register", ["applications", "supervision"])
def test_a_register_of_thousands_of_numbers_reports_the_first_thousand_then_gk314(site, register):
    """300,000 mobile numbers in one register printed 300,000 errors (59 MB): past FINDINGS, one GK314, as for a body."""
    numbers = "，".join(f"139{n:08d}" for n in range(3_000))
    path = (write_application(site.root, request=numbers, answered=D(2025, 3, 20), outcome="granted")
            if register == "applications" else write_entry(site.root, subject=numbers))
    problems = [p for p in site.check(D(2026, 1, 1)) if p.path == site.rel(path)]
    assert [p.code for p in problems].count("GK303") == 1_000
    assert [p.code for p in problems if p.code not in ("GK303",)] == ["GK314"]
    assert "只列出了前 1000 处" in next(p.message for p in problems if p.code == "GK314")

# ---- 督查督办 ---------------------------------------------------------------------------------


def test_a_complete_entry_passes(site):
    path = write_entry(site.root)
    assert found(site, path, D(2025, 12, 1)) == []


@pytest.mark.parametrize(("fields", "code"), [
    ({"source": "12345"}, "GK834"),
    ({"status": "完成"}, "GK834"),
    ({"department": "财务科"}, "GK850"),
    ({"closed": None}, "GK851"),
    ({"status": "办理中"}, "GK851"),
    ({"deadline": D(2025, 4, 1)}, "GK835"),
    ({"reply": "11131122MB1534702N/2021-00001"}, "GK853"),  # a 12345 call has no published 答复
    ({"caller": "张三"}, "GK831"),
    ({"来电人": "张三"}, "GK831"),
    ({"deadline": None}, "GK832"),
])
def test_each_mistake_in_an_entry(site, fields, code):
    path = write_entry(site.root, **fields)
    assert [c for c, _ in found(site, path, D(2025, 12, 1))] == [code]


def test_an_overdue_open_entry_is_a_warning(site):
    path = write_entry(site.root, status="办理中", closed=None)
    assert found(site, path, D(2025, 4, 17)) == []
    assert found(site, path, D(2025, 4, 18)) == [("GK852", "warning")]


def test_a_cancelled_entry_is_never_overdue(site):
    path = write_entry(site.root, status="已取消", closed=D(2025, 4, 11), result="重复交办")
    assert found(site, path, D(2025, 12, 1)) == []


def proposal(site, **fields):
    return write_entry(site.root, source="政协委员提案", subject="第7号提案", received=D(2021, 3, 15), deadline=D(2021, 7, 15),
                       closed=D(2021, 7, 10), **fields)


def test_a_reply_must_be_an_item_of_the_proposal_column(site):
    site.item("2021/a.md", category="动态信息", published="2021-07-12")  # 11131122MB1534702N/2021-00001
    missing = proposal(site, reply="11131122MB1534702N/2021-00099")
    assert [c for c, _ in found(site, missing, D(2021, 12, 1))] == ["GK853"]
    wrong_column = proposal(site, reply="11131122MB1534702N/2021-00001")
    problems = [p for p in site.check(D(2021, 12, 1)) if p.path == site.rel(wrong_column)]
    assert [p.code for p in problems] == ["GK853"] and "建议提案办理" in problems[0].message


def test_an_answered_proposal_whose_reply_must_be_published_but_is_not(site):
    path = proposal(site, publish_reply=True)
    problems = [p for p in site.check(D(2021, 12, 1)) if p.path == site.rel(path)]
    assert [(p.code, p.severity) for p in problems] == [("GK854", "warning")]
    relaxed = proposal(site, publish_reply=False)
    assert found(site, relaxed, D(2021, 12, 1)) == []


@pytest.mark.parametrize(("written", "code"), [
    ('"申请人电话13\\x39\\x312345678"', "GK303"),  # YAML escapes
    ('"申请人电话\\u0031\\U00000033912345678"', "GK303"),
    (">-\n  申请人身份证号110101\n  199003074514", "GK301"),  # a folded block joins its lines with a space
    ('"申请人身份证号110101\\\n  199003074514"', "GK301"),  # an escaped line break joins them with nothing
])
def test_a_number_only_the_value_as_read_holds_is_found_at_its_line(site, written, code):
    """A register's values are read as YAML reads them: an escape or a folded block hid a number from the file's text."""
    path = write_application(site.root, request="占位", answered=D(2025, 3, 20), outcome="granted")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("request: 占位", f"request: {written}", 1), encoding="utf-8")
    problems = [p for p in site.check(D(2026, 1, 1)) if p.path == site.rel(path) and p.code in ("GK301", "GK303")]
    line = path.read_text(encoding="utf-8").split("\n").index(next(x for x in path.read_text(encoding="utf-8").split("\n")
                                                                     if x.startswith("request:"))) + 1
    assert [(p.code, p.line) for p in problems] == [(code, line)]


_LONG = 200_000


@pytest.mark.parametrize(("write", "fields", "code"), [
    (write_application, {"channel": "网" * _LONG}, "GK834"),
    (write_application, {"fee": "元" * _LONG}, "GK834"),
    (write_application, {"request": ["申请公开的信息"] * 1000}, "GK834"),
    (write_application, {"litigation": {"filed": D(2025, 4, 1), "result": "pending", "after_review": "是" * _LONG}}, "GK834"),
    (write_application, {"x" * 1000: 1}, "GK831"),  # YAML takes a key of at most 1,024 characters
    (write_application, {"电话" + "1" * 1000: 1}, "GK831"),
    (write_entry, {"department": "办" * _LONG}, "GK850"),
    (write_entry, {"status": "完" * _LONG}, "GK834"),
    (write_entry, {"source": "政协委员提案", "reply": "号" * _LONG}, "GK853"),
], ids=["channel", "fee", "request", "flag", "key", "identity-key", "department", "status", "reply"])
def test_a_long_value_is_quoted_short(site, write, fields, code):
    """A message quotes a register's value shortened, as GK005 quotes a line: a channel of 200,000 characters printed
    a line of 600 KB into the CI log (rt28 L1). The line still names the file and the value's line."""
    path = write(site.root, **fields)
    key = next(iter(fields)) if len(fields) == 1 else "reply"
    value_line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text.startswith(key))
    problems = [p for p in site.check(D(2025, 3, 5)) if p.path == site.rel(path)]
    assert [p.line for p in problems if p.code == code] == [value_line]
    for problem in problems:
        line = format_text([problem])
        assert len(line) < 1000 and line.startswith(f"{site.rel(path)}:{problem.line}:"), line
