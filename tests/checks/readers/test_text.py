"""CSV and text files in every common encoding."""

from __future__ import annotations

import codecs

import pytest

from gongkai.checks.readers.text import decode_text

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


def test_decode_text_detects_encodings():
    text = "关于公布2021年农村危房改造补助对象名单的公示，联系人张三。" * 3
    for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be", "big5"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        decoded = decode_text(data)
        assert "农村危房改造" in decoded or encoding == "big5" and decoded
