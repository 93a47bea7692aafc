"""What will change on the site by itself, and when: the dated events already in the content.

A site is built for a day (`GONGKAI_TODAY`, else the system's date), so these changes appear when a
build runs on or after their day — a daily scheduled build publishes them without anyone's help
(examples/content-repo/). `gongkai check` lists the scheduled items; `gongkai build --next-change`
says when the site changes next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from .consultations import state
from .model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, PUBLIC, Item
from .project import Project

SCHEDULED = "定时发布"
PUBLIC_FROM = "对公众公开"
CONSULTATION_OPENS = "开始征集意见"
CONSULTATION_DAY = "征集中（每天更新剩余天数）"
CONSULTATION_CLOSES = "征集结束"
ANNUAL_REPORT = "公开年度报告（该年结束后）"
# The kinds that publish an item (the rest change what a published page says).
PUBLISHING = (SCHEDULED, PUBLIC_FROM)


@dataclass(frozen=True, order=True)
class Upcoming:
    date: dt.date
    what: str  # one of the kinds above
    path: str
    title: str


def upcoming(project: Project, today: dt.date, audience: str = AUDIENCE_PUBLIC) -> list[Upcoming]:
    """Every change after `today` of the site built for `audience`, soonest first."""
    return sorted([*(event for item in project.items for event in _events(item, today, audience)),
                   *_annual_reports(project, today)])


def _annual_reports(project: Project, today: dt.date) -> Iterator[Upcoming]:
    """A year's annual report appears with the first build after the year ends (report.published_years)."""
    from .report import available_years  # the report package reads items: imported when asked

    for year in available_years(project):
        if today.year <= year < dt.MAXYEAR:  # a later year is no year a report is written for (GK801)
            path = project.rel(project.reports_dir / f"{year}.yml")
            org = project.catalog.org_name if project.catalog else ""
            yield Upcoming(dt.date(year + 1, 1, 1), ANNUAL_REPORT, path, f"{org}{year}年政府信息公开工作年度报告")


def _events(item: Item, today: dt.date, audience: str) -> Iterator[Upcoming]:
    if item.disclosure != PUBLIC or item.published is None or item.category is None or item.department is None:
        return
    if not item.url:
        return
    members = audience == AUDIENCE_PARTY and item.audience == AUDIENCE_PARTY
    shown = item.published if members else item.public_since
    if shown is None:  # never reaches the readers of this site
        return
    if shown > today:
        what = SCHEDULED if shown == item.published else PUBLIC_FROM
        yield Upcoming(shown, what, item.path, item.title)
    consultation = item.consultation
    if consultation is None or item.withdrawn is not None:
        return
    # The page shows the consultation's state of the day it is built; what changes on the day the item
    # appears is covered by its appearing.
    if consultation.start > max(today, shown):
        yield Upcoming(consultation.start, CONSULTATION_OPENS, item.path, item.title)
    if shown <= today and state(consultation, today).days_left:  # open past today: its count goes down daily
        yield Upcoming(today + dt.timedelta(days=1), CONSULTATION_DAY, item.path, item.title)
    closes = consultation.end + dt.timedelta(days=1)
    if closes > max(today, shown):
        yield Upcoming(closes, CONSULTATION_CLOSES, item.path, item.title)
