"""CSV meant for spreadsheets (the annual report's figures, the supervision summary).

A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` for a formula, and a formula can
fetch addresses or run commands when the file is opened (`=HYPERLINK(…)`, DDE). Category,
department and register names are whatever a committer wrote, so such a cell is written as text:
with a leading apostrophe, which spreadsheets show as nothing. Plain numbers (`-3`, `+1.5`) stay numbers.

What a spreadsheet may read past first is judged too: a tab, CR or line feed first (an import that splits
or trims there), blanks first (LibreOffice's "trim spaces", Excel's leading spaces, 全角空格), and the
full-width and small forms of the signs (`＝`, `＋`, `－`, `＠`, `﹦`: an East Asian input method or import
turns them into the ASCII sign).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence

_SIGNS = "=+-@"
_PLAIN_NUMBER = re.compile(r"[+-][0-9.,]*\Z")
_BLANKS = re.compile(r"[\s\ufeff\u200b]*")


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; and a CR inside a cell is then quoted
    writer.writerow([_cell(value) for value in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def formula_like(value: str) -> bool:
    """Whether a spreadsheet could take the cell `value` for a formula."""
    if value[:1] in ("\t", "\r", "\n"):
        return True
    blanks = _BLANKS.match(value)
    rest = value[blanks.end() if blanks else 0:]
    if not rest or unicodedata.normalize("NFKC", rest[0])[:1] not in _SIGNS:
        return False
    return not (rest == value and _PLAIN_NUMBER.match(value))  # -3, +1.5 as written: numbers


def _cell(value: object) -> object:
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value
