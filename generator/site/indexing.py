"""The plan's item pages → search documents → the Pagefind bundle in the written site, in the
background while the pages are written.

Only item pages are indexed, and a withdrawn item never: its body must leave the index too.
The index starts before the pages are rendered: each shard waits for the texts of its items
(`PageTexts`), and the pages are rendered newest first, in the order the shards are indexed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

from ..progress import Meter
from ..search import SearchDocument, build_index
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
                text=texts.get(entry.url, ""),
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

    def __setitem__(self, url: str, text: str) -> None:
        with self._changed:
            self.texts[url] = text
            self._changed.notify_all()

    def update(self, texts: Mapping[str, str]) -> None:
        with self._changed:
            self.texts.update(texts)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def cancel(self) -> None:
        """The build is given up: waiting raises IndexingCancelled."""
        with self._changed:
            self._cancelled = True
            self._changed.notify_all()

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
            return [dataclasses.replace(doc, text=found.get(doc.url, "")) for doc in documents]

        stats = build_index(search_documents(plan, {}), site_dir, progress=progress, cache=cache, meter=meter,
                            complete=complete, lanes=lanes, text_keys=text_keys, staging=staging, ready=ready)
    else:
        stats = build_index(search_documents(plan, texts), site_dir, progress=progress, cache=cache, meter=meter,
                            lanes=lanes, text_keys=text_keys, staging=staging, ready=ready)
    progress(f"搜索索引：{stats.documents} 篇，{stats.shards} 片，{stats.files} 个文件（{stats.seconds:.1f} 秒）")


class IndexingFailed(Exception):
    """The search index could not be built; the cause is chained."""


class BackgroundIndexer:
    """Builds the search index (`index_site`) in a thread while the caller goes on writing pages;
    `finish` waits and raises IndexingFailed for the thread's failure."""

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
