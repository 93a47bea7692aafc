"""Exact Chinese full-text search for the item pages, built with Pagefind (see README.md here)."""

from .build import BUNDLE_DIR, MANIFEST, build_index
from .documents import IndexStats, SearchDocument

__all__ = ["BUNDLE_DIR", "MANIFEST", "IndexStats", "SearchDocument", "build_index"]
