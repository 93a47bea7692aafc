"""Plain typed objects of the content model: catalog, items and their parts.

Nothing here reads files or knows about MkDocs; `loading` builds these objects and
`checks` judge them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .roster import Roster

PUBLIC = "主动公开"
ON_REQUEST = "依申请公开"
NOT_PUBLIC = "不予公开"
DISCLOSURES = (PUBLIC, ON_REQUEST, NOT_PUBLIC)

APPROVE = "同意公开"
REFUSE = "不予公开"
OPINIONS = (APPROVE, REFUSE)

VALID = "有效"
VALIDITIES = (VALID, "失效", "废止")

# Who an item is published to (党务公开's two levels): everyone, or party members only (先党内、后党外).
AUDIENCE_PUBLIC = "公众"
AUDIENCE_PARTY = "党内"
AUDIENCES = (AUDIENCE_PUBLIC, AUDIENCE_PARTY)
# Days after a consultation closes within which its 反馈 is expected, unless the column says otherwise.
FEEDBACK_DAYS = 30
# The genre (体裁) of a 政策解读; a column named …解读… implies it.
INTERPRETATION = "解读"


@dataclass(frozen=True)
class ReviewLevel:
    """One level of the 保密审查, as catalog.yml's `review.levels` lists them (lowest first)."""

    key: str  # the key in an item's review block, e.g. "initial"
    name: str  # what people call it, e.g. "初审"


# Without `review.levels` in catalog.yml: the two levels of spec §4.
DEFAULT_LEVELS = (ReviewLevel("initial", "初审"), ReviewLevel("final", "复核"))

INDEX_NO_RE = re.compile(r"^(?P<org>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>[0-9]{4})-(?P<serial>[0-9]{5})$")


# Column classes of the 政府网站与政务新媒体检查指标, each with how stale it may get (gongkai audit).
UPDATE_CLASSES = ("动态要闻", "通知公告", "政策文件", "人事", "规划计划")


@dataclass(frozen=True)
class Department:
    name: str
    slug: str


@dataclass(frozen=True)
class Category:
    """A leaf of the 公开目录 (二级栏目)."""

    name: str
    slug: str
    group: str
    group_slug: str
    stale_after_days: int | None = None
    update_class: str = ""  # one of UPDATE_CLASSES, or "" (gongkai audit then uses stale_after_days)
    audience: str = AUDIENCE_PUBLIC  # the default audience of its items
    feedback_days: int | None = None  # a 意见征集 column: days its 反馈 may take after a consultation closes
    party: bool = False  # in the 党务公开 section, not the 政府信息公开目录
    genres: tuple[str, ...] = ()  # the genres (体裁) its items have, as catalog.yml declares them; the first for new items


@dataclass(frozen=True)
class CategoryGroup:
    """A first-level group of the 公开目录 (一级栏目) with its leaves."""

    name: str
    slug: str
    children: tuple[Category, ...]
    party: bool = False  # the 党务公开 section (catalog.yml `party: true`)


@dataclass(frozen=True)
class Series:
    """A periodic disclosure (定期公开): one item per period, each due by a rule (`periods`)."""

    name: str
    slug: str  # its page is series/<slug>/
    column: str  # the leaf's slug
    every: str  # year | half | quarter | month | week
    due: str  # the rule as written, e.g. 次月底 (the default of `every` when not written)
    due_days: int | None = None  # instead of `due`: days after the period's approval (预决算: 20)
    approved: tuple[tuple[str, dt.date], ...] = ()  # (period, 批复日期) for `due_days`
    start: str = ""  # the first period expected; "" = the earliest any item names
    end: str = ""  # the last period expected; "" = the series goes on
    line: int = 1  # in catalog.yml


@dataclass(frozen=True)
class AuditSettings:
    """catalog.yml `audit:`: how `gongkai audit` reads the git history."""

    imported_until: dt.date | None = None  # commits up to this date imported existing content
    backdating_tolerance_days: int = 3


@dataclass(frozen=True)
class Catalog:
    org_name: str
    org_code: str
    departments: tuple[Department, ...]
    groups: tuple[CategoryGroup, ...]
    audit: AuditSettings = AuditSettings()
    # Who may sign which review level, with which keys (`roster`); set by the catalog loader.
    roster: Roster | None = None
    series: tuple[Series, ...] = ()  # periodic disclosures (定期公开), catalog.yml `series`

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(leaf for group in self.groups for leaf in group.children)

    @cached_property
    def _leaves_by_key(self) -> dict[str, Category]:
        return {key: leaf for leaf in reversed(self.categories) for key in (leaf.slug, leaf.name)}

    @cached_property
    def _departments_by_key(self) -> dict[str, Department]:
        return {key: dept for dept in reversed(self.departments) for key in (dept.slug, dept.name)}

    def category(self, key: str) -> Category | None:
        """The leaf named `key` by name or slug."""
        return self._leaves_by_key.get(key)

    def group(self, key: str) -> CategoryGroup | None:
        for group in self.groups:
            if key in (group.name, group.slug):
                return group
        return None

    def department(self, key: str) -> Department | None:
        return self._departments_by_key.get(key)

    def series_named(self, name: str) -> Series | None:
        return next((series for series in self.series if series.name == name), None)


@dataclass(frozen=True)
class ReviewEntry:
    """One level's sign-off as written in the item (values as text; checks judge them)."""

    level: str
    reviewer: str
    date: dt.date | None
    opinion: str
    digest: str
    signature: str = ""


@dataclass(frozen=True)
class Review:
    """The sign-offs of an item, in the order of its review block."""

    entries: tuple[ReviewEntry, ...] = ()

    def entry(self, level: str) -> ReviewEntry | None:
        return next((entry for entry in self.entries if entry.level == level), None)

    @property
    def last_date(self) -> dt.date | None:
        """The latest date any level signed on (None without a dated sign-off)."""
        return max((entry.date for entry in self.entries if entry.date is not None), default=None)


@dataclass(frozen=True)
class Attachment:
    title: str
    file: str  # relative to content/attachments/

    @property
    def suffix(self) -> str:
        return Path(self.file).suffix.lower().lstrip(".")


@dataclass(frozen=True)
class Withdrawal:
    date: dt.date | None
    reason: str


@dataclass(frozen=True)
class PiiAllowance:
    match: str
    reason: str


@dataclass(frozen=True)
class Consultation:
    """A 意见征集's period: opinions are taken from `start` to `end`, both days included."""

    start: dt.date
    end: dt.date
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexNo:
    org: str
    year: int
    serial: str

    @classmethod
    def parse(cls, text: str) -> IndexNo | None:
        found = INDEX_NO_RE.match(text or "")
        if not found:
            return None
        return cls(found["org"], int(found["year"]), found["serial"])

    def __str__(self) -> str:
        return f"{self.org}/{self.year:04d}-{self.serial}"


@dataclass
class Item:
    """A disclosure item as its author meant it; fields are None where the source is unusable.

    `path` is relative to the project root (where mkdocs.yml lives) and uses '/'.
    """

    path: str
    title: str
    index_no: str
    category: Category | None
    department: Department | None
    published: dt.date | None
    disclosure: str
    review: Review
    body: str
    written: dt.date | None = None
    doc_no: str = ""
    genre: str = ""
    validity: str = VALID
    keywords: tuple[str, ...] = ()
    summary: str = ""
    interprets: str = ""
    attachments: tuple[Attachment, ...] = ()
    withdrawn: Withdrawal | None = None
    pii_allow: tuple[PiiAllowance, ...] = ()
    audience: str = AUDIENCE_PUBLIC  # as written, else its column's default
    public_from: dt.date | None = None  # a 党内 item is public from this day on (先党内、后党外)
    consultation: Consultation | None = None
    feedback_for: str = ""  # the 索引号 of the consultation (or 党务公开 item) this 反馈 answers
    series: str = ""  # the name of its catalog series, with `period`
    period: str = ""
    effective: dt.date | None = None  # 生效日期 of a 政策文件, as the document states it
    # Filled by the loader: 1-based line of the first body line.
    body_line: int = 1
    # The interpretations (解读) that point at this item; filled by the project.
    interpreted_by: list[str] = field(default_factory=list)

    @property
    def parsed_index_no(self) -> IndexNo | None:
        return IndexNo.parse(self.index_no)

    # Items are not changed once loaded: planning asks for it a few times per item. The only cached
    # attribute: a 30th would make the instance's dict stop sharing its keys (≈ 1.3 KB more an item).
    @cached_property
    def url(self) -> str:
        """Site-relative URL, derived from the 索引号 so it never changes with the title."""
        number = self.parsed_index_no
        if number is None:
            return ""
        return f"items/{number.year:04d}/{number.serial}/"

    @property
    def public_since(self) -> dt.date | None:
        """The day the item reaches the public: its publication, a 党内 item's `public_from`, or never (None). Never
        for a 党内 item withdrawn before its public_from: the public never had it, so gets no withdrawal notice of it
        (the title, 索引号 and reason of a 干部任前公示 dropped during its party phase)."""
        if self.audience == AUDIENCE_PUBLIC:
            return self.published
        if self.audience == AUDIENCE_PARTY and self.public_from is not None and self.published is not None:
            since = max(self.published, self.public_from)
            if self.withdrawn is not None and (self.withdrawn.date is None or self.withdrawn.date < since):
                return None
            return since
        return None

    def reaches(self, audience: str, today: dt.date) -> bool:
        """Whether readers of a site built for `audience` may see the item on `today` (its audience
        allows it; not whether it is published). Party members see everything the public sees."""
        if audience == AUDIENCE_PARTY and self.audience == AUDIENCE_PARTY:
            return True
        since = self.public_since
        return since is not None and since <= today

    def is_published(self, today: dt.date, audience: str = AUDIENCE_PUBLIC) -> bool:
        """Whether the item may appear on the site built for `audience` (the public's unless told)
        at all (body or tombstone)."""
        return (
            self.disclosure == PUBLIC
            and self.published is not None
            and self.published <= today
            and self.category is not None
            and self.department is not None
            and bool(self.url)
            and self.reaches(audience, today)
        )
