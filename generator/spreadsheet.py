"""CSV meant for spreadsheets (the annual report's figures, the supervision summary).

A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` for a formula, and a formula can
fetch addresses or run commands when the file is opened (`=HYPERLINK(…)`, DDE). Category,
department and register names are whatever a committer wrote, so such a cell is written as text:
with a leading apostrophe, which spreadsheets show as nothing. Plain numbers (`-3`, `+1.5`) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

_FORMULA = re.compile(r"[=@\t\r]|[+-](?![0-9.,]*\Z)")


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; and a CR inside a cell is then quoted
    writer.writerow([_cell(value) for value in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value
