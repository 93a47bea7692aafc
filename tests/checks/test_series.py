"""Periodic disclosures: an item's series and period (GK160–GK162), and each series' missing, late and
doubled periods, reported with their due dates (GK720–GK722)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from gongkai.checks import schema, series

from .catalogs import CATALOG, use

D = dt.date


@pytest.fixture
def periodic(site):
    use(site)
    return site


def water(site, name, period, published, **fields):
    return site.item(f"2021/{name}.md", **{"category": "市政服务", "series": "供水水质检测结果", "period": period,
                                           "published": published, **fields})


END_OF_YEAR = D(2021, 12, 31)


def codes(site, today=END_OF_YEAR):
    return sorted((p.path.rsplit("/", 1)[-1], p.code) for p in site.check(today) if p.code.startswith(("GK16", "GK72", "GK103")))


def test_an_item_names_a_known_series_and_a_period_of_its_kind(periodic):
    water(periodic, "q1", "2021Q1", "2021-04-20")
    water(periodic, "bad", "2021-03", "2021-04-21")
    periodic.item("2021/unknown.md", category="市政服务", series="供水水质检测", period="2021Q1")
    periodic.item("2021/alone.md", period="2021Q1")
    periodic.item("2021/noperiod.md", category="市政服务", series="供水水质检测结果")
    water(periodic, "column", "2021Q2", "2021-07-20", category="规范性文件")
    periodic.item("2021/typed.md", series=["供水水质检测结果"], period="2021Q1")
    found = [p for p in periodic.check(D(2021, 8, 1)) if p.code.startswith("GK16")]
    assert sorted((p.path.rsplit("/", 1)[-1], p.code) for p in found) == sorted([
        ("bad.md", series.BAD_PERIOD.code), ("unknown.md", series.UNKNOWN_SERIES.code), ("alone.md", series.BAD_PERIOD.code),
        ("noperiod.md", series.BAD_PERIOD.code), ("column.md", series.WRONG_COLUMN.code),
    ])
    assert "是否想写“供水水质检测结果”" in next(p.message for p in found if p.code == series.UNKNOWN_SERIES.code)
    assert "2026Q1 至 2026Q4" in next(p.message for p in found if p.path.endswith("bad.md"))
    assert ("typed.md", schema.WRONG_TYPE.code) in codes(periodic, D(2021, 8, 1))


def messages(site, today, code):
    return [p.message for p in site.check(today) if p.code == code]


def test_missing_late_and_doubled_periods(periodic):
    water(periodic, "q1", "2021Q1", "2021-04-30")
    water(periodic, "q2", "2021Q2", "2021-08-03")
    water(periodic, "q2b", "2021Q2", "2021-08-05")
    today = D(2021, 11, 1)
    assert codes(periodic, today) == [("catalog.yml", series.MISSING_PERIOD.code), ("q2.md", series.LATE_PERIOD.code),
                                      ("q2b.md", series.DOUBLE_PERIOD.code)]
    [missing] = messages(periodic, today, series.MISSING_PERIOD.code)
    assert "2021年第3季度（2021Q3）未发布：应发布日期 2021-10-31（次月底），已逾期 1 天" in missing
    [late] = messages(periodic, today, series.LATE_PERIOD.code)
    assert "晚于应发布日期 2021-07-31（次月底）3 天" in late


HELD_OUT = """\
  - {name: 月度报表, column: 市政服务, every: month, start: 2021-10}
  - {name: 半年报告, column: 市政服务, every: half, start: 2020H1}
  - {name: 年度报告, column: 市政服务, every: year, start: 2019}
  - {name: 周报, column: 市政服务, every: week, due: 期末后3个工作日, start: 2021W51}
  - {name: 部门预算, column: 财政预决算, every: year, due_days: 20, due: 当年3月底, start: 2021,
     approved: [{period: 2021, date: 2021-02-05}]}
"""


def test_held_out_series_are_each_reported_with_the_right_due_date(periodic):
    use(periodic, CATALOG + HELD_OUT)

    def item(name, series_name, period, published, column="市政服务"):
        periodic.item(f"{published[:4]}/{name}.md", category=column, series=series_name, period=period, published=published)

    item("m10", "月度报表", "2021-10", "2021-11-10")  # on time: 次月10日
    item("m11", "月度报表", "2021-11", "2021-12-11")  # late by a day
    item("h1", "半年报告", "2020H1", "2020-07-31")
    item("y2019", "年度报告", "2019", "2020-03-31")
    item("w51", "周报", "2021W51", "2021-12-22")
    item("b2021", "部门预算", "2021", "2021-02-26", column="财政预决算")  # 批复 2021-02-05 + 20 天 = 02-25
    today = D(2022, 4, 1)
    missing = {}
    for message in messages(periodic, today, series.MISSING_PERIOD.code):
        found = re.search(r"“(.+?)”.*?（(\w+(?:-\d+)?)）未发布：应发布日期 (\d{4}-\d{2}-\d{2})", message)
        assert found is not None, message
        name, period, due = found.groups()
        missing[f"{name} {period}"] = due
    assert {
        "月度报表 2021-12": "2022-01-10",  # across the year end
        "月度报表 2022-01": "2022-02-10",
        "月度报表 2022-02": "2022-03-10",
        "半年报告 2020H2": "2021-01-31",  # 次月底 across the year end
        "半年报告 2021H1": "2021-07-31",
        "半年报告 2021H2": "2022-01-31",
        "年度报告 2020": "2021-03-31",  # 次年一季度
        "年度报告 2021": "2022-03-31",
        "周报 2021W52": "2022-01-06",  # ends Sunday 2022-01-02; 01-03 is 元旦: the 4th, 5th, 6th
        "周报 2022W01": "2022-01-12",
        "周报 2022W12": "2022-03-30",
        "部门预算 2022": "2022-03-31",  # no approval recorded for 2022: 当年3月底
    }.items() <= missing.items()
    assert "月度报表 2022-03" not in missing and "周报 2022W13" not in missing  # not due yet
    assert len([key for key in missing if not key.startswith("供水")]) == 8 + 13 + 1
    late = {}
    for message in messages(periodic, today, series.LATE_PERIOD.code):
        due = re.search(r"应发布日期 (\d{4}-\d{2}-\d{2})", message)
        assert due is not None, message
        late[message.split("”")[0].split("“")[1]] = due[1]
    assert late == {"月度报表": "2021-12-10", "部门预算": "2021-02-25"}


def test_a_series_missing_thousands_of_periods_lists_the_latest_and_sums_up_the_rest(site):
    """A weekly series missing 1,500 periods (1,000 would be a late but honest start): each of 300 such series
    listed every one (1.2 million warnings, 300 MB), and counting each due date's 60 working days day by day took
    half a minute a series."""
    weekly = "  - {name: 周报, column: 市政服务, every: week, due: 期末后60个工作日}\n"
    use(site, CATALOG.replace("series:\n", "series:\n" + weekly))
    site.item("2021/w01.md", category="市政服务", series="周报", period="1949W01", published="2021-01-08")
    started = time.process_time()
    found = messages(site, D(2022, 4, 1), series.MISSING_PERIOD.code)
    assert time.process_time() - started < 20
    weekly_found = [message for message in found if "“周报”" in message]
    assert len(weekly_found) == series.MAX_MISSING_LISTED + 1
    [summed] = [message for message in weekly_found if "另有" in message]
    # Before the 1,500 periods walked one by one, only the periods an item names count
    assert "1993年第26周（1993W26" in summed and "期未发布" in summed and "1949W01" not in summed
    listed = {re.search(r"（(\d{4}W\d{2})）未发布", message)[1] for message in weekly_found if message != summed}  # type: ignore[index]
    assert max(listed) >= "2021W50" and "1949W01" not in listed and len(listed) == series.MAX_MISSING_LISTED


def test_a_series_started_before_the_periods_walked_is_refused_and_costs_a_few_of_them(site):
    """300 weekly series started in 1949 (4,000 periods each) cost a check 13 s and a build 45 s: a `start` before
    the 1,500 periods walked one by one is GK906 at the series' line, and the walk begins there."""
    weekly = "  - {name: 周报, column: 市政服务, every: week, start: 1949W01}\n"
    use(site, CATALOG.replace("series:\n", "series:\n" + weekly))
    found = site.check(D(2022, 4, 1))
    [bounds] = [p for p in found if p.code == "GK906"]
    assert bounds.path == "content/catalog.yml" and bounds.line > 1
    assert "1949W01" in bounds.message and "不早于 1993W26" in bounds.message
    missing = [p.message for p in found if p.code == series.MISSING_PERIOD.code and "“周报”" in p.message]
    assert any("另有" in message and "1993W26" in message and "1949W01" not in message for message in missing)


def test_a_catalog_lists_at_most_200_series(site):
    many = "".join(f"  - {{name: 周报{n}, column: 市政服务, every: week, slug: w{n}}}\n" for n in range(201))
    use(site, CATALOG.replace("series:\n", "series:\n" + many))
    found = site.check(D(2022, 4, 1))
    [bounds] = [p for p in found if p.code == "GK906"]
    assert bounds.path == "content/catalog.yml" and "202 个" in bounds.message and "上限 200 个" in bounds.message
    text = (site.content / "catalog.yml").read_text(encoding="utf-8").splitlines()
    assert "周报200" in text[bounds.line - 1]


def test_a_series_name_of_a_document_length_is_refused(site):
    """A series' name prints on its page, each of its items' pages and its column's listing, like a column's name,
    which GK907 bounds at 500 characters: a series named with 100,000 was taken."""
    name = "供水水质检测结果" * 12_500
    use(site, CATALOG.replace("series:\n", "series:\n  - {name: " + name + ", column: 市政服务, every: quarter}\n"))
    found = site.check(D(2021, 12, 31))
    [bounds] = [p for p in found if p.code == "GK906"]
    assert bounds.path.endswith("catalog.yml") and "100,000 个字" in bounds.message and "简称" in bounds.message
    assert site.load().catalog is None  # an error of catalog.yml: nothing is built from it


@pytest.mark.parametrize("period", ["٢٠٢١Q1", "۲۰۲۱Q1", "२०२१Q1", "߂߀߂߁Q1", "2021Q١"])
def test_a_period_in_another_scripts_digits_is_refused(periodic, period):
    """\\d took ٢٠٢١ for 2021: the page printed 2021年第1季度 for a period the editors' schema refuses."""
    water(periodic, "q1", period, "2021-04-20")
    assert ("q1.md", series.BAD_PERIOD.code) in codes(periodic, D(2021, 8, 1))
