"""What Pagefind indexes for one document (an HTML page of tokens) and what the browser shows of it.

The record pages exist only in a temporary directory during the build; the site's own pages are
never read, so nothing but the documents the caller passes can reach the index. A record carries
no metadata: Pagefind 1.5 indexes metadata values as words, which would put the real text's long
runs into the index, and a result's title, dates and text come from `document_data` instead.
"""

from __future__ import annotations

from html import escape
from pathlib import PurePosixPath

from .documents import SearchDocument
from .tokens import GAP, text_tokens

SHOWN_FIELDS = ("url", "title", "date", "category", "department", "index_no", "doc_no")
FACET_FIELDS = ("category", "department", "year")


def sort_key(doc: SearchDocument) -> str:
    """Newest-first order is this key descending; the 索引号 breaks ties within a day."""
    return f"{doc.date} {doc.index_no}"


def record_path(doc: SearchDocument) -> PurePosixPath:
    """Where the record goes so that Pagefind reports the item's own URL."""
    return record_path_of(doc.url)


def record_path_of(url: str) -> PurePosixPath:
    """record_path of the document at `url`."""
    check_url(url)
    posix = PurePosixPath(url)
    return posix / "index.html" if url.endswith("/") or not posix.suffix else posix


def check_url(url: str) -> None:
    """Raise ValueError unless `url` is site-relative: no leading slash, no `..` part, no backslash."""
    if url.startswith("/") or not url or ".." in url.split("/") or "\\" in url:
        raise ValueError(f"search document URL must be site-relative: {url!r}")


def index_tokens(doc: SearchDocument) -> list[str]:
    """Title, 索引号, 文号 and body, kept apart by gaps so that no phrase spans two."""
    tokens: list[str] = []
    for field in (doc.title, doc.index_no, doc.doc_no, doc.text):
        found = text_tokens(field)
        if found:
            if tokens:
                tokens.append(GAP)
            tokens.extend(found)
    return tokens


def record_html(doc: SearchDocument, language: str, tokens: list[str] | None = None) -> str:
    """The page Pagefind indexes: the tokens as its body and the sort key (`tokens`: if already made)."""
    body = " ".join(index_tokens(doc) if tokens is None else tokens)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head><body>'
        f"<main data-pagefind-body>{escape(body)}</main>"
        f'<div data-pagefind-sort="date">{escape(sort_key(doc))}</div>'
        "</body></html>"
    )


def document_data(doc: SearchDocument) -> dict[str, object]:
    """What a result shows: the fields, and the body as its non-empty lines (for excerpts)."""
    data: dict[str, object] = {name: getattr(doc, name) for name in SHOWN_FIELDS}
    data["lines"] = [line.strip() for line in doc.text.splitlines() if line.strip()]
    return data
