"""The one gate every output file of a build passes: nothing is written outside the new build folder.

Output paths are built from content (catalog slugs, page and attachment file names, years) and from
settings (`--site-dir`, `site_dir`, `docs_dir`, `theme.custom_dir`). `BuildFolder.path` is the only
way the build gets a destination: a relative path of plain segments (no `..`, `.`, empty segment,
backslash, NUL or leading `/`), claimed once, that stays inside the folder even after symlinks are
followed. `check_folders` refuses settings under which a build would replace or publish the
project, its content or its theme. Neither knows MkDocs; the plugin pins MkDocs' destinations to
the paths this module returns.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO


class WriteRefused(Exception):
    """An output path or folder setting that would write where a build must not; the message is Chinese."""


class BuildFolder:
    """The folder a build writes into; every destination is checked and claimed once."""

    def __init__(self, folder: Path, *, linkless: bool = False) -> None:
        """`linkless`: the caller made `folder` and keeps links out of it (an empty folder it made, or a tree
        whose every link it removed, build_cache.BaseTree), so a destination under it is where its path says
        and needs no folder resolved (≈ 23,000 file-system lookups a build of 10,000 items). Names that begin
        with a dot are resolved all the same: the replaced tree's search bundle waits under one, unwalked."""
        self.folder = Path(os.path.realpath(folder))
        self._root = str(self.folder)
        self._linkless = linkless
        self._claimed: dict[str, tuple[str, str]] = {}  # path in the folder → (who claimed it, its destination)
        self._real: dict[str, str] = {self._root: self._root}  # folder → where it really is

    def path(self, relative: str, source: str = "") -> Path:
        """The absolute destination of `relative` (e.g. `items/2021/00003/index.html`); WriteRefused if
        it is not a plain path inside the folder, or another `source` already claimed it."""
        return Path(self.destination(relative, source))

    def destination(self, relative: str, source: str = "") -> str:
        """`path` as a string (what a build asks ≈ 23,000 times at 10,000 items)."""
        claimed = self._claimed.get(relative)
        if claimed is not None:
            if claimed[0] != source:
                raise WriteRefused(f"拒绝写入“{relative}”：{claimed[0]} 和 {source} 会写到同一个文件")
            return claimed[1]
        segments = relative.split("/")
        if (
            not relative
            or relative.startswith("/")
            or "\\" in relative
            or "\0" in relative
            or any(segment in ("", ".", "..") for segment in segments)
        ):
            raise WriteRefused(f"拒绝写入“{relative}”：输出路径只能是网站目录内的普通相对路径（来自：{source or '未知'}）")
        target = f"{self._root}{os.sep}{relative}"  # plain segments joined by "/": os.path.join's result
        real = target if self._linkless and not any(segment[0] == "." for segment in segments) else self._realpath(target)
        if not real.startswith(self._root + os.sep):
            raise WriteRefused(f"拒绝写入“{relative}”：它指向网站目录 {self.folder} 之外（来自：{source or '未知'}）")
        self._claimed[relative] = (source, target)
        return target

    def _realpath(self, path: str) -> str:
        """`os.path.realpath(path)` for a path inside the folder, with the folders on the way resolved
        once per build instead of once per file (≈ 11,500 pages, each in its own folder, share their
        parents): a name that is not a symbolic link resolves to itself under its resolved parent; a
        link is resolved in full."""
        if os.path.islink(path):
            return os.path.realpath(path)
        parent, name = os.path.split(path)
        real = self._real.get(parent)
        if real is None:
            real = self._real[parent] = self._realpath(parent)
        return os.path.join(real, name)

    def write(self, relative: str, data: bytes, source: str = "") -> Path:
        target = self.path(relative, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def check_folders(root: Path, site_dir: Path, sources: Mapping[str, Path]) -> None:
    """WriteRefused unless a build into `site_dir` can neither replace nor publish the project.

    `sources` names the folders and files a build reads (content, docs_dir, custom_dir, mkdocs.yml):
    the site folder must not be, contain or lie inside any of them, nor be the project folder or
    one of its parents; docs_dir and custom_dir (whose files MkDocs publishes) must lie inside the
    project and apart from the content folder.
    """
    root_given = root
    root = Path(os.path.realpath(root))
    site = Path(os.path.realpath(site_dir))
    real = {name: Path(os.path.realpath(path)) for name, path in sources.items()}
    if site == root or root.is_relative_to(site):
        raise WriteRefused(f"网站目录 {site} 不能是站点项目目录或它的上级目录：生成时会替换整个项目")
    if site.parent == site:
        raise WriteRefused(f"网站目录不能是根目录 {site}")
    for name, path in real.items():
        if _overlap(site, path):
            raise WriteRefused(f"网站目录 {site} 与{name}（{path}）重叠：生成时会覆盖或删除它，请改用单独的目录（如 site/）")
    content = real.get("内容目录")
    for name in ("docs_dir", "theme.custom_dir"):
        published = real.get(name)
        if published is None:
            continue
        # Named inside the project (it may be a symlink to a shared theme; its files are checked one by one).
        if not Path(os.path.abspath(sources[name])).is_relative_to(os.path.abspath(root_given)):
            raise WriteRefused(f"mkdocs.yml 的 {name}（{sources[name]}）必须在站点项目目录 {root} 之内：其中的文件会被发布")
        if content is not None and _overlap(published, content):
            raise WriteRefused(f"mkdocs.yml 的 {name}（{published}）与内容目录重叠：内容文件会未经检查原样发布")
    if is_foreign_site(site):
        raise WriteRefused(
            f"{site} 已存在且不是此前生成的网站（没有 index.html 和 sitemap.xml）：为免误删，请指定新的或空的网站目录"
        )


def beside_site_names(site_name: str) -> re.Pattern[str]:
    """The names of the folders a build of the site folder `site_name` makes beside it (`commands.build.beside_site`:
    its new tree, the old one, the base it updates, a search index's), whose group 1 is the process id."""
    return re.compile(rf"\.{re.escape(site_name)}\.(?:new|old|base)-([0-9]+)(?:-[0-9a-f]{{16}})?(?:\.search-[A-Za-z0-9_]+)?")


def is_foreign_site(site: Path) -> bool:
    """Whether `site` is something a build refuses to replace: a file, a link, or a non-empty folder that no build wrote
    (every build writes index.html and sitemap.xml)."""
    if not os.path.lexists(site):
        return False
    if site.is_symlink() or not site.is_dir():
        return True
    if not any(site.iterdir()):
        return False
    return not ((site / "index.html").is_file() and (site / "sitemap.xml").is_file())


def make_folders(root: Path, folder: Path, *, create: bool = True) -> Path:
    """Make `folder` and every folder between `root` and it, none of them a symbolic link:
    WriteRefused if one is a link or not a folder, or `folder` is not below `root`. With `create` false,
    only check that they are (FileNotFoundError when one is missing).

    A command that writes an editor's file under content/ (`new`, `import`, `review`, `withdraw`) writes only
    into real folders of the content folder: checking the resolved path of an existing folder left a missing
    one to be made through a linked parent (content/items → /elsewhere, and the year's folder made there), and
    a linked items/ or year's folder had `review` sign and rewrite a file of another folder of the machine."""
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        raise WriteRefused(f"{folder} 不在 {root} 之内") from None
    current = root
    for part in ("", *parts):
        if part in (".", ".."):
            raise WriteRefused(f"{folder} 不是 {root} 之内的普通路径")
        current = current / part if part else current
        if part and create:
            with contextlib.suppress(FileExistsError):
                os.mkdir(current)
        info = os.lstat(current) if part else os.stat(current)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise WriteRefused(f"{current} 是符号链接或不是文件夹")
    return folder


class FileChanged(Exception):
    """The file was changed by someone else between reading it and writing it back; nothing was written."""


class ReadOnlyFile(Exception):
    """The file to edit is read-only: whoever made it so meant it to stay as it is; nothing was written."""


# The system's reasons in Chinese: its own text (strerror) is English under the C locale a CI job or a service runs in.
_SYSTEM_REASONS = {
    errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已用完", errno.EFBIG: "超过了文件大小上限",
    errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "所在的文件系统是只读的",
    errno.ENAMETOOLONG: "文件名或路径过长", errno.ENOENT: "文件或目录不存在", errno.ENOTDIR: "路径中的某一级不是目录",
    errno.EISDIR: "这是一个目录", errno.EEXIST: "已经存在", errno.ELOOP: "符号链接循环", errno.EIO: "磁盘读写出错",
    errno.EBUSY: "正被占用", errno.ETXTBSY: "正被占用", errno.EMFILE: "打开的文件过多", errno.ENFILE: "打开的文件过多",
    errno.EXDEV: "不在同一个文件系统上", errno.EINVAL: "参数无效（文件名或文件系统不支持）",
    errno.EADDRINUSE: "地址已被占用", errno.EADDRNOTAVAIL: "本机没有这个地址",
    errno.ENOMEM: "内存不足",
}


def system_reason(exc: OSError) -> str:
    """What the system said about `exc`, in Chinese; an errno this table lacks by its number."""
    number = exc.errno or 0
    return _SYSTEM_REASONS.get(number) or (f"系统错误 {errno.errorcode.get(number, number)}" if number else type(exc).__name__)


def not_written(exc: OSError) -> str:
    """Why an editor's file could not be written, and what to do, in Chinese (after the file's name): the writers
    here leave the old file as it was and no half-written file behind."""
    return (f"无法写入（{system_reason(exc)}），文件保持原样，没有留下写了一半的文件："
            "请检查磁盘空间（`df -h`）和目录的写权限后重新运行")


READ_ONLY = "是只读文件（有人把它设为只读，不让它再被改动），没有写入：确需修改时先取消只读（`chmod u+w 文件`）再运行"


def _kept_mode(target: Path) -> int:
    """The mode a rewritten file keeps: an ordinary file's own permissions, never its set-id or sticky
    bits; anything else in its place (a committed link to /usr/bin/su or /dev/null, a device, nothing)
    is replaced by an ordinary file under the umask, not given the mode of what it pointed to."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return info.st_mode & 0o777
    return under_umask(0o666)


def under_umask(mode: int) -> int:
    """`mode` less the process's umask: what `open` or `mkdir` would give, for what tempfile makes private (0600
    files, 0700 folders). A site's files and folders must be readable by the web server's user."""
    return mode & ~_umask()


_UMASK_LINE = re.compile(r"^Umask:\s*([0-7]+)$", re.MULTILINE)
_umask_swap = threading.Lock()


def _umask() -> int:
    """The process's umask, read where Linux shows it: `os.umask` reads it only by setting another, and for that moment
    every thread's new files had that one (0: writable by anyone) — two threads reading it at once left 0 for good."""
    with contextlib.suppress(OSError):
        found = _UMASK_LINE.search(Path("/proc/self/status").read_text(encoding="ascii", errors="replace"))
        if found:
            return int(found[1], 8)
    with _umask_swap:  # elsewhere: set to the strictest for the moment it takes, one thread at a time
        umask = os.umask(0o077)
        os.umask(umask)
    return umask


def write_whole(target: Path, data: bytes | Iterable[bytes], mode: int | None = None,
                unchanged: bytes | None = None, durable: bool = True) -> None:
    """Write `data` (bytes, or chunks of them: a large file need never be whole in memory) to `target`
    so that readers see the old file or the whole new one, never half.

    `unchanged`: the bytes an edit of `target` started from. A command that edits an editor's file may
    wait long between reading and writing (ssh-keygen asks for a passphrase); a save made meanwhile
    must not be overwritten, so the file is compared again just before the rename: FileChanged if it
    no longer holds these bytes (or is gone, or became a link). A read-only `target` is not edited at
    all (ReadOnlyFile), though the rename could replace it.

    Through a temporary file beside it, renamed over it. The new file keeps the permissions of the ordinary file it
    replaces; a new file gets `mode`, or an ordinary file's mode under the umask. OSError on failure,
    with nothing left behind. `durable`: the new bytes reach the disk before the rename, and the rename
    before the call returns (a power cut must not leave an item signed a moment ago empty); a cache,
    which the next build makes again, need not wait for the disk.
    """
    if unchanged is not None and read_only(target):  # the rename below would replace it all the same
        raise ReadOnlyFile(str(target))
    if mode is None:
        mode = _kept_mode(target)
    handle, temporary = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                stream.writelines(data)
            if durable:
                _on_disk(stream)
        os.chmod(temporary, mode)
        if unchanged is not None and _current(target) != unchanged:
            raise FileChanged(str(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _folder_on_disk(target.parent)


def _on_disk(stream: BinaryIO) -> None:
    """The file's bytes written to the disk, not only to the kernel's cache: after a power cut a file renamed
    over another may otherwise be empty on some file systems."""
    stream.flush()
    os.fsync(stream.fileno())


def _folder_on_disk(folder: Path) -> None:
    """The folder's entries (a rename, a new name) written to the disk."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # a folder that cannot be opened for reading: the rename is done, only not yet on the disk
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems refuse to sync a folder
        pass
    finally:
        os.close(descriptor)


def write_new(target: Path, data: bytes) -> None:
    """Write `data` to `target`, which must not exist yet: FileExistsError if it does (a file saved there
    meanwhile, a link planted there, dangling or not, is never replaced or followed), else the whole file or
    none — a full disk, a file size limit or Ctrl+C leave no half-written file behind.

    Through a temporary file beside it, linked to the name (which fails if the name is taken) and removed.
    Where the file system has no hard links, the file is created exclusively and removed again on failure."""
    mode = under_umask(0o666)
    handle, temporary = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            _on_disk(stream)
        os.chmod(temporary, mode)
        try:
            os.link(temporary, target, follow_symlinks=False)
            _folder_on_disk(target.parent)
            return
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
    finally:
        Path(temporary).unlink(missing_ok=True)
    created = False
    try:
        with target.open("xb") as stream:
            created = True
            stream.write(data)
            _on_disk(stream)
    except BaseException:
        if created:
            target.unlink(missing_ok=True)
        raise


def _temporary_prefix(target: Path) -> str:
    """The start of the temporary file's name beside `target`: its name cut to 60 characters, so that a name near the
    system's limit (255 bytes: 81 Chinese characters) still leaves room for the dot, the random part and `.tmp`."""
    return f".{target.name[:60]}."


_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def read_only(target: Path) -> bool:
    """Whether `target` has no write permission for anyone (or none for us): root may write any file."""
    try:
        return not os.stat(target).st_mode & 0o222 or not os.access(target, os.W_OK)
    except OSError:
        return False  # gone: the comparison with `unchanged` says so


def _current(target: Path) -> bytes | None:
    """The bytes of `target` read without following a link; None when it is gone or not a plain file."""
    try:
        with os.fdopen(os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as stream:
            return stream.read()
    except OSError:
        return None
