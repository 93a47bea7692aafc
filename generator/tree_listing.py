"""Every file under a folder, with its identity: how `build_cache.BaseTree` surveys the site an earlier build replaced.

Imported, or run as a script by a bare interpreter (`python -I -S tree_listing.py FOLDER [SKIPPED …]`: the standard
library only), which writes each file's path below FOLDER, then its inode, size and modification time (all three
empty: not a regular file), each followed by a NUL.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterator


def files(root: str, skipped: Collection[str] = ()) -> Iterator[tuple[str, list[int] | None]]:
    """(path below `root`, [inode, size, modification time], or None for what is not a regular file) of everything
    under `root` but folders, links never followed; the top-level folders named in `skipped` are left out."""
    start = len(root) + 1
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if folder != root or entry.name not in skipped:
                        stack.append(entry.path)
                    continue
                identity = None
                if entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    identity = [info.st_ino, info.st_size, info.st_mtime_ns]
                yield entry.path[start:], identity


def parsed(data: bytes) -> list[tuple[str, list[int] | None]] | None:
    """What the script wrote (`files`' entries), or None where it is not whole."""
    fields = data.split(b"\0")
    if len(fields) % 4 != 1 or fields[-1]:
        return None
    found: list[tuple[str, list[int] | None]] = []
    for n in range(0, len(fields) - 1, 4):
        relative, *identity = fields[n:n + 4]
        try:
            found.append((os.fsdecode(relative), [int(number) for number in identity] if identity[0] else None))
        except ValueError:
            return None
    return found


def main(arguments: list[str]) -> None:
    out = sys.stdout.buffer
    for relative, identity in files(arguments[0], set(arguments[1:])):
        out.write(os.fsencode(relative) + b"\0" + (b"%d\0%d\0%d\0" % tuple(identity) if identity else b"\0\0\0"))


if __name__ == "__main__":
    main(sys.argv[1:])
