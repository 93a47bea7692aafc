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

Measured on 10,000 items and 10,000 commits (2 cores): the git command line 1.2 s, pygit2 4.8 s
(13 s without enlarging libgit2's tree cache), dulwich 54 s. pygit2 keeps the audit free of
subprocess parsing and reads shallow-clone state directly; a scheduled audit also builds the site,
which takes far longer.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..clock import day_of
from ..limits import Limits

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
                 largest: int = Limits().item_bytes) -> History:
    """The first addition of every file ever committed below `folder`, on HEAD's first-parent line; no commit
    is dated after `today` (a committer's clock set years ahead would otherwise date every later one too). A file
    larger than `largest` bytes (limits.item_mb) is followed through a move only when unchanged."""
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
        for delta in _changes(repository, previous, tree, largest):
            path = f"{prefix}/{delta.new_file.path}"
            if delta.status == DeltaStatus.DELETED:
                left[f"{prefix}/{delta.old_file.path}"] = delta.old_file.id
                continue
            if delta.status not in (DeltaStatus.RENAMED, DeltaStatus.ADDED):
                continue
            if path in history.added and left.pop(path, None) != delta.new_file.id:  # another file under an old name
                del history.added[path]
            if delta.status == DeltaStatus.RENAMED:
                old = f"{prefix}/{delta.old_file.path}"
                left[old] = delta.old_file.id
                moved = history.added.get(old)
                if moved is not None and path not in history.added:
                    renames.append((path, old, own))
                    moved_away.add(old)
                history.added.setdefault(path, moved or own)
            else:
                if path in moved_away:
                    came_back.add(path)
                history.added.setdefault(path, own)
        previous = tree
    # A file moved away and then put back was not moved: the "moved" copy is a new file that took an old one's
    # first date (an old item renamed to a new one's name with the new text, and restored in the next commit).
    # In order, so a file moved on again takes what its previous name was found to have.
    for path, old, own_date in renames:
        history.added[path] = own_date if old in came_back else history.added[old]
    return history


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
