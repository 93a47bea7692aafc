"""When each file first went into the repository: first parents, renames, imports, shallow clones."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
from pathlib import Path

import pytest

from gongkai.audit.history import DATED, IMPORTED, UNKNOWN, Added, History, read_history

from .gitrepo import commit, git, init, shallow_clone


def write(repo: Path, name: str, text: str = "内容\n") -> Path:
    path = repo / "content" / "items" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path



def committed(repo: Path, *steps: tuple[str, str]) -> list[Path]:
    """Each file written and committed on its date, in order: the files."""
    files = []
    for name, date in steps:
        files.append(write(repo, name))
        commit(repo, date)
    return files


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
    _, second, third = committed(tmp_path, ("a.md", "2024-01-10"), ("b.md", "2024-01-12"), ("c.md", "2024-02-01"))
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


@pytest.mark.parametrize("forged", ["2024-01-05", "2023-06-01T10:00:00+08:00", "1970-01-02T00:00:00+00:00"])
def test_a_commit_dated_before_its_parent_takes_its_parents_day(tmp_path, forged):
    """A commit's date is its committer's word, and git takes one dated before its parent: a new item committed in
    March with a date of January (or of 1970) passed the veto on back-dated items. Nothing goes online before the
    commit it follows."""
    init(tmp_path)
    write(tmp_path, "2020/a.md")
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "2024/b.md")
    commit(tmp_path, "2024-03-01")
    late = write(tmp_path, "2024/c.md")
    sha = commit(tmp_path, forged)
    found = added(read_history(tmp_path, tmp_path / "content", dt.date(2024, 1, 31)), late)
    assert (found.date, found.commit, found.kind) == (dt.date(2024, 3, 1), sha, DATED)


def test_a_commit_is_dated_no_later_than_today(tmp_path):
    """A committer's clock set years ahead would date every later commit after it too: every item added since would
    read as back-dated. No commit is dated after the audit's day."""
    init(tmp_path)
    _, ahead, after = committed(tmp_path, ("2020/a.md", "2024-01-01"), ("2024/b.md", "2099-01-01"),
                                ("2024/c.md", "2024-03-01"))
    history = read_history(tmp_path, tmp_path / "content", None, dt.date(2024, 3, 5))
    assert added(history, ahead).date == dt.date(2024, 3, 5)
    assert added(history, after).date == dt.date(2024, 3, 5)


BODY = "一条较长的正文，用来让 git 认出改名。\n" * 8


@pytest.mark.parametrize("hops", [1, 2])
def test_a_file_moved_away_and_put_back_was_not_moved(tmp_path, hops):
    """An old imported item renamed to a new item's name with the new text (similar enough for git to call it a
    rename), and put back in the next commit: the new item took the old one's first date, and its back-dating passed.
    The old name coming back shows the "move" was a new file — also when it is moved on again."""
    init(tmp_path)
    write(tmp_path, "2020/2020-00001.md", BODY)
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "2024/2024-00001.md")
    commit(tmp_path, "2024-03-01")
    names = ["2024/2024-00090.md", "2024/2024-00091.md"][:hops]
    git(tmp_path, "mv", "content/items/2020/2020-00001.md", f"content/items/{names[0]}")
    (tmp_path / "content/items" / names[0]).write_text(BODY + "新增的一段。\n", encoding="utf-8")
    sha = commit(tmp_path, "2024-06-01")
    for before, after in itertools.pairwise(names):
        git(tmp_path, "mv", f"content/items/{before}", f"content/items/{after}")
        commit(tmp_path, "2024-06-02")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert added(history, tmp_path / "content/items" / names[-1]).kind == IMPORTED  # a move, so far
    write(tmp_path, "2020/2020-00001.md", BODY)
    commit(tmp_path, "2024-06-03")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert added(history, tmp_path / "content/items/2020/2020-00001.md").kind == IMPORTED
    found = added(history, tmp_path / "content/items" / names[-1])
    assert (found.date, found.commit, found.kind) == (dt.date(2024, 6, 1), sha, DATED)


@pytest.mark.parametrize("shape", ["file", "symlink", "submodule"])
def test_a_commit_without_a_content_folder_is_passed_over(tmp_path, shape):
    """One mainline commit where `content` is a file, a link or a submodule made every later audit fail with an
    internal error until the history was rewritten: the veto on back-dated items with it. Such a commit has no
    items; the files before and after it keep their first dates."""
    init(tmp_path)
    old = write(tmp_path, "2020/a.md")
    commit(tmp_path, "2024-01-01")
    new = write(tmp_path, "2024/b.md")
    commit(tmp_path, "2024-02-01")
    git(tmp_path, "mv", "content", "kept")
    if shape == "file":
        (tmp_path / "content").write_text("不是目录\n", encoding="utf-8")
    elif shape == "symlink":
        (tmp_path / "content").symlink_to("kept")
    else:
        sha = git(tmp_path, "rev-parse", "HEAD")
        git(tmp_path, "update-index", "--add", "--cacheinfo", f"160000,{sha},content")
    commit(tmp_path, "2024-03-01")
    git(tmp_path, "update-index", "--force-remove", "content")
    if (tmp_path / "content").exists() or (tmp_path / "content").is_symlink():
        (tmp_path / "content").unlink()
    git(tmp_path, "mv", "kept", "content")
    later = write(tmp_path, "2024/c.md")
    commit(tmp_path, "2024-04-01")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert history.problem == ""
    assert added(history, old).kind == IMPORTED
    assert added(history, new).date == dt.date(2024, 2, 1)
    assert added(history, later).date == dt.date(2024, 4, 1)


def test_long_commit_messages_are_not_held(tmp_path):
    """Every commit of the mainline was held whole while the history was read: 100 commits with 30 MB messages (a
    19 MB repository) took 3.2 GB. Only ids and times are kept, so memory stays flat however long the messages."""
    import subprocess
    import sys

    init(tmp_path)
    write(tmp_path, "2020/a.md")
    commit(tmp_path, "2024-01-01")
    message = tmp_path.parent / "message.txt"
    message.write_text("说明" * 2_000_000, encoding="utf-8")  # 12 MB
    for n in range(12):
        write(tmp_path, f"2024/{n}.md")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-F", str(message), date="2024-02-01")
    probe = ("import resource, sys, pathlib; from gongkai.audit.history import read_history; "
             "root = pathlib.Path(sys.argv[1]); before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
             "h = read_history(root, root / 'content', None); assert len(h.added) == 13, h; "
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)")
    grown_kb = int(subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
                                  check=True).stdout)
    assert grown_kb < 60_000  # 12 × 12 MB = 144 MB when every commit was kept


@pytest.mark.parametrize("below", [False, True])
def test_a_commit_libgit2_cannot_parse_is_named_not_taken_for_a_shallow_clone(tmp_path, below):
    """git accepts a committer time of 20 digits; libgit2 cannot parse the commit. At HEAD the audit ended in an internal
    error, below it every item's history read as a shallow clone's (the backdating veto failed for all of them)."""
    init(tmp_path)
    write(tmp_path, "a.md")
    commit(tmp_path, "2024-01-01")
    tree, parent = git(tmp_path, "write-tree"), git(tmp_path, "rev-parse", "HEAD")
    body = (f"tree {tree}\nparent {parent}\nauthor t <a@b> 99999999999999999999 +0000\n"
            "committer t <a@b> 99999999999999999999 +0000\n\nx\n")
    bad = subprocess.run(["git", "-C", str(tmp_path), "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
                         input=body, capture_output=True, text=True, check=True).stdout.strip()
    git(tmp_path, "update-ref", "HEAD", bad)
    if below:
        write(tmp_path, "b.md")
        commit(tmp_path, "2024-02-01")
    history = read_history(tmp_path, tmp_path / "content", None)
    assert not history.shallow and "无法读取" in history.problem and bad[:12] in history.problem


def test_large_files_moved_are_followed_only_when_unchanged(tmp_path):
    """Telling a move with edits reads both files whole: two 1.2 GB files (6.9 MB of .git) held 2.4 GB. Past
    `largest` (the item limit) only an unchanged move is followed, from the files' headers; the smaller files of
    the same commit are still compared, so a large attachment does not make an item moved with edits a new one."""
    init(tmp_path)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "2024/big.md", "一条很长的正文。\n" * 200)
    write(tmp_path, "2024/small.md", "短正文，移动后略有改动。\n" * 5)
    write(tmp_path, "2024/other.md", "另一条短正文，移动后也有改动。\n" * 5)
    commit(tmp_path, "2024-02-01")
    git(tmp_path, "mv", "content/items/2024/big.md", "content/items/big-moved.md")
    git(tmp_path, "mv", "content/items/2024/small.md", "content/items/small-moved.md")
    commit(tmp_path, "2024-06-01")
    found = read_history(tmp_path, tmp_path / "content", None, largest=1000)
    assert added(found, tmp_path / "content/items/big-moved.md").date == dt.date(2024, 2, 1)  # unchanged: followed
    assert added(found, tmp_path / "content/items/small-moved.md").date == dt.date(2024, 2, 1)
    git(tmp_path, "mv", "content/items/big-moved.md", "content/items/big-edited.md")
    (tmp_path / "content/items/big-edited.md").write_text("一条很长的正文。\n" * 199 + "改了一行。\n", encoding="utf-8")
    git(tmp_path, "mv", "content/items/2024/other.md", "content/items/other-edited.md")
    (tmp_path / "content/items/other-edited.md").write_text("另一条短正文，移动后也有改动。\n" * 4 + "改了。\n", encoding="utf-8")
    commit(tmp_path, "2024-07-01")
    found = read_history(tmp_path, tmp_path / "content", None, largest=1000)
    assert added(found, tmp_path / "content/items/big-edited.md").date == dt.date(2024, 7, 1)  # too large to compare
    assert added(found, tmp_path / "content/items/other-edited.md").date == dt.date(2024, 2, 1)  # compared beside it
    # Without a limit in the way, both moves with edits are followed, as before.
    found = read_history(tmp_path, tmp_path / "content", None)
    assert added(found, tmp_path / "content/items/big-edited.md").date == dt.date(2024, 2, 1)
    assert added(found, tmp_path / "content/items/other-edited.md").date == dt.date(2024, 2, 1)


@pytest.mark.parametrize("renames", ["false", "copies"])
def test_moves_are_found_whatever_the_local_diff_renames_says(tmp_path, renames):
    """`diff.renames = false` dated a moved item anew; `copies` made an item copied from an edited one neither added
    nor moved, so it read as never committed."""
    init(tmp_path)
    git(tmp_path, "config", "diff.renames", renames)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "2024/a.md", "一条正文。\n" * 20)
    write(tmp_path, "2024/b.md", "另一条正文。\n" * 20)
    commit(tmp_path, "2024-02-01")
    git(tmp_path, "mv", "content/items/2024/a.md", "content/items/a.md")
    write(tmp_path, "a.md", "一条正文。\n" * 19 + "改了。\n")
    write(tmp_path, "2024/b.md", "另一条正文。\n" * 19 + "改了。\n")
    write(tmp_path, "2024/c.md", "另一条正文。\n" * 20)
    commit(tmp_path, "2024-03-01")
    found = read_history(tmp_path, tmp_path / "content", None)
    assert added(found, tmp_path / "content/items/a.md").date == dt.date(2024, 2, 1)
    assert added(found, tmp_path / "content/items/2024/c.md").date == dt.date(2024, 3, 1)


def test_a_large_file_deleted_where_a_folder_of_its_name_is_added(tmp_path):
    init(tmp_path)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "x", "很长的正文。\n" * 200)
    write(tmp_path, "2024/a.md", "一条正文。\n" * 20)
    commit(tmp_path, "2024-02-01")
    (tmp_path / "content/items/x").unlink()
    write(tmp_path, "x/b.md")
    git(tmp_path, "mv", "content/items/2024/a.md", "content/items/a.md")
    write(tmp_path, "a.md", "一条正文。\n" * 19 + "改了。\n")
    commit(tmp_path, "2024-03-01")
    found = read_history(tmp_path, tmp_path / "content", None, largest=1000)
    assert added(found, tmp_path / "content/items/a.md").date == dt.date(2024, 2, 1)  # moved with edits: followed
    assert added(found, tmp_path / "content/items/x/b.md").date == dt.date(2024, 3, 1)


def test_a_large_file_replaced_by_a_link_of_its_name_leaves_exact_moves(tmp_path):
    """The large file cannot stay in the comparison where its path holds another file: that commit's moves are then
    found only when unchanged, and the walk goes on."""
    init(tmp_path)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    write(tmp_path, "x.md", "很长的正文。\n" * 200)
    write(tmp_path, "2024/a.md", "一条正文。\n" * 20)
    commit(tmp_path, "2024-02-01")
    (tmp_path / "content/items/x.md").unlink()
    (tmp_path / "content/items/x.md").symlink_to("root.md")
    git(tmp_path, "mv", "content/items/2024/a.md", "content/items/a.md")
    commit(tmp_path, "2024-03-01")
    found = read_history(tmp_path, tmp_path / "content", None, largest=1000)
    assert found.problem == ""
    assert added(found, tmp_path / "content/items/a.md").date == dt.date(2024, 2, 1)
    assert found.added["content/items/x.md"].date == dt.date(2024, 3, 1)  # another file under the name: its own date


@pytest.mark.parametrize("how", ["deleted", "moved away"])
@pytest.mark.parametrize("comes", ["written", "moved in"])
def test_a_new_file_under_a_name_that_had_left_is_dated_anew(tmp_path, how, comes):
    """A name keeps its first date only while it holds its file, or the same file put back: a new item written (or
    moved) under the name of an item deleted or moved away took that item's first date, and its back-dated 发布日期
    passed the veto."""
    init(tmp_path)
    write(tmp_path, "2024/old.md", BODY)
    commit(tmp_path, "2024-01-05")
    write(tmp_path, "2024/other.md")
    commit(tmp_path, "2024-01-06")
    if how == "deleted":
        (tmp_path / "content/items/2024/old.md").unlink()
    else:
        git(tmp_path, "mv", "content/items/2024/old.md", "content/items/2024/kept.md")
    commit(tmp_path, "2024-01-07")
    write(tmp_path, "2024/old.md" if comes == "written" else "2024/new.md", "六月的新通知，与旧条目毫不相干。\n" * 8)
    commit(tmp_path, "2024-06-10")
    if comes == "moved in":
        git(tmp_path, "mv", "content/items/2024/new.md", "content/items/2024/old.md")
        commit(tmp_path, "2024-06-11")
    found = added(read_history(tmp_path, tmp_path / "content", None), tmp_path / "content/items/2024/old.md")
    assert (found.date, found.kind) == (dt.date(2024, 6, 10), DATED)


def test_a_deleted_file_put_back_as_it_was_keeps_its_date(tmp_path):
    init(tmp_path)
    write(tmp_path, "2024/old.md", BODY)
    commit(tmp_path, "2024-01-05")
    (tmp_path / "content/items/2024/old.md").unlink()
    commit(tmp_path, "2024-01-07")
    write(tmp_path, "2024/old.md", BODY)
    commit(tmp_path, "2024-06-13")
    assert added(read_history(tmp_path, tmp_path / "content", None), tmp_path / "content/items/2024/old.md").kind == IMPORTED


PEAK = """
import sys
from pathlib import Path
from gongkai.audit.history import read_history

def peak():  # this process's own (ru_maxrss keeps the peak of the process that started it)
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))

root, largest = Path(sys.argv[1]), int(sys.argv[2])
before = peak()
history = read_history(root, root / "content", None, largest=largest)
print(history.problem or "ok", " ".join(sorted(history.added)), (peak() - before) // 1024)
"""


def test_large_files_in_history_are_not_read_to_find_moves(tmp_path):
    """One commit deletes a 64 MB file and adds another, one past deletes that: comparing them read both whole
    (+128 MB, from 300 KB of .git); their headers alone are read now."""
    import sys

    if not Path("/proc/self/status").is_file():
        pytest.skip("peak memory is read from /proc")

    init(tmp_path)
    write(tmp_path, "root.md")
    commit(tmp_path, "2024-01-01")
    size = 64 * 1024 * 1024
    write(tmp_path, "2024/big-a.md", "甲" * (size // 3))
    commit(tmp_path, "2024-02-01")
    (tmp_path / "content/items/2024/big-a.md").unlink()
    write(tmp_path, "2024/big-b.md", "乙" * (size // 3))
    commit(tmp_path, "2024-03-01")
    (tmp_path / "content/items/2024/big-b.md").unlink()
    commit(tmp_path, "2024-04-01")
    git(tmp_path, "gc", "-q")
    def grown(largest: int) -> int:
        run = subprocess.run([sys.executable, "-c", PEAK, str(tmp_path), str(largest)], capture_output=True, text=True, check=True)
        problem, *paths, megabytes = run.stdout.split()
        assert problem == "ok" and "content/items/2024/big-b.md" in paths
        return int(megabytes)

    assert grown(1024 * 1024) < 32
    assert grown(size) > 100  # the same walk comparing them: the measure sees it
