"""Schema family (GK1xx): each rule's valid and invalid case, on real files through the real loader."""

from __future__ import annotations

import pytest

from gongkai.checks import schema

ITEM_CODES = lambda site, path: [c for c in site.codes(path) if c.startswith("GK1")]  # noqa: E731


def test_a_complete_item_has_no_schema_problem(site):
    path = site.item(doc_no="测住建规〔2021〕3号", validity="有效", keywords=["住房", "保障"], summary="一段话。",
                     genre="规范性文件")
    assert ITEM_CODES(site, path) == []
    assert [c for c in site.codes(path)] == []


@pytest.mark.parametrize("key", ["title", "index_no", "category", "department", "published", "disclosure"])
def test_missing_required_key(site, key):
    path = site.item(**{key: None})
    problems = [p for p in site.check() if p.code == schema.MISSING.code and p.path == site.rel(path)]
    assert len(problems) == 1
    assert f"（{key}）" in problems[0].message and "必填" in problems[0].message


def test_empty_required_value_points_at_its_line(site):
    path = site.item(title="")
    [problem] = site.problems(schema.MISSING.code)
    assert problem.line == 2 and "为空" in problem.message


def test_unknown_key_suggests_the_right_one(site):
    path = site.item(pubished="2021-06-18")
    [problem] = site.problems(schema.UNKNOWN_KEY.code)
    assert "`published`" in problem.message
    assert problem.line == path.read_text(encoding="utf-8").split("\n").index("pubished: '2021-06-18'") + 1


def test_chinese_key_suggests_the_english_one(site):
    site.item(**{"标题": "x"})
    [problem] = site.problems(schema.UNKNOWN_KEY.code)
    assert "`title`" in problem.message


def test_unknown_key_inside_an_attachment(site):
    site.attach("a.pdf", b"%PDF-1.4\n")
    site.item(attachments=[{"title": "附件", "file": "a.pdf", "fiel": "x"}])
    assert any("`fiel`" in p.message for p in site.problems(schema.UNKNOWN_KEY.code))


@pytest.mark.parametrize(
    "fields",
    [{"title": ["a", "b"]}, {"doc_no": {"a": 1}}, {"summary": True}, {"keywords": "住房, 保障"},
     {"keywords": ["住房", ["x"]]}, {"attachments": {"title": "a"}}, {"attachments": ["a.pdf"]},
     {"withdrawn": "错误"}, {"pii_allow": "13912345678"}],
)
def test_wrong_types(site, fields):
    site.item(**fields)
    assert site.problems(schema.WRONG_TYPE.code)


def test_yes_read_as_boolean_is_explained(site):
    site.write("2021/b.md", "---\ntitle: yes\n---\n")
    [problem] = site.problems(schema.WRONG_TYPE.code)
    assert "是/否" in problem.message and "引号" in problem.message


@pytest.mark.parametrize("value, reason", [("2021-02-30", "不是真实存在的日期"), ("2021/6/18", "YYYY-MM-DD"),
                                           ("20210618", "YYYY-MM-DD")])
def test_bad_published_date(site, value, reason):
    site.item(published=value, index_no=f"{site.next_index_no()}")
    problems = site.problems(schema.BAD_DATE.code)
    assert len(problems) == 1 and reason in problems[0].message and "发布日期（published）" in problems[0].message


def test_bad_written_and_withdrawn_dates(site):
    site.item(written="2021-13-01", withdrawn={"date": "昨天", "reason": "有误"})
    assert len(site.problems(schema.BAD_DATE.code)) == 2


def test_title_must_be_one_line(site):
    site.item(title="第一行\n第二行")
    assert site.problems(schema.TITLE_LINES.code)


def test_category_must_be_a_leaf_by_name_or_slug(site):
    ok_by_slug = site.item("2021/a.md", category="normative")
    group = site.item("2021/b.md", category="政策文件")
    typo = site.item("2021/c.md", category="规范文件")
    problems = site.problems(schema.UNKNOWN_CATEGORY.code)
    assert {p.path for p in problems} == {site.rel(group), site.rel(typo)}
    by_path = {p.path: p.message for p in problems}
    assert "一级栏目" in by_path[site.rel(group)] and "规范性文件" in by_path[site.rel(group)]
    assert "是否想写“规范性文件”" in by_path[site.rel(typo)]
    assert ITEM_CODES(site, ok_by_slug) == []


def test_department_by_name_or_slug(site):
    site.item("2021/a.md", department="housing")
    bad = site.item("2021/b.md", department="财务股")
    [problem] = site.problems(schema.UNKNOWN_DEPARTMENT.code)
    assert problem.path == site.rel(bad) and "办公室" in problem.message


def test_index_no_format_org_and_year(site):
    site.item("2021/a.md", index_no="2021-00001")
    site.item("2021/b.md", index_no="000000000/2021-00002")
    site.item("2021/c.md", index_no="11131122MB1534702N/2020-00003")
    site.item("2021/d.md", index_no="11131122MB1534702N/2021-0004")
    assert len(site.problems(schema.INDEX_NO_FORMAT.code)) == 2
    [org] = site.problems(schema.INDEX_NO_ORG.code)
    assert "11131122MB1534702N/2021-00002" in org.message
    [year] = site.problems(schema.INDEX_NO_YEAR.code)
    assert "2020" in year.message and "2021-06-18" in year.message


def test_duplicate_index_no_reported_on_every_holder(site):
    number = site.next_index_no()
    first = site.item("2021/a.md", index_no=number)
    second = site.item("2021/b.md", index_no=number)
    problems = site.problems(schema.INDEX_NO_DUPLICATE.code)
    assert {p.path for p in problems} == {site.rel(first), site.rel(second)}
    assert all(number in p.message for p in problems)


@pytest.mark.parametrize("fields", [{"disclosure": "公开"}, {"validity": "有效的"}])
def test_enums(site, fields):
    site.item(**fields)
    [problem] = site.problems(schema.BAD_CHOICE.code)
    assert "只能是" in problem.message


def test_written_after_published(site):
    site.item(written="2021-06-19")
    assert site.problems(schema.WRITTEN_AFTER.code)
    assert not [p for p in site.check() if p.code == schema.WRITTEN_AFTER.code and "2021-06-18" not in p.message]


@pytest.mark.parametrize("doc_no", ["测住建规[2021]3号", "测住建规(2021)3号", "测住建规【2021】3号", "测住建规（2021）3号",
                                    "测住建规﹝2021﹞3号"])
def test_doc_no_brackets_warn(site, doc_no):
    site.item(doc_no=doc_no)
    [problem] = site.problems(schema.DOC_NO_BRACKETS.code)
    assert problem.severity == "warning" and "测住建规〔2021〕3号" in problem.message


def test_doc_no_with_hexagonal_brackets_passes(site):
    site.item(doc_no="测住建规〔2021〕3号")
    assert not site.problems(schema.DOC_NO_BRACKETS.code)


def test_attachment_entry_needs_title_and_file(site):
    site.item(attachments=[{"title": "名单"}, {"file": "a.pdf"}])
    assert len(site.problems(schema.ATTACHMENT_ENTRY.code)) == 2


def test_withdrawn_needs_date_and_reason_not_before_published(site):
    site.item("2021/a.md", withdrawn={"date": "2021-07-01"})
    site.item("2021/b.md", withdrawn={"date": "2021-06-01", "reason": "信息有误"})
    site.item("2021/c.md", withdrawn={"date": "2021-07-01", "reason": "信息有误"})
    problems = site.problems(schema.WITHDRAWN_ENTRY.code)
    assert sorted(p.path.rsplit("/", 1)[1] for p in problems) == ["a.md", "b.md"]


def test_withdrawn_only_for_public_items(site):
    site.item(disclosure="依申请公开", withdrawn={"date": "2021-07-01", "reason": "x"})
    assert site.problems(schema.WITHDRAWN_NOT_PUBLIC.code)


def test_pii_allow_entries_need_match_and_reason(site):
    site.item(pii_allow=[{"match": "13912345678"}], body="服务电话 13912345678。\n")
    assert site.problems(schema.PII_ALLOW_ENTRY.code)


def test_summary_of_two_paragraphs_warns(site):
    site.item(summary="第一段。\n\n第二段。")
    [problem] = site.problems(schema.SUMMARY_PARAGRAPHS.code)
    assert problem.severity == "warning"
