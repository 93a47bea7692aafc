"""YAML read as plain values only: what a reviewer reads is what is published, at bounded cost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.yaml_reading import MAX_DEPTH, MAX_NODES, plain_value, read_yaml


def _codes(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in read_yaml(text, "x.yml").problems]


@pytest.mark.parametrize("text, expected", [
    ("genre: &g 通知\nsummary: *g\n", [(1, "GK013"), (2, "GK013")]),
    ("base: {disclosure: 依申请公开}\nitem:\n  <<: {disclosure: 主动公开}\n  disclosure: 依申请公开\n", [(3, "GK013")]),
    ("keywords: !!set {燃气: null}\n", [(1, "GK014")]),
    ("summary: !!binary aGVsbG8=\n", [(1, "GK014")]),
    ("keywords: !!omap [a: 1]\n", [(1, "GK014")]),
    ("summary: !!str 123\n", [(1, "GK014")]),
    ("summary: !local x\n", [(1, "GK014")]),
    ("summary: ! x\n", [(1, "GK014")]),
])
def test_anchors_aliases_merge_keys_and_tags_are_refused_where_they_stand(text, expected):
    parsed = read_yaml(text, "x.yml")
    assert [(p.line, p.code) for p in parsed.problems] == expected
    assert parsed.data is None and not parsed.readable  # nothing of a second meaning reaches anyone


def test_an_alias_bomb_is_never_expanded():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{n}: &{n} [" + ",".join(f"*{p}" for _ in range(9)) + "]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    parsed = read_yaml("\n".join(lines), "bomb.yml")
    assert parsed.data is None and {p.code for p in parsed.problems} == {"GK013"}
    assert len(parsed.problems) <= 50


@pytest.mark.parametrize("key, words", [
    ("1", ["数字 1"]), ("true", ["是/否"]), ("yes", ["是/否"]), ("null", ["空值"]), ("~", ["空值"]),
    ("[a, b]", ["列表或映射"]), ("{a: 1}", ["列表或映射"]),
    ("genre\u3000", ["U+3000", "genre"]), ("genre\u200b", ["U+200B"]), ("ge\u00a0nre", ["U+00A0"]),
])
def test_keys_that_are_not_plain_words_are_gk102_on_their_own_line(key, words):
    parsed = read_yaml(f"title: 通知\n{key}: x\ngenre: 公告\n", "x.yml")
    assert [(p.line, p.code) for p in parsed.problems] == [(2, "GK102")]
    assert all(word in parsed.problems[0].message for word in words), parsed.problems[0].message
    assert parsed.data == {"title": "通知", "genre": "公告"}  # the rest is still read and checked


def test_an_overlong_key_is_gk102_quoted_short():
    parsed = read_yaml("title: 通知\n? " + "x" * 2000 + "\n: x\ngenre: 公告\n", "x.yml")
    assert [(p.line, p.code) for p in parsed.problems] == [(2, "GK102")]
    assert "2000 个字符" in parsed.problems[0].message and len(parsed.problems[0].message) < 200


def test_a_key_indented_with_a_full_width_space_is_named_as_such():
    parsed = read_yaml("withdrawn:\n\u3000date: 2021-07-01\n", "x.yml")
    assert [(p.line, p.code) for p in parsed.problems] == [(2, "GK022")] and "缩进" in parsed.problems[0].message


def test_duplicate_keys_keep_the_first_and_name_both_lines():
    parsed = read_yaml("disclosure: 依申请公开\ntitle: 通知\ndisclosure: 主动公开\n", "x.yml")
    assert [(p.line, p.code) for p in parsed.problems] == [(3, "GK007")]
    assert "第 1 行" in parsed.problems[0].message and parsed.data["disclosure"] == "依申请公开"


def test_values_are_text_numbers_booleans_null_lists_and_mappings_only():
    parsed = read_yaml("a: 010\nb: 1:20\nc: 0x1F\nd: 1_000\ne: 12\nf: 3.10\ng: .inf\nh: 2021-06-18\n"
                       "i: 2021-06-18T08:00:00+08:00\nj: yes\nk: ~\nl: [1, x]\nm: {n: 1}\n", "x.yml")
    assert parsed.data == {"a": "010", "b": "1:20", "c": "0x1F", "d": "1_000", "e": 12, "f": 3.1, "g": ".inf",
                           "h": "2021-06-18", "i": "2021-06-18T08:00:00+08:00", "j": True, "k": None,
                           "l": [1, "x"], "m": {"n": 1}}
    assert parsed.numbers == {("e",): "12", ("f",): "3.10", ("l", 0): "1", ("m", "n"): "1"}


@given(st.text(max_size=30))
def test_plain_values_never_raise_and_text_stays_text(text):
    value = plain_value(text)
    assert value is None or isinstance(value, (str, int, float, bool))


@pytest.mark.parametrize("text, char", [
    ('summary: "a\\x01b"\n', "U+0001"), ('summary: "a\\u202eb"\n', "U+202E"), ("summary: 'a\u2066b'\n", "U+2066"),
    ('summary: "a\\u2028b"\n', "U+2028"), ("summary: 关于\u200f通知\n", "U+200F"), ('summary: "\\e[31m"\n', "U+001B"),
])
def test_control_and_bidirectional_characters_in_values_are_errors(text, char):
    problems = read_yaml(text, "x.yml").problems
    assert [(p.line, p.code) for p in problems] == [(1, "GK016")] and char in problems[0].message


@pytest.mark.parametrize("text", ["summary: 关于\u200b通知\n", 'summary: "a\\ufeffb"\n', "keywords: [燃气\u00ad安全]\n"])
def test_zero_width_characters_in_values_are_left_to_the_scans_which_fold_them(text):
    assert read_yaml(text, "x.yml").problems == []


@pytest.mark.parametrize("text", [
    "# 注释行\ntitle: 通知\n",
    "review: {}  # 保密审查：由 gongkai review 写入\n",
    "keywords: [燃气, 冬季]  # 关键词\n",
    'title: "关于规划 #征求意见稿"\n',
    "title: '关于规划 #征求意见稿'\n",
    "title: 关于规划#征求意见稿\n",
    "stale_after_days: 30  # 一个月\n",
    "written: 2021-06-01  # 成文日期\n",
    "repealed:\n  - 11131122MB1534702N/2020-00002   # 青禾县公共租赁住房管理办法\n",
    "overview: |   # 一、总体情况\n  正文 # 不是注释\n",
    "licensing:         # 行政许可\n  total: 94\n",
    "department: 办公室   # 发布机构\n",
    "applicant: 自然人              # 自然人 | 商业企业\n",
    "written:   # 以后补\n",
])
def test_comments_that_cut_nothing_are_fine(text):
    parsed = read_yaml(text, "x.yml")
    assert parsed.problems == [] and parsed.readable


@pytest.mark.parametrize("text", [
    "title: 关于“十四五”燃气规划 #征求意见稿\n",
    "title: Annual report #2\n",
    "title: 关于规划  #征求意见稿\n",
    "department: 办公室 # 发布机构\n",
    "keywords:\n  - 燃气 #冬季\n",
    "title: #征求意见稿\n",
])
def test_an_unquoted_text_cut_by_a_comment_is_an_error_at_the_hash(text):
    problems = read_yaml(text, "x.yml").problems
    hash_line = text[: text.index("#")].count("\n") + 1
    hash_col = text.index("#") - text.rfind("\n", 0, text.index("#"))
    assert [(p.line, p.col, p.code) for p in problems] == [(hash_line, hash_col, "GK017")]
    assert "注释" in problems[0].message and "引号" in problems[0].message


def test_full_width_commas_in_a_list_show_the_list_as_read():
    parsed = read_yaml("keywords: [燃气安全，冬季检查]\nother: [甲、乙, 丙]\nok: ['水、电、气']\n", "x.yml")
    assert [(p.line, p.code, p.severity) for p in parsed.problems] == [(1, "GK018", "warning"), (2, "GK018", "warning")]
    assert "1 项" in parsed.problems[0].message and "“燃气安全，冬季检查”" in parsed.problems[0].message
    assert "2 项" in parsed.problems[1].message


def test_a_folded_value_is_a_warning_showing_what_was_read():
    parsed = read_yaml("summary: 第一句\n  第二句\nenglish: first line\n  second line\n", "x.yml")
    assert [(p.line, p.code) for p in parsed.problems] == [(1, "GK019")]
    assert "“第一句 第二句”" in parsed.problems[0].message
    assert parsed.folded == {("summary",)}


@pytest.mark.parametrize("text, line, words", [
    ("summary: 概述\n  genre：通知\n", 2, ["genre：通知", "中文冒号"]),
    ("summary: 概述\n  disclosure: 主动公开\n", None, []),  # a syntax error instead, see test_yaml_messages
    ("keywords:\n- 燃气\n  - 冬季\n", 3, ["“-”要上下对齐"]),
    ('summary: "关于\ngenre: 通知"\n', 1, ["引号", "第 2 行"]),
])
def test_a_line_swallowed_by_the_value_above_is_an_error(text, line, words):
    problems = read_yaml(text, "x.yml").problems
    if line is None:
        assert problems and problems[0].code != "GK020"
        return
    assert [(p.line, p.code) for p in problems] == [(line, "GK020")]
    assert all(word in problems[0].message for word in words), problems[0].message


@pytest.mark.parametrize("text", ["keywords:\n  -燃气安全\n  -冬季检查\n", "keywords:\n  － 燃气\n  － 冬季\n",
                                  "keywords:\n  • 燃气\n"])
def test_list_items_without_the_ascii_dash_and_space(text):
    problems = read_yaml(text, "x.yml").problems
    assert [(p.line, p.code) for p in problems] == [(2, "GK021")]


def test_nesting_and_size_budgets():
    deep = read_yaml("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "x.yml")
    assert [p.code for p in deep.problems] == ["GK015"] and deep.data is None
    very_deep = read_yaml("a: " + "[" * 5000, "x.yml")
    assert [p.code for p in very_deep.problems] == ["GK015"]
    block = read_yaml("".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)), "x.yml")
    assert [p.code for p in block.problems] == ["GK015"]
    wide = read_yaml("a: [" + ",".join("1" for _ in range(MAX_NODES + 10)) + "]", "x.yml")
    assert [p.code for p in wide.problems] == ["GK015"] and wide.data is None


def test_a_second_document_is_refused():
    parsed = read_yaml("a: 1\n---\na: 2\n", "catalog.yml")
    assert [(p.line, p.code) for p in parsed.problems] == [(2, "GK005")] and parsed.data is None


def test_marks_are_file_lines():
    parsed = read_yaml("title: 通知\nattachments:\n  - {title: 附件, file: a.pdf}\n", "x.md", first_line=2)
    assert parsed.keys[("attachments", 0, "file")].line == 4 and parsed.values[("title",)] == (2, 8)


_YAML_WORDS = re.compile(r"\b(?:expected|found|while|scanning|parsing|mapping|sequence|allowed|character|could|token)\b")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -#[]{},'\"\n\t&*!|>?%@`：，、“”　\u200b\r\x00")), max_size=60))
def test_any_text_gives_chinese_problems_on_existing_lines_never_an_exception(text):
    parsed = read_yaml(text, "x.yml")
    lines = len(re.split(r"\r\n|[\r\n\x85\u2028\u2029]", text))  # line breaks as YAML counts them
    for problem in parsed.problems:
        assert 1 <= problem.line <= lines + 1 and problem.col >= 1
        assert re.search(r"[\u4e00-\u9fff]", problem.message) and not _YAML_WORDS.search(problem.message)
    if not parsed.readable:  # nothing half-read is handed on, and the reason is always given
        assert parsed.data is None and any(p.is_error for p in parsed.problems)
