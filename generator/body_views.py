"""A Markdown body as the checks read it: what the sanitiser removes, and the text readers see; and,
for the build, the sanitised HTML itself.

All come from the same rendering (`rendering.Renderer`, the site's extensions), so a body is
rendered once per check run whichever family asks first, and the build prints what the check read
instead of rendering and sanitising it again (`BodyViews.page`). They are kept in one SQLite file for each
code version, `.gongkai-cache/bodies-<version>.sqlite`, by a SHA-256 of gongkai's code fingerprint (code, templates,
library versions), the Markdown options and the body's text: a body, an option or a line of code
changed is a different key, so a stale entry is never read; each value starts with an HMAC of its key
and itself under that same secret-bound prefix, so a value changed by anything but this machine's
gongkai is never read. A run that writes entries first removes the files of every other version (an upgrade
would otherwise leave ≈ 11 KB a body behind, each time): a file removed whole costs nothing, where deleting the old
version's rows from one shared file took a minute and a write-ahead log as large as the file at 100,000 bodies.
Entries a run makes are written in transactions of `BATCH` (`flush`, between files); an unreadable or unwritable
cache only costs the time of rendering again.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import html
import json
import re
import sqlite3
from dataclasses import astuple, dataclass, replace
from pathlib import Path

from markupsafe import Markup
from selectolax.lexbor import LexborHTMLParser

from .cache_store import CacheDatabase
from .digest import signed_body
from .html_budget import TooLarge
from .reader_text import ReaderText, visible
from .rendering import Renderer, TooDeep, TooSlow, Unrenderable, fingerprint
from .sanitize import Removal, removals, sanitize
from .settings import MarkdownOptions

FILE_PREFIX = "bodies"  # `bodies-<version>.sqlite` and its write-ahead log and index
# Every file a version of the views may have left: the one file of versions before they had one each, a version's
# own, and SQLite's files beside either.
_VIEWS_FILE = re.compile(rf"{FILE_PREFIX}(?:-[0-9a-f]{{16}})?\.sqlite(?:-wal|-shm|-journal)?")
MAC_LENGTH = 64  # hex digits of the HMAC that starts each stored value
BATCH = 500  # views kept in memory before they are written: a check of 100,000 bodies holds no more
# An element MkDocs rewrites when it renders a page (`_RelativePathTreeprocessor`: a link's href, an
# image's src, relative to the page's place); a body with none renders to the same HTML on every page.
_REWRITTEN = re.compile(r"<(?:a|img)[\s/>]", re.IGNORECASE)


@dataclass(frozen=True)
class BodyView:
    removals: tuple[Removal, ...]  # what the sanitiser removes from the rendered body, in document order
    reader: ReaderText  # the sanitised body as readers see it
    too_deep: bool = False  # nested too deeply to render: nothing to read, and the check says so
    too_slow: bool = False  # still rendering after rendering.RENDER_SECONDS: likewise
    too_large: bool = False  # HTML over html_budget.HTML_CHARS or MAX_ELEMENTS: likewise
    failed: str = ""  # an extension failed on it ("TypeError: …", rendering.Unrenderable): likewise
    unfinished: bool = False  # its file's scans ran out of time while it was read (`abandon`, GK548): likewise
    # Every address the sanitised body links or loads (a link's href, a picture's src: all the sanitiser keeps), as
    # the browser reads the attribute (character references decoded), in document order: raw HTML and attr_list's
    # links too, which the Markdown source shows in no link syntax.
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageBody:
    """A body as the build prints it: the sanitised HTML, its headings (Python-Markdown's toc tokens)
    and the search text (what readers see of it)."""

    html: str
    headings: list
    text: str


class BodyViews:
    """Views of Markdown bodies, cached in `cache_dir` (None: not kept between runs)."""

    def __init__(self, options: MarkdownOptions, cache_dir: Path | None = None, code_version: str = "") -> None:
        self.renderer = Renderer(options)
        self._prefix = hashlib.sha256(f"{code_version}\0{fingerprint(self.renderer.options)}\0".encode()).digest()
        self._version = hashlib.sha256(f"bodies\0{code_version}".encode()).hexdigest()[:16]
        self._swept = False  # the files of other code versions removed (by the first `flush` that writes)
        self.file = cache_dir / f"{FILE_PREFIX}-{self._version}.sqlite" if cache_dir is not None else None
        self._database = CacheDatabase(self.file, "views (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._memory: dict[str, BodyView] = {}  # this run's views (a body may be read by several families)
        # The links of each body that may hold one, kept when the views are dropped (`forget`): the families that
        # follow links across items read them after a streamed check has dropped each chunk's views.
        self._links: dict[str, tuple[str, ...]] = {}
        self._new: dict[str, str] = {}  # views to write at `flush`
        # Whether each body read so far may hold a link (`_may_link`), by its text: several families ask of every body,
        # and the preview of every body at every save.
        self._signs: dict[str, bool] = {}
        self._abandoned: set[str] = set()  # bodies whose view was not finished in their file's time (`abandon`)

    def key(self, markdown: str) -> str:
        digest = hashlib.sha256(self._prefix)
        digest.update(signed_body(markdown).encode("utf-8", "surrogatepass"))
        return f"{self._version}:{digest.hexdigest()}"

    def of(self, markdown: str) -> BodyView:
        key = self.key(markdown)
        view = self._memory.get(key)
        if view is None:
            view = self._stored(key) or self._rendered(key, markdown)
            self._memory[key] = view
            if self._may_link(markdown):
                self._links[key] = view.links
        return view

    def links(self, markdown: str) -> tuple[str, ...]:
        """`of(markdown).links`, without reading the view of a body that cannot hold a link to this site: one needs a
        link's or a reference's bracket, an HTML tag or autolink, attr_list's brace, PyMdown blocks' `attrs` option
        (`/// html | a` with `attrs: {href: …}` written as a YAML block), or a full address (magiclink)."""
        if not self._may_link(markdown):
            return ()
        key = self.key(markdown)
        links = self._links.get(key)
        if links is None:
            # not kept in memory: a streamed check reads every body again after dropping each chunk's views
            view = self._memory.get(key) or self._stored(key) or self._rendered(key, markdown)
            links = self._links[key] = view.links
        return links

    def page(self, markdown: str) -> PageBody | None:
        """The page body a check stored for `markdown`, if it renders the same on every page (no link
        or image for MkDocs to rewrite); None otherwise: the build renders it."""
        row = self._row(self.key(markdown))
        try:
            stored = json.loads(row) if row is not None else None
            if stored is None or stored[5] is None:
                return None
            view = _view(stored)
            html, headings = stored[5], stored[6]
            if not isinstance(html, str) or not isinstance(headings, list):
                return None
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        return PageBody(html, headings, view.reader.text)

    def flush(self) -> None:
        """Write this run's new views (nothing to do without a cache)."""
        new, self._new = self._new, {}
        connection = self._connect()
        if connection is None or not new:
            return
        if not self._swept:
            self._sweep()
        with contextlib.suppress(sqlite3.Error), connection:
            connection.executemany("INSERT OR REPLACE INTO views (key, value) VALUES (?, ?)", new.items())

    def _sweep(self) -> None:
        """Remove the files of every other code version (links among them as links: nothing is followed)."""
        self._swept = True
        if self.file is None:
            return
        own = self.file.name
        with contextlib.suppress(OSError):
            for path in self.file.parent.iterdir():
                if _VIEWS_FILE.fullmatch(path.name) and not path.name.startswith(own):
                    with contextlib.suppress(OSError):
                        path.unlink()

    def abandon(self, markdown: str) -> None:
        """Its file's scans ran out of time (GK548), perhaps while its view was read: it is not read again this run, and
        its view, if it was not finished, is an empty one (`BodyView.unfinished`)."""
        self._abandoned.add(self.key(markdown))

    def _rendered(self, key: str, markdown: str) -> BodyView:
        """The view of `markdown` rendered now, kept to be written at `flush`."""
        if key in self._abandoned:
            return BodyView((), ReaderText((), ()), unfinished=True)
        view, page = self._render(markdown)
        if not (view.too_deep or view.too_slow or view.too_large or view.failed):
            self._new[key] = self._sealed(key, _dumps(view, page))
        return view

    def flush_due(self) -> None:
        """`flush` once `BATCH` views wait. Called between files, never while one is read: a write (the first of a new
        code version sweeps every view of the old one, 66 s for a 100,000-item site's) is no file's time (GK548)."""
        if len(self._new) >= BATCH:
            self.flush()

    def forget(self) -> None:
        """Drop this run's views from memory (after `flush`): a body asked for again is read from the cache, or rendered again."""
        self._memory.clear()
        self._signs.clear()

    def _may_link(self, markdown: str) -> bool:
        signs = self._signs.get(markdown)
        if signs is None:
            signs = self._signs[markdown] = _may_link(markdown)
        return signs

    def _render(self, markdown: str) -> tuple[BodyView, tuple[str, list] | None]:
        try:
            # the body as the site renders it (`site.planning`): blank lines around it, which the review
            # digest leaves out, cannot change what readers see
            html = self.renderer.render(signed_body(markdown))
        except TooDeep:
            return BodyView((), ReaderText((), ()), too_deep=True), None
        except TooSlow:
            return BodyView((), ReaderText((), ()), too_slow=True), None
        except TooLarge:
            return BodyView((), ReaderText((), ()), too_large=True), None
        except Unrenderable as failure:
            return BodyView((), ReaderText((), ()), failed=str(failure)), None
        clean = sanitize(html)
        headings = self.renderer.headings()
        view = BodyView(tuple(removals(html)), with_titles(visible(clean), headings), links=addresses(clean))
        if _REWRITTEN.search(html):
            return view, None
        return view, (clean, headings)

    def _stored(self, key: str) -> BodyView | None:
        row = self._row(key)
        try:
            return _view(json.loads(row)) if row is not None else None
        except (ValueError, TypeError, KeyError, IndexError):
            return None  # unreadable: render again

    def _row(self, key: str) -> str | None:
        connection = self._connect()
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value FROM views WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[0], str):
            return None
        mac, value = row[0][:MAC_LENGTH], row[0][MAC_LENGTH:]
        return value if hmac.compare_digest(mac, self._mac(key, value)) else None

    def _sealed(self, key: str, value: str) -> str:
        return self._mac(key, value) + value

    def _mac(self, key: str, value: str) -> str:
        """What binds a stored value to its key and this machine: the build prints a view's HTML as it
        is, unsanitised, so a row edited in a cache that was committed, restored or copied back must
        never be read (its key is visible, its value would be anything)."""
        return hmac.new(self._prefix, f"{key}\0{value}".encode("utf-8", "surrogatepass"), "sha256").hexdigest()

    def _connect(self) -> sqlite3.Connection | None:
        return self._database.connection()


def _may_link(markdown: str) -> bool:
    """Whether `markdown` holds a sign a link to this site needs (see `BodyViews.links`); plain `in` tests, several
    times faster on Chinese text than one pattern."""
    if "[" in markdown or "<" in markdown or "{" in markdown or "://" in markdown or "attrs" in markdown:
        return True
    if "." not in markdown:
        return False
    lowered = markdown.lower()
    return "www." in lowered or "ftp." in lowered


def addresses(clean: str) -> tuple[str, ...]:
    """Every href and src of sanitised HTML, in document order (see `BodyView.links`)."""
    if not _REWRITTEN.search(clean):
        return ()
    body = LexborHTMLParser(clean).body
    if body is None:
        return ()
    return tuple(value for node in body.css("a[href], img[src]")
                 if (value := node.attributes.get("href" if node.tag == "a" else "src")) is not None)


def with_titles(reader: ReaderText, headings: list) -> ReaderText:
    """`reader` with the table of contents' titles scanned too: the page's sidebar shows each heading's title, which
    is not always its text (attr_list's `data-toc-label` names it, and is removed from the heading itself); and a
    title as Material labels the list of its sub-headings for screen readers, its tags stripped (`striptags`): a
    heading `139&lt;b&gt;1234&lt;/b&gt;5678` shows as written and is announced as 13912345678."""
    titles: list[str] = []
    stack = list(reversed(headings))
    while stack:  # without recursion: the tokens nest as deep as the headings
        token = stack.pop()
        if isinstance(token, dict):
            title = str(token.get("name", ""))
            titles.append(title)
            if "&" in title and (label := Markup(html.unescape(title)).striptags()) != html.unescape(title):
                titles.append(label)
            stack.extend(reversed(token.get("children") or []))
    return replace(reader, extra=reader.extra + tuple(title for title in titles if title)) if titles else reader


def _dumps(view: BodyView, page: tuple[str, list] | None) -> str:
    html, headings = page or (None, None)
    reader = view.reader
    return json.dumps([[astuple(removal) for removal in view.removals], reader.units, reader.extra, reader.joined, reader.anchors, html,
                       headings, reader.unloaded, view.links],
                      ensure_ascii=False)


def _view(stored: list) -> BodyView:
    """A stored view; ValueError or TypeError for anything but what `_dumps` writes."""
    found, units, extra, joined, anchors, _html, _headings, unloaded, links = stored
    texts = [*units, *extra, *joined, *anchors, *unloaded, *links, *(field for fields in found for field in fields)]
    if not all(isinstance(text, str) for text in texts) or not all(len(fields) == 4 for fields in found):
        raise ValueError("not a stored view")
    return BodyView(tuple(Removal(*fields) for fields in found), ReaderText(tuple(units), tuple(extra), tuple(joined),
                                                                                 tuple(anchors), tuple(unloaded)),
                    links=tuple(links))
