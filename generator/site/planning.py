"""Project → the plan of the public site: every page, the navigation, the feeds, the copied files.

Only published items (主动公开, dated today or earlier) enter the plan, and a withdrawn item
enters without its body, summary and attachments; everything downstream (templates, feeds,
sitemap, search) reads the plan, so nothing else can leak. The plan is linear in the number
of items: every page holds a bounded number of entries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from ..attachments import Resolved, resolve
from ..model import Attachment, Catalog, Item
from ..project import Project
from ..registers.supervision import PROPOSAL_COLUMN
from .options import SiteOptions
from .pages import (
    ArticlePage,
    AttachmentView,
    CountedLink,
    DirectoryGroup,
    DirectoryPage,
    Entry,
    Feed,
    HomePage,
    ItemPage,
    Link,
    ListingPage,
    NavNode,
    ProposalStatus,
    ProposalYear,
    PublishedFile,
    SearchPage,
    SitePage,
)
from .proposals import proposal_statuses, proposal_years
from .reports import report_assets, report_pages
from .views import item_view

HOME = Link("首页", "")
CATALOG = Link("法定主动公开内容", "catalog/")
DEPARTMENTS = Link("发布机构", "departments/")
YEARS = Link("发布年份", "years/")
REPORTS = Link("政府信息公开工作年度报告", "report/")
SEARCH = Link("站内搜索", "search/")
# Where the generated entries sit among the authored pages of the 政府信息公开 section
# (authored pages sort by their `order`: 指南 and 制度 before, 依申请公开 after).
CATALOG_ORDER = 30
REPORTS_ORDER = 40

@dataclass
class SitePlan:
    org_name: str
    pages: list[SitePage]
    nav: tuple[NavNode, ...]
    feeds: tuple[Feed, ...]
    files: tuple[PublishedFile, ...]
    assets: dict[str, str]  # generated text files: site path → content

    def items(self) -> list[ItemPage]:
        return [page for page in self.pages if isinstance(page, ItemPage)]


def plan_site(project: Project, today: dt.date, options: SiteOptions) -> SitePlan:
    catalog = project.catalog
    if catalog is None:
        raise ValueError("plan_site needs a project whose catalog loaded without errors")
    published = project.published_items(today)
    entries = {item.index_no: _entry(item) for item in published}
    by_category: dict[str, list[Entry]] = defaultdict(list)
    by_department: dict[str, list[Entry]] = defaultdict(list)
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for item in published:  # newest first, so every list below is too
        assert item.category and item.department and item.published
        entry = entries[item.index_no]
        by_category[item.category.slug].append(entry)
        by_department[item.department.slug].append(entry)
        by_year[item.published.year].append(entry)

    pages: list[SitePage] = []
    statuses = proposal_statuses(project, today)
    pages.extend(_item_page(project, item, entries, today, statuses.get(item.index_no)) for item in published)

    catalog_groups = _catalog_groups(catalog, by_category)
    pages.append(
        DirectoryPage(
            CATALOG.url, CATALOG.title, (HOME,),
            intro="按照《中华人民共和国政府信息公开条例》第二十条，本机关主动公开的政府信息按以下目录分类发布。",
            groups=catalog_groups,
        )
    )
    for group, directory in zip(catalog.groups, catalog_groups):
        pages.append(DirectoryPage(directory.url, group.name, (HOME, CATALOG), groups=(directory,)))
        for leaf in group.children:
            crumbs = (HOME, CATALOG, Link(group.name, directory.url))
            pages.extend(
                _listing(
                    f"catalog/{leaf.slug}/", leaf.name, crumbs, by_category[leaf.slug], options,
                    feed_url=f"catalog/{leaf.slug}/feed.xml", description=f"{group.name} › {leaf.name}",
                    proposals=proposal_years(project, today) if leaf.name == PROPOSAL_COLUMN else (),
                )
            )

    department_links = tuple(
        CountedLink(d.name, f"departments/{d.slug}/", len(by_department[d.slug])) for d in catalog.departments
    )
    pages.append(DirectoryPage(DEPARTMENTS.url, "按发布机构浏览", (HOME,), groups=(DirectoryGroup("", "", department_links),)))
    for department in catalog.departments:
        pages.extend(
            _listing(f"departments/{department.slug}/", department.name, (HOME, DEPARTMENTS), by_department[department.slug], options)
        )

    years = sorted(by_year, reverse=True)
    year_links = tuple(CountedLink(f"{year}年", f"years/{year}/", len(by_year[year])) for year in years)
    pages.append(DirectoryPage(YEARS.url, "按发布年份浏览", (HOME,), groups=(DirectoryGroup("", "", year_links),)))
    for year in years:
        pages.extend(_listing(f"years/{year}/", f"{year}年", (HOME, YEARS), by_year[year], options))

    articles = [
        ArticlePage(f"pages/{page.slug}/", page.title, (HOME,), source_path=_content_path(project, page.path), markdown=page.body)
        for page in project.pages
    ]
    pages.extend(articles)
    pages.extend(report_pages(project, today, REPORTS, (HOME,)))
    pages.append(SearchPage(SEARCH.url, SEARCH.title, (HOME,)))

    # The 政府信息公开 section: authored pages and the two generated ones, in `order`.
    ordered = [(page.order, 0, Link(article.title, article.url)) for page, article in zip(project.pages, articles)]
    ordered += [(CATALOG_ORDER, 1, CATALOG), (REPORTS_ORDER, 1, REPORTS)]
    disclosure = tuple(link for _, _, link in sorted(ordered, key=lambda entry: (entry[0], entry[1])))

    latest = tuple(entry for entry in entries.values() if not entry.withdrawn)[: options.home_latest]
    pages.insert(
        0,
        HomePage(
            "", catalog.org_name, org_name=catalog.org_name, latest=latest, catalog=catalog_groups,
            disclosure_links=disclosure, total=len(published),
        ),
    )

    nav = _nav(catalog, disclosure, department_links, year_links)
    feeds = _feeds(catalog, entries, by_category, options)
    files = _published_files(project, published)
    return SitePlan(catalog.org_name, pages, nav, feeds, files, report_assets())


def _entry(item: Item) -> Entry:
    assert item.category and item.department and item.published
    return Entry(
        title=item.title,
        url=item.url,
        published=item.published,
        index_no=item.index_no,
        doc_no=item.doc_no,
        category=item.category.name,
        department=item.department.name,
        validity=item.validity,
        withdrawn=item.withdrawn is not None,
        summary="" if item.withdrawn is not None else item.summary,
    )


def _content_path(project: Project, root_relative: str) -> str:
    """A project path (content/items/…) as a path below content/ (items/…)."""
    absolute = (project.root / root_relative).resolve()
    return absolute.relative_to(project.content_dir).as_posix()


def _item_page(
    project: Project, item: Item, entries: dict[str, Entry], today: dt.date, proposal: ProposalStatus | None
) -> ItemPage:
    assert item.category and item.department
    withdrawn = item.withdrawn is not None
    interprets = entries.get(item.interprets) if item.interprets else None
    # Only published 解读 may be linked: a scheduled one must leave no trace, not even its title.
    interpretations = tuple(
        Link(entries[number].title, entries[number].url) for number in item.interpreted_by if number in entries
    )
    return ItemPage(
        item.url,
        item.title,
        (HOME, CATALOG, Link(item.category.group, f"catalog/{item.category.group_slug}/"),
         Link(item.category.name, f"catalog/{item.category.slug}/")),
        view=item_view(item, today),
        source_path=_content_path(project, item.path),
        entry=entries[item.index_no],
        markdown="" if withdrawn else item.body,
        attachments=() if withdrawn else _attachment_views(project, item),
        interprets=Link(interprets.title, interprets.url) if interprets else None,
        interpretations=interpretations,
        category_url=f"catalog/{item.category.slug}/",
        department_url=f"departments/{item.department.slug}/",
        proposal=None if withdrawn else proposal,
    )


def _attachment_views(project: Project, item: Item) -> tuple[AttachmentView, ...]:
    views = []
    for attachment, resolved in _publishable(project, item):
        views.append(
            AttachmentView(
                attachment.title or resolved.path.name,
                "attachments/" + quote(resolved.file),
                resolved.label,
                _human_size(resolved.size),
            )
        )
    return tuple(views)


def _publishable(project: Project, item: Item) -> Iterator[tuple[Attachment, Resolved]]:
    """The item's attachments the resolver lets out (size aside: the checks refuse a build over the limit)."""
    for attachment in item.attachments:
        resolved = resolve(project.attachments_dir, attachment.file)
        if resolved.publishable:
            yield attachment, resolved


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _catalog_groups(catalog: Catalog, by_category: dict[str, list[Entry]]) -> tuple[DirectoryGroup, ...]:
    return tuple(
        DirectoryGroup(
            group.name,
            f"catalog/{group.slug}/",
            tuple(CountedLink(leaf.name, f"catalog/{leaf.slug}/", len(by_category[leaf.slug])) for leaf in group.children),
        )
        for group in catalog.groups
    )


def _listing(
    url: str,
    heading: str,
    crumbs: tuple[Link, ...],
    entries: list[Entry],
    options: SiteOptions,
    *,
    feed_url: str = "",
    description: str = "",
    proposals: tuple[ProposalYear, ...] = (),
) -> list[ListingPage]:
    size = options.page_size
    count = max(1, -(-len(entries) // size))
    urls = tuple(url if number == 1 else f"{url}page/{number}/" for number in range(1, count + 1))
    pages = []
    for number, page_url in enumerate(urls, start=1):
        title = heading if number == 1 else f"{heading}（第{number}页）"
        pages.append(
            ListingPage(
                page_url, title, crumbs, heading=heading, entries=tuple(entries[(number - 1) * size : number * size]),
                total=len(entries), number=number, pages=urls, feed_url=feed_url, description=description,
                proposal_years=proposals if number == 1 else (),
            )
        )
    return pages


def _nav(
    catalog: Catalog,
    disclosure: tuple[Link, ...],
    departments: tuple[CountedLink, ...],
    years: tuple[CountedLink, ...],
) -> tuple[NavNode, ...]:
    """Sections and categories only — never items, which would make every page O(N)."""
    catalog_node = NavNode(
        CATALOG.title,
        CATALOG.url,
        tuple(
            NavNode(group.name, f"catalog/{group.slug}/", tuple(NavNode(leaf.name, f"catalog/{leaf.slug}/") for leaf in group.children))
            for group in catalog.groups
        ),
    )
    section = tuple(catalog_node if link is CATALOG else NavNode(link.title, link.url) for link in disclosure)
    return (
        NavNode(HOME.title, HOME.url),
        NavNode("政府信息公开", None, section),
        NavNode(DEPARTMENTS.title, DEPARTMENTS.url, tuple(NavNode(link.title, link.url) for link in departments)),
        NavNode(YEARS.title, YEARS.url, tuple(NavNode(link.title, link.url) for link in years)),
        NavNode(SEARCH.title, SEARCH.url),
    )


def _feeds(
    catalog: Catalog, entries: dict[str, Entry], by_category: dict[str, list[Entry]], options: SiteOptions
) -> tuple[Feed, ...]:
    """The latest items overall and per category; withdrawn items are not news."""

    def latest(source) -> tuple[Entry, ...]:
        return tuple(entry for entry in source if not entry.withdrawn)[: options.feed_size]

    feeds = [Feed("feed.xml", f"{catalog.org_name} 最新公开信息", HOME.url, latest(entries.values()))]
    for leaf in catalog.categories:
        feeds.append(
            Feed(f"catalog/{leaf.slug}/feed.xml", f"{catalog.org_name} {leaf.name}", f"catalog/{leaf.slug}/", latest(by_category[leaf.slug]))
        )
    return tuple(feeds)


def _published_files(project: Project, published: list[Item]) -> tuple[PublishedFile, ...]:
    """Attachments of published, not withdrawn items, each once; only what the resolver lets out."""
    files: dict[str, PublishedFile] = {}
    for item in published:
        if item.withdrawn is not None:
            continue
        for _, resolved in _publishable(project, item):
            files.setdefault(resolved.file, PublishedFile(resolved.file, f"attachments/{resolved.file}"))
    return tuple(files[key] for key in sorted(files))
