"""What an item page may show, as frozen views: the only item data templates and the sitemap see.

A published item becomes an `ItemView`; a withdrawn one a `WithdrawnView`, which has no body,
summary or attachments to print by mistake; an item that is not public gets no view at all
(`item_view` refuses it). The review record, `pii_allow` and the source path never reach a view.
The metadata table is the fields `fields.FIELDS` declares `shown`, as cells of plain text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from ..fields import FIELDS, Field
from ..model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, PUBLIC, Item

V = TypeVar("V", bound="ItemView")
W = TypeVar("W", bound="WithdrawnView")

# The item page's metadata table, in its order.
METADATA_TABLE: tuple[Field, ...] = tuple(sorted(
    (field for field in FIELDS.values() if field.shown is not None),
    key=lambda field: field.shown.order if field.shown else 0,
))


@dataclass(frozen=True)
class MetaCell:
    """One labelled value of the metadata table: text, and the site-relative page it links to ("" for none)."""

    label: str
    text: str
    url: str = ""
    css: str = ""


@dataclass(frozen=True)
class ItemView:
    """A published item's metadata, as its page shows it (the body is the page's Markdown)."""

    title: str
    index_no: str
    category: str
    department: str
    doc_no: str
    published: dt.date
    validity: str
    metadata: tuple[MetaCell, ...]
    summary: str
    members_only: bool = False  # 党内: on the members' site only, for now (the page is marked)
    public_from: dt.date | None = None  # a 党内 item's day of reaching the public

    withdrawn = False

    @property
    def changed(self) -> dt.date:
        """The date the page last changed (for the sitemap)."""
        return max(self.published, self.public_from or self.published)


@dataclass(frozen=True)
class WithdrawnView:
    """A withdrawn item's tombstone: metadata and the withdrawal, nothing of its content."""

    title: str
    index_no: str
    category: str
    department: str
    doc_no: str
    published: dt.date
    validity: str
    metadata: tuple[MetaCell, ...]
    withdrawn_date: dt.date | None
    withdrawn_reason: str
    members_only: bool = False
    public_from: dt.date | None = None

    withdrawn = True

    @property
    def changed(self) -> dt.date:
        return self.withdrawn_date or self.published


def item_view(item: Item, today: dt.date, audience: str = AUDIENCE_PUBLIC) -> ItemView | WithdrawnView:
    """The view of an item the readers of a site built for `audience` may see; ValueError for any other item."""
    if item.disclosure != PUBLIC or not item.is_published(today, audience):
        raise ValueError(f"{item.path}: an item that is not published has no view")
    return build_view(item, today, ItemView, WithdrawnView)


def build_view(item: Item, today: dt.date, kind: type[V], withdrawn_kind: type[W]) -> V | W:
    """`item`'s view as `kind`, or `withdrawn_kind` when it is withdrawn, without asking whether it is
    published: only `item_view` and the preview's own view types (generator/preview/views.py) use it."""
    assert item.category and item.department and item.published
    shared = (
        item.title, item.index_no, item.category.name, item.department.name,
        item.doc_no, item.published, item.validity, metadata(item),
    )
    members_only = not item.reaches(AUDIENCE_PUBLIC, today)
    public_from = item.public_from if item.audience == AUDIENCE_PARTY else None
    if item.withdrawn is not None:
        return withdrawn_kind(*shared, withdrawn_date=item.withdrawn.date, withdrawn_reason=item.withdrawn.reason,
                              members_only=members_only, public_from=public_from)
    return kind(*shared, summary=item.summary, members_only=members_only, public_from=public_from)


def metadata(item: Item) -> tuple[MetaCell, ...]:
    """The cells of the item's metadata table, as the fields declare them."""
    cells = (_cell(field, getattr(item, field.key), item.withdrawn is not None) for field in METADATA_TABLE)
    return tuple(cell for cell in cells if cell is not None)


def _cell(field: Field, value: Any, withdrawn: bool) -> MetaCell | None:
    shown = field.shown
    assert shown is not None
    if withdrawn and shown.withdrawn is not None:
        return MetaCell(field.label, shown.withdrawn, css=shown.css)
    if value is None or value == "" or value == ():
        return None if shown.empty is None else MetaCell(field.label, shown.empty, css=shown.css)
    text = (shown.text or field.kind.text)(value)
    return MetaCell(field.label, text, shown.link(value) if shown.link else "", shown.css)
