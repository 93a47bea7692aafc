"""YAML mistakes editors make, by class: each gets a Chinese message on the line to change, naming the fix."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.loading import parse_document

HEAD = "---\ntitle: 关于做好保障性住房工作的通知\nindex_no: 11131122MB1534702N/2021-00001\n"  # lines 1-3
TAIL = "disclosure: 主动公开\n---\n\n正文\n"

# (mistake on line 4 onwards, expected file line, code, words the message must contain)
CASES = {
    # full-width punctuation used as YAML syntax
    "full-width colon": ("genre：通知\n", 4, "GK022", ["中文冒号", "genre: 通知"]),
    "full-width colon, last line": ("category: 规范性文件\ngenre：通知\n", 5, "GK022", ["中文冒号"]),
    "full-width space after colon": ("genre:　通知\n", 4, "GK022", ["U+3000", "genre: 通知"]),
    "no-break space after colon": ("genre:\u00a0通知\n", 4, "GK022", ["U+00A0"]),
    "full-width space as indentation": ("withdrawn:\n　date: 2021-07-01\n", 5, "GK022", ["全角空格", "英文空格"]),
    "full-width colon on an indented line": ("summary: 概述\n  genre：通知\n", 5, "GK020", ["中文冒号"]),
    # missing space
    "no space after colon": ("genre:通知\n", 4, "GK024", ["缺少空格", "genre: 通知"]),
    "dash without space": ("keywords:\n  -燃气安全\n  -冬季检查\n", 5, "GK021", ["空格", "- 燃气安全"]),
    # values that need quotes
    "colon in value": ("summary: 答复: 关于燃气安全的建议\n", 4, "GK023", ["加英文引号", "summary: \""]),
    "chinese quotes around a colon": ("summary: “答复: 关于”\n", 4, "GK023", ["中文引号", "不起"]),
    "value starts with [": ("summary: [转发] 关于燃气安全的通知\n", 4, "GK023", ["[", "英文引号"]),
    "value starts with {": ("summary: {重要} 通知\n", 4, "GK023", ["英文引号"]),
    "value starts with *": ("summary: *重要* 通知\n", 4, "GK023", ["*", "英文引号"]),
    "value starts with &": ("summary: &nbsp;通知\n", 4, "GK023", ["&", "英文引号"]),
    "value starts with @": ("summary: @所有人\n", 4, "GK023", ["@", "英文引号"]),
    "value starts with %": ("summary: %50 的住户\n", 4, "GK023", ["%", "英文引号"]),
    "value starts with `": ("summary: `代码`\n", 4, "GK023", ["英文引号"]),
    "value starts with |x": ("summary: |征求意见稿|\n", 4, "GK023", ["|", "英文引号"]),
    "value starts with >": ("summary: >50户\n", 4, "GK023", ["英文引号"]),
    "value starts with - ": ("summary: - 关于\n", 4, "GK023", ["- ", "英文引号"]),
    "value starts with ? ": ("summary: ? 为什么\n", 4, "GK023", ["英文引号"]),
    "quote closes early": ('summary: "十四五"燃气规划\n', 4, "GK023", ["引号", "整个值"]),
    "single quote closes early": ("summary: '十四五'燃气规划\n", 4, "GK023", ["引号", "整个值"]),
    "comment cuts the value": ("summary: 关于“十四五”燃气规划 #征求意见稿\n", 4, "GK017", ["注释", "英文引号"]),
    "comment is the whole value": ("summary: #征求意见稿\n", 4, "GK017", ["注释", "值是空的"]),
    # quotes and brackets that never close
    "unclosed double quote": ('summary: "关于燃气安全\ncategory: 规范性文件\n', 4, "GK005", ["引号", "没有配对"]),
    "unclosed single quote": ("summary: '关于燃气安全\ncategory: 规范性文件\n", 4, "GK005", ["引号", "没有配对"]),
    "quote swallowing the next line": ('summary: "关于\ngenre: 通知"\n', 4, "GK020", ["引号", "第 5 行"]),
    "unclosed bracket": ("keywords: [燃气, 冬季\ncategory: 规范性文件\n", 4, "GK005", ["[", "]"]),
    "unclosed brace": ("attachments:\n  - {title: 附件, file: a.pdf\ncategory: 规范性文件\n", 5, "GK005", ["{", "}"]),
    "backslash in double quotes": ('summary: "C:\\文件"\n', 4, "GK005", ["反斜杠", "单引号"]),
    # indentation
    "tab indentation": ("withdrawn:\n\tdate: 2021-07-01\n", 5, "GK005", ["Tab", "空格"]),
    "key indented under a value": ("genre: 通知\n  category: 规范性文件\n", 5, "GK005", ["缩进", "左对齐"]),
    "nested key indented too far": ("withdrawn:\n  date: 2021-07-01\n   reason: 有误\n", 6, "GK005", ["缩进了 3 个空格"]),
    "nested key indented too little": ("withdrawn:\n  date: 2021-07-01\n reason: 有误\n", 6, "GK005", ["缩进了 1 个空格"]),
    "list item outside a list": ("genre: 通知\n- 燃气\n", 5, "GK005", ["列表项"]),
    "list items not aligned": ("keywords:\n- 燃气\n  - 冬季\n", 6, "GK020", ["上下对齐"]),
    "wrapped title not indented": ("summary: 关于做好\n保障性住房工作\n", 5, "GK005", ["接回上一行"]),
    "block text not indented": ("summary: |\n正文第一行\n", 5, "GK005", ["缩进两个空格"]),
    # characters that do not belong in a text file
    "NUL": ("summary: 关于\x00通知\n", 4, "GK009", ["U+0000"]),
    "BOM in the middle": ("summary: 关于\ufeff通知\n", 4, "GK009", ["BOM"]),
    "lone CR": ("summary: 关于\rgenre: 通知\n", 4, "GK009", ["回车符"]),
    "vertical tab from Word": ("summary: 第一段\x0b第二段\n", 4, "GK009", ["U+000B"]),
    "escaped control character": ('summary: "a\\x07b"\n', 4, "GK016", ["U+0007"]),
    "zero-width space in a key": ("genre\u200b: 通知\n", 4, "GK102", ["U+200B"]),
    "right-to-left override": ("summary: 关于\u202e通知\n", 4, "GK016", ["U+202E"]),
    "escaped noncharacter (a Word report cannot hold it)": ('summary: "关于\\uffff通知"\n', 4, "GK016", ["U+FFFF", "非字符"]),
    "raw noncharacter": ("summary: 关于\ufffe通知\n", 4, "GK009", ["U+FFFE", "非字符"]),
    # a text spelled in tag characters shows as nothing and reads as ASCII to any program (a number, a sentence)
    "raw tag characters": ("summary: 关于\U000e0031\U000e0031通知\n", 4, "GK009", ["U+E0031", "标签字符"]),
    "escaped tag character": ('summary: "关于\\U000E0041通知"\n', 4, "GK016", ["U+E0041", "标签字符"]),
    # the file format hiding a second meaning
    "merge key": ("<<: {disclosure: 依申请公开}\n", 4, "GK013", ["<<"]),
    "anchor": ("genre: &g 通知\n", 4, "GK013", ["&g"]),
    "tag": ("keywords: !!set {燃气: null}\n", 4, "GK014", ["!!set"]),
    "number as key": ("1: 通知\n", 4, "GK102", ["数字 1"]),
    "boolean as key": ("yes: 通知\n", 4, "GK102", ["是/否"]),
    "full-width space in a key": ("genre\u3000: 通知\n", 4, "GK102", ["U+3000"]),
    "duplicate key": ("disclosure: 依申请公开\n", 5, "GK007", ["重复", "第 4 行"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_mistake_is_named_on_its_line(name):
    mistake, line, code, words = CASES[name]
    text = HEAD + mistake + TAIL
    _, problems = parse_document(text.encode("utf-8"), "content/items/x.md")
    found = [p for p in problems if p.code == code]
    assert found, [(p.line, p.code, p.message) for p in problems]
    assert found[0].line == line, (found[0].line, found[0].message)
    assert all(word in found[0].message for word in words), found[0].message


def test_crlf_line_endings_change_nothing():
    text = HEAD + "genre: 通知\n" + TAIL
    plain, _ = parse_document(text.encode(), "x.md")
    windows, problems = parse_document(text.replace("\n", "\r\n").encode(), "x.md")
    assert plain is not None and windows is not None
    assert problems == [] and windows.meta == plain.meta and windows.body == plain.body


@pytest.mark.parametrize("first, closing, line, code", [
    ("－－－", "---", 1, "GK003"), (" ---", "---", 1, "GK003"), ("---", "----", 5, "GK004"), ("---", "———", 5, "GK004"),
])
def test_look_alike_fences_are_named(first, closing, line, code):
    text = f"{first}\ntitle: 通知\nindex_no: x\ndisclosure: 主动公开\n{closing}\n\n正文\n"
    _, problems = parse_document(text.encode(), "x.md")
    assert [(p.line, p.code) for p in problems] == [(line, code)] and "三个英文减号" in problems[0].message


_ENGLISH = re.compile(r"\b(?:expected|found|while|scanning|parsing|mapping|sequence|allowed|character|could|token|"
                      r"document|stream|block|flow|scalar|anchor|alias|indentation|unexpected|error)\b", re.I)
_MISTAKES = ["：", "　", "“", "”", "，", "、", ": ", ":", " #", "#", "- ", "-", "\t", "[", "]", "{", "}", "'", '"', "*", "&",
             "!", "|", ">", "?", "%", "@", "`", "\\", "\n", "\n  ", "<<: ", "\x00", "\ufeff", "\r", "\u200b", "－", "---"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.sampled_from(_MISTAKES)), min_size=1, max_size=4))
def test_any_mistake_anywhere_gets_a_chinese_message_and_never_an_exception(edits):
    text = HEAD + "category: 规范性文件\nkeywords: [燃气安全, 冬季检查]\nsummary: 部署燃气安全检查。\n" + TAIL
    for position, inserted in edits:
        position %= len(text)
        text = text[:position] + inserted + text[position:]
    document, problems = parse_document(text.encode("utf-8"), "x.md")
    lines = text.replace("\r\n", "\n").count("\n") + 1
    for problem in problems:
        assert re.search(r"[\u4e00-\u9fff]", problem.message) and not _ENGLISH.search(problem.message), problem.message
        assert 1 <= problem.line <= lines and problem.col >= 1
    if document is None:
        assert any(p.is_error for p in problems)
