"""SourceDocument → Item: typed view of an item's front matter.

Plain fields are read as `fields.FIELDS` declares them; the rest need the catalog or other keys.
"""

from __future__ import annotations

from .fields import FIELDS
from .loading import SourceDocument
from .model import (
    AUDIENCE_PUBLIC,
    Attachment,
    Catalog,
    Consultation,
    Item,
    PiiAllowance,
    Review,
    ReviewEntry,
    Withdrawal,
)
from .values import as_list, as_mapping, as_text, parse_date

# (key, reader) of every plain field, looked up once: `to_item` runs for every item of a warm check.
PLAIN_READERS = tuple((key, reader) for key, field in FIELDS.items() if (reader := field.reader) is not None)

# Attachments one item may list (more is GK615): each is resolved, hashed for the review digest, scanned and copied,
# and 15,000 missing ones in one item (what the YAML node budget allows) cost a check 12 s.
MAX_ATTACHMENTS = 300


def review_entries(raw: object) -> tuple[ReviewEntry, ...]:
    """Every mapping under `review`, keyed by its level; the review checks say what is wrong."""
    return tuple(
        ReviewEntry(
            level=str(level),
            reviewer=as_text(data.get("reviewer")),
            date=parse_date(data.get("date")),
            opinion=as_text(data.get("opinion")),
            digest=as_text(data.get("digest")),
            signature=data["signature"] if isinstance(data.get("signature"), str) else "",
        )
        for level, data in as_mapping(raw).items()
        if isinstance(data, dict)
    )


def consultation(raw: object) -> Consultation | None:
    """`consultation: {from, to, channels}`, or None where it is missing or its dates are unusable."""
    data = as_mapping(raw)
    start, end = parse_date(data.get("from")), parse_date(data.get("to"))
    if start is None or end is None:
        return None
    return Consultation(start, end, tuple(as_text(c) for c in as_list(data.get("channels")) if as_text(c)))


def to_item(document: SourceDocument, catalog: Catalog | None) -> Item:
    meta = document.meta
    withdrawn = as_mapping(meta.get("withdrawn"))
    category_key = as_text(meta.get("category"))
    department_key = as_text(meta.get("department"))
    category = catalog.category(category_key) if catalog and category_key else None
    plain = {key: read(meta.get(key)) for key, read in PLAIN_READERS}
    return Item(
        path=document.path,
        category=category,
        department=catalog.department(department_key) if catalog and department_key else None,
        review=Review(review_entries(meta.get("review"))),
        body=document.body,
        body_line=document.body_line,
        attachments=tuple(
            Attachment(as_text(entry.get("title")), as_text(entry.get("file")))
            for entry in as_list(meta.get("attachments"))[:MAX_ATTACHMENTS]  # more is GK615
            if isinstance(entry, dict)
        ),
        withdrawn=(
            Withdrawal(parse_date(withdrawn.get("date")), as_text(withdrawn.get("reason")))
            if "withdrawn" in meta and meta.get("withdrawn") is not None
            else None
        ),
        pii_allow=tuple(
            PiiAllowance(as_text(entry.get("match")), as_text(entry.get("reason")))
            for entry in as_list(meta.get("pii_allow"))
            if isinstance(entry, dict)
        ),
        # Written, else the column's default; a value the check refuses reaches no one.
        audience=(as_text(meta.get("audience")) or "?") if "audience" in meta else (
            category.audience if category else AUDIENCE_PUBLIC),
        consultation=consultation(meta.get("consultation")),
        **plain,
    )
