"""Secrecy marks (GK4xx): marks found, ordinary prose left alone (unsafe markup: test_markup.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import marks

from .samples import pdf_with_text


@pytest.mark.parametrize("text", ["秘密★1年", "机密★长期", "绝密★", "秘密 ★ 6个月", "★机密", "密级：秘密", "秘密*1年",
                                  "机密＊", "\n秘密\n", "【机密】", "### 绝密", "〖机密〗", "〘秘密〙"])
def test_classification_marks(text):
    assert [rule.code for rule, _, _ in marks.find(f"前文\n{text}\n后文")] == [marks.CLASSIFIED.code]


@pytest.mark.parametrize("mark", ["①", "⑵", "⒈", "❶", "²", "₂", "㊀", "1\u20dd", "1\ufe0f\u20e3", "ⓐ", "ᵃ", "ⅰ", "Ⅱ"])
@pytest.mark.parametrize("shape", ["机密{}★", "秘密{}★长期", "机{}密★", "绝密{}"])
def test_a_note_mark_beside_or_inside_a_mark_is_read_past(mark, shape):
    """`fold` reads ① ⑵ ² … as digits, which stood a note mark between a level and its star (机密①★) or split its word
    (机²密★): no mark, where a reader sees the mark and a note (rt25; rt24 mended the number scans alone)."""
    text = shape.format(mark)
    assert [rule.code for rule, _, _ in marks.find(f"前文\n{text}\n后文")] == [marks.CLASSIFIED.code], text


@pytest.mark.parametrize("raised", ["绝密<sup>1</sup>★", "机<sub>2</sub>密★", "秘密<sup>注</sup>★长期",
                                    "本件机<sup>1</sup>密<sup>★</sup>"])  # the note read past, the raised star kept
def test_a_raised_or_lowered_note_in_a_mark_is_read_past(site, raised):
    """Raised or lowered text is read past as a footnote's reference is (机密[^1]★ was a mark, 机密<sup>1</sup>★ not)."""
    path = site.item(body=f"正文。\n\n{raised}\n")
    assert "GK401" in site.codes(path)


@pytest.mark.parametrize("text", ["国家秘密①的范围由法律规定。", "保守国家秘密②。", "机密⑴年",
                                  # a list numbered in such numerals is prose: a mark is read past only after a word
                                  "本制度所称密级：①绝密、②机密、③秘密。", "\n①机密\n", "密级分为：ⓐ绝密；ⓑ机密；ⓒ秘密"])
def test_a_note_mark_in_prose_makes_no_mark_of_it(text):
    assert [rule.code for rule, _, _ in marks.find(text)] == ([marks.CLASSIFIED.code] if "年" in text else [])


@pytest.mark.parametrize("text", ["内部资料", "内部资料 注意保存", "不得外传", "严禁外传", "仅供内部使用", "内部传阅",
                                  "\n注意保存\n", "（内部文件）", "【内部使用】", "〖内部文件〗", "（此件不得外传）", "本文件请勿外传。",
                                  "内部资料性出版物", "【内部参阅】", "仅供内部传阅", "注意保密", "内部资料 注意保密", "\n严禁复制\n",
                                  "（禁止复制）"])
def test_internal_marks(text):
    assert [rule.code for rule, _, _ in marks.find(text)] == [marks.INTERNAL.code]


@pytest.mark.parametrize("text", ["严格保守国家秘密和工作秘密。", "做好保密审查工作。", "**国家秘密**不得公开",
                                  "*商业秘密*", "缴费凭证请注意保存。", "删除个人身份信息等不宜公开内容。",
                                  "涉及秘密级以上事项的，按规定办理。", "机密文件管理制度的修订说明",
                                  # rules about notices, in the prose of a published 保密制度
                                  "涉密文件资料严禁外传、私自复印。", "工作人员不得外传未公开的政府信息。", "建立文件内部传阅制度。",
                                  "依据《内部资料性出版物管理办法》，规范内部资料性出版物管理。", "加强内部发行刊物的管理。",
                                  "版权所有，严禁复制。", "工作人员要注意保密。", "未经许可禁止复制本网站内容。"])
def test_prose_is_not_a_mark(text):
    assert list(marks.find(text)) == []


def test_secrecy_in_body_front_matter_and_attachment(site):
    site.attach("a.pdf", pdf_with_text("Notice"))  # ASCII only: no mark
    path = site.item(body="正文。\n\n秘密★1年\n", title="关于工作的通知（内部资料）",
                     attachments=[{"title": "附件", "file": "a.pdf"}])
    problems = [p for p in site.check() if p.code.startswith("GK4")]
    assert sorted((p.code, p.line) for p in problems) == [(marks.INTERNAL.code, 2), (marks.CLASSIFIED.code, 19)] or \
        sorted(p.code for p in problems) == [marks.CLASSIFIED.code, marks.INTERNAL.code]
    body_problem = next(p for p in problems if p.code == marks.CLASSIFIED.code)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[body_problem.line - 1] == "秘密★1年" and body_problem.col == 1


def test_secrecy_inside_a_docx_attachment(site):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("机密★1年")
    out = io.BytesIO()
    document.save(out)
    site.attach("a.docx", out.getvalue())
    site.item(attachments=[{"title": "附件", "file": "a.docx"}])
    [problem] = site.problems(marks.CLASSIFIED.code)
    assert "附件《附件》（a.docx）正文第 1 段" in problem.message


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_scanners_never_raise(text):
    list(marks.find(text))


# --- disguised marks, and text readers see -------------------------------------------------------

@pytest.mark.parametrize("text", ["机\u200b密★1年", "机 密 ★ 一年", "秘\u3000密★６个月", "機密★長期", "絕密★", "祕密★", "密级：機密",
                                  "密 级 : 机 密", "【 机 密 】", "机·密", "机-密★", "秘密&#9733;1年", "秘密&starf;", "秘密✱1年",
                                  "绝密⭐", "密级\t秘密", "| 密级 | 机密 |", "秘密\u2605\ufe0f", "秘\u00ad密★", "㊙密★",
                                  "绝密. ★ 长期", "秘密:★1年", "机密—★长期", "秘密（★1年）", "绝密，★", "★、机密", "★ . 绝密",
                                  "秘密.*1年", "机密 —— ★",
                                  # a star set apart and then a closing quotation mark: the browser shows 说明“秘密\★”
                                  "说明“秘密\\★”", "‘机密—★’", '"绝密. ★"', "《秘密.★》",
                                  # a filler before the star, whatever follows: a link [秘密\★](#x) shows 秘密\★ in a sentence
                                  "正文秘密\\★。", "机密·★1年", "绝密_★。",
                                  # asterisks between the characters, as a plain-text field or an escaped \* shows them
                                  "机*密★1年", "绝**密**★10年", "机＊密★", "秘﹡密★", "机`密★",
                                  # a number sign or a caret between them, as a text file or a cell shows it
                                  "绝^密★10年", "机#密★1年", "机＃密★",
                                  # a plus or straight quotes, as a sum's or a list's signs
                                  "绝+密★10年", "秘＋密★1年", '"绝"密★5年', "机'密★"])
def test_disguised_classification_marks(text):
    assert marks.CLASSIFIED.code in [rule.code for rule, _, _ in marks.find(f"前文\n{text}\n后文")], text


@pytest.mark.parametrize("text", ["内部資料", "內部资料", "内\u00ad部资料", "内 部 资 料", "不得&#22806;传", "\n工作秘密\n",
                                  "内*部*资料", "内**部**资料", "不得＊外传", "内`部`资料",
                                  "内#部资料", "内^部资料", "仅供内＃部", "内+部+资+料", "内'部'资料", "不得＂外传"])
def test_disguised_internal_marks(text):
    assert [rule.code for rule, _, _ in marks.find(text)] == [marks.INTERNAL.code], text


@settings(max_examples=200, deadline=None)
@given(mark=st.sampled_from(["机密★1年", "秘密★", "绝密★长期", "内部资料", "此件不得外传", "★机密"]),
       before=st.sampled_from(["", "前文", "前文\n", "甲\u202c乙"]), after=st.sampled_from(["", "。后文", "\n后文"]),
       pop=st.sampled_from(["\u202c", "", "\n"]))
def test_marks_under_a_right_to_left_override_are_read_as_shown(mark, before, after, pop):
    """U+202E shows what follows it reversed, up to its pop or the line's end: written backwards, the mark shows."""
    text = f"{before}\u202e{mark[::-1]}{pop}{after}"
    found = list(marks.find(text))
    assert [rule.code for rule, _, _ in found] == [(marks.INTERNAL if "内部" in mark or "外传" in mark else marks.CLASSIFIED).code]
    start = text.index("\u202e")
    assert start < found[0][1] <= start + len(mark)  # at the run that shows it


@pytest.mark.parametrize("text", ["危机-密切关注", "有机 密封材料", "商业秘密 个人隐私", "严格保守国家秘密和工作秘密。",
                                  "| 文件名称 | 机密文件管理制度 |", "保密工作“三密”管理", "秘密级以上文件的管理",
                                  "严守国家秘密。★重要提示", "涉及国家秘密、★标注的条款", "**严格保守国家秘密。**", "*国家秘密*",
                                  "保守秘密。* 注意",
                                  # a semicolon, a comma or 、 parts a list's neighbours
                                  "加强内部；资料归档", "科室内部;资料室", "加强内部、资料管理", "内部，资料",
                                  "总投资=中央资金+省级资金；内部控制", "机关+密切配合", "'内部'、'外部'两类"])
def test_more_prose_is_not_a_mark(text):
    assert list(marks.find(text)) == []


@settings(max_examples=20, deadline=10_000)
@given(piece=st.sampled_from(["机密", "密级", "★", "机 ", "内部资料", "\n机密\n", "【", "秘密*", "秘密. ★", "★、机密", "秘密（",
                              "绝密，，，"]), count=st.integers(5_000, 30_000))
def test_secrecy_matching_is_linear(piece, count):
    list(marks.find(piece * count))


@pytest.mark.parametrize("text", ["保密等级：机密", "秘密等级：秘密", "涉密等级：绝密", "定密级别：机密", "文件保密等级：秘密"])
def test_a_level_under_a_label_a_form_gives_it_is_a_mark(text):
    """密级：机密 was a mark and 保密等级：机密 was not (rt46 F3)."""
    assert [rule.code for rule, _, _ in marks.find(text)] == [marks.CLASSIFIED.code]


def _docx_with_keywords(keywords: str) -> bytes:
    import io
    import zipfile

    from tests.checks.samples import docx_with, office_zip

    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts["docProps/core.xml"] = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><cp:keywords>{keywords}</cp:keywords></cp:coreProperties>')
    return office_zip(parts)


def _pdf_titled(title: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.checks.samples import pdf_with_text

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    writer.add_metadata({"/Title": title, "/Keywords": "notice, 2021"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png_titled(title: str) -> bytes:
    from tests.checks.readers.test_pictures import _png_with_chunk

    return _png_with_chunk(b"tEXt", b"Title\0" + title.encode("latin-1", "replace") if title.isascii() else
                           b"Title\0" + title.encode("utf-8"))


@pytest.mark.parametrize(("name", "make"), [
    ("a.pdf", lambda: _pdf_titled("机密")),
    ("a.docx", lambda: _docx_with_keywords("通知;机密;2021")),
    ("a.png", lambda: _png_titled("机密")),
], ids=["pdf-title", "docx-keywords", "png-title"])
def test_a_mark_that_is_a_whole_property_of_an_attachment_is_found(site, name, make):
    """A PDF's title (a viewer's tab shows it alone), a keyword of a list, a picture's title: read as `Title⇥机密` or
    `通知;机密;2021`, the word never stood alone (rt46 F1, F5)."""
    site.attach(name, make())
    site.item(attachments=[{"title": "材料", "file": name}])
    problems = site.check()
    assert [p for p in problems if p.code == marks.CLASSIFIED.code and "机密" in p.message], [p.message for p in problems]


def test_a_title_is_prose_not_a_list_of_marks(site):
    site.attach("a.pdf", _pdf_titled("秘密、机密、绝密三个等级的划分"))
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    assert [p.message for p in site.check() if p.code == marks.CLASSIFIED.code] == []


@pytest.mark.parametrize("file", ["机密.csv", "材料/内部资料.csv", "注意保密.csv"])
def test_a_mark_that_is_an_attachments_file_name_is_found(site, file):
    """The saved file and the download bar show 机密.csv: read with its `.csv`, the word did not stand alone (rt46 F6)."""
    site.attach(file, "姓名,人数\n张三,3\n".encode())
    site.item(attachments=[{"title": "材料", "file": file}])
    problems = site.check()
    assert [p for p in problems if p.code in (marks.CLASSIFIED.code, marks.INTERNAL.code)], [p.message for p in problems]


def _docx_row(*cells: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("材料")
    table = document.add_table(rows=1, cols=len(cells))
    for cell, text in zip(table.rows[0].cells, cells, strict=True):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("cells", [("机", "密★1年"), ("绝密", "★"), ("秘", "密★")])
def test_a_mark_split_across_a_rows_cells_is_found(site, cells):
    """A table without borders draws 机 | 密★1年 as one line; each cell was read alone (rt46 F4)."""
    site.attach("a.docx", _docx_row(*cells))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    problems = site.check()
    assert [p for p in problems if p.code == marks.CLASSIFIED.code], [p.message for p in problems]


def test_a_row_of_a_level_table_is_no_mark(site):
    site.attach("a.docx", _docx_row("密级划分", "绝密、机密、秘密三级"))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    assert [p.message for p in site.check() if p.code == marks.CLASSIFIED.code] == []



@pytest.mark.parametrize("text", ["内部使用 注意保存", "内部文件　注意保密", "【内部使用】 注意保存", "注意保存 内部刊物",
                                  "内部材料 严禁复制"])
def test_notices_standing_together_on_their_line_are_marks(text):
    """A cover stacks its notices on one line (内部使用 注意保存): each stands alone but for the other, and a reader
    reads both as marks; a line that says anything else is prose (商业秘密 个人隐私, 内部使用的车辆 注意保存)."""
    assert marks.INTERNAL.code in [rule.code for rule, _, _ in marks.find(text)]
    assert list(marks.find("内部使用的车辆 注意保存好钥匙")) == []
