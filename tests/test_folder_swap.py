"""Two folders swapped in one step (renameat2 RENAME_EXCHANGE), and the site replaced that way."""

from __future__ import annotations

import pytest

from gongkai import folder_swap
from gongkai.commands import build


def _tree(path, text):
    path.mkdir()
    (path / "index.html").write_text(text, encoding="utf-8")
    return path.stat().st_ino


def test_two_folders_change_places(tmp_path):
    first, second = _tree(tmp_path / "a", "甲"), _tree(tmp_path / "b", "乙")
    assert folder_swap.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a").stat().st_ino == second and (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == "乙"
    assert (tmp_path / "b").stat().st_ino == first


def test_a_missing_folder_is_an_error_that_changes_nothing(tmp_path):
    inode = _tree(tmp_path / "a", "甲")
    with pytest.raises(FileNotFoundError):
        folder_swap.exchange(tmp_path / "a", tmp_path / "missing")
    assert (tmp_path / "a").stat().st_ino == inode and not (tmp_path / "missing").exists()


@pytest.mark.parametrize("can_exchange", [True, False])
def test_the_new_site_takes_the_old_ones_place_and_the_old_one_waits_in_replaced(tmp_path, monkeypatch, can_exchange):
    if not can_exchange:  # a C library or file system without the call: two renames
        monkeypatch.setattr(folder_swap, "_CALL", None)
    old, new = _tree(tmp_path / "site", "旧"), _tree(tmp_path / ".site.new-1", "新")
    replaced = tmp_path / "cache" / "replaced"
    build._replace(tmp_path / ".site.new-1", tmp_path / "site", replaced)
    assert (tmp_path / "site").stat().st_ino == new
    assert [folder.stat().st_ino for folder in replaced.iterdir()] == [old]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "site"]


def test_the_first_site_is_moved_in_place(tmp_path):
    new = _tree(tmp_path / ".site.new-1", "新")
    build._replace(tmp_path / ".site.new-1", tmp_path / "site", tmp_path / "replaced")
    assert (tmp_path / "site").stat().st_ino == new and not (tmp_path / "replaced").exists()


def test_site_names_a_whole_site_between_any_two_steps(tmp_path, monkeypatch):
    """A process killed at any point of the replacement leaves a site/ (the old or the new one)."""
    _tree(tmp_path / "site", "旧")
    _tree(tmp_path / ".site.new-1", "新")
    seen = []
    rename = build.os.rename

    def step(source, target):
        rename(source, target)
        seen.append((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))

    monkeypatch.setattr(build.os, "rename", step)
    build._replace(tmp_path / ".site.new-1", tmp_path / "site", tmp_path / "replaced")
    assert seen and set(seen) == {"新"}
