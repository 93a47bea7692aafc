"""`gongkai build` stopped at any moment — killed outright (SIGKILL, a power cut), or by a file size limit reached
as a full disk would be — leaves the previous site whole or the new one, says what happened in Chinese, and the
next build equals a clean full build: nothing half-written (a site, a cache, the page record, the spare tree) is
taken for finished work."""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.projects import TODAY, build, hashes, make_project, write_item

BIN = Path(sys.executable).parent
ENV = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat(), "PYTHONWARNINGS": "ignore"}


def _built_then_edited(tmp_path: Path):
    fixture = make_project(tmp_path / "project", news=3)
    site = fixture.root / "site"
    build(fixture, site)
    write_item(fixture.root, 2022, 901, "新增条目的正文。", title="新增条目", category="normative",
               published=dt.date(2022, 5, 1))
    return fixture, site


def _next_build_is_a_clean_one(fixture, site: Path, tmp_path: Path) -> dict:
    build(fixture, site)
    new = hashes(site)
    shutil.rmtree(fixture.root / ".gongkai-cache")
    assert new == hashes(build(fixture, tmp_path / "clean").site)
    return new


@pytest.mark.parametrize("limit", [4 << 10, 48 << 10, 512 << 10])
def test_a_file_size_limit_reached_at_any_stage_leaves_a_whole_site(tmp_path, limit):
    fixture, site = _built_then_edited(tmp_path)
    before = hashes(site)
    result = subprocess.run([str(BIN / "gongkai"), "build"], cwd=fixture.root, env=ENV, capture_output=True,
                            text=True, timeout=300,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, result.stderr
    limited = hashes(site)
    if result.returncode != 0:
        assert limited == before and "保持不变" in result.stderr, result.stderr
    assert not [p.name for p in fixture.root.iterdir() if p.name.startswith(".site")]
    assert limited in (before, _next_build_is_a_clean_one(fixture, site, tmp_path))


@pytest.mark.parametrize("after", [0.5, 1.5, 3.0, 5.0])
def test_a_build_killed_outright_at_any_moment_leaves_a_whole_site(tmp_path, after):
    fixture, site = _built_then_edited(tmp_path)
    before = hashes(site)
    running = subprocess.Popen([str(BIN / "gongkai"), "build"], cwd=fixture.root, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(after)
    os.killpg(running.pid, signal.SIGKILL)  # its workers and Pagefind with it, as a power cut would
    running.wait()
    killed = hashes(site)
    assert killed in (before, _next_build_is_a_clean_one(fixture, site, tmp_path))


def _mount(folder: Path, size: int, *options: str) -> bool:
    return subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join((*options, f"size={size}")), "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _used(folder: Path) -> int:
    info = os.statvfs(folder)
    return (info.f_blocks - info.f_bfree) * info.f_frsize


def _build_on_a_small_disk(fixture, disk: Path, room: int, clean: dict) -> str | None:
    """Build the project copied onto a file system with `room` bytes free; its error (Chinese), None when it built.
    Whatever happened, the site is the old one or the new one, and the next build (with room) equals a clean one.
    `clean` keeps the clean build's hashes: every copy holds the same content, so one clean build serves them all."""
    assert _mount(disk, 256 << 20)
    try:
        project = disk / "project"
        shutil.copytree(fixture.root, project, symlinks=True)
        assert subprocess.run(["mount", "-o", f"remount,size={_used(disk) + room}", str(disk)]).returncode == 0
        site = project / "site"
        before = hashes(site)
        result = subprocess.run([str(BIN / "gongkai"), "build"], cwd=project, env=ENV, capture_output=True, text=True,
                                timeout=300)
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, result.stderr
        if result.returncode != 0:
            assert hashes(site) == before and "保持不变" in result.stderr, result.stderr
        limited = hashes(site)
        assert subprocess.run(["mount", "-o", "remount,size=256m", str(disk)]).returncode == 0
        rebuilt = subprocess.run([str(BIN / "gongkai"), "build"], cwd=project, env=ENV, capture_output=True, text=True,
                                 timeout=300)
        assert rebuilt.returncode == 0, rebuilt.stderr
        new = hashes(site)
        if not clean:
            shutil.rmtree(project / ".gongkai-cache")
            run = subprocess.run([str(BIN / "gongkai"), "build", "--site-dir", "clean"], cwd=project, env=ENV,
                                 capture_output=True, text=True, timeout=300)
            assert run.returncode == 0, run.stderr
            clean.update(hashes(project / "clean"))
        assert new == clean and limited in (before, new)
        return result.stderr if result.returncode != 0 else None
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


@pytest.mark.long
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_disk_that_fills_at_any_stage_leaves_a_whole_site(tmp_path):
    """The project on a file system that fills up part-way through the build: with more room each time, the failure
    moves from stage to stage (MkDocs' theme files and pages, the search index, the caches, the page record), and
    with just too little the last writes fail. Each time the previous site or the new one is whole, the message is
    Chinese, and the next build, with room again, equals a clean one."""
    fixture, site = _built_then_edited(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount(disk, 256 << 20):
        pytest.skip("no tmpfs here")
    subprocess.run(["umount", str(disk)], check=True)
    whole = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    room = 0
    clean: dict = {}
    while _build_on_a_small_disk(fixture, disk, room, clean) is not None:  # coarse: until it builds
        room += whole // 4
        assert room < 8 * whole
    # fine: just short of what it needs, in sixths of the last coarse step (six sixths back is the room that last
    # failed above: tried already)
    for less in range(1, 6):
        _build_on_a_small_disk(fixture, disk, room - less * whole // 24, clean)
