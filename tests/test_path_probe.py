"""Asking about paths that content wrote: none of them ends a run."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from gongkai import path_probe

# Names no file system takes, or takes only to say "no": over NAME_MAX, over PATH_MAX, a NUL, a link loop.
UNASKABLE = ["x" * 300, "长" * 90, "/".join(["d" * 200] * 25), "a\0b", "loop/a"]


def test_a_path_that_cannot_be_asked_about_is_neither_file_nor_folder(tmp_path):
    os.symlink("loop", tmp_path / "loop")
    for name in UNASKABLE:
        path = tmp_path / name
        assert not path_probe.is_file(path) and not path_probe.is_dir(path) and not path_probe.exists(path), name


def test_real_files_and_folders_are_told_apart(tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe")
    os.symlink("f", tmp_path / "link")
    assert path_probe.is_file(tmp_path / "f") and path_probe.is_file(tmp_path / "link")
    assert path_probe.is_dir(tmp_path) and not path_probe.is_dir(tmp_path / "f")
    assert path_probe.exists(tmp_path / "pipe") and not path_probe.is_file(tmp_path / "pipe")


@given(st.text(max_size=600))
def test_no_text_makes_it_raise(text):
    for probe in (path_probe.is_file, path_probe.is_dir, path_probe.exists):
        probe(f"/tmp/{text}")
