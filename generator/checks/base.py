"""What every check family shares: the context it reads and positions in files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..body_views import BodyViews
from ..cache_store import cache_folder, code_fingerprint
from ..item_cache import ItemCache
from ..loading import SourceDocument
from ..model import Item
from ..project import Project
from ..settings import Limits, MarkdownOptions, Settings
from ..text_lines import position


@dataclass(frozen=True)
class Strings:
    """The content strings of one front matter, and all of them joined for a quick first scan."""

    items: tuple[tuple[tuple, str], ...]
    joined: str


@dataclass
class CheckContext:
    project: Project
    today: dt.date
    settings: Settings | None = None  # mkdocs.yml's, when known: the Markdown extensions bodies are rendered with
    render_cache: bool = True  # keep what the checks read of rendered bodies in .gongkai-cache/ (with settings only)
    files_read: set[str] = field(default_factory=set)  # files the families read beyond the project's own
    _strings: dict[str, Strings] = field(default_factory=dict, repr=False)
    _caches: dict[str, dict] = field(default_factory=dict, repr=False)
    _views: BodyViews | None = field(default=None, repr=False)

    def cache(self, name: str) -> dict:
        """A dict kept for this check run, shared by the families (e.g. rendered bodies)."""
        return self._caches.setdefault(name, {})

    def views(self) -> BodyViews:
        """Markdown bodies rendered with the site's extensions as the checks read them (one rendering each)."""
        if self._views is None:
            settings = self.settings
            if settings is None:
                self._views = BodyViews(MarkdownOptions())
            elif not self.render_cache:
                self._views = BodyViews(settings.markdown)
            else:
                self._views = BodyViews(settings.markdown, cache_folder(settings.root), code_fingerprint())
        return self._views

    def flush(self) -> None:
        """Keep what this run rendered for the next one."""
        if self._views is not None:
            self._views.flush()

    def release(self) -> None:
        """Flush, then forget what was read of the documents judged so far (their strings and rendered
        bodies): a streamed check judges the next ones without them."""
        self.flush()
        self._strings.clear()
        if self._views is not None:
            self._views.forget()

    @property
    def item_cache(self) -> ItemCache | None:
        """The project's item cache, unless this run keeps nothing (`render_cache` off)."""
        return self.project.item_cache if self.render_cache else None

    @property
    def attachment_limit(self) -> int:
        """Largest attachment in bytes (`limits.attachment_mb` in mkdocs.yml)."""
        return (self.settings.limits if self.settings else Limits()).attachment_bytes

    def sources(self) -> Iterator[tuple[Item, SourceDocument]]:
        """Every item with the document it was read from."""
        documents = self.project.documents
        for item in self.project.items:
            document = documents.get(item.path)
            if document is not None:  # items read by the other process of a parallel check have none here
                yield item, document

    def strings(self, document: SourceDocument) -> Strings:
        """Front-matter strings that are content (the review record and the allow-lists are not), cached per file."""
        cached = self._strings.get(document.path)
        if cached is None:
            found = tuple(front_matter_strings(document.meta, skip=("review", "pii_allow", "lexicon_allow")))
            cached = self._strings[document.path] = Strings(found, "\n".join(text for _, text in found))
        return cached


def body_position(item: Item, offset: int) -> tuple[int, int]:
    """File (line, col) of a character offset into the item's body; col counts characters."""
    line, col = position(item.body, offset)
    return item.body_line + line - 1, col


def front_matter_strings(meta: dict[str, Any], skip: tuple[str, ...] = ("review",)) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string in the front matter, keys in `skip` left out."""
    stack: list[tuple[tuple, Any]] = [((key,), value) for key, value in meta.items() if key not in skip]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend((path + (key,), child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), child) for index, child in enumerate(value))
