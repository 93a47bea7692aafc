"""PDF: pages, annotations, form fields, embedded files, metadata; pages without text are named."""

from __future__ import annotations

import io

from gongkai.checks import pii, privacy

from ..samples import (
    docx_everywhere,
    findings,
    heavy_pdf,
    office_zip,
    pdf_everywhere,
    pdf_with_text,
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
