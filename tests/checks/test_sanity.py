"""Placeholders and empty shells (GK140–GK143)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.archetypes import create_item
from gongkai.checks import sanity
from gongkai.project import load_project


def test_the_new_skeleton_fails_until_written(site):
    path = create_item(load_project(site.root), "关于开展燃气安全检查的通知", "规范性文件", "办公室", dt.date(2021, 6, 18))
    site.sign(path)
    problems = [p for p in site.check() if p.path == site.rel(path) and p.code == "GK140"]
    assert len(problems) == 1 and "（在此撰写正文）" in problems[0].message
    text = path.read_text(encoding="utf-8")
    assert problems[0].line == text.split("\n").index("（在此撰写正文）") + 1


@pytest.mark.parametrize("summary", ["（此处填写内容概述）", "待补充", "暂无。", "【待补充】", "TODO"])
def test_placeholder_summaries_are_errors(site, summary):
    path = site.item(summary=summary)
    assert "GK140" in site.codes(path)


@pytest.mark.parametrize("body", ["正文【待补充】。\n", "见附件（请在此填写说明）\n", "TODO: 补充数据\n"])
def test_placeholders_in_the_body(site, body):
    assert "GK140" in site.codes(site.item(body=body))


def test_an_empty_body_on_a_public_item(site):
    empty = site.item("2021/empty.md", body="\n  \n<!-- 以后补 -->\n")
    hidden = site.item("2021/hidden.md", body="", disclosure="依申请公开")
    gone = site.item("2021/gone.md", body="", withdrawn={"date": "2021-07-01", "reason": "有误"})
    assert "GK141" in site.codes(empty)
    assert "GK141" not in site.codes(hidden) and "GK141" not in site.codes(gone)


@pytest.mark.parametrize("title", ["规范性文件", "政策文件", "规范性 文件"])
def test_a_title_that_is_only_the_column_name(site, title):
    path = site.item(title=title)
    assert "GK142" in site.codes(path)


def test_template_blanks_are_warnings_but_words_are_not(site):
    blank = site.item("2021/blank.md", body="根据贺政办〔xxxx〕xxx号文件，××单位于XX月完成。\n")
    fine = site.item("2021/fine.md", body="型号 XXL 与 box 无关；x县为化名。\n")
    problems = [p for p in site.check() if p.code == "GK143"]
    assert {p.path for p in problems} == {site.rel(blank)}
    assert len(problems) == 4 and problems[0].severity == "warning"
    assert site.rel(fine) not in {p.path for p in site.check()}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from("xX×＊○□Ｘｘ"), st.integers(2, 50_000))
def test_a_blank_of_any_length_is_shown_short(mark, length):
    shown = [shown for _, shown, _ in sanity._finds(f"于{mark * length}年")]
    assert len(shown) == 1 and len(shown[0]) <= 20 and shown[0].startswith("于" + mark * min(length, 8))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("通知公告住房保障，。（）()【】\n 0123456789年月日")), max_size=80))
def test_ordinary_text_has_no_placeholders(text):
    assert list(sanity._finds(text)) == []
