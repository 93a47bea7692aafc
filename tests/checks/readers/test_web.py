"""HTML and MHT inside a DOCX (altChunk), a zip or an MHT: the shown text and what the source hides are scanned."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from gongkai.checks import pii, privacy

from ..samples import MARK, docx_with, findings, office_zip, planted


def _with_alt_chunk(name: str, data: bytes) -> bytes:
    """A DOCX whose body imports `data` as Word's altChunk does: a part Word renders in place, in its own format."""
    with zipfile.ZipFile(io.BytesIO(docx_with("正文", "无"))) as source:
        parts: dict[str, str | bytes] = {part: source.read(part) for part in source.namelist()}
    parts[f"word/{name}"] = data
    return office_zip(parts)


def _mht(html: str) -> bytes:
    encoded = base64.encodebytes(html.encode("gb18030")).decode()
    return ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
            "Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Location: file:///C:/afchunk.htm\r\n\r\n{encoded}\r\n--b--\r\n").encode()


HTML = f"<html><body><p>联系人 {planted(1)}</p><p>{MARK}</p><!-- {planted(2)} --><input value=\"{planted(3)}\"></body></html>"


@pytest.mark.parametrize("name, data", [
    ("afchunk.htm", HTML.encode()),
    ("afchunk.mht", _mht(HTML)),
    ("afchunk.dat", HTML.encode("utf-16")),  # named for nothing: known by its content
])
def test_an_alt_chunk_in_html_or_mht_is_read(site, name, data):
    mobiles, marks = findings(site, "a.docx", _with_alt_chunk(name, data))
    messages = " ".join(p.message for p in mobiles)
    assert all(pii.mask(planted(n)) in messages for n in (1, 2, 3)), messages
    assert marks and name in marks[0].message
    assert not site.problems(privacy.NOT_SCANNED.code)


def test_text_files_in_a_zip_are_read_whatever_their_names(site):
    archive = office_zip({"名单.json": f'{{"电话": "{planted(1)}"}}'.encode(), "说明": f"{MARK}\n".encode("gb18030"),
                          "页面.html": f"<p>{planted(2)}</p>".encode(), "数据.bin": bytes(range(256))})
    mobiles, marks = findings(site, "a.zip", archive)
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages and marks
    [unread] = site.problems(privacy.NOT_SCANNED.code)  # binary data is still named, not guessed at
    assert "数据.bin" in unread.message
