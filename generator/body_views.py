"""A Markdown body as the checks read it: what the sanitiser removes, and the text readers see.

Both come from the same rendering (`rendering.Renderer`, the site's extensions), so a body is
rendered once per check run whichever family asks first. They are kept in one SQLite file,
`.gongkai-cache/bodies.sqlite`, by a SHA-256 of gongkai's code fingerprint (code, templates,
library versions), the Markdown options and the body's text: a body, an option or a line of code
changed is a different key, so a stale entry is never read, only left unused. Entries a run makes
are written in one transaction at its end (`flush`); an unreadable or unwritable cache only costs
the time of rendering again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from dataclasses import astuple, dataclass
from pathlib import Path

from .build_cache import open_cache_database
from .reader_text import ReaderText, visible
from .rendering import Renderer, TooDeep, TooSlow, fingerprint
from .sanitize import Removal, removals, sanitize
from .settings import MarkdownOptions

FILE = "bodies.sqlite"


@dataclass(frozen=True)
class BodyView:
    removals: tuple[Removal, ...]  # what the sanitiser removes from the rendered body, in document order
    reader: ReaderText  # the sanitised body as readers see it
    too_deep: bool = False  # nested too deeply to render: nothing to read, and the check says so
    too_slow: bool = False  # still rendering after rendering.RENDER_SECONDS: likewise


class BodyViews:
    """Views of Markdown bodies, cached in `cache_dir` (None: not kept between runs)."""

    def __init__(self, options: MarkdownOptions, cache_dir: Path | None = None, code_version: str = "") -> None:
        self.renderer = Renderer(options)
        self._prefix = hashlib.sha256(f"{code_version}\0{fingerprint(self.renderer.options)}\0".encode()).digest()
        self._file = cache_dir / FILE if cache_dir is not None else None
        self._connection: sqlite3.Connection | None = None
        self._opened = False
        self._memory: dict[str, BodyView] = {}  # this run's views (a body may be read by several families)
        self._new: dict[str, str] = {}  # views to write at `flush`

    def key(self, markdown: str) -> str:
        digest = hashlib.sha256(self._prefix)
        digest.update(markdown.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def of(self, markdown: str) -> BodyView:
        key = self.key(markdown)
        view = self._memory.get(key)
        if view is None:
            view = self._stored(key)
            if view is None:
                view = self._render(markdown)
                if not (view.too_deep or view.too_slow):
                    self._new[key] = _dumps(view)
            self._memory[key] = view
        return view

    def flush(self) -> None:
        """Write this run's new views (nothing to do without a cache)."""
        new, self._new = self._new, {}
        connection = self._connect()
        if connection is None or not new:
            return
        with contextlib.suppress(sqlite3.Error), connection:
            connection.executemany("INSERT OR REPLACE INTO views (key, value) VALUES (?, ?)", new.items())

    def _render(self, markdown: str) -> BodyView:
        try:
            html = self.renderer.render(markdown)
        except TooDeep:
            return BodyView((), ReaderText((), ()), too_deep=True)
        except TooSlow:
            return BodyView((), ReaderText((), ()), too_slow=True)
        return BodyView(tuple(removals(html)), visible(sanitize(html)))

    def _stored(self, key: str) -> BodyView | None:
        connection = self._connect()
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value FROM views WHERE key = ?", (key,)).fetchone()
            return _loads(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError, TypeError, KeyError):
            return None  # unreadable: render again

    def _connect(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            if self._file is not None:
                self._connection = open_cache_database(self._file, "views (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        return self._connection


def _dumps(view: BodyView) -> str:
    return json.dumps([[astuple(removal) for removal in view.removals], view.reader.units, view.reader.extra], ensure_ascii=False)


def _loads(value: str) -> BodyView:
    """A stored view; ValueError or TypeError for anything but what `_dumps` writes."""
    found, units, extra = json.loads(value)
    texts = [*units, *extra, *(field for fields in found for field in fields)]
    if not all(isinstance(text, str) for text in texts) or not all(len(fields) == 4 for fields in found):
        raise ValueError("not a stored view")
    return BodyView(tuple(Removal(*fields) for fields in found), ReaderText(tuple(units), tuple(extra)))
