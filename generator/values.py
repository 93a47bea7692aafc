"""Lenient conversion of raw YAML values into typed ones (None where unusable).

Checks report *why* a value is unusable; these helpers only decide *whether* it is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def as_text(value: Any) -> str:
    """A scalar as text; '' for missing or structured values."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return ""
    return str(value).strip()


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
