"""Counts computed from items, against counts the test makes its own way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.model import Catalog, Category, CategoryGroup, Department, Item, Review, Withdrawal
from gongkai.project import Project
from gongkai.report import build_report
from gongkai.report.compute import document_counts, proactive_counts, public_items
from tests.report.report_helpers import ORG_CODE, TODAY, valid_input


def with_repealed(numbers: list[str]) -> dict:
    data = valid_input()
    data["active_disclosure"]["repealed"] = numbers
    return data


def test_counts_from_a_small_site(site):
    # 2024: three public items (one withdrawn), one on request, one not public; 2025 and a future one
    normative_2020 = site.report_item("2020-05-01", category="规范性文件", genre="规范性文件", validity="废止", department="住房保障股")
    expired_2021 = site.report_item("2021-05-01", category="规范性文件", genre="规范性文件", validity="失效")
    site.report_item("2022-05-01", category="规范性文件", department="住房保障股")  # no genre: counts by its category
    site.report_item("2024-01-10", category="规范性文件", genre="行政规范性文件", department="规划建设股")
    site.report_item("2024-03-01", category="政策解读", genre="解读")
    site.report_item("2024-06-30", withdrawn={"date": "2024-07-02", "reason": "发布有误"}, category="规范性文件", genre="规范性文件")
    site.report_item("2024-08-01", disclosure="依申请公开", category="规范性文件", genre="规范性文件")
    site.report_item("2024-09-01", disclosure="不予公开")
    site.report_item("2024-12-31", genre="规章", category="规范性文件")
    site.report_item("2025-02-01", category="规范性文件", genre="规范性文件")
    site.report_item("2026-12-01")  # after today: scheduled, not public yet
    site.report(2024, with_repealed([normative_2020]))
    site.report(2025, with_repealed([]))
    project = site.load()

    r2024 = build_report(project, 2024, TODAY)
    assert r2024.proactive_total == 4  # 01-10, 03-01, 06-30 (withdrawn, still published), 12-31
    assert dict(r2024.by_category) == {"规范性文件": 3, "政策解读": 1}
    assert dict(r2024.by_department) == {"办公室": 3, "规划建设股": 1}
    assert r2024.regulations.made == 1 and r2024.regulations.valid == 1 and r2024.regulations.repealed == 0
    # 制发: 01-10 and the withdrawn 06-30; 废止: the listed 2020 document;
    # 现行有效 at 2024-12-31: 2021 (失效 but unlisted → still valid), 2022, 01-10
    assert (r2024.normative_documents.made, r2024.normative_documents.repealed, r2024.normative_documents.valid) == (2, 1, 3)

    r2025 = build_report(project, 2025, TODAY)
    assert r2025.proactive_total == 1
    assert (r2025.normative_documents.made, r2025.normative_documents.repealed, r2025.normative_documents.valid) == (1, 0, 4)
    assert expired_2021  # listed nowhere, see the compute module's rule


def test_a_document_repealed_later_is_valid_in_earlier_years(site):
    number = site.report_item("2023-05-01", category="规范性文件", genre="规范性文件", validity="废止")
    site.report(2024, valid_input(carried_forward=1))
    site.report(2025, {**with_repealed([number]), "applications": valid_input(carried_over=1)["applications"]})
    project = site.load()
    assert build_report(project, 2024, TODAY).normative_documents.valid == 1
    r2025 = build_report(project, 2025, TODAY).normative_documents
    assert (r2025.repealed, r2025.valid) == (1, 0)


def test_today_decides_what_is_published(site):
    site.report_item("2025-03-01")
    site.report_item("2025-09-01")
    site.report(2025, valid_input())
    project = site.load()
    assert build_report(project, 2025, dt.date(2025, 12, 31)).proactive_total == 2
    assert build_report(project, 2025, dt.date(2025, 6, 1)).proactive_total == 1


# ---- property: the same counts, computed another way ----------------------------------------

DEPARTMENTS = (Department("办公室", "office"), Department("住房保障股", "housing"))
LEAVES = (
    Category("规范性文件", "normative", "政策文件", "policy"),
    Category("动态信息", "news", "工作动态", "updates"),
)
CATALOG = Catalog("测试局", ORG_CODE, DEPARTMENTS, (
    CategoryGroup("政策文件", "policy", (LEAVES[0],)), CategoryGroup("工作动态", "updates", (LEAVES[1],)),
))
DAYS = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2027, 6, 30))


@st.composite
def items(draw) -> list[Item]:
    result = []
    for serial in range(draw(st.integers(min_value=0, max_value=25))):
        published = draw(DAYS)
        withdrawn = draw(st.none() | DAYS)
        audience = draw(st.sampled_from(["公众", "公众", "党内"]))  # 党内: public from `public_from` on, if ever
        result.append(Item(
            path=f"content/items/{serial}.md", title="t", index_no=f"{ORG_CODE}/{published.year}-{serial:05d}",
            category=draw(st.sampled_from(LEAVES)), department=draw(st.sampled_from(DEPARTMENTS)),
            published=published, disclosure=draw(st.sampled_from(["主动公开", "主动公开", "依申请公开", "不予公开"])),
            review=Review(), body="", genre=draw(st.sampled_from(["", "规章", "规范性文件", "行政规范性文件", "通知"])),
            validity=draw(st.sampled_from(["有效", "有效", "废止", "失效"])),
            withdrawn=Withdrawal(withdrawn, "撤回") if withdrawn else None,
            audience=audience, public_from=draw(st.none() | DAYS) if audience == "党内" else None,
        ))
    return result


@settings(max_examples=150, deadline=None)
@given(items(), st.integers(min_value=2022, max_value=2027), DAYS, st.data())
def test_counts_match_an_independent_count(all_items, year, today, data):
    project = Project(Path("."), Path("content"), CATALOG, items=all_items)
    repealed = [i for i in all_items if i.validity != "有效"]
    repeal_years = {i.index_no: data.draw(st.integers(min_value=i.published.year, max_value=2027)) for i in repealed
                    if data.draw(st.booleans())}
    this_year = [number for number, y in repeal_years.items() if y == year]

    public = public_items(project, today)
    total, by_category, by_department = proactive_counts(project, public, year)
    counts = document_counts(public, year, this_year, repeal_years)

    def reached(i: Item) -> dt.date:  # the day the public got it, as the public site dates it; never: date.max
        assert i.published is not None
        if i.audience == "公众":
            return i.published
        if not i.public_from:
            return dt.date.max
        since = max(i.published, i.public_from)
        withdrawn_before = i.withdrawn is not None and (i.withdrawn.date is None or i.withdrawn.date < since)
        return dt.date.max if withdrawn_before else since  # withdrawn while members only: the public never had it

    visible = [i for i in all_items if i.disclosure == "主动公开" and reached(i) <= today]
    of_year = [i for i in visible if reached(i).year == year]
    assert total == len(of_year)
    for leaf in LEAVES:
        assert dict(by_category).get(leaf.name, 0) == sum(1 for i in of_year if i.category == leaf)
    assert all(count > 0 for _, count in by_category + by_department)
    assert sum(count for _, count in by_department) == total

    def kind(i: Item) -> str:
        if i.genre == "规章":
            return "regulations"
        if i.genre in ("规范性文件", "行政规范性文件") or (i.genre == "" and i.category is not None and i.category.name == "规范性文件"):
            return "normative_documents"
        return ""

    end = dt.date(year, 12, 31)
    for name in ("regulations", "normative_documents"):
        docs = [i for i in visible if kind(i) == name]
        assert counts[name].made == sum(1 for i in docs if reached(i).year == year)
        assert counts[name].repealed == sum(1 for i in docs if i.index_no in this_year)
        still_valid = 0
        for i in docs:
            if reached(i) > end or (i.withdrawn and i.withdrawn.date <= end):
                continue
            if i.validity == "有效" or i.index_no not in repeal_years or repeal_years[i.index_no] > year:
                still_valid += 1
        assert counts[name].valid == still_valid


# The annual report counts government information: items of the 党务公开 columns are not counted.
PARTY_CATALOG = """\
org: {name: 测试县住房和城乡建设局, code: 11131122MB1534702N}
departments:
  - {name: 办公室, slug: office}
categories:
  - name: 政策文件
    slug: policy
    children:
      - {name: 规范性文件, slug: normative}
  - name: 党务公开
    slug: party
    party: true
    children:
      - {name: 联系服务党员群众, slug: outreach, audience: 公众}
      - {name: 党组织决议, slug: resolutions}
"""


def test_party_columns_are_not_government_information(site):
    (site.root / "content" / "catalog.yml").write_text(PARTY_CATALOG, encoding="utf-8")
    policy = site.report_item("2021-06-18", category="规范性文件")
    site.report_item("2021-06-18", category="联系服务党员群众")  # public, but 党务公开
    site.report_item("2021-06-18", category="党组织决议", audience="党内", public_from="2021-07-01")  # public since July
    project = site.load()
    items = public_items(project, dt.date(2021, 12, 31))
    assert [item.index_no for item in items] == [policy]
    assert proactive_counts(project, items, 2021)[:2] == (1, (("规范性文件", 1),))


def test_an_item_public_after_the_party_counts_in_the_year_the_public_got_it(site):
    """Counted by its publication, a 先党内、后党外 item published in December changed the report of that year, issued in
    January, on the day it reached the public, and was never counted in the year the public site lists it under."""
    site.report_item("2025-12-20", category="规范性文件", genre="规范性文件", audience="党内", public_from="2026-01-10")
    project = site.load()
    for today in (dt.date(2026, 1, 5), dt.date(2026, 1, 15), dt.date(2026, 12, 31)):
        items = public_items(project, today)
        assert proactive_counts(project, items, 2025)[0] == 0
        assert document_counts(items, 2025, [], {})["normative_documents"].valid == 0
    items = public_items(project, dt.date(2026, 1, 15))
    assert proactive_counts(project, items, 2026)[:2] == (1, (("规范性文件", 1),))
    assert document_counts(items, 2026, [], {})["normative_documents"].made == 1
