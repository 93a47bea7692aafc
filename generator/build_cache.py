"""What `gongkai build` reuses from the previous build (spec §11: one changed item rebuilds fast).

`.gongkai-cache/` in the project root (git-ignored) holds:

- `pages-<site>.json`, one for each site folder built (the public site/, the members' site-party/, any
  --site-dir: builds of one do not undo what another can reuse): for every page of the last build that
  replaced that folder, the key of what it was built from and the identity (inode, size, mtime) of the
  file it wrote;
- `texts.sqlite`: an item page's search text by its text key (the page's URL and Markdown, where
  each of its links leads, and the fingerprint below: all its text depends on), after an HMAC of
  key and text under a key made from that fingerprint, read only for the shards a build indexes again;
- `templates.sqlite`: the templates Jinja compiled (template_cache), sealed like the texts;
- `search/<site>/<key>/`: the Pagefind output of every search shard of the last build of each site
  folder, by the key of its documents (the public and the members' site index different shards, and
  each build keeps only its own: one folder for both made each index its whole site after the other's).

A page's key hashes its typed page object (everything the page shows) with a fingerprint of
everything else that shapes its HTML: gongkai's code, theme_overrides/, mkdocs.yml, the versions
of every library gongkai requires (the sanitiser and MkDocs among them), of Python and its Unicode tables, the
navigation and where each of its links leads.
A page whose key is unchanged and whose previous output is untouched is hard-linked from the
previous site instead of rendered, so an incremental build writes the same bytes as a full one.
Deleting `.gongkai-cache/` only makes the next build a full one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import multiprocessing
import os
import posixpath
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

import orjson

from . import page_workers, tree_listing
from .cache_store import FORMAT, MAC_BYTES, cache_folder, key_of, open_cache_database, read_cache_file, rows_by_key
from .problems import printable
from .writer import system_reason, write_whole

if TYPE_CHECKING:
    from .site.pages import SitePage
    from .site.planning import SitePlan

PAGES_LIMIT = 1 << 30  # bytes; ≈ 150 per page, so far beyond any real site
SEARCH_DIR = "search"
PREVIOUS_SEARCH = ".pagefind-previous"  # in a build folder: the search bundle of the site it was made from
TEXTS_FILE = "texts.sqlite"
TEXTS_TABLE = "texts (key TEXT PRIMARY KEY, text TEXT NOT NULL)"  # an HMAC, then the text as its UTF-8 bytes


def page_key(common: str, page: SitePage, links: tuple[tuple[str, str | None], ...],
             json: Callable[[object], bytes] | None = None, body: str | None = None) -> str:
    """The key of a page: what every page shows (`common`), the page object and where its links lead. The page is
    said as its JSON (orjson writes a dataclass ≈ 2.5× faster than its repr, which escapes every character of the
    body one at a time): exact for the types a page holds, whose distinct values have distinct JSON
    (tests/test_page_key_schema.py); a value JSON cannot say (a lone surrogate, an int past 64 bits) says its repr.
    `json` writes it: `page_json` by default, plain `orjson.dumps` (the same bytes, ≈ 4× faster) in a process that
    ends before the pages are used (`_keys_child`). `body`: the key of the file the page's Markdown is the body of
    (item_cache), said instead of the Markdown: writing and hashing 65 MB of bodies was most of keying 10,000 items."""
    digest = hashlib.sha256(common.encode())
    digest.update(type(page).__qualname__.encode())
    try:
        if body is None:
            digest.update(b"\0json\0" + (json or page_json)(page))
        else:
            digest.update(b"\0json-file\0" + (json or page_json)(_fields_of_copies(page, body)))
    except TypeError:  # orjson.JSONEncodeError
        digest.update(b"\0repr\0" + repr(page).encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + repr(links).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def page_json(page: object) -> bytes:
    """The JSON orjson writes for `page` (every field by name, without its type), written without leaving a UTF-8 copy
    in the page's strings: orjson asks CPython for a string's UTF-8, which CPython then keeps with the string for as
    long as it lives — ≈ 7 KB more for each body, ≈ 500 MB at 100,000 items. It is given copies of them instead."""
    return orjson.dumps(page, default=_fields_of_copies, option=orjson.OPT_PASSTHROUGH_DATACLASS)


def _fields_of_copies(value: object, body: str | None = None) -> dict[str, object]:
    """The fields of a dataclass as orjson writes them, its strings copied; with `body`, that in place of `markdown`."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(kind.__qualname__)  # orjson then says it cannot write the page
        names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(value)
                                           if not field.name.startswith("_"))  # as orjson writes a dataclass
    if body is None:
        return {name: _copied(getattr(value, name)) for name in names}
    return {name: body if name == "markdown" else _copied(getattr(value, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _copied(value: object) -> object:
    if type(value) is str:
        return value if value.isascii() else ("\0" + value)[1:]  # a new string, freed with the JSON
    if type(value) is tuple or type(value) is list:
        return [_copied(part) for part in value]
    return value


def site_name(site_dir: Path) -> str:
    """What names the cache files of the site built into `site_dir` (an absolute path)."""
    return hashlib.sha256(os.fsencode(site_dir)).hexdigest()[:16]


def pages_file(site_dir: Path) -> str:
    """The name of the record of the pages of the site built into `site_dir` (an absolute path)."""
    return f"pages-{site_name(site_dir)}.json"


def page_output(site_dir: Path, url: str) -> str:
    """The file a page's URL is written to (a string: made for every page of the site, twice a build)."""
    return os.path.join(site_dir, url, "index.html")


def _identity(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


class _PageKeys(NamedTuple):
    """What keys a page besides the page itself (`PageCache.plan_pages`), and where the last build wrote it."""

    links: Mapping[str, tuple[tuple[str, str | None], ...]]  # page URL → where each link of its Markdown leads
    common: str  # the key of everything every page shows
    outputs: Sequence[tuple[str, str]]  # (URL, output in site/) of the pages the last build recorded
    bodies: Mapping[str, str]  # page URL → the key of the file its Markdown is the body of

    def of(self, pages: Sequence[SitePage], json: Callable[[object], bytes] | None = None) -> list[tuple[str, str]]:
        return [(page.url, page_key(self.common, page, self.links.get(page.url, ()), json, self.bodies.get(page.url)))
                for page in pages]

    def look(self) -> dict[str, list[int] | None]:
        """The identity of each previous output, as it is now."""
        return {url: _identity(output) for url, output in self.outputs}


Keyed = tuple[list[tuple[str, str]], dict[str, list[int] | None]]  # (URL, key) of every page; URL → previous output's identity


def _keys_in_two(keys: _PageKeys, pages: Sequence[SitePage], meanwhile: Callable[[], None]) -> Keyed:
    """(URL, key) of every page of `pages`, in their order, and the identity of each previous output; worked out by a
    child forked for it where a second process is worth it (page_workers.wanted), while this process does
    `meanwhile` (it may start a thread: the child must not inherit one half-way through its work). The child writes
    the pages' JSON with plain orjson, which leaves a UTF-8 copy in each string it writes: the copies end with the
    child, and this process is spared `page_json`'s copying (≈ 0.45 s of CPU at 10,000 items). Beside a busy
    thread each of the ≈ 11,500 `stat`s of the identities would wait for the interpreter's lock again."""
    forked = False
    if page_workers.wanted(len(pages)):  # no pipe nor process made for a small site
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe(duplex=False)
        child = context.Process(target=_keys_child, args=(keys, pages, child_end), daemon=True)
        forked = page_workers.started(child)
        child_end.close()
        if not forked:
            parent_end.close()
    if not forked:
        found = keys.look()
        meanwhile()
        return keys.of(pages), found
    try:
        meanwhile()
        try:
            return parent_end.recv()
        except (EOFError, OSError):  # the child died (e.g. killed for memory): its work here
            child.kill()
            return keys.of(pages), keys.look()
    except BaseException:  # e.g. `meanwhile` found the check failed: the keys are not wanted, nor a child's broken pipe
        child.kill()
        raise
    finally:
        parent_end.close()
        child.join()


def _keys_child(keys: _PageKeys, pages: Sequence[SitePage], connection: Connection) -> None:
    try:
        connection.send((keys.of(pages, orjson.dumps), keys.look()))
    finally:
        connection.close()


def _text_key(prefix: bytes, url: str, markdown: str, links: tuple[tuple[str, str | None], ...],
              body: str | None = None) -> str:
    """The key of a page's search text: its URL, its Markdown (or `body`, the key of the file it is the body of) and
    where its links lead, each as its bytes after its length (a body's `repr`, as `key_of` takes it, cost 0.35 s at
    10,000 items before the index could start)."""
    digest = hashlib.sha256(prefix)
    digest.update(b"M" if body is None else b"F")
    for part in (url, markdown if body is None else body, repr(links)):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class PageCache:
    """The previous build's pages, as far as site/ still holds them unchanged; and, while a build
    runs, the keys and search texts of its pages, recorded by `stage` and `save` once it has replaced site/.

    The search texts of pages unchanged since an earlier build stay in `texts.sqlite` until an index of their
    shard asks for them (`stored_texts`): at 10,000 items that spares reading and writing ≈ 45 MB a build."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = root
        self.folder = cache_folder(root)
        self.site_dir = site_dir
        self.pages: dict[str, list] = {}
        self.base: BaseTree | None = None  # a site an earlier build replaced, to be made the new one in place
        self.keys: dict[str, str] = {}  # this build's pages: URL → key
        self.text_keys: dict[str, str] = {}  # this build's pages with a body: URL → the key of its search text
        self.texts: dict[str, str] = {}  # this build's rendered item pages: URL → search text
        self.links: dict[str, tuple[tuple[str, str | None], ...]] = {}  # page URL → where its Markdown's links lead
        self.common = ""  # the key of what every page of this build shows (`plan_texts`)
        self.bodies: dict[str, str] = {}  # item page URL → the key of the file its Markdown is the body of (`plan_texts`)
        self.previous_common: object = None  # … of the last build's
        self._found: dict[str, list[int] | None] = {}  # page URL → the identity of its previous output, as `plan_pages` found it
        self.reused: set[str] = set()  # this build's pages linked from the previous build's (same file, same identity)
        self._stored_keys: set[str] | None = None  # the keys texts.sqlite holds (read when first needed)
        self._texts_written = False
        self._staged: Path | None = None  # this build's record, written before site/ was replaced
        self._seal = b""  # the HMAC key of stored texts (from the fingerprint, so bound to this machine's secret)
        self.file = pages_file(site_dir)
        if self.folder is None:
            return
        stored = read_cache_file(self.folder / self.file, PAGES_LIMIT)
        try:
            data = orjson.loads(stored) if stored is not None else None
        except ValueError:
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("site") == str(site_dir):
            pages = data.get("pages")
            self.pages = pages if isinstance(pages, dict) else {}  # each entry is judged when asked (`reusable`)
            self.previous_common = data.get("common")

    @property
    def search_dir(self) -> Path | None:
        """The search shards of this site folder's builds."""
        return cache_folder(self.root, SEARCH_DIR, site_name(self.site_dir)) if self.folder is not None else None

    def plan_texts(self, plan: SitePlan, sources: Mapping[str, str], fingerprint: str, *shared: object,
                   bodies: Mapping[str, str] | None = None) -> None:
        """The first half of keying the pages of `plan`: where each link of their Markdown leads, the key of every
        search text (its page's URL, its Markdown and those links, under `fingerprint`: code, theme, configuration),
        which of them texts.sqlite keeps (`stored`), and the key of everything every page shows (`fingerprint`, the
        navigation, `shared`). The search index may start from here; `plan_pages` keys the pages.
        `sources` maps a page URL to its `src_uri`; `bodies` an item page's URL to the key of the file its Markdown is
        the body of, which keys stand for the Markdown (the file's key changes with any byte of it)."""
        self.bodies = dict(bodies or {})
        self.common = key_of(fingerprint, plan.nav, plan.org_name, *shared)
        # What a link names (a file of the site as MkDocs knows it) → where it lands: an item's page moves
        # with its 索引号 while its file stays, and the pages linking to that file must follow it.
        targets = {source: url for url, source in sources.items()}
        targets |= {f"attachments/{file.source}": file.url for file in plan.files}
        targets |= {path: path for path in plan.assets}
        targets |= {feed.url: feed.url for feed in plan.feeds}
        text = key_of(fingerprint, "search-text").encode()
        self._seal = hashlib.sha256(f"{fingerprint}\0search-text-mac".encode()).digest()
        self.text_keys, self.links = {}, {}
        every_target = functools.cache(lambda: targets_key(targets))  # asked by a body with a wiki link only
        for page in plan.pages:
            markdown = getattr(page, "markdown", "")
            if markdown:
                links = self.links[page.url] = link_targets(markdown, sources[page.url], targets, every_target)
                self.text_keys[page.url] = _text_key(text, page.url, markdown, links, self.bodies.get(page.url))

    @functools.cached_property
    def stored(self) -> set[str]:
        """This build's pages whose search text texts.sqlite keeps (asked once `text_keys` is known)."""
        kept = self._texts_kept()
        return {url for url, key in self.text_keys.items() if key in kept}

    @property
    def same_shell(self) -> bool:
        """Whether every page shows what every page of the last build showed (code, theme, configuration,
        navigation): only pages whose own content changed are rendered again."""
        return self.common == self.previous_common

    def plan_pages(self, plan: SitePlan, meanwhile: Callable[[], None] = lambda: None) -> None:
        """Key every page of `plan` (after `plan_texts`): its page object, where its links lead, and what every
        page shows; `meanwhile` runs while a forked child keys them (`_keys_in_two`)."""
        outputs = [(page.url, page_output(self.site_dir, page.url)) for page in plan.pages if page.url in self.pages]
        keys, self._found = _keys_in_two(_PageKeys(self.links, self.common, outputs, self.bodies), plan.pages, meanwhile)
        self.keys = dict(keys)

    def reusable(self, url: str, needs_text: bool = False) -> str | None:
        """The previous output of the page at `url` if it was built from this build's key; an item
        page whose search text is needed (`needs_text`) only while texts.sqlite keeps that text."""
        entry = self.pages.get(url)
        # A record edited by hand, or cut short and refilled, may hold anything: only our own shape is read.
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != self.keys.get(url):
            return None
        path = page_output(self.site_dir, url)
        if (self._found[url] if url in self._found else _identity(path)) != entry[1]:
            return None  # changed or removed since: render it again
        if needs_text and url not in self.stored:
            return None
        self.reused.add(url)
        return path

    def _texts_kept(self) -> set[str]:
        """Which of this build's text keys texts.sqlite holds (asked for those only: a committed file of
        millions of rows costs no more than ours)."""
        if self._stored_keys is None:
            self._stored_keys = set()
            connection = self._texts_database()
            if connection is not None:
                with contextlib.suppress(sqlite3.Error), contextlib.closing(connection):
                    found = rows_by_key(connection, "texts", "key", list(set(self.text_keys.values())))
                    self._stored_keys.update(key for (key,) in found)
        return self._stored_keys

    def _texts_database(self) -> sqlite3.Connection | None:
        """A connection of its own for each use: the index asks from its threads."""
        return open_cache_database(self.folder / TEXTS_FILE, TEXTS_TABLE) if self.folder is not None else None

    def stored_texts(self, urls: Iterable[str]) -> dict[str, str]:
        """The search texts texts.sqlite keeps for the pages among `urls` (the key carries the machine
        secret, so a row nobody planted with it can match). A text gone since (another build pruned
        it) is missing: the caller indexes that page by its title only, and does not cache the shard."""
        keys = {self.text_keys[url]: url for url in urls if url in self.stored}
        found: dict[str, str] = {}
        connection = self._texts_database() if keys else None
        if connection is None:
            return found
        with contextlib.suppress(sqlite3.Error), contextlib.closing(connection):
            for key, stored in rows_by_key(connection, "texts", "key, text", list(keys)):
                # A text is published in the search index: one edited since this machine stored it
                # (its key is visible, in a cache committed, restored or copied back) is never read.
                if isinstance(stored, bytes) and hmac.compare_digest(stored[:MAC_BYTES], self._mac(key, stored[MAC_BYTES:])):
                    found[keys[key]] = stored[MAC_BYTES:].decode("utf-8", "surrogatepass")
        return found

    def _mac(self, key: str, text: bytes) -> bytes:
        return hmac.new(self._seal, key.encode() + b"\0" + text, "sha256").digest()

    def _keep_texts(self) -> None:
        """Add the texts of the pages rendered by this build; forget those no page of it has once they
        outnumber the rest (edits leave theirs behind)."""
        self._texts_written = True
        connection = self._texts_database()
        if connection is None:
            return
        # Encoded here, a row at a time: bound as a str, each text would keep a UTF-8 copy of itself for as
        # long as the build holds it (≈ 4.4 KB an item: 440 MB at 100,000 items).
        rows = ((key, self._mac(key, data) + data) for key, data in
                ((self.text_keys[url], text.encode("utf-8", "surrogatepass")) for url, text in self.texts.items()
                 if url in self.text_keys))
        with contextlib.suppress(sqlite3.Error), contextlib.closing(connection):
            with connection:
                connection.executemany("INSERT OR REPLACE INTO texts (key, text) VALUES (?, ?)", rows)
            used = {self.text_keys[url] for url in (*self.texts, *self.stored) if url in self.text_keys}
            if connection.execute("SELECT count(*) FROM texts").fetchone()[0] > 2 * len(used):
                with connection:
                    connection.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                    connection.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((key,) for key in used))
                    connection.execute("DELETE FROM texts WHERE key NOT IN (SELECT key FROM used)")

    def identity(self, url: str) -> list[int]:
        """The identity (inode, size, mtime) of the previous output of a page `reusable` gave."""
        return self.pages[url][1]

    def stage(self, built: Path) -> None:
        """Write the record of the pages just built into `built` (the folder that becomes site/: renamed,
        its files keep their identities) beside the record, for `save` to put in place; while the search
        index is still being built, not after it."""
        if self.folder is None:
            return
        self.discard()
        self._keep_texts()
        staged = self.folder / f".{self.file}.{os.getpid()}.staged"
        try:
            self.folder.mkdir(exist_ok=True)
            write_whole(staged, self._manifest(built), durable=False)
        except OSError:  # e.g. a folder planted under that name: `save` writes the record after all
            return
        self._staged = staged

    def discard(self) -> None:
        """Remove a staged record (the build failed)."""
        staged, self._staged = self._staged, None
        if staged is not None:
            with contextlib.suppress(OSError):
                os.unlink(staged)

    def save(self) -> str:
        """Record the pages of the build that now is site/ (staged by `stage`, or written now); "" or why it could not
        (the site is built by then: a full disk or a folder planted under the record's name costs the next build its
        reuse, never the build its success). The record that then stays describes an earlier site: each page it names
        is reused only while its file is the very file it recorded (`reusable`), so it never brings back a stale page."""
        if self.folder is None:
            return ""
        _remove_unsplit(self.folder)
        staged, self._staged = self._staged, None
        try:
            if staged is not None:
                os.replace(staged, self.folder / self.file)
                return ""
            self.folder.mkdir(exist_ok=True)
            if not self._texts_written:
                self._keep_texts()
            write_whole(self.folder / self.file, self._manifest(self.site_dir), durable=False)
        except OSError as exc:
            if staged is not None:
                with contextlib.suppress(OSError):
                    os.unlink(staged)
            return printable(f"{system_reason(exc)}（{self.folder / self.file}）")
        return ""

    def _manifest(self, built: Path) -> Iterator[bytes]:
        """The record of the pages (`pages_file`, ≈ 150 bytes a page), made by orjson at once (0.15 s of
        a one-item rebuild's main thread at 10,000 items as one `json.dumps` a page)."""
        pages = {}
        for url, key in self.keys.items():
            # A reused page is a hard link of the file recorded (where a copy was made instead, its identity
            # differs, and the next build renders the page again): only rendered pages are asked for theirs.
            identity = self.pages[url][1] if url in self.reused else _identity(page_output(built, url))
            if identity is not None:
                pages[url] = [key, identity]
        yield orjson.dumps({"format": FORMAT, "site": str(self.site_dir), "common": self.common, "pages": pages})


_UNSPLIT_SHARD = re.compile("[0-9a-f]{64}")


def _remove_unsplit(folder: Path) -> None:
    """What caches of gongkai before 2026-11-30 kept for every site at once: `pages.json` and shards
    directly in `search/` (their names are 64-digit keys; a site's folder has 16), never read again."""
    with contextlib.suppress(OSError):
        os.unlink(folder / "pages.json")
    search = cache_folder(folder.parent, SEARCH_DIR)
    if search is None or not search.is_dir():
        return
    with contextlib.suppress(OSError), os.scandir(search) as entries:
        for entry in entries:
            if _UNSPLIT_SHARD.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


# Anything a link's address may be, wherever it stands: Markdown links and reference definitions (also inside a
# quote or indented in a list item), raw HTML's href and src, percent-escaped. Guessing Python-Markdown's own
# patterns missed those (the page was reused with the old address of an item taken down); a word that is no link
# only adds a lookup to the key. Each pattern below reads the body in one pass, without backtracking.
_ADDRESS = re.compile(r"[^\s()<>\[\]\"'=`，。；、]+")
# … and a Markdown link's destination as Python-Markdown reads it, whatever characters it holds that end a word above
# (附件1、2.pdf, a=b.csv, one set in <…> with a space, one with a pair of parentheses): such a link to a file of a
# scheduled item was reused unresolved once the item was published.
# The destination may stand on the next line (after a quote's > or a list item's indentation). Without <…> it runs to
# its ")", spaces and parentheses in parentheses and all (附件 1.csv, 表((一)).csv), a title after it: every address
# before a quote is read too.
_DESTINATION = re.compile(r"\]\([ \t]*(?:\n[ \t>]*)?(?:<([^<>\n]*)>|((?:[^()\n]|\((?:[^()\n]|\([^()\n]*\))*\))+))"
                          r"|\]:[ \t]*(?:\n[ \t>]*)?(?:<([^<>\n]*)>|(\S+))")
_TITLE = re.compile("[\"']")
# … and an address in quotes, spaces and all: attr_list's {: href="附件 1.csv" } sets a link's address, which MkDocs
# then resolves as any other (raw HTML's it leaves alone: one more lookup).
_QUOTED = re.compile(r"""(?:href|src)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')""", re.I)
# A backslash escape, which Python-Markdown takes off a link's destination (2024\-00001.md links 2024-00001.md).
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINKING = ("](", "]:", "href", "src", "[[")


def _addresses(markdown: str) -> Iterator[str]:
    """Every word of `markdown` that may be a link's address (more than there are: each only adds a lookup)."""
    texts = [markdown]
    if "\\" in markdown:
        texts.append(_ESCAPED.sub(r"\1", markdown))
    for text in texts:
        for match in _ADDRESS.finditer(text):
            yield match[0]
        for match in _DESTINATION.finditer(text):
            destination = next(group for group in match.groups() if group is not None)
            yield destination.strip()
            if _TITLE.search(destination):  # [附件](附件 1.csv "标题"): the address ends where the title starts
                yield _TITLE.split(destination, maxsplit=1)[0].strip()
        for match in _QUOTED.finditer(text):
            yield (match[1] if match[1] is not None else match[2]).strip()


def link_targets(markdown: str, source: str, targets: Mapping[str, str],
                 every_target: Callable[[], str] | None = None) -> tuple[tuple[str, str | None], ...]:
    """Every relative address a page's Markdown may link and where MkDocs makes it lead: the site URL of the
    file it names in `targets` (source path → URL), None where it finds none (a link's output depends on both).
    An address from the site's root (/items/…) is looked up from the page's folder and from the root: MkDocs
    resolves it from the root under `validation.links.absolute_links: relative_to_docs`. A wiki link (`[[标签]]`,
    the wikilinks extension) leads wherever mkdocs.yml's base_url and end_url, or the body's own meta lines, make its
    label lead: a body with one depends on every target (`every_target`: their key, `targets_key` unless given)."""
    if not any(marker in markdown for marker in _LINKING):  # most bodies link nowhere
        return ()
    found: dict[tuple[str, str | None], None] = {}
    if "[[" in markdown:
        found[("[[", every_target() if every_target is not None else targets_key(targets))] = None
    for address in _addresses(markdown):
        link = unquote(address.split("#", 1)[0].split("?", 1)[0]).rstrip(".,;:!")
        if "/" not in link and "." not in link or "://" in link or link.startswith(("mailto:", "tel:")):
            continue
        paths = [posixpath.normpath(posixpath.join(posixpath.dirname(source), link.lstrip("/")))]
        if link.startswith(("/", "\\")):
            paths.append(posixpath.normpath(link.lstrip("/\\")))
        for path in paths:
            target = targets.get(path)
            if target is None:
                target = targets.get(f"{path.rstrip('/')}/index.md", targets.get(f"{path}.md"))
            found[(link, target)] = None
    return tuple(found)


def targets_key(targets: Mapping[str, str]) -> str:
    """The key of every link target of a site (source path → URL)."""
    digest = hashlib.sha256()
    for source, url in sorted(targets.items()):
        digest.update(f"{source}\0{url}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def link_or_copy(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class BaseTree:
    """A site an earlier build replaced, made into the new site in place: after MkDocs has emptied the
    new folder, the old tree takes its place (`adopt`) and keeps only the reused pages it already
    holds as hard links of the current site's files (same inode, size and mtime as `site/`'s, so
    nothing another build or anyone else put there); every other file, link or special file in it
    is removed before MkDocs writes anything, so no write can reach a file `site/` shares. The
    folders are kept: making ≈ 11,500 of them is most of what linking a site costs. `prune` removes
    those left empty. A failed build removes the whole folder, as it does a fresh one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # where the old tree waits (beside site/, on its file system)
        self.adopted = False  # made the new folder (whose fate is then the build's)
        self.kept: set[str] = set()  # paths in the site of the outputs it already held
        self.search: Path | None = None  # its search bundle, inside the new folder until the index takes it
        self._emptied: set[str] = set()  # folders it removed something from
        self._survey: tuple[subprocess.Popen, IO[bytes]] | None = None

    def survey(self) -> None:
        """List its files and their identities now, in a process of its own (a bare interpreter), while the build reads
        and checks the content on the other core: `adopt` then compares instead of asking the file system for each of
        ≈ 11,500 pages (≈ 0.2 s of a rebuild's main thread). Its search bundle is left out (`adopt` moves it aside)."""
        listing = tempfile.TemporaryFile()  # noqa: SIM115 — read and closed by `adopt` (or `stop_survey`)
        try:
            process = subprocess.Popen([sys.executable, "-I", "-S", tree_listing.__file__, str(self.folder), "pagefind",
                                        PREVIOUS_SEARCH], stdin=subprocess.DEVNULL, stdout=listing, stderr=subprocess.DEVNULL)
        except OSError:  # no process to be had: `adopt` walks the tree itself
            listing.close()
            return
        self._survey = process, listing

    def _surveyed(self) -> list[tuple[str, list[int] | None]] | None:
        """The survey's files (path in the site, identity; None: not a regular file), once it has ended; None
        where there was none or it failed."""
        if self._survey is None:
            return None
        process, listing = self._survey
        self._survey = None
        with listing:
            if process.wait() != 0:
                return None
            listing.seek(0)
            return tree_listing.parsed(listing.read())

    def stop_survey(self) -> None:
        """End the survey (a build that does not get to `adopt`)."""
        if self._survey is not None:
            process, listing = self._survey
            self._survey = None
            process.kill()
            process.wait()
            listing.close()

    def adopt(self, target: str, keep: Mapping[str, list[int]]) -> None:
        """Make the old tree the (empty) folder `target`, keeping the outputs in `keep` (path in the site →
        identity of the current site's file) that it holds as that very file."""
        surveyed: Iterable[tuple[str, list[int] | None]] | None = self._surveyed()  # before the tree moves
        os.rmdir(target)
        os.rename(self.folder, target)
        self.folder, self.adopted = Path(target), True
        # Its search bundle: thousands of files the next one mostly shares, taken by the index (search.staging).
        # Only a bundle moved there now is ours: anything a replaced tree already held under that name (which
        # the listing below leaves alone) was put there by someone else, and would be published.
        search, previous = os.path.join(target, "pagefind"), os.path.join(target, PREVIOUS_SEARCH)
        if os.path.isdir(previous) and not os.path.islink(previous):
            shutil.rmtree(previous)
        elif os.path.lexists(previous):
            os.unlink(previous)
        if os.path.isdir(search) and not os.path.islink(search):
            with contextlib.suppress(OSError):
                os.rename(search, previous)
                self.search = Path(previous)
        if surveyed is None or os.path.lexists(search):  # no survey, or a bundle that stayed: everything is looked at
            surveyed = tree_listing.files(target, {PREVIOUS_SEARCH})
        for relative, identity in surveyed:
            if identity is not None and relative in keep and identity == keep[relative]:
                self.kept.add(relative)
                continue
            path = os.path.join(target, relative)
            os.unlink(path)  # a link is removed, never followed
            self._emptied.add(os.path.dirname(path))

    def drop_search(self) -> None:
        """Remove its search bundle if the index did not take it (it must not be published)."""
        if self.search is not None:
            shutil.rmtree(self.search, ignore_errors=True)
            self.search = None

    def prune(self) -> None:
        """Remove the folders the old tree had and the new site does not (left empty)."""
        for folder in sorted(self._emptied, key=len, reverse=True):
            while folder != str(self.folder):
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = os.path.dirname(folder)


# The linker's program: pairs of paths, NUL-separated, on its input; the output it could not write on its output.
# Given the argument `link`, a file that cannot be hard-linked is a failure, not a copy; given `tree`, the input is one
# pair of folders, and every file under the first (not a link) is linked to the same path under the second.
_LINK_PAGES = """
import os, shutil, sys
copy = "link" not in sys.argv[1:]
paths = sys.stdin.buffer.read().split(b"\\0")

def tree(source, target):  # found as they are linked: a 100,000-item site's paths are not held at once
    stack = [source]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    yield entry.path, target + entry.path[len(source):]

made = None  # the folder last made: the search bundle's files come many to a folder
for previous, output in tree(*paths) if "tree" in sys.argv[1:] else zip(paths[0::2], paths[1::2]):
    try:
        folder = os.path.dirname(output)
        if folder != made:
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            made = folder
        try:
            os.link(previous, output)
        except OSError:
            if not copy:
                raise
            shutil.copyfile(previous, output)
    except OSError:
        sys.stdout.buffer.write(output)
        sys.exit(1)
"""


class PageLinker:
    """Hard-links the previous build's unchanged pages into the new site, in a process of its own (a bare
    interpreter: nothing of the project is imported): making their ≈ 11,500 folders is most of the cost, and it
    waits on the file system; as a thread, each of its ≈ 23,000 system calls waited for the interpreter's lock
    again beside the threads rendering pages and indexing (0.7 s of a rebuild's end). `finish` waits and says
    which output it could not write."""

    def __init__(self, pages: list[tuple[str, str]], failure: str = "沿用上次生成的页面失败", *, copy: bool = True,
                 tree: bool = False) -> None:
        """`pages`: (previous output, new output) pairs, the new ones already confined to the build folder;
        `failure`: what `finish` says failed (the search bundle's cached files are linked this way too);
        `copy`: whether a file that cannot be hard-linked (another file system) is copied instead;
        `tree`: `pages` is one pair of folders, whose files the linker finds itself."""
        self._failure = failure
        program = [sys.executable, "-I", "-S", "-c", _LINK_PAGES, *([] if copy else ["link"]), *(["tree"] if tree else [])]
        self._process = subprocess.Popen(program, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        paths = b"\0".join(os.fsencode(path) for pair in pages for path in pair)
        self._feeder = threading.Thread(target=self._feed, args=(paths,), daemon=True)
        self._feeder.start()

    def _feed(self, paths: bytes) -> None:
        stream = self._process.stdin
        assert stream is not None
        with contextlib.suppress(OSError):  # the process is gone: `finish` says so
            stream.write(paths)
        with contextlib.suppress(OSError):
            stream.close()

    def finish(self) -> None:
        self._feeder.join()
        assert self._process.stdout is not None
        failed = self._process.stdout.read()
        if self._process.wait() != 0:
            where = printable(os.fsdecode(failed)) if failed else "网站目录"
            raise OSError(f"{self._failure}：无法写入 {where}，请检查磁盘空间和目录权限后重新生成")

    def abandon(self) -> None:
        """Stop and wait (before the caller removes the half-built site)."""
        self._process.kill()
        self._feeder.join()
        self._process.wait()
