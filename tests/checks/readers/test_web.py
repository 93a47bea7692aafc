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


@pytest.mark.parametrize("form", [
    lambda n: f"<template><p>联系人 {n}</p></template>",  # a fragment of its own, outside the page's text
    lambda n: f"<template><div><template>{n}</template></div></template>",
    lambda n: f'<iframe srcdoc="&lt;p&gt;{n[:3]}&lt;b&gt;{n[3:7]}&lt;/b&gt;{n[7:]}&lt;/p&gt;"></iframe>',  # a page the frame shows
    lambda n: f'<span aria-label="联系人 {n}"></span>',  # what a screen reader says
    lambda n: f'<div itemprop="telephone" itemscope content-x="{n}"></div>',  # any attribute: the source holds it
])
def test_what_an_html_file_holds_in_templates_frames_and_attributes_is_read(site, form):
    page = f"<html><body><p>通知</p>{form(planted(1))}</body></html>".encode()
    mobiles, _ = findings(site, "a.zip", office_zip({"页面.html": page}))
    assert mobiles and pii.mask(planted(1)) in mobiles[0].message, [p.message for p in mobiles]


def test_a_picture_written_into_an_html_file_is_not_read_as_text(site):
    """A data: address holds a picture's bytes in base64, whose letters and digits read as no number."""
    picture = base64.b64encode(bytes(range(256)) * 40 + b"13900000001" * 3).decode()
    page = f'<html><body><img src="data:image/png;base64,{picture}" alt="图"></body></html>'.encode()
    mobiles, _ = findings(site, "a.zip", office_zip({"页面.html": page}))
    assert mobiles == []


def _escaped(text: str) -> str:
    return "".join(f"\\{ord(ch):x} " for ch in text)


@pytest.mark.parametrize("form", [
    lambda n: f'<style>p::after {{ content: "{_escaped(n)}" }}</style><p></p>',  # escapes the browser decodes
    lambda n: f'<style>p::before {{ content: "{n[:5]}" "{n[5:]}" }}</style><p></p>',  # strings it joins
    lambda n: f'<style>p {{ counter-reset: n {n} }} p::after {{ content: counter(n) }}</style><p></p>',  # a counter it draws
    lambda n: f'<p style="--x: &quot;{_escaped(n)}&quot;"></p>',  # an inline style's source
    lambda n: f'<svg xmlns="http://www.w3.org/2000/svg"><style>t::after{{content:"{_escaped(n)}"}}</style></svg>',
])
def test_what_a_stylesheet_of_an_html_file_draws_is_read(site, form):
    page = f"<html><body><p>通知</p>{form(planted(1))}</body></html>".encode()
    mobiles, _ = findings(site, "a.zip", office_zip({"页面.html": page}))
    assert mobiles and pii.mask(planted(1)) in mobiles[0].message, [p.message for p in mobiles]


@pytest.mark.parametrize("style", ["<style>p { text-transform: uppercase }</style>", '<p style="font-variant: small-caps">',
                                   "<style>p { -webkit-text-transform: uppercase }</style>"])
def test_a_page_whose_styles_draw_capitals_is_read_in_capitals(site, style):
    """`ı39ı2345678` drawn in capitals shows I39I2345678."""
    page = f"<html><body>{style}<p>联系电话：ı39ı2345678</p></body></html>".encode()
    mobiles, _ = findings(site, "a.zip", office_zip({"页面.html": page}))
    assert [p.message for p in mobiles if "按显示的样子" in p.message]


def test_a_page_whose_list_markers_join_symbols_with_digits_is_named_for_the_reviewer(site):
    page = ('<html><body><style>@counter-style gk { system: alphabetic; symbols: "5678" "1391234" }'
            " ol { list-style: gk }</style><ol><li>一</li><li>二</li></ol></body></html>").encode()
    site.attach("a.zip", office_zip({"页面.html": page}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "样式表生成的列表编号" in problem.message


@pytest.mark.parametrize("level", ['mso-level-start-at:139; mso-level-text:"%1"; mso-level-suffix:none',
                                   'mso-level-text:"139%1"; mso-level-suffix:tab',
                                   "mso-level-start-at:1391; mso-level-tab-stop:none",
                                   'mso-level-text:"%1"; mso-level-suffix:space'],
                         ids=["no-suffix", "digits-in-text", "large-start", "space"])
def test_a_word_pages_list_whose_number_may_join_digits_is_named_for_the_reviewer(site, level):
    """Word builds a saved page's list from its @list rules as it opens it (browsers show the text Word wrote for them
    in `<![if !supportLists]>`): a level starting at 139 with nothing after its number showed 139 before 12345678
    (rt43-12)."""
    page = (f"<html><head><style>@list l0:level1 {{{level}}}</style></head><body>"
            "<p style='mso-list:l0 level1 lfo1'>12345678</p></body></html>").encode()
    site.attach("a.zip", office_zip({"页面.htm": page}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "Word 网页的列表编号" in problem.message


def test_a_word_pages_plain_list_is_let_be(site):
    page = ('<html><head><style>@list l0:level1 {mso-level-start-at:2; mso-level-text:"%1."; mso-level-suffix:tab}'
            "</style></head><body><p style='mso-list:l0 level1 lfo1'>第一项</p></body></html>").encode()
    site.attach("a.zip", office_zip({"页面.htm": page}))
    site.item(attachments=[{"title": "材料", "file": "a.zip"}])
    assert site.problems(privacy.NOT_SCANNED.code) == []


def test_a_stylesheet_beside_a_page_is_read_as_it_draws(site):
    sheet = f'p::after {{ content: "{_escaped(planted(2))}" }} h1::before {{ content: "{_escaped(MARK)}" }}'.encode()
    mobiles, marks = findings(site, "a.zip", office_zip({"页面.html": b'<link rel="stylesheet" href="s.css"><p></p>',
                                                          "s.css": sheet}))
    assert mobiles and pii.mask(planted(2)) in mobiles[0].message and marks


@pytest.mark.parametrize("name", ["页面.html", "页面.htm", "s.css", "a.mht", "a.txt", "a.csv"])
def test_a_zip_named_as_a_text_is_read_as_the_zip_it_is(site, name):
    inner = office_zip({"名单.txt": f"电话 {planted(3)}".encode()})
    mobiles, _ = findings(site, "a.zip", office_zip({name: inner}))
    assert mobiles and pii.mask(planted(3)) in mobiles[0].message, name


def _mail(headers: str, body: str) -> bytes:
    encoded = base64.encodebytes(body.encode("gb18030")).decode()
    return (f"{headers}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
            "Content-Type: text/plain; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{encoded}\r\n--b--\r\n").encode()


@pytest.mark.parametrize("name", ["通知.eml", "通知"])  # a mail, or a file named for nothing
def test_an_email_is_read_part_by_part_however_many_headers_come_first(site, name):
    """A mail saved as .eml opens in a mail client, which decodes its parts: read as text, its base64 hid them."""
    received = "".join(f"Received: from relay{n}.example by mx.example; Mon, 1 Jun 2026 08:00:00 +0800\r\n"
                       for n in range(200))  # more than the first few KB of headers
    mail = _mail(received, f"联系人 {planted(1)}")
    mobiles, _ = findings(site, "a.zip", office_zip({name: mail}))
    assert mobiles and pii.mask(planted(1)) in mobiles[0].message, name


def test_an_emails_headers_are_read_as_a_mail_client_shows_them(site):
    subject = "=?GBK?B?" + base64.b64encode(f"{MARK} 名单".encode("gbk")).decode() + "?="
    mail = _mail(f"Subject: {subject}\r\nFrom: =?UTF-8?B?{base64.b64encode(planted(2).encode()).decode()}?= <a@b.cn>\r\n",
                 "正文")
    mobiles, marks = findings(site, "a.zip", office_zip({"通知.eml": mail}))
    assert mobiles and pii.mask(planted(2)) in mobiles[0].message and "邮件头" in mobiles[0].message
    assert marks and "邮件头" in marks[0].message


def test_a_pages_ruby_is_read_as_a_browser_draws_it(site):
    """<rt> is drawn above its base and <rp> not at all: 联系电话139 + 1234 (注) + 5678 shows 13912345678 on the line."""
    page = "<html><body><p>联系电话139<ruby>1234<rp>(</rp><rt>注</rt><rp>)</rp></ruby>5678</p></body></html>"
    mobiles, _ = findings(site, "a.docx", _with_alt_chunk("afchunk.htm", page.encode()))
    assert len(mobiles) == 1 and pii.mask("13912345678") in mobiles[0].message
