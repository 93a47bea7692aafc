"""`gongkai new`: a new item with the next free 索引号 and a front-matter skeleton."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .catalog_options import implied_genres
from .fields import MAX_TITLE
from .git_repo import repository
from .invisible import CONTROL, INVISIBLE, describe
from .model import AUDIENCE_PARTY, PUBLIC, Category, Department, IndexNo
from .project import Project
from .writer import WriteRefused, make_folders, not_written, write_new

DEFAULT_GENRE = "通知"  # for a column that implies none
MAX_SERIAL = 99999  # a 索引号's serial has five digits
_SERIAL_NAME = re.compile(r"\d{4}-(\d{5})\.md")


class NewItemRefused(Exception):
    """The item cannot be created; the message is for the editor (Chinese)."""


def _suggest(key: str, names: list[str]) -> str:
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.3)
    return f"；是否想用：{'、'.join(close)}" if close else f"；可选：{'、'.join(names)}"


def next_index_no(project: Project, year: int) -> str:
    assert project.catalog is not None
    used = [
        (int(number.serial), item.path)
        for item in project.items
        if (number := IndexNo.parse(item.index_no)) and number.year == year and number.org == project.catalog.org_code
    ]
    used.extend(_named_serials(project, year))
    used.extend(_deleted_serials(project, year))
    last, path = max(used, default=(0, ""))
    if last >= MAX_SERIAL:  # a sixth digit makes a 索引号 no check accepts (GK108), and no file name `gongkai new` writes
        raise NewItemRefused(f"{year} 年的索引号流水号已用到 {last:05d}（{path}），五位流水号无法再分配："
                             "请核对该条目的索引号是否写错（流水号按发布顺序从 00001 起编）")
    return str(IndexNo(project.catalog.org_code, year, f"{last + 1:05d}"))


def _named_serials(project: Project, year: int) -> list[tuple[int, str]]:
    """The serials in the names of the year's item files (`2026-00037.md`, as `new` and `import` write them): a file
    the loader cannot read (over the size limit, not UTF-8) has no 索引号 to count, yet its name is taken. A link there
    is not counted: `place_item` names it, to be deleted."""
    folder = project.content_dir / "items" / f"{year:04d}"
    try:
        names = [entry.name for entry in os.scandir(folder) if not entry.is_symlink()]
    except OSError:
        return []
    return [(int(named[1]), project.rel(folder / name)) for name in names if (named := _SERIAL_NAME.fullmatch(name))
            and named[0].startswith(f"{year:04d}-")]


def _deleted_serials(project: Project, year: int) -> list[tuple[int, str]]:
    """The serials in the names of the year's item files the git history deleted: a 索引号 is never given twice, and
    an item taken down by deleting its file (not `gongkai withdraw`) left links, a 解读's `interprets`, a 反馈 and the
    readers' bookmarks naming it, which a new item under its number would answer. No repository: none."""
    folder = project.content_dir / "items" / f"{year:04d}"
    repo = repository(project.root)
    # `-z`: each name as it is; a line of git's names quotes one with any byte past ASCII ("内容/items/2021/…" came back
    # as "\345\206\205…/2021-00005.md\"", whose last part names no serial, and a deleted item's number was given again).
    # The folder's own deletions, and those of any `items/<year>/` of the history: content_dir moved (mkdocs.yml), the
    # items deleted from the old folder before the move were not in the new one's history, and their numbers came back.
    names = set()
    for where in (("--", project.rel(folder)), ()):
        listed = repo.run(project.root, "log", "--diff-filter=D", "--name-only", "-z", "--format=", "--end-of-options",
                          "HEAD", *where, timeout=60)
        for name in (listed or b"").decode("utf-8", "replace").split("\0"):
            parts = name.strip("\n").split("/")
            if where or parts[-3:-1] == ["items", f"{year:04d}"]:
                names.add(parts[-1])
    return [(int(named[1]), f"{project.rel(folder / name)}（已从 git 中删除）") for name in names
            if (named := _SERIAL_NAME.fullmatch(name)) and named[0].startswith(f"{year:04d}-")]


@dataclass(frozen=True)
class Placement:
    """Where a new item goes: its leaf category, department, 索引号 and file."""

    category: Category
    department: Department
    index_no: str
    path: Path


def place_item(project: Project, category: str, department: str, date: dt.date) -> Placement:
    """The catalog entries named (or NewItemRefused with suggestions) and the next free 索引号 and file."""
    catalog = project.catalog
    if catalog is None:
        raise NewItemRefused("catalog.yml 无法读取：请先运行 `gongkai check` 修正 catalog.yml")
    leaf = catalog.category(category)
    if leaf is None:
        raise NewItemRefused(f"主题分类“{category}”不是公开目录中的二级栏目" + _suggest(category, [c.name for c in catalog.categories]))
    dept = catalog.department(department)
    if dept is None:
        names = [d.name for d in catalog.departments]
        raise NewItemRefused(f"发布机构“{department}”不在 catalog.yml 的 departments 中" + _suggest(department, names))
    index_no = next_index_no(project, date.year)
    serial = index_no.rsplit("-", 1)[1]
    target = project.content_dir / "items" / f"{date.year:04d}" / f"{date.year:04d}-{serial}.md"
    if target.is_symlink():  # a link to nothing is no item, but the name is taken: every rerun would pick it again
        raise NewItemRefused(f"{project.rel(target)} 是一个符号链接（条目文件不能是链接），没有写入任何内容："
                             "请删除这个链接后重新运行 `gongkai new`")
    if target.exists():
        if project.rel(target) not in project.documents:
            raise NewItemRefused(f"{project.rel(target)} 已存在，但 gongkai 无法读取它：请先运行 `gongkai check` 查看并修正该文件")
        raise NewItemRefused(f"{project.rel(target)} 已存在：请检查该文件的 index_no 是否填写正确")
    return Placement(leaf, dept, index_no, target)


def _entry(key: str, value: str) -> str:
    """`key: value` and a line end, the value quoted when YAML needs it."""
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10000)


def _column_hint(leaf: Category) -> str:
    """What the column asks of every item and the skeleton cannot write for the editor, as comments: a 意见征集 column's
    item is a consultation or a 反馈 (else GK156), a 党内 column's items reach members only unless told."""
    hint = ""
    if leaf.feedback_days is not None:
        hint += ("# 本栏目是意见征集栏目，每条必须二选一（否则检查报 GK156）：征集公告写\n"
                 "#   consultation: {from: 开始日期, to: 截止日期, channels: [意见反馈渠道]}\n"
                 "# 采纳情况反馈写 feedback_for: 所答复征集公告的索引号。详见编辑手册“意见征集和采纳情况反馈”。\n")
    if leaf.audience == AUDIENCE_PARTY:
        hint += ("# 本栏目的信息默认仅向党员公开（只在党内网站上）；同时向社会公开的写 audience: 公众，\n"
                 "# 先党内、后党外的写 public_from: 向社会公开日期。详见编辑手册“党务公开”。\n")
    return hint


def create_item(project: Project, title: str, category: str, department: str, date: dt.date) -> Path:
    title = title.strip()
    if not title or "\n" in title:
        raise NewItemRefused("--title 不能为空，且只能是一行")
    if len(title) > MAX_TITLE:
        raise NewItemRefused(f"--title 有 {len(title):,} 个字，超过 {MAX_TITLE} 个字（GK122）：标题是公文标题，请精简")
    hidden = CONTROL.search(title) or INVISIBLE.search(title)
    if hidden:
        raise NewItemRefused(f"--title 中有看不见的字符 {describe(hidden[0])}（常见于从网页或 Word 复制的文字）：请删除后重新输入标题")
    placement = place_item(project, category, department, date)
    leaf, dept, index_no, target = placement.category, placement.department, placement.index_no, placement.path
    quoted_title = json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar: \ and " escaped
    genre = (implied_genres(leaf) or (DEFAULT_GENRE,))[0]
    text = (
        "---\n"
        f"title: {quoted_title}\n"
        f"index_no: {index_no}\n"
        # The catalog's names as YAML reads them back: quoted when they hold `: `, ` #`, a leading `*`, `'`, `@` …
        # (written as they are, `工作: 总结` broke the file and `办公室 #二` named the department 办公室).
        f"{_entry('category', leaf.name)}"
        f"{_entry('department', dept.name)}"
        f"published: {date.isoformat()}\n"
        f"disclosure: {PUBLIC}\n"
        f"{_entry('genre', genre)}"
        "# 可选项：written（成文日期）、doc_no（文号）、validity（有效性）、keywords（关键词）、\n"
        "# summary（内容概述）、interprets（解读对象）、attachments（附件）。详见编辑手册。\n"
        f"{_column_hint(leaf)}"
        "review: {}  # 保密审查：由初审人、复核人用 `gongkai review` 写入，请勿手工填写\n"
        "---\n"
        "\n"
        "（在此撰写正文）\n"
    )
    folder = target.parent
    try:  # every folder on the way a real one: a linked items/ would take the new year's folder elsewhere
        make_folders(project.content_dir, folder)
    except OSError as exc:
        raise NewItemRefused(f"{project.rel(folder)}: {not_written(exc)}") from None
    except WriteRefused:
        raise NewItemRefused(f"{project.rel(folder)} 或其上级目录是符号链接或不是文件夹（可能指向 content/ 之外），没有写入任何文件："
                             "请换成真实的目录") from None
    try:  # never over a file saved (or a link planted) there since it was placed; the whole skeleton or none
        write_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise NewItemRefused(f"{project.rel(target)} 已存在（刚刚有人保存了这个文件？），没有写入任何内容："
                             "请重新运行 `gongkai new`") from None
    except OSError as exc:  # a full disk, a folder without write permission: nothing is left behind
        raise NewItemRefused(f"{project.rel(target)}: {not_written(exc)}") from None
    return target

