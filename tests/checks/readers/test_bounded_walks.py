"""Bounded walks of the attachment readers say where they stopped: a TIFF's 65th page, an RTF's 101st object and a
PDF's 65th opening action were passed over in silence (a personal number, an Equation Editor object, a tracking
address). The pictures, objects and actions are written here as rt24's repros wrote them."""

from __future__ import annotations

import struct


def ifd(at: int, desc: bytes, next_at: int) -> bytes:
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1)]
    n = len(entries) + 4
    data_at = at + 2 + 12 * n + 4
    desc_at, pixel_at = data_at, data_at + len(desc)
    rows = sorted(entries + [(270, 2, len(desc), desc_at), (273, 4, 1, pixel_at), (278, 3, 1, 1), (279, 4, 1, 1)])
    out = struct.pack("<H", n) + b"".join(struct.pack("<HHII", *row) for row in rows)
    return out + struct.pack("<I", next_at) + desc + b"\0"

def size(desc: bytes) -> int:
    return len(ifd(0, desc, 0))

def tiff(pages: int, text: str) -> bytes:
    descs = [f"第{p}页".encode() + b"\0" for p in range(1, pages)] + [text.encode() + b"\0"]
    last_at = 8
    first_at = last_at + size(descs[-1])
    out = bytearray(b"II*\0" + struct.pack("<I", first_at))
    out += ifd(last_at, descs[-1], 0)
    at = first_at
    for page in range(pages - 1):
        here = at
        at += size(descs[page])
        next_at = at if page < pages - 2 else last_at
        out += ifd(here, descs[page], next_at)
    return bytes(out)

def ole1(kind: str, payload: bytes = b"") -> bytes:
    name = kind.encode() + b"\0"
    return struct.pack("<II", 0x0501, 2) + struct.pack("<I", len(name)) + name + struct.pack("<II", 0, 0) + \
        struct.pack("<I", len(payload)) + payload

def rtf(pad: int) -> bytes:
    parts = [b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\n\\pard \xb9\xab\xbf\xaa\\par\n"]
    for _ in range(pad):
        parts.append(b"{\\object\\objemb{\\*\\objclass Paint.Picture}{\\*\\objdata " + ole1("Paint.Picture").hex().encode() + b"}}\n")
    equation = ole1("Equation.3", b"\x1c\x00" * 8).hex().encode()
    parts.append(b"{\\object\\objemb{\\*\\objclass Equation.3}{\\*\\objdata " + equation + b"}}\n")
    parts.append(b"}\n")
    return b"".join(parts)

def pdf(pad: int) -> bytes:
    objs = {}
    first_action = 5
    objs[1] = f"<< /Type /Catalog /Pages 2 0 R /OpenAction {first_action} 0 R >>"
    objs[2] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objs[3] = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
               "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
    stream = b"BT /F1 12 Tf 20 100 Td (Notice) Tj ET"
    objs[4] = f"<< /Length {len(stream)} >>\nstream\n" + stream.decode() + "\nendstream"
    number = first_action
    for _ in range(pad):
        objs[number] = f"<< /Type /Action /S /GoTo /D [3 0 R /Fit] /Next {number + 1} 0 R >>"
        number += 1
    objs[number] = "<< /Type /Action /S /URI /URI (http://tracker.example.invalid/opened) >>"
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += f"{n} 0 obj\n{objs[n]}\nendobj\n".encode("latin-1")
    xref = len(out)
    size = max(objs) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for n in range(1, size):
        out += f"{offsets[n]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)



def test_a_tiff_page_past_the_pages_read_is_named_unread():
    from gongkai.readers.core import Reading
    from gongkai.readers.pictures import picture_texts

    for pages, read in ((64, True), (65, False)):
        reading = Reading()
        picture_texts(tiff(pages, "联系电话：13912345678"), "扫描件.tif：", reading, 0)
        text = "\n".join(segment.text for segment in reading.segments)
        assert ("13912345678" in text) is read
        assert any("其余的未读取" in unread.reason for unread in reading.unread) is not read


def test_an_rtf_object_past_the_objects_looked_at_is_refused():
    from gongkai.readers.core import Reading
    from gongkai.readers.rtf import MAX_OBJECTS, read_rtf

    for pad, said in ((MAX_OBJECTS - 1, "公式编辑器 3.0"), (MAX_OBJECTS, f"超过 {MAX_OBJECTS} 个的嵌入对象")):
        reading = Reading()
        read_rtf(rtf(pad), "", reading, 0)
        assert any(said in script for script in reading.scripts), reading.scripts


def test_an_opening_action_past_the_chain_followed_is_refused():
    from gongkai.readers.core import Reading
    from gongkai.readers.pdf import read_pdf

    for pad, said in ((63, "tracker.example.invalid"), (64, "超过 64 个")):
        reading = Reading()
        read_pdf(pdf(pad), "", reading, 0)
        assert any(said in remote for remote in reading.remote), reading.remote


def test_a_packaged_program_behind_names_that_do_not_read_is_still_named():
    """The name of a program packaged in an OLE file was looked for among its first 100 candidates, the undecodable ones
    counted: 100 of them first and the real `evil.bat` passed GK317 as a file without a program."""
    from gongkai.readers.core import packaged_program

    assert packaged_program(b"Package\0" + b"\0\x80\xff.exe\0" * 5 + b"\0evil.bat\0") == "evil.bat"
    assert packaged_program(b"Package\0" + b"\0\x80\xff.exe\0" * 100 + b"\0evil.bat\0") != ""
    assert packaged_program(b"Package\0" + b"\0readme.txt\0") == ""
