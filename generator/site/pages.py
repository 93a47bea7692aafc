"""The typed pages of the public site, as plain data: what each page shows, not how.

URLs are site-relative with directory style (`items/2021/00003/`, the home page is ``);
templates turn them into relative links. Nothing here knows about MkDocs or Jinja.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import ClassVar

from ..consultations import ConsultationState
from .views import ItemView, WithdrawnView


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class CountedLink:
    title: str
    url: str
    count: int


@dataclass(frozen=True)
class Entry:
    """One row of a listing: enough to show an item without its body."""

    title: str
    url: str
    published: dt.date
    index_no: str
    doc_no: str
    category: str
    department: str
    validity: str
    withdrawn: bool
    summary: str  # 内容概述; empty for a withdrawn item
    members_only: bool = False  # 党内, shown on the members' site only
    consultation: str = ""  # a 意见征集's state on the day of the build: 未开始 | 征集中 | 已结束
    # The day the item reached this site's readers: `published`, or on the public site a 党内 item's `public_from`.
    reached: dt.date | None = None


@dataclass(frozen=True)
class AttachmentView:
    title: str
    url: str  # site-relative, percent-encoded
    kind: str  # e.g. "PDF 文档"
    size: str  # e.g. "1.2 MB"; "" if unknown


@dataclass(frozen=True)
class ProposalStatus:
    """办理状态 of a 建议提案 whose published 答复 this item is (from the 督查督办 register)."""

    status: str  # 办理中 | 已办结
    answered: dt.date | None  # the 答复 (办结) date once 已办结


@dataclass(frozen=True)
class ProposalYear:
    """A year's 建议提案 counts for the 建议提案办理 listing (from the 督查督办 register)."""

    year: int
    received: int
    answered: int
    rate: str  # 办结率, e.g. "95.00%", or "—"


@dataclass
class SitePage:
    """Fields every page has. A page type names the template that renders it (theme_overrides/) and
    the sidebars it does without ("navigation", "toc"), so adding one touches its own class only."""

    url: str
    title: str
    breadcrumbs: tuple[Link, ...] = ()

    template: ClassVar[str]
    hidden: ClassVar[tuple[str, ...]] = ()

    @property
    def nav_url(self) -> str:
        """The navigation entry to highlight on this page (pages outside the nav name their parent)."""
        return self.url


@dataclass
class HomePage(SitePage):
    org_name: str = ""
    latest: tuple[Entry, ...] = ()
    catalog: tuple[DirectoryGroup, ...] = ()
    disclosure_links: tuple[Link, ...] = ()  # 指南, 制度, 法定主动公开内容, 年报, 依申请公开 …
    total: int = 0

    template = "gongkai/home.html"
    hidden = ("navigation", "toc")  # lists and the home page have no table of contents


@dataclass
class ItemPage(SitePage):
    view: ItemView | WithdrawnView | None = None  # what of the item the page may show
    source_path: str = ""  # content-relative, e.g. items/2021/2021-00003.md
    entry: Entry | None = None
    markdown: str = ""  # the body; empty for a withdrawn item
    attachments: tuple[AttachmentView, ...] = ()
    interprets: Link | None = None  # the policy this 解读 explains
    interpretations: tuple[Link, ...] = ()  # 解读 of this policy
    category_url: str = ""
    department_url: str = ""
    proposal: ProposalStatus | None = None  # when the item is the 答复 of a registered 建议提案
    consultation: ConsultationState | None = None  # a 意见征集's state on the day of the build
    channels: tuple[str, ...] = ()  # how to send opinions
    feedback: tuple[Link, ...] = ()  # the 反馈 (采纳情况, 再公开) answering this item, as far as this site shows them
    feedback_for: Link | None = None  # what this 反馈 answers, if this site shows it
    series: Link | None = None  # the periodic series this item is a period of
    period: str = ""  # e.g. 2026年第3季度

    template = "gongkai/item.html"

    @property
    def nav_url(self) -> str:
        return self.category_url

    @property
    def withdrawn(self) -> bool:
        return isinstance(self.view, WithdrawnView)


@dataclass
class ListingPage(SitePage):
    """One page of a paginated, newest-first list of items."""

    heading: str = ""
    entries: tuple[Entry, ...] = ()
    total: int = 0
    number: int = 1
    pages: tuple[str, ...] = ()  # URL of every page of this listing, in order
    feed_url: str = ""
    description: str = ""
    proposal_years: tuple[ProposalYear, ...] = ()  # the 建议提案办理 column's first page only
    series: tuple[Link, ...] = ()  # the periodic series of this column

    template = "gongkai/listing.html"
    hidden = ("toc",)

    @property
    def nav_url(self) -> str:
        return self.pages[0] if self.pages else self.url

    @property
    def previous_url(self) -> str | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.pages[self.number] if self.number < len(self.pages) else None

    @property
    def window(self) -> tuple[tuple[int, str] | None, ...]:
        """Page numbers to link: first, last and two either side of this one; None marks a gap.

        Bounded, so a listing of thousands of pages does not link every page from every page.
        """
        last = len(self.pages)
        shown = sorted({1, last, *range(max(1, self.number - 2), min(last, self.number + 2) + 1)})
        result: list[tuple[int, str] | None] = []
        for previous, number in itertools.pairwise([0, *shown]):
            if number - previous > 1:
                result.append(None)
            result.append((number, self.pages[number - 1]))
        return tuple(result)


@dataclass(frozen=True)
class DirectoryGroup:
    title: str
    url: str  # "" when the group has no page of its own
    links: tuple[CountedLink, ...]

    @property
    def count(self) -> int:
        return sum(link.count for link in self.links)


@dataclass
class DirectoryPage(SitePage):
    """A page of links with counts: the catalog, a catalog group, departments, years, reports."""

    intro: str = ""
    groups: tuple[DirectoryGroup, ...] = ()
    show_counts: bool = True

    template = "gongkai/directory.html"
    hidden = ("toc",)


@dataclass
class ArticlePage(SitePage):
    """An authored page from content/pages/ (指南, 制度, 依申请公开 …)."""

    source_path: str = ""
    markdown: str = ""

    template = "gongkai/article.html"


@dataclass
class ReportPage(SitePage):
    year: int = 0
    html: str = ""  # the report module's HTML fragment
    index_url: str = ""

    template = "gongkai/report.html"
    hidden = ("toc",)

    @property
    def nav_url(self) -> str:
        return self.index_url


@dataclass(frozen=True)
class PeriodRow:
    """One period of a periodic series, as its page lists it."""

    period: str  # e.g. 2026年第3季度
    due: dt.date
    published: dt.date | None  # None: not published (yet) on this site
    state: str  # 按时 | 逾期 | 未发布
    days_late: int
    link: Link | None


@dataclass
class SeriesPage(SitePage):
    """A periodic disclosure (定期公开): its rule and its periods, newest first."""

    every: str = ""  # e.g. 季度
    rule: str = ""  # e.g. 次月底
    column: Link | None = None
    rows: tuple[PeriodRow, ...] = ()

    template = "gongkai/series.html"
    hidden = ("toc",)

    @property
    def nav_url(self) -> str:
        return self.column.url if self.column else self.url


@dataclass
class SearchPage(SitePage):
    template = "gongkai/search.html"
    hidden = ("navigation", "toc")


@dataclass
class NavNode:
    """An entry of the site navigation: a page (by URL) or a section of nodes.

    A section may have its own page (`url`), shown as the section's index.
    """

    title: str
    url: str | None = None
    children: tuple[NavNode, ...] = ()


@dataclass(frozen=True)
class Feed:
    url: str  # e.g. feed.xml, catalog/normative/feed.xml
    title: str
    page_url: str  # the HTML page the feed mirrors
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class PublishedFile:
    """A file copied verbatim into the site: an attachment of a published item."""

    source: str  # relative to content/attachments/
    url: str  # site-relative path, not encoded
    stamp: tuple[int, ...] = field(default=(), compare=False, repr=False)  # the file planned (attachments.copy_published)
