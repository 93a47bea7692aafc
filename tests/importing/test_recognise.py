"""Dates, 文号 and titles as a 公文 writes them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gongkai.importing.blocks import Paragraph
from gongkai.importing.numbering import MAX_START, Numbering, chinese_number, format_number
from gongkai.importing.recognise import parse_date, recognise

DIGITS = "〇一二三四五六七八九"


def chinese_date(day: dt.date) -> str:
    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_chinese_and_arabic_date_lines(day: dt.date):
    assert parse_date(chinese_date(day)) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日") == day


def test_not_dates():
    for text in ("二〇二五年二月三十日", "2025年13月1日", "2025年3月5日印发", "于2025年3月5日", "二〇二五年三月", ""):
        assert parse_date(text) is None, text
    assert parse_date("二○二五年十二月三十一日") == dt.date(2025, 12, 31)  # ○ (U+25CB), as often typed


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]


def test_head_title_and_date():
    blocks = [
        Paragraph(["青禾县住房和城乡建设局文件"], red=True, align="center"),
        Paragraph(["青住建〔2025〕7号\u3000\u3000签发人：王强"], align="center"),
        Paragraph(["关于做好2025年农村危房"], align="center"),
        Paragraph(["改造工作的通知"], align="center"),
        Paragraph(["各乡镇人民政府："]),
        Paragraph(["正文。"]),
        Paragraph(["二〇二五年三月五日"], align="right"),
        Paragraph(["抄送：县政府办公室。"]),
    ]
    found = recognise(blocks)
    assert (found.title, found.doc_no, found.written) == ("关于做好2025年农村危房改造工作的通知", "青住建〔2025〕7号", dt.date(2025, 3, 5))
    assert [b.text for b in found.body if isinstance(b, Paragraph)] == ["各乡镇人民政府：", "正文。", "二〇二五年三月五日"]
    assert any("抄送" in d for d in found.dropped) and any("文件" in d for d in found.dropped)


def test_a_plain_document_has_its_first_line_as_title():
    found = recognise([Paragraph(["住建局工作动态"]), Paragraph(["今日召开会议。"])])
    assert found.title == "住建局工作动态" and not found.doc_no and found.written is None



def test_a_first_paragraph_too_long_for_a_title_stays_in_the_body():
    """A document that starts with its text, no title line: its first paragraph was taken for the title, cut to
    200 characters, and the rest of it was in neither the title nor the body."""
    first = "为进一步做好保障性住房工作，" + "现将有关事项通知如下，" * 30 + "请认真贯彻执行。"
    found = recognise([Paragraph([first]), Paragraph(["今日召开会议。"])])
    assert found.title == ""
    assert [block.text for block in found.body if isinstance(block, Paragraph)] == [first, "今日召开会议。"]


FORMATS = ["decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "chineseCounting",
           "ideographTraditional", "decimalFullWidth", "decimalEnclosedCircle", "none", "bullet", "x"]


@given(st.integers(min_value=-(10**30), max_value=10**30), st.sampled_from(FORMATS))
def test_a_label_costs_what_its_number_has_digits(n: int, fmt: str):
    """A file sets a list's start to any number: its label is short and made at once (lowerLetter of 10¹²
    would be a 38 GB string, roman a loop of 10⁹ steps)."""
    assert len(format_number(n, fmt)) <= max(40, len(str(n)) + 1)


def test_a_files_list_settings_are_held_to_words_bounds():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    root = document.part.numbering_part.element
    root.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="{10**15}"/>'
                          f'<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="{"%1" * 100_000}"/></w:lvl></w:abstractNum>'))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="7"><w:abstractNumId w:val="7"/></w:num>'))
    label, fmt = Numbering.of(document).label("7", 0)
    assert fmt == "lowerLetter" and len(label) <= 64 * 6 and label.startswith(str(MAX_START))


def _chained_styles(styles: int, paragraphs: int, hidden_at: int | None = None):
    """A document of `paragraphs` paragraphs in the last of `styles` styles, each based on the one before; the first
    style centred, and the one at `hidden_at` hiding its text."""
    import io
    import zipfile

    import docx

    base = io.BytesIO()
    docx.Document().save(base)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    chain = ['<w:style w:type="paragraph" w:styleId="s0"><w:pPr><w:jc w:val="center"/></w:pPr></w:style>']
    chain += [f'<w:style w:type="paragraph" w:styleId="s{i}"><w:basedOn w:val="s{i - 1}"/>'
              + ('<w:rPr><w:vanish/></w:rPr>' if i == hidden_at else "") + "</w:style>" for i in range(1, styles)]
    body = "".join(f'<w:p><w:pPr><w:pStyle w:val="s{styles - 1}"/></w:pPr><w:r><w:t>段{i}</w:t></w:r></w:p>'
                   for i in range(paragraphs))
    parts = {"word/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:styles {w}>{"".join(chain)}</w:styles>',
             "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{body}</w:body></w:document>'}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, parts.get(info.filename, zin.read(info.filename)))
    return docx.Document(io.BytesIO(out.getvalue()))


def test_a_chain_of_styles_is_walked_once_not_once_a_paragraph():
    """4,000 styles each based on the one before, under 1,000 paragraphs, took 80 s to import (3 lookups a paragraph
    walked the whole chain); what a paragraph inherits is still what its chain sets."""
    import time

    from gongkai.importing.blocks import DocumentReader

    started = time.process_time()
    blocks = DocumentReader(_chained_styles(4000, 1000)).blocks()
    assert time.process_time() - started < 10
    paragraphs = [block for block in blocks if isinstance(block, Paragraph)]
    assert len(paragraphs) == 1000 and all(paragraph.align == "center" for paragraph in paragraphs)
    hidden = DocumentReader(_chained_styles(50, 3, hidden_at=20)).blocks()  # w:vanish inherited from the 20th style
    assert [block.text for block in hidden if isinstance(block, Paragraph)] == ["", "", ""]
