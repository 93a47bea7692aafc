"""The date a run considers "today": scheduled items appear from their date on.

`GONGKAI_TODAY=YYYY-MM-DD` pins it, for previews, reproducible builds and tests.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from .values import EARLIEST, LATEST, parse_date

ENVIRONMENT_VARIABLE = "GONGKAI_TODAY"


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The pinned date, or the system's; ValueError (with a Chinese message) for a bad pin."""
    pinned = environ.get(ENVIRONMENT_VARIABLE)
    if not pinned:
        return dt.date.today()
    date = parse_date(pinned)
    if date is None:
        raise ValueError(f"环境变量 {ENVIRONMENT_VARIABLE} 的值“{pinned}”不是 {EARLIEST} 至 {LATEST} 之间的 YYYY-MM-DD 日期")
    return date
