"""A site's content as a whole: catalog, items and authored pages, read from content/."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import load_catalog, suggest_slug
from .catalog_options import SLUG
from .content_files import ContentFiles, scan_content
from .fields import MAX_TITLE, label
from .gc_pause import made_to_last
from .item_cache import ItemCache
from .items import to_item
from .limits import Limits
from .loading import SourceDocument, read_document
from .model import AUDIENCE_PUBLIC, Catalog, Item
from .problems import Problem
from .rules import ERROR, READING
from .values import as_text

PAGE_META = READING.rule(
    "GK008", ERROR,
    "页面（content/pages/）缺少标题、标题过长（全部页面的标题合计也有上限），或 order 不是整数",
    "在页面开头的元数据中写 `title: 页面标题`（不超过 300 个字，全部页面合计不超过 32,000 字），order 写整数",
)
PAGE_KEY = READING.rule(
    "GK026", ERROR,
    "页面（content/pages/）的元数据中有页面不用的键；有索引号、公开属性或保密审查的文件是条目，不是页面",
    "页面只写 title、order 和 lexicon_allow；条目放回 content/items/：页面不经保密审查就向社会公开，条目经两级审查签署后才发布",
)
PAGE_KEYS = ("title", "order", "lexicon_allow")
# Keys only an item has: a file holding one was written as an item (and maybe decided 不予公开 or 党内).
_ITEM_MARKS = ("index_no", "disclosure", "review", "audience", "published")
PAGE_NAME = READING.rule(
    "GK025", ERROR,
    "页面文件名（content/pages/ 下）不能用作网址：只能用小写英文字母、数字和连字符",
    "把文件改名，例如 about.md、apply-guide.md；文件名就是页面的网址 pages/<文件名>/",
)


@dataclass
class Page:
    """An authored page under content/pages/ (指南, 制度, 依申请公开 …)."""

    path: str
    slug: str  # path below pages/ without .md, e.g. "guide"
    title: str
    order: int
    body: str
    body_line: int
    document: SourceDocument | None = field(default=None, repr=False)  # for the scans of its front matter


@dataclass
class Project:
    root: Path
    content_dir: Path
    catalog: Catalog | None
    catalog_document: SourceDocument | None = None
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    limits: Limits = field(default_factory=Limits)
    item_cache: ItemCache | None = field(default=None, repr=False)  # what read its items, when cached (item_cache)

    @property
    def attachments_dir(self) -> Path:
        return self.content_dir / "attachments"

    @property
    def reports_dir(self) -> Path:
        return self.content_dir / "reports"

    def rel(self, file: Path) -> str:
        """Project-relative path with '/'; `root` is already resolved."""
        text = str(file)
        prefix = f"{self.root}{os.sep}"
        if os.sep == "/" and text.startswith(prefix):  # the files scan_content found: no Path to make
            return text[len(prefix):]
        file = file if file.is_absolute() else Path.cwd() / file
        try:
            return file.relative_to(self.root).as_posix()
        except ValueError:
            try:
                return file.resolve().relative_to(self.root).as_posix()
            except ValueError:
                return file.as_posix()

    def published_items(self, today: dt.date, audience: str = AUDIENCE_PUBLIC) -> list[Item]:
        """Items the readers of `audience` (the public unless told) may see (withdrawn ones as tombstones), newest first."""
        items = [item for item in self.items if item.is_published(today, audience)]
        return sorted(items, key=lambda item: (item.published, item.index_no), reverse=True)

    def item_by_index_no(self, index_no: str) -> Item | None:
        return self._by_index_no().get(index_no)

    def _by_index_no(self) -> dict[str, Item]:
        if not hasattr(self, "_index_cache"):
            self._index_cache = {item.index_no: item for item in self.items if item.index_no}
        return self._index_cache


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards that holds mkdocs.yml; the start folder if none does."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


def item_files(content_dir: Path) -> list[Path]:
    """The item files under content/items/, sorted; symlinks are not followed (the loader reports them)."""
    return scan_content(content_dir, str).items


def load_project(root: Path, content_dir: Path | None = None, files: Sequence[Path] | None = None,
                 limits: Limits | None = None, on_item: Callable[[], None] | None = None, cached: bool = False) -> Project:
    """The catalog, items and pages under `content_dir`; only the item files in `files` when given
    (the parallel check reads half the items in each process). `on_item` is called after each item file.
    `cached`: item files whose bytes were read before are taken from `.gongkai-cache/` (item_cache), and
    so, by the checks, are the problems of the families that read only their own file."""
    with made_to_last():  # the project lives as long as the command: its objects join the oldest generation unscanned
        return _load_project(root, content_dir, files, limits or Limits(), on_item, cached)


def _load_project(root: Path, content_dir: Path | None, files: Sequence[Path] | None, limits: Limits,
                  on_item: Callable[[], None] | None, cached: bool) -> Project:
    project, found = open_project(root, content_dir, limits, cached)
    read_content(project, found.items if files is None else files, found.pages, on_item)
    return project


def read_content(project: Project, files: Sequence[Path], pages: list[Path], on_item: Callable[[], None] | None = None) -> None:
    """Read the item `files` and the authored `pages` into a project `open_project` made."""
    read_items(project, files, on_item)
    link_interpretations(project)
    read_pages(project, pages)
    if project.item_cache is not None:
        project.item_cache.flush()


def open_project(root: Path, content_dir: Path | None, limits: Limits, cached: bool) -> tuple[Project, ContentFiles]:
    """The project with its catalog read and nothing else yet, and the content files found (items, pages)."""
    root = root.resolve()
    content_dir = (content_dir or root / "content").resolve()
    catalog, catalog_document, problems = load_catalog(content_dir, root, limits.item_bytes)
    cache = ItemCache.of(root) if cached else None
    project = Project(root, content_dir, catalog, catalog_document, problems=list(problems), limits=limits, item_cache=cache)
    project.files_read = 1
    found = scan_content(content_dir, project.rel)
    project.problems.extend(found.problems)
    return project, found


def read_items(project: Project, files: Sequence[Path], on_item: Callable[[], None] | None = None) -> list[SourceDocument]:
    """Read item files into the project (their documents, their items, the problems of reading them);
    the documents read, one for each item added. `on_item` is called after each file."""
    limit = project.limits.item_bytes
    cache = project.item_cache
    paths = [(file, project.rel(file)) for file in files]
    read = (read_document(file, rel, limit) for file, rel in paths) if cache is None else cache.read_files(paths, limit)
    documents = []
    for (_, rel), (document, problems) in zip(paths, read, strict=True):
        project.files_read += 1
        project.problems.extend(problems)
        if document is not None:
            project.documents[rel] = document
            project.items.append(to_item(document, project.catalog))
            documents.append(document)
        if on_item is not None:
            on_item()
    return documents


def link_interpretations(project: Project) -> None:
    """Fill each item's `interpreted_by` with the 索引号 of the 解读 that point at it (again, after an edit)."""
    by_index_no = {item.index_no: item for item in project.items if item.index_no}
    for item in project.items:
        item.interpreted_by.clear()
    for item in project.items:
        target = by_index_no.get(item.interprets) if item.interprets else None
        if target is not None:
            target.interpreted_by.append(item.index_no)


def read_pages(project: Project, files: list[Path]) -> None:
    """Read the authored pages under content/pages/ into the project."""
    project.pages = _load_pages(project, files)


# Every page's navigation lists every authored page by its title: their sum is printed on every page, as mkdocs.yml's
# texts are (GK534, the same bound). 200 pages of 300 characters made a site of 245 pages 57 MB (output ∝ pages²).
MAX_PAGE_TITLES = 32_000


def _load_pages(project: Project, files: list[Path]) -> list[Page]:
    pages = []
    titles = 0
    pages_dir = project.content_dir / "pages"
    for file in files:
        rel = project.rel(file)
        document, problems = read_document(file, rel, project.limits.item_bytes)
        project.files_read += 1
        project.problems.extend(problems)
        slug = file.relative_to(pages_dir).with_suffix("").as_posix()
        bad = [part for part in slug.split("/") if not SLUG.fullmatch(part)]
        if bad:  # the name becomes the page's URL: never a path that leaves pages/
            suggested = "/".join(suggest_slug(part) for part in slug.split("/"))
            project.problems.append(PAGE_NAME.at(rel, 1,
                f"页面文件名“{bad[0]}”不能用作网址：只能用小写英文字母、数字和连字符（-），且以字母或数字开头；"
                f"请改名，例如 {suggested}.md"))
            continue
        if document is None:
            continue
        title = as_text(document.meta.get("title"))
        order = document.meta.get("order", 100)
        if not title:
            project.problems.append(PAGE_META.at(rel, 1, "页面缺少 title（标题）"))
            continue
        if len(title) > MAX_TITLE:  # in every page's navigation: bounded as an item's title is
            project.problems.append(PAGE_META.at(rel, document.line_of("title"),
                f"页面标题有 {len(title):,} 个字，超过 {MAX_TITLE} 个字：标题印在网站每一页的导航中，请改短"))
            continue
        titles += len(title)
        if titles > MAX_PAGE_TITLES:
            project.problems.append(PAGE_META.at(rel, document.line_of("title"),
                f"页面的标题合计超过 {MAX_PAGE_TITLES:,} 字，这一页未发布：每个页面的导航都列出全部页面的标题，"
                "页面越多，网站的每一页越大；请合并页面，或把逐条发布的信息改为条目（content/items/）"))
            continue
        if not isinstance(order, int) or isinstance(order, bool):
            project.problems.append(PAGE_META.at(rel, document.line_of("order"), "order 必须是整数（排序号）"))
            order = 100
        project.problems.extend(_page_keys(document))
        pages.append(Page(rel, slug, title, order, document.body, document.body_line, document))
    return sorted(pages, key=lambda page: (page.order, page.slug))


def _page_keys(document: SourceDocument) -> list[Problem]:
    """GK026 for each key of a page's front matter that pages do not use. A page is published to the public
    as it is, unreviewed: an item moved or copied under pages/ (its 不予公开, 党内 or later date and its
    review block ignored) would publish its body; a key a page does not use is never silently ignored."""
    unknown = [key for key in document.meta if key not in PAGE_KEYS]
    if not unknown:
        return []
    item_keys = [key for key in unknown if key in _ITEM_MARKS]
    if item_keys:
        named = "、".join(f"{label(key)}" for key in item_keys)
        return [PAGE_KEY.at(document.path, document.line_of(item_keys[0]),
                            f"这个文件有{named}，是条目而不是页面：content/pages/ 下的页面不经保密审查就向社会公开，"
                            "条目的公开属性、公开范围、发布日期和审查记录在这里都不起作用；请把它移回 content/items/")]
    return [PAGE_KEY.at(document.path, document.line_of(key),
                        f"页面元数据中的 {key} 不起作用：页面只用 {'、'.join(PAGE_KEYS)}；请删除它") for key in unknown]
