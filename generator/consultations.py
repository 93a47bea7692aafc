"""意见征集 that closes the loop: a consultation's state on a given day, and the 反馈 it awaits.

A consultation runs from `start` to `end`, both days included; its state is computed for the day
a site is built, so a daily scheduled build keeps every page true. After `end`, a 反馈 item
(采纳情况) naming it in `feedback_for` is expected within its column's `feedback_days`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import FEEDBACK_DAYS, PUBLIC, Consultation, Item

UPCOMING, OPEN, CLOSED = "未开始", "征集中", "已结束"


@dataclass(frozen=True)
class ConsultationState:
    """What a page says about a consultation on the day the site is built."""

    label: str  # 未开始 | 征集中 | 已结束
    start: dt.date
    end: dt.date
    days_left: int | None  # while open: days after today that still count (0 on the last day)

    @property
    def text(self) -> str:
        if self.label == UPCOMING:
            return f"未开始：{self.start} 起征集意见，{self.end} 截止"
        if self.label == CLOSED:
            return f"已结束：征集期 {self.start} 至 {self.end}"
        left = "今天截止" if self.days_left == 0 else f"还剩 {self.days_left} 天"
        return f"征集中：{left}（{self.end} 截止）"


def state(consultation: Consultation, today: dt.date) -> ConsultationState:
    if today < consultation.start:
        return ConsultationState(UPCOMING, consultation.start, consultation.end, None)
    if today > consultation.end:
        return ConsultationState(CLOSED, consultation.start, consultation.end, None)
    return ConsultationState(OPEN, consultation.start, consultation.end, (consultation.end - today).days)


def feedback_days(item: Item) -> int:
    """Days after the consultation closes within which its 反馈 is due (the column's, else the default)."""
    return (item.category.feedback_days if item.category else None) or FEEDBACK_DAYS


def feedback_due(item: Item) -> dt.date | None:
    """The last day for the 反馈 of a consultation item; None if it is none."""
    if item.consultation is None:
        return None
    return item.consultation.end + dt.timedelta(days=feedback_days(item))


def answers(items: Iterable[Item]) -> dict[str, list[Item]]:
    """索引号 → the 主动公开 items answering it (`feedback_for`), earliest first."""
    found: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.feedback_for and item.disclosure == PUBLIC and item.published is not None:
            found[item.feedback_for].append(item)
    for replies in found.values():
        replies.sort(key=lambda reply: (reply.published, reply.index_no))
    return found
