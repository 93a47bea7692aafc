"""When each file first went into the repository: first parents, renames, imports, shallow clones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.audit.history import DATED, IMPORTED, UNKNOWN, Added, History, read_history

from .gitrepo import commit, git, init, shallow_clone


def write(repo: Path, name: str, text: str = "内容\n") -> Path:
    path = repo / "content" / "items" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path



def added(history: History, file: Path) -> Added:
    found = history.first_added(file)
    assert found is not None, file
    return found


def test_first_commit_is_an_import_and_later_ones_are_dated(tmp_path):
    init(tmp_path)
    old = write(tmp_path, "2020/a.md")
    commit(tmp_path, "2024-01-10")
    new = write(tmp_path, "2024/b.md")
    sha = commit(tmp_path, "2024-03-05")
    write(tmp_path, "2020/a.md", "改过的内容\n")  # a later edit keeps the first date
    commit(tmp_path, "2024-04-01")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert history.problem == "" and not history.shallow
    assert added(history, old).kind == IMPORTED
    found = added(history, new)
    assert (found.date, found.commit, found.kind) == (dt.date(2024, 3, 5), sha, DATED)
    assert history.first_added(write(tmp_path, "2024/uncommitted.md")) is None


@pytest.mark.parametrize("when", ["2024-03-04T23:30:00+00:00", "2024-03-04T13:30:00-10:00", "2024-03-05T00:30:00+08:00",
                                  "2024-03-05T23:59:59+08:00", "2024-03-05T20:00:00+12:00"])
def test_a_commit_is_dated_by_its_day_in_beijing(tmp_path, when):
    """The day an item went online is a Beijing day, whatever zone the committer's machine (or a CI runner in UTC)
    wrote: 23:30 UTC on 4 March is 5 March in Beijing, and an item published on 4 March was not online that day."""
    init(tmp_path)
    write(tmp_path, "2020/a.md")
    commit(tmp_path, "2024-01-10")
    new = write(tmp_path, "2024/b.md")
    commit(tmp_path, when)
    assert added(read_history(tmp_path, tmp_path / "content", None), new).date == dt.date(2024, 3, 5)


def test_imported_until_extends_the_import(tmp_path):
    init(tmp_path)
    write(tmp_path, "a.md")
    commit(tmp_path, "2024-01-10")
    second = write(tmp_path, "b.md")
    commit(tmp_path, "2024-01-12")
    third = write(tmp_path, "c.md")
    commit(tmp_path, "2024-02-01")
    history = read_history(tmp_path, tmp_path / "content", dt.date(2024, 1, 12))
    assert added(history, second).kind == IMPORTED
    assert added(history, third).kind == DATED


def test_a_moved_file_keeps_its_first_date(tmp_path):
    init(tmp_path)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "2024/a.md", "一条较长的正文，移动后内容不变。\n" * 5)
    commit(tmp_path, "2024-02-01")
    git(tmp_path, "mv", "content/items/2024/a.md", "content/items/archive-a.md")
    commit(tmp_path, "2024-06-01")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert added(history, tmp_path / "content/items/archive-a.md").date == dt.date(2024, 2, 1)


def test_a_merged_branch_counts_from_the_merge(tmp_path):
    init(tmp_path)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    git(tmp_path, "checkout", "-q", "-b", "draft")
    branch_file = write(tmp_path, "draft.md")
    commit(tmp_path, "2024-02-01")
    git(tmp_path, "checkout", "-q", "main")
    write(tmp_path, "other.md")
    commit(tmp_path, "2024-02-02")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "合并", "draft", date="2024-03-01")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert added(history, branch_file).date == dt.date(2024, 3, 1)


def test_a_shallow_clone_is_detected_and_its_oldest_files_are_unknown(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    init(repo)
    write(repo, "a.md")
    commit(repo, "2024-01-01")
    write(repo, "b.md")
    commit(repo, "2024-02-01")
    write(repo, "c.md")
    commit(repo, "2024-03-01")
    clone = shallow_clone(repo, tmp_path / "clone", depth=2)
    history = read_history(clone, clone / "content", None)
    assert history.shallow
    assert added(history, clone / "content/items/a.md").kind == UNKNOWN
    assert added(history, clone / "content/items/b.md").kind == UNKNOWN
    assert added(history, clone / "content/items/c.md").kind == DATED


def test_no_repository_is_a_reason_not_a_pass(tmp_path):
    history = read_history(tmp_path, tmp_path / "content", None)
    assert "不在 git 仓库中" in history.problem


def test_an_empty_repository_has_no_history(tmp_path):
    init(tmp_path)
    history = read_history(tmp_path, tmp_path / "content", None)
    assert history.problem == "" and history.added == {}


@pytest.mark.parametrize("where", ["checkout", "worktree"])
def test_a_grafts_file_never_rewrites_the_history_read(tmp_path, where):
    """`.git/info/grafts` gives a commit other parents than it records; libgit2 follows it. Made a root there, the
    commit of the latest items made every item "imported", no evidence of when it went online: the audit's veto on
    back-dated items (伪造发稿日期) passed. The history is not read, and the audit says why."""
    repo = tmp_path / "repo"
    repo.mkdir()
    init(repo)
    write(repo, "2020/a.md")
    commit(repo, "2024-01-10")
    late = write(repo, "2024/b.md")
    commit(repo, "2024-03-05")
    assert added(read_history(repo, repo / "content", None), late).kind == DATED
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "grafts").write_text(git(repo, "rev-parse", "HEAD") + "\n", encoding="utf-8")
    root = repo
    if where == "worktree":  # the grafts of the repository a worktree belongs to
        root = tmp_path / "other"
        git(repo, "worktree", "add", "-q", str(root))
    history = read_history(root, root / "content", None)
    assert "grafts" in history.problem and history.added == {}


def test_the_walk_through_history_is_bounded_in_time(tmp_path, monkeypatch):
    """A history of millions of commits (or one made to be slow to read) ends in a reason, not an audit that never
    finishes."""
    from gongkai.audit import history as module

    init(tmp_path)
    write(tmp_path, "2020/a.md")
    commit(tmp_path, "2024-01-10")
    monkeypatch.setattr(module, "HISTORY_BUDGET", 0.0)
    history = read_history(tmp_path, tmp_path / "content", None)
    assert "超过" in history.problem and history.added == {}
