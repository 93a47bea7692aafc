"""catalog.yml's keys for audiences, consultation columns and periodic series: read, and refused with a line."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.catalog import INVALID, load_catalog
from gongkai.limits import Limits
from gongkai.model import AUDIENCE_PARTY, AUDIENCE_PUBLIC
from gongkai.roster import NO_ROSTER

HEAD = """\
org: {name: 测试县住房和城乡建设局, code: 11131122MB1534702N}
departments:
  - {name: 办公室, slug: office}
categories:
  - name: 公共服务
    slug: services
    children:
      - {name: 市政服务, slug: utility}
      - {name: 意见征集, slug: consult, consultation: true}
      - {name: 民意调查, slug: survey, consultation: {feedback_days: 10}}
  - name: 党务公开
    slug: party
    party: true
    children:
      - {name: 党组织决议, slug: resolutions}
      - {name: 联系服务党员群众, slug: outreach, audience: 公众}
"""


def load(tmp_path, text: str):
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "catalog.yml").write_text(text, encoding="utf-8")
    catalog, document, problems = load_catalog(content, tmp_path, Limits().item_bytes)
    return catalog, document, [p for p in problems if p.code != NO_ROSTER.code]  # no reviewers here: not this test's subject


def test_party_section_column_audiences_and_consultation_columns(tmp_path):
    catalog, _, problems = load(tmp_path, HEAD)
    assert problems == [] and catalog is not None
    leaf = catalog.category
    assert [(leaf(n).audience, leaf(n).party) for n in ("市政服务", "党组织决议", "联系服务党员群众")] == [
        (AUDIENCE_PUBLIC, False), (AUDIENCE_PARTY, True), (AUDIENCE_PUBLIC, True)]
    assert [leaf(n).feedback_days for n in ("市政服务", "意见征集", "民意调查")] == [None, 30, 10]
    assert [group.party for group in catalog.groups] == [False, True]


def test_series_are_read_with_defaults(tmp_path):
    catalog, _, problems = load(tmp_path, HEAD + """\
series:
  - {name: 供水水质检测结果, column: 市政服务, every: quarter, due: 次月底}
  - {name: 部门预算, slug: budget, column: utility, every: year, due_days: 20, start: 2023, end: 2030,
     approved: [{period: 2024, date: 2024-02-06}, {period: 2023, date: 2023-02-08}]}
  - {name: 月报, column: 市政服务, every: month}
""")
    assert problems == [] and catalog is not None
    water, budget, monthly = catalog.series
    assert (water.column, water.every, water.due, water.slug[:2]) == ("utility", "quarter", "次月底", "s-")
    assert (budget.slug, budget.due_days, budget.start, budget.end, budget.due) == ("budget", 20, "2023", "2030", "次年一季度")
    assert [period for period, _ in budget.approved] == ["2023", "2024"]
    assert monthly.due == "次月10日"  # the seed's rule for monthly disclosures
    assert catalog.series_named("月报") is monthly


@pytest.mark.parametrize(("entry", "words"), [
    ("{name: 甲, column: 市政服务, every: monthly}", "every“monthly”不对"),
    ("{name: 甲, column: 不存在, every: month}", "不是公开目录中的二级栏目"),
    ("{column: 市政服务, every: month}", "缺少 name"),
    ("{name: 甲, column: 市政服务, every: month, due: 下月底}", "due“下月底”无法识别"),
    ("{name: 甲, column: 市政服务, every: month, due_days: 0}", "due_days 应是 1 至 366 的整数"),
    ("{name: 甲, column: 市政服务, every: quarter, start: 2026-03}", "start“2026-03”不是quarter期别"),
    ("{name: 甲, column: 市政服务, every: year, start: 2026, end: 2025}", "end 早于 start"),
    ("{name: 甲, column: 市政服务, every: year, approved: [{period: 2026, date: 2026-02-30}]}", "approved 第 1 项不对"),
    ("{name: 甲, column: 市政服务, every: year, approved: [{period: 2026Q1, date: 2026-02-03}]}", "approved 第 1 项不对"),
    ("{name: 甲, column: 市政服务, every: year, approved: {period: 2026, date: 2026-02-03}}", "approved 应写成"),
    # another script's digits are no period (\d took ٢٠٢٦ for 2026)
    ("{name: 甲, column: 市政服务, every: year, approved: [{period: ٢٠٢٦, date: 2026-02-03}]}", "approved 第 1 项不对"),
    ("{name: 甲, column: 市政服务, every: quarter, start: ٢٠٢٥Q1}", "不是quarter期别"),
    ("{name: 甲, column: 市政服务, every: year, slug: 甲乙}", "slug“甲乙”不能用作网址"),
    ("{name: 甲, column: 市政服务, every: year, cycle: 1}", "未知的键 `cycle`"),
    ("供水", "series 的每一项应写成"),
])
def test_a_bad_series_is_an_error_at_its_line(tmp_path, entry, words):
    catalog, _, problems = load(tmp_path, HEAD + f"series:\n  - {entry}\n")
    assert catalog is None
    assert [(p.code, p.line) for p in problems][:1] == [(INVALID.code, 18)]  # the entry's line
    assert words in problems[0].message, problems[0].message


def test_two_series_of_one_name_are_an_error(tmp_path):
    _, _, problems = load(tmp_path, HEAD + "series:\n  - {name: 甲, column: 市政服务, every: year}\n"
                                           "  - {name: 甲, column: 市政服务, every: month}\n")
    assert [(p.code, p.line) for p in problems] == [(INVALID.code, 19)] and "重复" in problems[0].message


@pytest.mark.parametrize(("text", "words"), [
    (HEAD.replace("party: true", "party: 是"), "party 只能写 true"),
    (HEAD.replace("audience: 公众", "audience: 群众"), "audience“群众”不是允许的公开范围"),
    (HEAD.replace("consultation: true", "consultation: {days: 3}"), "consultation 应写 true"),
])
def test_bad_audience_and_consultation_keys(tmp_path, text, words):
    catalog, _, problems = load(tmp_path, text)
    assert catalog is None and len(problems) == 1 and words in problems[0].message


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "column", "every", "due", "due_days", "approved", "start", "end", "slug"]),
                       st.one_of(st.text(max_size=8), st.integers(-5, 3000), st.none(), st.booleans(),
                                 st.lists(st.text(max_size=3), max_size=2),
                                 st.lists(st.fixed_dictionaries({"period": st.integers(1890, 2210),
                                                                 "date": st.text(max_size=10)}), max_size=2))))
def test_no_series_entry_makes_the_catalog_fail_to_load(tmp_path_factory, entry):
    import yaml

    text = HEAD + yaml.safe_dump({"series": [entry]}, allow_unicode=True)
    catalog, _, problems = load(tmp_path_factory.mktemp("c"), text)
    assert catalog is not None or problems


GENRE_COLUMN = HEAD.replace("{name: 市政服务, slug: utility}", "{name: 市政服务, slug: utility, genre: GENRE}")
GENRE_LINE = 8  # 市政服务's line in HEAD


def test_columns_declare_the_genres_of_their_items(tmp_path):
    text = GENRE_COLUMN.replace("GENRE", "公示").replace("consultation: true}", "consultation: true, genre: [公告, 说明]}")
    catalog, _, problems = load(tmp_path, text)
    assert problems == [] and catalog is not None
    assert [catalog.category(n).genres for n in ("市政服务", "意见征集", "民意调查")] == [("公示",), ("公告", "说明"), ()]


@pytest.mark.parametrize(("value", "words"), [
    ("123", "“123”，不是文字"), ("''", "是空的"), ("[]", "空列表"), ("{a: b}", "不是文字"), ("[公示, 公示]", "重复"),
    ("[公示, ~]", "是空的"), ('"' + "长" * 21 + '"', "最多 20 个字"), ('"公\\u200b示"', "不可见字符"), ('"公\\t示"', "控制字符"),
])
def test_a_bad_declaration_is_gk170_on_its_line_in_chinese(tmp_path, value, words):
    catalog, _, problems = load(tmp_path, GENRE_COLUMN.replace("GENRE", value))
    assert catalog is None
    assert [(p.code, p.line) for p in problems] == [("GK170", GENRE_LINE)]
    assert words in problems[0].message


BLOCK_COLUMN = HEAD + """\
  - name: 其他
    slug: other
    children:
      - name: 公示公告
        slug: notices
        genre: """
BLOCK_LINE = HEAD.count("\n") + 6


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(st.characters(exclude_categories=["Cs"]), max_size=25),
                 st.lists(st.text(st.characters(exclude_categories=["Cs"]), max_size=25), max_size=3)))
def test_any_declaration_is_read_exactly_or_refused_on_its_line(tmp_path_factory, value):
    tmp_path = tmp_path_factory.mktemp("genre")
    catalog, _, problems = load(tmp_path, BLOCK_COLUMN + json.dumps(value, ensure_ascii=False) + "\n")
    values = value if isinstance(value, list) else [value]
    wanted = [text.strip() for text in values]
    valid = (bool(values) and all(text and len(text) <= 20 and text.isprintable() for text in wanted)
             and len({unicodedata.normalize("NFKC", text).strip() for text in wanted}) == len(wanted))
    assert all(p.line == BLOCK_LINE for p in problems), problems
    if any(p.code.startswith("GK0") for p in problems):  # the reader's own refusal of control characters
        assert catalog is None
    elif valid:
        assert problems == [] and catalog is not None
        assert catalog.category("公示公告").genres == tuple(wanted)
    else:
        assert catalog is None and problems and {p.code for p in problems} == {"GK170"}
