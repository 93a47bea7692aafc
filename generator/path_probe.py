"""Asking the file system about a path that content or a command line wrote.

Such a path can be one no file system takes: a name over 255 bytes, deeper than PATH_MAX, holding a NUL, or
looping through links. `Path.is_file()` passes some of those errors on (ENAMETOOLONG, ValueError), and one line
in one draft then ended every check and every build. A path that cannot be asked about names no file or folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def _mode(path: Path | str) -> int:
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return 0


def is_file(path: Path | str) -> bool:
    """Whether `path` is a regular file (following links, as `Path.is_file`); never raises."""
    return stat.S_ISREG(_mode(path))


def is_dir(path: Path | str) -> bool:
    """Whether `path` is a folder (following links, as `Path.is_dir`); never raises."""
    return stat.S_ISDIR(_mode(path))


def exists(path: Path | str) -> bool:
    """Whether anything is at `path` (following links, as `Path.exists`); never raises."""
    return _mode(path) != 0
