"""What Pagefind indexes for one document (an HTML page of tokens) and what the browser shows of it.

The record pages exist only in a temporary directory during the build; the site's own pages are
never read, so nothing but the documents the caller passes can reach the index. A record carries
no metadata: Pagefind 1.5 indexes metadata values as words, which would put the real text's long
runs into the index, and a result's title, dates and text come from `document_data` instead.
"""

from __future__ import annotations

import hashlib
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
    """Where the record goes among its shard's records: Pagefind reports this path as the result's URL,
    which the build maps back to the document (build._write_shard_data)."""
    return record_path_of(doc.url)


def record_path_of(url: str) -> PurePosixPath:
    """record_path of the document at `url`: a name of its hash, all of a shard's records in one folder. A
    folder for each, as the site's pages have, made 10,000 more folders at 10,000 items."""
    check_url(url)
    return PurePosixPath(f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.html")


def check_url(url: str) -> None:
    """Raise ValueError unless `url` is site-relative: no leading slash, no `..` part, no backslash."""
    if url.startswith("/") or not url or ".." in url.split("/") or "\\" in url:
        raise ValueError(f"search document URL must be site-relative: {url!r}")


def index_tokens(doc: SearchDocument, pairs: list[str] | None = None) -> list[str]:
    """Title, 索引号, 文号 and body, kept apart by gaps so that no phrase spans two (`pairs`: see
    `tokens.line_tokens`)."""
    tokens: list[str] = []
    for field in (doc.title, doc.index_no, doc.doc_no, doc.text):
        found = text_tokens(field, pairs)
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
