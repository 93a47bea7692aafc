"""PDF: pages, annotations, form fields, embedded files, metadata; pages without text are named."""

from __future__ import annotations

import io
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import pii, privacy
from gongkai.readers.pdf import MAX_REVISIONS

from ..samples import (
    MARK,
    docx_everywhere,
    findings,
    heavy_pdf,
    office_zip,
    pdf_everywhere,
    pdf_with_text,
    planted,
)

PDF_PARTS = {"page": "第 1 页", "annotation": "批注", "form-field": "表单域", "embedded-file": "内嵌文件“名单.csv”",
             "metadata": "文档属性"}


def test_a_number_in_every_part_is_found_where_it_is(site):
    data, numbers = pdf_everywhere()
    mobiles, _ = findings(site, "a.pdf", data)
    messages = [p.message for p in mobiles]
    for kind, where in PDF_PARTS.items():
        assert any(pii.mask(numbers[kind]) in message and where in message for message in messages), (kind, messages)


def test_a_secrecy_mark_in_every_part_is_found(site):
    data, _ = pdf_everywhere()
    _, marks = findings(site, "a.pdf", data)
    messages = " ".join(p.message for p in marks)
    assert all(where.split("第")[0] in messages for where in PDF_PARTS.values())


def test_pdf_pages_without_text_are_named(site):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Page one"))))
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    site.attach("a.pdf", out.getvalue())
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    [problem] = site.problems(privacy.NOT_SCANNED.code)
    assert "第 2 页" in problem.message and "文字层" in problem.message


def test_docx_embedded_in_a_pdf_in_a_zip(site):
    data, numbers = docx_everywhere()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("cover"))))
    writer.add_attachment("原件.docx", data)
    out = io.BytesIO()
    writer.write(out)
    mobiles, _ = findings(site, "a.zip", office_zip({"通知.pdf": out.getvalue()}))
    assert any(pii.mask(numbers["header-first"]) in p.message and "原件.docx" in p.message for p in mobiles)


def test_a_stream_past_pypdfs_limits_is_refused(site):
    site.attach("a.pdf", heavy_pdf(90 << 20))  # inflates past pypdf's 75 MB bound for one stream
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    [problem] = site.problems(privacy.UNREADABLE.code)
    assert problem.severity == "error" and "压缩炸弹" in problem.message


def _saved_again(data: bytes, change) -> bytes:
    """`data` saved incrementally after `change(writer)`: the new revision is appended, the old one kept."""
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(data), incremental=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _shown(writer, text: str):
    from pypdf.generic import DecodedStreamObject, NameObject

    contents = DecodedStreamObject()
    contents.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    writer.pages[0][NameObject("/Contents")] = writer._add_object(contents)


def test_text_an_incremental_save_replaced_is_found_in_the_earlier_revision(site):
    first = pdf_with_text(f"Tel {planted(1)}")
    second = _saved_again(first, lambda writer: _shown(writer, f"Tel 139****0001 {planted(2)}"))
    third = _saved_again(second, lambda writer: _shown(writer, "Tel 139****0001"))
    assert third.startswith(first)  # cutting the file at an earlier %%EOF shows that revision again
    mobiles, _ = findings(site, "a.pdf", third)
    found = {pii.mask(planted(n)): p.message for n in (1, 2) for p in mobiles if pii.mask(planted(n)) in p.message}
    assert "第 2 个早先版本" in found[pii.mask(planted(1))] and "第 1 个早先版本" in found[pii.mask(planted(2))], found


def test_an_unchanged_earlier_revision_adds_nothing(site):
    signed = _saved_again(pdf_with_text(f"Tel {planted(1)}"), lambda writer: writer.add_metadata({"/Producer": "签章"}))
    mobiles, _ = findings(site, "a.pdf", signed)
    assert [p.message for p in mobiles if "早先版本" in p.message] == [] and mobiles


def test_what_an_annotation_draws_and_the_page_labels_are_read(site):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    font = writer.pages[0]["/Resources"]["/Font"]["/F1"]  # type: ignore[index]
    stamp = DecodedStreamObject()  # a stamp whose /Contents says nothing: the page shows its appearance
    stamp.set_data(f"BT /F1 12 Tf 0 0 Td (Tel {planted(1)}) Tj ET".encode())
    stamp.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                  NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(200), FloatObject(20)]),
                  NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})})
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Stamp"),
        NameObject("/Rect"): ArrayObject([FloatObject(50), FloatObject(50), FloatObject(250), FloatObject(70)]),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(stamp)})})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    label = DictionaryObject({NameObject("/P"): TextStringObject(f"张三{planted(2)}-")})
    writer._root_object[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): ArrayObject([NumberObject(0), label])})
    out = io.BytesIO()
    writer.write(out)
    mobiles, _ = findings(site, "a.pdf", out.getvalue())
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and "批注" in messages
    assert pii.mask(planted(2)) in messages and "页码标签" in messages



def _rich_text_string(writer, rich: str):
    from pypdf.generic import TextStringObject

    return TextStringObject(rich)


def _rich_text_stream(writer, rich: str):
    """A text stream, compressed: the PDF allows one wherever rich text goes ("a text string or text stream")."""
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(rich.encode("utf-8"))
    return writer._add_object(stream.flate_encode())


@pytest.mark.parametrize("key", ["/RC", "/RV"])
@pytest.mark.parametrize("written", [_rich_text_string, _rich_text_stream])
def test_the_rich_text_of_an_annotation_is_read(site, key, written):
    """A comment's rich text (/RC, XHTML) is what a viewer shows in its pop-up, a rich-text field's (/RV) what its widget
    shows: its reading imported a module that does not exist, so every PDF with a rich-text comment failed as unreadable
    (never published), and none was read; then rich text written as a stream was read as the stream's dictionary."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    rich = f'<body xmlns="http://www.w3.org/1999/xhtml"><p>联系<span>人</span>：{planted(3)}</p></body>'
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FreeText"),
        NameObject("/Rect"): ArrayObject([FloatObject(50), FloatObject(50), FloatObject(250), FloatObject(70)]),
        NameObject(key): written(writer, rich)})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    assert planted(3).encode() not in out.getvalue() or written is _rich_text_string
    site.attach("a.pdf", out.getvalue())
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    problems = site.check()
    assert [p.code for p in problems if p.code == privacy.UNREADABLE.code] == []
    messages = " ".join(p.message for p in problems if p.code == privacy.MOBILE.code)
    assert pii.mask(planted(3)) in messages and "批注" in messages


def test_the_rich_value_of_a_form_field_no_page_shows_is_read(site):
    """A rich-text field's value (/RV) is what a viewer shows in it; pypdf's list of the form's fields leaves it out."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    rich = f'<body xmlns="http://www.w3.org/1999/xhtml"><p>联系人 {planted(4)}</p></body>'
    field = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("contact"),
                              NameObject("/Ff"): NumberObject(1 << 25), NameObject("/V"): TextStringObject("见附件"),
                              NameObject("/RV"): _rich_text_stream(writer, rich)})
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(DictionaryObject({
            NameObject("/T"): TextStringObject("group"), NameObject("/Kids"): ArrayObject([writer._add_object(field)])}))])})
    out = io.BytesIO()
    writer.write(out)
    mobiles, _ = findings(site, "a.pdf", out.getvalue())
    assert [p for p in mobiles if pii.mask(planted(4)) in p.message and "表单" in p.message], [p.message for p in mobiles]

def test_what_is_appended_after_the_last_end_of_file_is_read(site):
    appended = office_zip({"名单.csv": f"张三,{planted(1)}\n".encode()})
    mobiles, _ = findings(site, "a.pdf", pdf_with_text("Notice") + appended)
    assert mobiles and "%%EOF" in mobiles[0].message and "名单.csv" in mobiles[0].message


def test_alternate_and_actual_texts_are_read(site):
    """A tagged PDF's figure described in its /Alt, and marked content whose /ActualText is what copying gives."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    figure = DictionaryObject({NameObject("/S"): NameObject("/Figure"), NameObject("/Alt"): TextStringObject(f"张三身份证 {planted(1)}")})
    document = DictionaryObject({NameObject("/S"): NameObject("/Document"), NameObject("/K"): ArrayObject([writer._add_object(figure)])})
    writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): writer._add_object(document)}))
    contents = DecodedStreamObject()
    contents.set_data(b"/Span <</ActualText <FEFF" + planted(2).encode("utf-16-be").hex().encode()
                      + b">>> BDC BT /F1 12 Tf 72 700 Td (x) Tj ET EMC BT /F1 12 Tf 72 720 Td (Notice) Tj ET")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(contents)
    out = io.BytesIO()
    writer.write(out)
    mobiles, _ = findings(site, "a.pdf", out.getvalue())
    messages = " ".join(p.message for p in mobiles)
    assert pii.mask(planted(1)) in messages and pii.mask(planted(2)) in messages and "替代文字" in messages, messages


def _with_bytes(pdf: bytes, extra: bytes) -> bytes:
    """`pdf` with `extra` written before its cross-reference table, which then starts that much later."""
    xref = pdf.rindex(b"\nxref\n") + 1
    start = pdf.rindex(b"startxref\n") + len(b"startxref\n")
    return pdf[:xref] + extra + pdf[xref:start] + str(xref + len(extra)).encode() + b"\n%%EOF\n"


def _stream_object(number: int, data: bytes, entries: bytes = b"") -> bytes:
    import zlib

    packed = zlib.compress(data)
    return (b"%d 0 obj\n<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (number, len(packed), entries) + packed
            + b"\nendstream\nendobj\n")


def _object_stream(number: int, inner: int, value: bytes) -> bytes:
    header = b"%d 0 " % inner
    return _stream_object(number, header + value, b"/Type /ObjStm /N 1 /First %d " % len(header))


@pytest.mark.parametrize(("extra", "form"), [
    (lambda n: _stream_object(99, b"BT /F1 12 Tf 20 50 Td (Tel %s) Tj ET" % n), "a compressed stream nothing refers to"),
    (lambda n: b"98 0 obj\n(Tel %s)\nendobj\n" % n, "a string object nothing refers to"),
    (lambda n: b"97 0 obj\n<< /Type /Secret /Note <FEFF%s> >>\nendobj\n" % n.decode().encode("utf-16-be").hex().encode(),
     "a dictionary nothing refers to, its string in UTF-16"),
    (lambda n: b"%% Tel %s\n" % n, "a comment"),
    (lambda n: b"Tel %s\n" % n, "a stray line between objects"),
    (lambda n: _object_stream(96, 95, b"(Tel %s)" % n), "an object in an object stream nothing refers to"),
    (lambda n: _stream_object(93, b"BT (( (Tel %s) Tj ET" % n), "a stream whose first string is never closed"),
    (lambda n: _stream_object(92, b"(\\" * 200_000 + b" (Tel %s) Tj" % n), "200,000 escapes no string closes, first"),
    (lambda n: _stream_object(94, office_zip({"名单.csv": b"Tel " + n}), b"/Type /EmbeddedFile "),
     "an embedded file no name tree lists"),
])
def test_what_the_file_holds_but_no_viewer_shows_is_read(site, extra, form):
    """The file is published byte for byte: anyone reads what its bytes hold in a text editor or by inflating its
    streams, though no viewer shows it. Each planted number is found once, as what is not shown."""
    data = _with_bytes(pdf_with_text(f"Tel {planted(1)}"), extra(planted(2).encode()))
    mobiles, _ = findings(site, "a.pdf", data)
    messages = [p.message for p in mobiles]
    assert [m for m in messages if pii.mask(planted(1)) in m] and "未显示" not in " ".join(m for m in messages if pii.mask(planted(1)) in m)
    hidden = [m for m in messages if pii.mask(planted(2)) in m]
    assert len(hidden) == 1 and ("未显示的内容" in hidden[0] or "不被引用的内嵌文件" in hidden[0]), (form, messages)


def test_a_pdf_whose_every_object_is_shown_has_nothing_more_to_read(site):
    """Saved by a writer, every object is reached from the trailer: each number is read once, where it shows."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text(f"Tel {planted(1)}"))))
    writer.add_metadata({"/Title": f"名单 {planted(2)}"})
    writer.add_outline_item(title=f"第一节 {planted(3)}", page_number=0)
    out = io.BytesIO()
    writer.write(out)
    mobiles, _ = findings(site, "a.pdf", out.getvalue())
    assert len(mobiles) == 3 and not [p.message for p in mobiles if "未显示" in p.message]


def _hand_written(page: bytes, resources: bytes, *more: bytes) -> bytes:
    """A one-page PDF drawing `page` with `resources`; `more`: objects 6 0 obj onwards (5 0 obj is Helvetica)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << %s >> >>" % resources,
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *more]
    return _pdf_of(*objects)


def _drawing(text: bytes, entries: bytes = b"", start: bytes = b"") -> bytes:
    content = start + b"BT /F1 24 Tf 10 50 Td (Tel %s) Tj ET" % text
    return b"<< %s /Resources << /Font << /F1 5 0 R >> >> /Length %d >>\nstream\n%s\nendstream" % (entries, len(content), content)


@pytest.mark.parametrize(("make", "form"), [
    (lambda n: _hand_written(b"q /Pattern cs /P1 scn 0 0 300 100 re f Q", b"/Pattern << /P1 6 0 R >>", _drawing(
        n, b"/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 300 100] /XStep 300 /YStep 100")),
     "a tiling pattern's cell"),
    (lambda n: _hand_written(b"BT /T3 20 Tf 72 600 Td (a) Tj ET", b"/Font << /T3 6 0 R >>",
                             b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
                             b" /CharProcs << /a 7 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97"
                             b" /Widths [1000] /Resources << /Font << /F1 5 0 R >> >> >>",
                             _drawing(n, start=b"1000 0 d0 ")),
     "a Type 3 font's glyph procedure"),
    (lambda n: _hand_written(b"q /GS1 gs 0 g 0 0 595 842 re f Q", b"/ExtGState << /GS1 6 0 R >>",
                             b"<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G 7 0 R >> >>",
                             _drawing(n, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]")),
     "a soft mask's group"),
    (lambda n: _hand_written(b"q /GS1 gs 0 g 0 0 595 842 re f Q", b"/ExtGState << /GS1 6 0 R >> /XObject << /X1 7 0 R >>",
                             b"<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G 7 0 R >> >>",
                             _drawing(n, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]")),
     "a soft mask's group the page lists as a form it never paints"),
])
def test_text_drawn_by_a_content_stream_no_page_holds_is_read(site, make, form):
    """A pattern's cell, a Type 3 glyph and a mask are painted by every viewer; pypdf's page text never enters them."""
    mobiles, _ = findings(site, "a.pdf", make(planted(1).encode()))
    assert [p.message for p in mobiles if pii.mask(planted(1)) in p.message and "页面之外绘制的文字" in p.message], form


def test_a_form_a_page_paints_is_not_read_twice(site):
    page = _hand_written(b"q /X1 Do Q", b"/XObject << /X1 6 0 R >>",
                         _drawing(planted(1).encode(), b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]"))
    mobiles, _ = findings(site, "a.pdf", page)
    assert len(mobiles) == 1 and "第 1 页" in mobiles[0].message


def test_a_pdf_of_more_objects_than_are_parsed_says_what_was_not_read(site):
    """Each object is parsed to find those nothing reaches (≈ 0.2 ms each): past 5,000 the reviewer is told instead."""
    many = b"".join(b"%d 0 obj\n(Tel %s)\nendobj\n" % (100 + n, planted(2).encode()) for n in range(5_000))
    mobiles, _ = findings(site, "a.pdf", _with_bytes(pdf_with_text(f"Tel {planted(1)}"), many))
    assert [p.message for p in mobiles if pii.mask(planted(1)) in p.message] and not [
        p for p in mobiles if pii.mask(planted(2)) in p.message]
    [unread] = site.problems(privacy.NOT_SCANNED.code)
    assert "不显示的对象" in unread.message and "5,000" in unread.message


def _catalog(writer, text):
    from pypdf.generic import NameObject, TextStringObject

    writer._root_object[NameObject("/Secret")] = TextStringObject(text)


def _piece_info(writer, text):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    private = DictionaryObject({NameObject("/Private"): TextStringObject(text)})
    writer.pages[0][NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Editor"): private})


def _piece_info_stream(writer, text):
    """An editing program's private data as a compressed stream the page refers to, not a string."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(b"<< /Note <" + ("\ufeff" + text).encode("utf-16-be").hex().encode() + b"> >>")
    private = DictionaryObject({NameObject("/Private"): writer._add_object(stream.flate_encode())})
    writer.pages[0][NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Editor"): private})


def _font(writer, text):
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    font = writer.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    font[NameObject("/Note")] = ArrayObject([TextStringObject(text)])


def _annotation(writer, text):
    from pypdf.annotations import Link
    from pypdf.generic import NameObject, TextStringObject

    link = Link(rect=(10, 10, 50, 50), url="https://example.org/")
    link[NameObject("/Secret")] = TextStringObject(text)
    writer.add_annotation(0, link)


@pytest.mark.parametrize("plant", [_catalog, _piece_info, _piece_info_stream, _font, _annotation])
def test_a_string_under_a_key_no_viewer_shows_is_read_in_an_object_the_file_uses(site, plant):
    """A reached object's own keys (the catalog's, a page's /PieceInfo, a font's, an annotation's) hold strings no
    viewer shows and any inspector lists: read, once, beside what the parts read above gave."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text(f"Tel {planted(1)}"))))
    writer.add_metadata({"/Title": f"名单 {planted(2)}"})
    plant(writer, f"联系人 {planted(3)} {MARK}")
    out = io.BytesIO()
    writer.write(out)
    mobiles, marks = findings(site, "a.pdf", out.getvalue())
    messages = [p.message for p in mobiles]
    assert sorted(m.split("139****")[1][:4] for m in messages) == ["0001", "0002", "0003"], messages
    assert "查看器不显示" in next(m for m in messages if pii.mask(planted(3)) in m) and marks


def _written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

# A literal string as ISO 32000-1 §7.3.4.2 lets it be written: each reads as "Tel " and the planted number.
_LITERAL_FORMS = {
    "nested parentheses": lambda n: b"(Tel(office)((a)b)" + n + b")",
    "a line continuation after LF": lambda n: b"(Tel " + n[:3] + b"\\\n" + n[3:] + b")",
    "a line continuation after CR": lambda n: b"(Tel " + n[:3] + b"\\\r" + n[3:] + b")",
    "a line continuation after CR LF": lambda n: b"(Tel " + n[:3] + b"\\\r\n" + n[3:] + b")",
    "octal escapes of one to three digits": lambda n: b"(Tel " + n[:3] + b"".join(
        b"\\%o" % digit if at % 3 else b"\\%03o" % digit for at, digit in enumerate(n[3:])) + b")",
    "an unknown escape": lambda n: b"(Tel " + b"".join(b"\\" + bytes([digit]) if digit in b"89" else bytes([digit]) for digit in n) + b")",
}


def _in_actual_text(literal: bytes) -> bytes:
    return _hand_written(b"BT /F1 12 Tf 72 720 Td /Span << /ActualText %s >> BDC (Tel: see list) Tj EMC ET" % literal,
                         b"/Font << /F1 5 0 R >>")


def _in_unreferenced_stream(literal: bytes) -> bytes:
    return _with_bytes(pdf_with_text("Notice"), _stream_object(99, b"BT /F1 12 Tf 20 50 Td %s Tj ET" % literal))


def _in_private_stream(literal: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    stream = DecodedStreamObject()
    stream.set_data(b"%% private\n" + literal + b" def\n")
    private = DictionaryObject({NameObject("/Private"): writer._add_object(stream.flate_encode())})
    writer.pages[0][NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Editor"): private})
    return _written(writer)


@pytest.mark.parametrize("form", _LITERAL_FORMS)
@pytest.mark.parametrize(("place", "part"), [pytest.param(_in_actual_text, "替代文字", id="actual-text"),
                                             pytest.param(_in_unreferenced_stream, "未显示的内容", id="unreferenced"),
                                             pytest.param(_in_private_stream, "查看器不显示", id="piece-info")])
def test_a_literal_string_is_read_as_the_pdf_format_defines_it(site, form, place, part):
    """Copying gives `(Tel(office)139…)` whole and `(139\\<EOL>12345678)` without its line break: read to the first `)`
    or with the break kept, the number was two short ones, and `\\9` (a 9) stopped the reading of the file."""
    mobiles, _ = findings(site, "a.pdf", place(_LITERAL_FORMS[form](planted(2).encode())))
    assert [p.message for p in mobiles if pii.mask(planted(2)) in p.message and part in p.message], (form, [
        p.message for p in site.problems()])


def test_an_actual_text_longer_than_a_span_is_read_whole(site):
    """Read at most 512 characters, an /ActualText of blanks and then a number was not read at all."""
    mobiles, _ = findings(site, "a.pdf", _in_actual_text(b"(" + b" " * 700 + b"Tel " + planted(2).encode() + b")"))
    assert [p.message for p in mobiles if pii.mask(planted(2)) in p.message and "替代文字" in p.message]


@pytest.mark.parametrize("key", [b"/Actual#54ext ", b"/ActualText\0", b"/ActualText %comment\n", b"/#41ctual#54ext\r\n"],
                         ids=["escaped-name", "nul", "comment", "every-escape"])
def test_an_actual_text_is_read_however_its_key_is_written(site, key):
    """A name may spell a character as #xx, NUL is a blank and a comment may stand between a key and its value: the
    key written so, the number a reader copies was not read."""
    page = b"BT /F1 12 Tf 72 720 Td /Span << %s(Tel %s) >> BDC (Tel: see list) Tj EMC ET" % (key, planted(2).encode())
    mobiles, _ = findings(site, "a.pdf", _hand_written(page, b"/Font << /F1 5 0 R >>"))
    assert [p.message for p in mobiles if pii.mask(planted(2)) in p.message and "替代文字" in p.message]


@pytest.mark.parametrize("written", [
    lambda n: b"%s def" % n,  # a number as a token, no string
    lambda n: b"%% (comment\n<%s>" % n.hex().encode(),  # a comment's parenthesis made the hex string read as digits
    lambda n: b"%% Tel %s" % n,  # in a comment
], ids=["bare-number", "comment-before-hex", "in-a-comment"])
@pytest.mark.parametrize("place", [_in_unreferenced_stream, _in_private_stream], ids=["unreferenced", "piece-info"])
def test_what_a_stream_no_viewer_draws_holds_outside_its_strings_is_read(site, written, place):
    mobiles, _ = findings(site, "a.pdf", place(written(planted(2).encode())))
    assert [p.message for p in mobiles if pii.mask(planted(2)) in p.message], [p.message for p in site.problems()]


_DIGITS_FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding "
                b"/WinAnsiEncoding /Differences [65 /one /three /nine /one /two /three /four /five /six /seven /eight] >> >>")


def _numbered_objects(objects: list[tuple[int, int, bytes]], listed: dict[int, int], trailer: bytes = b"") -> bytes:
    """A PDF of `objects` (number, generation, body) in order, its table listing each number at the generation
    `listed` gives (the last object of that number and generation written)."""
    out, offsets = bytearray(b"%PDF-1.7\n"), {}
    for number, generation, body in objects:
        offsets[number, generation] = len(out)
        out += b"%d %d obj\n%s\nendobj\n" % (number, generation, body)
    xref, size = len(out), max(listed) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(
        b"%010d %05d n \n" % (offsets[number, listed[number]], listed[number]) for number in range(1, size))
    return bytes(out + b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref))


def _page_objects(font: bytes, content: bytes = b"BT /F1 24 Tf 72 720 Td (Tel ABCDEFGHIJK) Tj ET") -> list[tuple[int, int, bytes]]:
    return [(1, 0, b"<< /Type /Catalog /Pages 2 0 R >>"), (2, 0, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            (3, 0, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
                   b"/Contents 4 0 R >>"),
            (4, 0, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)), (5, 0, font)]


def _twice_in_a_font() -> bytes:
    """The font's /Encoding written twice, plain then /Differences: pypdf keeps the first (Tel ABCDEFGHIJK), pdf.js and
    PDFium the last (Tel 13912345678)."""
    font = _DIGITS_FONT.replace(b"/Encoding <<", b"/Encoding /WinAnsiEncoding /Encoding <<")
    return _numbered_objects(_page_objects(font), {number: 0 for number in range(1, 6)})


def _twice_in_the_trailer() -> bytes:
    """A second catalog: pypdf opens the first /Root, the viewers the last, whose page draws the number."""
    objects = [*_page_objects(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b"BT /F1 24 Tf 72 720 Td (Notice) Tj ET"),
               (6, 0, b"<< /Type /Catalog /Pages 7 0 R >>"), (7, 0, b"<< /Type /Pages /Kids [8 0 R] /Count 1 >>"),
               (8, 0, b"<< /Type /Page /Parent 7 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 9 0 R >> >> "
                      b"/Contents 4 0 R >>"), (9, 0, _DIGITS_FONT)]
    objects[3] = (4, 0, b"<< /Length 37 >>\nstream\nBT /F1 24 Tf 72 720 Td (ABCDEFGHIJK) Tj ET\nendstream")
    return _numbered_objects(objects, {number: 0 for number in range(1, 10)}, b"/Root 6 0 R ")


def _another_generation() -> bytes:
    """The page's font is `5 0 R`, the table lists object 5 at generation 1 (the digits font): PDFium takes the
    table's object of that number, pypdf the first `5 0 obj` the bytes hold (a plain Helvetica)."""
    objects = [*_page_objects(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"), (5, 1, _DIGITS_FONT)]
    return _numbered_objects(objects, {1: 0, 2: 0, 3: 0, 4: 0, 5: 1})


@pytest.mark.parametrize("make", [_twice_in_a_font, _twice_in_the_trailer, _another_generation])
def test_a_pdf_pypdf_mends_otherwise_than_viewers_is_named(site, make):
    """A key written twice (pypdf keeps the first value, pdf.js and PDFium the last) and an object the table lists at
    another generation: the viewers draw Tel 13912345678 where pypdf reads Tel ABCDEFGHIJK, and no string of the file
    holds a digit (rt44 F1, F3)."""
    site.attach("a.pdf", make())
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    assert [p for p in site.problems(privacy.NOT_SCANNED.code) if "pypdf 读取时自行修补" in p.message], site.problems()


@pytest.mark.parametrize(("label", "shown"), [(b"<< /P (Tel 139) /S /D /St 12345678 >>", True),
                                             (b"<< /S /D /St 13912345678 >>", True),
                                             (b"<< /P (\\u7b2c) /S /r /St 4 >>", False)])
def test_a_page_label_is_read_as_the_viewer_shows_it(site, label, shown):
    """A viewer shows a page's label as its prefix and its number counted from /St: `/P (Tel 139) /S /D /St 12345678`
    labels the first page Tel 13912345678 (rt44 F4)."""
    objects = _page_objects(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b"BT /F1 24 Tf 72 720 Td (Notice) Tj ET")
    objects[0] = (1, 0, b"<< /Type /Catalog /Pages 2 0 R /PageLabels << /Nums [0 %s] >> >>" % label)
    mobiles, _ = findings(site, "a.pdf", _numbered_objects(objects, {number: 0 for number in range(1, 6)}))
    assert bool([p for p in mobiles if pii.mask("13912345678") in p.message and "页码标签" in p.message]) == shown


@pytest.mark.parametrize("place", [_in_unreferenced_stream, _in_private_stream], ids=["unreferenced", "piece-info"])
def test_the_shows_of_a_text_object_no_viewer_draws_are_read_joined(site, place):
    """`(Tel 1391) Tj (2345678) Tj` of a stream no page draws was read as two short numbers (rt44 F6)."""
    number = planted(2).encode()
    mobiles, _ = findings(site, "a.pdf", place(b"BT (Tel %s) Tj (%s) Tj ET BT (9) Tj" % (number[:4], number[4:])))
    assert [p for p in mobiles if pii.mask(planted(2)) in p.message], [p.message for p in site.problems()]


def _written_literal(data: bytes, rng) -> bytes:
    """`data` as a literal string, each byte written in one of the forms the format allows for it, with line
    continuations between them; balanced parentheses written plain or escaped, pair by pair."""
    pairs: dict[int, bool] = {}
    opened: list[int] = []
    for at, byte in enumerate(data):
        if byte == ord("("):
            opened.append(at)
        elif byte == ord(")") and opened:
            pairs[opened[-1]] = pairs[at] = rng.random() < 0.5
            opened.pop()
    pieces: list[tuple[bytes, bytes]] = []  # (as chosen, as written when the next piece would change its reading)
    for at, byte in enumerate(data):
        if rng.random() < 0.2:
            continuation = rng.choice([b"\\\n", b"\\\r\n", b"\\\r"])
            pieces.append((continuation, b"\\\r\n" if continuation == b"\\\r" else continuation))
        octal = b"\\%03o" % (byte + rng.choice([0, 256]))  # high-order overflow ignored
        named = {10: b"\\n", 13: b"\\r", 9: b"\\t", 8: b"\\b", 12: b"\\f"}.get(byte)
        if byte in b"()":
            forms = [bytes([byte])] if pairs.get(at) else [b"\\" + bytes([byte]), octal, b"\\%o" % byte]
        else:
            forms = [octal, b"\\%o" % byte, *([named] if named else [])]
            forms += [] if byte in b"\\\r" else [bytes([byte])]
            forms += [] if byte in b"nrtbf01234567\r\n" else [b"\\" + bytes([byte])]  # \\, or an unknown escape
            forms += [b"\r", b"\r\n"] if byte == 10 else []
        chosen = rng.choice(forms)
        pieces.append((chosen, b"\\n" if chosen == b"\r" else octal if chosen == b"\\%o" % byte else chosen))
    nexts = [*(chosen for chosen, _ in pieces), b")"][1:]
    written = [safe if nxt[:1] == b"\n" and chosen.endswith(b"\r")  # CR, then LF: read as one end of line
               or nxt[:1].isdigit() and chosen[:1] == b"\\" and chosen[1:].isdigit() and len(chosen) < 4  # \1, then 2
               else chosen for (chosen, safe), nxt in zip(pieces, nexts, strict=True)]
    return b"(" + b"".join(written) + b")"


@settings(max_examples=500)
@given(st.lists(st.sampled_from(b"()\\\r\n\t07 89nr") | st.integers(0, 255), max_size=64).map(bytes),
       st.randoms(use_true_random=True))
def test_any_string_written_with_escapes_reads_back(data, rng):
    from gongkai.readers.pdf import _string_at

    written = _written_literal(data, rng)
    assert _string_at(written + b")) Tj (next)", 0) == (data, len(written)), written
    digits = "".join(rng.choice([f"{byte:02x}", f"{byte:02X}"]) for byte in data)
    digits = digits[:-1] if digits.endswith("0") and rng.random() < 0.5 else digits  # an odd last digit: padded with 0
    written = ("<" + "".join(rng.choice(["", "", " ", "\0", "\t\r\n\f"]) + digit for digit in digits) + ">").encode()
    assert _string_at(written + b" Tj", 0) == (data, len(written)), written


@pytest.mark.parametrize("content", [b"(" * 1_000_000, b"(" + b"\\" * 1_000_000, b"(\\" * 500_000, b"<" + b"a" * 1_000_000])
def test_a_megabyte_string_is_read_in_linear_time(content):
    """Read by a pattern, nested parentheses took minutes on 200 KB of `(\\`; read a part at a time, they cost a second
    a megabyte: runs of parentheses and of escapes are read in one step."""
    from gongkai.readers.pdf import _marked_texts, _stream_strings

    started = time.process_time()
    strings = _stream_strings(content + b"(Tel " + planted(1).encode() + b") Tj")
    texts = list(_marked_texts(b"/ActualText " + content))
    assert time.process_time() - started < 1.0
    assert planted(1).encode() in b"".join(strings) and (texts or content.startswith(b"<"))


def _with_open_action(action: dict) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject(key): NameObject(value) if value.startswith("/") else TextStringObject(value) for key, value in action.items()})
    return _written(writer)


def _with_document_script() -> bytes:
    """A script of the document's name tree, run as the file opens."""
    return pdf_with_text("x", b"/Names << /JavaScript << /Names [(a) 6 0 R] >> >> ", (b"<< /S /JavaScript /JS (app.alert(1)) >>",))


def _spelled_with_escapes() -> bytes:
    """/JavaScript and /JS spelled with #xx escapes, which every PDF reader decodes."""
    return pdf_with_text("x", b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> ")


def _many_objects_and_a_launch() -> bytes:
    """More objects than are all parsed: the launch is still found."""
    padding = [b"<< /N %d >>" % number for number in range(5200)]
    return pdf_with_text("x", b"/OpenAction 5206 0 R ",
                         (*padding, b"<< /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>"))


def _revised_many_times() -> bytes:
    """More incremental saves than are read one by one: the script is still found."""
    return (pdf_with_text("x", b"/OpenAction 6 0 R ", (b"<< /S /JavaScript /JS (app.alert(1)) >>",))
            + b"%%EOF\n" * (MAX_REVISIONS + 2))


@pytest.mark.parametrize(("make", "said"), [
    (_revised_many_times, "脚本（JavaScript）"),
    (lambda: _with_open_action({"/S": "/JavaScript", "/JS": "app.alert(1)"}), "脚本（JavaScript）"),
    (_with_document_script, "脚本（JavaScript）"),
    (lambda: _with_open_action({"/S": "/Launch", "/F": "cmd.exe"}), "启动其他程序的动作（Launch）"),
    (_spelled_with_escapes, "脚本（JavaScript）"),
    (_many_objects_and_a_launch, "启动其他程序的动作（Launch）"),
])
def test_a_pdf_that_runs_a_script_or_launches_a_program_is_an_error(site, make, said):
    """A PDF reader runs a document's JavaScript as the reader opens it, turns a page or clicks, and a launch action
    starts a program on the reader's computer: a file published for the public needs neither (GK317)."""
    site.attach("a.pdf", make())
    site.item(attachments=[{"title": "通知", "file": "a.pdf"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert said in problem.message and problem.is_error


def test_a_pdf_without_scripts_passes(site):
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_uri(0, "http://www.gov.cn/", RectangleObject([0, 0, 50, 50]))  # a link, followed when clicked
    site.attach("a.pdf", _written(writer))
    site.attach("b.pdf", pdf_with_text("JS JavaScript Launch"))
    site.item(attachments=[{"title": "通知", "file": "a.pdf"}, {"title": "名单", "file": "b.pdf"}])
    assert site.problems(privacy.SCRIPT.code) == []


@pytest.mark.parametrize(("catalog", "more", "said"), [
    (b"/OpenAction << /S /URI /URI (http://example.com/x) >> ", (), "自动打开网址的动作（地址在 example.com）"),
    (b"/OpenAction 6 0 R ", (b"<< /S /SubmitForm /F << /FS /URL /F (https://collect.example.org/s) >> >>",),
     "自动提交表单的动作（地址在 collect.example.org）"),
    (b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >> ", (b"<< /S /URI /URI (http://chained.example.net/) >>",),
     "自动打开网址的动作（地址在 chained.example.net）"),
    (b"/AA << /WC 6 0 R >> ", (b"<< /S /GoToR /F (\\\\\\\\srv01\\\\share\\\\a.pdf) /D [0 /Fit] >>",),
     "自动打开其他文件的动作（地址在 srv01）"),
])
def test_a_pdf_that_fetches_an_address_by_itself_is_an_error(site, catalog, more, said):
    """An action run as the file opens or closes (/OpenAction, /AA), itself or chained by /Next, that opens an address,
    submits the form, opens a file on a share or imports data, reaches out from the reader's computer (GK316)."""
    site.attach("a.pdf", pdf_with_text("x", catalog, more))
    site.item(attachments=[{"title": "通知", "file": "a.pdf"}])
    [problem] = site.problems(privacy.REMOTE.code)
    assert said in problem.message and problem.is_error


def test_a_link_the_reader_clicks_is_let_be(site):
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A << /S /URI /URI (http://www.gov.cn/) >> >>"
    data = pdf_with_text("x", more=(link,)).replace(b"/Resources", b"/Annots [6 0 R] /Resources", 1)
    site.attach("a.pdf", data)
    site.item(attachments=[{"title": "通知", "file": "a.pdf"}])
    assert site.problems(privacy.REMOTE.code) == [] and site.problems(privacy.SCRIPT.code) == []


def _xfa(packet: bytes) -> bytes:
    stream = b"<< /Length %d >>\nstream\n" % len(packet) + packet + b"\nendstream"
    return pdf_with_text("x", b"/AcroForm << /Fields [] /XFA [(template) 6 0 R] >> ", (stream,))


_XFA_TEMPLATE = (b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1"><event '
                 b'activity="initialize"><script contentType="application/x-javascript">app.launchURL("http://example.com")'
                 b"</script></event></subform></template>")


@pytest.mark.parametrize(("make", "said"), [
    (lambda: _xfa(_XFA_TEMPLATE), "XFA 表单中的脚本"),
    (lambda: _xfa(b'<!DOCTYPE t [<!ENTITY e "x">]>' + _XFA_TEMPLATE), "XFA 表单中的脚本"),
    (lambda: pdf_with_text("x", more=(b"<< /Type /3D /Subtype /U3D /OnInstantiate 7 0 R >>",
                                      b"<< /Length 11 >>\nstream\nhost.alert(\nendstream")), "三维模型中的脚本"),
    (lambda: pdf_with_text("x", more=(b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>",)), "RichMedia"),
])
def test_a_pdf_form_model_or_media_that_runs_script_is_an_error(site, make, said):
    """An XFA form's scripts run as it opens, a 3D model's script as it shows, a RichMedia annotation plays Flash:
    GK317 like any other script of the file."""
    site.attach("a.pdf", make())
    site.item(attachments=[{"title": "通知", "file": "a.pdf"}])
    [problem] = site.problems(privacy.SCRIPT.code)
    assert said in problem.message and problem.is_error


def test_an_xfa_form_without_script_passes(site):
    site.attach("a.pdf", _xfa(b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="form1">'
                              b"<field name=\"script\"/></subform></template>"))
    site.item(attachments=[{"title": "通知", "file": "a.pdf"}])
    assert site.problems(privacy.SCRIPT.code) == []


def test_a_walk_that_reaches_its_bound_names_what_it_left_unread(monkeypatch):
    """A structure tree, a page-label tree or an object larger than the walks' bounds was read to the bound and the rest
    passed over in silence: a personal number in the 100,001st figure's /Alt was never scanned, and nothing said so.
    Now the part is named as not read to its end (GK305)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    from gongkai.readers import pdf
    from gongkai.readers.core import Reading

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text("Notice"))))
    figures = [writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/Figure"),
                                                    NameObject("/Alt"): TextStringObject(f"图{n}")})) for n in range(12)]
    document = DictionaryObject({NameObject("/S"): NameObject("/Document"), NameObject("/K"): ArrayObject(figures)})
    writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): writer._add_object(document)}))
    out = io.BytesIO()
    writer.write(out)
    whole = Reading()
    pdf.read_pdf(out.getvalue(), "", whole, 0)
    assert "图11" in "\n".join(segment.text for segment in whole.segments) and not whole.unread
    monkeypatch.setattr(pdf, "_MAX_NODES", 5)
    cut = Reading()
    pdf.read_pdf(out.getvalue(), "", cut, 0)
    assert any(unread.part == "替代文字" and "没有读完" in unread.reason for unread in cut.unread), cut.unread


def _pdf_of(*objects: bytes) -> bytes:
    """A PDF of `objects`, numbered from 1 (1 0 obj the catalog, its /Pages 2 0 R)."""
    return _numbered_objects([(number, 0, body) for number, body in enumerate(objects, 1)],
                             dict.fromkeys(range(1, len(objects) + 1), 0))


def _content(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_USES_F1 = b"/Resources << /Font << /F1 5 0 R >> >>"
# The number drawn in two shows: the reader of objects no page shows reads each string as a line of its own.
_IN_TWO_SHOWS = _content(b"BT /F1 24 Tf 72 720 Td (Tel %s) Tj (%s) Tj ET" % (planted(1)[:4].encode(), planted(1)[4:].encode()))
_NOTICE = _content(b"BT /F1 24 Tf 72 720 Td (Notice) Tj ET")
# A font whose letters A..K draw the number's digits: no string of the file holds them.
_DIGIT_NAMES = (b"zero", b"one", b"two", b"three", b"four", b"five", b"six", b"seven", b"eight", b"nine")
_DIGITS_FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 %s] >> >>"
                % b" ".join(b"/" + _DIGIT_NAMES[int(digit)] for digit in planted(1)))


def _read(data: bytes):
    from gongkai.readers import pdf
    from gongkai.readers.core import Reading

    reading = Reading()
    pdf.read_pdf(data, "", reading, 0)
    return reading


@pytest.mark.parametrize(("objects", "form"), [
    ((_CATALOG, b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s /Contents 4 0 R >>" % _USES_F1, _NOTICE, _HELVETICA,
      b"<< /Type /Pages /Parent 2 0 R /MediaBox [0 0 595 842] %s /Contents 7 0 R >>" % _USES_F1, _IN_TWO_SHOWS),
     "a leaf typed /Pages (pdf.js shows it: it has no /Kids)"),
    ((_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      b"<< /Type /Page /Parent 2 0 R /Kids [6 0 R] /Count 1 /MediaBox [0 0 595 842] %s /Contents 4 0 R >>" % _USES_F1,
      _NOTICE, _HELVETICA, b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] %s /Contents 7 0 R >>" % _USES_F1,
      _IN_TWO_SHOWS),
     "a node typed /Page with /Kids (PDFium walks them)"),
    ((_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 %s >>" % _USES_F1,
      b"<< /Type /Page /Parent 6 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
      _content(b"BT /F1 24 Tf 72 720 Td (Tel ABCDEFGHIJK) Tj ET"), _HELVETICA,
      b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 7 0 R >> >> >>", _DIGITS_FONT),
     "a page whose /Parent is not the node listing it (both viewers inherit its font through /Parent)"),
])
def test_a_page_the_viewers_find_in_the_page_tree_otherwise_than_pypdf_is_read(objects, form):
    """pypdf lets /Type decide what a node of the page tree is and inherits from the nodes whose /Kids it walked; the
    viewers show these pages, and these fonts, otherwise: the number they show passed (rt44 F2)."""
    from gongkai.readers.core import AS_SHOWN

    reading = _read(_pdf_of(*objects))
    assert [s.where for s in reading.segments if f"Tel {planted(1)}" in s.text.splitlines()
            and not s.where.endswith(AS_SHOWN)] == [next(s.where for s in reading.segments if "页面树" in s.where)], form


def test_a_well_formed_page_tree_with_inherited_resources_reads_as_before():
    """Three levels, the resources given by the middle node, pages listed by their /Parent: read as pypdf reads them,
    nothing more."""
    pages = [b"<< /Type /Page /Parent 6 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (8 + n) for n in range(2)]
    data = _pdf_of(_CATALOG, b"<< /Type /Pages /Kids [6 0 R] /Count 2 >>", pages[0], pages[1], _HELVETICA,
                   b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 4 0 R] /Count 2 %s >>" % _USES_F1, b"<< >>",
                   _content(b"BT /F1 24 Tf 72 720 Td (Tel %s) Tj ET" % planted(1).encode()), _NOTICE)
    reading = _read(data)
    shown = [(s.where, s.text) for s in reading.segments if "未显示" not in s.where]
    assert shown == [("第 1 页第 {line} 行", f"Tel {planted(1)}"), ("第 2 页第 {line} 行", "Notice")] and not reading.unread


def _inline_image(declared: int, then: bytes) -> bytes:
    """A page that writes Notice, an unfiltered inline image of 4 bytes whose /W says `declared`, then `then`."""
    content = (b"BT /F1 24 Tf 72 760 Td (Notice) Tj ET\nq 10 0 0 10 72 600 cm BI /W %d /H 1 /BPC 8 /CS /G ID \x00\x10\x20\x30 EI Q\n"
               % declared + then)
    return _hand_written(content, b"/Font << /F1 5 0 R >>")


def test_text_after_an_inline_image_that_declares_more_bytes_than_it_holds_is_read():
    """pypdf and PDFium take /W × /H bytes of image data, swallowing the text after its EI; pdf.js ends the image at
    that EI and Firefox shows the text (rt44 F5)."""
    text = b"BT /F1 24 Tf 72 720 Td (Tel %s) Tj ET" % planted(1).encode()
    reading = _read(_inline_image(400, text + b"\n" + b" " * 420 + b"\nEI\n"))
    assert [s.where for s in reading.segments if f"Tel {planted(1)}" in s.text.splitlines()] == [
        "第 1 页（内嵌图像在 Firefox 所认的 EI 处结束时）第 {line} 行"]


def test_an_inline_image_of_the_size_it_declares_adds_nothing():
    reading = _read(_inline_image(4, b"BT /F1 24 Tf 72 720 Td (Tel %s) Tj ET" % planted(1).encode()))
    shown = [(s.where, s.text) for s in reading.segments if "未显示" not in s.where]
    assert shown == [("第 1 页第 {line} 行", f"Notice\nTel {planted(1)}")] and not reading.unread


def _wingdings_star_pdf(to_unicode: str | None) -> bytes:
    """机密 in a CID font, then a Wingdings glyph at 0xAB (★) as Word's 另存为 PDF writes it: its ToUnicode maps it to
    U+F0AB, or it has none (pypdf reads the code in the standard encoding: «)."""
    def cmap(pairs: list[tuple[int, str]], width: int) -> bytes:
        lines = b"".join(b"<%0*X> <%s>\n" % (width, code, text.encode("utf-16-be").hex().encode()) for code, text in pairs)
        return _content(b"begincmap 1 begincodespacerange <%s> <%s> endcodespacerange %d beginbfchar\n%sendbfchar endcmap"
                        % (b"0" * width, b"F" * width, len(pairs), lines))
    return _pdf_of(
        _CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> "
        b"/Contents 4 0 R >>",
        _content(b"BT /F1 14 Tf 72 760 Td <00010002> Tj /F2 14 Tf (\\253) Tj ET"),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode 6 0 R /DescendantFonts "
        b"[<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering "
        b"(Identity) /Supplement 0 >> >>] >>",
        cmap([(1, "机"), (2, "密")], 4),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Wingdings-Regular /FirstChar 171 /LastChar 171 /Widths [800]"
        + (b" /ToUnicode 8 0 R" if to_unicode else b"") + b" >>",
        *([cmap([(0xAB, to_unicode)], 2)] if to_unicode else []))


@pytest.mark.parametrize("to_unicode", ["\uf0ab", None])
def test_a_star_drawn_from_a_symbol_font_is_read_as_drawn(site, to_unicode):
    from gongkai.checks import marks as secrecy

    problems = site_findings(site, _wingdings_star_pdf(to_unicode))
    assert any(p.code == secrecy.CLASSIFIED.code for p in problems)


def site_findings(site, data: bytes) -> list:
    site.attach("a.pdf", data)
    site.item(attachments=[{"title": "材料", "file": "a.pdf"}])
    return site.check()


_ID = "110105198701201243"


def _page_drawing(content: bytes) -> bytes:
    return _pdf_of(_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s /Contents 4 0 R >>" % _USES_F1,
                   _content(content), _HELVETICA)


@pytest.mark.parametrize("content", [
    # the line's second piece drawn first
    b"BT /F1 12 Tf 140 700 Td (198701201243) Tj ET BT /F1 12 Tf 100 700 Td (110105) Tj ET",
    # each digit at its place, the text position moved back to the origin after each
    b"BT /F1 12 Tf " + b" ".join(b"%d 700 Td (%s) Tj -%d -700 Td" % (100 + 7 * at, digit.encode(), 100 + 7 * at)
                                 for at, digit in enumerate(_ID)) + b" ET",
    # each digit placed by a text matrix of its own, in shuffled order
    b"BT /F1 12 Tf " + b" ".join(b"1 0 0 1 %d 700 Tm (%s) Tj" % (100 + 7 * at, _ID[at].encode())
                                 for at in (5, 3, 1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 15, 13, 11, 9, 7)) + b" ET",
    # the pieces placed by the transformation they are drawn in (cm), the second first, or each digit so, shuffled
    b"q 1 0 0 1 140 700 cm BT /F1 12 Tf (198701201243) Tj ET Q q 1 0 0 1 100 700 cm BT /F1 12 Tf (110105) Tj ET Q",
    b" ".join(b"q 1 0 0 1 %d 700 cm BT /F1 12 Tf (%s) Tj ET Q" % (100 + 7 * at, _ID[at].encode())
              for at in (5, 3, 1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 15, 13, 11, 9, 7)),
    # the digits shown last first in one TJ array, each moved back an em (or 0.9 em) to stand before the one shown before
    b"BT /F1 12 Tf 300 700 Td [" + b" 1000 ".join(b"(%s)" % digit.encode() for digit in reversed(_ID)) + b"] TJ ET",
    b"BT /F1 12 Tf 300 700 Td [" + b" 900 ".join(b"(%s)" % digit.encode() for digit in reversed(_ID)) + b"] TJ ET",
    # a piece drawn between the number's pieces that the reader does not see: invisible, clipping only, white (gray,
    # RGB, CMYK, as a colour space's components), too small to see
    b"BT /F1 12 Tf 100 700 Td (110105) Tj 3 Tr (x) Tj 0 Tr (198701201243) Tj ET",
    b"BT /F1 12 Tf 100 700 Td (110105) Tj 7 Tr (x) Tj 0 Tr (198701201243) Tj ET",
    b"BT /F1 12 Tf 100 700 Td (110105) Tj 1 g (x) Tj 0 g (198701201243) Tj ET",
    b"BT /F1 12 Tf 100 700 Td (110105) Tj 1 1 1 rg (x) Tj 0 0 0 rg (198701201243) Tj ET",
    b"BT /F1 12 Tf 100 700 Td (110105) Tj ET q 0 0 0 0 k BT /F1 12 Tf 140 700 Td (xyz) Tj ET Q "
    b"BT /F1 12 Tf 160 700 Td (198701201243) Tj ET",
    b"BT /F1 12 Tf 100 700 Td (110105) Tj /DeviceRGB cs 1 1 1 sc [(x) -20 (y)] TJ 0 0 0 sc (198701201243) Tj ET",
    b"BT /F1 12 Tf 100 700 Td (110105) Tj /F1 0.2 Tf (xxxxx) Tj /F1 12 Tf (198701201243) Tj ET",
])
def test_a_page_is_read_as_it_is_drawn(content):
    """A page's text as it is drawn, not only in the order its content stream shows it: pieces of a line drawn in
    another order, each character moved to its place, or with a piece between them that the reader does not see
    (drawn invisibly, in white, or too small) read 198701201243110105, 1⏎1⏎0⏎…, 110105x198701201243, and passed."""
    import datetime as dt

    from gongkai.readers.core import AS_SHOWN

    reading = _read(_page_drawing(content))
    assert any(finding.number == _ID for segment in reading.segments if segment.where.endswith(AS_SHOWN)
               for finding in pii.find(segment.text, dt.date(2026, 1, 1))), reading.segments


def test_a_line_drawn_by_forms_out_of_order_is_read_as_drawn():
    """The line's pieces drawn by two form XObjects, the second piece's first: read 198701201243, then 110105."""
    import datetime as dt

    from gongkai.readers.core import AS_SHOWN

    def form(text: bytes) -> bytes:
        return _content(b"BT /F2 12 Tf 0 0 Td (%s) Tj ET" % text).replace(
            b"<< ", b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F2 5 0 R >> >> ", 1)

    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 6 0 R /X2 7 0 R >> >> "
            b"/Contents 4 0 R >>")
    reading = _read(_pdf_of(_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
                            _content(b"q 1 0 0 1 140 700 cm /X2 Do Q q 1 0 0 1 100 700 cm /X1 Do Q"), _HELVETICA,
                            form(_ID[:6].encode()), form(_ID[6:].encode())))
    assert any(finding.number == _ID for segment in reading.segments if segment.where.endswith(AS_SHOWN)
               for finding in pii.find(segment.text, dt.date(2026, 1, 1))), reading.segments


def test_laying_pages_out_as_drawn_is_bounded_for_a_file(monkeypatch):
    """Laying a page out costs as much as reading it again: past the file's bound the pages are read in their content's
    order only, and that is said once."""
    from gongkai.readers import pdf

    monkeypatch.setattr(pdf, "LAID_OUT", 5)
    content = b"BT /F1 12 Tf 140 700 Td (198701201243) Tj ET BT /F1 12 Tf 100 700 Td (110105) Tj ET"
    reading = _read(_pdf_of(_CATALOG, b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
                            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s /Contents 4 0 R >>" % _USES_F1,
                            _content(content), _HELVETICA,
                            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s /Contents 4 0 R >>" % _USES_F1))
    assert [unread.part for unread in reading.unread] == ["第 1 页起的页面"], reading.unread


def test_a_table_drawn_column_by_column_is_read_as_drawn_with_its_cells_apart():
    """Column A's cells drawn first, then column B's: read as drawn, one row's 139 and 12345678 are two cells (a tab
    apart, as a sheet's), no phone number; an 18-digit ID split across them is still found (read across a row)."""
    import datetime as dt

    from gongkai.checks import attached
    from gongkai.readers.core import Extraction

    content = (b"BT /F1 12 Tf 100 700 Td (139) Tj 0 -20 Td (110105) Tj ET "
               b"BT /F1 12 Tf 300 700 Td (12345678) Tj 0 -20 Td (198701201243) Tj ET")
    reading = _read(_page_drawing(content))
    scanned = attached.scan(Extraction(tuple(reading.segments)), dt.date(2026, 1, 1))
    assert {item.finding.number for item in scanned.personal} == {_ID}, reading.segments


def test_text_a_graphics_state_makes_transparent_is_read_as_a_gap():
    """`110105`, an `x` filled with opacity 0 (an ExtGState's /ca), `198701201243`: the page shows the ID."""
    import datetime as dt

    from gongkai.readers.core import AS_SHOWN

    content = (b"BT /F1 12 Tf 100 700 Td (110105) Tj ET q /G0 gs BT /F1 12 Tf 140 700 Td (x) Tj ET Q "
               b"BT /F1 12 Tf 150 700 Td (198701201243) Tj ET")
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> "
            b"/ExtGState << /G0 6 0 R >> >> /Contents 4 0 R >>")
    reading = _read(_pdf_of(_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, _content(content), _HELVETICA,
                            b"<< /Type /ExtGState /ca 0 >>"))
    assert any(finding.number == _ID for segment in reading.segments if segment.where.endswith(AS_SHOWN)
               for finding in pii.find(segment.text, dt.date(2026, 1, 1))), reading.segments
