"""Schema family (GK1xx): each rule's valid and invalid case, on real files through the real loader."""

from __future__ import annotations

import pytest

from gongkai.checks import identity, schema

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
    site.item(title="")
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


def test_an_effective_date_is_checked_as_every_date(site):
    site.item(effective="2021-08-32")
    site.item("2021/b.md", effective=["2021-08-01"])
    (bad,) = site.problems(schema.BAD_DATE.code)
    (mistyped,) = site.problems(schema.WRONG_TYPE.code)
    assert "生效日期（effective）" in bad.message and "生效日期（effective）" in mistyped.message


def test_title_must_be_one_line(site):
    site.item(title="第一行\n第二行")
    assert site.problems(schema.TITLE_LINES.code)


@pytest.mark.parametrize("fields", [
    {"title": "关于" + "做好保障性住房工作" * 12_000 + "的通知"},
    {"doc_no": "青住建规〔2021〕" + "3" * 200 + "号"},
    {"attachments": [{"title": "名单" * 151, "file": "2021/名单.pdf"}]},
    {"summary": "本通知明确了保障性住房的申请条件和办理流程。" * 50},  # a page's description, every feed: 4.5 MB each once
])
def test_a_title_is_a_title_not_a_document(site, fields):
    """A title prints on every listing, feed and search result its item is in: 300 items with titles of 100,000
    characters made the sample site's build take 42 s and 2.3 GB instead of 5 s and 127 MB, and write 660 MB. A
    title (or an attachment's) longer than 300 characters, a 文号 longer than 100, is GK122 at its line."""
    site.attach("2021/名单.pdf", b"%PDF-1.4\n%%EOF\n")
    path = site.item(**fields)
    [found] = site.problems(schema.TOO_LONG.code)
    assert found.path == site.rel(path) and "超过" in found.message and "请精简" in found.message
    key = next(iter(fields))
    assert path.read_text(encoding="utf-8").splitlines()[found.line - 1].lstrip(" -").startswith(("title:", key))


def test_a_long_real_title_passes(site):
    title = "关于转发省人民政府办公厅关于印发《全省城镇老旧小区改造和保障性安居工程建设三年行动实施方案（2021—2023年）》的通知的通知"
    site.item(title=title * 2, doc_no="青住建规〔2021〕3号")
    assert site.problems(schema.TOO_LONG.code) == []


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


@pytest.mark.parametrize("number", ["2021-0000\uff11", "\uff12\uff10\uff12\uff11-00001", "2021-0000\u0661", "2021-0000\u0967",
                                    "2021-0000\U0001d7cf", "2021-\u096600001"[:-1]])
def test_an_index_no_is_written_in_ascii_digits(site, number):
    """Python's \\d takes any script's digits: 2021-0000１ passed as an 索引号 of its own beside 2021-00001 (the
    same to a reader, not a duplicate to the check) and its page's address held the full-width digit."""
    site.item("2021/a.md", index_no=f"{site.ORG_CODE}/2021-00001")
    other = site.item("2021/b.md", index_no=f"{site.ORG_CODE}/{number}")
    [problem] = site.problems(schema.INDEX_NO_FORMAT.code)
    assert problem.path == site.rel(other)
    assert [item.url for item in site.load().items if item.path == site.rel(other)] == [""]


def test_an_index_no_held_by_thousands_names_a_few_and_counts_the_rest(site):
    """Each holder of a shared 索引号 named every other: 1,000 items sharing one wrote 36 MB of messages, each scanned
    for personal data (22 s), and 5,000 kept a check busy past 5 minutes. Each names five and counts them all."""
    for n in range(40):
        site.item(f"2021/d{n:02d}.md", signed=False, index_no=f"{site.ORG_CODE}/2021-00007")
    found = site.problems(identity.INDEX_NO_DUPLICATE.code)
    assert len(found) == 40
    assert all(problem.message.count("content/items/2021/d") == 5 and "等 39 个条目" in problem.message for problem in found)


def test_an_index_no_held_by_tens_of_thousands_is_judged_in_linear_time(monkeypatch):
    """Each holder listed every other holder before naming five of them: 20,000 items sharing one 索引号 took 29 s
    here (quadratic); now a tenth of a second (the messages' own scans, linear, left out)."""
    import time
    from types import SimpleNamespace

    from gongkai.checks.base import CheckContext

    items = [SimpleNamespace(path=f"content/items/2021/d{n:05d}.md", index_no="X/2021-00007") for n in range(20_000)]
    documents = {item.path: SimpleNamespace(path=item.path, line_of=lambda *keys: 1, value_col=lambda *keys: 1)
                 for item in items}
    ctx = CheckContext(project=SimpleNamespace(items=items, documents=documents), today=None)  # type: ignore[arg-type]
    monkeypatch.setattr(identity, "INDEX_NO_DUPLICATE", SimpleNamespace(at=lambda path, line, message, col: message))
    started = time.process_time()
    found = list(identity.check(ctx))
    assert time.process_time() - started < 2
    assert len(found) == 20_000
    for index in (0, 3, 5, 6, 19_999):
        others = [item.path for item in items if item is not items[index]][:5]
        assert f"{'、'.join(others)} 等 19,999 个条目" in str(found[index])


def test_duplicate_index_no_reported_on_every_holder(site):
    number = site.next_index_no()
    first = site.item("2021/a.md", index_no=number)
    second = site.item("2021/b.md", index_no=number)
    problems = site.problems(identity.INDEX_NO_DUPLICATE.code)
    assert {p.path for p in problems} == {site.rel(first), site.rel(second)}
    assert all(number in p.message for p in problems)


@pytest.mark.parametrize("fields", [{"disclosure": "公开"}, {"validity": "有效的"}])
def test_enums(site, fields):
    site.item(**fields)
    [problem] = site.problems(schema.BAD_CHOICE.code)
    assert "只能是" in problem.message


def test_written_after_published(site):
    site.item(written="2021-06-19", signed=False)  # signed it would be refused: a review before it was written
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


@pytest.mark.parametrize("line, written, read", [
    ("doc_no: 3.10", "3.10", "3.1"), ("title: 1.50", "1.50", "1.5"), ("summary: 1.", "1.", "1.0"),
    ("keywords: [2.0, 0.50]", "0.50", "0.5"),
])
def test_text_that_yaml_reads_as_a_changed_number_is_gk120(site, line, written, read):
    text = site.item("2021/a.md").read_text(encoding="utf-8")
    key = line.split(":")[0]
    text = "\n".join(row for row in text.split("\n") if not row.startswith(f"{key}:"))
    site.write("2021/a.md", text.replace("---\n", f"---\n{line}\n", 1))
    problems = site.problems(schema.NUMBER_CHANGED.code)
    assert len(problems) == 1 and problems[0].line == 2 and f"写的是 {written}" in problems[0].message
    assert f"“{read}”" in problems[0].message and "英文引号" in problems[0].message


def test_numbers_that_read_as_written_are_fine(site):
    path = site.item(doc_no=2021, keywords=[2021, "住房"])
    assert schema.NUMBER_CHANGED.code not in site.codes(path)


def test_a_title_written_over_two_lines_is_gk105_with_what_was_read(site):
    text = site.item("2021/a.md").read_text(encoding="utf-8")
    site.write("2021/a.md", text.replace("title: 关于做好保障性住房工作的通知", "title: 关于做好保障性\n  住房工作的通知"))
    [problem] = site.problems(schema.TITLE_LINES.code)
    assert problem.line == 2 and "“关于做好保障性 住房工作的通知”" in problem.message


@pytest.mark.parametrize("field", ["published", "written"])
def test_dates_outside_1949_to_2100_are_gk121(site, field):
    site.item(**{field: "1900-01-01"})
    problems = site.problems(schema.DATE_RANGE.code)
    assert len(problems) == 1 and "1949-01-01 至 2100-12-31" in problems[0].message


def test_a_nested_key_that_lost_its_indentation_is_named(site):
    text = site.item("2021/a.md").read_text(encoding="utf-8")
    site.write("2021/a.md", text.replace("---\n\n", "withdrawn:\ndate: 2021-07-01\nreason: 有误\n---\n\n", 1)
               .replace("---\n", "---\n", 1))
    problems = [p for p in site.problems(schema.UNKNOWN_KEY.code)]
    assert {p.message.split("`")[1] for p in problems} == {"date", "reason"}
    assert all("`withdrawn:` 下面" in p.message for p in problems)


@pytest.mark.parametrize("value, hint", [("燃气安全，冬季检查", "英文"), ("［燃气安全，冬季检查］", "[ ]")])
def test_keywords_written_with_full_width_punctuation_say_so(site, value, hint):
    site.item(keywords=value)
    [problem] = site.problems(schema.WRONG_TYPE.code)
    assert hint in problem.message and value[:4] in problem.message


def test_a_key_that_is_not_text_is_gk102_and_the_rest_is_still_checked(site):
    text = site.item("2021/a.md", signed=False).read_text(encoding="utf-8")
    site.write("2021/a.md", text.replace("---\n", "---\n1: x\ntrue: y\nnull: z\n", 1))
    problems = site.check()
    assert [(p.line, p.code) for p in problems if p.code == "GK102"] == [(2, "GK102"), (3, "GK102"), (4, "GK102")]
    assert "GK201" in {p.code for p in problems}  # the review family still ran on this file
