"""Which files under content/ are read, and reading one of them safely.

Content comes from people who can commit to the repository, so a file is read only when it is a
regular file in place: never through a symlink (a page linked to a 不予公开 item would publish it),
never a device or FIFO (reading /dev/zero never ends), and never more than the size limit. Every
refusal is a problem naming the file; the other files are still read.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from .limits import MB
from .problems import NOT_SHOWN, Problem, printable
from .rules import ERROR, READING, WARNING

TOO_LARGE = READING.rule(
    "GK010", ERROR,
    "文件超过大小上限（mkdocs.yml 中 gongkai 插件的 limits.item_mb，默认 5 MB）",
    "检查是否误把大段数据或附件内容贴进了文件；大的表格、名单请作为附件上传",
)
SYMLINK = READING.rule(
    "GK011", ERROR,
    "content/ 下有符号链接（快捷方式）",
    "把符号链接换成真实的文件或目录；不要用链接引用另一个条目的内容",
)
NOT_REGULAR = READING.rule(
    "GK012", ERROR,
    "content/ 下有不是普通文件的东西（设备、管道、套接字），或文件与文件夹错位（名为 .md、.yml 的文件夹，"
    "名为 pages、reports、attachments 等的文件）",
    "删除它；content/ 下只放条目、页面、目录配置、年报数据和附件；文件夹与文件错位的，换成正确的一种",
)
UNREADABLE = READING.rule(
    "GK001", ERROR,
    "文件不是 UTF-8 编码（常见为 GBK 或 UTF-16），或无法读取",
    "用编辑器“另存为 UTF-8”，或运行 `iconv -f GBK -t UTF-8 原文件 > 新文件`",
)

ODD_NAME = READING.rule(
    "GK030", ERROR,
    "文件名或目录名中有换行、控制字符、双向控制符或不是 UTF-8 的字节",
    "把它改名为普通的文字、数字和连字符（例如 2026-00001.md）；这样的名称会扰乱检查结果的显示，也无法生成网址",
)
NOT_MD = READING.rule(
    "GK031", WARNING,
    "items/ 或 pages/ 下的 Markdown 文件扩展名不是小写的 .md，不会被读取",
    "把扩展名改为 .md（例如 2026-00001.MD 改为 2026-00001.md），否则它既不检查也不发布",
)
UNREAD = READING.rule(
    "GK034", WARNING,
    "content/ 中有 gongkai 不读取的文件或文件夹：它既不检查，也不发布",
    "条目和页面存为 items/、pages/ 下的 .md 文件，年报数据存为 reports/<年份>.yml，附件放在 attachments/ 中；"
    "其他文件不要放在 content/ 中（只让 git 保留空文件夹的空文件，如 .gitkeep，可以保留）",
)
NO_ITEMS = READING.rule(
    "GK032", ERROR,
    "内容目录中没有 items/ 文件夹（或它不是文件夹）",
    "确认 mkdocs.yml 的 content_dir 指向内容目录、items/ 没有被误删或改名；还没有任何条目的新网站，建一个空的 items/ 文件夹",
)
NOT_PORTABLE = READING.rule(
    "GK033", ERROR,
    "文件名或目录名在 Windows 或 macOS 上无法检出：Windows 的保留名（CON、NUL、AUX、COM1 等）、Windows 不允许的字符"
    "（< > : \" | ? * \\）或结尾的点、空格，或与同一文件夹中另一个名称只差大小写或字符的组合方式（同一文件）",
    "把它改为普通的小写文字、数字和连字符；只差大小写或组合方式的两个文件，改名或删去一个",
)
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
# Names Windows gives to devices, whatever follows their first dot (`con.md`, `nul.tar.gz`): git for Windows
# refuses to check them out, and a checkout fails on them.
_RESERVED = re.compile(r"(?:con|prn|aux|nul|conin\$|conout\$|(?:com|lpt)[0-9\u00b9\u00b2\u00b3])", re.IGNORECASE)
_NOT_ON_WINDOWS = re.compile(r'[<>:"|?*\\]')


def portable_name_problems(folder: str, names: list[str]) -> list[Problem]:
    """GK033 for each name of one folder (`folder` project-relative, "" for the top) that Windows cannot hold, and for
    each that Windows and macOS take for another of the folder's names (case, NFC/NFD): an editor's clone there fails,
    or holds one file where the repository has two — the item or theme file read and reviewed there is not the one
    the check read and the build publishes. Names GK030 refuses are that rule's."""
    problems = []
    seen: dict[str, str] = {}
    for name in sorted(names):
        if NOT_SHOWN.search(name):
            continue
        shown = f"{folder}/{name}" if folder else name
        base = name.split(".", 1)[0].rstrip(" ")
        if _RESERVED.fullmatch(base) or _NOT_ON_WINDOWS.search(name) or name.endswith((".", " ")):
            problems.append(NOT_PORTABLE.at(shown, 1, (
                f"{shown} 的名称在 Windows 上不能用作文件名（保留名 CON、NUL、AUX、COM1 等，或含 < > : \" | ? * \\，"
                "或以点、空格结尾）：在 Windows 上克隆仓库的编辑无法检出它。请改名为普通的小写文字、数字和连字符")))
            continue
        # Windows compares names upper-cased, macOS case-folded: ς σ Σ, µ μ, ſ s, ı i … are one name to one or both.
        composed = unicodedata.normalize("NFC", name)
        keys = (composed.upper(), unicodedata.normalize("NFC", composed.casefold()))
        other = next((seen[key] for key in keys if key in seen), None)
        if other is not None:
            problems.append(NOT_PORTABLE.at(shown, 1, (
                f"{shown} 与同一文件夹中的“{other}”只差大小写或字符的组合方式：Windows 和 macOS 把它们当作同一个文件，"
                "在那里克隆的仓库中只有其中一个，编辑和审查人看到的不是检查和发布的那个文件。请改名或删去一个")))
        else:
            seen.update(dict.fromkeys(keys, name))
    return problems


def misnamed_markdown(name: str) -> bool:
    """Whether a file name is Markdown by its extension but not `.md` (GK031: never read)."""
    return not name.endswith(".md") and name.lower().endswith(_MARKDOWN_SUFFIXES)


def odd_name_problem(rel: str) -> Problem:
    shown = printable(rel)
    return ODD_NAME.at(shown, 1, f"{shown} 的名称中有换行、控制字符、双向控制符或不是 UTF-8 的字节（显示为 \\x.. 或 \\u....）："
                                 "gongkai 不会读取它，请改名为普通的文字、数字和连字符")


# Folders of content/ that another part of gongkai vets (attachments are scanned by their own rules).
SKIPPED = ("attachments",)
# What content/ holds as folders (items/: GK032) and the file suffixes gongkai reads: a folder named like a file or
# a file named like a folder is read as nothing, in silence — a register entry or a year's report left out of the
# annual report, the agency's lexicon left out of every scan.
FOLDERS = ("pages", "attachments", "reports", "applications", "supervision")
FILE_SUFFIXES = (".md", ".yml", ".yaml")


# What content/ holds at its top besides FOLDERS and items/ (the catalog's and the lexicon's loaders read them).
TOP_FILES = ("catalog.yml", "lexicon.yml")


def unread_problem(rel: str, folder: bool) -> Problem:
    what = "文件夹" if folder else "文件"
    return UNREAD.at(rel, 1, f"gongkai 不读取{what} {rel}：其中的内容既不检查也不发布（文件名、位置或扩展名不对？）。{UNREAD.fix}")


def _placeholder(entry: os.DirEntry[str]) -> bool:
    """An empty hidden file (.gitkeep): what keeps an empty folder in git, holding nothing to read."""
    return entry.name.startswith(".") and entry.stat(follow_symlinks=False).st_size == 0


def symlink_problem(rel: str) -> Problem:
    return SYMLINK.at(rel, 1, f"{rel} 是符号链接：content/ 下不允许符号链接，请换成真实的文件或目录"
                           "（链接可能让未审查或不公开的内容被发布）")


def special_problem(rel: str, mode: int) -> Problem:
    kind = ("命名管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字" if stat.S_ISSOCK(mode)
            else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "文件夹" if stat.S_ISDIR(mode) else "特殊文件")
    return NOT_REGULAR.at(rel, 1, f"{rel} 是{kind}，不是普通文件：gongkai 不会读取它，请从 content/ 中删除")


def folder_named_as_file(rel: str) -> Problem:
    return NOT_REGULAR.at(rel, 1, f"{rel} 是文件夹，但名称是文件的（.md、.yml）：gongkai 不会读取它，它的内容既不检查、"
                                  "也不计入年报和登记；请把它换成同名的文件，或删除这个文件夹")


def file_named_as_folder(rel: str) -> Problem:
    return NOT_REGULAR.at(rel, 1, f"{rel} 应是文件夹，却是文件：gongkai 不会读取它，其中应有的页面、年报数据、登记或附件"
                                  "都不检查也不发布；请删除这个文件，建立同名的文件夹")


def too_large_problem(rel: str, size: int | None, limit: int) -> Problem:
    shown = f"{size / MB:.1f} MB" if size is not None else "超过上限"
    return TOO_LARGE.at(rel, 1, f"文件大小 {shown}，超过上限 {limit / MB:g} MB：条目、页面和配置文件不应这样大，"
                               "请检查是否误贴了大段内容（名单、表格请作为附件）；确有需要时调大 mkdocs.yml 中 limits.item_mb")


def read_limited(file: Path, rel: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file that is not a symlink and not larger than `limit`."""
    try:
        info = os.lstat(file)
    except OSError as exc:
        return None, [UNREADABLE.at(rel, 1, f"无法读取文件（{_reason(exc)}）")]
    if stat.S_ISLNK(info.st_mode):
        return None, [symlink_problem(rel)]
    if not stat.S_ISREG(info.st_mode):
        return None, [special_problem(rel, info.st_mode)]
    if info.st_size > limit:
        return None, [too_large_problem(rel, info.st_size, limit)]
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(file, flags)
    except OSError as exc:  # swapped for a symlink since the lstat
        if exc.errno == errno.ELOOP:
            return None, [symlink_problem(rel)]
        return None, [UNREADABLE.at(rel, 1, f"无法读取文件（{_reason(exc)}）")]
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            return None, [special_problem(rel, opened.st_mode)]
        data = _read_at_most(descriptor, min(opened.st_size, limit), limit + 1)
    except OSError as exc:
        return None, [UNREADABLE.at(rel, 1, f"无法读取文件（{_reason(exc)}）")]
    finally:
        os.close(descriptor)
    if len(data) > limit:
        return None, [too_large_problem(rel, None, limit)]
    return data, []


def _read_at_most(descriptor: int, expected: int, most: int) -> bytes:
    """Up to `most` bytes to the end of the file: one read of the `expected` size (and the one that finds
    the end) for a file that did not grow since it was measured; unbuffered, a warm check reads 10,000."""
    chunks = []
    total = 0
    want = expected + 1
    while total < most:
        chunk = os.read(descriptor, min(want, most - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 16  # it grew, or the system returned less: read on in bounded steps
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese: the reading's own words, else the system's (writer.system_reason)."""
    from .writer import system_reason

    reasons = {errno.EACCES: "没有读取权限", errno.ENOENT: "文件不存在", errno.ENAMETOOLONG: "路径太长"}
    return reasons.get(exc.errno or 0) or system_reason(exc)


def names_below(folder: Path, rel: Callable[[Path], str]) -> list[Problem]:
    """GK030 and GK033 for the names under `folder` (attachments/, whose links and special files `attachments`
    reports): a name no item can attach (its front matter holds no control character) is still named, as under
    the rest of content/, so that nothing there goes unseen."""
    problems: list[Problem] = []
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as exc:  # its links, FIFOs and names unseen: said, as for the rest of content/
            if exc.errno != errno.ENOENT:
                problems.append(_unreadable(rel(current), exc))
            continue
        problems.extend(odd_name_problem(rel(Path(entry.path))) for entry in entries if NOT_SHOWN.search(entry.name))
        problems.extend(portable_name_problems(rel(current), [entry.name for entry in entries]))
        folders.extend(Path(entry.path) for entry in entries if not NOT_SHOWN.search(entry.name) and _is_folder(entry))
    return problems


def _unread(name: str, where: str) -> bool:
    """Whether no loader reads a file `name` (not Markdown) in the folder `where` below content/ (the registers'
    loader names its own, GK856; a folder no loader reads is named itself, not each file in it)."""
    if not where:
        return name not in TOP_FILES
    if where.split("/", 1)[0] in ("items", "pages"):
        return True
    return where == "reports" and not name.lower().endswith((".yml", ".yaml"))


def _unreadable(shown: str, exc: OSError) -> Problem:
    return UNREADABLE.at(shown, 1, f"文件夹 {shown} 无法读取（{_reason(exc)}）：其中的条目、页面、登记和附件都不检查也不发布；"
                                   "请修正它的读取权限，或缩短过长的路径")


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # removed while we looked
        return False


@dataclass
class ContentFiles:
    """The Markdown files of content/items/ and content/pages/, and what was refused under content/."""

    items: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def scan_content(content_dir: Path, rel: Callable[[Path], str]) -> ContentFiles:
    """One walk of content/ (attachments aside) that follows no link: the Markdown files of items/ and
    pages/, and a problem for every symlink and special file."""
    found = ContentFiles()
    lists = {"items": found.items, "pages": found.pages}
    # Each folder with the Markdown list its files go to (items/, pages/) and its path below content/.
    stack: list[tuple[Path, list[Path] | None, str]] = [(content_dir, None, "")]
    while stack:
        folder, markdown, where = stack.pop()
        top = folder == content_dir
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:  # never a folder of items left out in silence: built, its items would leave the site
            if exc.errno != errno.ENOENT and not top:  # a content folder that cannot be read is the loader's to say
                found.problems.append(_unreadable(rel(folder), exc))
            continue
        found.problems.extend(portable_name_problems(rel(folder), [entry.name for entry in entries]))
        for entry in entries:
            if top and entry.name in SKIPPED:
                if _is_folder(entry):
                    found.problems.extend(names_below(Path(entry.path), rel))
                elif not entry.is_symlink():  # a link is the attachments check's
                    found.problems.append(file_named_as_folder(rel(Path(entry.path))))
                continue
            path = Path(entry.path)
            if NOT_SHOWN.search(entry.name):  # would act on a terminal or log; nothing under it is read either
                found.problems.append(odd_name_problem(rel(path)))
                continue
            try:  # the entry's type comes with the directory listing: no system call per file
                if entry.is_symlink():
                    found.problems.append(symlink_problem(rel(path)))
                elif (entry.is_dir(follow_symlinks=False) and entry.name.lower().endswith(FILE_SUFFIXES)
                      and not (top and entry.name == "catalog.yml")):  # the catalog's loader says so
                    found.problems.append(folder_named_as_file(rel(path)))
                elif top and entry.name in FOLDERS and not entry.is_dir(follow_symlinks=False):
                    found.problems.append(file_named_as_folder(rel(path)))
                elif entry.is_dir(follow_symlinks=False):
                    if (top and entry.name not in (*FOLDERS, "items", *TOP_FILES)) or where == "reports":
                        found.problems.append(unread_problem(rel(path), folder=True))  # still walked: links, FIFOs
                    stack.append((path, lists.get(entry.name) if top else markdown, f"{where}/{entry.name}".lstrip("/")))
                elif not entry.is_file(follow_symlinks=False):
                    found.problems.append(special_problem(rel(path), entry.stat(follow_symlinks=False).st_mode))
                elif markdown is not None and entry.name.startswith("._"):  # macOS's AppleDouble beside a file on a share
                    found.problems.append(unread_problem(rel(path), folder=False))
                elif markdown is not None and entry.name.endswith(".md"):
                    markdown.append(path)
                elif markdown is not None and misnamed_markdown(entry.name):
                    found.problems.append(NOT_MD.at(rel(path), 1, f"{rel(path)} 的扩展名不是 .md：gongkai 不会检查也不会发布它，"
                                                                 f"请改名为 {Path(entry.name).stem}.md"))
                elif _unread(entry.name, where) and not _placeholder(entry):
                    found.problems.append(unread_problem(rel(path), folder=False))
            except OSError:  # removed while we looked
                continue
    items = content_dir / "items"
    if not items.is_dir() and not items.is_symlink():  # a link is GK011 already
        # Built, such a site has no item at all: deployed, it would delete every item from the agency's site.
        found.problems.append(NO_ITEMS.at(rel(items), 1, f"{rel(items)}/ 不存在或不是文件夹：网站会没有任何条目，部署后网站上的"
                                                         f"全部信息都会被删除。{NO_ITEMS.fix}"))
    found.items.sort(key=attrgetter("parts"))  # the order of Paths, without a Python-level comparison per pair
    found.pages.sort(key=attrgetter("parts"))
    return found
