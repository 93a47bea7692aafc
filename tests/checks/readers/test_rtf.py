"""RTF (a DOCX's altChunk, a zipped file): every group a reader can show or reveal, never the data groups."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import pii, privacy
from gongkai.checks.readers.rtf import rtf_text

from ..samples import docx_with, findings, office_zip, planted


def _rtf(body: str) -> bytes:
    return ("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}}{\\colortbl;\\red0\\green0\\blue0;}"
            + body + "}").encode("ascii")


def _gbk(text: str) -> str:
    return "".join(f"\\'{byte:02x}" for byte in text.encode("gbk"))


def test_text_in_every_group_is_read_and_data_groups_are_not():
    text, objects = rtf_text(_rtf(
        f"{{\\header {_gbk('页眉')} {planted(1)}}}{{\\footer {planted(2)}}}\\pard {_gbk('张三')} {planted(3)}\\par"
        f"{{\\*\\annotation {planted(4)}}}{{\\footnote {planted(5)}}}{{\\info{{\\title {planted(6)}}}}}"
        f"{{\\field{{\\*\\fldinst HYPERLINK \"tel:{planted(7)}\"}}{{\\fldrslt {_gbk('电话')}}}}}"
        "\\u26426?\\u23494?\\u9733?1\\u24180?"
        "{\\*\\themedata 13900000000139000000001390000000}{\\pict\\pngblip 13900000000}"
        "{\\object{\\*\\objdata 0105000002000000}}"))
    assert "张三" in text and "机密★1年" in text and "?" not in text
    assert [found.number for found in pii.find(text, __import__("datetime").date(2026, 1, 1))] == [
        planted(n) for n in range(1, 8)]
    assert objects  # the embedded object is named as unread


def test_binary_data_after_bin_is_skipped():
    text, _ = rtf_text(_rtf("before\\bin11 13912345678 after"))
    assert text.split() == ["before", "after"]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_without_error(data):
    text, _ = rtf_text(b"{\\rtf1 " + data)
    assert isinstance(text, str)


def test_an_rtf_alt_chunk_is_scanned(site):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
    parts["word/afchunk.rtf"] = _rtf(f"{_gbk('联系人')} {planted(1)}\\par {_gbk('机密★1年')}")
    mobiles, marks = findings(site, "a.docx", office_zip(parts))
    assert mobiles and "afchunk.rtf" in mobiles[0].message and marks
    assert not site.problems(privacy.NOT_SCANNED.code)
