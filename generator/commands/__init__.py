"""The commands of `gongkai`, one module each, as MkDocs keeps its own in `mkdocs/commands/`.

A command module does one command's work for the site at hand: it reads what it needs through the
core (settings, content, checks, site plan …) and returns what it found or made, or raises
`Refused` with a Chinese message. `cli.py` only declares the options, prints and picks the exit
code; nothing here knows click.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .. import path_probe
from ..problems import NOT_SHOWN, printable
from ..project import Project, find_root, load_project
from ..settings import Settings


class Refused(Exception):
    """A command that cannot do its work; the message (Chinese) says why and what to do."""


def site_settings(root: Path | None = None) -> Settings:
    """The settings of the site at `root` (default: the one around the working directory), read from
    mkdocs.yml as `gongkai build` reads them; Refused when they are unusable."""
    from ..site_config import SettingsError, load_settings

    try:
        settings = load_settings(root or find_root())
    except SettingsError as exc:
        raise Refused(str(exc)) from None
    if not path_probe.is_dir(settings.content_dir):
        raise Refused(f"找不到内容目录 {settings.content_dir}：请检查 mkdocs.yml 中 gongkai 插件的 content_dir，"
                      "并在站点根目录（mkdocs.yml 所在目录）运行")
    return settings


def site_project(settings: Settings) -> Project:
    """The site's content, read with its configured limits."""
    return load_project(settings.root, settings.content_dir, limits=settings.limits)


def output_file(settings: Settings, target: Path, example: str = "自查报告.html") -> Path:
    """`target` unless it is, or links to, a file the site is made from: the content (a signed item, catalog.yml, the
    report data the report is computed from), mkdocs.yml, or a folder MkDocs publishes as it is (an audit there would
    go on the site). Replaced, it would be lost unless committed; `report -o` is one tab-completion away from one.
    `example` is the file name the messages suggest, one of the command's own."""
    from ..site_config import CONFIG_FILE

    if not str(target).strip() or str(target) == "." or path_probe.is_dir(target):  # `-o ""`: an unset variable
        raise Refused(f"--output “{printable(str(target))}”不是文件名：请写出要写入的文件，例如 --output {example}")
    if NOT_SHOWN.search(str(target)):  # the report's file would be named with a line break or a terminal control
        raise Refused(f"--output “{printable(str(target))}”中有换行、控制字符或双向控制符："
                      f"请换一个普通的文件名，例如 --output {example}")
    try:
        where = Path(os.path.realpath(target))
    except (OSError, ValueError):
        return target  # no such path can be written: write_output says why
    root = settings.root.resolve()
    if where == root / CONFIG_FILE:
        what = "是站点配置 mkdocs.yml"
    else:
        folders = [folder.resolve() for folder in (settings.content_dir, settings.docs_dir, settings.theme_dir) if folder]
        inside = next((folder for folder in folders if where.is_relative_to(folder)), None)
        if inside is None:
            return target
        what = f"在 {inside.relative_to(root).as_posix() if inside.is_relative_to(root) else inside}/ 中"
    raise Refused(f"{printable(str(target))} {printable(what)}：报告不能写进生成网站所用的内容、配置或主题目录"
                  f"（会覆盖编辑的文件，或被当作内容发布）；请写到其他位置，例如 --output {example}")


def write_output(target: Path, data: bytes) -> None:
    """A command's output file, written whole or not at all (an existing file is replaced); a terminal, a pipe or
    a device (`--output /dev/stdout`) is written into, as the shell's `>` would, not replaced by a file."""
    from ..writer import READ_ONLY, read_only, write_whole

    folder = target.parent if str(target.parent) else Path(".")
    if not path_probe.is_dir(folder):
        raise Refused(f"无法写入 {target}：目录 {folder} 不存在")
    if read_only(target):  # the rename would replace it all the same, as it replaces a link there (not followed)
        raise Refused(f"{target} {READ_ONLY}")
    try:
        if _is_stream(target):  # renamed over, /dev/stdout (a link) or /dev/null would become a file of the report
            with open(target, "wb") as stream:
                stream.write(data)
        else:
            write_whole(target, data)
    except OSError as exc:
        from ..writer import system_reason

        hint = ("请清理磁盘（`df -h` 查看）后重新运行" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else
                "请检查路径和写权限；文件是否正被 Word 或 WPS 打开？")
        raise Refused(f"无法写入 {target}：{system_reason(exc)}，原有的文件保持不变（{hint}）") from None


def _is_stream(target: Path) -> bool:
    """Whether `target` is, or links to, something other than a file or a folder: a terminal, a pipe, a device."""
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def item_file(settings: Settings, file: Path) -> Path:
    """`file` (absolute or from the working directory) if it is an item's Markdown file under
    content/items/; Refused otherwise, so review, withdraw, diff and preview never write or read
    anything else. Links are left to the reading, which refuses them."""
    absolute = file if file.is_absolute() else Path.cwd() / file
    items = settings.content_dir / "items"
    try:
        inside = absolute.parent.resolve().relative_to(items.resolve())
    except (OSError, ValueError):
        inside = None
    if inside is None or absolute.suffix != ".md" or ".." in inside.parts:
        raise Refused(f"{file}: 不是条目文件：这个命令只处理 {items.relative_to(settings.root).as_posix()}/ 下的 .md 文件"
                      "（例如 content/items/2026/2026-00001.md）")
    if any(NOT_SHOWN.search(part) for part in (*inside.parts, absolute.name)):  # the check never reads it: GK030
        raise Refused(f"{printable(str(file))}: 文件名或目录名中有换行、控制字符、双向控制符或不是 UTF-8 的字节（GK030）："
                      "gongkai 不读取这样的文件，这个命令也不处理它；请把它改名为普通的文字、数字和连字符")
    from ..writer import WriteRefused, make_folders

    folder = settings.content_dir / "items" / inside
    try:  # items/ and the year's folder themselves, not only what they resolve to: a link would lead elsewhere
        make_folders(settings.content_dir, folder, create=False)
    except (WriteRefused, OSError):
        raise Refused(f"{file}: content/items/ 或其下的目录是符号链接（可能指向站点项目之外）或不是文件夹（GK011）："
                      "这个命令不会读写其中的文件；请换成真实的目录") from None
    return folder / absolute.name
