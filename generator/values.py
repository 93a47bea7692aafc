"""Lenient conversion of raw YAML values into typed ones (None where unusable).

Checks report *why* a value is unusable; these helpers only decide *whether* it is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from .problems import printable


def int_or(text: str | None, default: int) -> int:
    """A number attribute of an outside file's XML (Word's `w:val`, Excel's row and style numbers) as an int,
    `default` where it is none: `str.isdigit` allows ² ① that int() refuses, and int() refuses thousands of digits."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # ASCII digits: \d takes ２ and ٢, which fromisoformat refuses

# Every date gongkai accepts: from the founding of the People's Republic to a bound that keeps
# date arithmetic (working days, feeds in UTC+8) far from the limits of Python's dates.
EARLIEST = dt.date(1949, 1, 1)
LATEST = dt.date(2100, 12, 31)


def parse_date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD date between EARLIEST and LATEST, or None."""
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value if EARLIEST <= value <= LATEST else None
    return None


@lru_cache(maxsize=4096)  # a site's items share a few thousand dates, and loading reads eight an item
def _parse_text(value: str) -> dt.date | None:
    if not _DATE_RE.match(value.strip()):
        return None
    try:
        date = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return date if EARLIEST <= date <= LATEST else None


def date_problem(value: Any) -> tuple[str, bool] | None:
    """Why `value` is not a usable date (Chinese, for a message) and whether only its range is wrong;
    None when it is a usable date."""
    if parse_date(value) is not None:
        return None
    text = as_text(value)
    if not _DATE_RE.match(text):
        folded = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in unicodedata.normalize("NFKC", text))
        if _DATE_RE.match(folded):
            return f"“{shown(text)}”不是 YYYY-MM-DD 格式（数字和连字符须为半角）", False
        return f"“{shown(text)}”不是 YYYY-MM-DD 格式", False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return f"“{text}”不是真实存在的日期", False
    return f"“{text}”不在可用的范围内（{EARLIEST} 至 {LATEST}）", True


# What ends a line in a terminal, a log or an editor: not allowed in a name, which is printed on a line of its own.
LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: at most `limit` characters, so a hostile value cannot flood the output, and
    what would act on a terminal instead of showing (a line break forging a line, an ESC sequence) written out."""
    text = str(value)
    return printable(text if len(text) <= limit else text[:limit] + "…")


def finite_number(value: Any) -> bool:
    """Whether YAML read `value` as a number that is not infinite or NaN. An integer is always finite:
    `math.isfinite` turns it into a float first, which a 400-digit one overflows (OverflowError)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or isinstance(value, float) and math.isfinite(value)


def as_text(value: Any) -> str:
    """A scalar as text; '' for missing or structured values."""
    if type(value) is str:  # most are (loading reads two dozen an item)
        return value.strip()
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return ""
    return str(value).strip()


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
