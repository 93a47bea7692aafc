"""Readers of attachment formats: the whole text of a file, every part a reader of it can see or reveal.

Most real leaks were name lists attached to a 公示, so attachments are read, not just listed:
`office` (DOCX, XLSX, OFD, XML), `pdf`, `text` (CSV, TXT in any common encoding), `archive` (ZIP),
`pictures` (text metadata), and inside those `web` (HTML, MHT) and `rtf`. A part that cannot be read is
named (`Extraction.unread`, GK305); a file built to exhaust the reader is refused (`Refused`). They run in the reading process, which
bounds time and memory (`readers.extract`).
"""

from __future__ import annotations

from pathlib import Path

from ..attachments import open_regular
from .archive import read_zip
from .core import READERS, Extraction, Reading, Refused, Segment, Unread, read, read_legacy
from .office import read_ofd, read_office, read_xml
from .pdf import read_pdf
from .pictures import read_picture
from .rtf import read_rtf
from .text import read_csv, read_txt
from .web import read_css, read_html, read_mht

READERS.update({
    "pdf": read_pdf, "docx": read_office, "xlsx": read_office, "docm": read_office, "xlsm": read_office, "pptx": read_office,
    "doc": read_legacy, "xls": read_legacy, "wps": read_legacy,
    "ofd": read_ofd, "xml": read_xml, "csv": read_csv, "txt": read_txt, "zip": read_zip,
    "png": read_picture, "jpg": read_picture, "jpeg": read_picture, "gif": read_picture, "webp": read_picture,
    "tif": read_picture, "tiff": read_picture, "bmp": read_picture, "ico": read_picture, "emf": read_picture,
    "wmf": read_picture, "svg": read_picture,
    # Never attached on their own (attachments.TYPES), but found inside DOCX (altChunk), MHT and ZIP files.
    "htm": read_html, "html": read_html, "xhtml": read_html, "mht": read_mht, "mhtml": read_mht, "eml": read_mht, "rtf": read_rtf,
    "css": read_css,
})

__all__ = ["READERS", "Extraction", "Refused", "Segment", "Unread", "read_file"]


def read_file(path: Path, suffix: str) -> Extraction:
    """The whole text of one attachment (in the reading process); never raises for a damaged file."""
    reading = Reading()
    with open(open_regular(path), "rb") as stream:
        data = stream.read()
    read(data, suffix, "", reading, 0)
    return Extraction(tuple(reading.segments), reading.unread_parts(), located=tuple(reading.located),
                      formulas=tuple(reading.formulas), remote=tuple(reading.remote), scripts=tuple(reading.scripts))
