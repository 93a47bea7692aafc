"""The folder a search bundle is put together in before it replaces <site>/pagefind/.

A fresh one is empty. A one-item rebuild changes one shard of many, so the bundle of the site an
earlier build replaced is taken instead and brought up to date in place: a file already there that
is the very file (same device and inode) the bundle would link from the shard cache stays, anything
else is replaced by a new file (never written into: a file of the old bundle may share its inode
with the live site), and whatever this build did not place is removed at the end. That spares
removing ≈ 14,000 files and linking them again at 10,000 items. An old bundle holding anything but
plain folders and files (a link, a FIFO: the cache folder may be committed) is not taken.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..build_cache import PageLinker, link_or_copy
from ..writer import under_umask

PREFIX = ".pagefind-new-"


class Staging:
    """Where a bundle is assembled: `link_all`, `move` and `write` place files; `finish` waits for the
    links and removes the old bundle's files nothing placed."""

    def __init__(self, folder: Path, left: dict[str, int], old_folders: set[str]) -> None:
        self.folder = folder
        self._left = left  # relative paths of the old bundle's files not placed yet, with their inodes
        self._old_folders = old_folders  # and of its folders
        self._folders = {""}  # folders known to be there
        self._linkers: list[PageLinker] = []  # linking while the bundle is put together (`link_all`)
        self.sizes: dict[str, int] = {}  # relative path → size of every file placed (kept, linked or written)

    @classmethod
    def make(cls, parent: Path, previous: Path | None = None, prefix: str = PREFIX) -> Staging:
        """A staging folder in `parent` (on the file system of the site it goes to): `previous` (an old
        bundle, moved here) when it can be taken, else empty."""
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        found = _plain_tree(previous) if previous is not None else None
        taken = False
        if previous is not None and found is not None:
            with contextlib.suppress(OSError):
                os.rename(previous, folder)  # onto the empty folder just made
                taken = True
        # mkdtemp's 0700 became site/pagefind/'s, and stayed with every bundle taken over since: a web server running
        # as another user than the build could not read the search index
        os.chmod(folder, under_umask(0o777))
        return cls(folder, *found) if taken and found is not None else cls(folder, {}, set())

    @classmethod
    def beside(cls, folder: Path, previous: Path | None = None) -> Staging:
        """A staging folder beside the build folder `folder` (hidden, named after it: `remove_beside`)."""
        return cls.make(folder.parent, previous, prefix=_beside_prefix(folder))

    @staticmethod
    def remove_beside(folder: Path) -> None:
        """Remove the staging folders `beside` made for `folder` that nothing took: its index was stopped
        before it could discard one (a build interrupted as the folder was made, an index child killed)."""
        prefix = _beside_prefix(folder)
        with contextlib.suppress(OSError), os.scandir(folder.parent) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)

    def path(self, relative: str) -> str:
        return os.path.join(self.folder, relative)

    def link_all(self, files: Iterable[tuple[str, str, int, int]], device: int) -> None:
        """Each (source, relative, inode, size): a file of the shard cache on `device`, hard-linked at
        `relative`; kept where the old bundle has that very file there already. The links are made by a
        process of its own (build_cache.PageLinker) while the caller goes on: the ≈ 14,000 files of a
        one-item rebuild's unchanged shards, whose system calls as a thread each waited for the
        interpreter's lock again beside the threads rendering pages. `finish` waits for them."""
        same_device = os.stat(self.folder).st_dev == device
        pairs: list[tuple[str, str]] = []
        for source, relative, inode, size in files:
            target = self._clear(relative, keep=inode if same_device else None)
            self.sizes[relative] = size
            if target is not None:
                pairs.append((source, target))
        if not pairs:
            return
        try:
            self._linkers.append(PageLinker(pairs, "沿用上次的搜索索引文件失败"))
        except OSError:  # no process to be had (memory, the process limit): linked here
            for source, target in pairs:
                link_or_copy(source, target)

    def move(self, source: str, relative: str, size: int | None = None) -> None:
        """`source` (fresh Pagefind output, of `size` bytes where known) moved to `relative`: copied where
        the work folder is on another file system than the site (a /tmp that is a tmpfs, a TMPDIR elsewhere)."""
        target = self._clear(relative)
        assert target is not None
        try:
            self.sizes[relative] = os.stat(source).st_size if size is None else size
            os.rename(source, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            shutil.copyfile(source, target)

    def write(self, relative: str, data: bytes) -> None:
        target = self._clear(relative)
        assert target is not None
        with open(target, "xb") as stream:
            stream.write(data)
        self.sizes[relative] = len(data)

    def copy(self, source: str | Path, relative: str) -> None:
        target = self._clear(relative)
        assert target is not None
        shutil.copyfile(source, target)
        self.sizes[relative] = os.stat(target).st_size

    def _clear(self, relative: str, keep: int | None = None) -> str | None:
        """The path of `relative`, free for a new file (an old file there removed, its folder made);
        None when the old file there is the file of inode `keep` (on the staging folder's device) already."""
        target = self.path(relative)
        inode = self._left.pop(relative, None)
        if inode is not None:
            if keep is not None and inode == keep:
                return None
            os.unlink(target)
            return target
        if relative in self._old_folders:  # an old folder where this file goes
            shutil.rmtree(target)
            inside = relative + os.sep
            self._left = {left: inode for left, inode in self._left.items() if not left.startswith(inside)}
            self._old_folders = {old for old in self._old_folders if old != relative and not old.startswith(inside)}
        folder = os.path.dirname(relative)
        if folder in self._folders:
            return target
        if not os.path.isdir(self.path(folder)):
            parts = folder.split(os.sep)
            for depth in range(1, len(parts) + 1):  # an old file where one of its folders goes
                prefix = os.path.join(*parts[:depth])
                if prefix in self._left:
                    del self._left[prefix]
                    os.unlink(self.path(prefix))
            os.makedirs(self.path(folder), exist_ok=True)
        self._folders.add(folder)
        return target

    def drop_left(self) -> None:
        """Remove the old bundle's files nothing placed yet: called once all that is kept of it has been
        placed (`link_all`), so that they go while Pagefind runs rather than after (the rest is placed
        as new files, never kept: `move`, `write`, `copy`)."""
        for relative in self._left:
            os.unlink(self.path(relative))
        self._left = {}

    def finish(self) -> None:
        """Wait for the links (raises OSError for one that could not be made); remove the old bundle's
        files no shard placed again, and its folders left empty."""
        linkers, self._linkers = self._linkers, []
        for linker in linkers:
            linker.finish()
        for relative in self._left:
            os.unlink(self.path(relative))
        for folder in sorted(self._old_folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # not empty, or gone with an old folder a file replaced
                os.rmdir(self.path(folder))
        self._left, self._old_folders = {}, set()

    def discard(self) -> None:
        linkers, self._linkers = self._linkers, []
        for linker in linkers:  # stopped before their folder goes
            linker.abandon()
        shutil.rmtree(self.folder, ignore_errors=True)


def _beside_prefix(folder: Path) -> str:
    hidden = folder.name if folder.name.startswith(".") else f".{folder.name}"
    return f"{hidden}.search-"


def _plain_tree(folder: Path) -> tuple[dict[str, int], set[str]] | None:
    """The relative paths of the files (with their inodes) and of the folders under `folder` if it holds
    only real folders and regular files, else None."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        files: dict[str, int] = {}
        folders: set[str] = set()
        stack = [""]
        while stack:
            relative = stack.pop()
            with os.scandir(os.path.join(folder, relative)) as entries:
                for entry in entries:
                    name = os.path.join(relative, entry.name) if relative else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(name)
                        folders.add(name)
                    elif entry.is_file(follow_symlinks=False):
                        files[name] = entry.inode()
                    else:
                        return None
        return files, folders
    except OSError:
        return None
