"""Swap two folders in one step, so a killed process never leaves neither in place.

Linux's renameat2(RENAME_EXCHANGE) exchanges two paths atomically (ext4, xfs, btrfs, tmpfs and most
local file systems since Linux 3.15). Python's os module does not offer it and no maintained library
wraps just this call, so it is reached through ctypes; where the C library or the file system lacks
it, `exchange` says so and the caller falls back to two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}  # no such call, or not on this file system


def _renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_CALL = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap what `first` and `second` name (both must exist), in one step. False where this system
    cannot (nothing was changed); OSError for any other failure (nothing was changed either)."""
    if _CALL is None:
        return False
    if _CALL(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    number = ctypes.get_errno()
    if number in _UNSUPPORTED:
        return False
    raise OSError(number, os.strerror(number), str(first), None, str(second))
