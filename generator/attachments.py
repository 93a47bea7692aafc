"""Attachments: the one place that decides whether an item's `file:` names a file the site may publish.

Checks, the review digest, site planning and publishing all ask `resolve` — never the file system
directly — so "inside content/attachments/" has one meaning: a relative path of plain segments (no
`..`, `.`, empty segments, backslashes, drive letters, control characters), every folder on the way a
real folder and the file a regular file, none of them a symbolic link (links are never followed, so a
link cannot lead outside, to a device or to a FIFO), of an allowed type, named by it alone and beginning as it
does (`file_heads`), no larger than the limit.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .file_heads import HEAD_BYTES, head_fault

# The allowed types and how the item page names them: the only table of attachment types.
TYPES: dict[str, str] = {
    "pdf": "PDF 文件",
    "ofd": "OFD 文件",
    "doc": "Word 文档",
    "docx": "Word 文档",
    "wps": "WPS 文档",
    "xls": "Excel 表格",
    "xlsx": "Excel 表格",
    "csv": "CSV 表格",
    "zip": "ZIP 压缩包",
    "jpg": "图片",
    "jpeg": "图片",
    "png": "图片",
}


class Refusal(Enum):
    """Why a `file:` value cannot be published."""

    OUTSIDE = "outside"  # not a plain relative path below content/attachments/
    TYPE = "type"  # an extension not in TYPES
    NAME = "name"  # a path a browser or web server takes for another file's (`name_fault`)
    SYMLINK = "symlink"  # the file or a folder on its way is a symbolic link
    SPECIAL = "special"  # a device, FIFO, socket or folder, not a regular file
    MISSING = "missing"
    TOO_LARGE = "too-large"
    CONTENT = "content"  # its first bytes are not of its type, or are a web page's (`file_heads`)


@dataclass(frozen=True)
class Resolved:
    """What `resolve` found for one `file:` value."""

    file: str  # as written in the front matter
    path: Path  # attachments_dir / file (meaningful only without an OUTSIDE refusal)
    suffix: str  # lower case, without the dot
    size: int  # bytes; 0 unless the file is a regular file
    refusals: tuple[Refusal, ...] = ()
    detail: str = ""  # e.g. which folder is a link, or what kind of special file it is
    # (inode, size, modification time) of the file as `resolve` found it: what publishing it must still find
    stamp: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def publishable(self) -> bool:
        return not self.refusals

    @property
    def label(self) -> str:
        """How the item page names the type, e.g. "PDF 文件"."""
        return TYPES.get(self.suffix, self.suffix.upper())


def path_is_plain(file: str) -> bool:
    """A relative path of plain segments joined by "/": nothing that could leave the folder."""
    if not file or file.startswith("/") or "\\" in file or any(ord(ch) < 32 or ord(ch) == 127 for ch in file):
        return False
    if len(file) > 1 and file[1] == ":":  # C:, a drive even on POSIX file systems shared with Windows
        return False
    return all(segment not in ("", ".", "..") for segment in file.split("/"))


# What a link's address does not carry as written: `#` ends the path, `?` starts a query, `%` an escape (the item
# page's link to `c%41.pdf` fetched `cA.pdf`), `;` path parameters (Tomcat, Jetty; IIS 6 ran `x.asp;.jpg` as ASP).
_NOT_IN_ADDRESS = re.compile("[#%?;]")
# The build writes a file under a folder named longer than content/ (`.site.new-PID-…`), so a path that only just fits
# the system's limit there does not fit in the site: bounded well below it, whatever the project's own folder.
MAX_PATH_BYTES = 1000
# How to name a file that name_fault refuses.
NAME_RULES = f"文件名只用类型前的一个点，其他的点和 # % ? ; 改为“-”，路径不超过 {MAX_PATH_BYTES} 个字节"


def name_fault(file: str) -> str:
    """Why a browser or a web server would take the published file `file` (a path of plain segments) for another,
    in Chinese; "" when none would. Web servers read each dot's part of a name as an extension, not only the last:
    Apache's mod_mime runs `x.php.pdf` as PHP wherever PHP is set up with AddHandler, and serves `名单.html.ofd` as
    a web page (no type is set for .ofd, so .html's stands), its script running at the agency's address."""
    size = len(file.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH_BYTES:
        return f"路径有 {size} 个字节，超过上限 {MAX_PATH_BYTES}（网站文件夹中的路径更长，生成网站时会超出系统允许的长度）"
    found = _NOT_IN_ADDRESS.search(file)
    if found:
        return f"路径中有“{found.group()}”，网址不能原样写出它，网页上的链接会指向别的文件或打不开"
    name = file.rsplit("/", 1)[-1]
    if name.count(".") != 1 or name.startswith("."):
        return ("文件名中除了类型前的一个点还有别的“.”（或以点开头）：网站服务器会把每个点后面的部分都当作类型，"
                "例如 Apache 把“名单.html.ofd”当作网页、把“x.php.pdf”当作程序运行")
    return ""


def suffix_of(file: str) -> str:
    return PurePosixPath(file).suffix.lower().lstrip(".")


def resolve(attachments_dir: Path, file: str, limit: int | None = None) -> Resolved:
    """Every refusal that applies to `file` (relative to `attachments_dir`), without following a link."""
    suffix = suffix_of(file) if isinstance(file, str) else ""
    if not isinstance(file, str) or not path_is_plain(file):
        return Resolved(str(file), attachments_dir, suffix, 0, (Refusal.OUTSIDE,))
    path = attachments_dir / file
    refusals = [] if suffix in TYPES else [Refusal.TYPE]
    if not refusals and name_fault(file):
        refusals.append(Refusal.NAME)
    found, detail, info = _walk(attachments_dir, file.split("/"))
    size = info.st_size if info is not None else 0
    if found is not None:
        refusals.append(found)
    elif limit is not None and size > limit:
        refusals.append(Refusal.TOO_LARGE)
    if info is not None and suffix in TYPES:
        fault = _head_fault(path, suffix, _stamp(info))
        if fault:
            refusals.append(Refusal.CONTENT)
            detail = fault
    return Resolved(file, path, suffix, size, tuple(refusals), detail, _stamp(info) if info is not None else ())


@lru_cache(maxsize=4096)
def _head_fault(path: Path, suffix: str, stamp: tuple[int, ...]) -> str:
    """`file_heads.head_fault` of the file `resolve` found (`stamp`), read without following a link."""
    try:
        with os.fdopen(open_regular(path), "rb") as stream:
            if _stamp(os.fstat(stream.fileno())) != stamp:
                return "在检查时被替换或修改，请重新检查"
            return head_fault(suffix, stream.read(HEAD_BYTES))
    except OSError:
        return "无法读取"


def _stamp(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_ino, info.st_size, info.st_mtime_ns


def _walk(root: Path, segments: list[str]) -> tuple[Refusal | None, str, os.stat_result | None]:
    """(refusal, detail, the file's status) from lstat-ing the folder and each segment in turn."""
    current = root
    for depth, segment in enumerate(["", *segments]):
        current = current / segment if segment else current
        try:
            info = os.lstat(current)
        except (OSError, ValueError):  # absent, a name too long, a file where a folder should be
            return Refusal.MISSING, "", None
        shown = "/".join(segments[:depth]) or "content/attachments"
        if stat.S_ISLNK(info.st_mode):
            return Refusal.SYMLINK, shown, None
        last = depth == len(segments)
        if not last and not stat.S_ISDIR(info.st_mode):
            return Refusal.MISSING, "", None
        if last:
            if not stat.S_ISREG(info.st_mode):
                return Refusal.SPECIAL, _kind(info.st_mode), None
            return None, "", info
    return Refusal.MISSING, "", None  # pragma: no cover - the loop always returns


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "设备文件"


def open_regular(path: Path) -> int:
    """A read-only descriptor of `path`, refusing a link or anything but a regular file (OSError)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(f"{path} is not a regular file")
    return descriptor


class ChangedSince(OSError):
    """An attachment is no longer the file the build checked and planned: it was replaced, edited, or became a
    link or a special file since. The message is Chinese."""


def copy_published(source: Path, target: Path, stamp: tuple[int, ...] | None, what: str = "附件") -> None:
    """Copy the attachment `source` to `target` only while it is the very file `resolve` found (`stamp`): a
    file swapped for a link (to any file of the machine) or a FIFO (a read that never ends), or edited after
    the check, is never published; ChangedSince (nothing written) if it is not. Links are not followed. `stamp`
    None: a file no check of this process judged (a link or special file is still refused); (): a file of a folder the
    check judged that it never saw, added since (refused). `what` names it."""
    try:
        descriptor = open_regular(source)
    except OSError:
        raise ChangedSince(f"{what} {source} 在检查之后被换成了符号链接、特殊文件或被删除：没有发布它，请重新生成") from None
    with os.fdopen(descriptor, "rb") as stream:
        if stamp == ():  # its folder was judged, the file was not: it came after the check
            raise ChangedSince(f"{what} {source} 是在检查之后才加入的，没有经过检查：没有发布它，请重新生成（生成期间不要修改内容和主题）")
        if stamp is not None and _stamp(os.fstat(descriptor)) != stamp:
            raise ChangedSince(f"{what} {source} 在检查之后被替换或修改：发布的必须是检查过的文件，请重新生成")
        try:
            with open(target, "wb") as output:
                shutil.copyfileobj(stream, output, 1 << 20)
                if stamp is not None and _stamp(os.fstat(descriptor)) != stamp:  # written into while it was copied
                    raise ChangedSince(f"{what} {source} 在复制时被修改：发布的必须是检查过的文件，请重新生成")
        except BaseException:
            Path(target).unlink(missing_ok=True)
            raise


def content_hash(resolved: Resolved) -> str:
    """sha256 of a resolved file's bytes (hex); "missing" when it is refused for its path or kind."""
    if any(refusal in resolved.refusals for refusal in (Refusal.OUTSIDE, Refusal.SYMLINK, Refusal.SPECIAL, Refusal.MISSING)):
        return "missing"
    try:
        info = os.lstat(resolved.path)
        found = _hash(resolved.path, info.st_size, info.st_mtime_ns, info.st_ino)
    except OSError:  # replaced between the two looks
        return "missing"
    _HASHED[resolved.path] = _stamp(info)
    return found


# The file each attachment was when this process last hashed it for a digest or a check: what a build publishes.
_HASHED: dict[Path, tuple[int, ...]] = {}


def checked_stamp(resolved: Resolved) -> tuple[int, ...]:
    """The (inode, size, modification time) of the file as this process's checks hashed it, else as `resolve`
    found it: a file edited or replaced since is never published (copy_published)."""
    return _HASHED.get(resolved.path, resolved.stamp)


def hashed_files() -> dict[Path, tuple[int, ...]]:
    """The file each attachment was when this process hashed it (a forked check hands them back: checks.parallel)."""
    return dict(_HASHED)


def adopt_hashed(hashed: dict[Path, tuple[int, ...]]) -> None:
    """Take the files another process's check hashed as hashed here."""
    _HASHED.update(hashed)


@lru_cache(maxsize=4096)
def _hash(path: Path, size: int, mtime_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_file(attachments_dir: Path, file: str) -> str:
    """sha256 of the attached file, or "missing"; size does not matter here, so a reviewed digest
    covers a file's bytes whatever limit mkdocs.yml sets."""
    return content_hash(resolve(attachments_dir, file))


@dataclass(frozen=True)
class Unsafe:
    """A symbolic link or special file somewhere under content/attachments/."""

    path: Path
    refusal: Refusal  # SYMLINK or SPECIAL
    detail: str


def unsafe_entries(attachments_dir: Path) -> Iterator[Unsafe]:
    """Every link (to anything) and every device, FIFO or socket under the folder, the folder included."""
    try:
        info = os.lstat(attachments_dir)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode):
        yield Unsafe(attachments_dir, Refusal.SYMLINK, "")
        return
    folders = [attachments_dir]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                yield Unsafe(Path(entry.path), Refusal.SYMLINK, os.readlink(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
            elif not entry.is_file(follow_symlinks=False):
                yield Unsafe(Path(entry.path), Refusal.SPECIAL, _kind(entry.stat(follow_symlinks=False).st_mode))
