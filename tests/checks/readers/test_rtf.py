"""RTF (a DOCX's altChunk, a zipped file): every group a reader can show or reveal, never the data groups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import pii, privacy
from gongkai.readers.rtf import rtf_text

from ..samples import MARK, docx_with, findings, office_zip, planted


def _rtf(body: str) -> bytes:
    return ("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}}{\\colortbl;\\red0\\green0\\blue0;}"
            + body + "}").encode("ascii")


def _gbk(text: str) -> str:
    return "".join(f"\\'{byte:02x}" for byte in text.encode("gbk"))


def test_text_in_every_group_is_read_and_data_groups_are_not():
    found = rtf_text(_rtf(
        f"{{\\header {_gbk('页眉')} {planted(1)}}}{{\\footer {planted(2)}}}\\pard {_gbk('张三')} {planted(3)}\\par"
        f"{{\\*\\annotation {planted(4)}}}{{\\footnote {planted(5)}}}{{\\info{{\\title {planted(6)}}}}}"
        f"{{\\field{{\\*\\fldinst HYPERLINK \"tel:{planted(7)}\"}}{{\\fldrslt {_gbk('电话')}}}}}"
        "\\u26426?\\u23494?\\u9733?1\\u24180?"
        "{\\*\\themedata 13900000000139000000001390000000}{\\pict\\pngblip 13900000000}"
        "{\\object{\\*\\objdata 0105000002000000}}"))
    text = found.text
    assert "张三" in text and "机密★1年" in text and "?" not in text
    assert [number.number for number in pii.find(text, __import__("datetime").date(2026, 1, 1))] == [
        planted(n) for n in range(1, 8)]
    assert found.objects  # the embedded object is named as unread


def _listed(level_text: str) -> bytes:
    """An RTF whose one list draws `level_text` (its \\leveltext, length byte first) before its paragraph."""
    return _rtf("{\\*\\listtable{\\list\\listtemplateid1{\\listlevel\\levelnfc0\\levelstartat1{\\leveltext"
                f"\\'{len(level_text.encode('utf-16-le')) // 2:02x}{level_text};}}{{\\levelnumbers;}}}}\\listid1}}}}"
                "{\\*\\listoverridetable{\\listoverride\\listid1\\ls1}}\\pard\\ls1\\ilvl0 notice\\par")


@pytest.mark.parametrize(("level_text", "code"), [
    ("\\u26426?\\u23494?\\u9733?", "GK401"),  # 机密★ drawn before the paragraph
    (planted(1), "GK303"),
    ("139\\'00", "GK305"),  # 139 beside the level's number: from 12345678 on, a phone number
])
def test_what_a_list_level_draws_before_its_paragraphs_is_read(site, level_text, code):
    """Word draws a list level's text (\\leveltext in \\listtable) before each of its paragraphs; the list table was
    skipped as data (rt46 F2)."""
    site.attach("a.doc", _listed(level_text))
    site.item(attachments=[{"title": "通知", "file": "a.doc"}])
    problems = site.check()
    assert [p for p in problems if p.code == code and "a.doc" in p.message], [p.message for p in problems]


def test_a_plain_numbered_list_is_let_be(site):
    site.attach("a.doc", _listed("\\'00."))
    site.item(attachments=[{"title": "通知", "file": "a.doc"}])
    assert [p.message for p in site.check() if p.code.startswith(("GK30", "GK40"))] == []


@pytest.mark.parametrize("document", [
    "{{\\f1 {text}}}",  # a run in a GBK font
    "\\f1 {text}",  # the font set until the end
    "{text}",  # the default font (\\deff1) is the GBK one
    "\\f0 {{\\f1\\fs24 {text}}}",  # within a group that returns to the other font
])
def test_bytes_are_read_in_the_code_page_of_their_fonts_charset(document):
    """Word reads a run's \\'hh bytes in the code page of its font's \\fcharset, whatever \\ansicpg says: read in
    Windows-1252 only, 机密★ written in a GB2312 font was Latin letters."""
    deff = "\\deff1" if document == "{text}" else "\\deff0"
    body = document.format(text=_gbk(f"{MARK} 电话 {planted(1)}"))
    found = rtf_text((f"{{\\rtf1\\ansi\\ansicpg1252{deff}{{\\fonttbl{{\\f0\\froman Times New Roman;}}"
                      f"{{\\f1\\fnil\\fcharset134 SimSun;}}}}{body}\\par}}").encode("ascii"))
    assert f"{MARK} 电话 {planted(1)}" in found.text


def test_a_font_of_the_documents_code_page_leaves_its_runs_as_they_were():
    found = rtf_text(_rtf(f"\\f0 {_gbk('张三')}\\plain {_gbk('李四')}"))
    assert "张三李四" in found.text


def test_binary_data_after_bin_is_not_text_but_a_file_of_its_own():
    found = rtf_text(_rtf("before\\bin11 13912345678 after"))
    assert found.text.split() == ["before", "after"]
    assert found.binaries == [b"13912345678"]


def _jpeg_with_comment(text: str) -> bytes:
    body = text.encode()
    return b"\xff\xd8\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body + b"\xff\xda\x00\x02\xff\xd9"


def test_pictures_and_raw_bytes_in_an_rtf_are_read_as_the_files_they_are(site):
    """A picture in an RTF (a Word document saved as .doc) is the file a reader saves from it: its metadata, its
    description and the raw bytes `\\bin` writes outside it are scanned, and the pictures are named for the eye."""
    in_hex = _jpeg_with_comment(f"联系人{planted(1)}").hex()
    raw = _jpeg_with_comment(f"{MARK} {planted(2)}")
    document = _rtf("")[:-1] + (
        f"{_gbk('正文')}\\par{{\\pict{{\\*\\picprop{{\\sp{{\\sn wzDescription}}{{\\sv {planted(3)}}}}}}}"
        f"\\jpegblip{{\\*\\blipuid 0123456789abcdef0123456789abcdef}}{in_hex}}}"
        f"{{\\*\\shppict{{\\pict\\jpegblip\\bin{len(raw)} ").encode("ascii") + raw + (
        f"}}}}{{\\nonshppict{{\\pict\\wmetafile8 0100090000}}}}\\bin11 {planted(4)}\\par}}").encode("ascii")
    mobiles, marks = findings(site, "a.doc", document)
    assert sorted(problem.message.split("139****")[1][:4] for problem in mobiles) == ["0001", "0002", "0003", "0004"]
    assert marks and "第 2 张图片" in marks[0].message
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "3 张图片" in unread.message


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_without_error(data):
    assert isinstance(rtf_text(b"{\\rtf1 " + data).text, str)


def test_an_rtf_alt_chunk_is_scanned(site):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
    parts["word/afchunk.rtf"] = _rtf(f"{_gbk('联系人')} {planted(1)}\\par {_gbk('机密★1年')}")
    mobiles, marks = findings(site, "a.docx", office_zip(parts))
    assert mobiles and "afchunk.rtf" in mobiles[0].message and marks
    assert not site.problems(privacy.NOT_SCANNED.code)


def _ole1(kind: str, native: bytes) -> bytes:
    """An OLE 1.0 embedded object as RTF's \\objdata holds it: version, format, class name, topic, item, data."""
    name = kind.encode("latin-1") + b"\0"
    return (b"\x01\x05\x00\x00" + b"\x02\x00\x00\x00" + len(name).to_bytes(4, "little") + name
            + bytes(8) + len(native).to_bytes(4, "little") + native)


def _rtf_with_object(kind: str, native: bytes) -> bytes:
    hexed = _ole1(kind, native).hex()
    lines = "\n".join(hexed[at:at + 64] for at in range(0, len(hexed), 64))
    return (b"{\\rtf1\\ansi\\ansicpg936 \\par \xd5\xfd\xce\xc4\\par {\\object\\objemb{\\*\\objclass " + kind.encode()
            + b"}\\objw100\\objh100{\\*\\objdata " + lines.encode() + b"}}}")


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200)


@pytest.mark.parametrize(("kind", "native", "said"), [
    ("Equation.3", b"\x1c\x00\x00\x00\x02\x00" + bytes(60), "公式编辑器 3.0 对象"),
    ("Package", b"\x02\x00" + "发票.exe".encode("gb18030") + b"\x00C:\\t\\" + "发票.exe".encode("gb18030") + b"\x00" + bytes(8),
     "嵌入的程序或脚本“发票.exe”"),
    ("Word.Document.8", _OLE2 + "_VBA_PROJECT".encode("utf-16-le") + bytes(16), "宏（VBA）"),
])
def test_an_rtf_object_that_runs_something_is_an_error(site, kind, native, said):
    """An RTF (saved as .doc, which Word opens) embeds objects in hex: Equation Editor 3.0, the usual way into a
    reader's computer, a packaged program, or a document with macros are GK317."""
    site.attach("a.doc", _rtf_with_object(kind, native))
    site.item(attachments=[{"title": "通知", "file": "a.doc"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert "第 1 个嵌入对象" in problem.message and said in problem.message


def test_an_rtf_embedding_a_plain_workbook_passes(site):
    site.attach("a.doc", _rtf_with_object("Excel.Sheet.8", _OLE2))
    site.item(attachments=[{"title": "通知", "file": "a.doc"}])
    assert site.problems(privacy.SCRIPT.code) == []


def test_megabytes_of_embedded_hex_are_read_within_the_reading_bound(site):
    """An object's and a picture's hex were decoded a byte at a time in Python (10 MB: 6.4 s of the reading's 8 s);
    several megabytes of either now leave time to spare, and what the object runs is still found."""
    native = b"\x1c\x00\x00\x00\x02\x00" + bytes(4 << 20)
    site.attach("a.doc", _rtf_with_object("Equation.3", native))
    site.item(attachments=[{"title": "通知", "file": "a.doc"}])
    problems = site.check()
    assert [p.code for p in problems if p.code == privacy.UNREADABLE.code] == []
    assert len([p for p in problems if p.code == privacy.SCRIPT.code]) == 1


def test_a_field_word_computes_again_as_it_opens_is_named_for_the_reviewer(site):
    """`\\flddirty`: Word works the field's result out again as it opens the file (rt41): 139 then a QUOTE field of
    12345678 with an empty stored result shows a mobile number."""
    data = _rtf(f"{_gbk('联系电话')}139{{\\field\\flddirty{{\\*\\fldinst QUOTE \"12345678\"}}{{\\fldrslt }}}}\\par")
    assert rtf_text(data).recomputed and not rtf_text(_rtf("{\\field{\\*\\fldinst PAGE}{\\fldrslt 1}}")).recomputed
    site.attach("a.doc", data)  # an RTF saved as .doc, as Word opens it
    site.item(attachments=[{"title": "材料", "file": "a.doc"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "标记为待更新的域" in problem.message


def _field(code: str, result: str = "1", marks: str = "") -> str:
    return f"{{\\field{marks}{{\\*\\fldinst {code}}}{{\\fldrslt {result}}}}}"


_FROM_139 = "\\sectd\\pgnstarts139\\pgnrestart "  # the section's pages are numbered from 139


def _named(site, data: bytes) -> list[str]:
    site.attach("a.doc", data)  # an RTF saved as .doc, as Word opens it
    site.item(attachments=[{"title": "材料", "file": "a.doc"}])
    return [problem.message for problem in site.problems(privacy.NOT_SCANNED.code)]


@pytest.mark.parametrize("code", ["PAGE", "NUMPAGES", "DATE \\\\@ \"yyyyMMdd\"", "SECTION", " page \\\\* MERGEFORMAT"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_field_word_computes_as_it_lays_out_beside_digits_is_named_as_in_a_word_document(site, code, where):
    """RTF had no "computed field beside digits" rule (rt42 F2): `{PAGE}12345678` from page 139 showed 13912345678 on
    the first page while the reader read the stored `1` on a line apart. The field is judged by the DOCX reader's rule
    and named in its words."""
    field = _field(code)
    body = f"{_gbk('电话')}{field}12345678" if where == "before" else f"{_gbk('电话')}1391234{field}"
    [message] = _named(site, _rtf(_FROM_139 + body + "\\par"))
    assert "第 1 行" in message and "显示时才计算的域紧挨着数字" in message


def test_a_field_word_computes_in_a_footer_beside_digits_is_named(site):
    [message] = _named(site, _rtf(f"{_FROM_139}{{\\footer {_gbk('电话')}{_field('PAGE')}12345678\\par}}{_gbk('正文')}\\par"))
    assert "显示时才计算的域紧挨着数字" in message


@pytest.mark.parametrize("body", [
    f"{_gbk('第')}{_field('PAGE')}{_gbk('页')} 12345678",  # among words, the digits apart
    f"{_field('QUOTE 139')}{_gbk('号')}",  # a field Word leaves as stored, not beside digits
    "139" + _field('HYPERLINK "https://www.gov.cn/"', "www", "\\flddirty"),  # a link keeps its shown text
])
def test_a_field_not_beside_digits_or_kept_as_stored_is_let_be(site, body):
    assert _named(site, _rtf(_FROM_139 + body + "\\par")) == []


@pytest.mark.parametrize("code", [
    "PAGE \\\\# \"'1391234567'0\"",  # quoted literal digits in a numeric picture (rt42 F1)
    "PAGE \\\\# '1391234567'0",  # unquoted, as a word
    "DATE \\\\@ \"'139123456'yy\"",  # in a date picture
])
def test_a_computed_fields_picture_writing_digits_is_named(site, code):
    """A field's own picture switch writes literal digits into the result Word works out: `{ PAGE \\# "'1391234567'0" }`
    shows 13912345671 on page 1, which neither the stored result nor the code holds (rt42 F1, in RTF)."""
    [message] = _named(site, _rtf(f"Tel: {_field(code)}\\par"))
    assert "打开文件时由 Word 重新计算或填入的内容" in message


def test_a_fields_stored_result_is_read_among_the_words_around_it(site):
    """A field's result was read on a line apart from the words around it: a QUOTE field storing 139 before 12345678
    showed a mobile number no scan saw."""
    data = _rtf(f"{_gbk('电话')}{_field('QUOTE 139', '139')}12345678\\par")
    assert "13912345678" in rtf_text(data).shown
    mobiles, _ = findings(site, "a.doc", data)
    assert mobiles and "按显示的样子" in mobiles[0].message


def test_a_symbol_field_is_read_as_the_character_word_draws():
    found = rtf_text(_rtf(f"139{_field('SYMBOL 49', 'x')}2345678\\par"))
    assert "13912345678" in found.shown and "x" not in found.shown


def test_many_fields_in_one_paragraph_are_judged_in_linear_time():
    import time

    data = _rtf(_FROM_139 + "".join(_field("PAGE", "1") + _gbk("页") for _ in range(50_000)) + "\\par")
    started = time.process_time()
    found = rtf_text(data)
    assert not found.computed and time.process_time() - started < 4.0


@pytest.mark.parametrize("run", ["{\\f1 \\'ab}", "{\\f1 \\u-3925?}", "{\\f2 \\'ab}"])
def test_a_star_in_a_symbol_font_is_read_as_drawn(site, run):
    """Word writes Wingdings' ★ as \\'ab (or \\u-3925) in a \\fcharset2 font: read in the document's code page it was a
    GBK lead byte or «, and 机密★ passed. A \\fcharset2 font of another name is read as its codes (U+F0AB)."""
    document = ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fcharset134 SimSun;}{\\f1\\fnil\\fcharset2"
                "{\\*\\panose 05000000000000000000}Wingdings;}{\\f2\\fnil\\fcharset2 Private Symbols;}}"
                f"\\pard {_gbk('机密')}{run}\\par {_gbk('关于做好有关工作的通知')}\\par}}").encode("ascii")
    _, marks = findings(site, "a.doc", document)
    assert marks


def test_a_guillemet_in_a_text_font_stays_one():
    found = rtf_text(_rtf("{\\fonttbl{\\f3\\fcharset0 Arial;}}\\pard \\f3 \\'ab\\f0 " + _gbk("机密") + "\\par"))
    assert "★" not in found.text


_STYLE_FONTS = "{\\fonttbl{\\f0\\fcharset134 SimSun;}{\\f1\\fnil\\fcharset2 Wingdings;}}"


@pytest.mark.parametrize("styles, applied", [
    ("{\\s1\\f1 Sym;}", "\\s1 "),  # a paragraph style
    ("{\\*\\cs10\\f1 Sym;}", "\\cs10 "),  # a character style
    ("{\\s1\\f1 Sym;}{\\s2\\sbasedon1 Sym2;}", "\\s2 "),  # one based on it
])
def test_a_run_in_the_symbol_font_of_its_style_sheet_entry_is_read_so_too(styles, applied):
    """A run that names no font of its own, in a style whose style sheet entry's font is Wingdings: a reader that applies
    the style's font (LibreOffice) draws \\'ab as ★, so 机密\\'ab is read so too, besides its reading in the code page."""
    body = f"\\pard {_gbk('本项目属机密')}{{{applied}\\'ab}}{_gbk('请勿外传')}\\par"
    found = rtf_text(("{\\rtf1\\ansi\\ansicpg936\\deff0" + _STYLE_FONTS + "{\\stylesheet{\\f0 Normal;}" + styles + "}"
                      + body + "}").encode("ascii"))
    assert "机密★" in found.styled and "本项目属机密" in found.text and "★" not in found.text
    plain = rtf_text(("{\\rtf1\\ansi\\ansicpg936\\deff0" + _STYLE_FONTS + "{\\stylesheet{\\f0 Normal;}" + styles + "}"
                      + body.replace(applied, applied + "\\f0 ") + "}").encode("ascii"))
    assert "★" not in plain.styled  # a font named after the style is the run's


def test_a_long_chain_of_style_sheet_entries_costs_little():
    import time

    styles = "{\\s1\\f1 S1;}" + "".join(f"{{\\s{index}\\sbasedon{index - 1} S;}}" for index in range(2, 10_000))
    styles += "{\\s20000\\sbasedon20001 A;}{\\s20001\\sbasedon20000 B;}"
    body = "".join(f"{{\\s{index} \\'ab}}" for index in (*range(1, 10_000), 20000)) + "\\'ab" * 100_000
    started = time.process_time()
    found = rtf_text(("{\\rtf1\\ansi\\deff0" + _STYLE_FONTS + "{\\stylesheet" + styles + "}\\pard\\s9999 " + body
                      + "}").encode("ascii"))
    assert found.styled.startswith("★") and time.process_time() - started < 4.0
