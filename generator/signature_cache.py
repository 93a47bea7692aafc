"""A cache of signatures already verified, so `gongkai check` verifies only new or changed sign-offs.

An entry is an HMAC, under a secret kept in the user's cache folder (never in the project), of
everything a verification depends on: the signed statement, the whole signature, the public
key and the code that verified it (gongkai's and its libraries', `cache_store.code_fingerprint`). A hit
therefore means this exact triple verified before on this machine by this code; any change to any of them
misses (a signature an older gongkai accepted, and a fixed one refuses, is verified again). A cache file
copied into a repository is useless without the secret, so it can never turn a bad signature into a good one. Only successes are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

from .cache_store import read_cache_file
from .machine_secret import machine_secret
from .signatures import PublicKey

_ENTRY = 16  # bytes of each HMAC kept: 128 bits
_MAX_ENTRIES = 2_000_000  # ≈ 32 MB; beyond that the file starts again
FILE_NAME = "verified-signatures"


class VerifiedCache:
    """The verified signatures of one project (`.gongkai-cache/verified-signatures`)."""

    def __init__(self, folder: Path | None, fingerprint: str) -> None:
        self.file = folder / FILE_NAME if folder is not None else None
        self.secret = machine_secret() if folder is not None else None
        self.code = hashlib.sha256(fingerprint.encode()).digest()
        self._known: set[bytes] | None = None  # read when first asked: a check whose items all come from the
        # item cache verifies nothing (a streamed check makes one of these per chunk: 100 at 100,000 items)
        self.new: list[bytes] = []

    @property
    def known(self) -> set[bytes]:
        if self._known is None:
            self._known = set()
            if self.file is not None and self.secret is not None:
                data = read_cache_file(self.file, _MAX_ENTRIES * _ENTRY) or b""
                self._known = {data[i:i + _ENTRY] for i in range(0, len(data) - _ENTRY + 1, _ENTRY)}
        return self._known

    def _entry(self, message: bytes, signature: bytes, key: PublicKey) -> bytes | None:
        if self.secret is None:
            return None
        material = (self.code + hashlib.sha256(message).digest() + hashlib.sha256(signature).digest()
                    + hashlib.sha256(key.blob).digest())
        return hmac.digest(self.secret, material, "sha256")[:_ENTRY]

    def hit(self, message: bytes, signature: bytes, key: PublicKey) -> bool:
        """Whether `key` was found to have made `signature` (its text without whitespace) over `message`."""
        entry = self._entry(message, signature, key)
        return entry is not None and entry in self.known

    def add(self, message: bytes, signature: bytes, key: PublicKey) -> None:
        entry = self._entry(message, signature, key)
        if entry is not None and entry not in self.known:
            self.known.add(entry)
            self.new.append(entry)

    def save(self) -> None:
        """Append this run's new entries (one write, so two processes never interleave a record)."""
        if self.file is None or not self.new:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            size = self.file.stat().st_size if self.file.exists() else 0
            # A part of an entry (a check killed mid-write, a full disk) would put every later entry off by its length,
            # missed for ever: the file starts again, as a full one does.
            full = size >= _MAX_ENTRIES * _ENTRY or size % _ENTRY != 0
            # O_NONBLOCK: a FIFO planted under the name (a committed cache folder cannot hold one, a machine can)
            # made this open wait for a reader for ever, and the check with it; it is no file to append to
            flags = (os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if full else os.O_APPEND) | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
            fd = os.open(self.file, flags, 0o600)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                return
            with os.fdopen(fd, "wb") as stream:
                stream.write(b"".join(self.new))
            self.new = []
        except OSError:
            pass  # a read-only checkout still checks, only without the cache
