"""The two-process check reports exactly what the one-process check reports."""

from __future__ import annotations

from gongkai import checks
from gongkai.checks.parallel import check_loaded, check_site
from gongkai.project import load_project

from .samples import ID, write_troubled_items


def test_two_processes_find_the_same_problems(site):
    write_troubled_items(site)  # the duplicate pair lands in different halves
    serial = load_project(site.root)
    expected = checks.run(serial, site.today)
    problems, files_read, _ = check_site(site.root, site.root / "content", site.today, min_items=1)
    assert problems == expected
    assert files_read == serial.files_read
    loaded = load_project(site.root)
    documents = loaded.documents
    forked = check_loaded(loaded, site.today, min_items=1)
    assert forked.problems == expected and forked.files_read == serial.files_read
    assert loaded.documents is documents  # the build plans from the whole project afterwards
    assert {p.code for p in problems} >= {"GK111", "GK301", "GK114", "GK201", "GK608", "GK607", "GK702", "GK005",
                                          "GK002", "GK008"}


def test_only_limits_the_report_in_both_modes(site):
    first = site.item("2021/01.md", signed=False)
    site.item("2021/02.md", signed=False)
    wanted = [site.rel(first)]
    assert {p.path for p in check_site(site.root, site.root / "content", site.today, wanted, min_items=1)[0]} == set(wanted)
    content = site.root / "content"
    assert check_site(site.root, content, site.today, wanted, min_items=1)[0] == check_site(site.root, content, site.today, wanted)[0]


def test_a_failing_child_falls_back_to_one_process(site, monkeypatch):
    import os

    from gongkai.checks import parallel

    site.item("2021/01.md", signed=False)
    site.item("2021/02.md", body=f"身份证号{ID}\n")
    parent = os.getpid()
    original = parallel._without_bodies

    def broken_in_child(items):
        if os.getpid() != parent:
            raise RuntimeError("simulated crash")
        return original(items)

    monkeypatch.setattr(parallel, "_without_bodies", broken_in_child)
    problems, _, _ = check_site(site.root, site.root / "content", site.today, min_items=1)
    assert {p.code for p in problems} >= {"GK201", "GK301"}


def test_a_failing_forked_child_falls_back_to_one_process(site, monkeypatch):
    import os

    from gongkai.checks import parallel

    site.item("2021/01.md", signed=False)
    site.item("2021/02.md", body=f"身份证号{ID}\n")
    parent = os.getpid()
    original = parallel.check_families

    def broken_in_child(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("simulated crash")
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "check_families", broken_in_child)
    project = load_project(site.root)
    assert check_loaded(project, site.today, min_items=1).problems == checks.run(load_project(site.root), site.today)


def test_without_a_second_process_every_check_is_made_in_one(site, monkeypatch):
    """A system that refuses a fork (its process limit, its memory): the same problems, from this process."""
    import os

    from gongkai.checks import parallel

    write_troubled_items(site)
    expected = checks.run(load_project(site.root), site.today)
    forks: list[int] = []

    def refused():
        forks.append(1)
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert check_site(site.root, site.root / "content", site.today, min_items=1).problems == expected  # each reads half
    assert check_loaded(load_project(site.root), site.today, min_items=1).problems == expected  # each judges half
    verdict = parallel.judge_loaded(load_project(site.root), site.today, min_items=1)  # a child judges meanwhile
    assert verdict().problems == expected
    assert len(forks) == 3
