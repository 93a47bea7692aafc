"""Periods of a periodic disclosure (定期公开) and the rules that say when each is due.

A period is written the way editors say it: `2026` (year), `2026H1` / `2026H2` (half),
`2026Q3` (quarter), `2026-03` (month), `2026W09` (ISO week, Monday to Sunday). A due rule is
a short Chinese phrase counted from the period's last day (the seed's 公开时限 by default):

| rule | due date |
|---|---|
| 次月底, 次月 | last day of the month after the period's last month |
| 次月N日 | day N of that month (its last day if shorter) |
| 次年一季度, 次年第一季度 | 31 March of the year after the period's last day |
| 次年M月底, 次年M月N日 | that day of the following year |
| 当年M月底, 当年M月N日 | that day of the year of the period's last day (may precede it: budgets) |
| 期末后N天, 期末后N日 | N calendar days after the period's last day |
| 期末后N个工作日 | the N-th working day after it (调休 where chinesecalendar knows the year) |

Numbers may be written in digits or Chinese numerals (次月十日), and a trailing 前, 内, 之前, 以内 …
changes nothing (次月十日内 is the seed's wording). Publication on the due date is on time. Nothing here knows about items or the catalog.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .values import EARLIEST, LATEST
from .workdays import WorkCalendar

EVERY = ("year", "half", "quarter", "month", "week")
EVERY_LABELS = {"year": "年度", "half": "半年", "quarter": "季度", "month": "月度", "week": "每周"}
# The seed's 公开时限 (党务公开实施方案 五(三)2): yearly in the next year's first quarter, half-yearly
# and quarterly in the month after, monthly by the 10th of the next month; weekly ones within a week.
DEFAULT_DUE = {"year": "次年一季度", "half": "次月底", "quarter": "次月底", "month": "次月10日", "week": "期末后7天"}
PERIOD_FORMS = {"year": "2026", "half": "2026H1 或 2026H2", "quarter": "2026Q1 至 2026Q4", "month": "2026-03",
                "week": "2026W09（ISO 周，周一至周日）"}
MAX_OFFSET_DAYS = 366
# The years a period may name, those of any date gongkai accepts: a typo such as 0026Q3 is refused.
FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year
MAX_WORKING_DAYS = 60

# ASCII digits only (full-width ones are ASCII once normalised): `\d` also takes ٢٠٢١ and ߂߀߂߆, which int() reads as
# 2021 and 2026, so a period no editor's schema accepts was taken as one (and printed as 2021年).
_PERIOD_PATTERNS = {
    "year": re.compile(r"([0-9]{4})"),
    "half": re.compile(r"([0-9]{4})H([12])"),
    "quarter": re.compile(r"([0-9]{4})Q([1-4])"),
    "month": re.compile(r"([0-9]{4})-([0-9]{1,2})"),
    "week": re.compile(r"([0-9]{4})-?W([0-9]{1,2})"),
}
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"([0-9]{1,3}|[〇零一二两三四五六七八九十]{1,4})"


def normalised(text: str) -> str:
    """Full-width forms folded (ＱＷ２０２６ → QW2026), spaces dropped, letters upper-cased."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


@dataclass(frozen=True, order=True)
class Period:
    year: int
    number: int  # 1 for a year; the half, quarter, month or ISO week
    every: str

    @property
    def first_day(self) -> dt.date:
        if self.every == "week":
            return dt.date.fromisocalendar(self.year, self.number, 1)
        month = {"year": 1, "half": 6 * (self.number - 1) + 1, "quarter": 3 * (self.number - 1) + 1}.get(self.every, self.number)
        return dt.date(self.year, month, 1)

    @property
    def last_day(self) -> dt.date:
        if self.every == "week":
            return dt.date.fromisocalendar(self.year, self.number, 7)
        months = {"year": 12, "half": 6, "quarter": 3, "month": 1}[self.every]
        last_month = self.first_day.month + months - 1
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def next(self) -> Period:
        count = {"year": 1, "half": 2, "quarter": 4, "month": 12}.get(self.every) or _iso_weeks(self.year)
        if self.number < count:
            return Period(self.year, self.number + 1, self.every)
        return Period(self.year + 1, 1, self.every)

    @property
    def index(self) -> int:
        """A number that grows by one from each period to the next (for counting periods without walking them)."""
        if self.every == "week":
            return (self.first_day.toordinal() - 1) // 7  # Mondays: date.fromordinal(1) is a Monday
        count = {"year": 1, "half": 2, "quarter": 4, "month": 12}[self.every]
        return self.year * count + self.number - 1

    def __str__(self) -> str:
        """The canonical way to write it in an item: 2026, 2026H1, 2026Q3, 2026-03, 2026W09."""
        return {
            "year": f"{self.year}",
            "half": f"{self.year}H{self.number}",
            "quarter": f"{self.year}Q{self.number}",
            "month": f"{self.year}-{self.number:02d}",
        }.get(self.every, f"{self.year}W{self.number:02d}")

    @property
    def label(self) -> str:
        """How a reader says it: 2026年第3季度."""
        return {
            "year": f"{self.year}年",
            "half": f"{self.year}年{'上' if self.number == 1 else '下'}半年",
            "quarter": f"{self.year}年第{self.number}季度",
            "month": f"{self.year}年{self.number}月",
        }.get(self.every, f"{self.year}年第{self.number}周")


def _iso_weeks(year: int) -> int:
    return dt.date(year, 12, 28).isocalendar().week


def parse_period(text: str, every: str) -> Period | None:
    """The period `text` names in a series that recurs `every`; None if it is not one."""
    found = _PERIOD_PATTERNS[every].fullmatch(normalised(text))
    if not found:
        return None
    year = int(found[1])
    number = int(found[2]) if found.lastindex and found.lastindex > 1 else 1
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if every == "month" and not 1 <= number <= 12:
        return None
    if every == "week" and not 1 <= number <= _iso_weeks(year):
        return None
    return Period(year, number, every)


def period_at(index: int, every: str) -> Period:
    """The period whose `index` is `index` (the inverse of `Period.index`)."""
    if every == "week":
        return period_of(dt.date.fromordinal(index * 7 + 1), every)
    count = {"year": 1, "half": 2, "quarter": 4, "month": 12}[every]
    year, number = divmod(index, count)
    return Period(year, number + 1, every)


def period_of(day: dt.date, every: str) -> Period:
    """The period of `every` that contains `day`."""
    if every == "week":
        iso = day.isocalendar()
        return Period(iso.year, iso.week, every)
    number = {"year": 1, "half": (day.month - 1) // 6 + 1, "quarter": (day.month - 1) // 3 + 1}.get(every, day.month)
    return Period(day.year, number, every)


@dataclass(frozen=True)
class DueRule:
    """A parsed due rule; `date(period)` is the last day on which publication is on time."""

    text: str
    kind: str  # "month" (a day of a month), "days" or "working_days" after the period's last day
    years: int = 0  # for "month": years after the period's last day (当年 0, 次年 1)
    months: int = 0  # for "month": months after the period's last month (次月 1)
    month: int = 0  # for "month": a fixed month (次年3月), 0 = counted by `months`
    day: int = 0  # for "month": the day, 0 = the month's last day
    count: int = 0  # for "days" and "working_days"

    def date(self, period: Period) -> dt.date:
        end = period.last_day
        if self.kind == "days":
            return end + dt.timedelta(days=self.count)
        if self.kind == "working_days":
            return WorkCalendar().add(end, self.count)  # 调休 where chinesecalendar knows the year, else Mon–Fri
        if self.month:
            year, month = end.year + self.years, self.month
        else:
            index = end.year * 12 + end.month - 1 + self.months
            year, month = divmod(index, 12)
            month += 1
        length = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(self.day, length) if self.day else length)


def _number(text: str, low: int, high: int) -> int:
    """12, 十二, 二十一, 三十 … as an int in [low, high]; ValueError otherwise."""
    if text.isdigit():
        value = int(text)
    elif "十" in text:
        tens, _, units = text.partition("十")
        if "十" in units or len(tens) > 1 or len(units) > 1:
            raise ValueError(text)
        value = (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)
    else:
        value = 0
        for char in text:
            value = value * 10 + _DIGITS[char]
    if not low <= value <= high:
        raise ValueError(text)
    return value


def _month(text: str) -> int:
    return _number(text, 1, 12)


def _day(text: str) -> int:
    return _number(text, 1, 31)


_RULES = (
    (re.compile(r"次月(?:[底末])?"), lambda m: DueRule("", "month", months=1)),
    (re.compile(rf"次月{_NUMBER}[日号]"), lambda m: DueRule("", "month", months=1, day=_day(m[1]))),
    (re.compile(r"次年第?[一1]季度末?"), lambda m: DueRule("", "month", years=1, month=3)),
    (re.compile(rf"([次当])年{_NUMBER}月[底末]"), lambda m: DueRule("", "month", years=int(m[1] == "次"), month=_month(m[2]))),
    (re.compile(rf"([次当])年{_NUMBER}月{_NUMBER}[日号]"),
     lambda m: DueRule("", "month", years=int(m[1] == "次"), month=_month(m[2]), day=_day(m[3]))),
    (re.compile(rf"期[末满]后{_NUMBER}个工作日"),
     lambda m: DueRule("", "working_days", count=_number(m[1], 1, MAX_WORKING_DAYS))),
    (re.compile(rf"期[末满]后{_NUMBER}[天日]"), lambda m: DueRule("", "days", count=_number(m[1], 1, MAX_OFFSET_DAYS))),
)
GRAMMAR = "次月底、次月N日、次年一季度、次年M月底、次年M月N日、当年M月底、当年M月N日、期末后N天、期末后N个工作日"
_SUFFIX = re.compile(r"(?:之|以)?[前内]$")  # 次月10日前, 次月十日内 (the seed's wording) say the same


@lru_cache(maxsize=256)
def parse_due(text: str) -> DueRule | None:
    """The rule `text` states, or None if it is not one of GRAMMAR or a number is out of range."""
    compact = _SUFFIX.sub("", normalised(text))
    for pattern, make in _RULES:
        found = pattern.fullmatch(compact)
        if found is None:
            continue
        try:
            rule = make(found)
        except (KeyError, ValueError):  # 十十, 13月, 32日, 期末后0天 …
            return None
        return DueRule(text, rule.kind, rule.years, rule.months, rule.month, rule.day, rule.count)
    return None

