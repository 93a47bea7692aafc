"""意见征集 and its 反馈: the block (GK155–GK156), the link (GK633–GK634), the loop in time (GK710–GK713)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.checks import consultations, schema

from .catalogs import use

D = dt.date
PERIOD = {"from": "2021-06-18", "to": "2021-07-17", "channels": ["电话：0311-86221001"]}


@pytest.fixture
def consult(site):
    use(site)
    return site


DURING = D(2021, 7, 1)


def found(site, prefixes=("GK15", "GK63", "GK71", "GK10"), today=DURING):
    return [(p.path.rsplit("/", 1)[-1], p.code) for p in site.check(today) if p.code.startswith(prefixes)]


def notice(site, name="notice.md", **fields):
    return site.item(f"2021/{name}", **{"category": "意见征集", "consultation": PERIOD, **fields})


def test_a_complete_consultation_passes(consult):
    notice(consult)
    assert found(consult) == []


@pytest.mark.parametrize(("block", "code"), [
    ({"from": "2021-06-18"}, consultations.BAD_CONSULTATION.code),
    ({"from": "2021-06-18", "to": "2021-06-17"}, consultations.BAD_CONSULTATION.code),
    ({"from": "2021-06-18", "to": "2021-06-31"}, schema.BAD_DATE.code),
    ({"from": "2021-06-18", "to": "2021-07-17", "channel": ["电话"]}, schema.UNKNOWN_KEY.code),
    ({"from": "2021-06-18", "to": "2021-07-17", "channels": "电话"}, schema.WRONG_TYPE.code),
    ("2021-06-18 至 2021-07-17", schema.WRONG_TYPE.code),
])
def test_a_consultation_block_is_checked(consult, block, code):
    notice(consult, consultation=block)
    assert found(consult) == [("notice.md", code)]


def test_an_item_of_a_consultation_column_is_a_consultation_or_a_feedback(consult):
    consult.item("2021/plain.md", category="意见征集")
    assert found(consult) == [("plain.md", consultations.NO_CONSULTATION.code)]


def test_feedback_for_names_a_public_item_other_than_itself(consult):
    target = consult.meta(disclosure="依申请公开")
    consult.item("2021/target.md", **target)
    consult.item("2021/none.md", feedback_for=f"{consult.ORG_CODE}/2021-09999")
    consult.item("2021/refused.md", feedback_for=target["index_no"])
    own = consult.meta()
    consult.item("2021/self.md", **own, feedback_for=own["index_no"])
    consult.item("2021/list.md", feedback_for=[target["index_no"]])
    assert sorted(found(consult)) == sorted([
        ("none.md", consultations.NO_TARGET.code), ("refused.md", consultations.BAD_TARGET.code),
        ("self.md", consultations.BAD_TARGET.code), ("list.md", schema.WRONG_TYPE.code),
    ])


def test_the_feedback_is_expected_within_the_columns_days_after_the_close(consult):
    notice(consult)  # closes 2021-07-17: 反馈 due by 2021-08-16
    assert found(consult, today=D(2021, 8, 16)) == []
    problems = [p for p in consult.check(D(2021, 8, 17)) if p.code == consultations.FEEDBACK_MISSING.code]
    assert len(problems) == 1
    assert "2021-08-16 前发布" in problems[0].message and "已逾期 1 天" in problems[0].message
    text = (consult.content / "items/2021/notice.md").read_text(encoding="utf-8").split("\n")
    assert text[problems[0].line - 1].strip().startswith("to:")  # points at the closing date


def test_a_column_may_set_its_own_feedback_days(consult):
    notice(consult, category="民意调查")  # 10 days: due 2021-07-27
    assert found(consult, today=D(2021, 7, 27)) == []
    assert found(consult, today=D(2021, 7, 28)) == [("notice.md", consultations.FEEDBACK_MISSING.code)]


def test_feedback_in_time_late_and_early(consult):
    first = consult.meta(category="意见征集", consultation=PERIOD)
    consult.item("2021/notice.md", **first)
    consult.item("2021/reply.md", category="意见征集", published="2021-08-20", feedback_for=first["index_no"])
    assert found(consult, today=D(2021, 9, 1)) == [("reply.md", consultations.FEEDBACK_LATE.code)]
    late = next(p for p in consult.check(D(2021, 9, 1)) if p.code == consultations.FEEDBACK_LATE.code)
    assert "晚于期限 2021-08-16" in late.message and "4 天" in late.message
    consult.item("2021/early.md", published="2021-07-10", feedback_for=first["index_no"])
    assert sorted(found(consult, today=D(2021, 9, 1))) == [("early.md", consultations.FEEDBACK_EARLY.code)]


def test_a_scheduled_feedback_does_not_count_yet(consult):
    first = consult.meta(category="意见征集", consultation=PERIOD)
    consult.item("2021/notice.md", **first)
    consult.item("2021/reply.md", published="2021-09-01", feedback_for=first["index_no"])
    assert found(consult, today=D(2021, 8, 20)) == [("notice.md", consultations.FEEDBACK_MISSING.code)]


def test_a_members_only_feedback_does_not_answer_the_public(consult):
    first = consult.meta(category="意见征集", consultation=PERIOD)
    consult.item("2021/notice.md", **first)
    consult.item("2021/reply.md", category="党组织决议", published="2021-08-01", feedback_for=first["index_no"])
    missing = [p for p in consult.check(D(2021, 8, 20)) if p.code == consultations.FEEDBACK_MISSING.code]
    assert len(missing) == 1 and "只向党员公开" in missing[0].message


def test_a_members_only_consultation_is_answered_inside_the_party(consult):
    first = consult.meta(category="党组织决议", consultation=PERIOD)
    consult.item("2021/notice.md", **first)
    consult.item("2021/reply.md", category="党组织决议", published="2021-08-01", feedback_for=first["index_no"])
    assert found(consult, today=D(2021, 9, 1)) == []


def test_a_consultation_that_started_before_its_notice(consult):
    notice(consult, consultation={"from": "2021-06-10", "to": "2021-07-17"})
    assert found(consult) == [("notice.md", consultations.STARTED_UNSEEN.code)]


def test_members_first_the_feedback_is_owed_to_those_consulted(consult):
    """A 党内 consultation that reaches the public only after it closed is answered inside the party first;
    the 再公开 to the public may follow together with the consultation."""
    first = consult.meta(category="党组织决议", consultation=PERIOD, public_from="2021-09-01")
    consult.item("2021/notice.md", **first)
    consult.item("2021/reply.md", category="党组织决议", published="2021-08-01", public_from="2021-09-01",
                 feedback_for=first["index_no"])
    for day in (D(2021, 8, 20), D(2021, 9, 2)):
        assert found(consult, today=day) == []


def test_a_consultation_open_to_the_public_is_answered_to_the_public(consult):
    first = consult.meta(category="党组织决议", consultation=PERIOD, public_from="2021-07-01")  # public while open
    consult.item("2021/notice.md", **first)
    consult.item("2021/reply.md", category="党组织决议", published="2021-08-01", feedback_for=first["index_no"])
    assert found(consult, today=D(2021, 8, 20)) == [("notice.md", consultations.FEEDBACK_MISSING.code)]
