"""What the preview says about an item the public does not see as it is: its banners.

草稿 (errors of its own to fix before review) · 待<level> (the review level it waits for, as
catalog.yml names the levels) · 定时发布 YYYY-MM-DD · 不公开 · 仅党内 · 已撤回. A published, fully
reviewed item for everyone, without errors, gets none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import digest
from ..loading import SourceDocument
from ..model import AUDIENCE_PARTY, AUDIENCE_PUBLIC, PUBLIC, REFUSE, Catalog, Item
from ..problems import Problem
from ..review_queue import CHANGED, NEW, pending
from ..roster import roster_of
from ..rules import REVIEW, rule

DRAFT, REVIEWING, SCHEDULED, PRIVATE, WITHDRAWN = "draft", "review", "scheduled", "private", "withdrawn"


@dataclass(frozen=True)
class Chip:
    label: str  # e.g. 待复核, 定时发布 2026-12-01
    kind: str  # DRAFT | REVIEWING | SCHEDULED | PRIVATE | WITHDRAWN (the banner's colour)
    detail: str  # why, and what happens next


def item_chips(item: Item, document: SourceDocument | None, problems: list[Problem], today: dt.date,
               catalog: Catalog | None, attachments_dir: Path) -> tuple[Chip, ...]:
    """The banners of `item`, whose file has `problems`."""
    chips = []
    errors = [p for p in problems if p.is_error]
    review = [p for p in errors if _is_review(p)]
    others = len(errors) - len(review)
    if others:
        chips.append(Chip("草稿", DRAFT, f"有 {others} 个错误须先改正（见预览问题页），改正后再送审"))
    elif review:
        chips.append(_review_chip(document, review[0], catalog, attachments_dir))
    if item.disclosure != PUBLIC:
        chips.append(Chip("不公开", PRIVATE, f"公开属性为“{item.disclosure or '未填写'}”：只在预览中显示，网站上不会出现"))
    elif item.audience == AUDIENCE_PARTY and not item.reaches(AUDIENCE_PUBLIC, today):
        since = f"{item.public_from.isoformat()} 起也对公众公开" if item.public_from else "不对公众公开"
        chips.append(Chip("仅党内", PRIVATE, f"只发布在党内网站（gongkai build --audience 党内），{since}"))
    if item.published is not None and item.published > today:
        chips.append(Chip(f"定时发布 {item.published.isoformat()}", SCHEDULED,
                          f"{item.published.isoformat()} 起出现在网站上：当天或之后的 gongkai build 发布它"))
    if item.withdrawn is not None:
        day = f" {item.withdrawn.date.isoformat()}" if item.withdrawn.date else ""
        chips.append(Chip(f"已撤回{day}", WITHDRAWN, "网站上只保留标题、元数据和撤回原因，正文和附件不再公开"))
    return tuple(chips)


def _review_chip(document: SourceDocument | None, first: Problem, catalog: Catalog | None, attachments_dir: Path) -> Chip:
    roster = roster_of(catalog)
    waits = pending(document, catalog, attachments_dir) if document is not None else None
    if waits is None:  # every level signed on this content, but a record is wrong (signature, person, date …)
        return Chip("审查记录有误", REVIEWING, f"{first.message}（见预览问题页）")
    name = waits.level.name
    if waits.kind == NEW:
        detail = f"尚未审查：由{name}人执行 gongkai review 签署"
    elif waits.kind == CHANGED and waits.refused:
        detail = (f"上次审查意见是“{REFUSE}”，此后内容有修改：须从{roster.levels[0].name}起对照全文重新审查（不能只看改动），"
                  f"下一步由{name}人签署")
    elif waits.kind == CHANGED:
        detail = f"审查后内容有修改（gongkai diff 查看改动）：须从{roster.levels[0].name}起重新审查，下一步由{name}人签署"
    else:
        detail = f"下一级已签署，等待{name}人签署"
    pin = digest.shown(waits.digest)
    return Chip(f"待{name}", REVIEWING, f"{detail}。当前内容摘要 {pin}：签署时加上 --digest {pin}，内容此后有改动即拒绝签署")


def _is_review(problem: Problem) -> bool:
    found = rule(problem.code)
    return found is not None and found.family is REVIEW
