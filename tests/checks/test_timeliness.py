"""Timeliness (GK7xx): late publication (GK701 over the whole date range; dates out of range never reach the
working-day count), late interpretations, empty and stale columns."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import timeliness
from gongkai.items import to_item
from gongkai.loading import parse_document
from gongkai.model import Category
from gongkai.roster import Roster
from gongkai.workdays import WorkCalendar

from .catalogs import use


def test_the_whole_date_range_is_one_count(site):
    site.item(written="1949-01-01", published="2100-12-31", index_no=f"{site.ORG_CODE}/2100-00001")
    assert "GK701" in site.codes(today=dt.date(2100, 12, 31))


def test_dates_out_of_range_are_gk121_and_never_reach_the_arithmetic(site):
    path = site.item(written="0001-01-01", published="9999-12-31", withdrawn={"date": "9999-12-31", "reason": "有误"})
    codes = site.codes(path)
    assert codes.count("GK121") == 3 and "GK701" not in codes


def test_late_publication_warns(site):
    site.item("2021/a.md", written="2021-04-01", published="2021-06-18")
    site.item("2021/b.md", written="2021-05-28", published="2021-06-18")
    [problem] = site.problems(timeliness.LATE.code)
    assert problem.path.endswith("a.md") and problem.severity == "warning" and "二十六条" in problem.message


def test_late_publication_in_an_unknown_year_says_so(site):
    path = site.item(written="2099-01-01", published="2099-03-01", signed=False)
    site.sign(path, date=dt.date(2099, 2, 1))
    [problem] = site.problems(timeliness.LATE.code, today=dt.date(2099, 12, 31))
    assert "按周一至周五计算" in problem.message


def test_interpretation_published_after_its_policy_warns(site):
    policy = site.meta(published="2021-06-18")
    site.item("2021/policy.md", **policy)
    site.item("2021/jiedu.md", category="政策解读", published="2021-06-25", interprets=policy["index_no"])
    [problem] = site.problems(timeliness.INTERPRETATION_LATE.code)
    assert problem.path.endswith("jiedu.md") and "7 天" in problem.message


def test_empty_and_stale_categories_on_catalog_lines(site):
    site.item("2021/a.md", category="动态信息", published="2021-06-18")
    site.item("2021/b.md", category="规范性文件")
    problems = [p for p in site.check() if p.code in (timeliness.EMPTY_CATEGORY.code, timeliness.STALE_CATEGORY.code)]
    catalog = (site.content / "catalog.yml").read_text(encoding="utf-8").split("\n")
    assert sorted((p.code, catalog[p.line - 1].strip()) for p in problems) == [
        (timeliness.EMPTY_CATEGORY.code, "- {name: 政策解读, slug: interpretation}"),
        (timeliness.STALE_CATEGORY.code, "- {name: 动态信息, slug: news, stale_after_days: 30}"),
    ]
    assert all(p.path == "content/catalog.yml" and p.severity == "warning" for p in problems)


def test_fresh_category_is_not_stale(site):
    site.item("2021/a.md", category="动态信息", published="2021-12-20", written="2021-12-15", signed=False)
    site.sign(site.content / "items/2021/a.md", date=dt.date(2021, 12, 19))
    assert not site.problems(timeliness.STALE_CATEGORY.code)


def test_party_items_are_published_within_three_working_days_of_approval(site):
    """党务公开: “公开事项一般应在审核批准后三个工作日内完成公开程序” — counted from the last level's sign-off (复核,
    2021-06-17, a Thursday): the 22nd is the third working day after it, the 23rd the fourth."""
    use(site)
    site.item("2021/on-time.md", category="党组织决议", written="2021-06-16", published="2021-06-22")
    site.item("2021/late.md", category="党组织决议", written="2021-06-16", published="2021-06-23")
    site.item("2021/government.md", category="动态信息", written="2021-06-16", published="2021-06-25")
    [problem] = site.problems(timeliness.PARTY_LATE.code)
    assert problem.path.endswith("late.md") and problem.severity == "warning"
    assert "2021-06-17" in problem.message and "晚 4 个工作日" in problem.message and "三个工作日" in problem.message



_DATE_TEXT = st.one_of(st.dates().map(str), st.sampled_from(["", "2021-02-30", "0001-01-01", "9999-12-31", "明天", "[1, 2]"]),
                       st.text(max_size=12))
_PARTY = Category("党组织决议", "resolutions", "党务公开", "party", party=True)


@settings(max_examples=300, deadline=None)
@given(published=_DATE_TEXT, approved=_DATE_TEXT)
def test_party_time_limit_for_any_dates_as_written(published, approved):
    """Whatever the two dates say (any day, out of range, not a date, not text), GK705 is found exactly when both
    are dates a check accepts and more than three working days lie between them, in bounded time and never raises."""
    text = (f"---\ntitle: 党务\npublished: {published!r}\nreview:\n  final: {{date: {approved!r}}}\n---\n\n正文\n")
    document, _ = parse_document(text.encode("utf-8", "surrogatepass"), "content/items/2021/a.md")
    if document is None:
        return
    item = dataclasses.replace(to_item(document, None), category=_PARTY)
    found = list(timeliness._party_late(item, document, Roster(), WorkCalendar()))
    entry = item.review.entry("final")
    late = (item.published is not None and entry is not None and entry.date is not None
            and WorkCalendar().count(entry.date, item.published) > timeliness.PARTY_WORKING_DAYS)
    assert [problem.code for problem in found] == (["GK705"] if late else [])
