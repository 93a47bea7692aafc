"""错敏用语 family (GK46x): findings in titles, summaries, bodies and attachments, with file, line,
column and the suggestion; lexicon_allow; the lexicon file's own problems."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.lexicon.compiled import compiled_lexicon
from gongkai.limits import Limits
from gongkai.problems import Problem

from .samples import docx_with

LEXICON = """\
forbidden:
  - {text: 台湾总统, reason: 涉台表述错误：应称“台湾地区领导人”}
people:
  - name: 张军卫
    titles:
      - {title: 局长, from: 2016-03-01, until: 2021-12-31}
      - {title: 党组书记, from: 2016-03-01, until: 2021-12-31}
  - name: 韩东波
    titles:
      - {title: 副局长, from: 2016-03-01}
"""


def lexicon(site, text: str = LEXICON) -> None:
    (site.content / "lexicon.yml").write_text(text, encoding="utf-8")


def test_a_wrong_form_in_the_body_is_a_warning_with_line_column_and_suggestion(site):
    path = site.item(body="第一段。\n\n截止2021年底，请登陆网站查询。\n")
    problems = [p for p in site.check() if p.path == site.rel(path) and p.code == "GK461"]
    assert len(problems) == 2
    first, second = problems
    text = path.read_text(encoding="utf-8")
    assert first.severity == "warning" and (first.line, first.col) == (text.count("\n", 0, text.index("截止")) + 1, 1)
    assert "“截止2”应为“截至2”" in first.message and "lexicon_allow" in first.message
    assert "“登陆网站”应为“登录网站”" in second.message and second.col == 11


def test_title_summary_and_keywords_are_checked(site):
    path = site.item(title="关于做为试点的通知", summary="请登陆系统填报。", keywords=["布署"])
    found = {p.line: p.message for p in site.check() if p.path == site.rel(path) and p.code == "GK461"}
    text = path.read_text(encoding="utf-8").split("\n")
    assert {text[line - 1].split(":")[0] for line in found} == {"title", "summary", "- 布署"} or len(found) == 3
    assert any("标题（title）" in message and "“做为”应为“作为”" in message for message in found.values())


def test_forbidden_is_an_error(site):
    lexicon(site)
    path = site.item(body="报道中出现台湾总统一词。\n")
    problem = next(p for p in site.check() if p.path == site.rel(path) and p.code == "GK462")
    assert problem.severity == "error" and "台湾地区领导人" in problem.message


_DRAWN_SPLITS = ["台湾①总统", "台湾²总统", "台⑴湾总统", "台湾1\u20dd总统", "台湾1\ufe0f\u20e3总统", "台湾ⓐ总统"]
# markup: in a body only (a value or a file shows it as text)
_RAISED_SPLITS = ["台湾<sup>1</sup>总统", "台湾<sub>2</sub>总统", "台<sup>1</sup>湾总<sup>统</sup>"]


@pytest.mark.parametrize(("where", "split"), [("body", split) for split in _DRAWN_SPLITS + _RAISED_SPLITS]
                         + [(where, split) for where in ("title", "summary", "attachment") for split in _DRAWN_SPLITS])
def test_a_word_split_by_a_note_mark_is_read_whole(site, where, split):
    """`fold` reads ① ² ⑴ as digits and a raised number is text: 台湾²总统 was two words to the lexicon where a reader
    reads one and a note (rt25). A footnote's reference was read past already; these are read past as it is."""
    lexicon(site)
    if where == "body":
        path = site.item(body=f"报道中出现{split}一词。\n")
    elif where == "attachment":
        site.attach("a.csv", f"名称,说明\n{split},测试\n".encode())
        path = site.item(attachments=[{"title": "附件", "file": "a.csv"}])
    else:
        path = site.item(**{where: f"关于{split}的报道"})
    assert "GK462" in site.codes(path), split


def test_a_leader_after_leaving_office_and_a_wrong_title(site):
    lexicon(site)
    gone = site.item("2022/gone.md", published="2022-03-01", written=None, body="张军卫局长出席会议并讲话。\n")
    wrong = site.item("2021/wrong.md", published="2021-06-18", body="会议由局长韩东波主持。\n")
    fine = site.item("2021/fine.md", published="2021-06-18",
                     body="局党组书记、局长张军\n卫同志任组长，副局长韩东波同志任副组长。\n")
    past = site.item("2022/past.md", published="2022-03-01", written=None, body="时任局长张军卫同志参加了验收。\n")
    problems = site.check(dt.date(2022, 12, 31))
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.code == "GK463":
            by_path.setdefault(problem.path, []).append(problem)
    assert set(by_path) == {site.rel(gone), site.rel(wrong)}
    assert "张军卫在 2022-03-01 不担任“局长”（任职：局长（2016-03-01—2021-12-31））" in by_path[site.rel(gone)][0].message
    assert "没有担任过“局长”" in by_path[site.rel(wrong)][0].message
    assert by_path[site.rel(wrong)][0].severity == "error"
    assert site.rel(fine) not in by_path and site.rel(past) not in by_path


def test_attachment_text_is_checked(site):
    site.attach("2021/名单.docx", docx_with("请登陆平台核对。", "无"))
    path = site.item(attachments=[{"title": "名单", "file": "2021/名单.docx"}])
    problem = next(p for p in site.check() if p.path == site.rel(path) and p.code == "GK461")
    assert "附件《名单》" in problem.message and "“登陆平台”应为“登录平台”" in problem.message


def test_lexicon_allow_exempts_a_reviewed_use_and_an_unused_one_is_reported(site):
    path = site.item(body="当天台风登陆网站附近的渔港。\n",
                     lexicon_allow=[{"match": "台风登陆网站", "reason": "指台风登陆，非登录网站"},
                                    {"match": "不存在的原文", "reason": "测试"}])
    codes = [p.code for p in site.check() if p.path == site.rel(path)]
    assert codes == ["GK464"]


def test_an_incomplete_allowance_is_a_schema_error(site):
    path = site.item(lexicon_allow=[{"match": "登陆"}, "只是文字"])
    assert [p.code for p in site.check() if p.path == site.rel(path)].count("GK145") == 2


def test_not_public_and_withdrawn_bodies_are_not_checked(site):
    hidden = site.item("2021/hidden.md", disclosure="不予公开", body="请登陆网站。\n")
    gone = site.item("2021/gone.md", withdrawn={"date": "2021-07-01", "reason": "有误"}, body="请登陆网站。\n")
    paths = {p.path for p in site.check() if p.code.startswith("GK46")}
    assert site.rel(hidden) not in paths and site.rel(gone) not in paths


def test_pages_are_checked(site):
    pages = site.content / "pages"
    pages.mkdir()
    (pages / "guide.md").write_text("---\ntitle: 指南\n---\n\n申请人可登陆网站提交申请。\n", encoding="utf-8")
    problem = next(p for p in site.check() if p.code == "GK461")
    assert (problem.path, problem.line, problem.col) == ("content/pages/guide.md", 5, 5)


def test_a_broken_lexicon_is_reported_in_its_file(site):
    lexicon(site, "replace:\n  - {wrong: 登陆}\n")
    problem = next(p for p in site.check() if p.code == "GK460")
    assert (problem.path, problem.line) == ("content/lexicon.yml", 2)


def test_the_compiled_lexicon_follows_changes_to_the_file(site):
    lexicon(site, "defaults: false\nforbidden:\n  - {text: 甲乙丙, reason: 测试}\n")
    path = site.item(body="甲乙丙丁。\n")
    assert "GK462" in site.codes(path)
    lexicon(site, "defaults: false\nforbidden:\n  - {text: 丙丁戊, reason: 测试}\n")
    assert "GK462" not in site.codes(path)
    assert compiled_lexicon(site.content, site.root, Limits().item_bytes).lexicon.forbidden[0].text == "丙丁戊"


def test_a_term_split_in_the_source_is_found_in_the_rendered_text(site):
    path = site.item(body="请登<!-- 审核意见 -->陆网站查询，或<span>截</span>止日期前办理。\n")
    found = [p for p in site.check() if p.path == site.rel(path) and p.code == "GK461"]
    assert any("“登陆网站”应为“登录网站”" in p.message for p in found), [p.message for p in found]
    line = path.read_text(encoding="utf-8").split("\n").index("请登<!-- 审核意见 -->陆网站查询，或<span>截</span>止日期前办理。") + 1
    rendered = [p for p in found if "登陆网站" in p.message]
    assert rendered and all("网页上显示的文字" in p.message and p.line == line for p in rendered)


def test_zero_and_the_chinese_zero_are_different_words(site):
    path = site.item(body="二〇二五年工作要点。\n")
    assert "GK461" not in site.codes(path)
    path = site.item("2021/b.md", body="二0二五年工作要点。\n")
    assert "GK461" in site.codes(path)


def test_what_every_page_shows_is_checked_templates_and_mkdocs_yml(site):
    """The theme's templates and mkdocs.yml's settings are on every page and signed by nobody."""
    (site.root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\ncopyright: 欢迎登陆网站\n"
                                          "theme: {name: material, font: false, custom_dir: theme}\nplugins:\n  - gongkai\n",
                                          encoding="utf-8")
    partials = site.root / "theme" / "partials"
    partials.mkdir(parents=True)
    header = "<div>\n  <a href=\"/login\">登<b>陆</b>网站</a>\n  <span>{{ config.site_name }}</span>\n</div>\n"
    (partials / "header.html").write_text(header, encoding="utf-8")
    found = sorted((p.path, p.line) for p in site.check() if p.code == "GK461")
    assert found == [("mkdocs.yml", 3), ("theme/partials/header.html", 2)]


def test_the_catalogs_names_and_the_annual_reports_texts_are_checked(site):
    """The agency's name is on every page, a department's and a column's on their listings, a report's texts on its
    page: signed by nobody, read by the lexicon like mkdocs.yml."""
    lexicon(site)
    catalog = site.content / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("name: 办公室", "name: 台湾总统事务办公室")
                       .replace("name: 工作动态", "name: 请登陆网站"), encoding="utf-8")
    reports = site.content / "reports"
    reports.mkdir()
    report = reports / "2021.yml"
    report.write_text("overview: |\n  全年工作顺利。\n  报道台湾总统选举。\nproblems: 请登陆网站查询\n", encoding="utf-8")
    lines = catalog.read_text(encoding="utf-8").split("\n")
    found = sorted((p.path, p.code, p.line) for p in site.check() if p.code in ("GK461", "GK462"))
    assert found == sorted([(site.rel(catalog), "GK462", lines.index(next(x for x in lines if "台湾总统" in x)) + 1),
                            (site.rel(catalog), "GK461", lines.index(next(x for x in lines if "登陆网站" in x)) + 1),
                            (site.rel(report), "GK462", 3), (site.rel(report), "GK461", 4)])


def test_traditional_characters_are_read_as_their_simplified_forms(site):
    """A reader takes 台灣總統 for 台湾总统: the lexicon's words are found however the characters are written."""
    lexicon(site)
    path = site.item(body="报道中出现台灣總統一词。\n\n请登陸網站查询。\n", title="關於台灣總統的報道")
    found = sorted((p.code, p.line, p.col) for p in site.check() if p.path == site.rel(path) and p.code in ("GK461", "GK462"))
    lines = path.read_text(encoding="utf-8").split("\n")
    assert found == sorted([("GK462", 2, lines[1].index("台灣總統") + 1),
                            ("GK462", lines.index("报道中出现台灣總統一词。") + 1, 6),
                            ("GK461", lines.index("请登陸網站查询。") + 1, 2)])


def test_terms_overlapping_without_bound_fail_the_text_and_name_it(site):
    """A committed lexicon of 啊啊 … 啊×100 over a body of 啊 held 30 KB of matches a character: the reading stops at
    a bound, and the text, not read to its end, is an error."""
    entries = "".join(f"  - {{wrong: {'啊' * k}, right: 哦}}\n" for k in range(2, 101))
    lexicon(site, "replace:\n" + entries)
    path = site.item(body="第一段。\n\n" + "啊" * 20_000 + "\n")
    problems = site.check()
    found = [p for p in problems if p.path == site.rel(path) and p.code == "GK465"]
    assert found, [(p.code, p.path, p.message[:80]) for p in problems]  # in the body as written and as shown
    assert all(p.severity == "error" and "没有检查" in p.message and "lexicon_allow" not in p.message for p in found)


def test_an_annual_reports_leaders_are_judged_in_its_year(site):
    """A report speaks of its year: the leader who held the title then passes once the lexicon records a successor,
    and the successor named in it is an error (judged on the day of the check, it was the other way round: rt28)."""
    lexicon(site, LEXICON + "  - name: 王新民\n    titles:\n      - {title: 局长, from: 2022-01-01}\n")
    reports = site.content / "reports"
    reports.mkdir()
    report = reports / "2021.yml"
    report.write_text("overview: |\n  全年工作顺利。\n  领导小组由局长张军卫任组长。\n  领导小组由局长王新民任组长。\n",
                      encoding="utf-8")
    found = [p for p in site.check(dt.date(2022, 12, 31)) if p.code == "GK463"]
    assert [(p.path, p.line) for p in found] == [(site.rel(report), 4)]
    assert "王新民在 2021-12-31 不担任“局长”" in found[0].message
