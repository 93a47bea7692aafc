"""The search index built in a forked child (ForkedIndexer, where the site is large enough for a second process):
the same site as a clean build, its progress shown by the parent, and a child that fails or dies fails the build
in Chinese, leaves site/ as it was and leaves no process behind."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import signal

import pytest

from gongkai import page_workers
from gongkai.cache_store import CACHE_DIR
from gongkai.commands.build import BuildFailed
from gongkai.site import indexing
from tests.projects import build, hashes, make_project, own_theme, write_item


@pytest.fixture
def forked(monkeypatch):
    """Every build of a small site takes the paths of a large one: a worker for many pages, the index forked."""
    monkeypatch.setattr(page_workers, "MIN_PAGES", 1)
    started: list[type] = []
    for kind in (indexing.ForkedIndexer, indexing.BackgroundIndexer):
        monkeypatch.setattr(kind, "__init__", _counted(kind.__init__, kind, started))
    return started


def _counted(init, kind, started):
    def counted(self, *args, **kwargs):
        started.append(kind)
        init(self, *args, **kwargs)
    return counted


def _edit(root, body):
    write_item(root, 2022, 901, body, title="分进程索引", category="normative", published=dt.date(2022, 5, 1))


def test_a_forked_index_builds_what_a_clean_build_builds(tmp_path, forked):
    fixture = make_project(tmp_path / "project", news=30)
    site = fixture.root / "site"
    _edit(fixture.root, "第一版正文。")
    first = build(fixture, site)
    _edit(fixture.root, "第二版正文：住房公积金缴存。")  # a rebuild: the index starts early, the edited text sent over
    second = build(fixture, site)
    assert forked == [indexing.ForkedIndexer, indexing.ForkedIndexer]
    assert "住房公积金缴存" in second.page("items/2022/00901/").text()
    # The parent shows the child's progress: its phase lines and its meter's, each once.
    for log in (first.log, second.log):
        assert sum(line.startswith("搜索索引：") and "篇，" in line and "片，" in line for line in log) == 1, log
        assert sum(line.startswith("搜索索引（分片）：共") for line in log) == 1, log
    shutil.rmtree(fixture.root / CACHE_DIR)
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)
    assert not multiprocessing.active_children()


def test_a_failing_forked_index_fails_the_build_with_its_reason(tmp_path, forked, monkeypatch):
    fixture = make_project(tmp_path / "project", news=30)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)

    def broken(*args, **kwargs):
        raise RuntimeError("pagefind exited with 1")

    monkeypatch.setattr(indexing, "index_site", broken)  # the child, forked from this process, calls it
    _edit(fixture.root, "改过的正文。")
    with pytest.raises(BuildFailed, match="搜索索引失败：pagefind exited with 1"):
        build(fixture, site)
    assert forked[-1] is indexing.ForkedIndexer
    assert hashes(site) == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name != CACHE_DIR) == ["content", "mkdocs.yml", "site",
                                                                                   "theme_overrides"]
    assert not multiprocessing.active_children()


def test_a_dying_index_process_fails_the_build_and_keeps_the_site(tmp_path, forked, monkeypatch):
    fixture = make_project(tmp_path / "project", news=30)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    monkeypatch.setattr(indexing, "index_site", lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL))
    _edit(fixture.root, "改过的正文。")  # a rebuild: the index starts early, its staging folder beside the build's
    with pytest.raises(BuildFailed, match="生成搜索索引的进程意外退出"):
        build(fixture, site)
    assert hashes(site) == before
    assert _beside(site) == []  # the staging folder the killed child could not remove
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("rebuild", [False, True])
def test_an_interrupt_as_the_index_starts_waits_until_it_can_be_stopped(tmp_path, forked, monkeypatch, rebuild):
    """Ctrl+C or SIGTERM the moment the index has its staging folder and its child, before the build holds it:
    acted on once the build can stop the child, which leaves nothing beside the site."""
    from gongkai import mkdocs_plugin

    fixture = make_project(tmp_path / "project", news=30)
    site = fixture.root / "site"
    if rebuild:  # the index starts early, its staging folder beside the build's
        build(fixture, site)
        _edit(fixture.root, "改过的正文。")
    before = hashes(site) if rebuild else None
    started = mkdocs_plugin.start_indexer

    def interrupted(*args, **kwargs):
        indexer = started(*args, **kwargs)
        signal.raise_signal(signal.SIGTERM)
        return indexer

    monkeypatch.setattr(mkdocs_plugin, "start_indexer", interrupted)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            build(fixture, site)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert forked[-1] is indexing.ForkedIndexer
    assert (hashes(site) == before) if rebuild else not site.exists()
    assert _beside(site) == []
    assert not multiprocessing.active_children()


def _interrupt(_number, _frame):
    raise KeyboardInterrupt


def _beside(site):
    return [p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}")]


def test_a_build_that_fails_beside_a_forked_index_stops_it(tmp_path, forked, monkeypatch):
    """A page that cannot be rendered fails the build while the child indexes: it is told to stop, and ends before
    the half-built site is removed."""
    fixture = make_project(tmp_path / "project", news=30)
    site = fixture.root / "site"
    build(fixture, site)
    before = hashes(site)
    theme = own_theme(fixture.root)
    (theme / "gongkai" / "item.html").write_text(
        '{% extends "main.html" %}{% block content %}{{ gk.no_such_method() }}{% endblock %}', encoding="utf-8")
    _edit(fixture.root, "改过的正文。")
    with pytest.raises(BuildFailed, match="no_such_method"):
        build(fixture, site)
    assert indexing.ForkedIndexer in forked
    assert hashes(site) == before
    assert not multiprocessing.active_children()


def test_without_a_second_process_the_site_is_built_in_one(tmp_path, forked, monkeypatch):
    """A system that refuses a fork (its process limit, its memory): the page worker, the keys, the verdict and the
    index all stay in this process, and the site is the same, byte for byte."""
    from gongkai.checks import parallel

    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # the rebuild's verdict would be a forked child's
    fixture = make_project(tmp_path / "project", news=30)
    _edit(fixture.root, "第一版正文。")
    forks: list[int] = []

    def refused():
        forks.append(1)
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    site = fixture.root / "site"
    build(fixture, site)
    _edit(fixture.root, "第二版正文：住房公积金缴存。")
    second = build(fixture, site)
    assert "住房公积金缴存" in second.page("items/2022/00901/").text()
    assert forks and forked == [indexing.ForkedIndexer, indexing.BackgroundIndexer] * 2  # each tried, then a thread
    monkeypatch.undo()
    assert hashes(site) == hashes(build(fixture, tmp_path / "clean").site)
