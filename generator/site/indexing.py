"""The plan's item pages → search documents → the Pagefind bundle in the written site, in the
background while the pages are written.

Only item pages are indexed, and a withdrawn item never: its body must leave the index too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..progress import Meter
from ..search import SearchDocument, build_index
from .planning import SitePlan


def search_documents(plan: SitePlan, texts: dict[str, str]) -> list[SearchDocument]:
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


def index_site(
    plan: SitePlan, texts: dict[str, str], site_dir: Path, *, progress: Callable[[str], None], cache: Path | None = None,
    meter: Meter | None = None,
) -> None:
    """Write the search bundle of the plan's published items to site_dir/pagefind/ (build_index).

    `texts` maps an item URL to the plain text of its rendered body (items missing from it are
    indexed by title, 索引号 and 文号 only). `cache`: a folder keeping each shard's output, reused
    while the shard's documents and gongkai's code are unchanged. Reports through `progress`.
    """
    documents = search_documents(plan, texts)
    stats = build_index(documents, site_dir, progress=progress, cache=cache, meter=meter)
    progress(f"搜索索引：{stats.documents} 篇，{stats.shards} 片，{stats.files} 个文件（{stats.seconds:.1f} 秒）")


class IndexingFailed(Exception):
    """The search index could not be built; the cause is chained."""


class BackgroundIndexer:
    """Builds the search index (`index_site`) in a thread while the caller goes on writing pages;
    `finish` waits and raises IndexingFailed for the thread's failure."""

    def __init__(self, plan: SitePlan, texts: dict[str, str], site_dir: Path, *, progress: Callable[[str], None],
                 cache: Path | None = None, meter: Meter | None = None) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(plan, texts, site_dir, progress, cache, meter), daemon=True)
        self.thread.start()

    def _run(self, plan: SitePlan, texts: dict[str, str], site_dir: Path, progress: Callable[[str], None],
             cache: Path | None, meter: Meter | None) -> None:
        try:
            index_site(plan, texts, site_dir, progress=progress, cache=cache, meter=meter)
        except BaseException as exc:  # handed to the caller's thread by `finish`
            self.error = exc

    def finish(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise IndexingFailed(str(self.error)) from self.error

    def abandon(self) -> None:
        """Let the thread end (the caller is about to remove the half-built site)."""
        self.thread.join()
