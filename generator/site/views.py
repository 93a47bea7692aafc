"""What an item page may show, as frozen views: the only item data templates and the sitemap see.

A published item becomes an `ItemView`; a withdrawn one a `WithdrawnView`, which has no body,
summary or attachments to print by mistake; an item that is not public gets no view at all
(`item_view` refuses it). The review record, `pii_allow` and the source path never reach a view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import PUBLIC, Item


@dataclass(frozen=True)
class ItemView:
    """A published item's metadata, as its page shows it (the body is the page's Markdown)."""

    title: str
    index_no: str
    category: str
    department: str
    written: dt.date | None
    doc_no: str
    published: dt.date
    validity: str
    keywords: tuple[str, ...]
    summary: str

    withdrawn = False

    @property
    def changed(self) -> dt.date:
        """The date the page last changed (for the sitemap)."""
        return self.published


@dataclass(frozen=True)
class WithdrawnView:
    """A withdrawn item's tombstone: metadata and the withdrawal, nothing of its content."""

    title: str
    index_no: str
    category: str
    department: str
    written: dt.date | None
    doc_no: str
    published: dt.date
    validity: str
    keywords: tuple[str, ...]
    withdrawn_date: dt.date | None
    withdrawn_reason: str

    withdrawn = True

    @property
    def changed(self) -> dt.date:
        return self.withdrawn_date or self.published


def item_view(item: Item, today: dt.date) -> ItemView | WithdrawnView:
    """The view of an item the public may see; ValueError for any other item."""
    if item.disclosure != PUBLIC or not item.is_published(today):
        raise ValueError(f"{item.path}: an item that is not published has no view")
    assert item.category and item.department and item.published
    shared = (
        item.title, item.index_no, item.category.name, item.department.name,
        item.written, item.doc_no, item.published, item.validity, item.keywords,
    )
    if item.withdrawn is not None:
        return WithdrawnView(*shared, withdrawn_date=item.withdrawn.date, withdrawn_reason=item.withdrawn.reason)
    return ItemView(*shared, summary=item.summary)
