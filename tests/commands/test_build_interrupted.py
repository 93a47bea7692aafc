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
