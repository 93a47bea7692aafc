"""content/reports/<year>.yml: shape, types and every arithmetic rule, valid and violated."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.report import codes
from tests.projects import Project, dump_report
from tests.report.report_helpers import TODAY, deep, report_problems, row, valid_input


def errors(problems, code=None):
    return [p for p in problems if p.is_error and (code is None or p.code == code)]


def line_containing(text: str, needle: str) -> int:
    """1-based line of the first line that contains `needle` (the test's own way to find a cell)."""
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


def test_valid_input_has_no_problems(site: Project):
    site.report(2024, valid_input())
    assert report_problems(site) == []


def test_row_shorthand_zero_and_plain_figures_are_accepted(site: Project):
    data = valid_input()
    data["applications"]["results"]["not_processed"] = {"complaint": 0, "repeated": 0, "publication": 0, "excessive": 0, "confirmation": 0}
    data["active_disclosure"]["licensing"] = 10
    site.report(2024, data)
    assert report_problems(site) == []


def test_row_total_must_equal_sum_of_applicant_columns(site: Project):
    data = valid_input()
    data["applications"]["results"]["granted"]["total"] = 4  # 2 + 1 = 3
    text = dump_report(data)
    site.report(2024, text)
    found = errors(report_problems(site), codes.ROW_TOTAL.code)
    assert len(found) == 1
    assert found[0].line == line_containing(text, "granted:")
    assert "（一）予以公开" in found[0].message and "总计" in found[0].message
    # the column rule sees the same disagreement from the other side
    total = errors(report_problems(site), codes.RESULTS_TOTAL.code)
    assert [p.line for p in total] == [line_containing(text, "  total: {natural_person")]


def test_results_total_must_equal_sum_of_result_rows(site: Project):
    data = valid_input()
    data["applications"]["results"]["total"] = row(natural_person=5, enterprise=1)
    data["applications"]["carried_forward"] = row(natural_person=0)  # keep the balance
    text = dump_report(data)
    site.report(2024, text)
    found = errors(report_problems(site))
    assert {p.code for p in found} == {codes.RESULTS_TOTAL.code}
    assert {p.message.split("列")[0] for p in found} == {"表三“（七）总计”的“自然人”", "表三“（七）总计”的“总计”"}
    assert all(p.line == line_containing(text, "  total: {natural_person") for p in found)


def test_balance_new_plus_carried_over_equals_handled_plus_forward(site: Project):
    data = valid_input()
    data["applications"]["carried_forward"] = row(natural_person=2)
    text = dump_report(data)
    site.report(2024, text)
    found = errors(report_problems(site))
    assert {p.code for p in found} == {codes.BALANCE.code}
    assert len(found) == 2  # 自然人 and 总计 columns
    assert all(p.line == line_containing(text, "carried_forward:") for p in found)
    assert "本年新收 4 + 上年结转 1 = 5" in found[0].message


def test_column_points_at_the_cell(site: Project):
    data = valid_input()
    data["applications"]["carried_forward"] = row(natural_person=1, enterprise=1)
    text = dump_report(data)
    site.report(2024, text)
    enterprise = [p for p in errors(report_problems(site), codes.BALANCE.code) if "商业企业" in p.message]
    line = text.split("\n")[enterprise[0].line - 1]
    assert line[enterprise[0].col - 1:].startswith("enterprise")


def test_appeal_total_must_equal_sum_of_outcomes(site: Project):
    data = valid_input()
    data["review_litigation"]["review"]["total"] = 3
    text = dump_report(data)
    site.report(2024, text)
    found = errors(report_problems(site))
    assert [p.code for p in found] == [codes.APPEAL_TOTAL.code]
    assert found[0].line == line_containing(text, "review: {")
    assert "行政复议" in found[0].message and "结果维持 1" in found[0].message


def test_breakdown_must_add_up_to_total(site: Project):
    data = valid_input()
    data["active_disclosure"]["licensing"]["by_department"]["办公室"] = 4
    site.report(2024, data)
    found = errors(report_problems(site))
    assert [p.code for p in found] == [codes.BREAKDOWN_TOTAL.code]
    assert "规划建设股 7 + 办公室 4 = 11" in found[0].message


def test_fee_breakdown_adds_decimals_exactly(site: Project):
    data = valid_input()
    data["active_disclosure"]["fees"] = {"total": 0.3, "by_department": {"规划建设股": 0.1, "办公室": 0.2}}
    site.report(2024, data)
    assert report_problems(site) == []  # 0.1 + 0.2 == 0.3 in 万元, not in binary floating point


def test_breakdown_department_must_be_in_catalog(site: Project):
    data = valid_input()
    data["active_disclosure"]["licensing"]["by_department"] = {"规划建设": 7, "办公室": 3}
    site.report(2024, data)
    found = errors(report_problems(site))
    assert [p.code for p in found] == [codes.UNKNOWN_DEPARTMENT.code]
    assert "是不是“规划建设股”" in found[0].message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(-1, "不能为负数"), ("3", "请不加引号"), (2.0, "必须是整数"), (None, "没有填写"), ("三", "必须是 0 或正整数"),
     (True, "必须是 0 或正整数"), (10**9, "超过 999999999"), (10**300, "超过 999999999"),
     ("9" * 5000, "超过 999999999")],
)
def test_counts_must_be_non_negative_integers(site: Project, value, fragment):
    data = valid_input()
    data["review_litigation"]["review"]["upheld"] = value
    site.report(2024, data)
    found = errors(report_problems(site), codes.BAD_COUNT.code)
    assert len(found) == 1 and fragment in found[0].message and "结果维持" in found[0].message
    assert len(found[0].message) < 200  # a pasted figure is not echoed back


@pytest.mark.parametrize(("value", "fragment"), [(-0.5, "不能为负数"), ("1.2万元", "去掉引号和单位"), (None, "没有填写"),
                                                 (1.5e9, "超过 999999999 万元"), (1.0e308, "超过 999999999 万元"),
                                                 # beyond a float: math.isfinite raised OverflowError, an internal error
                                                 (10**400, "超过 999999999 万元"), (-(10**400), "不能为负数")])
def test_amounts_must_be_non_negative_numbers(site: Project, value, fragment):
    data = valid_input()
    data["active_disclosure"]["fees"] = value
    site.report(2024, data)
    found = errors(report_problems(site), codes.BAD_AMOUNT.code)
    assert len(found) == 1 and fragment in found[0].message


@pytest.mark.parametrize(("written", "number"), [("01", "1"), ("'1'", "1"), ("１", "1"), ("٠١", "1"), ('"0１"', "1")])
def test_a_count_written_as_text_is_told_the_number_that_reads_as_it(site: Project, written: str, number: str):
    """01 or 017 (which YAML 1.1 reads as octal 15: the project reads the text it shows), full-width or other digits:
    the message said “去掉引号，直接写数字 017” — the very text refused, again and again. Its fix now reads as a count."""
    text = dump_report(valid_input())
    site.report(2024, text.replace("review: {upheld: 1,", f"review: {{upheld: {written},"))
    [found] = errors(report_problems(site), codes.BAD_COUNT.code)
    assert found.message.endswith(f"写作 {number}")
    site.report(2024, text.replace("review: {upheld: 1,", f"review: {{upheld: {number},"))
    assert report_problems(site) == []


@pytest.mark.parametrize(("written", "number"), [("'01.250'", "1.25"), ("'1.25'", "1.25"), ("１．２５", None), ("１.２５", "1.25")])
def test_an_amount_written_as_text_is_told_the_number_that_reads_as_it(site: Project, written: str, number: str | None):
    text = dump_report(valid_input())
    site.report(2024, text.replace("total: 1.25", f"total: {written}", 1))
    [found] = errors(report_problems(site), codes.BAD_AMOUNT.code)
    if number is None:  # a full-width point: not a number of any script
        assert "例如 1.25" in found.message
        return
    assert found.message.endswith(f"写作 {number}")
    site.report(2024, text.replace("total: 1.25", f"total: {number}", 1))
    assert report_problems(site) == []


def test_non_zero_row_shorthand_is_an_error(site: Project):
    data = valid_input()
    data["applications"]["results"]["withheld"]["state_secret"] = 1
    text = dump_report(data)
    site.report(2024, text)
    found = errors(report_problems(site), codes.STRUCTURE.code)
    assert len(found) == 1 and "只能写 0" in found[0].message
    assert found[0].line == line_containing(text, "state_secret")


def test_unknown_key_suggests_the_closest(site: Project):
    data = valid_input()
    data["applications"]["new"]["natrual_person"] = data["applications"]["new"].pop("natural_person")
    data["overveiw"] = data.pop("overview")
    site.report(2024, data)
    found = errors(report_problems(site))
    messages = sorted(p.message for p in found)
    assert {p.code for p in found} == {codes.UNKNOWN_KEY.code}  # the typo is not also reported as missing
    assert any("`natrual_person`" in m and "`natural_person`（自然人）" in m for m in messages)
    assert any("`overveiw`" in m and "`overview`" in m for m in messages)


def test_chinese_label_as_key_names_the_english_key(site: Project):
    data = valid_input()
    data["applications"]["new"]["自然人"] = data["applications"]["new"].pop("natural_person")
    site.report(2024, data)
    found = errors(report_problems(site), codes.UNKNOWN_KEY.code)
    assert "请写作 `natural_person`" in found[0].message


def test_missing_keys_are_named(site: Project):
    data = valid_input()
    del data["applications"]["results"]["unavailable"]["unclear"]
    del data["problems"]
    site.report(2024, data)
    messages = [p.message for p in errors(report_problems(site), codes.MISSING_KEY.code)]
    assert any("3.补正后申请内容仍不明确" in m and "`unclear`" in m for m in messages)
    assert any("五、存在的主要问题及改进情况" in m for m in messages)


def test_text_sections_must_not_be_empty(site: Project):
    data = valid_input()
    data["other_matters"] = "  "
    site.report(2024, data)
    found = errors(report_problems(site), codes.EMPTY_TEXT.code)
    assert len(found) == 1 and "六、其他需要报告的事项" in found[0].message


def test_wrong_shapes_are_explained(site: Project):
    site.report(2024, "- 这不是映射\n")
    site.report(2023, {**valid_input(), "applications": [1, 2]})
    found = errors(report_problems(site), codes.STRUCTURE.code)
    assert {p.path for p in found} == {"content/reports/2024.yml", "content/reports/2023.yml"}


def test_yaml_syntax_and_encoding_errors_are_problems_not_exceptions(site: Project):
    site.report(2024, "overview: |\n  正文\n applications: {new: [\n")
    (site.root / "content" / "reports" / "2023.yml").write_bytes("overview: 正文\n".encode("gbk"))
    found = errors(report_problems(site))
    assert {p.path for p in found} == {"content/reports/2024.yml", "content/reports/2023.yml"}
    assert any("GBK" in p.message for p in found)


@pytest.mark.parametrize("name", ["2025年.yml", "report.yml", "2025.yaml", "25.yml", "２０２５.yml", "٢٠٢٥.yml", "𝟸𝟶𝟸𝟻.yml"])
def test_file_name_must_be_a_year(site: Project, name: str):
    """A year in other digits (full-width, Arabic-Indic) is not the year: beside 2025.yml, ２０２５.yml was a second
    report of 2025 that the site published instead of the one the office reviewed."""
    (site.root / "content" / "reports" / name).write_text(dump_report(valid_input()), encoding="utf-8")
    found = errors(report_problems(site))
    assert [p.code for p in found] == [codes.FILE_NAME.code]
    assert ".yml" in found[0].message
    assert name.isascii() or "改名为 2025.yml" in found[0].message  # the year in the digits it reads as


@pytest.mark.parametrize("year", [2007, 2027])
def test_year_must_be_plausible(site: Project, year: int):
    site.report(year, valid_input())
    found = errors(report_problems(site))
    assert [p.code for p in found] == [codes.FILE_NAME.code]


def test_carried_over_must_equal_last_years_carried_forward(site: Project):
    site.report(2024, valid_input(carried_forward=2))
    this_year = dump_report(valid_input(carried_over=1))
    site.report(2025, this_year)
    found = errors(report_problems(site))
    assert {p.code for p in found} == {codes.CARRY_OVER.code}
    assert {p.path for p in found} == {"content/reports/2025.yml"}
    assert len(found) == 2  # 自然人 and 总计
    assert all(p.line == line_containing(this_year, "carried_over:") for p in found)
    assert "content/reports/2024.yml 第" in found[0].message


def test_consecutive_years_that_agree_pass(site: Project):
    site.report(2024, valid_input(carried_forward=2))
    site.report(2025, valid_input(carried_over=2, carried_forward=0))
    site.report(2023, valid_input(carried_over=0, carried_forward=1))
    assert report_problems(site) == []


def test_a_gap_year_is_not_compared(site: Project):
    site.report(2022, valid_input(carried_forward=3))
    site.report(2024, valid_input(carried_over=1))
    assert report_problems(site) == []


# ---- the list of repealed documents --------------------------------------------------------


def repeal_site(site: Project) -> dict[str, str]:
    return {
        "repealed": site.report_item("2021-03-01", category="规范性文件", genre="规范性文件", validity="废止"),
        "valid": site.report_item("2021-05-01", category="规范性文件", genre="规范性文件"),
        "notice": site.report_item("2021-06-01", genre="通知", validity="废止"),
        "internal": site.report_item("2021-07-01", category="规范性文件", genre="规范性文件", validity="废止", disclosure="依申请公开"),
        "late": site.report_item("2025-02-01", category="规范性文件", genre="规范性文件", validity="失效"),
    }


def with_repealed(numbers: list[str], key: str = "repealed") -> dict:
    data = valid_input()
    data["active_disclosure"][key] = numbers
    return data


def test_repealed_document_is_accepted(site: Project):
    numbers = repeal_site(site)
    site.report(2024, with_repealed([numbers["repealed"]]))
    site.report(2025, with_repealed([numbers["late"]]))
    assert errors(report_problems(site)) == []
    assert report_problems(site) == []  # and nothing left unlisted


@pytest.mark.parametrize(
    ("which", "fragment"),
    [("valid", "仍为“有效”"), ("notice", "不是规章或行政规范性文件"), ("internal", "不是已公开的条目"), ("late", "不可能在 2024 年")],
)
def test_repealed_entries_are_checked(site: Project, which: str, fragment: str):
    numbers = repeal_site(site)
    site.report(2024, with_repealed([numbers[which]]))
    found = errors(report_problems(site), codes.REPEALED_REFERENCE.code)
    assert len(found) == 1 and fragment in found[0].message


def test_unknown_index_no_suggests_the_closest(site: Project):
    numbers = repeal_site(site)
    site.report(2024, with_repealed([numbers["repealed"].replace("-0", "-", 1)]))  # one digit short
    found = errors(report_problems(site), codes.REPEALED_REFERENCE.code)
    assert f"是不是 {numbers['repealed']}" in found[0].message


def test_a_document_is_repealed_once(site: Project):
    numbers = repeal_site(site)
    site.report(2023, with_repealed([numbers["repealed"]]))
    site.report(2024, with_repealed([numbers["repealed"]]))
    found = errors(report_problems(site), codes.REPEALED_TWICE.code)
    assert [p.path for p in found] == ["content/reports/2024.yml"]


def test_repealed_earlier_covers_repeals_before_the_first_report(site: Project):
    numbers = repeal_site(site)
    site.report(2024, with_repealed([numbers["repealed"]], key="repealed_earlier"))
    found = report_problems(site)
    assert errors(found) == []
    assert [p.code for p in found] == [codes.UNLISTED_REPEAL.code]  # only the 2025 document is left


def test_unlisted_repealed_document_gets_a_warning_on_the_item(site: Project):
    numbers = repeal_site(site)
    site.report(2024, valid_input())
    found = [p for p in report_problems(site) if p.code == codes.UNLISTED_REPEAL.code]
    assert {p.severity for p in found} == {"warning"}
    assert len(found) == 2 and all(p.path.startswith("content/items/") for p in found)
    assert any(numbers["late"] in p.message for p in found)


def test_no_reports_no_warnings(site: Project):
    repeal_site(site)
    assert report_problems(site) == []


def test_problems_in_one_file_do_not_hide_another(site: Project):
    bad = valid_input()
    bad["review_litigation"]["review"]["total"] = 9
    site.report(2023, bad)
    site.report(2024, "overview: [\n")
    worse = deep(valid_input(carried_over=0))
    worse["applications"]["new"]["total"] = 99
    site.report(2025, worse)
    assert {p.path for p in errors(report_problems(site))} == {f"content/reports/{y}.yml" for y in (2023, 2024, 2025)}


def test_today_limits_the_year(site: Project):
    site.report(2026, valid_input())
    assert report_problems(site, dt.date(2026, 1, 2)) == []
    assert errors(report_problems(site, dt.date(2025, 12, 31)), codes.FILE_NAME.code)


def test_check_command_runs_the_family(site: Project):
    from gongkai import checks
    from gongkai.checks import reports
    from gongkai.rules import all_rules

    assert reports in checks.FAMILIES
    declared = {value.code for name, value in vars(codes).items() if name.isupper() and hasattr(value, "code")}
    assert declared == {rule.code for rule in all_rules() if rule.family.key == "reports"}
    data = valid_input()
    data["applications"]["new"]["total"] = 7
    site.report(2024, data)
    found = checks.run(site.load(), TODAY)
    assert any(p.code == codes.ROW_TOTAL.code and p.path == "content/reports/2024.yml" for p in found)
