"""A consultation's state on the boundary days, and the 反馈 it awaits."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongkai.consultations import CLOSED, OPEN, UPCOMING, answers, feedback_due, state
from gongkai.model import Category, Consultation, Department, Item, Review

D = dt.date
PERIOD = Consultation(D(2026, 11, 20), D(2026, 12, 19), ("电话：0311-86221033",))


@pytest.mark.parametrize(("today", "label", "days_left", "text"), [
    (D(2026, 11, 19), UPCOMING, None, "未开始：2026-11-20 起征集意见，2026-12-19 截止"),
    (D(2026, 11, 20), OPEN, 29, "征集中：还剩 29 天（2026-12-19 截止）"),
    (D(2026, 12, 18), OPEN, 1, "征集中：还剩 1 天（2026-12-19 截止）"),
    (D(2026, 12, 19), OPEN, 0, "征集中：今天截止（2026-12-19 截止）"),
    (D(2026, 12, 20), CLOSED, None, "已结束：征集期 2026-11-20 至 2026-12-19"),
])
def test_the_state_on_the_boundary_days(today, label, days_left, text):
    found = state(PERIOD, today)
    assert (found.label, found.days_left, found.text) == (label, days_left, text)


def test_a_one_day_consultation_is_open_that_day_only():
    one = Consultation(D(2026, 1, 5), D(2026, 1, 5))
    assert [state(one, D(2026, 1, day)).label for day in (4, 5, 6)] == [UPCOMING, OPEN, CLOSED]


def notice(**changes) -> Item:
    item = Item("content/items/2026/2026-00029.md", "征求意见", "11131122MB1534702N/2026-00029",
                Category("意见征集", "consult", "互动交流", "interact", feedback_days=30), Department("办公室", "office"),
                D(2026, 11, 20), "主动公开", Review(), "正文", consultation=PERIOD)
    return dataclasses.replace(item, **changes)


def test_the_feedback_is_due_the_columns_days_after_the_close():
    assert feedback_due(notice()) == D(2027, 1, 18)
    column = Category("意见征集", "consult", "互动交流", "interact", feedback_days=15)
    assert feedback_due(notice(category=column)) == D(2027, 1, 3)
    assert feedback_due(notice(consultation=None)) is None


def test_answers_are_the_public_replies_earliest_first():
    later = notice(index_no="x/2027-00002", published=D(2027, 1, 9), consultation=None, feedback_for="a")
    first = notice(index_no="x/2027-00001", published=D(2027, 1, 5), consultation=None, feedback_for="a")
    refused = notice(index_no="x/2027-00003", published=D(2027, 1, 1), consultation=None, feedback_for="a", disclosure="不予公开")
    assert answers([later, refused, first]) == {"a": [first, later]}
