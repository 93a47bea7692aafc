"""Whether an item was on the public site before, as the git history of its file records it.

A page's, a template's or mkdocs.yml's link to an item due on the public site later (scheduled, or members-only for
now) stops the build (GK631): its text would announce the item before its day. An item that was public already and
is taken down by postponing it or by narrowing it to 党内 has nothing left to announce, and stopping the build kept
that very item online, on the day the reviewers signed it off the site, until someone fixed the page. So such a link
stops no build when a committed version of the item (the same file, 索引号 and title) was on the public site at the
end of its commit's day, when the daily build ran: committed on the branch's own line (`--first-parent`: not an
intermediate commit of a branch merged into it), replaced only on a later day, and on its day 主动公开, published
and reaching the public, every review level signed.

The history is read as a record of what the site showed, not verified again (no signature is checked): it decides
only whether the build waits for a page's fix. A page is never signed and its text is its own either way; the link
stays an error of the check, is dead on the site, and nothing of the item reaches the page. Without a repository,
in a shallow clone that lacks the version, or past the history's bounds (HISTORY_SECONDS of git in one check, the
versions `review_diff` reads of a file, an item's size limit), the build waits, as before.
"""

from __future__ import annotations

import datetime as dt
import time

from .items import to_item
from .loading import parse_document
from .model import Item
from .project import Project
from .review_diff import GitHistory, git_history
from .roster import roster_of

HISTORY_SECONDS = 20.0


class PastPublication:
    """One check's questions to the repository of `project`, each item asked once; `close` when done."""

    def __init__(self, project: Project, today: dt.date) -> None:
        self.project, self.today = project, today
        self._history: GitHistory | None = None
        self._found: dict[str, str] = {}

    def where(self, item: Item) -> str:
        """Where ("提交 1a2b3c4，2025-03-01") the newest committed version of `item` that was public at the end of its
        commit's day is; "" when there is none. Commit days after today count for nothing."""
        if item.path not in self._found:
            self._found[item.path] = self._search(item)
        return self._found[item.path]

    def _search(self, item: Item) -> str:
        catalog = self.project.catalog
        if catalog is None:
            return ""
        if self._history is None:
            self._history = git_history(self.project.root, HISTORY_SECONDS, self.project.limits)
        history = self._history
        if not history.ok:
            return ""
        limit = self.project.limits.item_bytes
        levels = roster_of(catalog).level_keys
        replaced_on = self.today  # the day the newer version (the working copy's, first) took this one's place
        for commit, day_text in history.versions(item.path, first_parent=True):
            if time.monotonic() > history.deadline:
                return ""
            try:
                day = dt.date.fromisoformat(day_text)
            except ValueError:
                continue
            newer, replaced_on = replaced_on, min(replaced_on, day)
            data = history.version(commit, item.path, limit + 1) if day < newer else None
            document, _ = parse_document(data, item.path) if data is not None and len(data) <= limit else (None, [])
            if document is None:
                continue
            version = to_item(document, catalog)
            signed = all((entry := version.review.entry(level)) is not None and entry.date is not None and entry.date <= day
                         for level in levels)
            if (version.index_no, version.title) == (item.index_no, item.title) and signed and version.is_published(day):
                return f"提交 {commit[:7]}，{day.isoformat()}"
        return ""

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
