"""Bounds on the work one input file may cause: hostile input costs bounded time and memory.

A module of its own so that the core (loading, project) can use it without importing the site
options that `settings` carries.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
# The largest limits mkdocs.yml may set: a file beyond them is read by no one, and the caches store a limit in 8 bytes.
MAX_ITEM_MB = 1024
MAX_ATTACHMENT_MB = 10 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-file size limits, from mkdocs.yml (`plugins: - gongkai: limits: {item_mb, attachment_mb}`)."""

    item_bytes: int = 5 * MB  # an item, a page, a report or catalog file
    attachment_bytes: int = 100 * MB
