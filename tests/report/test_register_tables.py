"""Tables 三 and 四 counted from the 依申请公开 register, every cell against a hand count.

The fixture register below is counted by hand in `EXPECTED_2025` (and `EXPECTED_2024` for the year
before); the test reads the cells the way a user would, from `gongkai report YEAR --format json`.
A property test compares the counting with an independent one over random registers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import checks
from gongkai.registers.applications import APPLICANTS, OUTCOMES, Appeal, Application
from gongkai.report import build_report
from gongkai.report.layout import APPEAL_COLUMNS, APPEAL_ROWS, APPLICANT_COLUMNS, APPLICATION_COLUMNS, APPLICATION_ROWS
from gongkai.report.register_tables import appeal_table, application_table
from tests.projects import Project
from tests.report.report_helpers import TODAY, deep, report_problems, valid_input, without_tables

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")

# number, received, applicant, answered, outcome, extra
REGISTER: list[tuple[str, str, str, str | None, str | None, dict[str, Any]]] = [
    ("2024-a1", "2024-11-05", "自然人", "2024-12-20", "granted", {"review": {"filed": "2024-12-28", "result": "upheld"}}),
    ("2024-a2", "2024-12-31", "商业企业", "2025-01-02", "granted", {}),
    ("2024-a3", "2024-12-20", "自然人", None, None, {}),
    ("2025-a4", "2025-01-01", "科研机构", "2025-01-20", "partial", {}),
    ("2025-a5", "2025-12-31", "社会公益组织", "2025-12-31", "not_processed.publication", {}),
    ("2025-a6", "2025-12-31", "法律服务机构", "2026-01-05", "withheld.state_secret", {}),
    ("2026-a7", "2026-01-02", "自然人", None, None, {}),
    ("2025-r01", "2025-02-03", "自然人", "2025-02-20", "withheld.law_forbidden", {}),
    ("2025-r02", "2025-02-04", "其他", "2025-02-21", "withheld.security_stability", {}),
    ("2025-r03", "2025-02-05", "自然人", "2025-02-24", "withheld.third_party", {
        "review": {"filed": "2025-03-01", "result": "upheld", "decided": "2025-05-01"},
        "litigation": {"filed": "2025-06-10", "result": "corrected", "after_review": True}}),
    ("2025-r04", "2025-02-06", "商业企业", "2025-02-25", "withheld.internal_affairs", {}),
    ("2025-r05", "2025-03-03", "自然人", "2025-03-20", "withheld.process_info", {
        "review": {"filed": "2025-06-01", "result": "corrected", "decided": "2026-02-01"}}),
    ("2025-r06", "2025-03-04", "科研机构", "2025-03-21", "withheld.enforcement_file", {}),
    ("2025-r07", "2025-03-05", "自然人", "2025-03-24", "withheld.query_matter", {}),
    ("2025-r08", "2025-04-01", "自然人", "2025-04-18", "unavailable.not_held", {"review": {"filed": "2025-07-01", "result": "other"}}),
    ("2025-r09", "2025-04-02", "自然人", "2025-04-21", "unavailable.not_held", {
        "litigation": {"filed": "2026-01-10", "result": "upheld", "after_review": False}}),
    ("2025-r10", "2025-04-03", "其他", "2025-04-22", "unavailable.needs_creation", {}),
    ("2025-r11", "2025-05-06", "自然人", "2025-05-23", "unavailable.unclear",
     {"correction": {"requested": "2025-05-08", "received": "2025-05-12"}}),
    ("2025-r12", "2025-05-07", "自然人", "2025-05-26", "not_processed.complaint", {
        "litigation": {"filed": "2025-08-01", "result": "pending", "after_review": False}}),
    ("2025-r13", "2025-05-08", "商业企业", "2025-05-27", "not_processed.repeated", {}),
    ("2025-r14", "2025-06-02", "自然人", "2025-06-19", "not_processed.excessive", {}),
    ("2025-r15", "2025-06-03", "法律服务机构", "2025-06-20", "not_processed.confirmation", {}),
    ("2025-r16", "2025-06-04", "自然人", "2025-08-01", "other_handling.no_correction", {"correction": {"requested": "2025-06-06"}}),
    ("2025-r17", "2025-07-01", "商业企业", "2025-07-18", "other_handling.unpaid_fee", {}),
    ("2025-r18", "2025-07-02", "自然人", "2025-07-21", "other_handling.other", {}),
    ("2025-r19", "2025-08-01", "自然人", "2025-08-20", "granted", {}),
    ("2025-r20", "2025-08-04", "自然人", "2025-08-21", "results.granted", {}),  # the row key with its prefix also reads
    ("2025-r21", "2025-08-05", "natural_person", "2025-08-22", "granted", {}),  # so does the column key
    ("2025-r22", "2025-09-01", "自然人", "2025-09-18", "withheld.state_secret", {}),
    ("2025-r23", "2025-11-03", "自然人", None, None, {"extension": {"date": "2025-11-20", "reason": "需征求第三方意见"}}),
]

NP, ENT, RES, PUB, LEG, OTH = "natural_person", "enterprise", "research", "public_interest", "legal_service", "other"

# Hand-counted; cells not listed are 0, the total column is the sum of the row.
EXPECTED_2025 = {
    "new": {NP: 16, ENT: 3, RES: 2, PUB: 1, LEG: 2, OTH: 2},
    "carried_over": {NP: 1, ENT: 1},
    "results.granted": {NP: 3, ENT: 1},
    "results.partial": {RES: 1},
    "results.withheld.state_secret": {NP: 1},
    "results.withheld.law_forbidden": {NP: 1},
    "results.withheld.security_stability": {OTH: 1},
    "results.withheld.third_party": {NP: 1},
    "results.withheld.internal_affairs": {ENT: 1},
    "results.withheld.process_info": {NP: 1},
    "results.withheld.enforcement_file": {RES: 1},
    "results.withheld.query_matter": {NP: 1},
    "results.unavailable.not_held": {NP: 2},
    "results.unavailable.needs_creation": {OTH: 1},
    "results.unavailable.unclear": {NP: 1},
    "results.not_processed.complaint": {NP: 1},
    "results.not_processed.repeated": {ENT: 1},
    "results.not_processed.publication": {PUB: 1},
    "results.not_processed.excessive": {NP: 1},
    "results.not_processed.confirmation": {LEG: 1},
    "results.other_handling.no_correction": {NP: 1},
    "results.other_handling.unpaid_fee": {ENT: 1},
    "results.other_handling.other": {NP: 1},
    "results.total": {NP: 15, ENT: 4, RES: 2, PUB: 1, LEG: 1, OTH: 2},
    "carried_forward": {NP: 2, LEG: 1},
}
EXPECTED_2024 = {
    "new": {NP: 2, ENT: 1},
    "results.granted": {NP: 1},
    "results.total": {NP: 1},
    "carried_forward": {NP: 1, ENT: 1},
}
APPEALS_2025 = {
    "review": {"upheld": 1, "other": 1, "pending": 1},  # r05 was decided (corrected) only in 2026
    "litigation_direct": {"pending": 1},  # r09's case was filed in 2026
    "litigation_after_review": {"corrected": 1},
}
APPEALS_2024 = {"review": {"upheld": 1}}


def full(expected: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    table = {}
    for row in APPLICATION_ROWS:
        cells = {column.key: expected.get(row.key, {}).get(column.key, 0) for column in APPLICANT_COLUMNS}
        table[row.key] = {**cells, "total": sum(cells.values())}
    return table


def full_appeals(expected: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    table = {}
    for row in APPEAL_ROWS:
        cells = {column.key: expected.get(row.key, {}).get(column.key, 0) for column in APPEAL_COLUMNS[:-1]}
        table[row.key] = {**cells, "total": sum(cells.values())}
    return table


@pytest.fixture
def registered(site: Project) -> Project:
    for number, received, applicant, answered, outcome, extra in REGISTER:
        site.application(number, received, applicant, answered, outcome, **extra)
    for year in (2024, 2025):
        site.report(year, without_tables(valid_input()))
    return site


def report_json(site: Project, year: int) -> dict:
    env = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat()}
    result = subprocess.run([GONGKAI, "report", str(year), "--format", "json"], cwd=site.root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_cell_of_table_three_equals_the_hand_count(registered):
    data = report_json(registered, 2025)
    cells = {row["key"]: row["values"] for row in data["applications"]["rows"]}
    assert cells == full(EXPECTED_2025)


def test_table_three_of_the_year_before(registered):
    data = report_json(registered, 2024)
    assert {row["key"]: row["values"] for row in data["applications"]["rows"]} == full(EXPECTED_2024)


def test_carried_over_is_last_years_carried_forward_by_construction(registered):
    project = registered.load()
    this, last = build_report(project, 2025, TODAY), build_report(project, 2024, TODAY)
    assert this.applications["carried_over"] == last.applications["carried_forward"]


def test_every_cell_of_table_four_equals_the_hand_count(registered):
    assert report_json(registered, 2025)["review_litigation"] == full_appeals(APPEALS_2025)
    assert report_json(registered, 2024)["review_litigation"] == full_appeals(APPEALS_2024)


def test_the_counted_tables_pass_the_reports_own_arithmetic(registered):
    assert [p for p in report_problems(registered) if p.is_error] == []


def test_a_typed_number_that_disagrees_is_an_error_naming_both(registered):
    typed = deep(valid_input())
    typed["applications"]["new"] = {**full(EXPECTED_2025)["new"]}
    typed["applications"]["new"]["natural_person"] = 15
    typed["applications"]["new"]["total"] = 27
    registered.report(2025, typed)
    errors = [p for p in report_problems(registered) if p.code == "GK845" and p.path == "content/reports/2025.yml"]
    natural = [p for p in errors if "“一、本年新收政府信息公开申请数量”的“自然人”列填了 15" in p.message]
    assert len(natural) == 1 and "登记统计为 16" in natural[0].message and "content/applications/2025/2025-r01.yml" in natural[0].message
    line = registered.root.joinpath("content/reports/2025.yml").read_text(encoding="utf-8").splitlines()[natural[0].line - 1]
    assert line.lstrip().startswith("new:")
    # A disagreeing report is refused, with the reason.
    result = subprocess.run([GONGKAI, "report", "2025"], cwd=registered.root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GONGKAI_TODAY": TODAY.isoformat()})
    assert result.returncode == 1 and "GK845" in result.stderr and "Traceback" not in result.stderr


def test_typed_tables_that_agree_are_accepted(registered):
    typed = deep(valid_input())
    counted = full(EXPECTED_2025)
    typed["applications"] = {
        "new": counted["new"], "carried_over": counted["carried_over"], "carried_forward": counted["carried_forward"],
        "results": {},
    }
    for row in APPLICATION_ROWS:
        if row.path[0] == "results":
            target = typed["applications"]["results"]
            for part in row.path[1:-1]:
                target = target.setdefault(part, {})
            target[row.path[-1]] = counted[row.key]
    typed["review_litigation"] = full_appeals(APPEALS_2025)
    registered.report(2025, typed)
    assert [p for p in report_problems(registered) if p.is_error] == []


def test_a_typed_table_four_that_disagrees_is_an_error(registered):
    typed = without_tables(valid_input())
    wrong = {"upheld": 2, "corrected": 0, "other": 1, "pending": 0, "total": 3}
    typed["review_litigation"] = {**full_appeals(APPEALS_2025), "review": wrong}
    registered.report(2025, typed)
    messages = [p.message for p in report_problems(registered) if p.code == "GK846"]
    assert any("“行政复议”的“结果维持”列填了 2" in m and "统计为 1" in m for m in messages)
    assert any("“尚未审结”列填了 0" in m and "2025-r05.yml" in m for m in messages)


def test_a_broken_register_file_stops_the_report_of_the_years_it_may_touch(registered):
    registered.application("2025-bad", "2025-05-05", "个人")
    errors = [p for p in report_problems(registered) if p.code == "GK847"]
    assert {p.path for p in errors} == {"content/reports/2025.yml"}  # 2024 cannot be touched by a 2025 application
    assert "content/applications/2025/2025-bad.yml" in errors[0].message


def test_a_year_before_the_register_keeps_its_typed_tables(site):
    # The register starts in 2025 with the application carried over from 2024, filed in the first year's folder.
    site.report(2024, valid_input(carried_over=1, carried_forward=1))
    site.report(2025, without_tables(valid_input()))
    site.application("2024-019", "2024-12-20", answered="2025-01-10", outcome="granted", folder="2025")
    site.application("2025-001", "2025-02-03", answered="2025-02-20", outcome="granted")
    assert [p for p in report_problems(site) if p.is_error] == []
    report = build_report(site.load(), 2025, TODAY)
    assert report.applications["carried_over"]["natural_person"] == 1
    assert report.applications["new"]["total"] == 1 and report.applications["results.granted"]["total"] == 2


def test_a_carried_over_application_missing_from_the_register_is_found(site):
    site.report(2024, valid_input(carried_over=1, carried_forward=1))  # typed: one application carried into 2025
    site.report(2025, without_tables(valid_input()))
    site.application("2025-001", "2025-02-03", answered="2025-02-20", outcome="granted")
    messages = [p.message for p in report_problems(site) if p.code == "GK813"]
    assert messages and "由依申请公开登记统计为 0" in messages[0] and "是否都已登记" in messages[0]


def test_a_year_before_the_register_without_typed_tables_is_told_what_to_do(site):
    site.report(2024, without_tables(valid_input()))
    site.application("2025-001", "2025-02-03", answered="2025-02-20", outcome="granted")
    messages = [p.message for p in report_problems(site) if p.code == "GK804" and p.path == "content/reports/2024.yml"]
    assert any("content/applications/" in m for m in messages)


# ---- an independent count over random registers --------------------------------------------

YEAR = 2025
days = st.dates(dt.date(2023, 6, 1), dt.date(2026, 6, 30))


@st.composite
def applications(draw) -> list[Application]:
    found = []
    for number in range(draw(st.integers(0, 40))):
        received = draw(days)
        answered = draw(st.one_of(st.none(), st.dates(received, dt.date(2026, 12, 31))))
        appeal = draw(st.one_of(st.none(), st.builds(Appeal, days, st.sampled_from(["upheld", "corrected", "other", "pending"]),
                                                      st.one_of(st.none(), days), st.booleans())))
        found.append(Application(
            f"a{number}.yml", received, "网络", draw(st.sampled_from(sorted(APPLICANTS.values()))), "x",
            answered=answered, outcome=draw(st.sampled_from(OUTCOMES)) if answered else None,
            review=appeal if appeal and not appeal.after_review else None, litigation=appeal,
        ))
    return found


def independent_count(register: list[Application], year: int) -> dict[str, Counter]:
    """The template read literally: received this year; open on 1 January; answered this year; open on 31 December."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table: dict[str, Counter] = {row.key: Counter() for row in APPLICATION_ROWS}
    for a in register:
        is_open_on = {day: a.received <= day and (a.answered is None or a.answered > day) for day in (first - dt.timedelta(days=1), last)}
        keys = []
        if a.received.year == year:
            keys.append("new")
        if a.received < first and is_open_on[first - dt.timedelta(days=1)]:
            keys.append("carried_over")
        if a.answered is not None and a.answered.year == year:
            keys += [f"results.{a.outcome}", "results.total"]
        if is_open_on[last]:
            keys.append("carried_forward")
        for key in keys:
            table[key][a.applicant] += 1
            table[key]["total"] += 1
    return table


@settings(max_examples=150, deadline=None)
@given(applications())
def test_counting_agrees_with_an_independent_count_and_balances(register):
    counted = application_table(register, YEAR).cells
    expected = independent_count(register, YEAR)
    for row in APPLICATION_ROWS:
        assert counted[row.key] == {column.key: expected[row.key][column.key] for column in APPLICATION_COLUMNS}
    for column in APPLICATION_COLUMNS:
        came = counted["new"][column.key] + counted["carried_over"][column.key]
        assert came == counted["results.total"][column.key] + counted["carried_forward"][column.key]
    assert application_table(register, YEAR).cells["carried_over"] == application_table(register, YEAR - 1).cells["carried_forward"]


@settings(max_examples=100, deadline=None)
@given(applications())
def test_table_four_counts_each_case_once_in_the_year_filed(register):
    table = appeal_table(register, YEAR).cells
    filed = sum((a.review is not None and a.review.filed.year == YEAR) + (a.litigation is not None and a.litigation.filed.year == YEAR)
                for a in register)
    assert sum(table[row.key]["total"] for row in APPEAL_ROWS) == filed
    for row in APPEAL_ROWS:
        assert table[row.key]["total"] == sum(table[row.key][c.key] for c in APPEAL_COLUMNS[:-1])


def test_a_mistake_outside_what_is_counted_does_not_stop_the_report(registered):
    registered.application("2025-x1", "2025-05-05", answered="2025-05-20", outcome="granted", channel="电话")
    assert not [p for p in report_problems(registered) if p.code == "GK847"]
    assert report_json(registered, 2025)["applications"]["rows"][0]["values"]["natural_person"] == 17
    assert [p.code for p in checks.run(registered.load(), TODAY) if p.path.endswith("2025-x1.yml")] == ["GK834"]
