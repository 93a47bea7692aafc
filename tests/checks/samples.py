"""Sample numbers and attachment files made in the test itself (no binary fixtures in git)."""

from __future__ import annotations

import io

from stdnum import luhn


def make_id(region: str = "131122", birth: str = "19900307", sequence: str = "204") -> str:
    """An 18-digit 身份证号 with its GB 11643 check character, computed here independently."""
    body = region + birth + sequence
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(body))
    return body + "10X98765432"[total % 11]


def make_card(prefix: str = "622202123456789012") -> str:
    return prefix + luhn.calc_check_digit(prefix)


ID = make_id()
CARD = make_card()


def pdf_with_text(text: str) -> bytes:
    """A minimal valid PDF whose single page shows `text` (ASCII) in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_with(paragraph: str, cell: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("危房改造补助对象名单")
    document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text, table.cell(1, 1).text = "张三", cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_with(value: object) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "联系电话"])
    sheet.append(["张三", value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
