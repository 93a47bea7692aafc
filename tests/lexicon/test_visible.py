"""The visible text: what readers see, and the map back to the source."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.lexicon.visible import visible


def test_plain_text_is_unchanged():
    seen = visible("截至2021年底，全县完成改造。\n\n第二段。")
    assert seen.text == "截至2021年底，全县完成改造。\n\n第二段。"
    assert seen.source_offset(5) == 5


def test_full_width_letters_and_digits_fold_in_place():
    seen = visible("登录ＡＰＰ查询１２３４５热线")
    assert seen.text == "登录APP查询12345热线"
    assert seen.source_offset(4) == 4  # same length: offsets do not move


def test_kangxi_radicals_and_compatibility_ideographs_fold():
    assert visible("⼀律按规定办理").text == "一律按规定办理"  # U+2F00 KANGXI RADICAL ONE
    assert visible("\uf9d0").text == "类"  # CJK COMPATIBILITY IDEOGRAPH-F9D0 → 類, read as its simplified form


@pytest.mark.parametrize("text", ["暴カ", "暴ｶ"])  # KATAKANA LETTER KA, in full and half width
def test_kana_drawn_as_an_ideograph_fold_to_it(text):
    seen = visible(f"反对{text}执法")
    assert seen.text == "反对暴力执法" and seen.source_offset(3) == 3


def test_a_line_break_inside_a_paragraph_joins_chinese():
    source = "局长张军\n  卫同志任组长"
    seen = visible(source)
    assert seen.text == "局长张军卫同志任组长"
    start, end = seen.source_span(2, 5)
    assert source[start:end] == "张军\n  卫"


def test_a_blank_line_keeps_paragraphs_apart():
    assert visible("张军\n\n卫局长").text == "张军\n\n卫局长"


def test_padding_spaces_emphasis_and_inline_tags_vanish_between_chinese():
    assert visible("王　芳、张 军卫").text == "王芳、张军卫"
    assert visible("张**军卫**局长").text == "张军卫局长"
    assert visible("张<span>军卫</span>局长").text == "张军卫局长"
    assert visible("by the way 张三").text == "by the way 张三"  # spaces between Latin words stay


def test_format_characters_and_entities():
    source = "张\u200b军&#x536B;局长&amp;"
    seen = visible(source)
    assert seen.text == "张军卫局长&"
    start, end = seen.source_span(0, 3)
    assert source[start:end] == "张\u200b军&#x536B;"
    # Markdown leaves a would-be reference alone and the browser decodes its legacy head, as reader_text reads it.
    assert visible("&notanentity;").text == "¬anentity;"
    assert visible("&x;").text == "&x;"


_CHARS = st.sampled_from(list("张军卫局长登录网站，。\n \t*_<>&#;x\u200bＡ１a") + ["<b>", "&amp;", "&#x5F20;", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join))
def test_every_visible_character_maps_to_a_source_position(source):
    seen = visible(source)
    previous = -1
    for offset in range(len(seen.text)):
        position = seen.source_offset(offset)
        assert 0 <= position < len(source)
        assert position > previous  # the map keeps order
        previous = position
    assert len(seen.text) <= len(source)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join))
def test_the_whole_text_spans_the_whole_source(source):
    seen = visible(source)
    assert seen.source_span(0, len(seen.text))[1] == len(source)


@pytest.mark.parametrize("text", ["北-朝-鲜", "北.朝.鲜", "北·朝·鲜", "北・朝・鲜", "北/朝/鲜", "北 - 朝 - 鲜", "北\\朝\\鲜",
                                  "北`朝`鲜"])
def test_marks_typed_to_split_a_word_vanish_between_chinese_characters(text):
    """A reader reads 北-朝-鲜 as the word, as the secrecy scan reads 机·密; between letters or digits they stay."""
    seen = visible(text)
    assert seen.text == "北朝鲜"
    assert seen.source_offset(2) == len(text) - 1


@pytest.mark.parametrize("zero", ["\u0660", "\u06f0"])
def test_a_zero_drawn_as_a_dot_vanishes_between_chinese_characters_and_stays_a_digit_beside_one(zero):
    seen = visible(f"北{zero}朝{zero}鲜，2{zero}24年")
    assert seen.text == "北朝鲜，2024年" and seen.source_offset(2) == 4


@pytest.mark.parametrize("text", ["北。朝。鲜", "a-b", "1.2", "2024-01-02"])
def test_sentence_marks_and_marks_between_letters_stay(text):
    assert visible(text).text == text
