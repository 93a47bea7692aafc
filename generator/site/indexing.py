"""The plan's item pages → search documents → the Pagefind bundle in the written site, in the
background while the pages are written.

Only item pages are indexed, and a withdrawn item never: its body must leave the index too.
The index starts before the pages are rendered: each shard waits for the texts of its items
(`PageTexts`), and the pages are rendered newest first, in the order the shards are indexed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from .. import page_workers
from ..progress import Meter
from ..search import SearchDocument, build_index
from ..search.documents import indexed_text
from ..search.staging import Staging
from .planning import SitePlan


def search_documents(plan: SitePlan, texts: Mapping[str, str]) -> list[SearchDocument]:
    """`texts` maps an item URL to the plain text of its rendered body."""
    documents = []
    for page in plan.items():
        if page.withdrawn or page.entry is None:
            continue
        entry = page.entry
        documents.append(
            SearchDocument(
                url=entry.url,
                title=entry.title,
                date=entry.published.isoformat(),
                year=str(entry.published.year),
                category=entry.category,
                department=entry.department,
                index_no=entry.index_no,
                doc_no=entry.doc_no,
                text=indexed_text(texts.get(entry.url, ""), len(page.markdown)),
                size=len(page.markdown),
            )
        )
    return documents


class TextStore(Protocol):
    """Where the texts of pages unchanged since an earlier build are kept (build_cache.PageCache)."""

    @property
    def stored(self) -> set[str]:
        """The URLs of those pages."""

    def stored_texts(self, urls: Iterable[str]) -> dict[str, str]: ...


class PageTexts:
    """Each item's search text, by URL, as its page is rendered (here or by a worker process) or
    from `store` for a page reused from the previous build; the indexer waits for the texts of a
    shard. Safe to use from several threads.

    `known` is filled in place with the texts rendered. Once `close`d (every page rendered, or the
    build given up), waiting ends with what is there: a page whose text never came is indexed by
    its title, 索引号 and 文号 only, as before."""

    def __init__(self, known: dict[str, str] | None = None, store: TextStore | None = None) -> None:
        self.texts: dict[str, str] = known if known is not None else {}
        self._store = store
        self._changed = threading.Condition()
        self._closed = False
        self._cancelled = False
        self._forward: Callable[[tuple], None] | None = None

    def __setitem__(self, url: str, text: str) -> None:
        with self._changed:
            self.texts[url] = text
            self._changed.notify_all()
            if self._forward is not None:
                self._forward(("texts", {url: text}))

    def update(self, texts: Mapping[str, str]) -> None:
        with self._changed:
            self.texts.update(texts)
            self._changed.notify_all()
            if self._forward is not None:
                self._forward(("texts", dict(texts)))

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            if self._forward is not None:
                self._forward(("close",))

    def cancel(self) -> None:
        """The build is given up: waiting raises IndexingCancelled."""
        with self._changed:
            self._cancelled = True
            self._changed.notify_all()
            if self._forward is not None:
                self._forward(("cancel",))

    def forward(self, send: Callable[[tuple], None] | None) -> None:
        """From now on, also tell `send` of each text, of the close and of the cancellation (in their order)."""
        with self._changed:
            self._forward = send

    def copy(self) -> PageTexts:
        """The same texts and state, waited on by threads of their own (in a forked child)."""
        copy = PageTexts(self.texts, self._store)
        copy._closed, copy._cancelled = self._closed, self._cancelled
        return copy

    def wait(self, urls: Iterable[str]) -> dict[str, str]:
        """The texts of `urls`, once every one of them is known or the texts are closed."""
        urls = list(urls)
        stored = self._store.stored if self._store is not None else set()
        wanted = [url for url in urls if url not in stored]
        kept = [url for url in urls if url in stored] if stored else []
        with self._changed:
            self._changed.wait_for(lambda: self._cancelled or self._closed or all(url in self.texts for url in wanted))
            if self._cancelled:
                raise IndexingCancelled
            found = {url: self.texts[url] for url in wanted if url in self.texts}
        if kept and self._store is not None:
            found.update(self._store.stored_texts(kept))
        return found


class IndexingCancelled(Exception):
    """The pages whose texts the index waits for will not be rendered."""


def index_site(
    plan: SitePlan, texts: Mapping[str, str] | PageTexts, site_dir: Path, *, progress: Callable[[str], None],
    cache: Path | None = None, meter: Meter | None = None, lanes: Callable[[], int] | None = None,
    text_keys: Mapping[str, str] | None = None, staging: Staging | None = None, ready: Callable[[], None] | None = None,
) -> None:
    """Write the search bundle of the plan's published items to site_dir/pagefind/ (build_index).

    `texts` maps an item URL to the plain text of its rendered body (items missing from it are
    indexed by title, 索引号 and 文号 only); a `PageTexts` is waited on shard by shard. `cache`: a
    folder keeping each shard's output, reused while the shard's documents and gongkai's code are
    unchanged. `lanes`, `text_keys`, `staging` and `ready`: see build_index. Reports through `progress`.
    """
    if isinstance(texts, PageTexts):
        waited = texts

        def complete(documents: tuple[SearchDocument, ...]) -> list[SearchDocument]:
            found = waited.wait(doc.url for doc in documents)
            return [dataclasses.replace(doc, text=indexed_text(found.get(doc.url, ""), doc.size)) for doc in documents]

        stats = build_index(search_documents(plan, {}), site_dir, progress=progress, cache=cache, meter=meter,
                            complete=complete, lanes=lanes, text_keys=text_keys, staging=staging, ready=ready)
    else:
        stats = build_index(search_documents(plan, texts), site_dir, progress=progress, cache=cache, meter=meter,
                            lanes=lanes, text_keys=text_keys, staging=staging, ready=ready)
    progress(f"搜索索引：{stats.documents} 篇，{stats.shards} 片，{stats.files} 个文件（{stats.seconds:.1f} 秒）")


class IndexingFailed(Exception):
    """The search index could not be built; the cause is chained."""


class BackgroundIndexer:
    """Builds the search index (`index_site`) in a thread while the caller goes on writing pages (where no second
    process is worth it: see ForkedIndexer); `finish` waits and raises IndexingFailed for the thread's failure."""

    def __init__(self, plan: SitePlan, texts: PageTexts, site_dir: Path, *, progress: Callable[[str], None],
                 cache: Path | None = None, meter: Meter | None = None, lanes: Callable[[], int] | None = None,
                 text_keys: Mapping[str, str] | None = None, staging: Staging | None = None,
                 ready: Callable[[], None] | None = None) -> None:
        self.error: BaseException | None = None
        self.texts = texts
        self.thread = threading.Thread(target=self._run, args=(plan, texts, site_dir, progress, cache, meter, lanes,
                                                               text_keys, staging, ready), daemon=True)
        self.thread.start()

    def _run(self, plan: SitePlan, texts: PageTexts, site_dir: Path, progress: Callable[[str], None],
             cache: Path | None, meter: Meter | None, lanes: Callable[[], int] | None, text_keys: Mapping[str, str] | None,
             staging: Staging | None, ready: Callable[[], None] | None) -> None:
        try:
            index_site(plan, texts, site_dir, progress=progress, cache=cache, meter=meter, lanes=lanes, text_keys=text_keys,
                       staging=staging, ready=ready)
        except BaseException as exc:  # handed to the caller's thread by `finish`
            self.error = exc
            if staging is not None:  # beside the build folder: not removed with it
                staging.discard()

    def finish(self) -> None:
        """Wait for the index (every page has been rendered: `texts` is closed)."""
        self.texts.close()
        self.thread.join()
        if self.error is not None:
            raise IndexingFailed(str(self.error)) from self.error

    def abandon(self) -> None:
        """Let the thread end soon (the caller is about to remove the half-built site)."""
        self.texts.cancel()
        self.thread.join()


class ForkedIndexer:
    """Builds the search index (`index_site`) in a child process forked for it (`start_indexer`), while the caller goes on keying and
    writing pages: as a thread, its Python (≈ 1.5 s of a one-item rebuild at 10,000 items: the search documents,
    the shard's records, the bundle's files) took the interpreter's lock from the thread the build waits for. The
    child has the plan and the texts known at the fork; the texts rendered later, the close or the cancellation
    and the build folder being ready follow over a pipe. Its progress lines, its meter's counts and its questions
    about lanes come back over another, answered by a thread here. `finish` and `abandon` as BackgroundIndexer's."""

    def __init__(self, plan: SitePlan, texts: PageTexts, site_dir: Path, *, progress: Callable[[str], None],
                 cache: Path | None = None, meter: Meter | None = None, lanes: Callable[[], int] | None = None,
                 text_keys: Mapping[str, str] | None = None, staging: Staging | None = None,
                 ready: Callable[[], None] | None = None) -> None:
        self.error: BaseException | None = None
        self.texts = texts
        context = multiprocessing.get_context("fork")
        orders, self._orders = context.Pipe(duplex=False)
        self._reports, reports = context.Pipe(duplex=False)
        self._outbox: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        texts.forward(self._outbox.put)  # before the fork: a text set meanwhile reaches the child twice, never not at all
        self._process = context.Process(target=_index_child, daemon=True, args=(
            plan, texts.copy(), site_dir, cache, text_keys, staging, orders, reports))
        forked = page_workers.started(self._process)
        orders.close()
        reports.close()
        if not forked:  # the caller (`start_indexer`) indexes in a thread
            texts.forward(None)
            self._orders.close()
            self._reports.close()
            raise OSError("no process to be had")
        self._sender = threading.Thread(target=self._send_all, daemon=True)
        self._sender.start()
        self._relay = threading.Thread(target=self._answer, args=(progress, meter, lanes), daemon=True)
        self._relay.start()
        self._readiness = threading.Thread(target=self._await_ready, args=(ready,), daemon=True)
        self._readiness.start()

    def _send_all(self) -> None:
        """Send the orders in their order, the texts that came meanwhile as one: the thread rendering pages only
        queues them (sent one by one from there, a full build's texts cost that thread ≈ 1.4 s at 10,000 items)."""
        while True:
            orders = [self._outbox.get()]
            with contextlib.suppress(queue.Empty):
                while len(orders) < 1000:
                    orders.append(self._outbox.get_nowait())
            texts: dict[str, str] = {}
            for order in orders:
                if order is not None and order[0] == "texts":
                    texts.update(order[1])
                    continue
                if texts:
                    self._send(("texts", texts))
                    texts = {}
                if order is None:
                    return
                self._send(order)
            if texts:
                self._send(("texts", texts))

    def _send(self, order: tuple) -> None:
        with contextlib.suppress(OSError):  # the child is gone: `finish` says so
            self._orders.send(order)

    def _await_ready(self, ready: Callable[[], None] | None) -> None:
        try:
            if ready is not None:
                ready()
        except IndexingCancelled:
            self._outbox.put(("cancel",))
        else:
            self._outbox.put(("ready",))

    def _answer(self, progress: Callable[[str], None], meter: Meter | None, lanes: Callable[[], int] | None) -> None:
        while True:
            try:
                kind, *rest = self._reports.recv()
            except (EOFError, OSError):
                self.error = IndexingFailed("生成搜索索引的进程意外退出（内存不足或被终止），请重新生成")
                return
            if kind == "done":
                self.error = self.error or rest[0]
                return
            try:
                if kind == "progress":
                    progress(rest[0])
                elif kind == "meter":
                    if meter is not None and rest[0] in _METER_CALLS:
                        getattr(meter, rest[0])(*rest[1])
                else:  # lanes
                    self._outbox.put(("lanes", lanes() if lanes is not None else 1))
            except Exception as exc:  # as in a thread, the index fails; the child is heard out (it must not wait on us)
                self.error = self.error or exc

    def finish(self) -> None:
        """Wait for the index (every page has been rendered: `texts` is closed)."""
        self.texts.close()
        self._wait()
        if self.error is not None:
            raise IndexingFailed(str(self.error)) from self.error

    def abandon(self) -> None:
        """Let the child end soon (the caller is about to remove the half-built site)."""
        self.texts.cancel()
        self._wait()

    def _wait(self) -> None:
        self._relay.join()
        self._process.join()
        self._outbox.put(None)
        self._sender.join()
        self._reports.close()
        self._orders.close()


_METER_CALLS = frozenset({"line", "start", "advance", "finish"})


class _RelayedMeter(Meter):
    """A meter whose calls are made by the parent's meter (one live display for the whole build)."""

    def __init__(self, report: Callable[[tuple], None]) -> None:  # noqa: D107 — no display of its own
        self._report = report

    def line(self, message: str) -> None:
        self._report(("meter", "line", (message,)))

    def start(self, key: str, description: str, total: int, step: int = 2000) -> None:
        self._report(("meter", "start", (key, description, total, step)))

    def advance(self, key: str, amount: int = 1) -> None:
        self._report(("meter", "advance", (key, amount)))

    def finish(self, key: str) -> None:
        self._report(("meter", "finish", (key,)))


def _index_child(plan: SitePlan, texts: PageTexts, site_dir: Path, cache: Path | None, text_keys: Mapping[str, str] | None,
                 staging: Staging | None, orders: Connection, reports: Connection) -> None:
    """The forked child of ForkedIndexer: index_site, with the parent's orders applied by a thread of its own."""
    sending = threading.Lock()
    settled = threading.Event()
    abandoned = threading.Event()
    answers: queue.SimpleQueue[int] = queue.SimpleQueue()

    def report(message: tuple) -> None:
        with sending:
            reports.send(message)

    def listen() -> None:
        while True:
            try:
                kind, *rest = orders.recv()
            except (EOFError, OSError):  # the parent is gone
                kind, rest = "cancel", []
            if kind == "texts":
                texts.update(rest[0])
            elif kind == "close":
                texts.close()
            elif kind == "ready":
                settled.set()
            elif kind == "lanes":
                answers.put(rest[0])
            else:  # cancel
                abandoned.set()
                settled.set()
                answers.put(1)
                texts.cancel()
                return

    def ready() -> None:
        settled.wait()
        if abandoned.is_set():
            raise IndexingCancelled

    def lanes() -> int:
        report(("lanes",))
        return answers.get()

    threading.Thread(target=listen, daemon=True).start()
    try:
        index_site(plan, texts, site_dir, progress=lambda line: report(("progress", line)), cache=cache,
                   meter=_RelayedMeter(report), lanes=lanes, text_keys=text_keys, staging=staging, ready=ready)
    except BaseException as exc:  # told to the parent, whose `finish` raises it
        if staging is not None:
            staging.discard()
        outcome: BaseException | None = _picklable(exc)
    else:
        outcome = None
    with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
        report(("done", outcome))


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # e.g. an exception holding an open file: its message is what the parent says
        return IndexingFailed(str(exc))
    return exc


def start_indexer(plan: SitePlan, texts: PageTexts, site_dir: Path, *, forked: bool, progress: Callable[[str], None],
                  cache: Path | None = None, meter: Meter | None = None, lanes: Callable[[], int] | None = None,
                  text_keys: Mapping[str, str] | None = None, staging: Staging | None = None,
                  ready: Callable[[], None] | None = None) -> BackgroundIndexer | ForkedIndexer:
    """The index built beside the caller: in a forked child where `forked` says a second process is worth it and
    one can be had, else in a thread."""
    def start(kind: type[BackgroundIndexer] | type[ForkedIndexer]) -> BackgroundIndexer | ForkedIndexer:
        return kind(plan, texts, site_dir, progress=progress, cache=cache, meter=meter, lanes=lanes,
                    text_keys=text_keys, staging=staging, ready=ready)

    if forked:
        with contextlib.suppress(OSError):
            return start(ForkedIndexer)
    return start(BackgroundIndexer)
