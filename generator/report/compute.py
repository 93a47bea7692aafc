"""What the report computes from items: table 二's 规章 / 行政规范性文件 rows and the 主动公开 counts.

The rules (also in docs/年度报告数据格式.md):
- Only items the public can see count: 主动公开, published on or before the build date. A withdrawn
  item (撤回) was still published that year, so it counts as published; it is no longer 现行有效.
- An item counts in the year the public got it (`Item.public_since`): a 先党内、后党外 item published on
  2025-12-20 with `public_from: 2026-01-10` is 2026's, as the public site lists it, so that 2025's report,
  issued in January, does not change when the item reaches the public.
- 规章 = genre 规章; 行政规范性文件 = genre 规范性文件 or 行政规范性文件, or no genre but filed under
  the 主题分类 规范性文件.
- 本年制发件数: of these, published in the year.
- 本年废止件数: the 索引号 the office lists under `active_disclosure.repealed` of that year's input
  (an item has no repeal date, so the year of repeal is recorded there). 废止 and 失效 both count.
- 现行有效件数: published by 31 December of the year, not withdrawn by then, and not repealed by
  then. An item marked 废止/失效 that no report lists has an unknown repeal year: it still counts
  as valid, so that a published report does not change when an editor marks a document 失效
  later (`gongkai check` warns until the office lists it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from ..model import VALID, Item
from ..project import Project
from .layout import NORMATIVE, NORMATIVE_CATEGORY, NORMATIVE_GENRES, REGULATION, REGULATION_GENRES
from .model import DocumentCounts


def document_kind(item: Item) -> str | None:
    """'regulations', 'normative_documents' or None: which row of 第二十条第（一）项 the item is in."""
    if item.genre in REGULATION_GENRES:
        return REGULATION.key
    if item.genre in NORMATIVE_GENRES:
        return NORMATIVE.key
    if not item.genre and item.category is not None and item.category.name == NORMATIVE_CATEGORY:
        return NORMATIVE.key
    return None


def public_items(project: Project, today: dt.date) -> list[Item]:
    """Government information the public has (党务公开 columns are not part of it)."""
    return [item for item in project.items if item.is_published(today) and not (item.category and item.category.party)]


def _public_since(item: Item) -> dt.date:
    since = item.public_since
    assert since is not None  # one of `public_items`
    return since


def _valid_at(item: Item, end: dt.date, repeal_years: Mapping[str, int]) -> bool:
    if _public_since(item) > end:
        return False
    if item.withdrawn is not None and (item.withdrawn.date is None or item.withdrawn.date <= end):
        return False
    repealed_in = repeal_years.get(item.index_no)
    return item.validity == VALID or repealed_in is None or repealed_in > end.year


def document_counts(
    items: Iterable[Item], year: int, repealed_this_year: Iterable[str], repeal_years: Mapping[str, int]
) -> dict[str, DocumentCounts]:
    """Table 二 第二十条第（一）项 for `year`, from the public items.

    `repealed_this_year` are the 索引号 listed in the year's input; `repeal_years` maps every listed
    索引号 (any year) to the year it was repealed in (for repealed_earlier: the year before the file's).
    """
    end = dt.date(year, 12, 31)
    made: Counter[str] = Counter()
    valid: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for item in items:
        kind = document_kind(item)
        if kind is None:
            continue
        kinds[item.index_no] = kind
        if _public_since(item).year == year:
            made[kind] += 1
        if _valid_at(item, end, repeal_years):
            valid[kind] += 1
    repealed = Counter(kinds[number] for number in set(repealed_this_year) if number in kinds)
    return {
        kind: DocumentCounts(made[kind], repealed[kind], valid[kind]) for kind in (REGULATION.key, NORMATIVE.key)
    }


def proactive_counts(
    project: Project, items: Iterable[Item], year: int
) -> tuple[int, tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    """(total, by category, by department) of public items that reached the public in `year`, in catalog order."""
    of_year = [item for item in items if _public_since(item).year == year]
    by_category = Counter(item.category.name for item in of_year if item.category is not None)
    by_department = Counter(item.department.name for item in of_year if item.department is not None)
    catalog = project.catalog
    category_order = [leaf.name for leaf in catalog.categories] if catalog else sorted(by_category)
    department_order = [d.name for d in catalog.departments] if catalog else sorted(by_department)
    return (
        len(of_year),
        tuple((name, by_category[name]) for name in category_order if by_category[name]),
        tuple((name, by_department[name]) for name in department_order if by_department[name]),
    )
