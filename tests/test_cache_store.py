"""The cache store every cache of gongkai keeps its entries in: keys that change with what made an entry, and
databases that hold what they were written with."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gongkai import cache_store
from gongkai.cache_store import open_cache_database


@pytest.mark.parametrize("library", ["nh3", "selectolax", "pypdf", "python-stdnum", "PyYAML", "pygments", "lxml"])
def test_an_upgraded_library_changes_every_cache_key(monkeypatch, library):
    """Cached pages and bodies hold the sanitiser's output, cached checks the readers' and parsers' findings:
    a library upgraded (a sanitiser's security fix, a PDF reader that finds more text) must make every
    key new, not leave the old sanitised HTML and findings in use."""
    cache_store._versions.cache_clear()
    before = cache_store.code_fingerprint()
    version = cache_store.metadata.version
    try:
        with monkeypatch.context() as patch:
            patch.setattr(cache_store.metadata, "version", lambda name: "99.0" if name == library.lower() else version(name))
            cache_store._versions.cache_clear()
            assert cache_store.code_fingerprint() != before
    finally:
        cache_store._versions.cache_clear()
    assert cache_store.code_fingerprint() == before


def test_a_cache_database_commits_without_flushing_to_the_disk_yet_stays_whole(tmp_path: Path):
    """Write-ahead mode with `synchronous=NORMAL`: a commit waits for no disk flush (≈ 4 ms each); what a
    process writes is there for the next one to read."""
    table = "entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
    connection = open_cache_database(tmp_path / "c.sqlite", table)
    assert connection is not None
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    with connection:
        connection.execute("INSERT INTO entries VALUES (?, ?)", ("k", os.urandom(100)))
    connection.close()
    again = open_cache_database(tmp_path / "c.sqlite", table)
    assert again is not None and again.execute("SELECT count(*) FROM entries").fetchone() == (1,)
