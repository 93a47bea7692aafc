"""The HTML page Pagefind indexes for one document: tokens as the body, real text as metadata.

These pages exist only in a temporary directory during the build; the site's own pages are never
read, so nothing but the documents the caller passes can reach the index.
"""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import PurePosixPath

from .documents import SearchDocument
from .tokens import GAP, text_tokens

# Stands for a line break inside metadata, where Pagefind collapses whitespace.
LINE_SEPARATOR = "\ue000"

META_FIELDS = ("title", "date", "category", "department", "index_no", "doc_no")
FACET_FIELDS = ("category", "department", "year")


def sort_key(doc: SearchDocument) -> str:
    """Newest-first order is this key descending; the 索引号 breaks ties within a day."""
    return f"{doc.date} {doc.index_no}"


def record_path(doc: SearchDocument) -> PurePosixPath:
    """Where the record goes so that Pagefind reports the item's own URL."""
    url = PurePosixPath(doc.url)
    if doc.url.startswith("/") or not doc.url or ".." in url.parts or "\\" in doc.url:
        raise ValueError(f"search document URL must be site-relative: {doc.url!r}")
    return url / "index.html" if doc.url.endswith("/") or not url.suffix else url


def facet_token(field: str, value: str) -> str:
    """A word that marks every document with this 主题分类/发布机构/年份 value.

    Facets are index words rather than Pagefind filters because Pagefind writes filter files in
    hash-map order, which makes two builds of the same documents differ.
    """
    digest = hashlib.sha256(f"{field}\0{value}".encode()).hexdigest()[:16]
    return f"gkf{field[0]}{digest}"


def index_tokens(doc: SearchDocument) -> list[str]:
    """Title, 索引号, 文号, body and facet words, kept apart by gaps so that no phrase spans two."""
    tokens: list[str] = []
    for field in (doc.title, doc.index_no, doc.doc_no, doc.text):
        found = text_tokens(field)
        if found:
            if tokens:
                tokens.append(GAP)
            tokens.extend(found)
    facets = [facet_token(name, getattr(doc, name)) for name in FACET_FIELDS if getattr(doc, name)]
    if tokens and facets:
        tokens.append(GAP)
    return tokens + facets


def record_html(doc: SearchDocument, language: str) -> str:
    meta = "".join(
        f'<div data-pagefind-meta="{name}">{escape(getattr(doc, name))}</div>' for name in META_FIELDS
    )
    text = LINE_SEPARATOR.join(line.strip() for line in doc.text.splitlines() if line.strip())
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head><body>'
        f"<main data-pagefind-body>{' '.join(index_tokens(doc))}</main>"
        f'{meta}<div data-pagefind-meta="text">{escape(text)}</div>'
        f'<div data-pagefind-sort="date">{escape(sort_key(doc))}</div>'
        "</body></html>"
    )
