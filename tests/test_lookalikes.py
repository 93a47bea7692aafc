"""Characters drawn like a digit, a separator or a star read as readers see them: the shipped table is Unicode's
confusables and star names, and the scans find a number or a mark written with any character of it."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import lookalikes, reader_text
from gongkai.checks import marks, pii

TODAY = dt.date(2026, 11, 27)


def test_the_shipped_table_is_what_the_confusables_and_unicode_give():
    shipped = lookalikes.load()
    assert shipped == lookalikes.compute(), "请运行 scripts/lookalikes.py 重新生成 generator/lookalikes.json"
    assert lookalikes.FILE.read_text(encoding="utf-8") == lookalikes.dumps(shipped)
    assert shipped["digits"]["Ꮾ"] == "6" and shipped["digits"]["৪"] == "8" and shipped["separators"]["ᐧ"] == "·"
    assert "🟊" in shipped["stars"] and not set(lookalikes.ASTERISKS) & set(shipped["stars"])
    assert shipped["ideographs"]["ニ"] == "二" and shipped["ideographs"]["ハ"] == "八" and "ー" not in shipped["ideographs"]


@pytest.mark.parametrize(("kana", "numeral"), [("ニ", "二"), ("ﾆ", "二"), ("ハ", "八"), ("ﾊ", "八")])
def test_a_number_in_chinese_numerals_with_kana_drawn_as_a_numeral_is_found(kana, numeral):
    written = "一三九一二三四五六七八".replace(numeral, kana)
    assert [(f.kind, f.number) for f in pii.find(f"联系电话：{written}。", TODAY)] == [(pii.MOBILE, "13912345678")]


DRAWN = sorted(reader_text._LOOKALIKES.items())


@pytest.mark.parametrize(("char", "drawn"), [(c, d) for c, d in DRAWN if d.isdigit()])
def test_a_mobile_with_a_character_drawn_like_a_digit_is_found(char, drawn):
    """(A digit of another script is a mobile's digit read by its value too: either reading finds the number.)"""
    found = list(pii.find(f"联系电话：13912{char}45678。", TODAY))
    assert [(f.kind, f.text) for f in found] == [(pii.MOBILE, f"13912{char}45678")], char
    assert found[0].number in (f"13912{drawn}45678", f"13912{reader_text.fold(char)}45678")


@pytest.mark.parametrize("char", [c for c, d in DRAWN if not d.isdigit()])
def test_a_mobile_split_by_a_character_drawn_like_a_separator_is_found(char):
    found = list(pii.find(f"联系电话：139{char}1234{char}5678。", TODAY))
    assert [(f.kind, f.number) for f in found] == [(pii.MOBILE, "13912345678")], char


def test_digits_of_another_script_are_read_as_they_are_drawn():
    """A Bengali four is drawn as an 8: 110105198808081237 written with it is that 身份证号 to a reader."""
    found = list(pii.find("身份证号" + "110105198808081237".replace("8", "\u09ea"), TODAY))
    assert [(f.kind, f.number) for f in found] == [(pii.ID18, "110105198808081237")]


def test_a_number_in_chinese_numerals_with_bopomofo_drawn_as_a_numeral_is_found():
    assert [f.number for f in pii.find("电话ㄧ三九ㄧ二三四五六七八", TODAY)] == ["13912345678"]  # BOPOMOFO LETTER I for 一
    assert [f.number for f in pii.find("电话ㄠ三九ㄠ二三四五六七八", TODAY)] == ["13912345678"]  # BOPOMOFO LETTER AU for 幺


@pytest.mark.parametrize("stroke", ["|", "｜", "丨", "⼁", "㇑", "ㅣ", "│", "┃", "⎜", "⏐", "׀"])
def test_a_vertical_stroke_drawn_for_a_one_is_read_as_it(stroke):
    assert [(f.kind, f.number) for f in pii.find(f"电话{stroke}39{stroke}2345678", TODAY)] == [(pii.MOBILE, "13912345678")]
    assert [f.number for f in pii.find(f"身份证{stroke}{stroke}0{stroke}0{stroke}199003070038", TODAY)] == ["110101199003070038"]


@pytest.mark.parametrize("text", ["|1|2|3|4|5|6|7|8|9|0|1|", "| 2024 | 1234 | 5678 |", "编号2024|0001|1234", "a|b 2024|12|31"])
def test_bars_between_figures_of_a_table_row_are_no_ones(text):
    assert list(pii.find(text, TODAY)) == []


@pytest.mark.parametrize("text", ["电话139-1234 5678", "139 1234-5678", "身份证号110105-19880808 1237", "卡号6222 0212-3456 7894"])
def test_a_space_joins_the_groups_of_a_number_written_with_another_separator(text):
    assert len(list(pii.find(text, TODAY))) == 1


@pytest.mark.parametrize("text", ["1999-12-31 12 3", "第一条 一是 二是", "2025-01-02 139", "今年完成 1234 户，投资 5678 万元"])
def test_dates_and_figures_beside_spaces_stay_quiet(text):
    assert list(pii.find(text, TODAY)) == []


@pytest.mark.parametrize("star", lookalikes.stars())
def test_a_level_with_any_star_is_a_mark(star):
    assert [rule.code for rule, _, _ in marks.find(f"机密{star}5年")] == ["GK401"], star


@pytest.mark.parametrize("zero", ["\u0660", "\u06f0"])  # ARABIC-INDIC and EXTENDED ARABIC-INDIC DIGIT ZERO: a dot
@pytest.mark.parametrize("template", ["机{0}密★5年", "绝{0}{0}密", "秘{0}密{0}★", "内{0}部资料"])
def test_a_zero_drawn_as_a_dot_between_the_characters_of_a_mark_joins_them(zero, template):
    assert len(list(marks.find(template.format(zero)))) == 1


@pytest.mark.parametrize("text", ["机密5年", "机密（5年）", "机密·5年", "秘密 长期", "机密级", "【绝密级】", "内部参考资料",
                                  "（内部参考）"])
def test_a_mark_without_its_star_is_a_mark(text):
    assert len(list(marks.find(text))) == 1, text


@pytest.mark.parametrize("text", ["机密级事项一般不超过20年", "属于机密级国家秘密", "涉及国家秘密10年的事项", "本数据可作内部参考，请核实"])
def test_prose_about_levels_and_periods_is_no_mark(text):
    assert list(marks.find(text)) == []


def test_the_lowest_blocks_are_read_as_the_underscore_they_are_drawn_as():
    assert [f.number for f in pii.find("联系电话139\u25811234\u25815678", TODAY)] == ["13912345678"]


def test_a_number_split_between_a_term_and_its_definition_reads_on():
    """<dt> and <dd> are drawn one under the other, as two list items are."""
    read = reader_text.visible("<dl><dt>110105198</dt><dd>808081237</dd></dl>")
    assert "110105198 808081237" in read.joined


def test_short_groups_among_mixed_separators_end_a_number_at_once():
    """A space among another separator's groups asks every group for three digits: 1-2 1-2 … read on for nineteen
    digits from every group (10 s for 400 KB), and is read in steps of two again."""
    import time

    started = time.process_time()
    assert list(pii.find("1-2 " * 100_000, TODAY)) == []
    assert time.process_time() - started < 5


def test_marks_read_again_in_the_order_shown_are_matched_in_linear_time():
    """One right-to-left override in a text of 40,000 marks read each mark again, each compared with every other: 42 s."""
    import time

    started = time.process_time()
    found = list(marks.find("内部资料，" * 40_000 + "\n\n\u202eab\n"))
    assert len(found) == 40_000 and time.process_time() - started < 10
