"""The annual report as plain data: what the renderers print, nothing about where it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .layout import TITLE_SUFFIX


@dataclass(frozen=True)
class DocumentCounts:
    """One row of 第二十条第（一）项: 规章 or 行政规范性文件."""

    made: int
    repealed: int
    valid: int


@dataclass(frozen=True)
class AnnualReport:
    year: int
    org_name: str
    overview: str
    regulations: DocumentCounts
    normative_documents: DocumentCounts
    # licensing / punishment / coercion → number of decisions; fees → 万元
    figures: Mapping[str, int | Decimal]
    # table 三: row key (layout.Row.key) → column key → count
    applications: Mapping[str, Mapping[str, int]]
    # table 四: review / litigation_direct / litigation_after_review → column key → count
    appeals: Mapping[str, Mapping[str, int]]
    main_problems: str
    other_matters: str
    # 主动公开 items published in the year; only categories / departments with at least one
    proactive_total: int
    by_category: tuple[tuple[str, int], ...]
    by_department: tuple[tuple[str, int], ...]

    @property
    def title(self) -> str:
        return f"{self.org_name}{self.year}年{TITLE_SUFFIX}"

    @property
    def period(self) -> str:
        return f"本报告中所列数据的统计期限为{self.year}年1月1日至{self.year}年12月31日。"


def format_amount(value: int | Decimal) -> str:
    """万元 as an office writes it: no exponent, no trailing zeros (12.50 → 12.5, 3.0 → 3)."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
