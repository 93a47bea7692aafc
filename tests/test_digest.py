"""The review digest (spec §4 rule 5): what keeps it and what breaks it, on real files."""

from __future__ import annotations

import codecs

from gongkai.checks import review


def _review_codes(site):
    return [p.code for p in site.check() if p.code.startswith("GK2")]


def test_edit_after_review_fails(site):
    path = site.item()
    path.write_bytes(path.read_bytes().replace("一、".encode(), "二、".encode()))
    assert _review_codes(site) == [review.CHANGED.code]


def test_requoting_and_reordering_keys_keeps_it(site):
    path = site.item()
    lines = path.read_text(encoding="utf-8").split("\n")
    title = next(i for i, l in enumerate(lines) if l.startswith("title:"))
    department = next(i for i, l in enumerate(lines) if l.startswith("department:"))
    lines[title] = 'title: "关于做好保障性住房工作的通知"'
    lines[department] = "department: '办公室'"
    lines[title], lines[department] = lines[department], lines[title]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _review_codes(site) == []


def test_flow_style_and_block_style_keep_it(site):
    path = site.item(keywords=["住房", "保障"])
    text = path.read_text(encoding="utf-8")
    assert "- 住房\n- 保障" in text
    path.write_text(text.replace("keywords:\n- 住房\n- 保障", "keywords: [住房, 保障]"), encoding="utf-8")
    assert _review_codes(site) == []


def test_crlf_and_bom_keep_it(site):
    path = site.item()
    data = path.read_bytes()
    path.write_bytes(codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n"))
    assert _review_codes(site) == []
    path.write_bytes(data.replace(b"\n", b"\r\n"))
    assert _review_codes(site) == []
    path.write_bytes(codecs.BOM_UTF8 + data)
    assert _review_codes(site) == []


def test_swapping_an_attachment_fails(site):
    attached = site.attach("2021/名单.csv", "姓名,户数\n张三,1\n".encode())
    site.item(attachments=[{"title": "名单", "file": "2021/名单.csv"}])
    assert _review_codes(site) == []
    attached.write_bytes("姓名,户数\n张三,2\n".encode())
    assert _review_codes(site) == [review.CHANGED.code]


def test_renaming_an_attachment_title_fails(site):
    site.attach("a.pdf", b"%PDF-1.4\n%%EOF\n")
    path = site.item(attachments=[{"title": "名单", "file": "a.pdf"}])
    path.write_text(path.read_text(encoding="utf-8").replace("title: 名单", "title: 名册"), encoding="utf-8")
    assert _review_codes(site) == [review.CHANGED.code]


def test_blank_lines_around_the_body_keep_it(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert _review_codes(site) == []
