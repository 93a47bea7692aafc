"""What readers see: rendered HTML → units, and any string → the characters a reader reads."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.reader_text import VALUE, fold, fold_mapped, template_html, visible


def test_units_join_inline_markup_and_comments_and_keep_cells_apart():
    page = visible("<p>电话139<!-- 注释 -->1234<b>56</b><span>78</span></p><table><tr><td>密级</td><td>机密</td></tr></table>")
    assert page.units == ("电话13912345678", "密级", "机密")
    assert page.text == "电话13912345678\n密级\n机密"


def test_line_breaks_and_soft_breaks():
    page = visible("<p>第一行<br>第二行\n续</p>")
    assert page.units == ("第一行\n第二行 续",)
    assert page.extra == ("第一行 第二行 续",)  # for the scans: what a <br> splits reads on


def test_units_are_also_read_past_struck_through_text():
    page = visible("<p>电话139<del>0000</del>1234<s>9</s>5678</p><p>无删除线</p>")
    assert page.units == ("电话13900001234956 78".replace(" ", ""), "无删除线")
    assert page.extra == ("电话13912345678",)


def test_a_rubys_guide_text_and_brackets_are_read_off_the_line():
    """A browser draws <rt> above the base and hides <rp>: the line reads 电话13912345678, and a ruby's guide texts read
    on above it (13912345678 over 中国), apart from the line's 9."""
    page = visible("<p>电话139<ruby>1234<rp>(</rp><rt>注</rt><rp>)</rp></ruby>5678</p>"
                   "<p><ruby>中<rt>139</rt>国<rt>12345678</rt></ruby>9</p>")
    assert page.units == ("电话1391234(注)5678", "中139国123456789")
    assert set(page.extra) == {"注", "电话13912345678", "13912345678", "中国9"}


def test_rows_and_lists_are_also_read_as_one_line():
    page = visible("<table><tr><td>张三</td><td>131122</td></tr></table><ul><li>甲</li><li>乙</li></ul><p>段</p>")
    assert page.units == ("张三", "131122", "甲", "乙", "段") and page.joined == ("张三 131122", "甲 乙")


def test_a_rows_last_long_cells_are_also_read_on_into_the_next_rows_first():
    page = visible("<table><tr><th>号码</th><th>110102</th><th>19840613</th></tr><tr><td>6320</td><td>张三</td><td>7</td></tr>"
                   "<tr><td>8</td><td>9</td></tr><tr><td>1234</td></tr></table>")
    assert page.joined == ("号码 110102 19840613", "6320 张三 7", "110102 19840613 6320", "8 9")  # 7 and 8: too short


def test_a_footnote_reference_is_read_past():
    page = visible('<p>电话139<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>12345678</p>')
    assert page.units == ("电话139112345678",) and "电话13912345678" in page.extra


def test_attribute_texts_are_scanned_not_indexed():
    page = visible('<p><img alt="图13912345678" src="a%31.png"><a href="tel:139" title="提示">链接</a></p>')
    assert page.units == ("链接",)
    assert set(page.extra) >= {"图13912345678", "a1.png", "tel:139", "提示"}


@pytest.mark.parametrize(("href", "dialled"), [("tel:139ADGJMPTW", "13923456789"), (" TEL:+86-139-1adg-jmpt", "+86-139-1234-5678"),
                                               ("tel:139%41DGJMPTW", "13923456789")])
def test_a_tel_link_is_also_read_as_its_keypad_dials_it(href, dialled):
    page = visible(f'<p><a href="{href}">热线</a></p>')
    assert dialled in page.extra and page.units == ("热线",)


def test_a_unit_is_also_read_with_its_pictures_alt_texts_in_their_place():
    """A picture that does not load (a missing file, one that is not a picture) shows its alt text where it stands."""
    page = visible('<p>电话139<img alt="1234" src="a.png">5678。<br>次行<img src="b.png">。</p><p>段<img alt="" src="c.png">落</p>')
    assert page.units == ("电话1395678。\n次行。", "段落")
    assert page.unloaded == ("电话13912345678。 次行。",) and "1234" in page.extra  # an empty alt text draws nothing


def test_a_numbered_list_item_is_also_read_with_the_number_drawn_before_it():
    """The browser draws each item's number (from `start`, as HTML reads an integer) before its text."""
    page = visible('<ol start="139"><li><del>12345678</del></li><li>乙</li></ol><ol start=" +7x"><li>甲</li></ol>'
                   "<ol><li>一<ol><li>二</li></ol></li><li>三</li></ol><ul><li>无</li></ul>")
    assert page.units == ("12345678", "乙", "甲", "一", "二", "三", "无")
    assert page.unloaded == ("139. 12345678", "140. 乙", "7. 甲", "1. 一", "1. 二", "2. 三")


def test_a_list_items_number_waits_for_its_first_text_whatever_block_holds_it():
    """Drawn on the line of the item's first text: in a paragraph (a loose list, a footnote), a heading, after an
    empty block; an item with no text draws its number alone (never a finding: a 32-bit number), and a picture's alt
    text is text when unloaded."""
    page = visible('<ol start="139">\n<li>\n<p>12345678</p>\n<p>次段</p>\n</li>\n<li><div><h6></h6><h6>乙</h6></div></li>'
                   '<li></li><li><ol start="5"><li><p>甲</p></li></ol></li><li><p><img alt="1234" src="a.png"></p><p>5678</p></li></ol>')
    assert page.units == ("12345678", "次段", "乙", "甲", "5678")
    assert page.unloaded == ("139. 12345678", "140. 乙", "142. 5. 甲", "143. 1234")


def test_a_list_item_is_numbered_by_the_nearest_list_whatever_stands_between():
    """Chromium numbers an item by its nearest <ol> or <ul> (`<ol><div><li>` too), and counts it for the items after it."""
    page = visible('<ol start="129"><div><li>甲</li></div><li>12345678</li><li><ul><li>点</li></ul></li></ol>')
    assert page.unloaded == ("129. 甲", "130. 12345678", "131. 点")


def test_preformatted_text_keeps_its_lines():
    """A <pre> draws its line breaks: a line holding only 绝密 is a line, whatever markup splits it in the HTML."""
    page = visible("<pre>正文\n<b>绝密</b>\n正文</pre><p>段\n落</p>")
    assert page.units == ("正文\n绝密\n正文", "段 落")


def test_an_enclosed_number_is_read_as_the_digits_it_shows():
    """❿ ⓫ ㉈ ⒑ 🔟 have no NFKC decomposition (or one with a full stop): each shows its number's digits, as ⑩ does."""
    assert fold("139❿345678 139⓫345678 139➓345678 139🔟345678 139⒑345678 ㉈") == (
        "13910345678 13911345678 13910345678 13910345678 13910345678 10")
    assert fold("❿", numerals=False) == "❿" and fold("½ 𐄐") == "1⁄2 𐄐"  # words keep them; fractions, other numbers stay


def test_the_object_replacement_character_is_read_as_nothing_and_a_templates_value_as_a_box():
    """Chromium draws U+FFFC as nothing (139\ufffc12345678 is as wide as 13912345678); what a template prints for a
    value is unknown, never digits joining the text around it."""
    assert fold("电话139\ufffc1234&#xfffc;5678，机\ufffc密") == "电话13912345678，机密"
    assert template_html("<p>139{{ x }}12345678</p>") == f"<p>139{VALUE}12345678</p>" and fold(VALUE) == VALUE


def test_a_heading_drawn_in_capitals_is_also_read_in_capitals():
    """The theme draws h5 in capitals: ı39ı2345678 shows I39I2345678, a mobile number to the scans' second view."""
    page = visible("<h5>电话ı39ı2345678</h5><h4>电话ı39</h4>")
    assert page.units == ("电话ı39ı2345678", "电话ı39") and page.extra == ("电话I39I2345678",)


@pytest.mark.parametrize(("start", "drawn"), [
    ("0" * 30 + "139", 139), ("2147483647", 2147483647), ("-5", -5), ("-0", 0), ("1e3", 1), ("+-3", 1), ("٣", 1),
    ("2147483648", 1), ("13912345678", 1), ("9" * 5000, 1),  # beyond a 32-bit integer the browser draws 1
])
def test_a_lists_start_is_read_as_chromium_reads_it(start, drawn):
    """Measured in Chromium (`ol.start`); thousands of digits are no traceback (Python's int() refuses them)."""
    assert visible(f'<ol start="{start}"><li>甲</li></ol>').unloaded == (f"{drawn}. 甲",)


def test_right_to_left_runs_are_also_read_reversed():
    assert "13912345678" in visible("<p><bdo dir=rtl>87654321931</bdo></p>").extra


def test_script_and_style_are_not_text():
    assert visible("<p>正文</p><script>13912345678</script><style>p{}</style>").units == ("正文",)


def test_fold_sees_through_encodings():
    cases = {
        "13&#57;12345678": "13912345678", "13&#x39;12345678": "13912345678", "1\u200b39\u2060\u00ad1\ufeff2": "13912",
        "１３９": "139", "𝟏𝟑𝟗": "139", "①②③": "123", "١٢٣": "123", "¹²³": "123", "1\u0332\u20e3": "1",
        "－—–‐": "----", "\u00a0\u3000\u2009": "   ", "機密": "机密", "台灣總統": "台湾总统", "a&amp;b": "a&b",
        "13\u180e912": "13912", "1\u31642\u28003": "1 2 3",  # U+180E is drawn as nothing; a Hangul filler as a gap
        "\u2ea0\u2ee2\u2ed3\u2f08\u31d0": "民马长人一",  # radicals and strokes are the ideographs they are drawn like
    }
    for text, read in cases.items():
        assert fold(text) == read, text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_mapped_is_fold_with_origins(text):
    folded, origins = fold_mapped(text)
    assert folded == fold(text)
    assert len(origins) == len(folded)
    assert origins == sorted(origins) and all(0 <= origin < len(text) for origin in origins)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("&#x39;0123456789abc<>amp") + ["&#57;", "&#x1D7CF;", "&lt;", "&amp;#57;"])).map("".join))
@example("&#3&")  # a reference that decodes to nothing keeps the character after it
def test_fold_mapped_with_references(text):
    assert fold_mapped(text)[0] == fold(text)


def test_characters_left_unfolded_fold_to_themselves():
    """The fast path of `fold` (text of such characters only) must agree with the table, for every code point."""
    from gongkai.reader_text import _AS_READ, _fold_char

    kept = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF and not _AS_READ.match(chr(code))]
    assert len(kept) > 15_000  # ASCII, punctuation and the simplified ideographs
    assert [hex(code) for code in kept if _fold_char(chr(code)) != chr(code)] == []
    assert [hex(code) for code in kept if _fold_char(chr(code), numerals=False) != chr(code)] == []


def test_ids_are_anchors_scanned_not_indexed():
    page = visible('<h2 id="13912345678">电话139甲1234乙5678</h2><p>见<sup id="fnref:1">1</sup></p>')
    assert page.anchors == ("13912345678", "fnref:1")
    assert "13912345678" not in page.text and "13912345678" not in page.extra


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", " if gk_site.members ", " else ", " endif ", " if x ", "-",
                                 "机密", "139", "\n", "<b>", "a"])).map("".join))
def test_a_template_keeps_its_offsets_and_prints_no_more_than_its_text(source):
    from gongkai.reader_text import template_source

    kept = template_source(source, "gk_site.members")
    assert len(kept) == len(source) and [i for i, ch in enumerate(kept) if ch == "\n"] == [i for i, ch in enumerate(source) if ch == "\n"]
    printed = template_html(source, "gk_site.members").replace(VALUE, "")
    assert len(printed) <= len(source) and "{{" not in template_html(source.replace("}}", ""))


def test_css_escapes_are_decoded():
    from gongkai.reader_text import css_shown

    assert css_shown('a{content:"\\673A\\5BC6 \\2605\\31 39\\\n1\\"\\110000"}') == 'a{content:"机密★1391"\ufffd"}'


@settings(max_examples=10, deadline=10_000)
@given(piece=st.sampled_from(["{{", "{%", "{#", "{% if gk_site.members %}", "{% endif %}", "\\", "\\31 ", "{{ x }}"]),
       count=st.integers(5_000, 50_000))
def test_templates_and_stylesheets_are_read_in_linear_time(piece, count):
    from gongkai.reader_text import css_shown, template_html, template_source

    template_html(piece * count, "gk_site.members")
    template_source(piece * count, "gk_site.members")
    css_shown(piece * count)


@settings(max_examples=12, deadline=10_000)
@given(piece=st.sampled_from(["a:", ":", '"', "'\\", "content:", 'content:"1"', "/*", "counter-reset:n 1;", "counter(n)",
                              "{", "}", "\\31 ", "a{b:c}"]),
       count=st.integers(5_000, 100_000))
def test_stylesheets_are_read_as_declarations_in_linear_time(piece, count):
    from gongkai.reader_text import css_declarations, css_generated

    list(css_declarations(piece * count))
    css_generated(piece * count)


def test_what_a_stylesheet_draws_is_read_as_drawn():
    from gongkai.reader_text import css_declarations, css_generated

    css = ('/* content: "0" */ a:hover { color: red } .x::before { cont\\65nt: "139" \'12\\33 4\' counter(n) }\n'
           'body { counter-reset: n 5678 m } q { quotes: "机" "密" } p { content: "unclosed')
    assert [d.name for d in css_declarations(css)] == ["color", "content", "counter-reset", "quotes", "content"]
    assert css_generated(css) == ("13912345678", "机密", "unclosed", "13912345678机密unclosed")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=200))
@example("薴苧")  # 薴 → 苧 → 苎
def test_traditional_characters_fold_one_for_one(text):
    """Each ideograph reads as one simplified ideograph (機→机, 總→总, 机→机): offsets stay, and folding twice changes nothing."""
    folded = fold(text)
    assert len(folded) == len(text) and fold(folded) == folded


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(list("13９①&#;x\n 机密\u200b\u2028")), st.characters())), st.booleans())
def test_fold_mapped_maps_each_character_where_folding_it_alone_would(text, numerals):
    """Runs of characters folding leaves alone are mapped at once: the origins are those of folding one by one."""
    if "&" in text:
        return  # references: test_fold_mapped_with_references
    _mapped_as_one_by_one(text, numerals)


def _mapped_as_one_by_one(text: str, numerals: bool) -> None:
    from gongkai.reader_text import _fold_char

    folded, origins = fold_mapped(text, numerals=numerals)
    pieces = [(_fold_char(char, numerals) or "", offset) for offset, char in enumerate(text)]
    assert folded == "".join(piece for piece, _ in pieces)
    assert origins == [offset for piece, offset in pieces for _ in piece]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("13９①#;x\n 机密機\u200b\u2028\u00ad\x85ﬁ½é\u3000")), st.characters()),
                min_size=300, max_size=3000).map("".join), st.booleans())
@example("é" * 300 + "ﬁ\u200b" * 200 + "13912345678", True)
def test_text_folding_changes_throughout_is_mapped_as_one_by_one(text, numerals):
    """Binary data read as text changes nearly every character: such a span is folded at once, with the same origins."""
    _mapped_as_one_by_one(text.replace("&", ""), numerals)


def test_a_megabyte_of_binary_data_is_folded_at_once():
    """A picture's private chunk of random bytes: folded in one pass, not a Python step for each of its characters."""
    import os

    from gongkai import reader_text

    text = os.urandom(1 << 20).decode("latin-1").replace("&", "")  # references: a span each side
    calls = 0
    original = reader_text._fold_dense

    def counted(*args):
        nonlocal calls
        calls += 1
        original(*args)

    reader_text._fold_dense = counted
    try:
        folded, origins = fold_mapped(text)
    finally:
        reader_text._fold_dense = original
    assert calls == 1 and folded == fold(text) and len(origins) == len(folded)


def test_a_large_table_of_one_digit_cells_is_read_in_linear_time():
    """Each row is read alone and on into the next at its long cells: never the whole table at once, nor a row once per
    row after it (30,000 rows of nine one-digit cells)."""
    import time

    rows = "".join(f"<tr><td>{n % 10_000:04d}</td>" + "<td>1</td>" * 7 + f"<td>{n % 10_000:04d}</td></tr>" for n in range(30_000))
    started = time.process_time()
    page = visible(f"<table>{rows}</table>")
    assert len(page.units) == 270_000 and len(page.joined) == 30_000 + 29_999
    assert max(map(len, page.joined)) < 40 and time.process_time() - started < 20


_CONTROLS = str.maketrans(dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\u202e", "\u202c", "\u200f", "\u2067", "\u2069", "\n", "机", "密", "★", "1", "年", "a",
                                 "\u05d0", "&#x202e;", " "])).map("".join))
def test_what_bidirectional_text_shows_is_a_reordering_of_each_line(text):
    from gongkai.reader_text import displayed

    shown = displayed(text)
    if not set(text) & set("\u202e\u200f\u2067\u05d0"):
        assert shown is None
        return
    if shown is None:
        return  # nothing moved
    reordered, origins = shown
    assert sorted(origins) == list(range(len(text)))  # every character once, each from its own stretch of its line
    for line, shown_line in zip(text.split("\n"), reordered.split("\n"), strict=True):  # never across a line
        assert sorted(line) == sorted(shown_line)
    assert all(text[origin] == "\n" for origin, char in zip(origins, reordered, strict=True) if char == "\n")


def test_an_override_shows_its_run_reversed_up_to_its_pop_or_the_lines_end():
    from gongkai.reader_text import displayed

    shown = displayed("甲\u202e年1★密机\u202c乙\u202e丙丁\n戊")
    assert shown is not None and shown[0].translate(_CONTROLS) == "甲机密★1年乙丁丙\n戊"


@pytest.mark.parametrize(("text", "drawn"), [
    ("电话\u200f5678\u200f1234\u200f139", "电话13912345678"),  # marks alone swap the groups
    ("电话139 \u05d0 5678 1234", "电话139 1234 5678 \u05d0"),  # a Hebrew letter: only the groups after it swap
    ("电话\u2067 5678\u200f1234\u200f139\u2069", "电话13912345678 "),  # an isolate
])
def test_marks_letters_and_isolates_reorder_as_unicodes_algorithm_says(text, drawn):
    from gongkai.reader_text import displayed

    shown = displayed(text)
    assert shown is not None and shown[0].translate(_CONTROLS) == drawn


@pytest.mark.parametrize("table", [
    "<table><tbody><tr><td>808081237</td></tr></tbody><thead><tr><th>110105198</th></tr></thead></table>",
    "<table><tfoot><tr><td>808081237</td></tr></tfoot><tbody><tr><td>110105198</td></tr></tbody></table>",
    "<table><tr><td>808081237</td></tr><caption>110105198</caption></table>",
    "<table><tfoot><tr><td>808081237</td></tr></tfoot><caption>110105198</caption></table>",
])
def test_a_table_is_read_in_the_order_a_browser_draws_it(table):
    """The caption above, the first <thead> at the top and the first <tfoot> at the bottom, wherever the HTML writes
    them: a number split between them reads on from the top as it does on the page."""
    read = visible(table)
    assert read.units == ("110105198", "808081237")
    assert "110105198 808081237" in read.joined


@pytest.mark.parametrize("stylesheet", ["a{b:url(" * 100_000, "image-set(" * 100_000 + '"x"', "(" * 200_000, "url(" * 100_000])
def test_what_a_stylesheet_loads_is_read_in_linear_time(stylesheet):
    """Each unclosed `url(` once read the rest of the file: 20,000 of them took 146 s."""
    import time

    from gongkai.reader_text import css_urls

    started = time.process_time()
    found = list(css_urls(stylesheet))
    assert time.process_time() - started < 5
    assert found or stylesheet.startswith("(")


def test_a_paragraph_of_thousands_of_links_is_read_in_linear_time():
    """Each link's close joined its whole paragraph again to name it: 20,000 links took 29 s."""
    import time

    started = time.process_time()
    page = visible("<p>" + '<a href="#a">链接</a>，' * 20_000 + "</p>")
    assert time.process_time() - started < 5 and len(page.units) == 1


def test_lists_nested_deep_hold_their_text_once_more_not_once_a_level():
    """Each of 500 nested lists joined all of its items: 800 KB of body held 400 million characters (2 GB)."""
    body = "<ul>" * 500 + ("<li>" + "甲" * 100_000) * 2 + "</ul>" * 500
    page = visible(body)
    assert sum(map(len, page.joined)) < 3 * 200_000


@pytest.mark.parametrize("tail", ["", "<li>" + "乙" * 1000 + "</li>"])
def test_a_number_split_at_the_edge_of_an_inner_list_is_still_joined(tail):
    page = visible(f"<ul><li>身份证110105198</li><li><ul><li>808081237</li>{tail}</ul></li></ul>")
    assert any("110105198 808081237" in group for group in page.joined)


def test_a_lone_surrogate_beside_right_to_left_text_is_read_past():
    """A text decoded leniently may hold a lone surrogate, which the bidirectional algorithm's library refuses."""
    import datetime as dt

    from gongkai.checks import pii

    assert [f.number for f in pii.find("电话\ud800 \u05d0 5678 1234 139", dt.date(2026, 12, 4))] == ["13912345678"]


@pytest.mark.parametrize("level", ["<h1><div>", "<table><tr><td>", "<dl><dt><section>"])
def test_named_elements_nested_deep_hold_their_text_once_more_not_once_a_level(level):
    """Headings (cells, terms) nested 250 deep, each named with the blocks inside: 800 KB of body held a copy of its text
    at each level, 1 GB. An inner one stands in an outer one's name by its edges."""
    from gongkai.sanitize import sanitize

    body = level * 250 + ("<p>" + "甲" * 100_000 + "</p>") * 2
    page = visible(sanitize(body))
    assert sum(map(len, page.extra)) < 3 * 200_000


def _svg_data(text: str, base64_encoded: bool = True) -> str:
    import base64
    from urllib.parse import quote

    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text y="20">{text}</text></svg>'
    return ("data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode() if base64_encoded
            else "data:image/svg+xml;charset=utf-8," + quote(svg))


@pytest.mark.parametrize("html", [
    '<p>页脚<img alt="" src="{}"></p>',
    '<img srcset="logo.png 1x, {} 2x">',
    '<video poster="{}"></video>',
    '<object data="{}"></object>',
    '<div style="background: url(\'{}\')">页脚</div>',
    '<img src="data:text/html,{}">',  # a page within: its pictures are read too
])
@pytest.mark.parametrize("base64_encoded", [True, False])
def test_the_text_of_a_picture_drawn_from_a_data_address_is_read(html, base64_encoded):
    """A template's picture written into a `data:` address draws its SVG's text on every page."""
    from urllib.parse import quote

    address = _svg_data("机密★1年 13912345678", base64_encoded)
    page = visible(html.format(quote(f'<img src="{address}">') if html.startswith('<img src="data:text/html') else address))
    assert any("机密★1年 13912345678" in text for text in page.scanned())


def test_a_raster_picture_or_a_broken_data_address_reads_as_nothing_and_nesting_is_bounded():
    from urllib.parse import quote

    assert visible('<img src="data:image/png;base64,iVBORw0KGgo=">').scanned() == ()
    assert visible('<img src="data:image/svg+xml;base64,@@@">').scanned() == ()
    nested = "13912345678"
    for _ in range(20):
        nested = "data:text/html," + quote(f'<img src="{nested}">')
    visible(f'<img src="{nested}">')  # 20 levels deep: read to a bound, not recursed without end


@given(st.text(max_size=200), st.sampled_from(["", ";base64", "image/svg+xml;base64", "text/html", "image/png"]))
@settings(max_examples=300, deadline=None)
def test_any_data_address_reads_without_raising(payload, header):
    from gongkai.reader_text import data_url_text

    assert isinstance(data_url_text(f"data:{header},{payload}"), str)


@pytest.mark.parametrize("href, shown", [
    ("https://xn--4gqajwb61cukhc779asa204m.cn/", "https://一三九一二三四五六七八.cn/"),
    ("https://www.XN--v6q620co42arbd.cn/办事", "https://www.内部资料.cn/办事"),
    ("mailto:ban@xn--v6q620co42arbd.cn", "mailto:ban@内部资料.cn"),
])
def test_a_hosts_punycode_is_read_as_the_browser_shows_it(href, shown):
    """The status bar and the address bar show a host's punycode labels in Unicode: read as they show."""
    assert shown in visible(f'<p><a href="{href}">办事指南</a></p>').scanned()


_TEXT = "12345678" * 2_500  # 20,000 characters, digits: what every view of rows and runs would carry on
# One level of each element `visible` treats specially, around `{}` (the next level in): rows (a number read on from
# one row's last cells into the next), right-to-left runs (read reversed), raised text (read past when note-like), named
# elements (headings, cells, links: read with the blocks inside), lists and their numbers, struck, preformatted and
# capitalised text, a caption.
_LEVELS = {
    "row": "<table><tr><td>{}</td></tr><tr><td>12345678</td></tr></table>",
    "row and cell": "<table><tr><td>12345678</td><td>{}</td></tr><tr><td>12345678</td></tr></table>",
    "caption": "<table><caption>12345678 {}</caption><tr><td>12345678</td></tr></table>",
    "bdo": "<bdo>{}</bdo>",
    "dir": '<div dir="rtl">{}</div>',
    "span dir": '<span dir="RTL">1{}</span>',
    "sup": "<sup>{}</sup>",
    "sub and del": "<sub><del>{}</del></sub>",
    "ordered list": '<ol start="139"><li>{}</li></ol>',
    "definition": "<dl><dt>1234<div>{}</div></dt></dl>",
    "heading": "<h5><div>1234</div>{}</h5>",
    "pre": "<pre>1\n{}</pre>",
    "svg link": "<svg><a><foreignObject><div>1234</div></foreignObject>{}</a></svg>",
}


@pytest.mark.parametrize("kind", sorted(_LEVELS))
def test_every_view_of_a_nested_shape_holds_its_text_a_few_times_not_once_a_level(kind):
    """Rows of digits nested 100 deep carried the whole text below them into the next row at every level (1 MB of body
    held 101 million characters of joined rows), and <bdo> nested 2,500 deep in a template reversed it at every level.
    Whatever the element, the views together hold the text a few times, and each level adds at most a few edges."""
    body = "{}"
    for _ in range(150):
        body = body.format(_LEVELS[kind].replace("{}", "{{}}"))
    page = visible(body.format(_TEXT))
    views = page.units + page.extra + page.joined + page.anchors + page.unloaded
    assert sum(map(len, views)) < 8 * len(_TEXT) + 150 * 4 * 128


def test_a_number_split_across_rows_beside_a_nested_table_is_still_joined():
    page = visible("<table><tr><td><table><tr><td>甲</td></tr></table></td><td>身份证110105198</td></tr>"
                   "<tr><td>808081237</td></tr></table>")
    assert "身份证110105198 808081237" in page.joined


def test_nested_right_to_left_runs_are_each_read_reversed_as_drawn():
    page = visible("<p><bdo>87<bdo>65</bdo>43</bdo>21</p>")
    assert "345678" in page.extra and "56" in page.extra


@pytest.mark.parametrize(("raised", "read_past"), [("<sup><sup>1</sup></sup>", True), ("<sup> <sub>1</sub> </sup>", True),
                                                  ("<sup>1<sup>2</sup>34</sup>", False), ("<sup><b>注</b>1</sup>", True)])
def test_nested_raised_text_is_judged_by_all_of_its_text(raised, read_past):
    page = visible(f"<p>电话139{raised}12345678</p>")
    assert ("电话13912345678" in page.extra) is read_past


def test_a_text_is_read_past_its_note_marks_once_for_every_scan(monkeypatch):
    """The number, secrecy-mark and lexicon scans of one text each read it past its note marks: a megabyte of `1①`
    runs took a check 10 s, 6 of them in these readings, each in a pattern whose class of astral numerals `re`
    tried against every character of a text holding none. Now one reading, by the pattern without them."""
    import datetime as dt
    import importlib

    from gongkai import reader_text
    from gongkai.bmp_regex import BmpFirst
    from gongkai.checks import marks, pii

    lexicon_views = importlib.import_module("gongkai.lexicon.visible")

    quick, past = reader_text._notes_read_past_pattern()
    assert isinstance(past, BmpFirst)
    reads = []

    class Counted:
        def sub(self, replacement, text):
            reads.append(len(text))
            return past.sub(replacement, text)

    monkeypatch.setattr(reader_text, "_notes_read_past_pattern", lambda: (quick, Counted()))
    reader_text.notes_read_past.cache_clear()
    text = "机密①★ 电话139¹12345678 北①朝鲜 " * 100
    assert [finding.number for finding in pii.find(text, dt.date(2021, 12, 31))][:1] == ["13912345678"]
    assert [word for _, _, _, word in marks.find_marks(text)][:1] == ["机密"]
    assert len(list(lexicon_views.seen_views(text))) == 2
    assert reads == [len(text)]
