"""The watcher reports saved, created, moved and deleted files in batches."""

from __future__ import annotations

import threading
from pathlib import Path

from gongkai.preview.watching import Watcher


def test_changes_arrive_as_batches_of_paths(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("a", encoding="utf-8")
    seen: set[Path] = set()
    arrived = threading.Event()

    def changed(paths: set[Path]) -> None:
        seen.update(paths)
        if {folder / "a.md", folder / "b.md", config} <= seen:
            arrived.set()

    watcher = Watcher([folder], [config], changed)
    watcher.start()
    try:
        (folder / "a.md").write_text("一", encoding="utf-8")
        (folder / "tmp").write_text("二", encoding="utf-8")
        (folder / "tmp").rename(folder / "b.md")  # an editor's save: a temporary file renamed over the file
        config.write_text("b", encoding="utf-8")
        assert arrived.wait(30), seen
    finally:
        watcher.stop()
    assert tmp_path / "elsewhere" not in seen
