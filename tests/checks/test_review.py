"""Review family (GK2xx): spec §4 rules 1–5 on items signed through the real `gongkai review` code."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.checks import review
from gongkai.reviewing import ReviewRefused, SignOff, sign


def test_signed_item_passes(site):
    path = site.item()
    assert [c for c in site.codes(path) if c.startswith("GK2")] == []


def test_unsigned_item_fails_with_the_command_to_run(site):
    path = site.item(signed=False)
    [problem] = site.problems(review.NOT_REVIEWED.code)
    assert f"gongkai review {site.rel(path)} --level initial" in problem.message


def test_only_initial_is_not_enough(site):
    path = site.item(signed=False)
    site.sign(path, final=None)
    [problem] = site.problems(review.NOT_REVIEWED.code)
    assert "复核" in problem.message


def test_hand_written_entry_without_digest_is_incomplete(site):
    site.item(signed=False, review={
        "initial": {"reviewer": "李明", "date": "2021-06-16", "opinion": "同意公开"},
        "final": {"reviewer": "王芳", "date": "2021-06-17", "opinion": "同意公开", "digest": "sha256:abc"},
    })
    problems = site.problems(review.INCOMPLETE.code)
    assert len(problems) == 2 and all("gongkai review" in p.message for p in problems)


def test_bad_opinion(site):
    path = site.item(signed=False)
    site.sign(path)
    text = path.read_text(encoding="utf-8").replace("opinion: 同意公开, digest", "opinion: 同意, digest", 1)
    path.write_text(text, encoding="utf-8")
    assert site.problems(review.BAD_OPINION.code)


def test_same_reviewer_twice(site):
    path = site.item(signed=False)
    site.sign(path, final=None)
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.split("\n") if l.startswith("  initial:"))
    path.write_text(text.replace(line, line + "\n" + line.replace("initial", "final")), encoding="utf-8")
    [problem] = site.problems(review.SAME_REVIEWER.code)
    assert "四眼" in problem.message


def test_the_reviewer_code_refuses_the_same_person(site):
    path = site.item(signed=False)
    site.sign(path, final=None)
    with pytest.raises(ReviewRefused, match="四眼"):
        sign(path, SignOff("final", "李明", dt.date(2021, 6, 17), "同意公开"), site.attachments, site.rel(path))


def test_final_before_initial(site):
    path = site.item(signed=False)
    sign(path, SignOff("initial", "李明", dt.date(2021, 6, 17), "同意公开"), site.attachments, site.rel(path))
    sign(path, SignOff("final", "王芳", dt.date(2021, 6, 16), "同意公开"), site.attachments, site.rel(path))
    [problem] = site.problems(review.DATE_ORDER.code)
    assert "复核日期 2021-06-16 早于初审日期 2021-06-17" in problem.message


def test_a_withdrawn_item_may_be_reviewed_again_until_its_withdrawal(site):
    withdrawal = {"date": "2021-07-01", "reason": "信息有误，已重新发布"}
    path = site.item(signed=False, withdrawn=withdrawal)
    site.sign(path, date=dt.date(2021, 6, 30))
    assert site.problems(review.DATE_ORDER.code) == []
    later = site.item("2021/b.md", signed=False, withdrawn=withdrawal)
    site.sign(later, date=dt.date(2021, 7, 2))
    [problem] = site.problems(review.DATE_ORDER.code)
    assert problem.path == site.rel(later) and "撤回" in problem.message


def test_published_before_final_review(site):
    path = site.item(signed=False)
    site.sign(path, date=dt.date(2021, 6, 20))
    [problem] = site.problems(review.DATE_ORDER.code)
    assert "先审查、后公开" in problem.message
    assert problem.line == 6  # the published key


def test_public_item_needs_approval(site):
    path = site.item(signed=False)
    site.sign(path, opinion="不予公开")
    assert len(site.problems(review.NOT_APPROVED.code)) == 2  # both levels said no


def test_refused_item_may_stay_non_public(site):
    path = site.item(signed=False, disclosure="不予公开")
    site.sign(path, opinion="不予公开")
    assert [c for c in site.codes(path) if c.startswith("GK2")] == []


def test_edit_after_review_fails_with_the_spec_message(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    [problem] = site.problems(review.CHANGED.code)
    assert "内容在复核后被修改，需重新审查" in problem.message
    assert problem.line == 11  # the final entry


def test_front_matter_edit_after_review_fails(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("办公室", "住房保障股"), encoding="utf-8")
    assert site.problems(review.CHANGED.code)


def test_re_signing_both_levels_after_an_edit_passes(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    site.sign(path)
    assert [c for c in site.codes(path) if c.startswith("GK2")] == []


def test_initial_reviewed_another_version(site):
    path = site.item(signed=False)
    site.sign(path, final=None)
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    site.sign(path, initial=None)  # 复核 signs the new text; 初审 saw the old one
    problems = site.check()
    assert [p.code for p in problems if p.code.startswith("GK2")] == [review.DIFFERENT_VERSIONS.code]


def test_only_initial_re_signed_still_needs_final(site):
    path = site.item()
    path.write_text(path.read_text(encoding="utf-8").replace("认真落实", "认真贯彻落实"), encoding="utf-8")
    site.sign(path, final=None)
    assert [p.code for p in site.check() if p.code.startswith("GK2")] == [review.CHANGED.code]


def test_non_public_items_are_checked_too(site):
    site.item(signed=False, disclosure="依申请公开")
    assert site.problems(review.NOT_REVIEWED.code)
