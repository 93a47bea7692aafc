"""CSV and text files: the encoding detected, CSV cells kept apart."""

from __future__ import annotations

import codecs
import csv
import io

from .core import Reading, named

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes) -> str:
    """Text of a CSV or TXT file: BOM, else UTF-8, else UTF-16 by its NUL bytes, else detected (GB18030 …)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(0) * 4 >= len(sample) > 0:  # UTF-16 without a BOM: a NUL byte in every ASCII character
        even_nuls = sample[0::2].count(0)
        return data.decode("utf-16-be" if even_nuls > sample[1::2].count(0) else "utf-16-le", errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    return data.decode(best.encoding if best else "gb18030", errors="replace")


def read_csv(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = ["\t".join(row) for row in csv.reader(io.StringIO(text))]
    except csv.Error:  # not really comma-separated: read it as lines
        rows = text.split("\n")
    reading.add(named(prefix, "第 {line} 行"), "\n".join(rows))


def read_txt(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    reading.add(named(prefix, "第 {line} 行"), decode_text(data).replace("\r\n", "\n"))
