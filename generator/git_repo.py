"""The git repository a site is checked out in, and git run on it alone.

gongkai asks git about the target branch (`gongkai check --base`), an item's signed versions
(`gongkai diff`) and when each item first went in (the audit). Left to find the repository by
itself, git takes the nearest folder upwards that *looks like* one — a `.git`, or a folder holding
`HEAD`, `objects/` and `refs/` (a bare repository). Those are plain files anyone can commit: in a site
kept below the top of its repository, a committed `HEAD`, `objects/`, `refs/` and `config` in the
site's folder (or in content/) became the repository git used, with that `config`'s `core.fsmonitor`
— a command git runs as it reads the index (`git diff`, `git ls-files`) — and its own refs, so the
target branch was whatever the commit said it was.

So the repository is the checkout's own `.git` (a folder, or the file a worktree or submodule has),
found upwards from the site's folder as git finds it — never a folder that merely holds a repository's
files, which git cannot check out as `.git` — and every git command names it and its work tree
(`--git-dir`, `--work-tree`), with bare repositories refused besides (`safe.bareRepository=explicit`,
from git 2.38). Git's own search must come to that same `.git`: where it stops at a committed
repository first, or refuses one, nothing is asked and the command says why.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .problems import printable

NO_BARE = ("-c", "safe.bareRepository=explicit")
# What git is shown is the repository's own objects, as committed: never an object `refs/replace/` puts in another's
# place (`git replace REF-commit HEAD-commit` made `check --base REF` compare HEAD with itself and pass), and every
# path given to it a path, never pathspec magic (`:(attr:…)`, `:!…`, globs) that a folder's name could spell.
PLAIN = ("--no-replace-objects", "--literal-pathspecs")
# The machine's and the user's configuration (where `safe.directory` lives) are kept; every other GIT_* variable
# is left out: GIT_DIR, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_NAMESPACE,
# GIT_REPLACE_REF_BASE, GIT_CONFIG_PARAMETERS/COUNT (a hook's or a CI job's environment) would point git at another
# repository, index, object store, set of refs or configuration than the checkout's own.
KEPT_VARIABLES = frozenset({"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM"})
# What the repository's own configuration (`.git/config` and what it includes: a checkout's, a CI cache's, a repository
# handed over as an archive) may not do while gongkai reads: run a command or reach the network. `git diff` against
# the work tree ran `core.fsmonitor`, the `clean` (or `process`) filter `.gitattributes` names for each changed file,
# and the `post-index-change` hook as it refreshed the index; `git log` a `gpg.program` for `log.showSignature`; a
# partial clone's `cat-file` fetched a missing object from its promisor remote (over `core.sshCommand`, or hung).
# Turned off here for every command; the drivers and protocols the configuration names, by name (`_neutralised`).
NO_COMMANDS = ("-c", "core.fsmonitor=false", "-c", f"core.hooksPath={os.devnull}", "-c", "log.showSignature=false",
               "-c", "diff.external=", "-c", "protocol.allow=never", "-c", "core.sshCommand=false",
               "-c", "advice.graftFileDeprecated=false")  # read from an empty file (GIT_GRAFT_FILE), it still says so


# The most output one git command may give gongkai: far more than any listing of a real site's history (100,000 items'
# `ls-tree` is ≈ 10 MB), far less than the memory.
MOST_OUTPUT = 256 * 1024 * 1024


def _feed(stream: IO[bytes], data: bytes) -> None:
    """Write `data` to git's standard input and close it; git ended early (killed, or done with it) is no error."""
    with contextlib.suppress(OSError, ValueError):
        stream.write(data)
    with contextlib.suppress(OSError, ValueError):
        stream.close()


def environment() -> dict[str, str]:
    """The environment every git command of gongkai runs in (see KEPT_VARIABLES)."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("GIT_") or name in KEPT_VARIABLES}
    # GIT_OPTIONAL_LOCKS=0: a read never writes the index (nor runs a hook when it does); GIT_NO_LAZY_FETCH (git 2.44):
    # a missing object is missing, never fetched. GIT_GRAFT_FILE: `.git/info/grafts`, which gives a commit other parents
    # than it records (`--no-replace-objects` leaves it on), is read from an empty file instead: made a root there, the
    # commit after a sign-off hid the signed version from `gongkai diff` and `queue`.
    kept.update(GIT_NO_REPLACE_OBJECTS="1", GIT_LITERAL_PATHSPECS="1", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0",
                GIT_NO_LAZY_FETCH="1", GIT_PROTOCOL_FROM_USER="0", GIT_GRAFT_FILE=os.devnull)
    return kept


@dataclass(frozen=True)
class Repository:
    """The checkout around a site: its `.git` and the folder it is in; `problem` (Chinese) when there is none to use."""

    git_dir: Path | None  # its `.git`, a folder or a file
    top: Path | None
    problem: str = ""
    resolved: str = ""  # the folder that `.git` is or names (a worktree's or submodule's own)
    neutralised: tuple[str, ...] = ()  # `-c` settings that turn off the filters and protocols its configuration names

    def command(self, *args: str) -> list[str]:
        """The git command line for `args`, on this repository alone, running no command of its configuration."""
        assert self.git_dir is not None and self.top is not None
        return ["git", *NO_BARE, *PLAIN, *NO_COMMANDS, *self.neutralised, f"--git-dir={self.git_dir}",
                f"--work-tree={self.top}", *args]

    def run(self, root: Path, *args: str, timeout: float = 120, stdin: bytes = b"", most: int = MOST_OUTPUT) -> bytes | None:
        """git's output for `args` run in `root` (given `stdin`); None when there is no repository to use, git failed,
        ran past `timeout` seconds, or wrote more than `most` bytes (it is stopped there: a history made of commits
        that each list 5,000 long names, or a 10 GB blob that is 10 MB in git, never fills the memory)."""
        if self.git_dir is None:
            return None
        try:
            process = subprocess.Popen(self.command(*args), cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, env=environment())
        except OSError:
            return None
        timer = threading.Timer(timeout, process.kill)
        timer.daemon = True
        timer.start()
        assert process.stdin is not None and process.stdout is not None
        feeder = threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True)
        feeder.start()  # beside the reading: git may answer a line of input before it reads the next
        chunks, total = [], 0
        try:
            while piece := process.stdout.read(1 << 20):
                total += len(piece)
                if total > most:
                    process.kill()
                    break
                chunks.append(piece)
        except (OSError, ValueError):
            process.kill()
        finally:
            process.stdout.close()
            returncode = process.wait()
            timer.cancel()
            feeder.join()
        return b"".join(chunks) if returncode == 0 and total <= most else None

    def records(self, root: Path, *args: str) -> list[str] | None:
        """The NUL-separated records of git's `-z` output for `args` (paths as the file system names them, any bytes);
        None as `run`."""
        output = self.run(root, *args)
        return None if output is None else [record for record in output.decode("utf-8", "surrogateescape").split("\0") if record]

    def commit_of(self, root: Path, ref: str) -> tuple[str | None, str]:
        """(the commit `ref` names, as its full id; or None and why not, in Chinese). A ref spelled like an
        option is refused, and so is a name git finds more than once: a tag `origin/main` pushed by anyone who may
        push tags comes before the branch `refs/remotes/origin/main` (git only warns), and `--base origin/main`
        compared the changes with the pusher's own commit."""
        if self.git_dir is None:
            return None, self.problem
        if not ref or ref.startswith("-") or any(ch in ref for ch in "\0\n\r"):
            return None, f"“{printable(ref)}”不是 git 引用：--base 需要分支、标签或提交，例如 --base origin/main"
        try:
            done = subprocess.run(self.command("-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify",
                                               "--end-of-options", f"{ref}^{{commit}}"),
                                  cwd=root, capture_output=True, timeout=60, env={**environment(), "LC_ALL": "C"})
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"无法运行 git（{printable(str(exc))}）"
        said = done.stderr.decode("utf-8", "replace").strip()
        commit = done.stdout.decode("ascii", "replace").strip()
        if done.returncode != 0:
            return None, ""
        if said:  # "warning: refname 'origin/main' is ambiguous." — or any other doubt about what REF names
            return None, (f"git 引用“{printable(ref)}”有歧义或 git 对它有警告（{printable(said.splitlines()[0])}）："
                          "可能有同名的标签或分支遮住了目标分支，无法确定与哪个提交比较。请写出完整的引用名，例如 "
                          f"--base refs/remotes/{printable(ref)}，并删除与目标分支同名的标签（git tag -d）")
        return commit, ""

    def blobs(self, root: Path, names: Iterable[str], head: int | None = None) -> Iterator[tuple[str, bytes | None]]:
        """(name, its bytes, or its first `head` bytes) for each `REV:PATH` name, in order, all through one
        `BlobReader`; None for a name git cannot read. A `git show` each cost `check --base` with 5,000 changed items
        20 s of git."""
        with BlobReader(self, root) as reader:
            for name in names:
                yield name, reader.read(name, head)

    def blob_reader(self, root: Path, timeout: float = 600) -> BlobReader:
        return BlobReader(self, root, timeout)


class BlobReader:
    """One `git cat-file --batch` asked for one `REV:PATH` at a time, as long as it is open (a `with` block):
    many files of many commits for the cost of one process. `read` gives None for a name git cannot read
    (missing, not a file) and for every name once git failed, or ran past `timeout` seconds in all."""

    def __init__(self, repo: Repository, root: Path, timeout: float = 600) -> None:
        self.repo, self.root, self.timeout = repo, root, timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.timer: threading.Timer | None = None

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes] | None:
        if self.process is None and self.repo.git_dir is not None and self.timer is None:
            try:
                self.process = subprocess.Popen(self.repo.command("cat-file", "--batch"), cwd=self.root,
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                env=environment())
            except OSError:
                self.process = None
            self.timer = threading.Timer(self.timeout, self.close)  # never a command that waits forever on git
            self.timer.daemon = True
            self.timer.start()
        return self.process

    def read(self, name: str, head: int | None = None) -> bytes | None:
        """The blob `name`, or its first `head` bytes (the rest is read past, never held)."""
        chunks: list[bytes] = []
        kept = self._stream(name, head, chunks.append)
        return b"".join(chunks) if kept is not None else None

    def save(self, name: str, target: Path, most: int) -> bool:
        """Write the blob `name` into the file `target` as it streams in, if it has at most `most` bytes (a larger one
        is read past and nothing is written): an old version's attachment is never held in memory whole."""
        with open(target, "wb") as file:
            kept = self._stream(name, most + 1, file.write, whole=most)
        if kept is None:
            target.unlink(missing_ok=True)
        return kept is not None

    def _stream(self, name: str, head: int | None, sink: Callable[[bytes], object], whole: int | None = None) -> int | None:
        """Hand the first `head` bytes of the blob `name` to `sink` in pieces of at most a megabyte, read past the rest;
        how many were handed, or None for a name git cannot read, one that is not a blob, or one of more than `whole`
        bytes (nothing of it handed)."""
        if "\n" in name or "\r" in name:  # a line of the batch protocol cannot carry it: its object id can
            found = self.repo.run(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options", name, timeout=60)
            name = found.decode("ascii", "replace").strip() if found is not None else ""
            if not name or not name.isalnum():
                return None
        process = self._start()
        if process is None or process.stdin is None or process.stdout is None:
            return None
        try:
            process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3 or not header[2].isdigit():  # "<name> missing", "<name> ambiguous", git gone
                if not header:
                    self.close()
                return None
            size = int(header[2])
            wanted = header[1] == b"blob" and (whole is None or size <= whole)
            kept = 0 if not wanted else size if head is None else min(size, head)
            left = kept
            while left > 0:
                piece = process.stdout.read(min(left, 1 << 20))
                if not piece:
                    raise OSError("git ended")
                sink(piece)
                left -= len(piece)
            left = size - kept
            while left > 0:
                skipped = len(process.stdout.read(min(left, 1 << 20)))
                if not skipped:
                    raise OSError("git ended")
                left -= skipped
            process.stdout.read(1)  # the line feed after the contents
        except (OSError, ValueError):  # git ended, or was ended by the timer
            self.close()
            return None
        return kept if wanted else None

    def close(self) -> None:
        process, self.process = self.process, None
        if self.timer is not None:
            self.timer.cancel()
        if process is not None:
            process.kill()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            process.wait()


NOT_IN_GIT = "站点目录不在 git 仓库中"


def repository(root: Path) -> Repository:
    """The repository `root` is checked out in (see the module's text)."""
    root = Path(os.path.abspath(root))
    top = next((folder for folder in (root, *root.parents) if os.path.lexists(folder / ".git")), None)
    if top is None:
        return Repository(None, None, NOT_IN_GIT)
    git_dir = top / ".git"
    # git's own search, which the checkout's `.git` must agree with; GIT_DIR and GIT_CEILING_DIRECTORIES left out
    # (`environment`) as for every command.
    found, refusal = _absolute_git_dir(["git", *NO_BARE], root)
    pinned, _ = _absolute_git_dir(["git", *NO_BARE, f"--git-dir={git_dir}", f"--work-tree={top}"], root)
    if pinned is None:
        return Repository(None, None, f"{NOT_IN_GIT}（git 无法使用 {printable(str(git_dir))}）")
    if found != pinned:
        planted = _planted(root, top)
        if planted is None:  # e.g. a checkout another user owns, which git's safe.directory does not list
            return Repository(None, None, f"git 拒绝使用 {printable(str(top))} 中的仓库（{printable(refusal)}）")
        return Repository(None, None, (
            f"“{printable(str(planted))}”中有提交进来的 git 仓库文件（HEAD、objects/、refs/、config），git 会把它当作仓库，"
            "并执行其中 config 所设的命令（core.fsmonitor 等）、使用其中的分支：gongkai 没有运行 git。"
            "请删除这些文件（站点目录中只应有 mkdocs.yml、content/、theme_overrides/ 等）"))
    neutralised = _neutralised(git_dir, top, root)
    if neutralised is None:
        return Repository(None, None, (
            f"无法读出 {printable(str(git_dir))} 的 git 配置，或其中有名称含“=”或换行的过滤器（filter）或协议（protocol）"
            "设置，gongkai 无法让 git 不运行它：gongkai 没有运行 git。请运行 `git config --list --show-origin` "
            "修正配置文件、删除这一设置"))
    return Repository(git_dir, top, resolved=pinned, neutralised=neutralised)


def _neutralised(git_dir: Path, top: Path, root: Path) -> tuple[str, ...] | None:
    """`-c` settings that turn off every filter driver (`filter.NAME.clean`, `.smudge`, `.process`, and `.required`,
    which would make the blank driver fail the command) and allow no protocol the repository's configuration names
    (`protocol.NAME.allow` outranks `protocol.allow`). `git config --list` runs nothing, whatever it includes.
    None for a name `-c` cannot carry (an "=" or a line break in it), which could not be turned off."""
    try:
        done = subprocess.run(["git", *NO_BARE, f"--git-dir={git_dir}", f"--work-tree={top}", "config", "--list",
                               "--name-only", "-z"], cwd=root, capture_output=True, timeout=60, env=environment())
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    settings: dict[str, str] = {}
    for name in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        section, _, rest = name.partition(".")
        driver, _, key = rest.rpartition(".")
        if not driver or section.lower() not in ("filter", "protocol"):
            continue
        if "=" in name or "\n" in name:
            return None
        if section.lower() == "filter" and key.lower() in ("clean", "smudge", "process"):
            settings[name] = ""
        elif section.lower() == "filter" and key.lower() == "required":
            settings[name] = "false"
        elif section.lower() == "protocol" and key.lower() == "allow":
            settings[name] = "never"
    return tuple(part for name, value in settings.items() for part in ("-c", f"{name}={value}"))


def _absolute_git_dir(command: list[str], root: Path) -> tuple[str | None, str]:
    """(`rev-parse --absolute-git-dir`, which reads no index: no fsmonitor runs; or None and git's last word)."""
    try:
        done = subprocess.run([*command, "rev-parse", "--absolute-git-dir"], cwd=root, capture_output=True, timeout=60,
                              env=environment())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, said[0] if said else f"git 退出码 {done.returncode}"
    return done.stdout.decode("utf-8", "surrogateescape").strip(), ""


def _planted(root: Path, top: Path) -> Path | None:
    """The nearest folder from `root` up to (not including) `top` that holds a repository's files."""
    for folder in (root, *root.parents):
        if folder == top:
            return None
        if (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir():
            return folder
    return None
