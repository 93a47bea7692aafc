"""What a WOFF2 font an agency adds may carry: the font and nothing besides (generator/font_files.py)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.font_files import woff2_fault

_HEADER = struct.Struct(">4s4sIHHIIHHIIIII")


def _base128(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def woff2(tables: list[tuple[int, int, int | None]], compressed: bytes, meta: bytes = b"", private: bytes = b"",
          after: bytes = b"") -> bytes:
    """A WOFF2 file laid out as the recommendation says: (flags, original length, transformed length or None) a table."""
    directory = b"".join(bytes([flags]) + (b"DSIG" if flags & 0x3F == 63 else b"") + _base128(original)
                         + (_base128(transformed) if transformed is not None else b"") for flags, original, transformed in tables)
    body = directory + compressed
    body += b"\0" * (-(len(body) + _HEADER.size) % 4)
    meta_offset = _HEADER.size + len(body) if meta else 0
    body += meta + b"\0" * (-len(meta) % 4 if private else 0)
    private_offset = _HEADER.size + len(body) if private else 0
    body += private + after
    length = _HEADER.size + len(body)
    header = _HEADER.pack(b"wOF2", b"\0\1\0\0", length, len(tables), 0, 1000, len(compressed), 1, 0,
                          meta_offset, len(meta), len(meta) * 2, private_offset, len(private))
    return header + body


# cmap; glyf and loca transformed; hmtx transformed; name; a tag of its own
TABLES = [(0, 300, None), (10, 4000, 2500), (11, 200, 0), (3 | 0x40, 500, 300), (5, 120, None), (63, 54, None)]


def test_a_font_and_nothing_besides_passes():
    assert woff2_fault(woff2(TABLES, b"\x8b" * 333)) == ""
    assert woff2_fault(woff2(TABLES, b"\x8b" * 334)) == ""  # padded to four bytes


@given(hidden=st.binary(min_size=4, max_size=200), where=st.sampled_from(["meta", "private", "after", "appended"]))
def test_bytes_besides_the_font_are_refused(hidden, where):
    """Anything a WOFF2 file carries that is not the font (its metadata and private blocks are free for any bytes, and
    bytes after the compressed tables or after the declared length are read by nobody) is published unscanned; up to
    three bytes of padding after the tables are not (four bytes is room for a text)."""
    font = {"meta": {"meta": hidden}, "private": {"private": hidden}, "after": {"after": hidden}}.get(where, {})
    data = woff2(TABLES, b"\x8b" * 333, **font) + (hidden if where == "appended" else b"")
    assert woff2_fault(data)


@given(st.binary(max_size=300))
def test_any_bytes_are_judged_without_an_exception(data):
    woff2_fault(b"wOF2" + data)
    woff2_fault(data)


@pytest.mark.parametrize("cut", [1, 10, 60, 400])
def test_a_cut_font_is_refused(cut):
    data = woff2(TABLES, b"\x8b" * 333)
    assert woff2_fault(data[:-cut])
