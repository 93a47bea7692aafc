"""Project → the plan of a site: every page, the navigation, the feeds, the copied files.

A site is built for one audience: the public (公众), or party members (党内: everything public
plus the members-only items). Only items published to that audience (主动公开, dated today or
earlier, `Item.is_published`) enter the plan, and a withdrawn item enters without its body,
summary and attachments; everything downstream (templates, feeds, sitemap, search) reads the
plan, so nothing else can leak. The plan is linear in the number of items: every page holds a
bounded number of entries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from ..attachments import Resolved, checked_stamp, resolve
from ..consultations import answers, state
from ..model import AUDIENCE_PUBLIC, Attachment, Catalog, CategoryGroup, Item
from ..periodic import schedule
from ..periods import EVERY_LABELS, parse_period
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
    PeriodRow,
    ProposalStatus,
    ProposalYear,
    PublishedFile,
    SearchPage,
    SeriesPage,
    SitePage,
)
from .proposals import proposal_statuses, proposal_years
from .reports import report_assets, report_pages
from .views import ItemView, WithdrawnView, item_view

# What an item page may show of an item on a day to an audience: `item_view` (the preview has its own).
ViewOf = Callable[[Item, dt.date, str], ItemView | WithdrawnView]

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


def plan_site(
    project: Project, today: dt.date, options: SiteOptions, audience: str = AUDIENCE_PUBLIC, *,
    items: list[Item] | None = None, view: ViewOf = item_view,
) -> SitePlan:
    """The site for readers of `audience` on `today`. Only the preview (generator/preview) passes `items`
    (every item it can place, newest first) and `view` (its own views of them): a build always plans the
    items published to its audience."""
    catalog = project.catalog
    if catalog is None:
        raise ValueError("plan_site needs a project whose catalog loaded without errors")
    published = project.published_items(today, audience) if items is None else items
    entries = {item.index_no: _entry(item, today, audience) for item in published}
    by_category: dict[str, list[Entry]] = defaultdict(list)
    by_department: dict[str, list[Entry]] = defaultdict(list)
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for item in published:  # newest first, so every list below is too
        assert item.category and item.department and item.published
        entry = entries[item.index_no]
        by_category[item.category.slug].append(entry)
        by_department[item.department.slug].append(entry)
        by_year[item.published.year].append(entry)
    catalog = _shown(catalog, by_category, audience)

    series_pages = _series_pages(catalog, published, entries, today, audience)
    series_of: dict[str, list[Link]] = defaultdict(list)
    for page in series_pages:
        if page.column is not None:
            series_of[page.column.url].append(Link(page.title, page.url))
    series_links = {link.title: link for links in series_of.values() for link in links}
    replies = answers(published)

    pages: list[SitePage] = []
    statuses = proposal_statuses(project, today)
    prefix = _content_prefix(project)
    pages.extend(_item_page(project, item, entries, today, audience, replies, series_links, statuses.get(item.index_no),
                            view, prefix) for item in published)

    catalog_groups = _catalog_groups(catalog, by_category)
    pages.append(
        DirectoryPage(
            CATALOG.url, CATALOG.title, (HOME,),
            intro="按照《中华人民共和国政府信息公开条例》第二十条，本机关主动公开的政府信息按以下目录分类发布。",
            groups=tuple(directory for group, directory in zip(catalog.groups, catalog_groups, strict=True) if not group.party),
        )
    )
    for group, directory in zip(catalog.groups, catalog_groups, strict=True):
        section = _section(group)
        pages.append(DirectoryPage(directory.url, group.name, section[:-1], groups=(directory,)))
        for leaf in group.children:
            url = f"catalog/{leaf.slug}/"
            pages.extend(
                _listing(
                    url, leaf.name, section, by_category[leaf.slug], options,
                    feed_url=f"{url}feed.xml", description=f"{group.name} › {leaf.name}", series=tuple(series_of[url]),
                    proposals=proposal_years(project, today) if leaf.name == PROPOSAL_COLUMN else (),
                )
            )
    pages.extend(series_pages)

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
        ArticlePage(f"pages/{page.slug}/", page.title, (HOME,), source_path=_content_path(project, page.path),
                    markdown=page.body)
        for page in project.pages
    ]
    pages.extend(articles)
    pages.extend(report_pages(project, today, REPORTS, (HOME,)))
    if options.search:
        pages.append(SearchPage(SEARCH.url, SEARCH.title, (HOME,)))

    # The 政府信息公开 section: authored pages and the two generated ones, in `order`.
    ordered = [(page.order, 0, Link(article.title, article.url)) for page, article in zip(project.pages, articles, strict=True)]
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

    nav = _nav(catalog, disclosure, department_links, year_links, search=options.search)
    feeds = _feeds(catalog, entries, by_category, options, members=audience != AUDIENCE_PUBLIC)
    files = _published_files(project, published)
    return SitePlan(catalog.org_name, pages, nav, feeds, files, report_assets())


def _shown(catalog: Catalog, by_category: dict[str, list[Entry]], audience: str) -> Catalog:
    """The catalog as this site shows it: on the public site a 党内 column appears once it has a public
    item (it depends on the site's own items only, so it tells nothing of the hidden ones)."""
    if audience != AUDIENCE_PUBLIC:
        return catalog
    groups = []
    for group in catalog.groups:
        children = tuple(leaf for leaf in group.children if leaf.audience == AUDIENCE_PUBLIC or by_category.get(leaf.slug))
        if children:
            groups.append(dataclasses.replace(group, children=children))
    return dataclasses.replace(catalog, groups=tuple(groups))


def _section(group: CategoryGroup) -> tuple[Link, ...]:
    """Breadcrumbs down to a group's page: 党务公开 stands beside the 政府信息公开目录, not in it."""
    url = f"catalog/{group.slug}/"
    return (HOME, Link(group.name, url)) if group.party else (HOME, CATALOG, Link(group.name, url))


def _entry(item: Item, today: dt.date, audience: str) -> Entry:
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
        members_only=not item.reaches(AUDIENCE_PUBLIC, today),
        consultation=state(item.consultation, today).label if item.consultation and item.withdrawn is None else "",
        reached=item.published if audience != AUDIENCE_PUBLIC else item.public_since,
    )


def _content_path(project: Project, root_relative: str, prefix: str | None = None) -> str:
    """A project path (content/items/…) as a path below content/ (items/…); `prefix` is `_content_prefix`'s."""
    # The loader names files below content_dir by their path from the root, so the prefix says it
    # without asking the file system (10,000 items: 0.4 s less).
    if prefix and root_relative.startswith(prefix) and "/../" not in f"/{root_relative}/":
        return root_relative[len(prefix):]
    absolute = (project.root / root_relative).resolve()
    return absolute.relative_to(project.content_dir).as_posix()


def _content_prefix(project: Project) -> str | None:
    """content_dir as a project path with a trailing '/' (both are resolved), or None if it lies elsewhere."""
    if not project.content_dir.is_relative_to(project.root):
        return None
    return f"{project.content_dir.relative_to(project.root).as_posix()}/"


def _item_page(
    project: Project, item: Item, entries: dict[str, Entry], today: dt.date, audience: str,
    replies: dict[str, list[Item]], series_links: dict[str, Link], proposal: ProposalStatus | None,
    view: ViewOf, prefix: str | None,
) -> ItemPage:
    assert item.category and item.department
    withdrawn = item.withdrawn is not None
    interprets = entries.get(item.interprets) if item.interprets else None
    # Only items of this site may be linked: a scheduled or members-only one must leave no trace, not even its title.
    interpretations = tuple(
        Link(entries[number].title, entries[number].url) for number in item.interpreted_by if number in entries
    )
    answered = entries.get(item.feedback_for) if item.feedback_for else None
    group = Link(item.category.group, f"catalog/{item.category.group_slug}/")
    series = series_links.get(item.series) if item.series else None
    return ItemPage(
        item.url,
        item.title,
        ((HOME, group) if item.category.party else (HOME, CATALOG, group))
        + (Link(item.category.name, f"catalog/{item.category.slug}/"),),
        view=view(item, today, audience),
        source_path=_content_path(project, item.path, prefix),
        entry=entries[item.index_no],
        # The body as read, not a copy: 100,000 copies held through the build cost 345 MB. Pages render signed_body of
        # it (what the reviewers signed, no more): `on_page_markdown`, and the check's views (`body_views`).
        markdown="" if withdrawn else item.body,
        attachments=() if withdrawn else _attachment_views(project, item),
        interprets=Link(interprets.title, interprets.url) if interprets else None,
        interpretations=interpretations,
        category_url=f"catalog/{item.category.slug}/",
        department_url=f"departments/{item.department.slug}/",
        proposal=None if withdrawn else proposal,
        consultation=state(item.consultation, today) if item.consultation and not withdrawn else None,
        channels=item.consultation.channels if item.consultation and not withdrawn else (),
        feedback=tuple(Link(reply.title, reply.url) for reply in replies.get(item.index_no, ()) if reply.index_no in entries),
        feedback_for=Link(answered.title, answered.url) if answered else None,
        series=series,
        period=_period_label(project, item) if series else "",
    )


def _period_label(project: Project, item: Item) -> str:
    series = project.catalog.series_named(item.series) if project.catalog else None
    period = parse_period(item.period, series.every) if series else None
    return period.label if period else item.period


def _series_pages(
    catalog: Catalog, published: list[Item], entries: dict[str, Entry], today: dt.date, audience: str
) -> list[SeriesPage]:
    """A page per periodic series: its periods as this site's readers see them (only its items count,
    so a hidden item changes nothing on the page), newest first."""
    pages = []
    for series in catalog.series:
        column = catalog.category(series.column)
        if column is None:
            continue
        rows = []
        for record in schedule(series, catalog, published, today, audience):
            if record.published is None and not record.missing:
                continue  # not due yet
            first = entries.get(record.items[0].index_no) if record.published is not None else None
            rows.append(PeriodRow(
                record.period.label, record.due, record.published, record.state, record.days_late,
                Link(first.title, first.url) if first else None,
            ))
        group = catalog.group(column.group_slug)
        crumbs = _section(group) if group else (HOME,)
        pages.append(SeriesPage(
            f"series/{series.slug}/", series.name, crumbs + (Link(column.name, f"catalog/{column.slug}/"),),
            every=EVERY_LABELS[series.every],
            rule=f"批复后 {series.due_days} 天内" if series.due_days else series.due,
            column=Link(column.name, f"catalog/{column.slug}/"), rows=tuple(reversed(rows)),
        ))
    return pages


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
    series: tuple[Link, ...] = (),
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
                series=series,
            )
        )
    return pages


def _nav(
    catalog: Catalog,
    disclosure: tuple[Link, ...],
    departments: tuple[CountedLink, ...],
    years: tuple[CountedLink, ...],
    *,
    search: bool,
) -> tuple[NavNode, ...]:
    """Sections and categories only — never items, which would make every page O(N)."""
    def node(group: CategoryGroup) -> NavNode:
        return NavNode(group.name, f"catalog/{group.slug}/", tuple(NavNode(leaf.name, f"catalog/{leaf.slug}/") for leaf in group.children))

    catalog_node = NavNode(CATALOG.title, CATALOG.url, tuple(node(group) for group in catalog.groups if not group.party))
    section = tuple(catalog_node if link is CATALOG else NavNode(link.title, link.url) for link in disclosure)
    return (
        NavNode(HOME.title, HOME.url),
        NavNode("政府信息公开", None, section),
        *(node(group) for group in catalog.groups if group.party),
        NavNode(DEPARTMENTS.title, DEPARTMENTS.url, tuple(NavNode(link.title, link.url) for link in departments)),
        NavNode(YEARS.title, YEARS.url, tuple(NavNode(link.title, link.url) for link in years)),
        *((NavNode(SEARCH.title, SEARCH.url),) if search else ()),
    )


def _feeds(
    catalog: Catalog, entries: dict[str, Entry], by_category: dict[str, list[Entry]], options: SiteOptions, *, members: bool
) -> tuple[Feed, ...]:
    """The latest items overall and per category; withdrawn items are not news. The members' site's feeds say whose
    they are in their titles: a reader lists them beside the public site's, away from the pages' banners."""

    def latest(source) -> tuple[Entry, ...]:
        # By the day each reached the site's readers: a 党内 item opened to the public is news on that day,
        # where a reader's feed sorted by its first date would never show it.
        news = sorted((entry for entry in source if not entry.withdrawn), key=lambda entry: entry.reached or entry.published,
                      reverse=True)
        return tuple(news[: options.feed_size])

    site = f"{catalog.org_name} 党内网站" if members else catalog.org_name
    feeds = [Feed("feed.xml", f"{site} 最新信息" if members else f"{site} 最新公开信息", HOME.url, latest(entries.values()))]
    for leaf in catalog.categories:
        feeds.append(Feed(f"catalog/{leaf.slug}/feed.xml", f"{site} {leaf.name}", f"catalog/{leaf.slug}/", latest(by_category[leaf.slug])))
    return tuple(feeds)


def _published_files(project: Project, published: list[Item]) -> tuple[PublishedFile, ...]:
    """Attachments of published, not withdrawn items, each once; only what the resolver lets out."""
    files: dict[str, PublishedFile] = {}
    for item in published:
        if item.withdrawn is not None:
            continue
        for _, resolved in _publishable(project, item):
            files.setdefault(resolved.file, PublishedFile(resolved.file, f"attachments/{resolved.file}", checked_stamp(resolved)))
    return tuple(files[key] for key in sorted(files))
