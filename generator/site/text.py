"""Rendered HTML → the plain text of the search index: exactly the reader-visible text the privacy and
secrecy scans read (`reader_text.visible`), one line per block or table cell."""

from __future__ import annotations

from ..reader_text import visible


def plain_text(html: str) -> str:
    return visible(html).text
