"""办结率 that cannot exceed 100 %: counted from one partition of the 督办件, never from two totals.

Every 督办件 received is in exactly one of three states on the day counted (办结, 办理中, 取消),
so 办结 ≤ 办结 + 办理中 = received − 取消, and the rate 办结 ÷ (received − 取消) is at most 1 by
construction. (The seed 政务督查报告's 结案率 100.17 % divided cases closed — including earlier
years' — by cases received this year: two numbers from different sets.) The percentage is rounded
down, so it reads 100 % only when nothing is still open.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .supervision import CANCELLED, DONE, OPEN, Entry


@dataclass(frozen=True)
class Tally:
    done: int = 0
    open: int = 0
    cancelled: int = 0

    def __post_init__(self) -> None:
        if min(self.done, self.open, self.cancelled) < 0:
            raise ValueError("a tally counts entries: no count is negative")

    @property
    def received(self) -> int:
        return self.done + self.open + self.cancelled

    @property
    def rate(self) -> Fraction | None:
        """办结 ÷ (received − 取消); None when nothing is left to count (none received, or all cancelled)."""
        counted = self.done + self.open
        return Fraction(self.done, counted) if counted else None


def tally(entries: Iterable[Entry], day: dt.date) -> Tally:
    """The entries' states on `day`, each entry counted once."""
    states = Counter(entry.status_at(day) for entry in entries)
    return Tally(states[DONE], states[OPEN], states[CANCELLED])


def percent(rate: Fraction | None) -> str:
    """“98.50%”, rounded down to hundredths of a percent; “—” when there is no rate."""
    if rate is None:
        return "—"
    hundredths = rate.numerator * 10000 // rate.denominator
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def cutoff(year: int, today: dt.date) -> dt.date:
    """The day a year is counted on: its 31 December, or today while the year is still running."""
    return min(dt.date(year, 12, 31), today)
