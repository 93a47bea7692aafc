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
from pathlib import Path

PREFIX = ".pagefind-new-"


class Staging:
    """Where a bundle is assembled: `link`, `move` and `write` place files; `finish` removes the
    old bundle's files nothing placed."""

    def __init__(self, folder: Path, left: set[str], old_folders: set[str]) -> None:
        self.folder = folder
        self._left = left  # relative paths of the old bundle's files not placed yet
        self._old_folders = old_folders  # and of its folders
        self._folders = {""}  # folders known to be there

    @classmethod
    def make(cls, parent: Path, previous: Path | None = None, prefix: str = PREFIX) -> Staging:
        """A staging folder in `parent` (on the file system of the site it goes to): `previous` (an old
        bundle, moved here) when it can be taken, else empty."""
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        found = _plain_tree(previous) if previous is not None else None
        if previous is None or found is None:
            return cls(folder, set(), set())
        try:
            os.rename(previous, folder)  # onto the empty folder just made
        except OSError:
            return cls(folder, set(), set())
        return cls(folder, *found)

    def path(self, relative: str) -> str:
        return os.path.join(self.folder, relative)

    def link(self, source: str, relative: str) -> None:
        """`source` (a file of the shard cache) at `relative`, as a hard link; kept where it is already."""
        from ..build_cache import link_or_copy

        target = self._clear(relative, keep=source)
        if target is not None:
            link_or_copy(source, target)

    def move(self, source: str, relative: str) -> None:
        """`source` (fresh Pagefind output) moved to `relative`: copied where the work folder is on
        another file system than the site (a /tmp that is a tmpfs, a TMPDIR elsewhere)."""
        target = self._clear(relative)
        assert target is not None
        try:
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

    def copy(self, source: str | Path, relative: str) -> None:
        target = self._clear(relative)
        assert target is not None
        shutil.copyfile(source, target)

    def _clear(self, relative: str, keep: str | None = None) -> str | None:
        """The path of `relative`, free for a new file (an old file there removed, its folder made);
        None when the old file there is `keep` already."""
        target = self.path(relative)
        if relative in self._left:
            self._left.discard(relative)
            if keep is not None and _same_file(keep, target):
                return None
            os.unlink(target)
            return target
        if self._left and os.path.isdir(target):  # an old folder where this file goes
            shutil.rmtree(target)
            self._left = {left for left in self._left if not left.startswith(relative + os.sep)}
        folder = os.path.dirname(relative)
        if folder in self._folders:
            return target
        if not os.path.isdir(self.path(folder)):
            parts = folder.split(os.sep)
            for depth in range(1, len(parts) + 1):  # an old file where one of its folders goes
                prefix = os.path.join(*parts[:depth])
                if prefix in self._left:
                    self._left.discard(prefix)
                    os.unlink(self.path(prefix))
            os.makedirs(self.path(folder), exist_ok=True)
        self._folders.add(folder)
        return target

    def finish(self) -> None:
        """Remove the old bundle's files no shard placed again, and its folders left empty."""
        for relative in self._left:
            os.unlink(self.path(relative))
        for folder in sorted(self._old_folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # not empty, or gone with an old folder a file replaced
                os.rmdir(self.path(folder))
        self._left, self._old_folders = set(), set()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _same_file(source: str, target: str) -> bool:
    try:
        a, b = os.stat(source), os.lstat(target)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _plain_tree(folder: Path) -> tuple[set[str], set[str]] | None:
    """The relative paths of the files and of the folders under `folder` if it holds only real folders
    and regular files, else None."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        files: set[str] = set()
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
                        files.add(name)
                    else:
                        return None
        return files, folders
    except OSError:
        return None
