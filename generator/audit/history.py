"""When each item first went into the repository, from git history (pygit2).

The date an item was put online is the date of the commit that first added its file on the
branch's mainline (first parents: a merged branch's file counts from the merge). Moved files keep
their first date (rename detection), unless the old name comes back later; a name that comes back holding
another file than it left with (deleted or moved away) holds a new file, dated anew. A commit's date is its
committer's own word and git takes one dated before its parent: a commit is dated no earlier than its
parent. Files of the repository's first commit, and of commits dated up to `imported_until`, were
imported from an older system: their dates are no evidence.

A shallow clone has no start of history: what its oldest commit holds may have been added at any
time before. Those files are "unknown", and the audit says so instead of passing them.

An item reaches the public when a version of it that is public stands on the mainline at the end of a day (the
daily build), not when its file is first committed: a file committed 不予公开, 党内 without `public_from`, scheduled
for later, unsigned or withdrawn, and made public months later with an old 发布日期 and back-dated sign-offs (the
reviewers' word), was first public on the later day. `first_public` tells that day for each 索引号 a file held: each
version of an item (items/…/*.md) is read once as the walk meets it (its front matter, within the item limit), and
it stands public from the first day on which, as the build reads it, it is 主动公开, published, reaching the public
(its 党内 phase over), not withdrawn, and every review level of that commit's catalog.yml signed 同意公开 on or before
that day — if it still stands at that day's end. A version is judged by the catalog.yml of the commit the walk is at
(a category or level that catalog lacks reaches no one; a catalog.yml that does not load builds nothing), and the
versions not yet public are judged again when catalog.yml changes. Sign-offs are taken as written (no signature is
verified). The cost is linear in the history: one read of each changed item version, one catalog load per change.

Measured on 10,000 items and 10,000 commits (2 cores): the git command line 1.2 s, pygit2 4.8 s
(13 s without enlarging libgit2's tree cache), dulwich 54 s. pygit2 keeps the audit free of
subprocess parsing and reads shallow-clone state directly; a scheduled audit also builds the site,
which takes far longer.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog import load_catalog
from ..clock import day_of
from ..items import to_item
from ..limits import Limits
from ..loading import SourceDocument, parse_document
from ..model import APPROVE, AUDIENCE_PARTY, AUDIENCE_PUBLIC, PUBLIC, Catalog
from ..roster import roster_of
from ..values import as_text

if TYPE_CHECKING:
    import pygit2

IMPORTED = "imported"  # added by the first commit or up to imported_until: not evidence
UNKNOWN = "unknown"  # in the oldest commit of a shallow clone: added at some unknown earlier time
DATED = "dated"
HISTORY_BUDGET = 600.0  # seconds for the whole walk: a history of millions of commits (or a crafted one) ends in a finding


@dataclass(frozen=True)
class Added:
    date: dt.date
    commit: str  # short id
    kind: str  # IMPORTED, UNKNOWN or DATED


@dataclass
class History:
    """First additions of the files below one folder, by path relative to the repository's work tree."""

    workdir: Path | None = None
    shallow: bool = False
    problem: str = ""  # why there is no history (Chinese), "" when it was read
    added: dict[str, Added] = field(default_factory=dict)
    # path → 索引号 → the first day a version of the item with that 索引号 stood public (live) at a day's end there;
    # None when the versions were not read (no catalog given)
    public: dict[str, dict[str, Added]] | None = None
    # path → 索引号 → the same for a version shown only as withdrawn (a tombstone: title, 索引号 and date, no text)
    shown: dict[str, dict[str, Added]] = field(default_factory=dict)

    def first_public(self, file: Path, index_no: str, withdrawn: bool = False) -> Added | None:
        """The first day a committed version of `file` holding the item `index_no` stood on the public site at a day's
        end (not withdrawn; for an item withdrawn now, its tombstone's first day when it was never live); None if none
        did, or first_added when the versions were not read."""
        if self.public is None:
            return self.first_added(file)
        rel = self._rel(file)
        if rel is None:
            return None
        found = self.public.get(rel, {}).get(index_no)
        if found is None and withdrawn:
            found = self.shown.get(rel, {}).get(index_no)
        return found

    def _rel(self, file: Path) -> str | None:
        if self.workdir is None:
            return None
        try:
            return file.resolve().relative_to(self.workdir).as_posix()
        except ValueError:
            return None

    def first_added(self, file: Path) -> Added | None:
        """When `file` was first committed; None if it never was (a new file in the work tree)."""
        if self.workdir is None:
            return None
        try:
            rel = file.resolve().relative_to(self.workdir).as_posix()
        except ValueError:
            return None
        return self.added.get(rel)


def _large(repository: pygit2.Repository, diff: pygit2.Diff, largest: int) -> tuple[set[str], set[str]]:
    """The files added and the files deleted in `diff` that are larger than `largest` bytes, or unreadable (nothing to
    compare them with either); from the objects' headers alone, never their content."""
    import pygit2
    from pygit2.enums import DeltaStatus

    added: set[str] = set()
    deleted: set[str] = set()
    for delta in diff.deltas:
        if delta.status not in (DeltaStatus.ADDED, DeltaStatus.DELETED):
            continue
        side, found = (delta.new_file, added) if delta.status == DeltaStatus.ADDED else (delta.old_file, deleted)
        try:
            if repository.odb.read_header(side.id)[1] > largest:
                found.add(side.path)
        except (KeyError, pygit2.GitError):
            found.add(side.path)
    return added, deleted


def _changes(repository: pygit2.Repository, previous: pygit2.Tree | None, tree: pygit2.Tree, largest: int) -> list[pygit2.DiffDelta]:
    """What changed from `previous` to `tree`, moves found as git finds them by default, whatever `diff.renames` the
    configuration sets (`false` dated a moved item anew, `copies` left an item copied from an edited one out of the
    history, as if never committed). Telling a move with edits reads both files whole
    (two 1.2 GB files, 6.9 MB of .git after compression, held 2.4 GB): a file larger than `largest` (the item limit; no
    item or report is larger) is followed only when unchanged, and the others are compared without it, so one large
    attachment in a commit does not stop an item moved with edits in that commit from being followed."""
    import pygit2
    from pygit2.enums import DeltaStatus, DiffFind

    if previous is None:
        return list(tree.diff_to_tree(swap=True).deltas)
    diff = previous.diff_to_tree(tree)
    if not any(delta.status == DeltaStatus.DELETED for delta in diff.deltas):
        return list(diff.deltas)
    large_added, large_deleted = _large(repository, diff, largest)
    if not large_added and not large_deleted:
        diff.find_similar(DiffFind.FIND_RENAMES)
        return list(diff.deltas)
    diff.find_similar(DiffFind.FIND_RENAMES | DiffFind.FIND_EXACT_MATCH_ONLY)
    exact = list(diff.deltas)
    del diff
    kept = [delta for delta in exact if delta.new_file.path in large_added or delta.old_file.path in large_deleted]
    # The rest again, by similarity, against an index of `tree` in memory (nothing is written) that lacks the large
    # files added and still has the large files deleted: neither is in that diff.
    index = pygit2.Index()
    try:
        index.read_tree(tree)
        for delta in kept:
            if delta.status in (DeltaStatus.ADDED, DeltaStatus.RENAMED):
                index.remove(delta.new_file.path)
        for delta in kept:
            if delta.status in (DeltaStatus.DELETED, DeltaStatus.RENAMED):
                if delta.old_file.path in index:  # the path holds another file now: only exact moves, as before
                    return exact
                index.add(pygit2.IndexEntry(delta.old_file.path, delta.old_file.id, delta.old_file.mode))
        rest = previous.diff_to_index(index)
    except (KeyError, ValueError, pygit2.GitError):  # a file where a folder is now, or the like: only exact moves
        return exact
    rest.find_similar(DiffFind.FIND_RENAMES)
    return kept + list(rest.deltas)


def read_history(root: Path, folder: Path, imported_until: dt.date | None, today: dt.date = dt.date.max,
                 largest: int = Limits().item_bytes, versions: bool = False) -> History:
    """The first addition of every file ever committed below `folder`, on HEAD's first-parent line; no commit
    is dated after `today` (a committer's clock set years ahead would otherwise date every later one too). A file
    larger than `largest` bytes (limits.item_mb) is followed through a move only when unchanged. With `versions`, the
    items' versions are read too, for `first_public`."""
    import pygit2
    from pygit2.enums import DeltaStatus, ObjectType

    from ..git_repo import repository as checkout

    # Read-only use of a checkout another user owns (CI containers) is safe: nothing here runs hooks.
    pygit2.settings.owner_validation = False
    # Item folders hold thousands of entries; without a bigger tree cache every diff re-inflates them.
    pygit2.settings.cache_object_limit(ObjectType.TREE, 4 << 20)
    # The checkout's own .git, never a repository's files committed into the site (git_repo): libgit2's
    # search would take those, and the history they tell is whatever the commit says.
    repo = checkout(root)
    if repo.git_dir is None:
        return History(problem=f"{repo.problem}，无法得知每条信息首次提交（上网）的日期")
    found = repo.resolved
    deadline = time.monotonic() + HISTORY_BUDGET
    try:
        repository = pygit2.Repository(found)
        # libgit2 takes `info/grafts` as the commits' parents (git itself, told not to, does not): a local file that
        # rewrites the history a commit tells — HEAD made a root, so that every item reads as imported, no evidence.
        common = repo.run(root, "rev-parse", "--path-format=absolute", "--git-common-dir", timeout=60)
        grafts = Path(common.decode("utf-8", "surrogateescape").strip() if common else repository.path) / "info" / "grafts"
        if os.path.lexists(grafts) and (not grafts.is_file() or grafts.stat().st_size > 0):
            return History(problem=f"git 仓库中有 {grafts}（移植文件 grafts，会改写提交的父提交，使历史与提交本身所记不符），"
                                   "无法据历史得知每条信息首次提交（上网）的日期；请删除它"
                                   "（需要时用 git replace --convert-graft-file 转换）")
        if repository.workdir is None:
            return History(problem="git 仓库没有工作目录（裸仓库），无法核查")
        workdir = Path(repository.workdir).resolve()
        history = History(workdir, repository.is_shallow)
        if repository.head_is_unborn:
            return history
        prefix = folder.resolve().relative_to(workdir).as_posix()
    except ValueError:
        return History(problem=f"内容目录 {folder} 不在 git 仓库 {found} 的工作目录中，无法核查")
    except pygit2.GitError as exc:
        return History(problem=f"无法读取 git 仓库（{exc}）")
    # Ids and times only: a commit object holds its whole message, and 100 commits of 30 MB messages held 3.2 GB.
    chain: list[tuple[pygit2.Oid, pygit2.Oid, int]] = []
    reading: object = "HEAD"
    try:
        reading = repository.head.target
        commit = repository.head.peel(pygit2.Commit)
        while True:
            if time.monotonic() >= deadline:
                return _out_of_time()
            chain.append((commit.id, commit.tree_id, commit.commit_time))
            if not commit.parent_ids:
                break
            reading = commit.parent_ids[0]
            if history.shallow and reading not in repository:  # the clone's history ends here
                break
            commit = commit.parents[0]
        del commit
    except (KeyError, pygit2.GitError) as exc:  # an object missing or one libgit2 cannot parse (a time of 20 digits)
        return History(problem=f"提交 {str(reading)[:12]} 无法读取（{type(exc).__name__}：对象缺失或损坏，"
                               "例如提交时间超出范围），无法据历史得知每条信息首次提交（上网）的日期；请修复仓库")
    chain.reverse()
    previous = None
    latest = dt.date.min
    renames: list[tuple[str, str, Added]] = []  # new path, old path, the date the new path has of its own
    moved_away: set[str] = set()  # the old names of those moves
    came_back: set[str] = set()  # old names a later commit added again
    # Each name no longer in the tree (deleted, or moved away) → the file it held as it left. A name that comes back
    # holding another file is a new file there, dated anew: its first date was another file's (a new item written
    # under a deleted item's name, or one moved there, passed the back-dating veto with the deleted one's date).
    left: dict[str, pygit2.Oid] = {}
    tracked = _Versions(repository, prefix, largest) if versions else None
    for position, (commit_id, tree_id, commit_time) in enumerate(chain):
        if time.monotonic() >= deadline:
            return _out_of_time()
        # A commit's date is what its committer wrote: one dated before its parent (git allows it) is taken as
        # its parent's day, or a new item committed today with last June's date passed the backdating veto.
        latest = max(latest, min(day_of(commit_time), today))
        tree = _subtree(repository.get(tree_id), prefix)
        if tree is None:
            continue  # the folder is missing here (or is a file, a link, a submodule): nothing of it to compare
        if previous is not None and previous.id == tree.id:
            continue
        if position == 0:
            kind = UNKNOWN if history.shallow else IMPORTED
        else:
            kind = IMPORTED if imported_until is not None and latest <= imported_until else DATED
        own = Added(latest, str(commit_id)[:7], kind)
        if tracked is not None:
            tracked.catalog_at(tree, own)
        for delta in _changes(repository, previous, tree, largest):
            path = f"{prefix}/{delta.new_file.path}"
            if delta.status == DeltaStatus.DELETED:
                left[f"{prefix}/{delta.old_file.path}"] = delta.old_file.id
                if tracked is not None:
                    tracked.leave(f"{prefix}/{delta.old_file.path}", latest)
                continue
            if delta.status not in (DeltaStatus.RENAMED, DeltaStatus.ADDED):
                if tracked is not None and delta.status in (DeltaStatus.MODIFIED, DeltaStatus.TYPECHANGE):
                    tracked.put(path, delta.new_file, own)
                continue
            if path in history.added and left.pop(path, None) != delta.new_file.id:  # another file under an old name
                del history.added[path]
                if tracked is not None:
                    tracked.forget(path)
            if delta.status == DeltaStatus.RENAMED:
                old = f"{prefix}/{delta.old_file.path}"
                left[old] = delta.old_file.id
                moved = history.added.get(old)
                if moved is not None and path not in history.added:
                    renames.append((path, old, own))
                    moved_away.add(old)
                if tracked is not None:
                    tracked.move(old, delta.old_file, path, delta.new_file, own, carry=path not in history.added)
                history.added.setdefault(path, moved or own)
            else:
                if path in moved_away:
                    came_back.add(path)
                if tracked is not None:
                    tracked.put(path, delta.new_file, own)
                history.added.setdefault(path, own)
        previous = tree
    # A file moved away and then put back was not moved: the "moved" copy is a new file that took an old one's
    # first date (an old item renamed to a new one's name with the new text, and restored in the next commit).
    # In order, so a file moved on again takes what its previous name was found to have.
    for path, old, own_date in renames:
        history.added[path] = own_date if old in came_back else history.added[old]
        if tracked is not None and old in came_back:  # only what the copy itself stood public as counts
            tracked.since(path, own_date.date)
    if tracked is not None:
        tracked.end(today)
        history.public = {path: line.live for path, line in tracked.lines.items() if line.live}
        history.shown = {path: line.shown for path, line in tracked.lines.items() if line.shown}
    return history


@dataclass
class _Line:
    """One name's item versions as the walk met them: the first day each 索引号 it held stood public there (live, or
    only as a withdrawn item's tombstone), and the version standing there now while it has not stood public yet."""

    live: dict[str, Added] = field(default_factory=dict)
    shown: dict[str, Added] = field(default_factory=dict)
    document: SourceDocument | None = None  # the standing version's front matter, until it has stood public
    kind: str = DATED  # the kind of the commit that put the standing version in (an import stays no evidence)
    due: tuple[str, bool, dt.date, str] | None = None  # its 索引号, withdrawn, the first day it is public, the commit
    # what the standing version needs of a catalog: the levels it has signed 同意公开 with a date, its column's and
    # department's keys, its audience as written (None: its column's), whether it has a public_from
    needs: tuple[frozenset[str], str, str, str | None, bool] | None = None


class _Versions:
    """The item versions of one walk along the mainline; see the module's text. Every version is read once (its
    front matter, the item limit's first bytes); the versions not yet public are judged again (no read) when the
    commit's catalog.yml changes."""

    def __init__(self, repository: pygit2.Repository, prefix: str, largest: int) -> None:
        self.repository, self.largest = repository, largest
        self.items = "items/" if prefix in ("", ".") else f"{prefix}/items/"
        self.lines: dict[str, _Line] = {}
        # Each name whose line has a document is in one of: `due` (a day it stands public, under this catalog), or
        # the `waiting` group of what it needs of a catalog (none): a catalog.yml change judges each group once.
        self.due: set[str] = set()
        self.waiting: dict[tuple[frozenset[str], str, str, str | None, bool], set[str]] = {}
        self.catalog: Catalog | None = None
        self.catalog_id: pygit2.Oid | None = None
        self.levels: tuple[str, ...] = ()
        self.judged: object = ()  # what of self.catalog a judgement reads (None: no catalog; (): none yet)

    def _settle(self, path: str, before: dt.date) -> None:
        """Record the standing version of `path` if it stood public at the end of a day before `before`."""
        line = self.lines.get(path)
        if line is None or line.due is None or line.due[2] >= before:
            return
        index_no, withdrawn, day, commit = line.due
        (line.shown if withdrawn else line.live).setdefault(index_no, Added(day, commit, line.kind))
        self._unplace(path, line)
        line.document, line.due = None, None  # it can stand public no earlier than it did

    def _unplace(self, path: str, line: _Line) -> None:
        self.due.discard(path)
        group = self.waiting.get(line.needs) if line.needs is not None else None
        if group is not None:
            group.discard(path)
            if not group:
                del self.waiting[line.needs]  # type: ignore[arg-type]

    def _place(self, path: str, line: _Line) -> None:
        if line.document is None:
            return
        if line.due is not None:
            self.due.add(path)
        elif line.needs is not None:
            self.waiting.setdefault(line.needs, set()).add(path)

    def leave(self, path: str, day: dt.date) -> None:
        """The version at `path` is gone (deleted, moved away, no item any more) as of `day`."""
        self._settle(path, day)
        line = self.lines.get(path)
        if line is not None:
            self._unplace(path, line)
            line.document, line.due = None, None

    def forget(self, path: str) -> None:
        """Another file under a name that had left: nothing of the old one's counts."""
        line = self.lines.pop(path, None)
        if line is not None:
            self._unplace(path, line)

    def put(self, path: str, file: pygit2.DiffFile, own: Added) -> None:
        """`file` is the version at `path` from `own`'s commit on."""
        self.leave(path, own.date)
        line = self.lines.setdefault(path, _Line())
        document = self._read(path, file)
        if document is None:
            return
        line.document, line.kind, line.needs = document, own.kind, None
        self._judge(path, line, own)

    def move(self, old: str, old_file: pygit2.DiffFile, new: str, new_file: pygit2.DiffFile, own: Added,
             carry: bool) -> None:
        """`old` moved to `new` (with `new_file` there); `carry`: the new name takes the old one's versions."""
        self._settle(old, own.date)
        line = self.lines.get(old)
        if carry and line is not None:
            self.lines[new] = _Line(dict(line.live), dict(line.shown), line.document, line.kind, line.due, line.needs)
            self._place(new, self.lines[new])
        self.leave(old, own.date)
        unchanged = (old_file.id == new_file.id and old.startswith(self.items) == new.startswith(self.items)
                     and old.endswith(".md") == new.endswith(".md"))
        if not (carry and line is not None and unchanged):
            self.put(new, new_file, own)

    def since(self, path: str, day: dt.date) -> None:
        """Of what `path` stood public as, only what it did on `day` or later (a copy that took an old name's line)."""
        line = self.lines.get(path)
        if line is not None:
            line.live = {key: added for key, added in line.live.items() if added.date >= day}
            line.shown = {key: added for key, added in line.shown.items() if added.date >= day}

    def catalog_at(self, tree: pygit2.Tree, own: Added) -> None:
        """The commit's catalog.yml: when it changed, the versions not yet public are judged by the new one."""
        import pygit2

        try:
            entry = tree["catalog.yml"]
        except KeyError:
            entry = None
        found = entry.id if entry is not None and entry.filemode in (pygit2.GIT_FILEMODE_BLOB,
                                                                     pygit2.GIT_FILEMODE_BLOB_EXECUTABLE) else None
        if found == self.catalog_id:
            return
        self.catalog_id = found
        data = self._blob(found) if found is not None else None
        catalog = None
        if data is not None:
            with tempfile.TemporaryDirectory(prefix="gongkai-audit-") as folder:
                (Path(folder) / "catalog.yml").write_bytes(data)
                catalog = load_catalog(Path(folder), Path(folder), self.largest)[0]
        levels = roster_of(catalog).level_keys if catalog is not None else ()
        # What a version's judgement reads of it: the most frequent changes (a reviewer's key, a comment, a column's
        # settings) judge nothing again.
        judged = None if catalog is None else (levels, tuple((c.name, c.slug, c.audience) for c in catalog.categories),
                                                tuple((d.name, d.slug) for d in catalog.departments))
        if judged == self.judged:
            self.catalog = catalog
            return
        for path in list(self.due):
            self._settle(path, own.date)
        self.catalog, self.levels, self.judged = catalog, levels, judged
        for path in list(self.due):
            self._judge(path, self.lines[path], own)
        for needs, group in list(self.waiting.items()):
            if self._may(needs):  # a group this catalog cannot make public is not judged member by member
                for path in list(group):
                    self._judge(path, self.lines[path], own)

    def end(self, today: dt.date) -> None:
        """The versions standing at HEAD: public on a day up to `today`."""
        after = today + dt.timedelta(days=1) if today < dt.date.max else today
        for path in list(self.due):
            self._settle(path, after)

    def _blob(self, oid: pygit2.Oid) -> bytes | None:
        import pygit2

        try:
            if self.repository.odb.read_header(oid)[1] > self.largest:
                return None  # larger than the check reads: never on the site
            found = self.repository[oid]
            return found.data if isinstance(found, pygit2.Blob) else None
        except (KeyError, ValueError, pygit2.GitError):
            return None

    def _read(self, path: str, file: pygit2.DiffFile) -> SourceDocument | None:
        """The front matter of the item version `file` at `path`; None for anything the site never shows as an item."""
        import pygit2

        if not (path.startswith(self.items) and path.endswith(".md")) or file.mode not in (
                pygit2.GIT_FILEMODE_BLOB, pygit2.GIT_FILEMODE_BLOB_EXECUTABLE):
            return None
        data = self._blob(file.id)
        if data is None:
            return None
        opened = data.find(b"\n")
        fence = _FENCE.search(data, opened + 1) if opened >= 0 else None
        if fence is None:
            return None
        document, problems = parse_document(data[:fence.end()] + b"\n", path)
        return None if any(problem.is_error for problem in problems) else document  # the check refused it: not built

    def _judge(self, path: str, line: _Line, own: Added) -> None:
        """The first day, `own`'s or later, the standing version is public as the commit's catalog.yml reads it.

        A version no catalog makes public (not 主动公开, no 发布日期 or 索引号) is dropped, and one that this catalog's
        levels, columns or departments keep from the public is told so from what the version needs of them, without
        reading it again: a history whose every commit changed catalog.yml judged each waiting version at each
        change (2,000 commits, 1,000 unsigned items: 42 s); the versions that wait for the same things are one group."""
        self._unplace(path, line)
        line.due = None
        if line.document is None:
            return
        if line.needs is None:
            meta = line.document.meta
            item = to_item(line.document, None)
            if item.disclosure != PUBLIC or item.published is None or item.parsed_index_no is None:
                line.document = None
                return
            approved = frozenset(entry.level for entry in item.review.entries
                                 if entry.date is not None and entry.opinion == APPROVE)
            audience = (as_text(meta.get("audience")) or "?") if "audience" in meta else None
            line.needs = (approved, as_text(meta.get("category")), as_text(meta.get("department")), audience,
                          item.public_from is not None)
        if self.catalog is not None and self._may(line.needs):
            item = to_item(line.document, self.catalog)
            entries = [item.review.entry(level) for level in self.levels]
            since = item.public_since
            signed = [entry.date for entry in entries
                      if entry is not None and entry.date is not None and entry.opinion == APPROVE]
            if since is not None and len(signed) == len(entries) and item.index_no:
                day = max(own.date, since, *signed)
                if item.is_published(day):
                    line.due = (item.index_no, item.withdrawn is not None, day, own.commit)
        self._place(path, line)

    def _may(self, needs: tuple[frozenset[str], str, str, str | None, bool]) -> bool:
        """Whether this catalog may make a version with these needs public: its levels signed, its column and
        department there, its audience (as written, else its column's) the public's or 党内 with a public_from."""
        approved, category_key, department_key, audience, public_from = needs
        if self.catalog is None or not self.levels or not approved.issuperset(self.levels):
            return False
        category = self.catalog.category(category_key) if category_key else None
        if category is None or not department_key or self.catalog.department(department_key) is None:
            return False
        reaching = (AUDIENCE_PUBLIC, AUDIENCE_PARTY) if public_from else (AUDIENCE_PUBLIC,)
        return (category.audience if audience is None else audience) in reaching


# The loader's closing fence, on the bytes (as `review_history` reads a version's front matter).
_FENCE = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def _out_of_time() -> History:
    return History(problem=f"读取 git 历史超过 {HISTORY_BUDGET:.0f} 秒仍未读完（提交过多，或仓库已损坏），"
                           "无法得知每条信息首次提交（上网）的日期")


def _subtree(tree, prefix: str):
    """The tree at `prefix`, or None where the commit has no folder there (nothing, a file, a link, a submodule)."""
    import pygit2

    try:
        found = tree[prefix] if prefix not in ("", ".") else tree
    except KeyError:
        return None
    return found if isinstance(found, pygit2.Tree) else None
