"""git is run on the checkout's own repository alone (generator/git_repo.py).

Git takes any folder holding `HEAD`, `objects/` and `refs/` for a (bare) repository, and uses its `config`:
a site kept below the top of its repository could commit such files into its own folder, and `gongkai check
--base` then ran the command that `config`'s `core.fsmonitor` names and took the target branch from the
commit's own refs. These tests commit such a repository's files, with a command that leaves a mark, and run
every command that asks git.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.audit.history import read_history
from gongkai.cli import main
from gongkai.review_history import ROLLED_BACK
from tests.test_review_history import JULY, JUNE, _withdrawn, published_then_withdrawn


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def git(top: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def nested(site, monkeypatch):
    """The site in the folder `site/` of a repository (branch main) whose top is the folder above it."""
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-12-31")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    top = site.root.parent
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.email", "office@example.invalid")
    git(top, "config", "user.name", "办公室")
    return site


def commit(site, message: str) -> None:
    git(site.root.parent, "add", "-A")
    git(site.root.parent, "commit", "-q", "-m", message)


def plant(folder: Path, mark: Path, top: Path) -> None:
    """A repository's files in `folder`: its config runs a command as git reads the index, its objects are the real
    repository's (alternates) and its `main` is the real repository's first commit."""
    first = git(top, "rev-list", "--max-parents=0", "HEAD").strip()
    (folder / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (folder / "objects" / "info").mkdir(parents=True)
    (folder / "objects" / "info" / "alternates").write_text(f"{top / '.git' / 'objects'}\n", encoding="utf-8")
    (folder / "refs" / "heads").mkdir(parents=True)
    (folder / "refs" / "heads" / "main").write_text(f"{first}\n", encoding="utf-8")
    (folder / "config").write_text(
        f'[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = "touch {mark}; false"\n',
        encoding="utf-8")


@pytest.mark.parametrize("moved", [False, True])
def test_a_site_below_the_top_of_its_repository_is_compared_with_ref(nested, moved):
    """git reads the paths named to it from the top of the repository: named from the site's folder, no item of a
    site below the top was ever compared with REF (GK220–GK222 never found), nor its signed version found (diff)."""
    path = nested.item("2021/a.md", published="2021-07-02")
    nested.sign(path, date=JUNE)
    commit(nested, "发布")
    published = path.read_bytes()
    _withdrawn(nested, path)
    commit(nested, "撤回")
    if moved:  # a file git does not know yet
        path.unlink()
        path = path.with_name("b.md")
    path.write_bytes(published)
    result = run("check", "--format", "json", "--base", "main")
    [problem] = [p for p in json.loads(result.stdout) if p["code"] == ROLLED_BACK.code]
    assert problem["path"] == f"content/items/2021/{path.name}" and JULY.isoformat() in problem["message"]
    if not moved:
        path.write_text(path.read_text(encoding="utf-8") + "\n新加的一句。\n", encoding="utf-8")
        assert "  +新加的一句。" in run("diff", "content/items/2021/a.md").stdout  # against the version signed in June


def test_a_site_moved_within_its_repository_is_compared_where_ref_had_it(git_site, monkeypatch):
    """`git mv mkdocs.yml content … sub/`: REF's roster, items and registers were read at `sub/` on REF, where there is
    nothing; every item was new, and the withdrawn item's published version put back with the move passed, as did a
    past year's application deleted with it. They are read where REF's mkdocs.yml is, and the move is named."""
    from tests.registers.register_helpers import write_application

    write_application(git_site.root, "2020-001", received="2020-03-03", answered="2020-03-14", outcome="granted")
    write_application(git_site.root, "2020-002", received="2020-03-03", answered="2020-03-14", outcome="granted")
    (git_site.root / "content" / "reports").mkdir(exist_ok=True)
    (git_site.root / "content" / "reports" / "2020.yml").write_text("overview: 正文\n", encoding="utf-8")
    path, published = published_then_withdrawn(git_site)
    sub = git_site.root / "sub"
    sub.mkdir()
    for name in os.listdir(git_site.root):
        if name not in (".git", ".gitignore", "sub"):
            os.rename(git_site.root / name, sub / name)
    monkeypatch.chdir(sub)
    result = run("check", "--format", "json", "--base", "main")
    assert "站点在仓库中换了位置：main 上在 .，现在在 sub" in result.stderr and "新增审查人" not in result.stderr
    assert not {p["code"] for p in json.loads(result.stdout)} & {ROLLED_BACK.code, "GK848"}  # the move alone
    (sub / path.relative_to(git_site.root)).write_bytes(published)
    (sub / "content" / "applications" / "2020" / "2020-002.yml").unlink()
    codes = [p["code"] for p in json.loads(run("check", "--format", "json", "--base", "main").stdout)]
    assert codes.count(ROLLED_BACK.code) == 1 and codes.count("GK848") == 1, codes
    # REF holding another office's site besides: not this site's old place. Two of the same organisation, neither here:
    # which one this was cannot be told, and the command says so.
    catalog = git(git_site.root, "show", "main:content/catalog.yml")
    [org] = re.findall(r"code: *(\S+)", catalog)
    for name, text in (("other-office", catalog.replace(org, "11131122MB1534702X")), ("two", catalog)):
        blobs = {file: subprocess.run(["git", "-C", str(git_site.root), "hash-object", "-w", "--stdin"], input=data,
                                      check=True, capture_output=True, text=True).stdout.strip()
                 for file, data in (("other/mkdocs.yml", git(git_site.root, "show", "main:mkdocs.yml")),
                                    ("other/content/catalog.yml", text))}
        index = {**os.environ, "GIT_INDEX_FILE": str(git_site.root / ".git" / f"{name}.index")}
        subprocess.run(["git", "-C", str(git_site.root), "read-tree", "main"], check=True, env=index)
        for file, blob in blobs.items():
            subprocess.run(["git", "-C", str(git_site.root), "update-index", "--add", "--cacheinfo", f"100644,{blob},{file}"],
                           check=True, env=index)
        tree = subprocess.run(["git", "-C", str(git_site.root), "write-tree"], check=True, env=index, capture_output=True,
                              text=True).stdout.strip()
        git(git_site.root, "update-ref", f"refs/heads/{name}", git(git_site.root, "commit-tree", tree, "-p", "main", "-m", name).strip())
    codes = [p["code"] for p in json.loads(run("check", "--format", "json", "--base", "other-office").stdout)]
    assert codes.count(ROLLED_BACK.code) == 1, codes
    result = run("check", "--format", "json", "--base", "two")
    assert result.exit_code != 0 and "有多个 gongkai 站点（.、other）" in result.output, result.output
    (sub / "content" / "catalog.yml").unlink()  # no roster to compare first
    result = run("check", "--base", "two")
    assert result.exit_code == 1 and "有多个 gongkai 站点" in result.output, result.output


@pytest.mark.parametrize("where", ["site", "between"])
def test_a_repository_committed_into_the_site_is_never_run(nested, tmp_path, monkeypatch, where):
    mark = tmp_path / "fsmonitor-ran"
    top = nested.root.parent
    path = nested.item("2021/a.md", published="2021-07-02")
    nested.sign(path, date=JUNE)
    commit(nested, "发布")
    if where == "between":  # the site one folder deeper, the repository's files in the folder between
        (top / "site").rename(top / "moving")
        (top / "sites").mkdir()
        (top / "moving").rename(top / "sites" / "site")
        folder, root = top / "sites", top / "sites" / "site"
    else:
        folder, root = nested.root, nested.root
    plant(folder, mark, top)
    commit(nested, "仓库文件")
    item = root / "content" / "items" / "2021" / "a.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n改动。\n", encoding="utf-8")

    monkeypatch.chdir(root)
    result = run("check", "--base", "main")
    assert result.exit_code == 1
    assert f"“{folder}”中有提交进来的 git 仓库文件" in result.stderr and "没有运行 git" in result.stderr
    assert "中有提交进来的 git 仓库文件" in run("diff", "content/items/2021/a.md").stdout
    assert "中有提交进来的 git 仓库文件" in read_history(root, root / "content" / "items", None).problem
    assert not mark.exists()


@pytest.mark.parametrize("lost", ["tree", "item"])
def test_a_history_git_cannot_read_refuses_the_comparison(git_site, lost):
    """A REF whose commit is there but whose tree or item is not (a damaged or partly fetched history): the
    comparison stopped and passed in silence, so an item put back to its older signed version went unseen."""
    path, published = published_then_withdrawn(git_site)
    path.write_bytes(published)
    top = git_site.root
    name = git(top, "rev-parse", "HEAD^{tree}" if lost == "tree" else "HEAD:content/items/2021/a.md").strip()
    (top / ".git" / "objects" / name[:2] / name[2:]).unlink()
    result = run("check", "--base", "main")
    assert result.exit_code == 1 and "无法核查" in result.stderr and "Traceback" not in result.output


def _runs_a_command(top: Path, how: str, mark: Path) -> None:
    """The repository's own configuration (or hooks) set to run a command that leaves `mark` as git reads."""
    script = top / ".git" / "leave-mark"
    script.write_text(f"#!/bin/sh\ntouch '{mark}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    if how == "fsmonitor":
        git(top, "config", "core.fsmonitor", f"{script}; false")
    elif how in ("clean", "process"):
        (top / ".gitattributes").write_text("*.md filter=mark\n", encoding="utf-8")
        git(top, "config", f"filter.mark.{how}", str(script))
        git(top, "config", "filter.mark.required", "true")
    elif how == "hook":  # run as `git diff` refreshes the index and writes it
        hooks = top / ".git" / "hooks"
        hooks.mkdir(exist_ok=True)
        (hooks / "post-index-change").write_bytes(script.read_bytes())
        (hooks / "post-index-change").chmod(0o755)
    elif how == "hooks-path":
        (top / "hooks").mkdir()
        (top / "hooks" / "post-index-change").write_bytes(script.read_bytes())
        (top / "hooks" / "post-index-change").chmod(0o755)
        git(top, "config", "core.hooksPath", str(top / "hooks"))


@pytest.mark.parametrize("how", ["fsmonitor", "clean", "process", "hook", "hooks-path"])
def test_the_repository_configuration_runs_no_command(git_site, tmp_path, how):
    """`.git/config` (a checkout's, a CI cache's, a repository handed over) and its hooks set commands git runs as it
    reads the work tree: `check --base` and `diff` ran the fsmonitor, the filter `.gitattributes` names (for each
    changed item, and compared its output, not the file, with REF) and the hook `git diff` runs as it writes the index."""
    mark = tmp_path / "ran"
    path, published = published_then_withdrawn(git_site)
    git_site.item("2021/b.md", published="2021-07-02")
    git_site.commit("草稿")
    _runs_a_command(git_site.root, how, mark)
    later = time.time() + 60
    for item in (git_site.root / "content" / "items" / "2021").iterdir():  # changed since git last looked at them
        os.utime(item, (later, later))
    path.write_bytes(published)
    result = run("check", "--format", "json", "--base", "main")
    assert ROLLED_BACK.code in {p["code"] for p in json.loads(result.stdout)}
    assert "签署" in run("diff", "content/items/2021/a.md").stdout
    assert not mark.exists()


def test_a_partial_clone_fetches_nothing(git_site, tmp_path, monkeypatch):
    """A partial clone (`--filter=blob:none`) lacks REF's versions of the changed items: git fetched each from the
    promisor remote as `check --base` read it — over the network, with the remote's and ssh's settings, as long as
    it took. Nothing is fetched: the comparison stops and says the history is incomplete."""
    path = git_site.item("2021/a.md", published="2021-07-02")
    git_site.sign(path, date=JUNE)
    git_site.commit("发布")
    _withdrawn(git_site, path)
    git_site.commit("撤回")
    git(git_site.root, "config", "uploadpack.allowFilter", "true")
    git(git_site.root, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{git_site.root}", str(clone)], check=True,
                   env={"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": str(tmp_path)})
    missing = git(clone, "rev-list", "--objects", "--missing=print", "main~1")
    assert "?" in missing
    (clone / "docs").mkdir()  # the empty docs_dir git does not keep
    monkeypatch.chdir(clone)
    result = run("check", "--base", "main~1")
    assert result.exit_code == 1 and "无法核查" in result.stderr and "Traceback" not in result.output
    assert git(clone, "rev-list", "--objects", "--missing=print", "main~1") == missing


def test_a_blob_read_in_part_leaves_the_batch_in_step(tmp_path):
    """`head`: the first bytes of a large blob, the rest read past and never held; the next blob is whole."""
    from gongkai.git_repo import repository

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    big, small = os.urandom(3 << 20), b"---\ntitle: x\n---\n"
    (tmp_path / "big.md").write_bytes(big)
    (tmp_path / "small.md").write_bytes(small)
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    ids = subprocess.run(["git", "-C", str(tmp_path), "hash-object", "big.md", "small.md", "big.md"], check=True,
                         capture_output=True, text=True).stdout.split()
    read = [data for _, data in repository(tmp_path).blobs(tmp_path, ids, head=1000)]
    assert read == [big[:1000], small, big[:1000]]


def test_git_output_and_saved_blobs_are_bounded(tmp_path):
    """No git output is held past `most` bytes (a history of commits listing 5,000 names each made `gongkai queue` hold
    2.3 MB a commit; a 10 GB blob is 10 MB in git), and an old attachment is streamed into its copy, or not written
    at all when it is larger than an attachment may be: the reader's memory never holds it whole."""
    from gongkai.git_repo import repository

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    big, small = os.urandom(3 << 20), b"---\ntitle: x\n---\n"
    (tmp_path / "big.pdf").write_bytes(big)
    (tmp_path / "small.md").write_bytes(small)
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    big_id, small_id = subprocess.run(["git", "-C", str(tmp_path), "hash-object", "big.pdf", "small.md"], check=True,
                                      capture_output=True, text=True).stdout.split()
    repo = repository(tmp_path)
    assert repo.run(tmp_path, "cat-file", "blob", big_id) == big
    assert repo.run(tmp_path, "cat-file", "blob", big_id, most=len(big) - 1) is None
    assert repo.run(tmp_path, "cat-file", "blob", small_id, most=len(small)) == small
    with repo.blob_reader(tmp_path) as reader:
        assert not reader.save(big_id, tmp_path / "copy.pdf", len(big) - 1) and not (tmp_path / "copy.pdf").exists()
        assert reader.save(big_id, tmp_path / "copy.pdf", len(big)) and (tmp_path / "copy.pdf").read_bytes() == big
        assert reader.read(small_id) == small  # the batch still in step after a blob read past
    (tmp_path / "a\nb.md").write_bytes(big)  # a name the batch protocol cannot carry: read by its object id, as bounded
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], check=True)
    with repo.blob_reader(tmp_path) as reader:
        assert reader.read("HEAD:a\nb.md", head=10) == big[:10] and reader.read("HEAD:a\nb.md") == big
        assert not reader.save("HEAD:a\nb.md", tmp_path / "copy2.pdf", len(big) - 1)
        assert reader.read("HEAD:a\nmissing.md") is None and reader.read("HEAD:small.md") == small
    hashed = repo.run(tmp_path, "hash-object", "--stdin-paths", stdin=b"small.md\n" * 5000)  # 200 KB answered as fed
    assert hashed is not None and hashed.split() == [small_id.encode()] * 5000
