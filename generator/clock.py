"""The date a run considers "today": scheduled items appear from their date on.

`GONGKAI_TODAY=YYYY-MM-DD` pins it, for previews, reproducible builds and tests. Otherwise it is the
date in Beijing, whatever the machine's time zone: an item's dates are Chinese calendar days, and CI
runners keep UTC (a build at 0:10 Beijing time saw yesterday and published the day's items a day late),
while a machine ahead of Beijing published scheduled items hours before their day.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from .values import EARLIEST, LATEST, parse_date

ENVIRONMENT_VARIABLE = "GONGKAI_TODAY"
CHINA = dt.timezone(dt.timedelta(hours=8))  # 北京时间 has no daylight saving time


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The pinned date, or today's in Beijing; ValueError (with a Chinese message) for a bad pin."""
    pinned = environ.get(ENVIRONMENT_VARIABLE)
    if not pinned:
        return beijing_today()
    date = parse_date(pinned)
    if date is None:
        raise ValueError(f"环境变量 {ENVIRONMENT_VARIABLE} 的值“{pinned}”不是 {EARLIEST} 至 {LATEST} 之间的 YYYY-MM-DD 日期")
    return date


def beijing_today() -> dt.date:
    """Today's date in Beijing, pinned or not."""
    return dt.datetime.now(CHINA).date()


def ahead(day: dt.date) -> str | None:
    """Why a site of `day` must not be written where it is deployed, when `day` (a pinned GONGKAI_TODAY,
    for a preview) is still to come in Beijing; None otherwise."""
    now = beijing_today()
    if day <= now:
        return None
    return (f"环境变量 {ENVIRONMENT_VARIABLE}={day} 晚于今天（北京时间 {now}）：这样生成的网站会提前发布定时发布的条目、"
            "提前结束意见征集，不能写入要部署的网站目录。预览将来某天的网站请用 `gongkai build --site-dir` 另选一个目录"
            f"（不要部署它）；正式生成前请取消这个环境变量（`unset {ENVIRONMENT_VARIABLE}`）")


def day_of(timestamp: int | str) -> dt.date:
    """The day in Beijing of a Unix time (a git commit's `%ct`, pygit2's `commit_time`): a commit's own date (`%cs`)
    is in the zone its committer's machine wrote — a CI runner's UTC put a takedown merged at 0:30 Beijing time on the
    day before, and a version signed that day was then taken for one signed after it."""
    try:
        return dt.datetime.fromtimestamp(int(timestamp), CHINA).date()
    except (OverflowError, OSError, ValueError):  # a time git accepts but Python's dates cannot hold
        return dt.date.min if str(timestamp).strip().startswith("-") else dt.date.max
