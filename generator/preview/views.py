"""The preview's views of items the public does not see yet: unreviewed, scheduled, not public.

They are types of their own (subclasses of the public views, so the item template shows them) and
are made only here, for the preview's plan. `gongkai build` plans with `item_view`, which refuses
every item that is not published, so none of them can reach a built site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Item
from ..site.views import ItemView, WithdrawnView, build_view, item_view


@dataclass(frozen=True)
class PreviewItemView(ItemView):
    """An item shown only in the preview."""


@dataclass(frozen=True)
class PreviewWithdrawnView(WithdrawnView):
    """A withdrawn item shown only in the preview (e.g. its withdrawal is not reviewed yet)."""


def preview_view(item: Item, today: dt.date, audience: str) -> ItemView | WithdrawnView:
    """The site's view of an item published to `audience`, the preview's own view of any other."""
    if item.is_published(today, audience):
        return item_view(item, today, audience)
    return build_view(item, today, PreviewItemView, PreviewWithdrawnView)


class KeptViews:
    """`preview_view`, kept for each item object: a save plans the whole site again, and an item whose file
    did not change is the same object with the same view (its metadata table is most of a save's planning at
    10,000 items). An item read again is a new object; one that went away is forgotten (`keep_only`)."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Item, dt.date, str, ItemView | WithdrawnView]] = {}

    def __call__(self, item: Item, today: dt.date, audience: str) -> ItemView | WithdrawnView:
        kept = self._kept.get(id(item))
        if kept is not None and kept[0] is item and kept[1] == today and kept[2] == audience:
            return kept[3]
        view = preview_view(item, today, audience)
        self._kept[id(item)] = (item, today, audience, view)
        return view

    def keep_only(self, items: list[Item]) -> None:
        self._kept = {id(item): kept for item in items if (kept := self._kept.get(id(item))) is not None and kept[0] is item}


def unplaceable(item: Item) -> str:
    """Why the item has no page in the preview ("" when it has one): what its page is built from."""
    missing = [label for label, value in (("主题分类", item.category), ("发布机构", item.department),
                                          ("发布日期", item.published), ("索引号", item.url)) if not value]
    return f"{'、'.join(missing)}不可用，无法生成页面" if missing else ""


def preview_items(items: list[Item]) -> tuple[list[Item], dict[str, str]]:
    """The items the preview shows (newest first, as the site lists them; one per page address) and,
    by path, why each other item is not shown."""
    shown: dict[str, Item] = {}
    left_out: dict[str, str] = {}
    for item in sorted(items, key=lambda item: item.path):
        reason = unplaceable(item)
        if reason:
            left_out[item.path] = reason
        elif item.url in shown:
            left_out[item.path] = f"与 {shown[item.url].path} 的页面地址相同（索引号重复），只显示那一个"
        else:
            shown[item.url] = item
    ordered = sorted(shown.values(), key=lambda item: (item.published, item.index_no), reverse=True)
    return ordered, left_out
