"""SourceDocument → Item: typed view of an item's front matter."""

from __future__ import annotations

from .loading import SourceDocument
from .model import (
    AUDIENCE_PUBLIC,
    VALID,
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
    return Item(
        path=document.path,
        title=as_text(meta.get("title")),
        index_no=as_text(meta.get("index_no")),
        category=category,
        department=catalog.department(department_key) if catalog and department_key else None,
        published=parse_date(meta.get("published")),
        disclosure=as_text(meta.get("disclosure")),
        review=Review(review_entries(meta.get("review"))),
        body=document.body,
        body_line=document.body_line,
        written=parse_date(meta.get("written")),
        doc_no=as_text(meta.get("doc_no")),
        genre=as_text(meta.get("genre")),
        validity=as_text(meta.get("validity")) or VALID,
        keywords=tuple(as_text(k) for k in as_list(meta.get("keywords")) if as_text(k)),
        summary=as_text(meta.get("summary")),
        interprets=as_text(meta.get("interprets")),
        attachments=tuple(
            Attachment(as_text(entry.get("title")), as_text(entry.get("file")))
            for entry in as_list(meta.get("attachments"))
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
        public_from=parse_date(meta.get("public_from")),
        consultation=consultation(meta.get("consultation")),
        feedback_for=as_text(meta.get("feedback_for")),
        series=as_text(meta.get("series")),
        period=as_text(meta.get("period")),
    )
