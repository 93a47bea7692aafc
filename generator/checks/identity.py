"""The rule across items of the schema family: every 索引号 belongs to one item (GK111).

It is apart from `schema`, whose rules read only each item's own file, so those can run on one
saved file alone (the parallel check, the preview) while this one looks at all the items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..fields import label
from ..model import Item
from ..problems import Problem, listed
from ..rules import ERROR, SCHEMA
from .base import CheckContext

INDEX_NO_DUPLICATE = SCHEMA.rule(
    "GK111", ERROR,
    "索引号与其他条目重复",
    "用 `gongkai new` 为后来的条目分配新的索引号",
)


_SHOWN = 5  # holders, as `listed` shows them


def check(ctx: CheckContext) -> Iterator[Problem]:
    holders: dict[str, list[Item]] = defaultdict(list)
    for item in ctx.project.items:
        if item.index_no:
            holders[item.index_no].append(item)
    for index_no, items in holders.items():
        if len(items) < 2:
            continue
        # The first holders each message names, and how many there are: each of 20,000 items sharing one 索引号 listed
        # the others anew (quadratic, 11 s).
        first = [other.path for other in items[:_SHOWN + 1]]
        for index, item in enumerate(items):
            doc = ctx.project.documents.get(item.path)
            if doc is None:
                continue
            shown = first[:index] + first[index + 1:] if index <= _SHOWN else first
            others = listed(shown[:_SHOWN], total=len(items) - 1)
            yield INDEX_NO_DUPLICATE.at(item.path, doc.line_of("index_no"),
                        f"{label('index_no')} {index_no} 与 {others} 重复：索引号必须唯一，"
                        "请保留先发布的条目，为其他条目用 `gongkai new` 分配新索引号", doc.value_col("index_no"))
